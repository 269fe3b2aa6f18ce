"""Backward design: the path from what a learner knows to a set of goal skills, and the learner's frontier.

Both answers are pure functions of the prerequisite graph and the learner's mastery (P(mastery) per skill; a
skill is *mastered* at ``MasteryRules.mastered_at``):

- :func:`ready_to_learn`: skills not mastered whose prerequisites are all mastered (in the graph's stable
  topological order).
- :func:`path_to_goal`: the unmastered skills a learner still has to master to reach the goals, in an order
  that respects every prerequisite, each with an estimate of the practice it needs.

**Which skills the path holds.** Walking backwards from each goal through its prerequisites, the walk stops
at mastered skills: a mastered skill is neither on the path nor looked behind (a learner who has mastered
"multiply fractions" is not sent back to an unmastered prerequisite of it). Mastered goals add nothing.

**Order.** Goals are served in the order given: the first goal's missing prerequisites come first (in the
graph's topological order), then that goal, then what the second goal still needs, and so on. So the path is
a topological order of its skills, and a learner reaches the first goal as early as possible.

**Practice time (the estimator).** A :class:`Pace` says how many attempts a learner typically needs to master
a skill (``attempts_to_mastery``) and how long one attempt takes (``seconds_per_attempt``).
:func:`estimate_pace` gets both from the learner's own history, shrunk towards a prior pace (the class's, or
:data:`DEFAULT_PACE`) when the history is short::

    attempts_to_mastery = (n * median(attempts on each mastered skill) + k_s * prior) / (n + k_s)
    seconds_per_attempt = (m * median(attempt durations)         + k_a * prior) / (m + k_a)

where ``n`` is the number of skills the learner has mastered, ``m`` the number of timed attempts (durations
outside 1 s to 10 min are ignored: a learner who walked away says nothing about their pace), and the prior
weights are ``k_s = 3`` skills and ``k_a = 10`` attempts. With no history the prior is used as is; after a
few dozen skills the learner's own medians dominate. Medians, not means, so a few very slow items do not
swing the estimate.

A skill on the path already practised ``d`` times needs ``max(attempts_to_mastery - d, attempts_to_mastery /
4)`` more attempts (someone past their usual count still needs some practice), and its time is those
attempts times ``seconds_per_attempt``.
"""

from __future__ import annotations

import statistics
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, NamedTuple, TypeVar

from learnpath.core.graph import SkillGraph
from learnpath.core.mastery import MasteryRules
from learnpath.errors import FieldError, ValidationError

__all__ = [
    "DEFAULT_PACE",
    "MAX_DURATION_MS",
    "MIN_DURATION_MS",
    "LearningPath",
    "Pace",
    "PathStep",
    "estimate_pace",
    "mastered_skills",
    "path_to_goal",
    "ready_to_learn",
]

K = TypeVar("K", bound=Hashable)

PaceSource = Literal["default", "class", "learner"]

MIN_DURATION_MS = 1_000
MAX_DURATION_MS = 10 * 60 * 1000
PRIOR_SKILLS = 3.0
PRIOR_ATTEMPTS = 10.0
MIN_REMAINING_SHARE = 0.25


@dataclass(frozen=True)
class Pace:
    """How fast a learner masters skills: attempts per skill, seconds per attempt, and the evidence behind it.

    ``n_skills`` and ``n_attempts`` count the mastered skills and timed attempts the estimate rests on;
    ``source`` says whose history dominates it (``learner`` once the learner's own evidence outweighs the
    prior on both figures)."""

    attempts_to_mastery: float
    seconds_per_attempt: float
    n_skills: int = 0
    n_attempts: int = 0
    source: PaceSource = "default"

    def attempts_left(self, attempts_done: int) -> float:
        """Attempts still needed on a skill already practised ``attempts_done`` times."""
        return max(self.attempts_to_mastery - attempts_done, self.attempts_to_mastery * MIN_REMAINING_SHARE)

    def minutes_for(self, attempts: float) -> float:
        return attempts * self.seconds_per_attempt / 60.0


DEFAULT_PACE = Pace(attempts_to_mastery=8.0, seconds_per_attempt=40.0)
"""A pace for learners (and classes) with no history: 8 attempts per skill at 40 s each, about 5 minutes."""


def _shrunk(samples: Sequence[float], prior: float, weight: float) -> float:
    if not samples:
        return prior
    n = len(samples)
    return (n * float(statistics.median(samples)) + weight * prior) / (n + weight)


def estimate_pace(
    attempts_per_mastered_skill: Iterable[int],
    durations_ms: Iterable[int | None],
    prior: Pace = DEFAULT_PACE,
    source: PaceSource = "learner",
) -> Pace:
    """The pace behind a history, shrunk towards ``prior`` (see the module docstring for the formula).

    ``attempts_per_mastered_skill``: for each mastered skill, the attempts it took (non-positive counts are
    ignored). ``durations_ms``: attempt durations (``None`` and values outside 1 s to 10 min are ignored).
    ``source`` names whose history this is; the result keeps the prior's source until that history holds at
    least as much weight as the prior on both figures."""
    counts = [float(c) for c in attempts_per_mastered_skill if c > 0]
    seconds = [d / 1000.0 for d in durations_ms if d is not None and MIN_DURATION_MS <= d <= MAX_DURATION_MS]
    own = len(counts) >= PRIOR_SKILLS and len(seconds) >= PRIOR_ATTEMPTS
    return Pace(
        attempts_to_mastery=max(1.0, _shrunk(counts, prior.attempts_to_mastery, PRIOR_SKILLS)),
        seconds_per_attempt=_shrunk(seconds, prior.seconds_per_attempt, PRIOR_ATTEMPTS),
        n_skills=len(counts),
        n_attempts=len(seconds),
        source=source if own else prior.source,
    )


class PathStep(NamedTuple, Generic[K]):
    """One skill on the path: whether it is a goal, practice done so far, and what is left.

    (A named tuple: a path can hold thousands of steps, and these are cheap to make.)"""

    skill: K
    is_goal: bool
    attempts_done: int
    attempts_left: float
    minutes: float


@dataclass(frozen=True)
class LearningPath(Generic[K]):
    """The path, kept as columns (one tuple per field, in path order): a path can hold thousands of skills,
    and a few tuples are much cheaper to make than thousands of small objects. :attr:`steps` gives rows."""

    goals: tuple[K, ...]
    """The goals asked for, in order (mastered ones included; they add no step)."""
    skills: tuple[K, ...]
    attempts_done: tuple[int, ...]
    attempts_left: tuple[float, ...]
    minutes: tuple[float, ...]
    pace: Pace

    @property
    def steps(self) -> tuple[PathStep[K], ...]:
        goals = set(self.goals)
        return tuple(
            PathStep(s, s in goals, n, left, m)
            for s, n, left, m in zip(
                self.skills, self.attempts_done, self.attempts_left, self.minutes, strict=True
            )
        )

    @property
    def total_minutes(self) -> float:
        return sum(self.minutes)

    @property
    def goals_met(self) -> tuple[K, ...]:
        """Goals already mastered."""
        on_path = set(self.skills)
        return tuple(g for g in self.goals if g not in on_path)


def mastered_skills(
    graph: SkillGraph[K], mastery: Mapping[K, float], rules: MasteryRules | None = None
) -> set[K]:
    """Skills of ``graph`` whose P(mastery) reaches the rules' threshold (missing skills count as 0)."""
    threshold = (rules or MasteryRules()).mastered_at
    known = graph.positions()
    return {k for k, p in mastery.items() if p >= threshold and k in known}


def ready_to_learn(
    graph: SkillGraph[K], mastery: Mapping[K, float], rules: MasteryRules | None = None
) -> list[K]:
    """Skills not yet mastered whose direct prerequisites are all mastered, in topological order."""
    done = mastered_skills(graph, mastery, rules)
    prereqs = graph.prerequisite_map()
    return [s for s in graph.topological_order() if s not in done and done.issuperset(prereqs[s])]


def path_to_goal(
    graph: SkillGraph[K],
    goals: Sequence[K],
    mastery: Mapping[K, float],
    *,
    attempts: Mapping[K, int] | None = None,
    pace: Pace = DEFAULT_PACE,
    rules: MasteryRules | None = None,
) -> LearningPath[K]:
    """The unmastered skills to master, in order, so that every goal is reached (see the module docstring).

    ``mastery``: P(mastery) per skill (missing: not started). ``attempts``: attempts made so far per skill,
    for the time estimate. Unknown goals raise ``ValidationError`` naming each one."""
    unknown = [g for g in goals if not graph.has(g)]
    if unknown:
        raise ValidationError(
            f"unknown goal skill(s): {', '.join(map(str, unknown))}",
            [FieldError("goal", f"no skill {g!r}") for g in unknown],
        )
    goal_tuple = tuple(dict.fromkeys(goals))
    done = mastered_skills(graph, mastery, rules)
    done_attempts = attempts or {}
    positions = graph.positions()
    prereqs = graph.prerequisite_map()
    order_all = graph.topological_order()
    seen: set[K] = set(done)  # mastered, or already placed on the path
    order: list[K] = []
    for goal in goal_tuple:
        if goal in seen:
            continue
        seen.add(goal)
        needed = [goal]
        todo = [goal]
        while todo:
            for p in prereqs[todo.pop()]:
                if p not in seen:
                    seen.add(p)
                    needed.append(p)
                    todo.append(p)
        if len(needed) * 8 > len(order_all):  # a big chunk: filtering the whole order beats sorting
            chunk_set = set(needed)
            order.extend(s for s in order_all if s in chunk_set)
        else:
            order.extend(sorted(needed, key=positions.__getitem__))
    per_skill, floor = pace.attempts_to_mastery, pace.attempts_to_mastery * MIN_REMAINING_SHARE
    per_minute = pace.seconds_per_attempt / 60.0
    done_n = tuple(done_attempts.get(s, 0) for s in order)
    # Pace.attempts_left and minutes_for, inlined over the column
    left = tuple(per_skill - n if per_skill - n > floor else floor for n in done_n)
    return LearningPath(goal_tuple, tuple(order), done_n, left, tuple(x * per_minute for x in left), pace)
