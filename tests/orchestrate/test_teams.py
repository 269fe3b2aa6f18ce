"""Collaborative teams: properties (hypothesis) and worked examples of coverage, tutors and balance."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnpath.errors import ValidationError
from learnpath.orchestrate.teams import TeamLearner, describe_team, form_teams

SKILLS = ["S1", "S2", "S3"]


@st.composite
def rooms(draw: st.DrawFn) -> tuple[list[TeamLearner], int, list[tuple[int, int]]]:
    n = draw(st.integers(2, 12))
    learners = [
        TeamLearner(i, {s: draw(st.sampled_from([0.0, 0.3, 0.6, 0.96, 1.0])) for s in SKILLS})
        for i in range(n)
    ]
    size = draw(st.integers(2, 5))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda p: p[0] != p[1])
    return learners, size, draw(st.lists(pair, max_size=2))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rooms())
def test_teams_place_everyone_once_within_size_and_keep_apart(
    case: tuple[list[TeamLearner], int, list[tuple[int, int]]],
) -> None:
    learners, size, apart = case
    plan = form_teams(learners, size, SKILLS, apart=apart, time_limit_s=0.5)
    placed = sorted(lid for t in plan.teams for lid in t.learner_ids)
    assert placed == list(range(len(learners)))
    assert all(1 <= len(t.learner_ids) <= size for t in plan.teams)
    sizes = [len(t.learner_ids) for t in plan.teams]
    assert plan.relaxed or max(sizes) - min(sizes) <= 1
    team_of = {lid: k for k, t in enumerate(plan.teams) for lid in t.learner_ids}
    assert all(team_of[a] != team_of[b] for a, b in apart)
    assert plan.status in ("optimal", "feasible") and plan.objective <= plan.bound
    by_id = {t.learner_id: t for t in learners}
    for t in plan.teams:
        for s in t.covered:
            assert by_id[t.experts[s]].mastery[s] >= 0.95 and t.experts[s] in t.learner_ids
        for p in t.pairs:
            assert by_id[p.tutor].mastery[p.skill] >= 0.95 > by_id[p.tutee].mastery[p.skill]


def test_each_team_gets_an_expert_of_each_skill_when_there_are_enough() -> None:
    experts_1 = [TeamLearner(i, {"S1": 1.0, "S2": 0.2}) for i in (0, 1)]
    experts_2 = [TeamLearner(i, {"S1": 0.2, "S2": 1.0}) for i in (2, 3)]
    novices = [TeamLearner(i, {"S1": 0.1, "S2": 0.1}) for i in (4, 5, 6, 7)]
    plan = form_teams([*experts_1, *experts_2, *novices], 4, ["S1", "S2"], time_limit_s=2)
    assert plan.status == "optimal" and plan.gap == 0.0
    for team in plan.teams:
        assert team.covered == ("S1", "S2") and not team.missing
        assert {team.role_of(m) for m in team.learner_ids} == {"expert:S1", "expert:S2", "tutee"}
        assert len(team.pairs) == 4, "every member learns one skill from a teammate"


def test_keep_together_and_uncoverable_skills() -> None:
    learners = [TeamLearner(i, {"S1": 1.0 if i < 2 else 0.0}) for i in range(6)]
    plan = form_teams(learners, 3, ["S1", "S2"], together=[(0, 1)], time_limit_s=2)
    assert plan.uncoverable == ("S2",)
    team_of = {lid: k for k, t in enumerate(plan.teams) for lid in t.learner_ids}
    assert team_of[0] == team_of[1]
    assert all("S2" in t.missing for t in plan.teams)


def test_balance_splits_strong_and_weak_learners() -> None:
    learners = [TeamLearner(i, {"S1": 0.9 if i < 4 else 0.1}) for i in range(8)]  # nobody has mastered S1
    plan = form_teams(learners, 4, ["S1"], time_limit_s=2)
    means = sorted(t.mean_mastery for t in plan.teams)
    assert means[0] == pytest.approx(means[-1]), "two strong and two weak learners in each team"


def test_describe_team_of_moved_learners() -> None:
    by_id = {0: TeamLearner(0, {"S1": 1.0}), 1: TeamLearner(1, {"S1": 0.5}), 2: TeamLearner(2)}
    team = describe_team((0, 1, 2), by_id, ["S1", "S2"])
    assert team.covered == ("S1",) and team.missing == ("S2",)
    assert [(p.tutor, p.tutee) for p in team.pairs] == [(0, 1), (0, 2)]
    assert [team.role_of(i) for i in (0, 1, 2)] == ["expert:S1", "tutee", "tutee"]
    assert team.mean_mastery == pytest.approx(1.5 / 6)


def test_apart_rules_that_need_more_teams_get_them() -> None:
    learners = [TeamLearner(i, {"S1": 1.0 if i == 0 else 0.0}) for i in range(3)]
    plan = form_teams(learners, 3, ["S1"], apart=[(0, 1), (1, 2), (0, 2)], time_limit_s=1)
    assert plan.relaxed and sorted(t.learner_ids for t in plan.teams) == [(0,), (1,), (2,)]


def test_bad_input_is_named() -> None:
    with pytest.raises(ValidationError) as e:
        form_teams([TeamLearner(0, {"S1": 1.5}), TeamLearner(0)], 1, [])
    assert {f.field for f in e.value.errors} == {"size", "skills", "learner_ids", "mastery"}
