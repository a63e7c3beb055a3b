"""Assessments, closing a cohort (graduation decided by the track's rule) and overrides."""

from typing import Annotated

from fastapi import APIRouter, Path

from berdaya_shared.api.deps import LanguageDep, SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import assessments, closing
from ..deps import Officer, Organiser, Reader, SettingsDep
from ..schemas import DecisionRead, OverrideIn, OverrideRead, ScoreRead, Scores

router = APIRouter(prefix="/cohorts/{cohort_id}", tags=["graduation"])
CohortId = Annotated[str, Path(max_length=36)]
ParticipantPath = Annotated[str, Path(max_length=36)]


@router.put("/assessments", response_model=dict[str, int])
def record_scores(cohort_id: CohortId, body: Scores, principal: Organiser,
                  sessions: SessionsDep) -> dict[str, int]:
    with transaction(sessions) as session:
        return {"recorded": assessments.record_scores(
            session=session, principal=principal, cohort_id=cohort_id,
            scores=[assessments.Score(participant_id=s.participant_id, kind=s.kind, score=s.score)
                    for s in body.scores])}


@router.get("/assessments", response_model=list[ScoreRead])
def list_scores(cohort_id: CohortId, principal: Reader, sessions: SessionsDep) -> list[ScoreRead]:
    with transaction(sessions) as session:
        return [ScoreRead.model_validate(a) for a in assessments.list_scores(
            session=session, principal=principal, cohort_id=cohort_id)]


@router.post("/close", response_model=list[DecisionRead])
def close_cohort(cohort_id: CohortId, principal: Organiser, sessions: SessionsDep,
                 settings: SettingsDep, language: LanguageDep) -> list[DecisionRead]:
    with transaction(sessions) as session:
        return [DecisionRead.of(d, language) for d in closing.close_cohort(
            session=session, principal=principal, cohort_id=cohort_id, source=settings.source)]


@router.get("/decisions", response_model=list[DecisionRead])
def list_decisions(cohort_id: CohortId, principal: Reader, sessions: SessionsDep,
                   language: LanguageDep) -> list[DecisionRead]:
    with transaction(sessions) as session:
        return [DecisionRead.of(d, language) for d in closing.list_decisions(
            session=session, principal=principal, cohort_id=cohort_id)]


@router.post("/decisions/{participant_id}/override", response_model=DecisionRead)
def override_decision(cohort_id: CohortId, participant_id: ParticipantPath, body: OverrideIn,
                      principal: Officer, sessions: SessionsDep, settings: SettingsDep,
                      language: LanguageDep) -> DecisionRead:
    with transaction(sessions) as session:
        return DecisionRead.of(closing.override_decision(
            session=session, principal=principal, cohort_id=cohort_id,
            participant_id=participant_id, outcome=body.outcome, reason=body.reason,
            source=settings.source), language)


@router.get("/overrides", response_model=list[OverrideRead])
def list_overrides(cohort_id: CohortId, principal: Reader,
                   sessions: SessionsDep) -> list[OverrideRead]:
    with transaction(sessions) as session:
        return [OverrideRead.model_validate(o) for o in closing.overrides_of(
            session=session, principal=principal, cohort_id=cohort_id)]
