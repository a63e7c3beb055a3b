"""Bazaars (local market events) and their booth allocation, free of I/O.

The allocation rule (``allocate``), written out in docs/decisions.md (## Marketplace):

1. When the applicants fit in the booths, every applicant gets one.
2. Otherwise each kelurahan gets a quota of booths in proportion to its applicants (largest
   remainder; equal remainders go by the seeded draw of the kelurahan codes).
3. Applicants are ordered by: fewer booths held in the twelve months before the event first;
   then, when the event lies outside the Lebaran/Natal weeks, sellers monitoring calls
   ``seasonal`` first (to help them sell all year); then the seeded draw.
4. In that order, an applicant gets a booth while their kelurahan's quota lasts; the others
   form the waiting list in the same order. A withdrawn booth passes to the first in line.

The draw is ``sha256("<seed>:<seller id>")``: the seed is stored on the event, so anyone can
recompute the same allocation from the stored inputs.
"""

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from berdaya_shared.errors import Conflict, InvalidInput

from .model import SellerStatus, status_id

MAX_EVENT_DAYS = 31  # a bazaar lasts a day to a month
MAX_BOOTHS = 1000
HISTORY_DAYS = 365  # "the last twelve months" before the event's first day
EARLIEST, LATEST = date(2020, 1, 1), date(2099, 12, 31)
SEASONAL = "seasonal"  # monitoring's business status of a seller who sells only in season


class MarketEventStatus(StrEnum):
    """A bazaar takes applications while ``open``; the organiser's allocation closes it."""

    OPEN = "open"
    ALLOCATED = "allocated"


class ApplicationStatus(StrEnum):
    """An application waits (``applied``) until the allocation gives it a booth
    (``allocated``) or a place in line (``waitlisted``); ``withdrawn`` gives the booth back."""

    APPLIED = "applied"
    ALLOCATED = "allocated"
    WAITLISTED = "waitlisted"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True, kw_only=True)
class NewBazaar:
    """A bazaar as its organiser describes it."""

    name: str
    area_code: str  # a kota, kecamatan or kelurahan: whose sellers may apply
    starts_on: date
    ends_on: date
    venue: str
    booths: int
    categories: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Applicant:
    """What the rule knows of one applicant (stored on the application for audit)."""

    seller_id: str
    kelurahan_code: str
    booths_last_year: int
    seasonal: bool


@dataclass(frozen=True, kw_only=True)
class Placement:
    """The rule's answer for one applicant: a booth or a place in line, and why."""

    seller_id: str
    allocated: bool
    rank: int  # 1.. : the booth holders in order, then the waiting list
    draw: int  # the applicant's number in the seeded draw (1 = first)
    reason: str  # Bahasa Indonesia, for the officer to explain
    reason_en: str


def check_dates(starts_on: date, ends_on: date) -> None:
    if not EARLIEST <= starts_on <= LATEST:
        raise InvalidInput(f"Tanggal mulai harus antara {EARLIEST} dan {LATEST}.",
                           en=f"The first day must be between {EARLIEST} and {LATEST}.",
                           field="starts_on")
    if ends_on < starts_on or (ends_on - starts_on).days >= MAX_EVENT_DAYS:
        raise InvalidInput(f"Tanggal selesai harus pada atau setelah tanggal mulai, paling lama "
                           f"{MAX_EVENT_DAYS} hari.",
                           en=f"The last day must be on or after the first, at most "
                              f"{MAX_EVENT_DAYS} days in all.", field="ends_on")


def history_starts(starts_on: date) -> date:
    """The first day of the twelve months whose booths count against an applicant."""
    return starts_on - timedelta(days=HISTORY_DAYS)


def check_open(status: str) -> None:
    if status != MarketEventStatus.OPEN:
        raise Conflict("Stand bazar ini sudah dialokasikan: pendaftaran dan alokasi ditutup.",
                       en="This bazaar's booths are already allocated: applications and "
                          "allocation are closed.", field="event_id")


def check_allocated(status: str) -> None:
    if status != MarketEventStatus.ALLOCATED:
        raise Conflict("Stand bazar ini belum dialokasikan.",
                       en="This bazaar's booths are not allocated yet.", field="event_id")


def check_may_apply(*, seller_status: str, seller_kelurahan: str, event_area: str,
                    categories: list[str], seller_categories: set[str]) -> None:
    """Only an active seller of the bazaar's area (selling in one of its categories, when it
    names some) may apply."""
    if seller_status != SellerStatus.ACTIVE:
        raise Conflict(f"Penjual ini berstatus {status_id(seller_status)}: hanya penjual aktif "
                       "yang dapat mendaftar bazar.",
                       en=f"This seller is {seller_status}: only an active seller may apply.",
                       field="seller_id")
    if not (seller_kelurahan == event_area or seller_kelurahan.startswith(event_area + ".")):
        raise InvalidInput(f"Penjual ini berjualan di luar wilayah bazar ({event_area}).",
                           en=f"This seller sells outside the bazaar's area ({event_area}).",
                           field="seller_id")
    if categories and not seller_categories.intersection(categories):
        raise InvalidInput("Penjual ini tidak punya produk tersedia dalam kategori bazar: "
                           f"{', '.join(categories)}.",
                           en="This seller has no available product in the bazaar's "
                              f"categories: {', '.join(categories)}.", field="seller_id")


def check_may_withdraw(status: str, *, ends_on: date, today: date) -> None:
    """An application is given up once, and not after the bazaar's last day (its booth was
    used, or not: there is no one left to pass it to)."""
    if status == ApplicationStatus.WITHDRAWN:
        raise Conflict("Pendaftaran ini sudah dibatalkan.",
                       en="This application is already withdrawn.", field="application_id")
    if today > ends_on:
        raise Conflict(f"Bazar ini sudah selesai pada {ends_on}: pendaftaran tidak dapat "
                       "dibatalkan lagi.",
                       en=f"This bazaar ended on {ends_on}: an application can no longer be "
                          "withdrawn.", field="application_id")


def check_sale(*, holds_booth: bool, sold_on: date, starts_on: date, ends_on: date,
               today: date) -> None:
    """A bazaar sale is recorded for a booth holder, on a day of the bazaar, not in the
    future."""
    if not holds_booth:
        raise Conflict("Penjual ini tidak memegang stand di bazar ini.",
                       en="This seller holds no booth at this bazaar.", field="seller_id")
    if not starts_on <= sold_on <= ends_on:
        raise InvalidInput(f"Tanggal penjualan harus di antara {starts_on} dan {ends_on}.",
                           en=f"The sale's date must be between {starts_on} and {ends_on}.",
                           field="sold_on")
    if sold_on > today:
        raise InvalidInput("Tanggal penjualan belum terjadi.", en="The sale's date is in the "
                           "future.", field="sold_on")


def _draw_key(seed: str, value: str) -> str:
    return hashlib.sha256(f"{seed}:{value}".encode()).hexdigest()


def draw_numbers(seed: str, values: list[str]) -> dict[str, int]:
    """Each value's number in the seeded draw (1 = first)."""
    ordered = sorted(values, key=lambda v: (_draw_key(seed, v), v))
    return {value: number for number, value in enumerate(ordered, start=1)}


def kelurahan_quotas(counts: dict[str, int], *, booths: int, seed: str) -> dict[str, int]:
    """Booths per kelurahan in proportion to its applicants (largest remainder). All exact
    shares ``booths * n / total`` have the same denominator, so the remainders compare as
    integers; equal remainders go by the seeded draw of the kelurahan codes."""
    total = sum(counts.values())
    if booths >= total:
        return dict(counts)
    quotas = {k: booths * n // total for k, n in counts.items()}
    draws = draw_numbers(seed, list(counts))
    by_remainder = sorted(counts, key=lambda k: (-(booths * counts[k] % total), draws[k]))
    for kelurahan in by_remainder[:booths - sum(quotas.values())]:
        quotas[kelurahan] += 1
    return quotas


def priority(applicant: Applicant, *, off_season: bool, draw: int) -> tuple[int, int, int]:
    """Smaller comes first: booths in the last twelve months, seasonal priority, draw."""
    return (applicant.booths_last_year, 0 if off_season and applicant.seasonal else 1, draw)


def allocate(applicants: list[Applicant], *, booths: int, seed: str,
             off_season: bool) -> list[Placement]:
    """The allocation by the rule above, booth holders first (by rank), then the waiting
    list. Deterministic: the same applicants, booths, seed and season give the same answer."""
    draws = draw_numbers(seed, [a.seller_id for a in applicants])
    ordered = sorted(applicants, key=lambda a: priority(a, off_season=off_season,
                                                        draw=draws[a.seller_id]))
    counts: dict[str, int] = {}
    for a in applicants:
        counts[a.kelurahan_code] = counts.get(a.kelurahan_code, 0) + 1
    quotas = kelurahan_quotas(counts, booths=booths, seed=seed)
    crowded = len(applicants) > booths
    taken = dict.fromkeys(counts, 0)
    holders: list[tuple[Applicant, int]] = []
    waiting: list[tuple[Applicant, int]] = []
    for applicant in ordered:
        taken[applicant.kelurahan_code] += 1
        position = taken[applicant.kelurahan_code]
        (holders if position <= quotas[applicant.kelurahan_code] else waiting).append(
            (applicant, position))
    placements = []
    for rank, (applicant, position) in enumerate(holders + waiting, start=1):
        k = applicant.kelurahan_code
        why, why_en = _reasons(applicant, off_season=off_season, draw=draws[applicant.seller_id])
        allocated = rank <= len(holders)
        if not crowded:
            reason = (f"Mendapat stand: {len(applicants)} pelamar untuk {booths} stand, "
                      "semua mendapat stand.")
            reason_en = (f"Booth given: {len(applicants)} applicants for {booths} booths, "
                         "all get one.")
        elif len(counts) == 1:  # one kelurahan: no quotas to explain
            place = f"urutan {position} dari {len(applicants)} pelamar untuk {booths} stand"
            place_en = f"place {position} of {len(applicants)} applicants for {booths} booths"
            if allocated:
                reason, reason_en = (f"Mendapat stand: {place}; {why}.",
                                     f"Booth given: {place_en}; {why_en}.")
            else:
                line = rank - len(holders)
                reason = f"Daftar tunggu nomor {line}: {place}; {why}."
                reason_en = f"Waiting list number {line}: {place_en}; {why_en}."
        else:
            share = (f"kuota Kelurahan {k} {quotas[k]} stand (sebanding dengan {counts[k]} dari "
                     f"{len(applicants)} pelamar)")
            share_en = (f"kelurahan {k}'s quota is {quotas[k]} booths (in proportion to "
                        f"{counts[k]} of {len(applicants)} applicants)")
            if allocated:
                reason = f"Mendapat stand: urutan {position} di kelurahannya, {share}; {why}."
                reason_en = f"Booth given: place {position} in their kelurahan, {share_en}; " \
                            f"{why_en}."
            else:
                line = rank - len(holders)
                reason = (f"Daftar tunggu nomor {line}: urutan {position} di kelurahannya, "
                          f"{share} sudah terisi; {why}.")
                reason_en = (f"Waiting list number {line}: place {position} in their kelurahan, "
                             f"{share_en} is filled; {why_en}.")
        placements.append(Placement(seller_id=applicant.seller_id, allocated=allocated,
                                    rank=rank, draw=draws[applicant.seller_id], reason=reason,
                                    reason_en=reason_en))
    return placements


def _reasons(applicant: Applicant, *, off_season: bool, draw: int) -> tuple[str, str]:
    parts = [f"{applicant.booths_last_year} stand dalam 12 bulan terakhir"]
    parts_en = [f"{applicant.booths_last_year} booths in the last twelve months"]
    if off_season and applicant.seasonal:
        parts.append("penjual musiman diutamakan di luar musim Lebaran/Natal")
        parts_en.append("a seasonal seller, first outside the Lebaran/Natal weeks")
    parts.append(f"nomor undian {draw}")
    parts_en.append(f"draw number {draw}")
    return ", ".join(parts), ", ".join(parts_en)


def promoted_reason(line: int) -> tuple[str, str]:
    """Why a waiting applicant now holds a booth."""
    return (f"Mendapat stand yang dilepas peserta lain: nomor {line} di daftar tunggu saat itu.",
            f"Given a booth another applicant gave back: number {line} on the waiting list then.")


def inactive_reason(seller_status: str) -> tuple[str, str]:
    """Why an application was set aside at the allocation: the seller is no longer active."""
    return (f"Tidak ikut alokasi: penjual berstatus {status_id(seller_status)} saat alokasi.",
            f"Left out of the allocation: the seller was {seller_status} when it ran.")
