"""Domain changes -> integration events, enqueued in the outbox of the same transaction."""

from datetime import datetime

from sqlmodel import Session

from berdaya_shared.events import new_event
from berdaya_shared.events.training import ParticipantGraduated
from berdaya_shared.outbox import enqueue

from ..adapters.tables import Cohort, RosterEntry, outbox


def participant_graduated(session: Session, entry: RosterEntry, cohort: Cohort, rate: float, *,
                          graduated_at: datetime, source: str) -> None:
    payload = ParticipantGraduated(
        participant_id=entry.participant_id, cohort_id=cohort.id, programme_id=entry.programme_id,
        programme_code=entry.programme_code, track=entry.track, full_name=entry.full_name,
        phone=entry.phone, baseline_business=entry.baseline_business,
        baseline_monthly_income=entry.baseline_monthly_income, attendance_rate=round(rate, 3),
        graduated_at=graduated_at, kelurahan_code=entry.kelurahan_code,
        kecamatan_code=entry.kecamatan_code, kota_code=entry.kota_code)
    enqueue(session, outbox, new_event(payload, subject=entry.participant_id, source=source))
