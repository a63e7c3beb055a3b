"""Keep a consumer's copy of a participant (name, phone, area) in step with registration.

Training, monitoring and marketplace each keep the few personal fields they need, copied from
events (event-carried state). ``ParticipantUpdated`` refreshes those copies.
"""

from typing import Any

from sqlmodel import Session, select

from ..events.registration import ParticipantUpdated

AREA = ("kelurahan_code", "kecamatan_code", "kota_code")


def refresh_participant(session: Session, model: Any, update: ParticipantUpdated, *,
                        name_column: str = "full_name") -> int:
    """Apply ``update`` to every ``model`` row of the participant; returns how many changed."""
    rows = session.exec(select(model).where(model.participant_id == update.participant_id)).all()
    for row in rows:
        setattr(row, name_column, update.full_name)
        row.phone = update.phone
        for column in AREA:
            if hasattr(row, column):
                setattr(row, column, getattr(update, column))
        session.add(row)
    return len(rows)
