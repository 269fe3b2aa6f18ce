"""The simulator: true states closed under prerequisites, policies, determinism; small graphs only."""

from __future__ import annotations

import copy
import itertools
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.graph import SkillGraph
from learnpath.errors import ValidationError
from learnpath.simulate import Curriculum, Scenario, scenario, simulate
from learnpath.simulate.policies import GoalView, LearnpathConfig, LearnpathPolicy
from learnpath.simulate.runner import run_episode


@st.composite
def curricula(draw: st.DrawFn) -> Curriculum:
    """A random DAG (edges only from lower to higher index) whose skills carry grades 0..8."""
    n = draw(st.integers(3, 14))
    grades = sorted(draw(st.lists(st.integers(0, 8), min_size=n, max_size=n)))
    codes = [f"{g}.X.{i}" for i, g in enumerate(grades)]
    pairs = [(i, j) for j in range(n) for i in range(j)]
    chosen = draw(st.lists(st.sampled_from(pairs), max_size=2 * n, unique=True)) if pairs else []
    graph = SkillGraph.build(codes, [(codes[i], codes[j]) for i, j in chosen])
    return Curriculum(graph, {c: float(g) for c, g in zip(codes, grades, strict=True)})


def chain(n: int = 8) -> Curriculum:
    codes = [f"{min(i, 8)}.C.{i}" for i in range(n)]
    graph = SkillGraph.build(codes, list(itertools.pairwise(codes)))
    return Curriculum(graph, {c: float(c.split(".")[0]) for c in codes})


@settings(max_examples=40, deadline=None)
@given(curricula(), st.integers(0, 2**32 - 1), st.sampled_from(["reference", "bundles"]))
def test_true_states_stay_closed_under_prerequisites(c: Curriculum, seed: int, name: str) -> None:
    rng = np.random.default_rng(seed)
    learner = scenario(name).learner(c, rng)
    assert c.is_closed(learner.known)
    for _ in range(30):
        learner.practise(int(rng.integers(c.size)), c, rng)
        assert c.is_closed(learner.known)


@settings(max_examples=25, deadline=None)
@given(curricula(), st.integers(0, 2**32 - 1))
def test_fixed_and_oracle_reach_the_goal_of_a_noiseless_learner(c: Curriculum, seed: int) -> None:
    exact = Scenario(slip=(0.0, 0.0), guess=(0.0, 0.0))
    rng = np.random.default_rng(seed)
    learner = exact.learner(c, rng)
    goal = c.order[-1]
    for policy in ("fixed", "oracle"):
        ep = run_episode(c, learner, policy, goal, np.random.default_rng(seed), budget=10_000)
        assert ep.reached
    assert not learner.known[goal] or ep.opportunities == 0  # the learner given was not changed


def test_curriculum_order_is_grade_then_code_with_prerequisites_first() -> None:
    codes = ["3.B.2", "3.B.10", "2.A.1", "3.A.1"]
    graph = SkillGraph.build(codes, [("3.B.10", "3.A.1")])
    c = Curriculum(graph, {k: float(k[0]) for k in codes})
    assert [c.skills[i] for i in c.order] == ["2.A.1", "3.B.2", "3.B.10", "3.A.1"]


def test_oracle_is_never_worse_than_fixed_on_average() -> None:
    c = chain(8)
    for seed in range(3):
        report = simulate(c, scenario("reference"), ["fixed", "oracle"], learners=15, seed=seed,
                          goal="7.C.7", measure_placement=False)  # fmt: skip
        assert report.policies["oracle"].mean <= report.policies["fixed"].mean
        assert report.to_dict()["policies"]["oracle"]["reached_goal_fraction"] == 1.0


def test_same_seed_same_report_and_learnpath_reaches_goals() -> None:
    c = chain(10)

    def run(seed: int) -> dict[str, Any]:
        return simulate(c, scenario("bundles"), learners=6, seed=seed, goal="8.C.9").to_dict()

    first = run(4)
    assert first == run(4)
    assert first != run(5)
    lp = first["policies"]["learnpath"]
    assert lp["reached_goal_fraction"] >= 0.8 and lp["placement"]["questions"] >= 1
    assert {"mean_opportunities_to_goal", "median", "reached_goal_fraction"} <= set(lp)
    assert 0.0 <= first["placement"]["skill_state_accuracy"] <= 1.0


def test_learnpath_checks_prerequisites_when_stuck() -> None:
    """The belief says a prerequisite is known; failures on its dependent make the policy check it."""
    c = chain(4)
    policy = LearnpathPolicy(GoalView.of(c, 3), np.random.default_rng(0))
    while not policy.placement_done:
        policy.observe(policy.choose()[0], True)  # type: ignore[index]
    chosen = []
    for _ in range(12):
        skill, _ = policy.choose()  # type: ignore[misc]
        chosen.append(skill)
        policy.observe(skill, skill < 2)  # skill 2 is not known and cannot be learned
    assert 2 in chosen[-6:] or 1 in chosen[-6:]


def believing(c: Curriculum, goal: int, known_below: int, seed: int = 0) -> LearnpathPolicy:
    """A policy past its (empty) placement whose particles all know exactly the skills below
    ``known_below`` of a chain (local index = skill index there)."""
    policy = LearnpathPolicy(
        GoalView.of(c, goal), np.random.default_rng(seed), LearnpathConfig(placement_questions=0)
    )
    assert policy.placement_done
    policy.known[:] = False
    policy.known[:known_below] = True
    return policy


def wrong_until_checked(policy: LearnpathPolicy, skill: int, most: int = 12) -> int:
    """Answer ``skill`` wrong until the policy turns to another skill; how many wrong answers it took."""
    for n in range(1, most + 1):
        assert policy.choose() == (skill, True)
        policy.observe(skill, False)
        if policy.choose() != (skill, True):
            return n
    return most + 1


def test_stuck_policy_checks_a_prerequisite_with_one_question() -> None:
    """Stuck on skill 1: one question on its prerequisite 0; a right answer sends it back to 1 still
    believing 0, a wrong one casts doubt on 0 so that 0 is practised."""
    policy = believing(chain(3), 2, known_below=1)
    assert 2 <= wrong_until_checked(policy, 1) <= 6
    assert policy.choose() == (0, True)
    cleared, doubted = policy, copy.deepcopy(policy)
    cleared.observe(0, True)
    assert cleared.choose() == (1, True)
    assert float(cleared.known[0] @ cleared.w) >= 0.9
    doubted.observe(0, False)
    assert float(doubted.known[0] @ doubted.w) < 0.5
    assert doubted.choose() == (0, True)


@pytest.mark.parametrize("seed", range(3))
def test_right_answers_on_a_dependent_confirm_its_prerequisite(seed: int) -> None:
    """A noiseless learner who learns each skill of a chain at its second opportunity: the policy moves on
    from skill 0 once it believes it (P >= move_on), the right answers on skill 1 raise that belief
    further (skill 1 can only be learned when 0 is known), and skill 0 is never practised again. Every
    skill costs two wrong answers (learned at the second) and two right ones (on the goal, its stop)."""
    policy = believing(chain(4), 3, known_below=0, seed=seed)
    opportunities = [0] * 4
    chosen: list[int] = []
    belief_in_0: dict[str, float] = {}
    while (action := policy.choose()) is not None and len(chosen) < 40:
        skill, teaches = action
        assert teaches
        if skill == 1 and "moved on" not in belief_in_0:
            belief_in_0["moved on"] = float(policy.known[0] @ policy.w)
        right = all(opportunities[s] >= 2 for s in range(skill + 1))  # answers show the state before
        opportunities[skill] += 1
        policy.observe(skill, right)
        chosen.append(skill)
        if skill == 1 and right:
            belief_in_0["after the right answers on 1"] = float(policy.known[0] @ policy.w)
    assert chosen == [0] * 4 + [1] * 4 + [2] * 4 + [3] * 4
    assert belief_in_0["moved on"] >= policy.cfg.move_on
    # P(0 unknown) at least halves
    assert 1.0 - belief_in_0["after the right answers on 1"] < 0.5 * (1.0 - belief_in_0["moved on"])


def test_a_fast_learner_is_judged_stuck_sooner_than_a_slow_one() -> None:
    """The rate is learned across skills: skills learned after one wrong answer make the policy check a
    prerequisite after fewer wrong answers than skills learned after six."""

    def after_record(wrong: int) -> tuple[float, int]:
        policy = believing(chain(8), 7, known_below=0)
        for skill in range(4):
            for answer in [False] * wrong + [True, True]:
                policy.observe(skill, answer)
        mean_rate = float(policy.rate_posterior() @ policy.rate_grid)
        policy.probes.clear()  # checks the record itself asked for; the belief is reset below
        policy.known[:] = False
        policy.known[:5] = True
        policy.w[:] = 1.0 / policy.w.size
        return mean_rate, wrong_until_checked(policy, 5)

    fast_rate, fast = after_record(1)
    slow_rate, slow = after_record(6)
    assert fast_rate > 0.4 > 0.25 > slow_rate
    assert fast <= 3 < slow


def test_reference_goals_and_fallback() -> None:
    assert chain(10).reference_goals(min_ancestors=25) == (8, 9)  # none deep enough: the top grade
    with pytest.raises(ValidationError, match="unknown skill"):
        chain(4).goal_index("9.Z.1")
    with pytest.raises(ValidationError, match="unknown scenario"):
        scenario("nope")
