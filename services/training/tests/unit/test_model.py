from datetime import date

import pytest

from berdaya_shared.errors import Conflict, InvalidInput
from training.domain import model


def test_graduation_needs_the_minimum_attendance():
    model.check_can_graduate(status="enrolled", rate=0.75, minimum=0.75)
    with pytest.raises(Conflict) as refused:
        model.check_can_graduate(status="enrolled", rate=0.5, minimum=0.75)
    assert refused.value.field == "attendance"


@pytest.mark.parametrize("status", ["graduated", "withdrawn"])
def test_only_enrolled_participants_graduate(status):
    with pytest.raises(Conflict):
        model.check_can_graduate(status=status, rate=1.0, minimum=0.75)


def test_cohort_cannot_end_before_it_starts():
    with pytest.raises(InvalidInput) as bad:
        model.check_cohort_dates(date(2026, 12, 10), date(2026, 12, 1))
    assert bad.value.field == "ends_on"


def test_attendance_rate_of_a_cohort_without_sessions_is_zero():
    assert model.attendance_rate(0, 0) == 0.0
    assert model.attendance_rate(3, 4) == 0.75


@pytest.mark.parametrize(("current", "after"), [
    (None, model.RosterStatus.ENROLLED),          # a new entry
    ("withdrawn", model.RosterStatus.ENROLLED),   # re-enrolled after a withdrawal
    ("enrolled", model.RosterStatus.ENROLLED),    # a redelivery
    ("graduated", model.RosterStatus.GRADUATED),  # a graduation is never undone
])
def test_an_enrolment_puts_the_participant_back_on_the_roster_unless_graduated(current, after):
    assert model.status_after_enrolment(current) == after


def test_problems_carry_bahasa_and_english():
    with pytest.raises(Conflict) as refused:
        model.check_can_graduate(status="withdrawn", rate=1.0, minimum=0.75)
    assert refused.value.detail == "Peserta berstatus mengundurkan diri tidak dapat lulus."
    assert refused.value.en == "A withdrawn participant cannot graduate."
