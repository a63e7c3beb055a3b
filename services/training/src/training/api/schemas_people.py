"""Request and response bodies for trainers, mentors, mentor assignment and starter kits.

Every string is bounded by the column it lands in (ids 36, names 200, phone 20 before
normalising is allowed 30 for spaces and dashes, reasons 500)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field

from berdaya_shared.api.types import PositiveInt32
from berdaya_shared.events.training import KitItem

from ..domain.people import KitStatus, PersonKind

AREA_PATTERN = r"^31(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$"
Id = Annotated[str, Field(min_length=1, max_length=36)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
Phone = Annotated[str, Field(min_length=1, max_length=30, description="Indonesian number; "
                                                                      "stored as +62...")]
Area = Annotated[str, Field(max_length=13, pattern=AREA_PATTERN,
                            description="Kemendagri code: 31, kota, kecamatan or kelurahan")]
Subject = Annotated[str, Field(min_length=1, max_length=100,
                               description="the `sub` of the person's login token")]
Caseload = Annotated[PositiveInt32, Field(le=1000)]


class PersonCreate(BaseModel):
    kind: PersonKind
    full_name: Name
    organisation: Name = Field(description='e.g. "OK OCE", "Sudin UMKM Jakarta Selatan"')
    phone: Phone
    area_code: Area
    user_subject: Subject | None = None
    max_caseload: Caseload | None = Field(
        default=None, description="mentors only; default TRAINING_MENTOR_MAX_CASELOAD")


class PersonUpdate(BaseModel):
    """Fields left out (or null) keep their value."""

    full_name: Name | None = None
    organisation: Name | None = None
    phone: Phone | None = None
    area_code: Area | None = None
    user_subject: Subject | None = None
    max_caseload: Caseload | None = None


class PersonRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    kind: PersonKind
    full_name: str
    organisation: str
    phone: str
    area_code: str
    user_subject: str | None
    max_caseload: int | None
    created_by: str
    created_at: datetime
    updated_by: str | None
    updated_at: datetime | None


class PeoplePage(BaseModel):
    items: list[PersonRead]
    next_cursor: str | None


class MentorAssignmentIn(BaseModel):
    programme_id: Id
    participant_ids: list[Id] = Field(min_length=1, max_length=500)


class AssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    mentor_id: str
    participant_id: str
    programme_id: str
    assigned_by: str
    assigned_at: datetime
    ended_by: str | None
    ended_at: datetime | None


class KitItemIn(BaseModel):
    name: Name
    quantity: Annotated[PositiveInt32, Field(le=1000)] = 1
    serial_number: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    asset_number: Annotated[str, Field(min_length=1, max_length=100)] | None = None

    def as_item(self) -> KitItem:
        return KitItem(name=self.name, quantity=self.quantity, serial_number=self.serial_number,
                       asset_number=self.asset_number)


class KitIssue(BaseModel):
    participant_id: Id
    programme_id: Id
    kit_type: Annotated[str, Field(min_length=1, max_length=100)] | None = Field(
        default=None, description="left out: the kit of the graduate's track")
    items: list[KitItemIn] | None = Field(
        default=None, min_length=1, max_length=50,
        description="left out: the track's items (without serial or asset numbers)")
    handed_over_by: Name = Field(description="who handed the kit over (name)")
    handed_over_at: AwareDatetime
    acknowledged_by_name: Name = Field(description="the graduate's name as signed")
    acknowledged_at: AwareDatetime


class KitStatusIn(BaseModel):
    status: Literal[KitStatus.LOST, KitStatus.RETURNED, KitStatus.DAMAGED]
    reason: Annotated[str, Field(min_length=1, max_length=500)]


class KitStatusChangeRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    old_status: KitStatus
    new_status: KitStatus
    reason: str
    changed_by: str
    changed_at: datetime


class KitRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: str
    participant_id: str
    programme_id: str
    kelurahan_code: str
    kit_type: str
    items: list[KitItem]
    handed_over_by: str
    handed_over_at: datetime
    acknowledged_by_name: str
    acknowledged_at: datetime
    status: KitStatus
    recorded_by: str
    recorded_at: datetime
    history: list[KitStatusChangeRead] = []


class KitPage(BaseModel):
    items: list[KitRead]
    next_cursor: str | None
