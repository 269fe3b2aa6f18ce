"""Collaborative teams for a project or a jigsaw: complementary mastery, peer tutors, pair rules, balance.

Input: the learners with their P(mastery) of the skills the project needs (:class:`TeamLearner`), a team size
and the teacher's pair rules. ``k = ceil(n / size)`` teams are formed, sizes differing by at most one.

A learner is an **expert** on a skill they have mastered (P >= ``mastered_at``, 0.95 as everywhere in
learnpath). A CP-SAT model (OR-Tools) chooses the teams to maximise, in this order of weight:

1. **coverage**: for every team and needed skill, some member is an expert on it (``W_COVER`` each);
2. **peer tutors**: a learner who has not mastered a needed skill shares a team with an expert on it
   (``W_TUTOR`` for each such learner);
3. **balance**: minus the largest gap between a team's total mastery and its share of the class's
   (``size_t * class mean``), in percentage points.

"Keep apart" and "keep together" are hard constraints; when the balanced sizes cannot keep them, sizes 1 to
``size`` are allowed, then more teams (``relaxed`` says so). The solver stops at ``time_limit_s``: the result
says whether the teams are proved ``optimal`` or only ``feasible``, with the objective and the solver's
bound, so the gap is known. Roles follow from the teams: each covered skill gets one expert in each team
(``expert:CODE``, the most confident member not yet an expert of another skill); tutor/tutee pairs match a
non-expert with the team's expert on the skill they know least.

Pure: no I/O, no clock; fixed seed, so one worker gives the same teams for the same input.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import FieldError, ValidationError
from learnpath.orchestrate.grouping import MAX_SIZE, group_sizes
from learnpath.orchestrate.pairs import PairBlocks, pair_blocks

__all__ = [
    "W_COVER",
    "W_TUTOR",
    "Team",
    "TeamLearner",
    "TeamPlan",
    "TutorPair",
    "describe_team",
    "form_teams",
]

W_COVER = 200
W_TUTOR = 40
MAX_SKILLS = 12


@dataclass(frozen=True)
class TeamLearner:
    learner_id: int
    mastery: Mapping[str, float] = field(default_factory=dict)
    """P(mastery) by skill code; a skill missing is 0."""


@dataclass(frozen=True)
class TutorPair:
    tutor: int
    tutee: int
    skill: str


@dataclass(frozen=True)
class Team:
    learner_ids: tuple[int, ...]
    covered: tuple[str, ...]
    """Needed skills some member has mastered."""
    missing: tuple[str, ...]
    """Needed skills no member has mastered."""
    experts: Mapping[str, int]
    """Skill -> the member who is the team's expert on it."""
    pairs: tuple[TutorPair, ...]
    mean_mastery: float
    """Mean over members and needed skills of P(mastery), in [0, 1]."""

    def role_of(self, learner_id: int) -> str:
        """``expert:CODE``, ``tutor``, ``tutee`` or ``""``."""
        for skill, expert in self.experts.items():
            if expert == learner_id:
                return f"expert:{skill}"
        if any(p.tutor == learner_id for p in self.pairs):
            return "tutor"
        if any(p.tutee == learner_id for p in self.pairs):
            return "tutee"
        return ""


@dataclass(frozen=True)
class TeamPlan:
    teams: tuple[Team, ...]
    skills: tuple[str, ...]
    status: str
    """``optimal``, ``feasible`` or ``empty``."""
    objective: int
    bound: int
    uncoverable: tuple[str, ...]
    """Needed skills nobody in the class has mastered: no team can cover them."""
    relaxed: bool = False
    """True when the balanced sizes could not keep the pair rules, so sizes (or the count) were loosened."""

    @property
    def gap(self) -> float:
        """Relative distance of the objective from the solver's bound (0 when optimal)."""
        return 0.0 if self.bound <= 0 else max(0.0, (self.bound - self.objective) / self.bound)


def _check(learners: Sequence[TeamLearner], size: int, skills: Sequence[str]) -> None:
    problems = []
    if not 2 <= size <= MAX_SIZE:
        problems.append(FieldError("size", f"2 to {MAX_SIZE}, got {size}"))
    if not 1 <= len(skills) <= MAX_SKILLS:
        problems.append(FieldError("skills", f"1 to {MAX_SKILLS} skills, got {len(skills)}"))
    if len(set(skills)) != len(skills):
        problems.append(FieldError("skills", "a skill is listed twice"))
    seen: set[int] = set()
    for learner in learners:
        if learner.learner_id in seen:
            problems.append(FieldError("learner_ids", f"learner {learner.learner_id} is listed twice"))
        seen.add(learner.learner_id)
        bad = [s for s, p in learner.mastery.items() if not 0.0 <= p <= 1.0]
        problems += [FieldError("mastery", f"learner {learner.learner_id}: {s} outside [0, 1]") for s in bad]
    if problems:
        raise ValidationError("cannot form teams", problems)


def describe_team(
    members: tuple[int, ...], by_id: Mapping[int, TeamLearner], skills: Sequence[str], at: float = MASTERED_AT
) -> Team:
    """A team's coverage, experts, tutor pairs and mean mastery (for any members: suggested or moved)."""

    def p(lid: int, s: str) -> float:
        return by_id[lid].mastery.get(s, 0.0)

    covered = tuple(s for s in skills if any(p(m, s) >= at for m in members))
    experts: dict[str, int] = {}
    # Skills with the fewest candidate experts choose first, so each gets its own expert where possible.
    for s in sorted(covered, key=lambda s: (sum(p(m, s) >= at for m in members), skills.index(s))):
        able = [m for m in members if p(m, s) >= at]
        free = [m for m in able if m not in experts.values()] or able
        experts[s] = max(free, key=lambda m: (p(m, s), -m))
    pairs = []
    for m in members:
        learning = [s for s in covered if p(m, s) < at]
        if learning:
            s = min(learning, key=lambda s: (p(m, s), skills.index(s)))
            pairs.append(TutorPair(experts[s], m, s))
    total = sum(p(m, s) for m in members for s in skills)
    return Team(
        members,
        covered,
        tuple(s for s in skills if s not in covered),
        {s: experts[s] for s in covered},
        tuple(pairs),
        total / (len(members) * len(skills)),
    )


def _snake(
    expert_count: Sequence[int],
    points: Sequence[int],
    k: int,
    hi: int,
    blocks: PairBlocks,
    ids: Sequence[int],
) -> list[int]:
    """A starting point for the solver: learners (a "together" block as one) dealt to teams like a sports
    draft, most expert first, back and forth, skipping a team that is full or holds someone to keep apart;
    teams numbered by their first member as the model requires."""
    index = {lid: i for i, lid in enumerate(ids)}
    units: list[list[int]] = []
    seen: set[int] = set()
    for lid in ids:
        if lid not in seen:
            block = [index[m] for m in blocks.block_of(lid)]
            seen.update(blocks.block_of(lid))
            units.append(block)
    units.sort(key=lambda u: (-sum(expert_count[i] for i in u), -sum(points[i] for i in u), u[0]))
    apart = {(index[a], index[b]) for a, b in blocks.apart} | {(index[b], index[a]) for a, b in blocks.apart}
    team = [0] * len(points)
    members: list[list[int]] = [[] for _ in range(k)]
    for rank, unit in enumerate(units):
        lap, pos = divmod(rank, k)
        start = pos if lap % 2 == 0 else k - 1 - pos
        fits = [
            t
            for t in (*range(start, k), *range(start))
            if len(members[t]) + len(unit) <= hi
            and not any((i, j) in apart for i in unit for j in members[t])
        ]
        chosen = fits[0] if fits else min(range(k), key=lambda t: len(members[t]))
        for i in unit:
            team[i] = chosen
        members[chosen] += unit
    first: dict[int, int] = {}
    for i in range(len(points)):
        first.setdefault(team[i], len(first))
    return [first[t] for t in team]


def form_teams(
    learners: Sequence[TeamLearner],
    size: int,
    skills: Sequence[str],
    *,
    apart: Iterable[tuple[int, int]] = (),
    together: Iterable[tuple[int, int]] = (),
    mastered_at: float = MASTERED_AT,
    time_limit_s: float = 1.0,
    workers: int = 2,
    seed: int = 0,
) -> TeamPlan:
    """Teams of at most ``size`` with complementary mastery (see the module docstring)."""
    _check(learners, size, skills)
    skills = tuple(skills)
    if not learners:
        return TeamPlan((), skills, "empty", 0, 0, ())
    from ortools.sat.python import cp_model  # heavy: loaded only when teams are formed

    ids = [t.learner_id for t in learners]
    by_id = {t.learner_id: t for t in learners}
    blocks = pair_blocks(ids, apart, together, size)
    n = len(ids)
    expert = {(i, s): learners[i].mastery.get(s, 0.0) >= mastered_at for i in range(n) for s in skills}
    uncoverable = tuple(s for s in skills if not any(expert[i, s] for i in range(n)))
    points = [round(100 * sum(t.mastery.get(s, 0.0) for s in skills) / len(skills)) for t in learners]
    expert_count = [sum(expert[i, s] for s in skills) for i in range(n)]
    total = sum(points)

    def attempt(k: int, lo: int, hi: int) -> tuple[Any, Any, list[list[Any]]]:
        """Solve with ``k`` teams of ``lo`` to ``hi``: (status, solver, placement variables)."""
        model = cp_model.CpModel()
        x = [[model.new_bool_var(f"x{i}_{t}") for t in range(k)] for i in range(n)]
        for row in x:
            model.add_exactly_one(row)
        for t in range(k):
            model.add_linear_constraint(sum(x[i][t] for i in range(n)), lo, hi)
        index = {lid: i for i, lid in enumerate(ids)}
        for a, b in blocks.apart:
            for t in range(k):
                model.add_bool_or([x[index[a]][t].Not(), x[index[b]][t].Not()])
        for block in blocks.together:
            first, *rest = (index[m] for m in block)
            for other in rest:
                for t in range(k):
                    model.add(x[first][t] == x[other][t])
        # Teams are interchangeable: number them by their first member, so learner i sits in a team <= i.
        for i in range(n):
            for t in range(i + 1, k):
                model.add(x[i][t] == 0)

        cover: dict[tuple[int, str], Any] = {}
        for s in skills:
            able_ids = [i for i in range(n) if expert[i, s]]
            if not able_ids:
                continue
            for t in range(k):
                cover[t, s] = model.new_bool_var(f"c{t}_{s}")
                model.add(sum(x[i][t] for i in able_ids) >= cover[t, s])
            # an expert covers one team: tightens the bound
            model.add(sum(cover[t, s] for t in range(k)) <= min(k, len(able_ids)))
        any_expert = [i for i in range(n) if expert_count[i]]
        has_expert = []
        for t in range(k):
            z = model.new_bool_var(f"z{t}")
            model.add(sum(x[i][t] for i in any_expert) >= z)
            has_expert.append(z)
        model.add(sum(has_expert) <= len(any_expert))
        tutored: dict[tuple[int, int], Any] = {}
        tutors_of: dict[int, list[int]] = {}
        for i in range(n):
            learning = [s for s in skills if not expert[i, s]]
            tutors_of[i] = [j for j in range(n) if j != i and any(expert[j, s] for s in learning)]
            if not learning or not tutors_of[i]:
                continue
            for t in range(k):
                y = tutored[i, t] = model.new_bool_var(f"y{i}_{t}")
                model.add_implication(y, x[i][t])
                model.add_implication(y, has_expert[t])
                model.add(sum(x[j][t] for j in tutors_of[i]) >= y)
        for t in range(k):  # only a team with an expert has tutees
            model.add(sum(y for (_, team), y in tutored.items() if team == t) <= hi * has_expert[t])
        # Balance: n * (team total) - (team size) * (class total) = n * size_t * (team mean - class mean).
        spread = model.new_int_var(0, n * 100 * hi, "spread")
        gaps = []
        for t in range(k):
            gap = sum((n * points[i] - total) * x[i][t] for i in range(n))
            gaps.append(gap)
            model.add(spread >= gap)
            model.add(spread >= -gap)
        # spread / n is in percentage points x team size; weights are scaled by n to stay integral.
        model.maximize(n * (W_COVER * sum(cover.values()) + W_TUTOR * sum(tutored.values())) - spread)
        # A whole starting solution (a sports draft), so even one worker starts from good teams.
        start = _snake(expert_count, points, k, hi, blocks, ids)
        for i in range(n):
            for t in range(k):
                model.add_hint(x[i][t], start[i] == t)
        for (t, s), c in cover.items():
            model.add_hint(c, any(start[i] == t and expert[i, s] for i in range(n)))
        for t, z in enumerate(has_expert):
            model.add_hint(z, any(start[i] == t for i in any_expert))
        for (i, t), y in tutored.items():
            model.add_hint(y, start[i] == t and any(start[j] == t for j in tutors_of[i]))
        model.add_hint(
            spread,
            max(abs(sum(n * points[i] - total for i in range(n) if start[i] == t)) for t in range(k)),
        )
        solver = cp_model.CpSolver()
        solver.parameters.max_time_in_seconds = time_limit_s
        solver.parameters.num_workers = workers
        solver.parameters.random_seed = seed
        status = solver.solve(model)
        return status, solver, x

    k, lo, hi = group_sizes(n, size)
    trials = [(k, lo, hi), (k, 1, size)] + [(more, 1, size) for more in range(k + 1, n + 1)]
    for number, (k, lo, hi) in enumerate(trials):
        status, solver, x = attempt(k, lo, hi)
        if status != cp_model.INFEASIBLE:
            relaxed = number > 0
            break
    if status == cp_model.INFEASIBLE:  # cannot happen once "together" blocks fit a team (checked above)
        raise ValidationError("the pair rules cannot be kept", [FieldError("pair_rules", "no placement")])
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        raise ValidationError(
            "no teams found in the time allowed",
            [FieldError("time_limit_s", f"{time_limit_s} s was too short")],
        )
    placed = [next(t for t in range(k) if solver.boolean_value(x[i][t])) for i in range(n)]
    teams = [tuple(sorted(ids[i] for i in range(n) if placed[i] == t)) for t in range(k)]
    return TeamPlan(
        tuple(describe_team(m, by_id, skills, mastered_at) for m in teams if m),
        skills,
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        round(solver.objective_value),
        round(solver.best_objective_bound),
        uncoverable,
        relaxed,
    )
