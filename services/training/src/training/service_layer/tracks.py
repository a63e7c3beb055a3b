"""A programme's tracks: code, name, hours, starter kit and graduation rule, as data.

Tracks are managed by city admins. A programme is one training knows: one with enrolments on
its roster (registration owns programmes; training learns of them only through enrolments).
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.db import conflict_on_duplicate
from berdaya_shared.errors import Conflict, InvalidInput

from ..adapters.tables import RosterEntry, Track
from ..domain.graduation import Rule


@dataclass(frozen=True, kw_only=True)
class NewTrack:
    code: str
    name: str
    hours: int
    kit_type: str
    kit_items: list[str]
    min_attendance_share: float
    min_score: int


def check_programme_known(session: Session, programme_id: str) -> None:
    """422 naming ``programme_id`` unless training has seen enrolments for the programme."""
    seen = session.exec(select(RosterEntry.id).where(
        RosterEntry.programme_id == programme_id).limit(1)).first()
    if seen is None:
        raise InvalidInput("Program ini belum dikenal oleh layanan pelatihan (belum ada peserta "
                           "yang terdaftar).",
                           en="Training knows no such programme (no enrolments yet).",
                           field="programme_id")


def create_track(*, session: Session, principal: Principal, programme_id: str,
                 track: NewTrack) -> Track:
    check_programme_known(session, programme_id)
    if get_track(session=session, programme_id=programme_id, code=track.code) is not None:
        raise Conflict("Kode jalur pelatihan ini sudah ada di program ini.",
                       en="This track code already exists in the programme.", field="code")
    row = Track(programme_id=programme_id, code=track.code, name=track.name, hours=track.hours,
                kit_type=track.kit_type, kit_items=list(track.kit_items),
                min_attendance_share=track.min_attendance_share, min_score=track.min_score,
                created_by=principal.subject, created_at=datetime.now(UTC))
    with conflict_on_duplicate(session, field="code",
                               detail="Kode jalur pelatihan ini sudah ada di program ini.",
                               en="This track code already exists in the programme."):
        session.add(row)
    return row


def list_tracks(*, session: Session, programme_id: str) -> list[Track]:
    return list(session.exec(select(Track).where(Track.programme_id == programme_id)
                             .order_by(Track.code)).all())


def get_track(*, session: Session, programme_id: str, code: str) -> Track | None:
    return session.exec(select(Track).where(Track.programme_id == programme_id,
                                            Track.code == code)).first()


def track_of_cohort(session: Session, *, programme_id: str, code: str) -> Track:
    """The cohort's track, or 422 naming ``track_code`` when the programme has no such track."""
    track = get_track(session=session, programme_id=programme_id, code=code)
    if track is None:
        raise InvalidInput("Jalur pelatihan ini tidak ada di program kelompok ini.",
                           en="No such track in the cohort's programme.", field="track_code")
    return track


def rule_of(track: Track) -> Rule:
    return Rule(min_attendance_share=track.min_attendance_share, min_score=track.min_score)
