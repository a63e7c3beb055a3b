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
