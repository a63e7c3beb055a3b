"""Rules for mentors' caseloads, kits' statuses and late registration news."""

from datetime import UTC, datetime, timedelta

import pytest

from berdaya_shared.errors import Conflict, InvalidInput
from training.domain.people import (
    KitStatus,
    check_acknowledged_after_handover,
    check_caseload,
    check_kit_change,
    check_recorded_time,
    is_stale,
    kit_type_for,
)

T = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(("current", "adding", "cap"), [(0, 25, 25), (24, 1, 25), (0, 0, 1), (2, 0, 2)])
def test_a_caseload_up_to_the_cap_is_accepted(current, adding, cap):
    check_caseload(current=current, adding=adding, cap=cap)


@pytest.mark.parametrize(("current", "adding", "cap"), [(25, 1, 25), (0, 26, 25), (24, 2, 25)])
def test_a_caseload_over_the_cap_is_refused_naming_the_participants(current, adding, cap):
    with pytest.raises(Conflict) as exc:
        check_caseload(current=current, adding=adding, cap=cap)
    assert exc.value.field == "participant_ids"
    assert f"paling banyak {cap}" in exc.value.detail and exc.value.en


@pytest.mark.parametrize(("current", "new"), [
    (KitStatus.ISSUED, KitStatus.LOST), (KitStatus.ISSUED, KitStatus.RETURNED),
    (KitStatus.ISSUED, KitStatus.DAMAGED), (KitStatus.DAMAGED, KitStatus.LOST),
    (KitStatus.DAMAGED, KitStatus.RETURNED)])
def test_a_kit_moves_forward(current, new):
    check_kit_change(current, new)


@pytest.mark.parametrize(("current", "new"), [
    (KitStatus.LOST, KitStatus.RETURNED), (KitStatus.RETURNED, KitStatus.DAMAGED),
    (KitStatus.DAMAGED, KitStatus.DAMAGED), (KitStatus.ISSUED, KitStatus.ISSUED),
    (KitStatus.LOST, KitStatus.ISSUED)])
def test_a_lost_or_returned_kit_stays_so(current, new):
    with pytest.raises(Conflict) as exc:
        check_kit_change(current, new)
    assert exc.value.field == "status"


def test_the_acknowledgement_cannot_precede_the_handover():
    check_acknowledged_after_handover(T, T)
    with pytest.raises(InvalidInput) as exc:
        check_acknowledged_after_handover(T, T - timedelta(seconds=1))
    assert exc.value.field == "acknowledged_at"


@pytest.mark.parametrize(("happened", "last", "stale"), [
    (T, None, False), (T, T, False), (T + timedelta(seconds=1), T, False),
    (T - timedelta(seconds=1), T, True)])
def test_only_strictly_older_news_is_stale(happened, last, stale):
    assert is_stale(happened, last) is stale


@pytest.mark.parametrize(("asked", "tracks", "kit"), [
    (None, "alat masak set", "alat masak set"), ("alat masak set", "alat masak set", "alat masak set"),
    ("blender set", None, "blender set")])
def test_the_kit_type_comes_from_the_track_or_the_caller(asked, tracks, kit):
    assert kit_type_for(asked=asked, tracks_kit=tracks) == kit


def test_a_kit_type_other_than_the_tracks_or_none_at_all_is_refused():
    with pytest.raises(Conflict) as conflict:
        kit_type_for(asked="blender set", tracks_kit="alat masak set")
    with pytest.raises(InvalidInput) as missing:
        kit_type_for(asked=None, tracks_kit=None)
    assert conflict.value.field == missing.value.field == "kit_type"


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "1999-12-31T23:59:59+00:00",
                                    "2026-12-01T09:00:01+00:00", "9999-12-31T23:59:59-01:00"])
def test_a_handover_time_outside_2000_to_now_is_refused(moment):
    with pytest.raises(InvalidInput) as exc:
        check_recorded_time(datetime.fromisoformat(moment), T, field="handed_over_at")
    assert exc.value.field == "handed_over_at"


def test_a_handover_time_from_2000_to_now_is_accepted():
    check_recorded_time(datetime(2000, 1, 1, tzinfo=UTC), T, field="handed_over_at")
    check_recorded_time(T, T, field="handed_over_at")
