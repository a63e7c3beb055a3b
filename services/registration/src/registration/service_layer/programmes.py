"""Programmes are data: window, capacity, quotas, target area, tracks, eligibility rules."""

from datetime import UTC, date, datetime
from typing import Any

from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import within
from berdaya_shared.db import conflict_on_duplicate
from berdaya_shared.errors import Conflict, InvalidInput, NotFound
from berdaya_shared.gazetteer import PROVINCE_CODE, Gazetteer

from ..adapters.tables import Programme, SeatCounter
from ..domain.eligibility import validate_rules
from .seats import TOTAL


def create_programme(*, session: Session, principal: Principal, gazetteer: Gazetteer, code: str,
                     name: str, kind: str, target_area_code: str, intake_opens_on: date,
                     intake_closes_on: date, total_capacity: int, kelurahan_quota: int | None,
                     quotas: dict[str, int], tracks: list[str],
                     eligibility_rules: list[dict[str, Any]]) -> Programme:
    principal.ensure_covers(target_area_code, hide=False)
    if target_area_code != PROVINCE_CODE and gazetteer.get(target_area_code) is None:
        raise InvalidInput("Kode wilayah tidak dikenal.", en="Unknown area code.",
                           field="target_area_code")
    if intake_closes_on < intake_opens_on:
        raise InvalidInput("Pendaftaran tidak dapat ditutup sebelum dibuka.",
                           en="The intake cannot close before it opens.", field="intake_closes_on")
    for code_, seats in quotas.items():
        area = gazetteer.get(code_)
        if area is None or area.level != "kelurahan" or not within(code_, target_area_code):
            raise InvalidInput(f"{code_} bukan kelurahan di wilayah sasaran.",
                               en=f"{code_} is not a kelurahan of the target area.",
                               field=f"quotas.{code_}")
        if seats < 0:
            raise InvalidInput("Kuota tidak boleh negatif.", en="A quota cannot be negative.",
                               field=f"quotas.{code_}")
    rules = validate_rules(eligibility_rules)
    taken = (f"Program dengan kode {code} sudah ada.", f"A programme with code {code} exists.")
    if session.exec(select(Programme).where(col(Programme.code) == code)).first():
        raise Conflict(taken[0], en=taken[1], field="code")
    programme = Programme(code=code, name=name, kind=kind, target_area_code=target_area_code,
                          intake_opens_on=intake_opens_on, intake_closes_on=intake_closes_on,
                          total_capacity=total_capacity, kelurahan_quota=kelurahan_quota,
                          quotas=quotas, tracks=tracks, eligibility_rules=rules,
                          created_by=principal.subject, created_at=datetime.now(UTC))
    with conflict_on_duplicate(session, field="code", detail=taken[0], en=taken[1]):
        session.add(programme)
    session.add(SeatCounter(programme_id=programme.id, scope=TOTAL, capacity=total_capacity))
    session.flush()
    return programme


def get_programme(*, session: Session, programme_id: str) -> Programme:
    programme = session.get(Programme, programme_id)
    if programme is None:
        raise NotFound("Program ini tidak ada.", en="No such programme.", field="programme_id")
    return programme


def list_programmes(*, session: Session) -> list[Programme]:
    return list(session.exec(select(Programme).order_by(col(Programme.intake_opens_on).desc())).all())
