"""Tutoring policies for the simulator: ``fixed``, ``random``, ``oracle`` and ``learnpath``.

Each policy runs one episode (one learner, one goal) through two calls, ``choose()`` -> ``(skill, teaches)``
or None to stop, and ``observe(skill, correct)``. Skills are indices into the ``Curriculum``.

- ``fixed``: the goal's prerequisites (every ancestor), then the goal, in curriculum order (grade, then
  code, prerequisites first), each until three correct in a row (the ASSISTments skill-builder rule).
- ``random``: the same mastery rule (three in a row), but each opportunity goes to a skill chosen uniformly
  among the goal's closure skills that are *ready* (not yet three-in-a-row, every prerequisite three-in-a-row).
- ``oracle``: sees the true state; practises the first unknown skill of the closure whose prerequisites
  are known, and stops the moment the goal is known. It never spends an opportunity to find out.
- ``learnpath``: sees only answers. A placement (``learnpath.recommend.placement``) over the goal's closure,
  then a particle belief over knowledge states closed under prerequisites (each particle a joint state of
  the closure plus a learning rate): an answer reweighs the particles with guess 0.2 and slip 0.1 (BKT
  evidence), practice on a skill whose prerequisites a particle knows teaches it there with the particle's
  rate (BKT transition), so a right answer on a skill confirms its prerequisites and wrong answers on a
  skill that should have been learned by now cast doubt on them. Each opportunity goes to the skill most
  likely to be learnable now (unknown, prerequisites known), first among the skills not yet believed known
  (P < ``move_on``) whose prerequisites all are; it stops when P(goal known) >= ``stop_at``.
  Slow or blocked? The particles alone explain a run of wrong answers by a low rate, so the policy also
  learns the learner's one rate *across skills* (a grid posterior, uniform prior over ``rate``: a skill
  answered wrong ``n`` times, then right twice in a row, was learned at its ``n``-th opportunity). A run of
  ``f`` wrong answers on a skill is *stuck* when a ready skill would still be unlearned after ``f``
  opportunities with probability below ``stuck_p`` under that posterior (0.35: four wrong answers before
  any skill is seen learned, then three at a rate of 0.3, two at 0.45, seven at 0.15; ``stuck_p`` 0: after
  ``stuck_after``). Stuck, it checks each direct prerequisite without ``probe_run`` right answers in a row
  with *one question* (least believed first): a right answer clears it, a wrong one makes a share ``doubt``
  of the particles lose it (and its dependents, weighed by the right answers in a row that contradict
  them), so it is practised. When every prerequisite has such a run, ``doubt`` is spread over them all.
  Particles are resampled when their effective number falls below half (a share ``fresh``, 0 by default,
  redrawn from the placement's posterior).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol

import numpy as np
import numpy.typing as npt

from learnpath.core.graph import SkillGraph
from learnpath.recommend import placement
from learnpath.simulate.curriculum import Curriculum

__all__ = [
    "POLICIES",
    "FixedPolicy",
    "LearnpathConfig",
    "LearnpathPolicy",
    "OraclePolicy",
    "Policy",
    "RandomPolicy",
    "make_policy",
]

PolicyName = Literal["learnpath", "fixed", "random", "oracle"]
POLICIES: tuple[PolicyName, ...] = ("learnpath", "fixed", "random", "oracle")
Action = tuple[int, bool]


class Policy(Protocol):
    def choose(self) -> Action | None: ...

    def observe(self, skill: int, correct: bool) -> None: ...


class FixedPolicy:
    def __init__(self, curriculum: Curriculum, goal: int, streak_to_master: int = 3) -> None:
        self.queue = curriculum.closure(goal)
        self.at = 0
        self.streak = 0
        self.need = streak_to_master

    def choose(self) -> Action | None:
        return (self.queue[self.at], True) if self.at < len(self.queue) else None

    def observe(self, skill: int, correct: bool) -> None:
        self.streak = self.streak + 1 if correct else 0
        if self.streak >= self.need:
            self.at += 1
            self.streak = 0


class RandomPolicy:
    def __init__(
        self, curriculum: Curriculum, goal: int, rng: np.random.Generator, streak_to_master: int = 3
    ) -> None:
        self.c = curriculum
        self.goal = goal
        self.closure = curriculum.closure(goal)
        self.rng = rng
        self.need = streak_to_master
        self.streak: dict[int, int] = {}
        self.mastered: set[int] = set()

    def choose(self) -> Action | None:
        if self.goal in self.mastered:
            return None
        ready = [
            s
            for s in self.closure
            if s not in self.mastered and all(int(p) in self.mastered for p in self.c.prereqs[s])
        ]
        return (ready[int(self.rng.integers(len(ready)))], True)

    def observe(self, skill: int, correct: bool) -> None:
        self.streak[skill] = self.streak.get(skill, 0) + 1 if correct else 0
        if self.streak[skill] >= self.need:
            self.mastered.add(skill)


class OraclePolicy:
    def __init__(self, curriculum: Curriculum, goal: int, known: npt.NDArray[np.bool_]) -> None:
        self.c = curriculum
        self.goal = goal
        self.closure = curriculum.closure(goal)
        self.known = known  # the learner's live true state (read only)

    def choose(self) -> Action | None:
        if self.known[self.goal]:
            return None
        for s in self.closure:
            if not self.known[s] and self.known[self.c.prereqs[s]].all():
                return (s, True)
        return None  # pragma: no cover - an unknown goal always has an unknown, ready ancestor

    def observe(self, skill: int, correct: bool) -> None:
        return None


@dataclass(frozen=True)
class LearnpathConfig:
    """Knobs of the ``learnpath`` policy; the defaults are the ones benchmarked."""

    placement_questions: int = 8
    placement_target: float = 0.9
    particles: int = 1000
    rate: tuple[float, float] = (0.1, 0.5)
    guess: float = 0.2
    slip: float = 0.1
    stop_at: float = 0.95
    fresh: float = 0.0
    stuck_after: int = 3
    doubt: float = 0.8
    move_on: float = 0.9
    probe_run: int = 2  # stuck: check prerequisites with fewer right answers in a row (0: doubt at once)
    stuck_p: float = 0.35  # stuck when P(still unlearned | the rate learned across skills) is below it


@dataclass(frozen=True, eq=False)
class GoalView:
    """The goal's closure as its own small graph (for the placement), with local prerequisite indices."""

    members: tuple[int, ...]
    graph: SkillGraph[str]
    levels: Mapping[str, float]
    prereqs: tuple[npt.NDArray[np.intp], ...]
    goal_local: int

    @classmethod
    def of(cls, curriculum: Curriculum, goal: int) -> GoalView:
        members = curriculum.closure(goal)
        local = {s: i for i, s in enumerate(members)}
        codes = [curriculum.skills[s] for s in members]
        edges = [
            (curriculum.skills[int(p)], curriculum.skills[s]) for s in members for p in curriculum.prereqs[s]
        ]
        graph = SkillGraph.build(codes, edges)
        prereqs = tuple(
            np.array([local[int(p)] for p in curriculum.prereqs[s]], dtype=np.intp) for s in members
        )
        levels = {curriculum.skills[s]: float(curriculum.level[s]) for s in members}
        return cls(members, graph, levels, prereqs, local[goal])


class LearnpathPolicy:
    def __init__(
        self, view: GoalView, rng: np.random.Generator, config: LearnpathConfig | None = None
    ) -> None:
        self.v = view
        self.cfg = config or LearnpathConfig()
        self.rng = rng
        self.local = {s: i for i, s in enumerate(view.members)}
        kids: list[list[int]] = [[] for _ in view.members]
        for i, pre in enumerate(view.prereqs):
            for p in pre:
                kids[int(p)].append(i)
        self.descendants: list[list[int]] = []
        for i in range(len(view.members)):
            seen, todo = {i}, [i]
            while todo:
                for d in kids[todo.pop()]:
                    if d not in seen:
                        seen.add(d)
                        todo.append(d)
            self.descendants.append(sorted(seen))
        self.state = placement.start(
            view.graph,
            view.levels,
            placement.PlacementConfig(
                max_questions=self.cfg.placement_questions,
                target_accuracy=self.cfg.placement_target,
                guess=self.cfg.guess,
                slip=self.cfg.slip,
                seed=int(rng.integers(2**31)),
            ),
        )
        self.question: placement.Question | None = placement.next_question(self.state)
        self.placement_done = self.question is None
        self.placement_questions = 0
        self.estimate: dict[str, float] = {}
        self.known = np.zeros((len(view.members), 0), dtype=bool)
        self.rate = np.zeros(0)
        self.w = np.zeros(0)
        self.fails: dict[int, int] = {}
        self.run = np.zeros(len(view.members))  # right answers in a row, per skill
        self.tries = np.zeros(len(view.members))  # wrong answers in practice, per skill
        self.rate_counted: set[int] = set()  # skills whose learning the rate posterior has counted
        self.rate_grid = np.linspace(*self.cfg.rate, 31)
        self.rate_log = np.zeros(self.rate_grid.size)  # log posterior of the learner's rate, across skills
        self.probes: list[int] = []  # prerequisites to check next, one question each (local indices)
        if self.placement_done:
            self._begin_practice()

    # --- belief ------------------------------------------------------------------------------------------
    def _draw(self, n: int) -> tuple[npt.NDArray[np.bool_], npt.NDArray[np.float64]]:
        states = placement.sample_states(self.state, n, self.rng).T.copy()
        return states, self.rng.uniform(*self.cfg.rate, size=n)

    def _begin_practice(self) -> None:
        self.estimate = placement.result(self.state).p_known()
        self.known, self.rate = self._draw(self.cfg.particles)
        self.w = np.full(self.cfg.particles, 1.0 / self.cfg.particles)

    def _ready(self) -> npt.NDArray[np.bool_]:
        """(skills, particles): every prerequisite known."""
        out = np.ones_like(self.known)
        for i, pre in enumerate(self.v.prereqs):
            if pre.size:
                out[i] = self.known[pre].all(axis=0)
        return out

    def p_goal(self) -> float:
        return float(self.w @ self.known[self.v.goal_local])

    # --- policy ------------------------------------------------------------------------------------------
    def choose(self) -> Action | None:
        if not self.placement_done:
            assert self.question is not None
            return (self.v.members[self.local_of(self.question.skill)], False)
        if self.p_goal() >= self.cfg.stop_at:
            return None
        if self.probes:
            return (self.v.members[self.probes[0]], True)
        learnable = (~self.known & self._ready()) @ self.w
        if self.cfg.move_on < 1.0:
            p_known = self.known @ self.w
            confident = p_known >= self.cfg.move_on
            eligible = ~confident & np.array([bool(confident[pre].all()) for pre in self.v.prereqs])
            if eligible.any():
                learnable = np.where(eligible, learnable + 1.0, learnable)
        return (self.v.members[int(np.argmax(learnable))], True)

    def local_of(self, code: str) -> int:
        return self.v.graph.skills.index(code)

    def observe(self, skill: int, correct: bool) -> None:
        if not self.placement_done:
            assert self.question is not None
            self.state = placement.answer(self.state, self.question, correct)
            self.placement_questions += 1
            self.question = placement.next_question(self.state)
            if self.question is None:
                self.placement_done = True
                self._begin_practice()
            return
        i = self.local[skill]
        k = self.known[i]
        g, sl = self.cfg.guess, self.cfg.slip
        lik = np.where(k, 1.0 - sl, g) if correct else np.where(k, sl, 1.0 - g)
        pre = self.v.prereqs[i]
        ready: npt.NDArray[np.bool_] = (
            np.asarray(self.known[pre].all(axis=0)) if pre.size else np.ones(k.shape, dtype=bool)
        )
        learn = ~k & ready & (self.rng.random(k.size) < self.rate)
        self.known[i] = k | learn
        w = self.w * lik
        self.w = w / w.sum()
        self.fails[i] = 0 if correct else self.fails.get(i, 0) + 1
        self.run[i] = self.run[i] + 1 if correct else 0
        self._learn_rate(i, correct)
        if self.probes and self.probes[0] == i:
            self.probes.pop(0)
            if not correct:  # the check failed: now doubt this prerequisite (and stop checking the rest)
                self.probes = []
                self._doubt(np.array([i], dtype=np.intp))
        elif pre.size and self._is_stuck(i):
            self.fails[i] = 0
            self._stuck(pre)
        if 1.0 / float(self.w @ self.w) < 0.5 * self.w.size:
            self._resample()

    def _is_stuck(self, i: int) -> bool:
        """Wrong answers in a row on ``i`` more than a slow learner explains: P(a ready skill is still
        unlearned after that many opportunities), under the learner's rate learned across skills, below
        ``stuck_p`` (at least two wrong). With ``stuck_p`` 0, ``stuck_after`` wrong answers in a row."""
        f = self.fails.get(i, 0)
        if self.cfg.stuck_p <= 0.0:
            return f >= self.cfg.stuck_after
        if f < 2:
            return False
        return float(self.rate_posterior() @ (1.0 - self.rate_grid) ** f) < self.cfg.stuck_p

    def rate_posterior(self) -> npt.NDArray[np.float64]:
        """P(the learner's rate = ``rate_grid[j]``), from the skills learned so far (uniform prior)."""
        post = np.exp(self.rate_log - self.rate_log.max())
        return np.asarray(post / post.sum(), dtype=np.float64)

    def _learn_rate(self, i: int, correct: bool) -> None:
        """A skill answered wrong ``n`` times and then right twice in a row counts as learned at its ``n``-th
        opportunity: the rate's likelihood gains (1 - r)^(n - 1) r (once per skill)."""
        if not correct:
            self.tries[i] += 1
            return
        if i not in self.rate_counted and self.tries[i] >= 1 and self.run[i] >= 2:
            self.rate_counted.add(i)
            n = self.tries[i]
            self.rate_log += (n - 1) * np.log1p(-self.rate_grid) + np.log(self.rate_grid)

    def _stuck(self, prereqs: npt.NDArray[np.intp]) -> None:
        """Stuck on a skill: check each direct prerequisite that has fewer than ``probe_run`` right answers
        in a row with one question (least believed first; a wrong answer doubts it, see ``observe``); when
        every one has such a run, doubt them all at once. One question clears a false alarm (a slow learner,
        not a blocked one), where a doubt costs two or three right answers to undo."""
        order = prereqs[np.argsort(self.known[prereqs] @ self.w, kind="stable")]
        self.probes = [int(p) for p in order if self.run[p] < self.cfg.probe_run]
        if not self.probes:
            self._doubt(prereqs)

    def _doubt(self, prereqs: npt.NDArray[np.intp]) -> None:
        """Prerequisites in doubt: in a share ``doubt`` of the particles, one of ``prereqs`` (and so each of its
        dependents) becomes unknown, so that the policy checks the prerequisites next. A true state closed
        under prerequisites always shows a missing ancestor among the direct prerequisites."""
        n = self.w.size
        picked = np.flatnonzero(self.rng.random(n) < self.cfg.doubt)
        which = prereqs[self.rng.integers(prereqs.size, size=picked.size)]
        g, sl = self.cfg.guess, self.cfg.slip
        log_factor = np.zeros(n)
        for p in np.unique(which):
            cols = picked[which == p]
            for d in self.descendants[int(p)]:
                # A run of right answers on d argues against d being unknown: weigh the move by it.
                log_factor[cols] += np.where(self.known[d, cols], self.run[d] * np.log(g / (1.0 - sl)), 0.0)
                self.known[d, cols] = False
        w = self.w * np.exp(log_factor)
        self.w = w / w.sum()

    def _resample(self) -> None:
        n = self.w.size
        positions = (self.rng.random() + np.arange(n)) / n
        idx = np.minimum(np.searchsorted(np.cumsum(self.w), positions), n - 1)
        self.known = self.known[:, idx]
        self.rate = np.clip(self.rate[idx] + self.rng.normal(0.0, 0.02, size=n), 0.02, 0.95)
        n_fresh = round(self.cfg.fresh * n)
        if n_fresh:
            slots = self.rng.choice(n, size=n_fresh, replace=False)
            fresh, rate = self._draw(n_fresh)
            self.known[:, slots] = fresh
            self.rate[slots] = rate
        self.w = np.full(n, 1.0 / n)


def make_policy(
    name: str,
    curriculum: Curriculum,
    goal: int,
    rng: np.random.Generator,
    known: npt.NDArray[np.bool_],
    view: GoalView | None = None,
    config: LearnpathConfig | None = None,
) -> Policy:
    """The named policy for one episode. ``known`` is the learner's true state (only ``oracle`` reads it)."""
    if name == "fixed":
        return FixedPolicy(curriculum, goal)
    if name == "random":
        return RandomPolicy(curriculum, goal, rng)
    if name == "oracle":
        return OraclePolicy(curriculum, goal, known)
    if name == "learnpath":
        return LearnpathPolicy(view or GoalView.of(curriculum, goal), rng, config)
    from learnpath.errors import ValidationError

    raise ValidationError.for_field("policy", f"unknown policy {name!r}; known: {', '.join(POLICIES)}")
