"""How mastery numbers become words: thresholds shared by the recommender, dashboards and reports."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

__all__ = ["MASTERED_AT", "MasteryLevel", "MasteryRules", "level_of"]

MasteryLevel = Literal["not_started", "learning", "struggling", "mastered"]

MASTERED_AT = 0.95


@dataclass(frozen=True)
class MasteryRules:
    """Thresholds. A skill is *mastered* at ``p >= mastered_at``; a learner is *struggling* on it after
    ``min_attempts`` attempts with ``p < struggling_below`` and ``wrong_streak`` wrong answers in a row."""

    mastered_at: float = MASTERED_AT
    struggling_below: float = 0.5
    min_attempts: int = 3
    wrong_streak: int = 2

    def level(self, p_mastery: float, n_attempts: int, recent_wrong: int) -> MasteryLevel:
        if n_attempts == 0:
            return "not_started"
        if p_mastery >= self.mastered_at:
            return "mastered"
        if (
            n_attempts >= self.min_attempts
            and p_mastery < self.struggling_below
            and recent_wrong >= self.wrong_streak
        ):
            return "struggling"
        return "learning"


def level_of(
    p_mastery: float, n_attempts: int, recent_wrong: int, rules: MasteryRules | None = None
) -> MasteryLevel:
    return (rules or MasteryRules()).level(p_mastery, n_attempts, recent_wrong)
