"""What a field officer records at a visit, and the rules on it (no I/O).

Amounts are Rupiah a month. A micro business (usaha mikro, PP 7/2021) turns over at most
Rp 2 miliar a year, about Rp 167 juta a month: an amount above ``MAX_MONTHLY_AMOUNT``
(Rp 200 juta) for a graduate of these programmes is a typing error, refused with 422.
"""

from enum import StrEnum

from berdaya_shared.errors import InvalidInput

MAX_MONTHLY_AMOUNT = 200_000_000
MAX_PRODUCTS = 10


class Channel(StrEnum):
    """Where the graduate sells."""

    HOME = "home"
    ONLINE = "online"
    BAZAAR = "bazaar"
    ORDERS = "orders"


class KitState(StrEnum):
    """The starter kit (from training's StarterKitIssued) as the officer finds it."""

    IN_USE = "in_use"
    IDLE = "idle"
    SOLD = "sold"
    BROKEN = "broken"
    LOST = "lost"


class Need(StrEnum):
    """What the officer sees the business needs (the referral candidates)."""

    LICENCE = "licence"
    CAPITAL = "capital"
    MARKETING = "marketing"
    SKILLS = "skills"


def check_amount(value: int | None, *, field: str) -> None:
    if value is not None and value > MAX_MONTHLY_AMOUNT:
        raise InvalidInput(
            f"Jumlah Rp {value:,} sebulan tidak masuk akal untuk usaha mikro (paling banyak "
            f"Rp {MAX_MONTHLY_AMOUNT:,}).".replace(",", "."), field=field,
            en=f"Rp {value:,} a month is not plausible for a micro business (at most "
               f"Rp {MAX_MONTHLY_AMOUNT:,}).")


def net_income(*, monthly_income: int | None, monthly_net_income: int | None) -> int | None:
    """Old clients send ``monthly_income`` (it always meant net income); new ones
    ``monthly_net_income``. Both, and different: the report contradicts itself."""
    if (monthly_income is not None and monthly_net_income is not None
            and monthly_income != monthly_net_income):
        raise InvalidInput("monthly_income dan monthly_net_income berbeda; kirim salah satu.",
                           en="monthly_income and monthly_net_income differ; send one of them.",
                           field="monthly_net_income")
    return monthly_net_income if monthly_net_income is not None else monthly_income


def income_change(*, baseline: int | None,
                  net: int | None) -> tuple[int | None, float | None]:
    """Change of monthly net income against the registration baseline: the amount, and the
    percentage (one decimal) when the baseline is above zero. None when either is unknown."""
    if baseline is None or net is None:
        return None, None
    amount = net - baseline
    if baseline == 0:
        return amount, None
    return amount, round(amount * 100 / baseline, 1)


def income_change_note(*, baseline: int | None, net: int | None) -> str | None:
    """Why no change was computed (Bahasa, shown to officers), or None when it was."""
    if baseline is None:
        return "Tidak ada pendapatan awal dari pendaftaran; perubahan pendapatan tidak dihitung."
    if net is None:
        return "Pendapatan bersih tidak dilaporkan; perubahan pendapatan tidak dihitung."
    if baseline == 0:
        return "Pendapatan awal Rp 0; perubahan hanya dihitung dalam rupiah."
    return None
