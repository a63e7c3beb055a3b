from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from berdaya_shared.errors import Conflict, InvalidInput
from monitoring.config import MonitoringSettings
from monitoring.domain import model


def test_visits_fall_due_the_given_days_after_graduation_on_working_days():
    # 90 days is Sunday 21 March 2027 -> Monday 22; 180 days is Saturday 19 June -> Monday 21.
    assert model.visit_due_dates(date(2026, 12, 21), [30, 90, 180, 365]) == [
        date(2027, 1, 20), date(2027, 3, 22), date(2027, 6, 21), date(2027, 12, 21)]
    assert model.visit_due_dates(date(2026, 12, 21), [-1]) == [date(2026, 12, 20)]


def test_dates_are_jakarta_dates():
    assert model.local_date(datetime(2026, 12, 20, 16, 59, tzinfo=UTC)) == date(2026, 12, 20)
    assert model.local_date(datetime(2026, 12, 20, 17, 0, tzinfo=UTC)) == date(2026, 12, 21)


@pytest.mark.parametrize("status", model.BUSINESS_STATUSES)
def test_known_business_statuses_are_accepted(status):
    model.check_business_status(status)


def test_unknown_business_status_is_refused():
    with pytest.raises(InvalidInput) as bad:
        model.check_business_status("only_lebaran")
    assert bad.value.field == "business_status"


def test_a_visit_is_recorded_once():
    model.check_can_record("scheduled")
    with pytest.raises(Conflict) as refused:
        model.check_can_record("done")
    assert refused.value.field == "visit_id"


@pytest.mark.parametrize("visited_on", [date(2027, 1, 21), date(2026, 12, 19)])
def test_visit_date_lies_between_graduation_and_today(visited_on):
    model.check_visited_on(date(2027, 1, 20), graduated_on=date(2026, 12, 20),
                           today=date(2027, 1, 20))
    with pytest.raises(InvalidInput) as bad:
        model.check_visited_on(visited_on, graduated_on=date(2026, 12, 20),
                               today=date(2027, 1, 20))
    assert bad.value.field == "visited_on"


@pytest.mark.parametrize("offsets", [[], [30, 30], [90, 30]])
def test_visit_offsets_must_increase(offsets):
    with pytest.raises(ValidationError):
        MonitoringSettings(visit_offsets_days=offsets)


def test_visit_offsets_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("MONITORING_VISIT_OFFSETS_DAYS", "[-1, 30]")
    assert MonitoringSettings().visit_offsets_days == [-1, 30]


@pytest.mark.parametrize("offsets", [[], [30, 30], [90, 30], [-400], [30, 4000], list(range(1, 14))])
def test_a_programme_schedule_is_checked(offsets):
    with pytest.raises(InvalidInput) as bad:
        model.check_offsets(offsets)
    assert bad.value.field == "offsets_days"


def test_a_recorded_visit_is_not_reassigned():
    model.check_can_assign("scheduled")
    with pytest.raises(Conflict):
        model.check_can_assign("done")
