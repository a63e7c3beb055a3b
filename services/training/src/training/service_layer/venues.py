"""Venues: where cohorts meet, with a capacity. Scoped by the venue's kelurahan: officers
create and see venues of their own area."""

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal
from berdaya_shared.areas import in_area
from berdaya_shared.errors import NotFound
from berdaya_shared.pagination import after, next_cursor

from ..adapters.tables import Venue
from ..domain.areas import check_kelurahan_code


@dataclass(frozen=True, kw_only=True)
class NewVenue:
    name: str
    address: str
    kelurahan_code: str
    capacity: int


def create_venue(*, session: Session, principal: Principal, venue: NewVenue) -> Venue:
    check_kelurahan_code(venue.kelurahan_code)
    principal.ensure_covers(venue.kelurahan_code, hide=False)
    row = Venue(name=venue.name, address=venue.address, kelurahan_code=venue.kelurahan_code,
                capacity=venue.capacity, created_by=principal.subject, created_at=datetime.now(UTC))
    session.add(row)
    session.flush()
    return row


def get_venue(*, session: Session, principal: Principal, venue_id: str,
              field: str = "venue_id") -> Venue:
    """The venue, or 404 naming ``field`` when it does not exist or lies outside the area."""
    venue = session.get(Venue, venue_id)
    if venue is None or not principal.covers(venue.kelurahan_code):
        raise NotFound("Tempat pelatihan ini tidak ada di wilayah Anda.",
                       en="No such venue in your area.", field=field)
    return venue


def list_venues(*, session: Session, principal: Principal, limit: int,
                cursor: str | None) -> tuple[list[Venue], str | None]:
    rows = list(session.exec(select(Venue).where(
        in_area(Venue.kelurahan_code, principal.area), after([Venue.id], cursor))
        .order_by(Venue.id).limit(limit)).all())
    return rows, next_cursor(rows, ["id"], limit)
