"""Starter kits (equipment such as alat masak) handed to graduates: once per graduate per
programme; a lost, returned or damaged kit is recorded with a reason, never deleted.

Locking (PostgreSQL; SQLite serialises writers already): issuing a kit locks the graduate's
roster entry (``get_for_update``) before it checks "graduated" and "no kit yet", so of two
simultaneous issues one stores the kit and the other gets a 409 naming ``participant_id``;
the unique key (participant, programme) is the last word. A status change locks the kit.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, col, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import Conflict, InvalidInput, NotFound
from berdaya_shared.events.training import KitItem
from berdaya_shared.pagination import area_page

from ..adapters.tables import Cohort, KitStatusChange, RosterEntry, StarterKit, Track
from ..domain import people as rules
from ..domain.model import RosterStatus
from ..domain.people import KitStatus
from ..messaging import outgoing_people
from .roster import locked_entry

_ISSUED_TWICE = ("Paket usaha untuk peserta ini pada program ini sudah diserahkan.",
                 "A starter kit has already been issued to this participant on this programme.")


@dataclass(frozen=True, kw_only=True)
class NewKit:
    participant_id: str
    programme_id: str
    kit_type: str | None  # None: the kit of the graduate's track
    items: list[KitItem] | None  # None: the track's items, without serial numbers
    handed_over_by: str
    handed_over_at: datetime
    acknowledged_by_name: str
    acknowledged_at: datetime


def _not_found() -> NotFound:
    return NotFound("Paket usaha ini tidak ada di wilayah Anda.",
                    en="No such starter kit in your area.", field="kit_id")


def issue_kit(*, session: Session, principal: Principal, kit: NewKit, source: str) -> StarterKit:
    now = datetime.now(UTC)
    rules.check_recorded_time(kit.handed_over_at, now, field="handed_over_at")
    rules.check_recorded_time(kit.acknowledged_at, now, field="acknowledged_at")
    rules.check_acknowledged_after_handover(kit.handed_over_at, kit.acknowledged_at)
    entry = locked_entry(session, participant_id=kit.participant_id, programme_id=kit.programme_id)
    if entry is None or not principal.covers(entry.kelurahan_code):
        raise NotFound("Peserta ini tidak ada di daftar program di wilayah Anda.",
                       en="This participant is not on the programme's roster in your area.",
                       field="participant_id")
    if entry.status != RosterStatus.GRADUATED:
        raise Conflict("Paket usaha hanya diserahkan kepada lulusan.",
                       en="A starter kit is issued to graduates only.", field="participant_id")
    if session.exec(select(StarterKit.id).where(
            StarterKit.participant_id == kit.participant_id,
            StarterKit.programme_id == kit.programme_id)).first() is not None:
        raise Conflict(_ISSUED_TWICE[0], en=_ISSUED_TWICE[1], field="participant_id")
    track = _track_of(session, entry)
    kit_type = rules.kit_type_for(asked=kit.kit_type, tracks_kit=track.kit_type if track else None)
    items = kit.items
    if items is None:
        if track is None or not track.kit_items:
            raise InvalidInput("Sebutkan isi paket: jalur pelatihan peserta tidak menentukannya.",
                               en="List the kit's items: the participant's track does not.",
                               field="items")
        items = [KitItem(name=name) for name in track.kit_items]
    row = StarterKit(participant_id=kit.participant_id, programme_id=kit.programme_id,
                     kelurahan_code=entry.kelurahan_code, kit_type=kit_type,
                     items=[item.model_dump() for item in items],
                     handed_over_by=kit.handed_over_by, handed_over_at=kit.handed_over_at,
                     acknowledged_by_name=kit.acknowledged_by_name,
                     acknowledged_at=kit.acknowledged_at, status=KitStatus.ISSUED,
                     recorded_by=principal.subject, recorded_at=now)
    with conflict_on_duplicate(session, field="participant_id", detail=_ISSUED_TWICE[0],
                               en=_ISSUED_TWICE[1]):
        session.add(row)
    outgoing_people.starter_kit_issued(session, row, entry, source=source)
    return row


def _track_of(session: Session, entry: RosterEntry) -> Track | None:
    """The track of the cohort the graduate was trained in, if it has one."""
    cohort = session.get(Cohort, entry.cohort_id) if entry.cohort_id else None
    if cohort is None or cohort.track_code is None:
        return None
    return session.exec(select(Track).where(Track.programme_id == cohort.programme_id,
                                            Track.code == cohort.track_code)).first()


def get_kit(*, session: Session, principal: Principal, kit_id: str,
            for_update: bool = False) -> StarterKit:
    """The kit, or 404 when it does not exist or its graduate lives outside the caller's area."""
    kit = get_for_update(session, StarterKit, kit_id) if for_update else session.get(StarterKit, kit_id)
    if kit is None or not principal.covers(kit.kelurahan_code):
        raise _not_found()
    return kit


def change_status(*, session: Session, principal: Principal, kit_id: str, status: KitStatus,
                  reason: str) -> StarterKit:
    """Record that a kit was lost, returned or damaged, with the reason (audited)."""
    kit = get_kit(session=session, principal=principal, kit_id=kit_id, for_update=True)
    rules.check_kit_change(kit.status, status)
    session.add(KitStatusChange(kit_id=kit.id, old_status=kit.status, new_status=status,
                                reason=reason, changed_by=principal.subject,
                                changed_at=datetime.now(UTC)))
    kit.status = status
    session.add(kit)
    return kit


def history(*, session: Session, kit_id: str) -> list[KitStatusChange]:
    return list(session.exec(select(KitStatusChange).where(KitStatusChange.kit_id == kit_id)
                             .order_by(col(KitStatusChange.changed_at), col(KitStatusChange.id)))
                .all())


def list_kits(*, session: Session, principal: Principal, participant_id: str | None,
              programme_id: str | None, limit: int,
              cursor: str | None) -> tuple[list[StarterKit], str | None]:
    filters = []
    if participant_id:
        filters.append(StarterKit.participant_id == participant_id)
    if programme_id:
        filters.append(StarterKit.programme_id == programme_id)
    rows, next_cursor = area_page(session, StarterKit, area=principal.area, limit=limit,
                                  cursor=cursor, filters=filters)
    return list(rows), next_cursor
