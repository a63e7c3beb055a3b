"""Visits fall on working days: weekends, public holidays and cuti bersama (as the `holidays`
package knows them for Indonesia) move a due date to the next working day."""

from datetime import date

import pytest

from berdaya_shared import calendar_id as calendar
from monitoring.domain import model


@pytest.mark.parametrize(("due", "working"), [
    # Idul Fitri 1446 H: Monday 31 March and Tuesday 1 April 2025, cuti bersama 2-4 and 7 April,
    # the weekend between: the first working day is Tuesday 8 April.
    (date(2025, 3, 31), date(2025, 4, 8)),
    (date(2025, 4, 2), date(2025, 4, 8)),
    (date(2025, 4, 5), date(2025, 4, 8)),
    # Nyepi's cuti bersama on Friday 28 March 2025 runs into the same holiday.
    (date(2025, 3, 28), date(2025, 4, 8)),
    # Idul Fitri 1447 H: Saturday 21 and Sunday 22 March 2026, with Nyepi on Thursday 19 and
    # cuti bersama on 18, 20, 23 and 24 March: Wednesday 25 March.
    (date(2026, 3, 18), date(2026, 3, 25)),
    (date(2026, 3, 21), date(2026, 3, 25)),
    # Natal 2025 (Thursday) and its cuti bersama on Friday 26: Monday 29 December.
    (date(2025, 12, 25), date(2025, 12, 29)),
    # Natal 2026 (Friday) with cuti bersama on Thursday 24: Monday 28 December.
    (date(2026, 12, 24), date(2026, 12, 28)),
    # Natal 2024 (Wednesday) and cuti bersama on Thursday 26: Friday 27 December.
    (date(2024, 12, 25), date(2024, 12, 27)),
    # A plain weekend, and a working day that stays.
    (date(2025, 6, 14), date(2025, 6, 16)),
    (date(2025, 6, 17), date(2025, 6, 17)),
])
def test_a_day_off_moves_to_the_next_working_day(due, working):
    assert calendar.next_working_day(due) == working


def test_idul_fitri_dates_come_from_the_package():
    assert calendar.idul_fitri(2025) == date(2025, 3, 31)
    assert calendar.idul_fitri(2026) == date(2026, 3, 21)
    assert calendar.idul_fitri(2024) == date(2024, 4, 10)


def test_cuti_bersama_is_a_day_off():
    assert not calendar.is_working_day(date(2025, 4, 7))  # Monday, cuti bersama Idul Fitri
    assert not calendar.is_working_day(date(2025, 12, 26))  # Friday, cuti bersama Natal
    assert calendar.is_working_day(date(2025, 4, 8))


def test_visit_plan_skips_lebaran():
    # Graduated Friday 28 February 2025: the 30-day visit would be Sunday 30 March, the eve of
    # Idul Fitri; it moves past the holiday and the cuti bersama to Tuesday 8 April. The
    # 90-day visit is Thursday 29 May, Kenaikan Yesus Kristus, with cuti bersama on Friday 30:
    # Monday 2 June.
    assert model.visit_due_dates(date(2025, 2, 28), [30, 90]) == [
        date(2025, 4, 8), date(2025, 6, 2)]


def test_visit_plan_skips_natal():
    # Graduated 25 November 2026: the 30-day visit (Friday 25 December, Natal) -> Monday 28.
    assert model.visit_due_dates(date(2026, 11, 25), [29, 30]) == [
        date(2026, 12, 28), date(2026, 12, 28)]


def test_offsets_up_to_the_graduation_day_are_not_moved():
    # Demos and tests use a negative offset so a visit is overdue at once; it stays there.
    assert model.visit_due_dates(date(2025, 4, 1), [-1, 0]) == [date(2025, 3, 31),
                                                                date(2025, 4, 1)]
