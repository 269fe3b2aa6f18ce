"""Small groups for mini-lessons: learners who share a topic (a next skill, or an error pattern) sit together.

Input: for each learner, the topics they need, best first (:class:`LearnerNeeds`); a target size; the
teacher's pair rules. Output: a :class:`Grouping` of ``k = ceil(n / size)`` groups whose sizes differ by at
most one (so none is larger than ``size``), every learner in exactly one group, learners the teacher keeps
apart never together and those kept together always together.

**Which topics get a group.** Each learner votes for their first topic; the ``k`` groups are shared among
the topics by the D'Hondt rule (a topic with twice the votes gets about twice the groups; ties go to the
topic met first). Learners with no topic vote for "no topic" (``None``): for example learners with no
history yet.

**Who goes where.** A CP-SAT model (OR-Tools) places each learner to maximise the total fit: 3 for a group on
the learner's first topic, 2 for the second, 1 for the third, 0 otherwise (a learner with no topics fits a
``None`` group with 3). Sizes and pair rules are hard constraints. When the balanced sizes cannot hold the
pair rules, sizes 1 to ``size`` are allowed, then one more group, and so on (one learner per group always
works once "together" blocks fit a group, which is checked first).

**The group's topic** is then the one its members fit best (the seat's topic on ties), so the reason shown
("4 of 5 are ready for Equivalent fractions") counts exactly who shares it.

Pure: no I/O, no clock; the solver runs with one worker and a fixed seed, so the same input gives the same
groups.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from learnpath.errors import FieldError, ValidationError
from learnpath.orchestrate.pairs import PairBlocks, pair_blocks

__all__ = [
    "FIT_BY_RANK",
    "GroupPlan",
    "Grouping",
    "LearnerNeeds",
    "form_groups",
    "group_sizes",
]

FIT_BY_RANK = (3, 2, 1)
"""How well a group fits a learner when its topic is their 1st, 2nd or 3rd topic."""
MAX_SIZE = 200


@dataclass(frozen=True)
class LearnerNeeds:
    """A learner and the topics they need, best first (a topic is any hashable key: a skill code, an
    error pattern id). An empty tuple: nothing known."""

    learner_id: int
    topics: tuple[str, ...] = ()


@dataclass(frozen=True)
class GroupPlan:
    topic: str | None
    learner_ids: tuple[int, ...]
    matched: tuple[int, ...]
    """The members for whom ``topic`` is among their topics (for ``None``: members with no topics)."""


@dataclass(frozen=True)
class Grouping:
    groups: tuple[GroupPlan, ...]
    status: str
    """``optimal`` (proved by the solver), ``feasible`` (time limit reached first) or ``empty``."""
    objective: int
    """The total fit of the placement (see the module docstring)."""
    bound: int
    """The solver's upper bound on the total fit (equal to ``objective`` when optimal)."""
    relaxed: bool = False
    """True when the balanced sizes could not keep the pair rules and sizes were loosened."""


def group_sizes(n: int, size: int) -> tuple[int, int, int]:
    """``(k, smallest, largest)``: ``k = ceil(n / size)`` groups of ``floor(n/k)`` or ``ceil(n/k)``."""
    if n <= 0:
        return 0, 0, 0
    k = math.ceil(n / size)
    return k, n // k, math.ceil(n / k)


def _check(needs: Sequence[LearnerNeeds], size: int) -> None:
    problems = []
    if not 1 <= size <= MAX_SIZE:
        problems.append(FieldError("size", f"1 to {MAX_SIZE}, got {size}"))
    seen: set[int] = set()
    for n in needs:
        if n.learner_id in seen:
            problems.append(FieldError("learner_ids", f"learner {n.learner_id} is listed twice"))
        seen.add(n.learner_id)
    if problems:
        raise ValidationError("cannot form groups", problems)


def _seats(needs: Sequence[LearnerNeeds], k: int) -> list[str | None]:
    """The topic of each of the ``k`` groups, by the D'Hondt rule over first-topic votes."""
    votes: dict[str | None, int] = {}
    for n in needs:
        first = n.topics[0] if n.topics else None
        votes[first] = votes.get(first, 0) + 1
    order = {t: i for i, t in enumerate(votes)}  # first met first
    won: dict[str | None, int] = dict.fromkeys(votes, 0)
    seats: list[str | None] = []
    for _ in range(k):
        best = max(votes, key=lambda t: (votes[t] / (won[t] + 1), -order[t]))
        won[best] += 1
        seats.append(best)
    return seats


def _fit(topics: tuple[str, ...], topic: str | None) -> int:
    if topic is None:
        return FIT_BY_RANK[0] if not topics else 0
    for rank, t in enumerate(topics[: len(FIT_BY_RANK)]):
        if t == topic:
            return FIT_BY_RANK[rank]
    return 0


def _matches(topics: tuple[str, ...], topic: str | None) -> bool:
    return not topics if topic is None else topic in topics


def _solve(
    needs: Sequence[LearnerNeeds],
    seats: Sequence[str | None],
    lo: int,
    hi: int,
    blocks: PairBlocks,
    time_limit_s: float,
    seed: int,
) -> tuple[list[int], str, int, int] | None:
    """Group index of each learner (in ``needs`` order), status, objective, bound; None if infeasible."""
    from ortools.sat.python import cp_model  # heavy: loaded only when groups are formed

    model = cp_model.CpModel()
    ids = [n.learner_id for n in needs]
    index = {lid: i for i, lid in enumerate(ids)}
    k = len(seats)
    x = [[model.new_bool_var(f"x{i}_{g}") for g in range(k)] for i in range(len(ids))]
    for row in x:
        model.add_exactly_one(row)
    for g in range(k):
        model.add_linear_constraint(sum(x[i][g] for i in range(len(ids))), lo, hi)
    for a, b in blocks.apart:
        for g in range(k):
            model.add_bool_or([x[index[a]][g].Not(), x[index[b]][g].Not()])
    for block in blocks.together:
        first, *rest = (index[m] for m in block)
        for other in rest:
            for g in range(k):
                model.add(x[first][g] == x[other][g])
    weights = [[_fit(n.topics, seats[g]) for g in range(k)] for n in needs]
    model.maximize(sum(weights[i][g] * x[i][g] for i in range(len(ids)) for g in range(k)))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = 1
    solver.parameters.random_seed = seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    placed = [next(g for g in range(k) if solver.boolean_value(x[i][g])) for i in range(len(ids))]
    return (
        placed,
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        round(solver.objective_value),
        round(solver.best_objective_bound),
    )


def form_groups(
    needs: Sequence[LearnerNeeds],
    size: int,
    *,
    apart: Iterable[tuple[int, int]] = (),
    together: Iterable[tuple[int, int]] = (),
    time_limit_s: float = 1.0,
    seed: int = 0,
) -> Grouping:
    """Groups of at most ``size`` learners around shared topics (see the module docstring).

    Pair rules naming learners outside ``needs`` are ignored. ValidationError: a bad size, a learner
    listed twice, or pair rules that contradict each other or cannot fit a group of ``size``.
    """
    _check(needs, size)
    if not needs:
        return Grouping((), "empty", 0, 0)
    ids = [n.learner_id for n in needs]
    blocks = pair_blocks(ids, apart, together, size)
    k, lo, hi = group_sizes(len(needs), size)
    seats = _seats(needs, k)
    trials = [(seats, lo, hi), (seats, 1, size)]
    trials += [([*seats, *([None] * extra)], 1, size) for extra in range(1, len(needs) - k + 1)]
    result = None
    for number, (trial_seats, trial_lo, trial_hi) in enumerate(trials):
        result = _solve(needs, trial_seats, trial_lo, trial_hi, blocks, time_limit_s, seed)
        if result is not None:
            seats, relaxed = trial_seats, number > 0
            break
    if result is None:  # cannot happen once blocks fit a group (one block per group always works)
        raise ValidationError("the pair rules cannot be kept", [FieldError("pair_rules", "no placement")])
    placed, status, objective, bound = result
    by_need: Mapping[int, LearnerNeeds] = {n.learner_id: n for n in needs}
    groups = []
    for g, seat in enumerate(seats):
        members = tuple(sorted(lid for lid, at in zip(ids, placed, strict=True) if at == g))
        if not members:
            continue
        candidates: list[str | None] = [seat]
        for lid in members:
            candidates += [t for t in by_need[lid].topics[: len(FIT_BY_RANK)] if t not in candidates]
        if None not in candidates:
            candidates.append(None)
        topic = max(
            candidates,
            key=lambda t: (sum(_fit(by_need[m].topics, t) for m in members), t == seat),
        )
        matched = tuple(m for m in members if _matches(by_need[m].topics, topic))
        groups.append(GroupPlan(topic, members, matched))
    groups.sort(key=lambda p: (-len(p.matched), p.topic is None, p.learner_ids))
    return Grouping(tuple(groups), status, objective, bound, relaxed)
