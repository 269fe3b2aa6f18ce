"""The chart view models: percentages, colour bands, grade groups and the class page's mastery summary."""

from __future__ import annotations

from learnpath.service.classes import ClassOverview, ClassSummary, HeatCell
from learnpath.service.learning import SkillProgress
from learnpath.web.charts import band, group_by_grade, mastery_summary, percent


def _skill(code: str, grade: int | None, p: float, level: str = "learning") -> SkillProgress:
    return SkillProgress(code, code.title(), grade, p, 0.0, 1.0, 3, 1, level, None)  # type: ignore[arg-type]


def test_percent_rounds_and_clamps() -> None:
    assert [percent(p) for p in (None, 0.0, 0.004, 0.555, 0.999, 1.2, -0.1)] == [0, 0, 0, 56, 100, 100, 0]


def test_bands_follow_level_then_value() -> None:
    assert band(0.9, "not_started") == "none" and band(None, "learning") == "none"
    assert band(0.97, "mastered") == "done"
    assert [band(p, "learning") for p in (0.1, 0.39, 0.4, 0.69, 0.7)] == ["low", "low", "mid", "mid", "high"]


def test_skills_are_grouped_by_grade_with_ungraded_last() -> None:
    skills = [
        _skill("b", 4, 0.2),
        _skill("x", None, 0.1),
        _skill("a", 3, 0.97, "mastered"),
        _skill("c", 4, 0.5),
    ]
    groups = group_by_grade(skills)
    assert [(g.grade, [s.code for s in g.skills], g.n_mastered) for g in groups] == [
        (3, ["a"], 1),
        (4, ["b", "c"], 0),
        (None, ["x"], 0),
    ]


def test_mastery_summary_counts_learners_started_and_skills_mastered_per_learner() -> None:
    overview = ClassOverview(
        ClassSummary(1, "A", 4, 3, ["T"]),
        [(10, "Ana"), (11, "Ben"), (12, "Cy")],
        [("ADD", "Adding"), ("SUB", "Taking away")],
        {
            (10, "ADD"): HeatCell(0.42, 3, "struggling"),
            (11, "ADD"): HeatCell(0.97, 6, "mastered"),
            (11, "SUB"): HeatCell(0.96, 5, "mastered"),
            (12, "SUB"): HeatCell(0.1, 0, "not_started"),  # a row without answers: not started
        },
        [],
        [],
    )
    s = mastery_summary(overview)
    assert (s.n_learners, s.n_started) == (3, 2) and s.mastered_per_learner == 2 / 3
    empty = ClassOverview(ClassSummary(2, "B", 4, 0, []), [], [], {}, [], [])
    assert mastery_summary(empty).mastered_per_learner == 0.0
