"""Assessment scores (0-100) per participant per kind (practical, written), with who assessed
and when. A score given again replaces the earlier one (the latest assessor and time are
kept). Read and written in constant queries, under the cohort's lock."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, update
from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import new_id
from berdaya_shared.errors import InvalidInput

from ..adapters.tables import Assessment
from ..domain import model
from ..domain.graduation import AssessmentKind
from ..domain.model import CohortStatus
from .cohorts import get_cohort
from .sessions import members_of


@dataclass(frozen=True, kw_only=True)
class Score:
    participant_id: str
    kind: AssessmentKind
    score: int


def record_scores(*, session: Session, principal: Principal, cohort_id: str,
                  scores: list[Score]) -> int:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal, for_update=True)
    model.check_cohort_status(cohort.status, allowed=(CohortStatus.RUNNING,),
                              action="dinilai", action_en="take assessments")
    members, seen = members_of(session, cohort.id), set()
    for index, item in enumerate(scores):
        if item.participant_id not in members:
            raise InvalidInput("Bukan anggota kelompok pelatihan ini.",
                               en="Not a member of this cohort.",
                               field=f"scores.{index}.participant_id")
        if (item.participant_id, item.kind) in seen:
            raise InvalidInput("Nilai peserta ini untuk jenis ini disebut dua kali.",
                               en="This participant's score of this kind appears twice.",
                               field=f"scores.{index}.kind")
        seen.add((item.participant_id, item.kind))
    existing = {(pid, kind): row_id for row_id, pid, kind in session.exec(
        select(Assessment.id, Assessment.participant_id, Assessment.kind)
        .where(Assessment.cohort_id == cohort.id)).all()}
    now, who = datetime.now(UTC), principal.subject
    new, changed = [], []
    for item in scores:
        row_id = existing.get((item.participant_id, item.kind))
        values = {"score": item.score, "assessed_by": who, "assessed_at": now}
        if row_id is None:
            new.append({"id": new_id(), "cohort_id": cohort.id,
                        "participant_id": item.participant_id, "kind": item.kind, **values})
        else:
            changed.append({"id": row_id, **values})
    if new:
        session.execute(insert(Assessment), new)
    if changed:
        session.execute(update(Assessment), changed)
    return len(scores)


def list_scores(*, session: Session, principal: Principal, cohort_id: str) -> list[Assessment]:
    cohort = get_cohort(session=session, cohort_id=cohort_id, principal=principal)
    return list(session.exec(select(Assessment).where(Assessment.cohort_id == cohort.id)
                             .order_by(Assessment.participant_id, Assessment.kind)).all())
