"""View models for the charts: mastery bars grouped by grade, and the class heatmap.

Pure shaping of what the service returned (no I/O, no rules): numbers become whole percentages and
colour bands; the templates draw them as SVG bars and table cells with their values written out, so
nothing is told by colour alone.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from learnpath.service.classes import ClassOverview, HeatCell
from learnpath.service.learning import SkillProgress

__all__ = [
    "GradeGroup",
    "HeatRow",
    "HeatmapCell",
    "band",
    "group_by_grade",
    "heatmap_rows",
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
class HeatmapCell:
    skill_code: str
    skill_name: str
    pct: int | None
    n_attempts: int
    level: str
    band: str


@dataclass(frozen=True)
class HeatRow:
    learner_id: int
    learner_name: str
    cells: list[HeatmapCell]
    n_struggling: int


def heatmap_rows(overview: ClassOverview) -> list[HeatRow]:
    """One row per learner, one cell per skill, in the overview's order."""
    rows = []
    empty = HeatCell(None, 0, "not_started")
    for lid, name in overview.learners:
        cells = []
        for code, skill_name in overview.skills:
            c = overview.cells.get((lid, code), empty)
            pct = None if c.p_mastery is None or c.n_attempts == 0 else percent(c.p_mastery)
            cells.append(
                HeatmapCell(code, skill_name, pct, c.n_attempts, c.level, band(c.p_mastery, c.level))
            )
        rows.append(HeatRow(lid, name, cells, sum(1 for c in cells if c.level == "struggling")))
    return rows
