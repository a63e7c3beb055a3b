"""An officer's decision on a possible duplicate. Nothing is merged automatically.

The flag is read locked (``get_for_update``) before its status is checked: two officers
deciding at once decide one after the other, and the second is told it is already reviewed.
A record confirmed as a duplicate cannot apply, be verified or take a freed seat
(applications.py); an application already enrolled stays until an officer withdraws it.
"""

from datetime import UTC, datetime

from sqlmodel import Session

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import get_for_update
from berdaya_shared.errors import Conflict, NotFound

from ..adapters.tables import DuplicateFlag
from ..domain.status import DUPLICATE_STATUS_ID, DuplicateStatus


def resolve(*, session: Session, principal: Principal, flag_id: str, decision: str) -> DuplicateFlag:
    flag = get_for_update(session, DuplicateFlag, flag_id)
    if flag is None or not principal.covers(flag.kelurahan_code):
        raise NotFound("Tanda duplikat ini tidak ada di wilayah Anda.",
                       en="No such duplicate flag in your area.", field="flag_id")
    if flag.status != DuplicateStatus.OPEN:
        raise Conflict(f"Sudah ditinjau: {DUPLICATE_STATUS_ID.get(flag.status, flag.status)}.",
                       en=f"Already reviewed: {flag.status}.", field="decision")
    flag.status, flag.reviewed_by, flag.reviewed_at = decision, principal.subject, datetime.now(UTC)
    session.add(flag)
    return flag
