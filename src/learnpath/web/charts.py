"""View models for the charts: mastery bars grouped by grade, and the class page's mastery summary.

Pure shaping of what the service returned (no I/O, no rules): numbers become whole percentages and
colour bands; the templates draw them as SVG bars and table cells with their values written out, so
nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from learnpath.service.classes import ClassOverview
from learnpath.service.learning import SkillProgress

__all__ = [
    "GradeGroup",
    "MasterySummary",
    "band",
    "group_by_grade",
    "mastery_summary",
    "percent",
]


def percent(p: float | None) -> int:
    """A probability as a whole percentage (0-100); None counts as 0."""
    if p is None:
        return 0
    return max(0, min(100, round(p * 100)))


def band(p: float | None, level: str) -> str:
    """The colour band of a mastery value: none, low, mid, high or done (mastered)."""
    if level == "not_started" or p is None:
        return "none"
    if level == "mastered":
        return "done"
    if p < 0.4:
        return "low"
    if p < 0.7:
        return "mid"
    return "high"


@dataclass(frozen=True)
class GradeGroup:
    grade: int | None
    skills: list[SkillProgress]
    n_mastered: int


def group_by_grade(skills: Sequence[SkillProgress]) -> list[GradeGroup]:
    """Skills grouped by grade, in order of first appearance within each grade (no grade last)."""
    groups: dict[int | None, list[SkillProgress]] = {}
    for s in skills:
        groups.setdefault(s.grade, []).append(s)
    order = sorted(groups, key=lambda g: (g is None, g or 0))
    return [GradeGroup(g, groups[g], sum(1 for s in groups[g] if s.level == "mastered")) for g in order]


@dataclass(frozen=True)
class MasterySummary:
    n_learners: int
    n_started: int
    """Learners with an answer on at least one skill."""
    mastered_per_learner: float


def mastery_summary(overview: ClassOverview) -> MasterySummary:
    """The class page's few numbers in place of a heatmap (the class dashboard draws that): how many
    learners have started, and the skills mastered per learner."""
    started = {lid for (lid, _), c in overview.cells.items() if c.n_attempts > 0}
    mastered = sum(1 for c in overview.cells.values() if c.level == "mastered")
    n = len(overview.learners)
    return MasterySummary(n, len(started & {lid for lid, _ in overview.learners}), mastered / n if n else 0.0)
