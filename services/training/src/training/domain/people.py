"""Rules for trainers, mentors and starter kits, free of I/O."""

from datetime import UTC, datetime
from enum import StrEnum

from berdaya_shared.errors import Conflict, InvalidInput


class PersonKind(StrEnum):
    """What a person of training does (the value never changes after creation)."""

    TRAINER = "trainer"
    MENTOR = "mentor"


class KitStatus(StrEnum):
    """Where an issued kit stands; changed only by the service layer, each change audited."""

    ISSUED = "issued"
    LOST = "lost"
    RETURNED = "returned"
    DAMAGED = "damaged"


_KIT_STATUS_ID: dict[str, str] = {KitStatus.ISSUED: "diserahkan", KitStatus.LOST: "hilang",
                  KitStatus.RETURNED: "dikembalikan", KitStatus.DAMAGED: "rusak"}
# A lost or returned kit has left the graduate for good; a damaged one may still be lost or
# returned afterwards.
_KIT_NEXT: dict[str, frozenset[KitStatus]] = {
    KitStatus.ISSUED: frozenset({KitStatus.LOST, KitStatus.RETURNED, KitStatus.DAMAGED}),
    KitStatus.DAMAGED: frozenset({KitStatus.LOST, KitStatus.RETURNED}),
    KitStatus.LOST: frozenset(),
    KitStatus.RETURNED: frozenset(),
}


def kit_status_in_bahasa(status: str) -> str:
    return _KIT_STATUS_ID.get(status, status)


def check_kit_change(current: str, new: str) -> None:
    """A kit's status moves forward only: issued -> lost / returned / damaged, damaged -> lost /
    returned; a lost or returned kit stays so (409 naming ``status``)."""
    if new not in _KIT_NEXT.get(current, frozenset()):
        raise Conflict(f"Paket berstatus {kit_status_in_bahasa(current)} tidak dapat diubah menjadi "
                       f"{kit_status_in_bahasa(new)}.",
                       en=f"A {current} kit cannot become {new}.", field="status")


def check_caseload(*, current: int, adding: int, cap: int) -> None:
    """A mentor accompanies at most ``cap`` participants at once (409 naming ``participant_ids``)."""
    if current + adding > cap:
        free = max(cap - current, 0)
        raise Conflict(f"Pendamping ini sudah mendampingi {current} dari paling banyak {cap} "
                       f"peserta; sisa tempat {free}, diminta {adding}.",
                       en=f"This mentor already has {current} of at most {cap} participants; "
                          f"{free} places left, {adding} asked.",
                       field="participant_ids", caseload=current, max_caseload=cap)


EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)  # before any programme Berdaya records


def check_recorded_time(moment: datetime, now: datetime, *, field: str) -> None:
    """A handover or acknowledgement lies between 2000 and now (which also keeps a far-off
    date with an offset from overflowing when it is stored in UTC)."""
    if moment > now:
        raise InvalidInput("Waktu tidak boleh di masa depan.", en="The time cannot be in the future.",
                           field=field)
    if moment < EARLIEST:
        raise InvalidInput("Waktu tidak boleh sebelum tahun 2000.",
                           en="The time cannot be before 2000.", field=field)


def check_acknowledged_after_handover(handed_over_at: datetime, acknowledged_at: datetime) -> None:
    if acknowledged_at < handed_over_at:
        raise InvalidInput("Tanda terima tidak boleh sebelum penyerahan.",
                           en="The acknowledgement cannot precede the handover.",
                           field="acknowledged_at")


def kit_type_for(*, asked: str | None, tracks_kit: str | None) -> str:
    """The kit a graduate receives is the one their track hands out: given, it must match
    (409 naming ``kit_type``); left out, it is the track's; with no track, it must be given."""
    if asked is None and tracks_kit is None:
        raise InvalidInput("Sebutkan jenis paket: jalur pelatihan peserta tidak menentukannya.",
                           en="Give the kit type: the participant's track does not set one.",
                           field="kit_type")
    if asked is not None and tracks_kit is not None and asked != tracks_kit:
        raise Conflict(f"Jalur pelatihan peserta ini menyerahkan paket '{tracks_kit}', bukan "
                       f"'{asked}'.", en=f"This participant's track hands out '{tracks_kit}', "
                                         f"not '{asked}'.", field="kit_type")
    return asked if asked is not None else str(tracks_kit)


def is_stale(happened_at: datetime, last_applied_at: datetime | None) -> bool:
    """Registration news older than the latest applied for the same participant and programme
    is ignored (equal times are applied: the order within one instant is unknown)."""
    return last_applied_at is not None and happened_at < last_applied_at
