"""The graduation rule of each UEP track, at the edges of attendance share and score."""

import pytest

from training.domain.graduation import Outcome, Rule, attendance_share, decide

TATA_BOGA = Rule(min_attendance_share=0.75, min_score=70)
STEAM_MOTOR = Rule(min_attendance_share=0.8, min_score=60)
MINUMAN = Rule(min_attendance_share=0.5, min_score=0)


@pytest.mark.parametrize(("rule", "attended", "held", "scores", "outcome"), [
    (TATA_BOGA, 3, 4, [70, 90], Outcome.GRADUATED),        # exactly at both minimums
    (TATA_BOGA, 2, 4, [100], Outcome.NOT_GRADUATED),       # 50 % attendance
    (TATA_BOGA, 4, 4, [69, 95], Outcome.NOT_GRADUATED),    # the lowest kind decides
    (TATA_BOGA, 7, 8, [70], Outcome.GRADUATED),
    (STEAM_MOTOR, 4, 5, [60, 60], Outcome.GRADUATED),      # 80 % exactly
    (STEAM_MOTOR, 3, 4, [100, 100], Outcome.NOT_GRADUATED),  # 75 % < 80 %
    (STEAM_MOTOR, 5, 5, [59, 100], Outcome.NOT_GRADUATED),
    (MINUMAN, 1, 2, [0], Outcome.GRADUATED),               # pass mark 0: any score passes
    (MINUMAN, 1, 2, [], Outcome.NOT_GRADUATED),            # but a score is needed
    (MINUMAN, 0, 2, [100], Outcome.NOT_GRADUATED),
])
def test_rule_at_the_boundaries(rule, attended, held, scores, outcome):
    assert decide(rule, attended=attended, held=held, scores=scores).outcome == outcome


def test_the_reason_names_every_unmet_requirement_in_bahasa_and_english():
    decision = decide(TATA_BOGA, attended=1, held=2, scores=[40, 80])
    assert decision.outcome == Outcome.NOT_GRADUATED
    assert decision.reason == ("Kehadiran 50% di bawah batas minimal 75%; nilai 40 di bawah "
                               "nilai lulus 70.")
    assert decision.reason_en == ("Attendance 50% is below the required 75%; score 40 is below "
                                  "the pass mark 70.")
    assert (decision.attendance_share, decision.score) == (0.5, 40)


def test_a_graduate_has_no_reason_and_a_member_never_assessed_is_told_so():
    graduate = decide(TATA_BOGA, attended=4, held=4, scores=[88, 75])
    assert (graduate.reason, graduate.score) == (None, 75)
    unassessed = decide(TATA_BOGA, attended=4, held=4, scores=[])
    assert unassessed.reason == "Belum ada nilai penilaian."


def test_no_sessions_held_is_no_attendance():
    assert attendance_share(attended=0, held=0) == 0.0
