"""Station rotations of a class: its reusable stations, planning a rotation from the learner model, hand moves.

A teacher (own class) or admin (school's class) describes the stations once (:func:`save_stations`) and plans
a rotation for a period (:func:`plan_rotation`): each learner's need (re-teach, practice, enrich) comes from
their mastery of the lesson's skills (or from ``needs``), pair rules come from the class
(``service.groups.pair_rules``), and the CP-SAT model in ``learnpath.orchestrate.rotation`` assigns stations.
Plans are saved; :func:`adjust_rotation` applies hand moves, re-checks every rule, and can re-plan the rest
with the hand moves kept. Each use case is one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.orchestrate.rotation import (
    NEEDS,
    Modality,
    Need,
    RotationProblem,
    RotationSolution,
    Station,
    Violation,
    apply_move,
    check_rotation,
    score_rotation,
    solve_rotation,
    validate_stations,
)
from learnpath.service.access import Actor, require_class, require_role
from learnpath.service.context import ServiceContext
from learnpath.service.groups import check_members, pair_rules
from learnpath.service.rotation_needs import learner_needs, reason_dict, skill_names
from learnpath.storage.tables import (
    ClassLearner,
    RotationPlanLearner,
    RotationPlanRow,
    RotationStation,
    SkillRow,
    User,
)

__all__ = [
    "ClassStation",
    "Move",
    "PlanLearner",
    "PlanViolation",
    "RotationPlan",
    "RotationSpec",
    "RotationSummary",
    "adjust_rotation",
    "delete_rotation",
    "get_rotation",
    "list_rotations",
    "plan_rotation",
    "plan_rotation_in",
    "save_stations",
    "stations_of",
]

MAX_TITLE = 100
MAX_NOTES = 500
MAX_MOVES = 200


@dataclass(frozen=True)
class ClassStation:
    """A station as the teacher describes it; ``notes`` are shown on its printed page (materials, task)."""

    name: str
    modality: str
    capacity: int
    minutes: int
    required: bool = False
    notes: str = ""

    def station(self) -> Station:
        return Station(
            self.name.strip(), cast(Modality, self.modality), self.capacity, self.minutes, self.required
        )


@dataclass(frozen=True)
class RotationSpec:
    """What to plan: the period, the stations (None: the class's saved ones), a title, the lesson's skills
    (empty: the skills at least half the learners have practised)."""

    period_minutes: int
    stations: tuple[ClassStation, ...] | None = None
    title: str = ""
    skill_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Move:
    """A hand move: ``learner_id`` goes to station ``station`` (0-based) from slot ``slot`` (0-based)."""

    learner_id: int
    slot: int
    station: int


@dataclass(frozen=True)
class PlanLearner:
    learner_id: int
    name: str
    need: str
    reason: dict[str, Any]
    """``skills`` [{code, name}] to re-teach, ``mastered`` of ``of`` focus skills, ``overridden``."""
    stations: tuple[int, ...]
    fixed_slots: tuple[int, ...] = ()


@dataclass(frozen=True)
class PlanViolation:
    """A rule the plan breaks: ``kind`` capacity, apart, split, repeat, required, missing (hard) or together."""

    kind: str
    learner_ids: tuple[int, ...]
    learner_names: tuple[str, ...]
    slot: int | None
    station: int | None
    count: int
    hard: bool


@dataclass(frozen=True)
class RotationPlan:
    id: int
    class_id: int
    title: str
    period_minutes: int
    slot_minutes: int
    stations: tuple[ClassStation, ...]
    skill_codes: tuple[str, ...]
    learners: list[PlanLearner]
    status: str
    """optimal or feasible (as solved), adjusted (hand moves not re-planned)."""
    objective: int
    bound: float
    solve_ms: int
    violations: list[PlanViolation] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    @property
    def n_slots(self) -> int:
        return self.period_minutes // self.slot_minutes

    @property
    def spare_minutes(self) -> int:
        return self.period_minutes - self.n_slots * self.slot_minutes

    @property
    def gap(self) -> float:
        """(bound - objective) / bound: 0 for a plan proved optimal."""
        return max(0.0, (self.bound - self.objective) / self.bound) if self.bound > 0 else 0.0

    def slot_times(self) -> list[tuple[int, int]]:
        """(start, end) minute of each slot from the start of the period."""
        return [(t * self.slot_minutes, (t + 1) * self.slot_minutes) for t in range(self.n_slots)]

    def at(self, slot: int, station: int) -> list[PlanLearner]:
        """Learners at ``station`` in ``slot``, by name."""
        return [p for p in self.learners if p.stations[slot] == station]

    def hard_violations(self) -> list[PlanViolation]:
        return [v for v in self.violations if v.hard]


@dataclass(frozen=True)
class RotationSummary:
    id: int
    title: str
    period_minutes: int
    n_stations: int
    n_learners: int
    status: str
    created_at: datetime


# ---------------------------------------------------------------- stations


def _check_class_stations(stations: Sequence[ClassStation], period_minutes: int | None = None) -> None:
    errors = validate_stations([s.station() for s in stations], period_minutes)
    for i, s in enumerate(stations):
        if len(s.notes) > MAX_NOTES:
            errors.append(
                FieldError(f"stations[{i}].notes", f"at most {MAX_NOTES} characters, got {len(s.notes)}")
            )
    if errors:
        raise ValidationError("the stations are not valid", errors)


def _stations(session: Session, class_id: int) -> list[ClassStation]:
    rows = session.scalars(
        select(RotationStation)
        .where(RotationStation.class_id == class_id)
        .order_by(RotationStation.position, RotationStation.id)
    )
    return [ClassStation(r.name, r.modality, r.capacity, r.minutes, r.required, r.notes) for r in rows]


def stations_of(ctx: ServiceContext, actor: Actor, class_id: int) -> list[ClassStation]:
    """The class's saved stations, in order."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        return _stations(session, class_id)


def save_stations(
    ctx: ServiceContext, actor: Actor, class_id: int, stations: Sequence[ClassStation]
) -> list[ClassStation]:
    """Replace the class's stations (an empty list clears them); every problem is named, nothing is half-saved."""
    _check_class_stations(stations)
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        session.execute(delete(RotationStation).where(RotationStation.class_id == class_id))
        session.add_all(
            RotationStation(
                class_id=class_id,
                position=i,
                name=s.name.strip(),
                modality=s.modality,
                capacity=s.capacity,
                minutes=s.minutes,
                required=s.required,
                notes=s.notes.strip(),
            )
            for i, s in enumerate(stations)
        )
        session.flush()
        return _stations(session, class_id)


def _check_inputs(
    session: Session,
    class_id: int,
    spec: RotationSpec,
    learner_ids: Sequence[int] | None,
    needs: Mapping[int, str],
) -> tuple[list[int], list[ClassStation]]:
    errors: list[FieldError] = []
    if len(spec.title.strip()) > MAX_TITLE:
        errors.append(FieldError("title", f"at most {MAX_TITLE} characters, got {len(spec.title.strip())}"))
    known = set(session.scalars(select(SkillRow.code).where(SkillRow.code.in_(spec.skill_codes))))
    errors += [
        FieldError("skill_codes", f"no skill with code {c!r}") for c in spec.skill_codes if c not in known
    ]
    errors += [
        FieldError(f"needs.{lid}", f"expected one of {', '.join(NEEDS)}, got {need!r}")
        for lid, need in needs.items()
        if need not in NEEDS
    ]
    if learner_ids is None:
        ids = list(
            session.scalars(
                select(ClassLearner.learner_id)
                .where(ClassLearner.class_id == class_id)
                .order_by(ClassLearner.learner_id)
            )
        )
    else:
        try:
            ids = check_members(session, class_id, learner_ids)
        except ValidationError as exc:
            errors += exc.errors
            ids = []
    if not ids and not any(e.field == "learner_ids" for e in errors):
        errors.append(FieldError("learner_ids", "a rotation needs at least one learner of the class"))
    errors += [
        FieldError(f"needs.{lid}", f"learner {lid} is not in this rotation")
        for lid in needs
        if lid not in set(ids)
    ]
    stations = list(spec.stations) if spec.stations is not None else _stations(session, class_id)
    if not stations:
        errors.append(FieldError("stations", "describe the stations first (none are saved for this class)"))
    if errors:
        raise ValidationError("the rotation cannot be planned as asked", errors)
    _check_class_stations(stations, spec.period_minutes)
    return ids, stations


def _problem(
    session: Session,
    class_id: int,
    stations: Sequence[ClassStation],
    period_minutes: int,
    learner_ids: Sequence[int],
    needs: Mapping[int, str],
    fixed: Mapping[tuple[int, int], int] | None = None,
) -> RotationProblem:
    members = set(learner_ids)
    rules = [r for r in pair_rules(session, class_id) if r.learner_a in members and r.learner_b in members]
    return RotationProblem(
        tuple(s.station() for s in stations),
        period_minutes,
        tuple(learner_ids),
        {lid: cast(Need, needs[lid]) for lid in learner_ids},
        tuple((r.learner_a, r.learner_b) for r in rules if r.rule == "apart"),
        tuple((r.learner_a, r.learner_b) for r in rules if r.rule == "together"),
        dict(fixed or {}),
    )


def _solve(
    ctx: ServiceContext, problem: RotationProblem, hint: Mapping[int, Sequence[int]] | None = None
) -> RotationSolution:
    return solve_rotation(
        problem,
        time_limit_s=ctx.settings.rotation_time_limit_s,
        workers=ctx.settings.rotation_workers,
        hint=hint,
    )


# ---------------------------------------------------------------- plans


def plan_rotation(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    spec: RotationSpec,
    *,
    learner_ids: Sequence[int] | None = None,
    needs: dict[int, str] | None = None,
) -> RotationPlan:
    """Plan and save a rotation for the class (or ``learner_ids`` of it).

    ``needs`` (learner id -> 'reteach' | 'practice' | 'enrich') overrides what the mastery data says.
    ValidationError names every bad input, or the rule that makes the rotation impossible.
    """
    with ctx.unit() as session:
        return plan_rotation_in(session, ctx, actor, class_id, spec, learner_ids, dict(needs or {}))


def plan_rotation_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    spec: RotationSpec,
    learner_ids: Sequence[int] | None,
    overrides: dict[int, str],
) -> RotationPlan:
    """:func:`plan_rotation` inside the caller's transaction (the demo school's build uses it)."""
    now = ctx.clock()
    require_class(session, actor, class_id)
    ids, stations = _check_inputs(session, class_id, spec, learner_ids, overrides)
    reasons = learner_needs(session, ids, spec.skill_codes, overrides)
    problem = _problem(
        session, class_id, stations, spec.period_minutes, ids, {i: r.need for i, r in reasons.items()}
    )
    solution = _solve(ctx, problem)
    names = skill_names(session, actor.locale)
    row = RotationPlanRow(
        class_id=class_id,
        title=spec.title.strip(),
        period_minutes=spec.period_minutes,
        slot_minutes=problem.slot_minutes,
        stations=[asdict(s) for s in stations],
        skill_codes=list(spec.skill_codes) if spec.skill_codes else [],
        status=solution.status,
        objective=solution.objective,
        bound=solution.bound,
        solve_ms=round(solution.wall_s * 1000),
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    session.flush()
    session.add_all(
        RotationPlanLearner(
            plan_id=row.id,
            learner_id=lid,
            need=reasons[lid].need,
            reason=reason_dict(reasons[lid], names),
            stations=list(solution.grid[lid]),
            fixed_slots=[],
        )
        for lid in ids
    )
    session.flush()
    return _view(session, row)


def _require_plan(session: Session, actor: Actor, plan_id: int) -> RotationPlanRow:
    require_role(actor, "teacher", "admin")
    row = session.get(RotationPlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"no rotation with id {plan_id}")
    try:
        require_class(session, actor, row.class_id)
    except NotFoundError:
        raise NotFoundError(f"no rotation with id {plan_id}") from None
    return row


def _plan_rows(session: Session, plan_id: int) -> list[tuple[RotationPlanLearner, str]]:
    return [
        (r, name)
        for r, name in session.execute(
            select(RotationPlanLearner, User.display_name)
            .join(User, User.id == RotationPlanLearner.learner_id)
            .where(RotationPlanLearner.plan_id == plan_id)
            .order_by(User.display_name, User.id)
        )
    ]


def _plan_stations(row: RotationPlanRow) -> list[ClassStation]:
    return [ClassStation(**s) for s in row.stations]


def _view(session: Session, row: RotationPlanRow) -> RotationPlan:
    rows = _plan_rows(session, row.id)
    stations = _plan_stations(row)
    names = {r.learner_id: name for r, name in rows}
    problem = _problem(
        session,
        row.class_id,
        stations,
        row.period_minutes,
        list(names),
        {r.learner_id: r.need for r, _ in rows},
    )
    grid = {r.learner_id: tuple(r.stations) for r, _ in rows}
    violations = [_violation(v, names) for v in check_rotation(problem, grid)]
    return RotationPlan(
        row.id,
        row.class_id,
        row.title,
        row.period_minutes,
        row.slot_minutes,
        tuple(stations),
        tuple(row.skill_codes),
        [
            PlanLearner(r.learner_id, name, r.need, dict(r.reason), tuple(r.stations), tuple(r.fixed_slots))
            for r, name in rows
        ],
        row.status,
        row.objective,
        row.bound,
        row.solve_ms,
        violations,
        row.created_at,
        row.updated_at,
    )


def _violation(v: Violation, names: Mapping[int, str]) -> PlanViolation:
    return PlanViolation(
        v.kind,
        v.learners,
        tuple(names.get(i, str(i)) for i in v.learners),
        v.slot,
        v.station,
        v.count,
        v.hard,
    )


def get_rotation(ctx: ServiceContext, actor: Actor, plan_id: int) -> RotationPlan:
    """A saved rotation, re-checked against the class's current pair rules."""
    with ctx.unit() as session:
        return _view(session, _require_plan(session, actor, plan_id))


def delete_rotation(ctx: ServiceContext, actor: Actor, plan_id: int) -> str:
    """Delete a saved rotation and its learners' rows, in one transaction: the class's teachers and the
    school's admins (another class's plan is NotFoundError). Returns the plan's title. The class's stations
    stay: they are the class's, not the plan's."""
    with ctx.unit() as session:
        row = _require_plan(session, actor, plan_id)
        title = row.title
        session.execute(delete(RotationPlanLearner).where(RotationPlanLearner.plan_id == row.id))
        session.delete(row)
        return title


def list_rotations(ctx: ServiceContext, actor: Actor, class_id: int) -> list[RotationSummary]:
    """The class's saved rotations, newest first."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        counts: dict[int, int] = {
            plan_id: n
            for plan_id, n in session.execute(
                select(RotationPlanLearner.plan_id, func.count())
                .join(RotationPlanRow, RotationPlanRow.id == RotationPlanLearner.plan_id)
                .where(RotationPlanRow.class_id == class_id)
                .group_by(RotationPlanLearner.plan_id)
            )
        }
        rows = session.scalars(
            select(RotationPlanRow)
            .where(RotationPlanRow.class_id == class_id)
            .order_by(RotationPlanRow.created_at.desc(), RotationPlanRow.id.desc())
        )
        return [
            RotationSummary(
                r.id, r.title, r.period_minutes, len(r.stations), counts.get(r.id, 0), r.status, r.created_at
            )
            for r in rows
        ]


def adjust_rotation(
    ctx: ServiceContext,
    actor: Actor,
    plan_id: int,
    moves: Sequence[Move],
    *,
    reoptimise: bool = False,
    needs: Mapping[int, str] | None = None,
) -> RotationPlan:
    """Apply hand moves (each learner goes to a station from a slot for the station's length), keep them fixed,
    and either save the result as is (status 'adjusted'; every broken rule is reported) or re-plan everyone
    else around the fixed cells (``reoptimise``; ValidationError naming the cause if no plan keeps them).

    ``needs`` (learner id -> reteach / practice / enrich) changes some learners' needs, set by the teacher;
    the plan is then always re-planned around the kept cells."""
    if len(moves) > MAX_MOVES:
        raise ValidationError(
            f"at most {MAX_MOVES} moves at once", [FieldError("moves", f"got {len(moves)}")]
        )
    changed = dict(needs or {})
    with ctx.unit() as session:
        row = _require_plan(session, actor, plan_id)
        rows = _plan_rows(session, row.id)
        stations = _plan_stations(row)
        needs_now = {r.learner_id: r.need for r, _ in rows}
        bad = [
            FieldError(f"needs.{lid}", f"expected one of {', '.join(NEEDS)}, got {need!r}")
            for lid, need in changed.items()
            if need not in NEEDS
        ]
        bad += [
            FieldError(f"needs.{lid}", f"learner {lid} is not in this rotation")
            for lid in changed
            if lid not in needs_now
        ]
        if bad:
            raise ValidationError("some needs cannot be set", bad)
        for r, _ in rows:
            if r.learner_id in changed and changed[r.learner_id] != r.need:
                r.need = changed[r.learner_id]
                r.reason = {**r.reason, "overridden": True}
        needs = {r.learner_id: r.need for r, _ in rows}
        reoptimise = reoptimise or bool(changed)
        fixed = {
            (r.learner_id, t): r.stations[t] for r, _ in rows for t in r.fixed_slots if t < len(r.stations)
        }
        problem = _problem(session, row.class_id, stations, row.period_minutes, list(needs), needs)
        grid: dict[int, tuple[int, ...]] = {r.learner_id: tuple(r.stations) for r, _ in rows}
        errors: list[FieldError] = []
        for i, m in enumerate(moves):
            try:
                grid, cells = apply_move(problem, grid, m.learner_id, m.slot, m.station)
            except ValidationError as exc:
                errors += [FieldError(f"moves[{i}].{e.field}", e.message) for e in exc.errors]
                continue
            fixed.update({cell: m.station for cell in cells})
        if errors:
            raise ValidationError("some moves do not fit this rotation", errors)
        fixed = {
            cell: s
            for cell, s in fixed.items()
            if grid[cell[0]][cell[1]] == s and _whole(problem, grid, *cell)
        }
        problem = _problem(session, row.class_id, stations, row.period_minutes, list(needs), needs, fixed)
        if reoptimise:
            solution = _solve(ctx, problem, hint=grid)
            grid = solution.grid
            row.status, row.objective, row.bound = solution.status, solution.objective, solution.bound
            row.solve_ms = round(solution.wall_s * 1000)
        else:
            row.status, row.objective = "adjusted", score_rotation(problem, grid)
        row.updated_at = ctx.clock()
        for r, _ in rows:
            r.stations = list(grid[r.learner_id])
            r.fixed_slots = sorted(t for (lid, t) in fixed if lid == r.learner_id)
        session.flush()
        return _view(session, row)


def _whole(problem: RotationProblem, grid: Mapping[int, Sequence[int]], learner: int, slot: int) -> bool:
    """Whether the cell sits in a run of its station that is a whole number of the station's blocks."""
    row = grid[learner]
    s = row[slot]
    first = slot
    while first > 0 and row[first - 1] == s:
        first -= 1
    last = slot
    while last + 1 < len(row) and row[last + 1] == s:
        last += 1
    return (last - first + 1) % problem.blocks(s) == 0
