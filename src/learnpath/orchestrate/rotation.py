"""Station rotations: who goes to which station when, built as an OR-Tools CP-SAT model.

Pure: no I/O, no clock, no global randomness (the solver gets an explicit seed and a time limit).

The teacher describes stations (a name, a modality, a capacity and a length in minutes) and the period. The
period is cut into equal *slots* (the greatest common divisor of the station lengths): a 20-minute station
takes two 10-minute slots in a row. A *rotation* gives each learner one station per slot, such that

- every learner is at exactly one station in every slot;
- a learner stays at a station for its whole length and visits it at most once ("required" stations: exactly
  once);
- no station holds more learners than its capacity in any slot;
- two learners kept apart never share a station in the same slot;
- cells the teacher fixed by hand keep their station.

Among those, the solver maximises what the learners need most (:data:`VALUE`, points per minute): teacher time
for those who need re-teaching, practice for those ready to practise, enrichment for those ahead; learners kept
together earn a bonus for every slot they share. The result says whether it is proved optimal, its objective
and the solver's upper bound (the gap between them).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from ortools.sat.python import cp_model

from learnpath.core.mastery import MasteryRules
from learnpath.errors import FieldError, ValidationError

__all__ = [
    "MAX_SLOTS",
    "MAX_STATIONS",
    "MODALITIES",
    "NEEDS",
    "TOGETHER_BONUS",
    "VALUE",
    "Modality",
    "Need",
    "NeedReason",
    "RotationProblem",
    "RotationSolution",
    "SkillFact",
    "Station",
    "Violation",
    "apply_move",
    "check_rotation",
    "need_after_flipped",
    "need_of",
    "score_rotation",
    "solve_rotation",
    "validate_problem",
    "validate_stations",
]

Need = Literal["reteach", "practice", "enrich"]
NEEDS: tuple[Need, ...] = ("reteach", "practice", "enrich")
Modality = Literal["teacher", "practice", "video", "hands_on", "collaborative", "enrichment"]
MODALITIES: tuple[Modality, ...] = ("teacher", "practice", "video", "hands_on", "collaborative", "enrichment")

VALUE: dict[Need, dict[Modality, int]] = {
    "reteach": {"teacher": 10, "video": 5, "hands_on": 5, "practice": 3, "collaborative": 3, "enrichment": 0},
    "practice": {"teacher": 3, "video": 3, "hands_on": 5, "practice": 8, "collaborative": 4, "enrichment": 2},
    "enrich": {"teacher": 1, "video": 2, "hands_on": 6, "practice": 3, "collaborative": 6, "enrichment": 10},
}
"""Points per minute a learner with a need earns at a station of a modality (the objective's weights)."""
TOGETHER_BONUS = 3
"""Points per minute two learners kept together earn for sharing a station."""

MAX_STATIONS = 12
MAX_SLOTS = 24
MAX_LEARNERS = 200
MAX_CAPACITY = 200
MAX_MINUTES = 480
MAX_NAME = 60
ENRICH_SHARE = 0.8
"""A learner who has mastered this share of the focus skills (and struggles on none) is ahead."""
LOW_MASTERY = 0.4
"""After 3 or more attempts, a mastery below this asks for re-teaching even without a wrong streak."""


@dataclass(frozen=True)
class Station:
    """One station of a rotation. ``required``: every learner visits it once."""

    name: str
    modality: Modality
    capacity: int
    minutes: int
    required: bool = False


@dataclass(frozen=True)
class RotationProblem:
    """Everything the solver needs; learners are ids, stations are referred to by their index."""

    stations: tuple[Station, ...]
    period_minutes: int
    learners: tuple[int, ...]
    needs: Mapping[int, Need]
    apart: tuple[tuple[int, int], ...] = ()
    together: tuple[tuple[int, int], ...] = ()
    fixed: Mapping[tuple[int, int], int] = field(default_factory=dict)
    """(learner, slot) -> station index: cells set by hand that the solver keeps."""

    @property
    def slot_minutes(self) -> int:
        lengths = [s.minutes for s in self.stations if s.minutes > 0]
        return math.gcd(*lengths) if lengths else 1

    @property
    def n_slots(self) -> int:
        return self.period_minutes // self.slot_minutes

    @property
    def spare_minutes(self) -> int:
        """Minutes of the period left over after the last slot (time to tidy up)."""
        return self.period_minutes - self.n_slots * self.slot_minutes

    def blocks(self, station: int) -> int:
        """Slots a station takes."""
        return self.stations[station].minutes // self.slot_minutes


@dataclass(frozen=True)
class RotationSolution:
    """A solved rotation: ``grid[learner]`` is the station index in each slot."""

    grid: dict[int, tuple[int, ...]]
    status: Literal["optimal", "feasible"]
    objective: int
    bound: float
    wall_s: float

    @property
    def gap(self) -> float:
        """(bound - objective) / bound: 0 when proved optimal."""
        if self.bound <= 0:
            return 0.0
        return max(0.0, (self.bound - self.objective) / self.bound)


ViolationKind = Literal["missing", "capacity", "apart", "split", "repeat", "required", "together"]


@dataclass(frozen=True)
class Violation:
    """A rule a rotation breaks. ``hard`` rules make a plan wrong; 'together' is only a wish."""

    kind: ViolationKind
    learners: tuple[int, ...]
    slot: int | None = None
    station: int | None = None
    count: int = 0

    @property
    def hard(self) -> bool:
        return self.kind != "together"


# ---------------------------------------------------------------- what each learner needs


@dataclass(frozen=True)
class SkillFact:
    """A learner's mastery of one skill (as stored per learner and skill)."""

    code: str
    p_mastery: float
    n_attempts: int
    recent_wrong: int


@dataclass(frozen=True)
class NeedReason:
    """A learner's need and why: the skills to re-teach, or how many focus skills they have mastered."""

    need: Need
    skills: tuple[str, ...] = ()
    mastered: int = 0
    of: int = 0
    overridden: bool = False


def need_of(
    facts: Sequence[SkillFact], focus: Sequence[str], rules: MasteryRules | None = None
) -> NeedReason:
    """What a learner needs most on the ``focus`` skills, from their mastery.

    Re-teach: struggling on a focus skill, or below :data:`LOW_MASTERY` after 3 or more attempts (worst
    first). Enrich: none of that, and :data:`ENRICH_SHARE` of the focus skills mastered. Practice otherwise.
    """
    rules = rules or MasteryRules()
    wanted = set(focus)
    on_focus = [f for f in facts if f.code in wanted]
    mastered = sum(
        1 for f in on_focus if rules.level(f.p_mastery, f.n_attempts, f.recent_wrong) == "mastered"
    )
    weak = sorted(
        (
            f
            for f in on_focus
            if rules.level(f.p_mastery, f.n_attempts, f.recent_wrong) == "struggling"
            or (f.n_attempts >= rules.min_attempts and f.p_mastery < LOW_MASTERY)
        ),
        key=lambda f: (f.p_mastery, f.code),
    )
    if weak:
        return NeedReason("reteach", tuple(f.code for f in weak), mastered, len(wanted))
    if wanted and mastered >= math.ceil(ENRICH_SHARE * len(wanted)):
        return NeedReason("enrich", (), mastered, len(wanted))
    return NeedReason("practice", (), mastered, len(wanted))


def need_after_flipped(did_the_work: bool, check_right: int, check_size: int, mastered: bool) -> Need:
    """What a learner needs in class after a flipped lesson: re-teach when they did not do the work (watch and
    pass the check), enrich when every check item was right or the skill is already mastered, else practice."""
    if not did_the_work:
        return "reteach"
    full = check_size > 0 and check_right == check_size
    return "enrich" if full or mastered else "practice"


# ---------------------------------------------------------------- checking a problem before solving


def _fits(blocks: Sequence[int], required: Sequence[int], total: int) -> bool:
    """Whether some stations (each at most once, the required ones always) fill exactly ``total`` slots."""
    base = sum(blocks[i] for i in required)
    reachable = {base}
    for i, b in enumerate(blocks):
        if i in required:
            continue
        reachable |= {r + b for r in reachable if r + b <= total}
    return total in reachable


def validate_stations(stations: Sequence[Station], period_minutes: int | None = None) -> list[FieldError]:
    """Every problem with a list of stations (``period_minutes``: also check that each fits in it)."""
    errors: list[FieldError] = []
    if len(stations) > MAX_STATIONS:
        errors.append(FieldError("stations", f"at most {MAX_STATIONS} stations, got {len(stations)}"))
    seen: set[str] = set()
    for i, s in enumerate(stations):
        name = s.name.strip()
        if not name or len(name) > MAX_NAME:
            errors.append(FieldError(f"stations[{i}].name", f"1 to {MAX_NAME} characters, got {len(name)}"))
        elif name.casefold() in seen:
            errors.append(FieldError(f"stations[{i}].name", f"two stations are called {name!r}"))
        seen.add(name.casefold())
        if s.modality not in MODALITIES:
            errors.append(
                FieldError(
                    f"stations[{i}].modality", f"expected one of {', '.join(MODALITIES)}, got {s.modality!r}"
                )
            )
        if not 1 <= s.capacity <= MAX_CAPACITY:
            errors.append(FieldError(f"stations[{i}].capacity", f"1 to {MAX_CAPACITY}, got {s.capacity}"))
        if not 1 <= s.minutes <= MAX_MINUTES:
            errors.append(FieldError(f"stations[{i}].minutes", f"1 to {MAX_MINUTES}, got {s.minutes}"))
        elif period_minutes is not None and s.minutes > period_minutes:
            errors.append(
                FieldError(
                    f"stations[{i}].minutes",
                    f"{s.minutes} minutes do not fit in a period of {period_minutes} minutes",
                )
            )
    return errors


def validate_problem(problem: RotationProblem) -> list[FieldError]:
    """Every problem with the stations, the period, the learners and the fixed cells (empty: solvable shape)."""
    stations = problem.stations
    errors = validate_stations(stations, problem.period_minutes)
    if not stations:
        errors.append(FieldError("stations", "describe at least one station"))
    if not 1 <= problem.period_minutes <= MAX_MINUTES:
        errors.append(FieldError("period_minutes", f"1 to {MAX_MINUTES}, got {problem.period_minutes}"))
    n = len(problem.learners)
    if not 1 <= n <= MAX_LEARNERS:
        errors.append(FieldError("learner_ids", f"1 to {MAX_LEARNERS} learners, got {n}"))
    if len(set(problem.learners)) != n:
        errors.append(FieldError("learner_ids", "a learner appears twice"))
    for lid in problem.learners:
        if problem.needs.get(lid) not in NEEDS:
            errors.append(
                FieldError(
                    f"needs.{lid}", f"expected one of {', '.join(NEEDS)}, got {problem.needs.get(lid)!r}"
                )
            )
    if errors:
        return errors
    slots = problem.n_slots
    if slots > MAX_SLOTS:
        errors.append(
            FieldError(
                "stations",
                f"the lengths cut the period into {slots} slots of {problem.slot_minutes} minutes "
                f"(at most {MAX_SLOTS}): use lengths that share a larger block, such as multiples of 5",
            )
        )
        return errors
    seats = sum(s.capacity for s in stations)
    if seats < n:
        errors.append(
            FieldError(
                "stations", f"the stations seat {seats} learners at a time, but {n} learners take part"
            )
        )
    blocks = [problem.blocks(i) for i in range(len(stations))]
    required = [i for i, s in enumerate(stations) if s.required]
    if not _fits(blocks, required, slots):
        errors.append(
            FieldError(
                "stations",
                f"no set of stations (each visited at most once, the required ones always) fills {slots} "
                f"slots of {problem.slot_minutes} minutes (the period has {problem.period_minutes}): add a "
                "station or change the lengths",
            )
        )
    else:
        for i, station in enumerate(stations):
            forced = station.required or not _fits(
                [b if j != i else 0 for j, b in enumerate(blocks)], [r for r in required if r != i], slots
            )
            most = station.capacity * slots // blocks[i]
            if forced and n > most:
                errors.append(
                    FieldError(
                        f"stations[{i}].capacity",
                        f"every learner has to visit {station.name.strip()} to fill the period, but its "
                        f"{station.capacity} seats take at most {most} of the {n} learners in the period",
                    )
                )
    members = set(problem.learners)
    for key, pairs in (("apart", problem.apart), ("together", problem.together)):
        for a, b in pairs:
            if a == b or a not in members or b not in members:
                errors.append(FieldError(key, f"the pair ({a}, {b}) is not two learners of this rotation"))
    clash = {tuple(sorted(p)) for p in problem.apart} & {tuple(sorted(p)) for p in problem.together}
    for a, b in sorted(clash):
        errors.append(FieldError("together", f"learners {a} and {b} are to be kept both apart and together"))
    for (lid, slot), st in sorted(problem.fixed.items()):
        if lid not in members or not 0 <= slot < slots or not 0 <= st < len(stations):
            errors.append(
                FieldError("fixed", f"learner {lid}, slot {slot + 1}, station {st + 1}: not in this rotation")
            )
    return errors


# ---------------------------------------------------------------- the CP-SAT model


@dataclass
class _Model:
    model: cp_model.CpModel
    starts: dict[tuple[int, int, int], cp_model.IntVar]  # (learner, station, start slot)
    cover: dict[tuple[int, int, int], list[cp_model.IntVar]]  # (learner, station, slot) -> starts covering it


def _build(problem: RotationProblem, *, keep_apart: bool = True, keep_fixed: bool = True) -> _Model:
    model = cp_model.CpModel()
    slots = problem.n_slots
    n_st = len(problem.stations)
    starts: dict[tuple[int, int, int], cp_model.IntVar] = {}
    cover: dict[tuple[int, int, int], list[cp_model.IntVar]] = {}
    for lid in problem.learners:
        for s in range(n_st):
            k = problem.blocks(s)
            own = []
            for t in range(slots - k + 1):
                x = model.new_bool_var(f"x_{lid}_{s}_{t}")
                starts[(lid, s, t)] = x
                own.append(x)
                for u in range(t, t + k):
                    cover.setdefault((lid, s, u), []).append(x)
            if problem.stations[s].required:
                model.add_exactly_one(own)
            elif own:
                model.add_at_most_one(own)
        for t in range(slots):
            model.add_exactly_one([x for s in range(n_st) for x in cover.get((lid, s, t), [])])
    for s, station in enumerate(problem.stations):
        for t in range(slots):
            here = [x for lid in problem.learners for x in cover.get((lid, s, t), [])]
            if len(here) > station.capacity:
                model.add(sum(here) <= station.capacity)
    if keep_apart:
        for a, b in problem.apart:
            for s in range(n_st):
                for t in range(slots):
                    both = cover.get((a, s, t), []) + cover.get((b, s, t), [])
                    if len(both) > 1:
                        model.add_at_most_one(both)
    if keep_fixed:
        for (lid, t), s in problem.fixed.items():
            model.add(sum(cover.get((lid, s, t), [])) == 1)
    gain = []
    for (lid, s, _t), x in starts.items():
        station = problem.stations[s]
        gain.append(VALUE[problem.needs[lid]][station.modality] * station.minutes * x)
    bonus = TOGETHER_BONUS * problem.slot_minutes
    for a, b in problem.together:
        for s in range(n_st):
            for t in range(slots):
                za, zb = cover.get((a, s, t), []), cover.get((b, s, t), [])
                if za and zb:
                    z = model.new_bool_var(f"z_{a}_{b}_{s}_{t}")
                    model.add(z <= sum(za))
                    model.add(z <= sum(zb))
                    gain.append(bonus * z)
    model.maximize(sum(gain))
    return _Model(model, starts, cover)


def _solver(time_limit_s: float, workers: int, seed: int) -> cp_model.CpSolver:
    """CP-SAT with a full linear relaxation (its bound proves most rotations optimal at once); with 2 or more
    workers the first two search with that relaxation (``max_lp``) and the default one."""
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit_s
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    solver.parameters.linearization_level = 2
    if workers >= 2:
        solver.parameters.subsolvers.extend(["max_lp", "default_lp"])
    return solver


def _diagnose(problem: RotationProblem, time_limit_s: float, workers: int, seed: int) -> str:
    """Which rule makes a problem infeasible: the first whose relaxation lets it solve."""
    tries: list[tuple[str, dict[str, bool]]] = []
    if problem.fixed:
        tries.append(
            ("the stations set by hand cannot all be kept with the other rules", {"keep_fixed": False})
        )
    if problem.apart:
        tries.append(("the keep-apart rules cannot all be kept with these capacities", {"keep_apart": False}))
    for message, relax in tries:
        built = _build(problem, **relax)
        status = _solver(time_limit_s, workers, seed).solve(built.model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return message
    return "the capacities, lengths and required stations leave no way to seat everyone in every slot"


def solve_rotation(
    problem: RotationProblem,
    *,
    time_limit_s: float = 2.0,
    workers: int = 2,
    seed: int = 0,
    hint: Mapping[int, Sequence[int]] | None = None,
) -> RotationSolution:
    """The best rotation found within ``time_limit_s`` (ValidationError, naming the cause, if none exists).

    ``hint`` (a previous grid) seeds the search, e.g. when re-planning around hand moves.
    """
    errors = validate_problem(problem)
    if errors:
        details = "; ".join(f"{e.field}: {e.message}" for e in errors)
        raise ValidationError(f"the rotation cannot be planned as described ({details})", errors)
    built = _build(problem)
    if hint:
        for (lid, s, t), x in built.starts.items():
            row = hint.get(lid)
            if row is not None and t < len(row):
                begins = row[t] == s and (t == 0 or row[t - 1] != s)
                built.model.add_hint(x, begins)
    solver = _solver(time_limit_s, workers, seed)
    status = solver.solve(built.model)
    if status == cp_model.INFEASIBLE:
        cause = _diagnose(problem, time_limit_s, workers, seed)
        raise ValidationError(f"no rotation meets every rule: {cause}", [FieldError("stations", cause)])
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        message = (
            f"no rotation was found within {time_limit_s:g} s; there may be none: check that the seats of the "
            "long stations hold everyone, or allow more time"
        )
        raise ValidationError(message, [FieldError("stations", message)])
    slots = problem.n_slots
    grid: dict[int, list[int]] = {lid: [-1] * slots for lid in problem.learners}
    for (lid, s, t), x in built.starts.items():
        if solver.boolean_value(x):
            for u in range(t, t + problem.blocks(s)):
                grid[lid][u] = s
    return RotationSolution(
        {lid: tuple(row) for lid, row in grid.items()},
        "optimal" if status == cp_model.OPTIMAL else "feasible",
        round(solver.objective_value),
        float(solver.best_objective_bound),
        float(solver.wall_time),
    )


# ---------------------------------------------------------------- checking and adjusting a rotation


def _runs(row: Sequence[int]) -> list[tuple[int, int, int]]:
    """(station, first slot, length) of each run of equal stations in a learner's row."""
    out: list[tuple[int, int, int]] = []
    for t, s in enumerate(row):
        if out and out[-1][0] == s and out[-1][1] + out[-1][2] == t:
            station, first, length = out[-1]
            out[-1] = (station, first, length + 1)
        else:
            out.append((s, t, 1))
    return out


def check_rotation(problem: RotationProblem, grid: Mapping[int, Sequence[int]]) -> list[Violation]:
    """Every rule ``grid`` breaks, hard ones first (slot by slot), then the wishes not met."""
    slots, n_st = problem.n_slots, len(problem.stations)
    out: list[Violation] = []
    rows: dict[int, Sequence[int]] = {}
    for lid in problem.learners:
        row = grid.get(lid)
        if row is None or len(row) != slots or any(not 0 <= s < n_st for s in row):
            out.append(Violation("missing", (lid,)))
        else:
            rows[lid] = row
    for t in range(slots):
        for s, station in enumerate(problem.stations):
            here = tuple(lid for lid, row in rows.items() if row[t] == s)
            if len(here) > station.capacity:
                out.append(Violation("capacity", here, t, s, len(here) - station.capacity))
        for a, b in problem.apart:
            if a in rows and b in rows and rows[a][t] == rows[b][t]:
                out.append(Violation("apart", (a, b), t, rows[a][t]))
    for lid, row in rows.items():
        runs = _runs(row)
        visits: dict[int, int] = {}
        for s, first, length in runs:
            visits[s] = visits.get(s, 0) + 1
            k = problem.blocks(s)
            if length % k:
                out.append(Violation("split", (lid,), first, s, length))
        for s, count in sorted(visits.items()):
            times = count + sum(length // problem.blocks(s) - 1 for st, _f, length in runs if st == s)
            if times > 1:
                out.append(Violation("repeat", (lid,), None, s, times))
        for s, station in enumerate(problem.stations):
            if station.required and s not in visits:
                out.append(Violation("required", (lid,), None, s))
    for a, b in problem.together:
        if a in rows and b in rows and not any(rows[a][t] == rows[b][t] for t in range(slots)):
            out.append(Violation("together", (a, b)))
    return out


def score_rotation(problem: RotationProblem, grid: Mapping[int, Sequence[int]]) -> int:
    """The objective of any grid (a hand-adjusted one too): need points per minute plus together bonuses."""
    total = 0
    for lid in problem.learners:
        row = grid.get(lid, ())
        for s in row:
            if 0 <= s < len(problem.stations):
                station = problem.stations[s]
                total += VALUE[problem.needs[lid]][station.modality] * problem.slot_minutes
    for a, b in problem.together:
        ra, rb = grid.get(a, ()), grid.get(b, ())
        total += sum(TOGETHER_BONUS * problem.slot_minutes for x, y in zip(ra, rb, strict=False) if x == y)
    return total


def apply_move(
    problem: RotationProblem, grid: Mapping[int, Sequence[int]], learner: int, slot: int, station: int
) -> tuple[dict[int, tuple[int, ...]], list[tuple[int, int]]]:
    """``learner`` goes to ``station`` from ``slot`` for the station's whole length.

    Returns the new grid and the (learner, slot) cells the move set; ValidationError if the move does not fit.
    """
    slots = problem.n_slots
    problems: list[FieldError] = []
    if learner not in problem.learners or learner not in grid:
        problems.append(FieldError("learner_id", f"learner {learner} is not in this rotation"))
    if not 0 <= station < len(problem.stations):
        problems.append(FieldError("station", f"1 to {len(problem.stations)}, got {station + 1}"))
    if not 0 <= slot < slots:
        problems.append(FieldError("slot", f"1 to {slots}, got {slot + 1}"))
    if problems:
        raise ValidationError("the move does not fit this rotation", problems)
    k = problem.blocks(station)
    if slot + k > slots:
        name = problem.stations[station].name
        raise ValidationError(
            "the move does not fit this rotation",
            [FieldError("slot", f"{name} takes {k} slots: start it at slot {slots - k + 1} or earlier")],
        )
    out = {lid: tuple(row) for lid, row in grid.items()}
    row = list(out[learner])
    cells = []
    for t in range(slot, slot + k):
        row[t] = station
        cells.append((learner, t))
    out[learner] = tuple(row)
    return out, cells
