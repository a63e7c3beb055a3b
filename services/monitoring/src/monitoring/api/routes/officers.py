from typing import Annotated

from fastapi import APIRouter, Path

from berdaya_shared.api.deps import SessionsDep
from berdaya_shared.db import transaction

from ...service_layer import officers
from ..deps import AreaOfficer
from ..schemas import CoverageRead, CoverageWrite

router = APIRouter(prefix="/field-officers", tags=["field officers"])
Subject = Annotated[str, Path(min_length=1, max_length=100)]


@router.get("/{subject}", response_model=CoverageRead)
def get_coverage(subject: Subject, principal: AreaOfficer, sessions: SessionsDep) -> CoverageRead:
    with transaction(sessions) as session:
        codes = officers.coverage_of(session=session, principal=principal, subject=subject)
        return CoverageRead(subject=subject, kelurahan_codes=codes)


@router.put("/{subject}", response_model=CoverageRead)
def set_coverage(subject: Subject, body: CoverageWrite, principal: AreaOfficer,
                 sessions: SessionsDep) -> CoverageRead:
    """The kelurahan (inside the caller's area) this field officer covers; replaces the
    officer's coverage there and hands them the unassigned visits of those kelurahan."""
    with transaction(sessions) as session:
        codes = officers.set_coverage(session=session, principal=principal, subject=subject,
                                      kelurahan_codes=body.kelurahan_codes)
        return CoverageRead(subject=subject, kelurahan_codes=codes)
