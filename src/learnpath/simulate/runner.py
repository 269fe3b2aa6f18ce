"""Run policies over synthetic learners and summarise: opportunities to the goal, and placement accuracy.

Common random numbers: learner ``k`` (its state, parameters and goal) comes from ``[seed, k]``, so every
policy meets the same learners; each policy's episode has its own stream ``[seed, k, policy]``. An episode
ends when the policy stops or after ``budget`` opportunities; the goal is *reached* when the learner truly
knows it at the end. Opportunities count every question asked, placement questions included, and an
episode that runs out of budget counts its whole budget. The full-graph placement (default settings) is
measured separately on each learner's starting state: questions asked and the share of skill states right.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from learnpath.recommend import placement
from learnpath.simulate.curriculum import Curriculum
from learnpath.simulate.learners import Scenario, SimLearner
from learnpath.simulate.policies import POLICIES, GoalView, LearnpathConfig, LearnpathPolicy, make_policy

__all__ = ["Episode", "PlacementRun", "PolicySummary", "SimulationReport", "run_episode", "simulate"]


@dataclass(frozen=True)
class Episode:
    policy: str
    learner: int
    goal: str
    opportunities: int
    reached: bool
    placement_questions: int = 0
    placement_accuracy: float | None = None


@dataclass(frozen=True)
class PlacementRun:
    questions: int
    accuracy: float


def _copy(learner: SimLearner) -> SimLearner:
    return replace(learner, known=learner.known.copy(), learned=[])


def run_episode(
    curriculum: Curriculum,
    learner: SimLearner,
    policy_name: str,
    goal: int,
    rng: np.random.Generator,
    budget: int,
    view: GoalView | None = None,
    config: LearnpathConfig | None = None,
    index: int = 0,
) -> Episode:
    """One learner (a copy is changed, not ``learner``) under one policy until it stops or the budget."""
    me = _copy(learner)
    policy = make_policy(policy_name, curriculum, goal, rng, me.known, view, config)
    used = 0
    while used < budget:
        action = policy.choose()
        if action is None:
            break
        skill, teaches = action
        correct = me.practise(skill, curriculum, rng) if teaches else me.answer(skill, rng)
        policy.observe(skill, correct)
        used += 1
    pq, pacc = 0, None
    if isinstance(policy, LearnpathPolicy):
        pq = policy.placement_questions
        if policy.estimate:
            truth = learner.known[list(policy.v.members)]
            guess = np.array([policy.estimate[curriculum.skills[s]] >= 0.5 for s in policy.v.members])
            pacc = float(np.mean(truth == guess))
    return Episode(policy_name, index, curriculum.skills[goal], used, bool(me.known[goal]), pq, pacc)


def place(
    curriculum: Curriculum, learner: SimLearner, rng: np.random.Generator, config: placement.PlacementConfig
) -> PlacementRun:
    """The full-graph placement on one learner's state (answers teach nothing)."""
    state = placement.start(curriculum.graph, curriculum.levels, config)
    while (q := placement.next_question(state)) is not None:
        state = placement.answer(state, q, learner.answer(curriculum.index[q.skill], rng))
    est = placement.result(state).estimates
    guess = np.array([est[s].known for s in curriculum.skills])
    return PlacementRun(len(state.answers), float(np.mean(guess == learner.known)))


@dataclass(frozen=True)
class PolicySummary:
    policy: str
    opportunities: tuple[int, ...]
    reached: tuple[bool, ...]
    placement_questions: tuple[int, ...] = ()
    placement_accuracy: tuple[float, ...] = ()

    @property
    def mean(self) -> float:
        return float(np.mean(self.opportunities)) if self.opportunities else float("nan")

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "mean_opportunities_to_goal": round(self.mean, 2),
            "median": float(np.median(self.opportunities)) if self.opportunities else None,
            "reached_goal_fraction": round(float(np.mean(self.reached)), 4) if self.reached else None,
        }
        if self.placement_questions:
            out["placement"] = {
                "questions": round(float(np.mean(self.placement_questions)), 2),
                "skill_state_accuracy": round(float(np.mean(self.placement_accuracy)), 4)
                if self.placement_accuracy
                else None,
            }
        return out


@dataclass(frozen=True)
class SimulationReport:
    scenario: str
    learners: int
    seed: int
    budget: int
    skills: int
    goals: tuple[str, ...]
    policies: dict[str, PolicySummary]
    placement: tuple[PlacementRun, ...] = field(default=())

    def ratio(self, policy: str, to: str) -> float | None:
        if policy not in self.policies or to not in self.policies or self.policies[to].mean == 0:
            return None
        return self.policies[policy].mean / self.policies[to].mean

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "scenario": self.scenario,
            "learners": self.learners,
            "seed": self.seed,
            "budget": self.budget,
            "skills": self.skills,
            "goals": len(self.goals),
            "policies": {k: v.to_dict() for k, v in self.policies.items()},
        }
        for name in self.policies:
            for base in ("oracle", "fixed", "random"):
                r = self.ratio(name, base)
                if r is not None and name != base:
                    out["policies"][name][f"ratio_to_{base}"] = round(r, 3)
        if self.placement:
            out["placement"] = {
                "learners": len(self.placement),
                "questions": round(float(np.mean([p.questions for p in self.placement])), 2),
                "skill_state_accuracy": round(float(np.mean([p.accuracy for p in self.placement])), 4),
                "min_skill_state_accuracy": round(float(min(p.accuracy for p in self.placement)), 4),
                "share_at_least_90": round(float(np.mean([p.accuracy >= 0.9 for p in self.placement])), 4),
            }
        return out


def simulate(
    curriculum: Curriculum,
    scenario: Scenario,
    policies: Sequence[str] = POLICIES,
    learners: int = 100,
    seed: int = 0,
    goal: str | None = None,
    budget: int = 2000,
    placement_config: placement.PlacementConfig | None = None,
    measure_placement: bool = True,
    config: LearnpathConfig | None = None,
    on_step: Callable[[int], None] | None = None,
) -> SimulationReport:
    """Run every policy on the same ``learners`` synthetic learners (see the module docstring)."""
    goals = (curriculum.goal_index(goal),) if goal is not None else curriculum.reference_goals()
    views: dict[int, GoalView] = {}
    episodes: dict[str, list[Episode]] = {p: [] for p in policies}
    placements: list[PlacementRun] = []
    pcfg = placement_config or placement.PlacementConfig()
    for k in range(learners):
        rng = np.random.default_rng([seed, k])
        learner = scenario.learner(curriculum, rng)
        g = goals[int(rng.integers(len(goals)))]
        if "learnpath" in policies and g not in views:
            views[g] = GoalView.of(curriculum, g)
        for j, name in enumerate(policies):
            prng = np.random.default_rng([seed, k, 1 + POLICIES.index(name) if name in POLICIES else 99 + j])
            episodes[name].append(
                run_episode(curriculum, learner, name, g, prng, budget, views.get(g), config, k)
            )
        if measure_placement:
            placements.append(
                place(curriculum, learner, np.random.default_rng([seed, k, 0]), replace(pcfg, seed=k))
            )
        if on_step is not None:
            on_step(k + 1)
    summaries = {
        name: PolicySummary(
            name,
            tuple(e.opportunities for e in eps),
            tuple(e.reached for e in eps),
            tuple(e.placement_questions for e in eps) if name == "learnpath" else (),
            tuple(e.placement_accuracy for e in eps if e.placement_accuracy is not None)
            if name == "learnpath"
            else (),
        )
        for name, eps in episodes.items()
    }
    return SimulationReport(
        scenario.name,
        learners,
        seed,
        budget,
        curriculum.size,
        tuple(curriculum.skills[g] for g in goals),
        summaries,
        tuple(placements),
    )
