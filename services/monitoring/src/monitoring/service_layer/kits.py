"""Starter kits as training announced them, and the state visits find them in.

A kit is keyed by training's kit id, so a redelivered StarterKitIssued changes nothing; it
needs no plan (the kit may be announced before or after the graduation)."""

from datetime import date, datetime

from sqlmodel import Session, col, select

from berdaya_shared.db import conflict_on_duplicate

from ..adapters.tables import StarterKit


def add_kit(*, session: Session, kit_id: str, participant_id: str, programme_id: str,
            kit_type: str, items: list[dict[str, object]], kelurahan_code: str,
            issued_at: datetime) -> StarterKit:
    existing = session.get(StarterKit, kit_id)
    if existing is not None:
        return existing
    row = StarterKit(kit_id=kit_id, participant_id=participant_id, programme_id=programme_id,
                     kit_type=kit_type[:200], items=items, kelurahan_code=kelurahan_code,
                     issued_at=issued_at)
    with conflict_on_duplicate(session, field="kit_id",
                               detail="Paket usaha ini sudah tercatat.",
                               en="This starter kit is already recorded."):
        session.add(row)
    return row


def kit_seen(*, session: Session, participant_id: str, programme_id: str, state: str,
             seen_on: date) -> None:
    """A visit saw the graduate's kit(s) of this programme in ``state``; an older visit
    recorded late does not overwrite a newer sighting."""
    for kit in session.exec(select(StarterKit).where(
            StarterKit.participant_id == participant_id,
            StarterKit.programme_id == programme_id).with_for_update()
            .order_by(col(StarterKit.kit_id))).all():
        if kit.state_seen_on is None or kit.state_seen_on <= seen_on:
            kit.state, kit.state_seen_on = state, seen_on
            session.add(kit)
