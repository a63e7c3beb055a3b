"""Trainers and mentors: people of training, kept by area.

Each use case runs inside the caller's transaction (``session``). A person is visible to and
managed by the officers whose area covers the person's area (outside it: 404 on reads, 403
when a write names an area outside the caller's). Phones are stored in E.164 (+62) form;
areas are Kemendagri codes checked against the shared gazetteer. ``user_subject`` (the
``sub`` of the person's login token) is unique: the unique key is the last word when two
officers record the same login at once (409 naming ``user_subject``).
"""

from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import Session, select

from berdaya_shared.api.auth import Principal, in_area
from berdaya_shared.db import conflict_on_duplicate, get_for_update
from berdaya_shared.errors import Conflict, InvalidInput, NotFound
from berdaya_shared.gazetteer import PROVINCE_CODE, Gazetteer
from berdaya_shared.pagination import after, next_cursor
from berdaya_shared.phone import normalise_phone

from ..adapters.tables import Person
from ..domain.people import PersonKind


@dataclass(frozen=True, kw_only=True)
class NewPerson:
    kind: PersonKind
    full_name: str
    organisation: str
    phone: str
    area_code: str
    user_subject: str | None = None
    max_caseload: int | None = None  # mentors only; None: the service's default


@dataclass(frozen=True, kw_only=True)
class PersonChanges:
    """A correction; a field left ``None`` keeps its value (the kind never changes)."""

    full_name: str | None = None
    organisation: str | None = None
    phone: str | None = None
    area_code: str | None = None
    user_subject: str | None = None
    max_caseload: int | None = None


def _not_found(field: str = "person_id") -> NotFound:
    return NotFound("Pelatih atau pendamping ini tidak ada di wilayah Anda.",
                    en="No such trainer or mentor in your area.", field=field)


def _check_area(code: str) -> str:
    if code != PROVINCE_CODE and Gazetteer.load().get(code) is None:
        raise InvalidInput(f"'{code}' bukan kode wilayah Kemendagri di DKI Jakarta.",
                           en=f"'{code}' is not a Kemendagri area code in DKI Jakarta.",
                           field="area_code")
    return code


def _check_caseload_field(kind: str, max_caseload: int | None) -> None:
    if kind != PersonKind.MENTOR and max_caseload is not None:
        raise InvalidInput("Hanya pendamping yang memiliki batas jumlah dampingan.",
                           en="Only a mentor has a caseload cap.", field="max_caseload")


def _unique_subject(session: Session) -> AbstractContextManager[None]:
    return conflict_on_duplicate(session, field="user_subject",
                                 detail="Akun login ini sudah dipakai orang lain.",
                                 en="This login is already linked to someone else.")


def _check_subject_free(session: Session, subject: str | None, person_id: str | None) -> None:
    if subject is None:
        return
    holder = session.exec(select(Person.id).where(Person.user_subject == subject)).first()
    if holder is not None and holder != person_id:
        raise Conflict("Akun login ini sudah dipakai orang lain.",
                       en="This login is already linked to someone else.", field="user_subject")


def create_person(*, session: Session, principal: Principal, person: NewPerson,
                  default_caseload: int) -> Person:
    principal.ensure_covers(_check_area(person.area_code), hide=False)
    _check_caseload_field(person.kind, person.max_caseload)
    caseload = None
    if person.kind == PersonKind.MENTOR:
        caseload = person.max_caseload if person.max_caseload is not None else default_caseload
    _check_subject_free(session, person.user_subject, None)
    row = Person(kind=person.kind, full_name=person.full_name, organisation=person.organisation,
                 phone=normalise_phone(person.phone, field="phone"), area_code=person.area_code,
                 user_subject=person.user_subject, max_caseload=caseload,
                 created_by=principal.subject, created_at=datetime.now(UTC))
    with _unique_subject(session):
        session.add(row)
    return row


def get_person(*, session: Session, principal: Principal, person_id: str,
               for_update: bool = False, field: str = "person_id") -> Person:
    """The person, or 404 when they do not exist or lie outside the caller's area."""
    person = (get_for_update(session, Person, person_id) if for_update
              else session.get(Person, person_id))
    if person is None or not principal.covers(person.area_code):
        raise _not_found(field)
    return person


def get_by_subject(*, session: Session, subject: str) -> Person | None:
    """The person a login token's ``sub`` belongs to (a trainer seeing their own cohorts)."""
    return session.exec(select(Person).where(Person.user_subject == subject)).first()


def update_person(*, session: Session, principal: Principal, person_id: str,
                  changes: PersonChanges) -> Person:
    person = get_person(session=session, principal=principal, person_id=person_id, for_update=True)
    if changes.area_code is not None:
        principal.ensure_covers(_check_area(changes.area_code), hide=False)
        person.area_code = changes.area_code
    _check_caseload_field(person.kind, changes.max_caseload)
    if changes.max_caseload is not None:
        person.max_caseload = changes.max_caseload
    if changes.phone is not None:
        person.phone = normalise_phone(changes.phone, field="phone")
    if changes.full_name is not None:
        person.full_name = changes.full_name
    if changes.organisation is not None:
        person.organisation = changes.organisation
    if changes.user_subject is not None:
        _check_subject_free(session, changes.user_subject, person.id)
        person.user_subject = changes.user_subject
    person.updated_by, person.updated_at = principal.subject, datetime.now(UTC)
    with _unique_subject(session):
        session.add(person)
    return person


def list_people(*, session: Session, principal: Principal, kind: PersonKind | None, limit: int,
                cursor: str | None) -> tuple[list[Person], str | None]:
    """One page of the people in the caller's area, in id order (keyset cursor)."""
    query = select(Person).where(in_area(Person.area_code, principal.area),
                                 after([Person.id], cursor))
    if kind is not None:
        query = query.where(Person.kind == kind)
    rows = list(session.exec(query.order_by(Person.id).limit(limit)).all())
    return rows, next_cursor(rows, ["id"], limit)
