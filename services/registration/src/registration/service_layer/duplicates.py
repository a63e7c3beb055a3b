"""An officer's decision on a possible duplicate. Nothing is merged automatically."""

from datetime import UTC, datetime

from sqlmodel import Session

from berdaya_shared.api.auth import Principal
from berdaya_shared.errors import Conflict, NotFound

from ..adapters.tables import DuplicateFlag


def resolve(*, session: Session, principal: Principal, flag_id: str, decision: str) -> DuplicateFlag:
    flag = session.get(DuplicateFlag, flag_id)
    if flag is None or not principal.covers(flag.kelurahan_code):
        raise NotFound("No such duplicate flag in your area.", field="flag_id")
    if flag.status != "open":
        raise Conflict(f"Already reviewed: {flag.status}.", field="decision")
    flag.status, flag.reviewed_by, flag.reviewed_at = decision, principal.subject, datetime.now(UTC)
    session.add(flag)
    return flag
