"""Graduation as a rule: a track's rule decides every member of a cohort at once. No I/O.

* attendance share = sessions attended (``present``) / sessions held. ``excused`` is recorded
  (why someone missed) but counts as not attended: the equipment goes to those who were
  trained; an officer's override is the way to weigh a real excuse.
* score = the LOWEST of the participant's assessment scores (practical, written): a graduate
  passes every kind assessed, a good practical does not hide a failed written test. A member
  never assessed has no score and does not graduate.
* Both minimums are inclusive: exactly the minimum passes.
"""

from dataclasses import dataclass
from enum import StrEnum


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    ABSENT = "absent"
    EXCUSED = "excused"


class AssessmentKind(StrEnum):
    PRACTICAL = "practical"
    WRITTEN = "written"


class Outcome(StrEnum):
    GRADUATED = "graduated"
    NOT_GRADUATED = "not_graduated"


MIN_SCORE, MAX_SCORE = 0, 100


@dataclass(frozen=True, kw_only=True)
class Rule:
    """A track's graduation rule: minimum attendance share (0-1) and pass mark (0-100)."""

    min_attendance_share: float
    min_score: int


@dataclass(frozen=True, kw_only=True)
class Decision:
    outcome: Outcome
    attendance_share: float
    score: int | None
    reason: str | None  # Bahasa Indonesia; None for a graduate
    reason_en: str | None


def attendance_share(*, attended: int, held: int) -> float:
    return attended / held if held else 0.0


def score_of(scores: list[int]) -> int | None:
    return min(scores) if scores else None


def decide(rule: Rule, *, attended: int, held: int, scores: list[int]) -> Decision:
    """One participant's outcome under ``rule``; the reasons name every unmet requirement."""
    share, score = attendance_share(attended=attended, held=held), score_of(scores)
    reasons: list[tuple[str, str]] = []
    if share < rule.min_attendance_share:
        reasons.append((f"kehadiran {share:.0%} di bawah batas minimal "
                        f"{rule.min_attendance_share:.0%}",
                        f"attendance {share:.0%} is below the required "
                        f"{rule.min_attendance_share:.0%}"))
    if score is None:
        reasons.append(("belum ada nilai penilaian", "no assessment score recorded"))
    elif score < rule.min_score:
        reasons.append((f"nilai {score} di bawah nilai lulus {rule.min_score}",
                        f"score {score} is below the pass mark {rule.min_score}"))
    if not reasons:
        return Decision(outcome=Outcome.GRADUATED, attendance_share=share, score=score,
                        reason=None, reason_en=None)
    reason = "; ".join(r for r, _ in reasons)
    return Decision(outcome=Outcome.NOT_GRADUATED, attendance_share=share, score=score,
                    reason=reason[0].upper() + reason[1:] + ".",
                    reason_en="; ".join(e for _, e in reasons).capitalize() + ".")
