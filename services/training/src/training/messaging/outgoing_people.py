"""Mentor assignments and starter kits -> integration events, enqueued in the outbox of the
same transaction (one function per event type). No NIK/KK, no mentor phone."""

from sqlmodel import Session

from berdaya_shared.events import EventPayload, new_event
from berdaya_shared.events.training import KitItem, MentorAssigned, StarterKitIssued
from berdaya_shared.outbox import enqueue

from ..adapters.tables import MentorAssignment, Person, RosterEntry, StarterKit, outbox


def mentor_assigned(session: Session, assignment: MentorAssignment, mentor: Person,
                    entry: RosterEntry, *, previous_mentor_id: str | None, source: str) -> None:
    _publish(session, MentorAssigned(
        participant_id=assignment.participant_id, programme_id=assignment.programme_id,
        mentor_id=mentor.id, mentor_name=mentor.full_name, mentor_organisation=mentor.organisation,
        previous_mentor_id=previous_mentor_id, assigned_by=assignment.assigned_by,
        assigned_at=assignment.assigned_at, kelurahan_code=entry.kelurahan_code,
        kecamatan_code=entry.kecamatan_code, kota_code=entry.kota_code),
        subject=assignment.participant_id, source=source)


def starter_kit_issued(session: Session, kit: StarterKit, entry: RosterEntry, *,
                       source: str) -> None:
    _publish(session, StarterKitIssued(
        kit_id=kit.id, participant_id=kit.participant_id, programme_id=kit.programme_id,
        kit_type=kit.kit_type, items=[KitItem.model_validate(item) for item in kit.items],
        issued_at=kit.handed_over_at, acknowledged_at=kit.acknowledged_at,
        kelurahan_code=entry.kelurahan_code, kecamatan_code=entry.kecamatan_code,
        kota_code=entry.kota_code), subject=kit.participant_id, source=source)


def _publish(session: Session, payload: EventPayload, *, subject: str, source: str) -> None:
    enqueue(session, outbox, new_event(payload, subject=subject, source=source))
