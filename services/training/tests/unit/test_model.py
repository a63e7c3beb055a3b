from datetime import date, time

import pytest

from berdaya_shared.errors import Conflict, InvalidInput
from training.domain import model
from training.domain.model import CohortStatus


def test_cohort_cannot_end_before_it_starts():
    with pytest.raises(InvalidInput) as bad:
        model.check_cohort_dates(date(2026, 12, 10), date(2026, 12, 1))
    assert bad.value.field == "ends_on"


def test_a_session_ends_after_it_starts_and_within_the_cohorts_dates():
    with pytest.raises(InvalidInput) as bad:
        model.check_session_times(time(10), time(10))
    assert bad.value.field == "ends_at"
    with pytest.raises(InvalidInput) as outside:
        model.check_session_date(date(2026, 12, 11), date(2026, 12, 1), date(2026, 12, 10))
    assert outside.value.field == "held_on"


@pytest.mark.parametrize(("members", "capacity", "fits"), [(30, 30, True), (31, 30, False)])
def test_a_cohort_holds_no_more_than_its_venue_seats(members, capacity, fits):
    if fits:
        model.check_capacity(members=members, capacity=capacity)
        return
    with pytest.raises(Conflict) as over:
        model.check_capacity(members=members, capacity=capacity)
    assert over.value.field == "participant_ids"


def test_a_closed_cohort_cannot_be_closed_again_in_bahasa_and_english():
    with pytest.raises(Conflict) as refused:
        model.check_cohort_status(CohortStatus.CLOSED, allowed=(CohortStatus.RUNNING,),
                                  action="ditutup", action_en="close")
    assert refused.value.field == "status"
    assert refused.value.detail == "Kelompok pelatihan berstatus ditutup: tidak dapat ditutup."
    assert refused.value.en == "The cohort is closed: cannot close."


@pytest.mark.parametrize(("current", "after"), [
    (None, model.RosterStatus.ENROLLED),          # a new entry
    ("withdrawn", model.RosterStatus.ENROLLED),   # re-enrolled after a withdrawal
    ("enrolled", model.RosterStatus.ENROLLED),    # a redelivery
    ("graduated", model.RosterStatus.GRADUATED),  # a graduation is never undone
    ("not_graduated", model.RosterStatus.NOT_GRADUATED),  # nor is a decision against it
])
def test_an_enrolment_puts_the_participant_back_on_the_roster_unless_decided(current, after):
    assert model.status_after_enrolment(current) == after


def test_only_enrolled_participants_join_a_cohort():
    with pytest.raises(Conflict) as refused:
        model.check_can_join("withdrawn", field="participant_ids.0")
    assert refused.value.detail == "Peserta berstatus mengundurkan diri: tidak dapat masuk kelompok."
