"""Referrals to the agencies that fit a business (no I/O).

A referral is ``suggested`` by a visit's needs (not sent yet), ``open`` once an officer sends
it to an agency, ``accepted`` when the agency takes it, ``closed`` with an outcome. Only the
agency it was sent to may accept or close it."""

from enum import StrEnum

from berdaya_shared.errors import Conflict, InvalidInput


class ReferralStatus(StrEnum):
    SUGGESTED = "suggested"
    OPEN = "open"
    ACCEPTED = "accepted"
    CLOSED = "closed"


class Outcome(StrEnum):
    LICENCE_ISSUED = "licence_issued"
    LOAN_GRANTED = "loan_granted"
    TRAINING_GIVEN = "training_given"
    DECLINED = "declined"
    UNREACHABLE = "unreachable"


POSITIVE_OUTCOMES = (Outcome.LICENCE_ISSUED, Outcome.LOAN_GRANTED, Outcome.TRAINING_GIVEN)
ANY_BUSINESS = "*"


def check_move(status: str, *, to: ReferralStatus) -> None:
    """suggested -> open -> accepted -> closed (open -> closed too: declined unseen)."""
    allowed = {ReferralStatus.OPEN: (ReferralStatus.SUGGESTED,),
               ReferralStatus.ACCEPTED: (ReferralStatus.OPEN,),
               ReferralStatus.CLOSED: (ReferralStatus.OPEN, ReferralStatus.ACCEPTED)}[to]
    if status not in allowed:
        raise Conflict(f"Rujukan berstatus {status} tidak dapat menjadi {to}.",
                       en=f"A {status} referral cannot become {to}.", field="referral_id")


def check_need(need: str, needs: tuple[str, ...]) -> None:
    if need not in needs:
        listed = ", ".join(needs)
        raise InvalidInput(f"Kebutuhan harus salah satu dari: {listed}.",
                           en=f"The need must be one of {listed}.", field="need")
