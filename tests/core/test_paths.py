"""Backward design: path_to_goal and ready_to_learn on random DAGs, the pace estimator, and examples."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.graph import SkillGraph
from learnpath.core.mastery import MASTERED_AT, MasteryRules
from learnpath.core.paths import (
    DEFAULT_PACE,
    Pace,
    estimate_pace,
    mastered_skills,
    path_to_goal,
    ready_to_learn,
)
from learnpath.errors import ValidationError


@st.composite
def dags_with_mastery(draw: st.DrawFn) -> tuple[SkillGraph[int], dict[int, float], list[int]]:
    """A random DAG (edges only from lower to higher numbers, shuffled labels), random mastery, goals."""
    n = draw(st.integers(1, 25))
    pairs = [(a, b) for b in range(n) for a in range(b)]
    edges = draw(st.lists(st.sampled_from(pairs), max_size=60, unique=True)) if pairs else []
    labels = draw(st.permutations(range(n)))
    graph = SkillGraph.build(
        [labels[i] for i in draw(st.permutations(range(n)))], [(labels[a], labels[b]) for a, b in edges]
    )
    probs = st.sampled_from([0.0, 0.3, 0.9, MASTERED_AT - 1e-9, MASTERED_AT, 0.99, 1.0])
    mastery = draw(st.dictionaries(st.sampled_from(range(n)), probs))
    goals = draw(st.lists(st.sampled_from(range(n)), min_size=1, max_size=4))
    return graph, mastery, goals


@settings(max_examples=80, deadline=None)
@given(dags_with_mastery())
def test_the_path_is_a_topological_order_of_unmastered_skills(
    case: tuple[SkillGraph[int], dict[int, float], list[int]],
) -> None:
    graph, mastery, goals = case
    path = path_to_goal(graph, goals, mastery)
    done = mastered_skills(graph, mastery)
    skills = path.skills
    assert len(set(skills)) == len(skills), "a skill appears twice"
    assert not done & set(skills), "a mastered skill is on the path"
    where = {s: i for i, s in enumerate(skills)}
    for s in skills:
        for p in graph.prerequisites(s):
            assert p in done or (p in where and where[p] < where[s]), (s, p)
    # every unmastered goal is on the path, and nothing is there that no goal needs
    assert {g for g in goals if g not in done} <= set(skills)
    reachable: set[int] = set()
    for g in goals:
        if g not in done:
            reachable |= {g} | graph.ancestors(g)
    assert set(skills) <= reachable
    assert {s.skill for s in path.steps if s.is_goal} == set(goals) - done
    assert set(path.goals_met) == set(goals) & done


@settings(max_examples=80, deadline=None)
@given(dags_with_mastery())
def test_the_path_is_minimal_when_walking_stops_at_mastered_skills(
    case: tuple[SkillGraph[int], dict[int, float], list[int]],
) -> None:
    """Each path skill is a goal or a prerequisite of a later path skill: nothing is there for nothing."""
    graph, mastery, goals = case
    skills = path_to_goal(graph, goals, mastery).skills
    for i, s in enumerate(skills):
        later = skills[i + 1 :]
        assert s in goals or any(s in graph.prerequisites(t) for t in later), s


@settings(max_examples=80, deadline=None)
@given(dags_with_mastery())
def test_ready_to_learn_is_exactly_the_frontier(
    case: tuple[SkillGraph[int], dict[int, float], list[int]],
) -> None:
    graph, mastery, _ = case
    done = mastered_skills(graph, mastery)
    ready = ready_to_learn(graph, mastery)
    want = {s for s in graph.skills if s not in done and all(p in done for p in graph.prerequisites(s))}
    assert set(ready) == want
    assert len(ready) == len(set(ready))
    order = graph.topological_order()
    assert ready == [s for s in order if s in want]
    assert ready == graph.ready(done)


@settings(max_examples=50, deadline=None)
@given(dags_with_mastery())
def test_the_first_step_of_every_path_is_ready_to_learn(
    case: tuple[SkillGraph[int], dict[int, float], list[int]],
) -> None:
    graph, mastery, goals = case
    path = path_to_goal(graph, goals, mastery)
    if path.steps:
        assert path.steps[0].skill in ready_to_learn(graph, mastery)


# -- examples -------------------------------------------------------------------------------------------

#   count -> add -> sub -> mul -> div
#                  add -> mul ; shapes (alone) ; frac needs div and shapes
GRAPH = SkillGraph.build(
    ["count", "add", "sub", "mul", "div", "shapes", "frac"],
    [
        ("count", "add"),
        ("add", "sub"),
        ("sub", "mul"),
        ("add", "mul"),
        ("mul", "div"),
        ("div", "frac"),
        ("shapes", "frac"),
    ],
)


def test_example_path_from_nothing() -> None:
    path = path_to_goal(GRAPH, ["div"], {})
    assert path.skills == ("count", "add", "sub", "mul", "div")
    assert [s.is_goal for s in path.steps] == [False, False, False, False, True]
    assert path.total_minutes == pytest.approx(5 * DEFAULT_PACE.minutes_for(DEFAULT_PACE.attempts_to_mastery))


def test_example_path_stops_at_mastered_skills() -> None:
    # add is mastered although count is not: count is not sent back onto the path
    path = path_to_goal(GRAPH, ["frac"], {"add": 0.97, "sub": 0.96, "mul": 0.5})
    assert path.skills == ("mul", "div", "shapes", "frac")
    assert ready_to_learn(GRAPH, {"add": 0.97, "sub": 0.96}) == ["count", "mul", "shapes"]


def test_example_several_goals_are_served_in_the_order_given() -> None:
    first_shapes = path_to_goal(GRAPH, ["shapes", "sub"], {})
    assert first_shapes.skills == ("shapes", "count", "add", "sub")
    assert path_to_goal(GRAPH, ["sub", "shapes"], {}).skills == ("count", "add", "sub", "shapes")
    # a goal that another goal needs comes where it is needed, once
    assert path_to_goal(GRAPH, ["mul", "add"], {}).skills == ("count", "add", "sub", "mul")


def test_example_mastered_goals_add_nothing() -> None:
    path = path_to_goal(GRAPH, ["add"], {"count": 1.0, "add": 0.99})
    assert path.steps == ()
    assert path.goals_met == ("add",)
    assert path.total_minutes == 0


def test_threshold_comes_from_the_mastery_rules() -> None:
    mastery = {"count": 0.8}
    assert path_to_goal(GRAPH, ["add"], mastery).skills == ("count", "add")
    lenient = MasteryRules(mastered_at=0.75)
    assert path_to_goal(GRAPH, ["add"], mastery, rules=lenient).skills == ("add",)
    assert ready_to_learn(GRAPH, mastery, lenient) == ["add", "shapes"]


def test_unknown_goals_are_named() -> None:
    with pytest.raises(ValidationError) as err:
        path_to_goal(GRAPH, ["add", "nope", "also-nope"], {})
    assert "nope" in err.value.message and "also-nope" in err.value.message
    assert [f.field for f in err.value.errors] == ["goal", "goal"]


def test_time_estimate_uses_the_pace_and_the_practice_done() -> None:
    pace = Pace(attempts_to_mastery=10, seconds_per_attempt=30)
    path = path_to_goal(GRAPH, ["add"], {"count": 0.5}, attempts={"count": 4, "add": 20}, pace=pace)
    count, add = path.steps
    assert count.attempts_done == 4 and count.attempts_left == 6 and count.minutes == pytest.approx(3.0)
    # past the usual count: still a quarter of a skill's practice to go
    assert add.attempts_left == 2.5 and add.minutes == pytest.approx(1.25)
    assert path.total_minutes == pytest.approx(4.25)


def test_pace_without_history_is_the_prior() -> None:
    prior = Pace(6, 50, source="class")
    assert estimate_pace([], [], prior) == Pace(6, 50, 0, 0, "class")
    assert estimate_pace([], []) == DEFAULT_PACE


def test_pace_is_shrunk_towards_the_prior_and_then_follows_the_learner() -> None:
    prior = Pace(8, 40)
    few = estimate_pace([4], [20_000] * 2, prior)
    # (1 * 4 + 3 * 8) / 4 = 7 ; (2 * 20 + 10 * 40) / 12
    assert few.attempts_to_mastery == pytest.approx(7.0)
    assert few.seconds_per_attempt == pytest.approx((2 * 20 + 10 * 40) / 12)
    assert few.source == "default"
    many = estimate_pace([4] * 60, [20_000] * 500, prior)
    assert many.attempts_to_mastery == pytest.approx((60 * 4 + 3 * 8) / 63)
    assert many.seconds_per_attempt == pytest.approx((500 * 20 + 10 * 40) / 510)
    assert many.source == "learner" and many.n_skills == 60 and many.n_attempts == 500


def test_pace_uses_medians_and_ignores_idle_or_missing_durations() -> None:
    pace = estimate_pace([5, 5, 5, 100], [10_000] * 20 + [None, 500, 3_600_000] * 10, Pace(5, 10))
    assert pace.attempts_to_mastery == pytest.approx(5.0)  # the median ignores the 100
    assert pace.seconds_per_attempt == pytest.approx(10.0)
    assert pace.n_attempts == 20


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(-2, 60), max_size=40),
    st.lists(st.one_of(st.none(), st.integers(0, 2_000_000)), max_size=80),
    st.floats(1, 50),
    st.floats(1, 600),
)
def test_pace_stays_between_the_prior_and_the_learners_median(
    counts: list[int], durations: list[int | None], prior_attempts: float, prior_seconds: float
) -> None:
    pace = estimate_pace(counts, durations, Pace(prior_attempts, prior_seconds))
    valid = sorted(c for c in counts if c > 0)
    if valid:
        import statistics

        lo, hi = sorted([float(statistics.median(valid)), prior_attempts])
        assert max(1.0, lo) - 1e-9 <= pace.attempts_to_mastery <= max(1.0, hi) + 1e-9
    else:
        assert pace.attempts_to_mastery == prior_attempts
    assert pace.seconds_per_attempt > 0
