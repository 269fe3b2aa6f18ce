"""Check-ins: the regular meeting of a teacher and a learner about the learner's plan (issue 6).

The teacher sets a rhythm per class (every N days) and may override it for one learner. A learner is due
for a check-in on the date the last one set, or ``every_days`` after it; a learner never met is due now.
Opening a check-in prepares a summary of what happened since the last one (``service/checkin_summary.py``);
holding it stores that summary, the plan at that moment (the next check-in compares its forecasts with it),
notes for the learner and family, notes only staff see, and the decisions, which change the plan through
``service/plans.py`` in the same transaction. The learner and their family are told in-app.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.service import plans
from learnpath.service.access import Actor, require_class, require_learner, require_role
from learnpath.service.checkin_summary import plan_now, prepare_summary
from learnpath.service.context import ServiceContext
from learnpath.service.notifications import notify
from learnpath.storage.tables import (
    CheckinRow,
    ClassCheckinRhythm,
    ClassLearner,
    FamilyLink,
    GoalRow,
    LearnerCheckinRhythm,
    User,
)

__all__ = [
    "DECISION_KINDS",
    "DEFAULT_EVERY_DAYS",
    "MAX_EVERY_DAYS",
    "MAX_NOTES_CHARS",
    "CheckinView",
    "Decision",
    "DueEntry",
    "DueList",
    "Prepared",
    "Rhythm",
    "due_list",
    "get_checkin",
    "hold_checkin",
    "learner_name",
    "list_checkins",
    "open_checkin",
    "rhythm_of",
    "set_class_rhythm",
    "set_learner_rhythm",
]

DEFAULT_EVERY_DAYS = 14
"""The rhythm of a class whose teacher has not set one: every two weeks."""
MAX_EVERY_DAYS = 180
MAX_NOTES_CHARS = 5000
MAX_DECISIONS = 30
MAX_AHEAD_DAYS = 366
DECISION_KINDS = ("adjust_date", "drop_goal", "goal_met", "add_goal")
DueStatus = Literal["overdue", "never", "due", "upcoming"]
SOON_DAYS = 7
NOTE = "check-in"
"""The note the plan's history shows for a change made at a check-in."""
"""A learner due within this many days is listed as due (this week), later ones as upcoming."""


@dataclass(frozen=True)
class Rhythm:
    every_days: int
    source: Literal["learner", "class", "default"]


@dataclass(frozen=True)
class Decision:
    """One decision of a check-in. ``adjust_date``: ``goal_id`` and ``target_date``; ``drop_goal`` and
    ``goal_met``: ``goal_id``; ``add_goal``: ``skills`` (codes) or ``title`` (an interest goal), and
    optionally ``target_date``."""

    kind: str
    goal_id: int | None = None
    target_date: date | None = None
    skills: tuple[str, ...] = ()
    title: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "goal_id": self.goal_id,
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "skills": list(self.skills),
            "title": self.title,
        }


@dataclass(frozen=True)
class CheckinView:
    id: int
    learner_id: int
    learner_name: str
    teacher_name: str | None
    held_at: datetime
    since: datetime
    summary: dict[str, Any]
    notes: str
    private_notes: str | None
    """None when the reader may not see it (the learner and their family)."""
    decisions: list[dict[str, Any]]
    next_due_on: date | None


@dataclass(frozen=True)
class Prepared:
    """What the teacher sees when opening a check-in: the summary so far and the plan to decide on."""

    learner_id: int
    learner_name: str
    summary: dict[str, Any]
    goals: list[dict[str, Any]]
    rhythm: Rhythm
    last_held_at: datetime | None
    due_on: date
    suggested_next: date


@dataclass(frozen=True)
class DueEntry:
    learner_id: int
    learner_name: str
    every_days: int
    rhythm_source: str
    last_held_at: datetime | None
    due_on: date
    status: DueStatus
    days_overdue: int


@dataclass(frozen=True)
class DueList:
    class_id: int
    class_name: str
    every_days: int
    rhythm_set: bool
    entries: list[DueEntry] = field(default_factory=list)


def _check_every(every_days: int, name: str = "every_days") -> None:
    if not 1 <= every_days <= MAX_EVERY_DAYS:
        raise ValidationError.for_field(name, f"must be 1 to {MAX_EVERY_DAYS} days, got {every_days}")


def set_class_rhythm(ctx: ServiceContext, actor: Actor, class_id: int, every_days: int | None) -> Rhythm:
    """The class's check-in rhythm (teachers of the class, admins); None is refused as a missing number."""
    now = ctx.clock()
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        if every_days is None:
            raise ValidationError.for_field("every_days", f"give a number of days, 1 to {MAX_EVERY_DAYS}")
        _check_every(every_days)
        row = session.get(ClassCheckinRhythm, class_id)
        if row is None:
            row = ClassCheckinRhythm(
                class_id=class_id, every_days=every_days, set_by=actor.user_id, set_at=now
            )
            session.add(row)
        else:
            row.every_days, row.set_by, row.set_at = every_days, actor.user_id, now
    return Rhythm(every_days, "class")


def set_learner_rhythm(ctx: ServiceContext, actor: Actor, learner_id: int, every_days: int | None) -> Rhythm:
    """One learner's own rhythm (None: back to the class's). Teachers of the learner and admins."""
    now = ctx.clock()
    with ctx.unit() as session:
        _require_staff_of(session, actor, learner_id)
        if every_days is not None:
            _check_every(every_days)
        row = session.get(LearnerCheckinRhythm, learner_id)
        if every_days is None:
            if row is not None:
                session.delete(row)
        elif row is None:
            session.add(
                LearnerCheckinRhythm(
                    learner_id=learner_id, every_days=every_days, set_by=actor.user_id, set_at=now
                )
            )
        else:
            row.every_days, row.set_by, row.set_at = every_days, actor.user_id, now
        session.flush()
        return rhythm_of(session, learner_id)


def rhythm_of(session: Session, learner_id: int) -> Rhythm:
    """The learner's own rhythm, else the shortest of their classes', else every two weeks."""
    own = session.get(LearnerCheckinRhythm, learner_id)
    if own is not None:
        return Rhythm(own.every_days, "learner")
    shortest = session.scalar(
        select(func.min(ClassCheckinRhythm.every_days))
        .join(ClassLearner, ClassLearner.class_id == ClassCheckinRhythm.class_id)
        .where(ClassLearner.learner_id == learner_id)
    )
    if shortest is not None:
        return Rhythm(int(shortest), "class")
    return Rhythm(DEFAULT_EVERY_DAYS, "default")


def _require_staff_of(session: Session, actor: Actor, learner_id: int) -> User:
    """The learner, for their teachers and the school's admin; others' learners 404, other roles 403."""
    learner = require_learner(session, actor, learner_id)
    require_role(actor, "teacher", "admin")
    return learner


def _last(session: Session, learner_id: int) -> CheckinRow | None:
    return session.scalars(
        select(CheckinRow)
        .where(CheckinRow.learner_id == learner_id)
        .order_by(CheckinRow.held_at.desc(), CheckinRow.id.desc())
        .limit(1)
    ).first()


def _due_on(last: CheckinRow | None, rhythm: Rhythm, today: date) -> date:
    if last is None:
        return today
    if last.next_due_on is not None:
        return last.next_due_on
    return last.held_at.date() + timedelta(days=rhythm.every_days)


def open_checkin(ctx: ServiceContext, actor: Actor, learner_id: int) -> Prepared:
    """The prepared summary of a check-in about to be held (teachers of the learner, admins)."""
    now = ctx.clock()
    with ctx.unit() as session:
        learner = _require_staff_of(session, actor, learner_id)
        rhythm = rhythm_of(session, learner_id)
        last = _last(session, learner_id)
        summary, plan = prepare_summary(session, learner_id, now, last, rhythm.every_days)
        return Prepared(
            learner_id=learner_id,
            learner_name=learner.display_name,
            summary=summary,
            goals=[g for g in plan.get("goals", []) if g.get("state") not in ("dropped",)],
            rhythm=rhythm,
            last_held_at=last.held_at if last else None,
            due_on=_due_on(last, rhythm, now.date()),
            suggested_next=now.date() + timedelta(days=rhythm.every_days),
        )


def _validate(
    session: Session,
    learner_id: int,
    notes: str,
    private_notes: str,
    decisions: Sequence[Decision],
    next_due_on: date | None,
    today: date,
) -> None:
    problems: list[FieldError] = []
    for name, text in (("notes", notes), ("private_notes", private_notes)):
        if len(text) > MAX_NOTES_CHARS:
            problems.append(FieldError(name, f"at most {MAX_NOTES_CHARS} characters, got {len(text)}"))
    if next_due_on is not None and not today < next_due_on <= today + timedelta(days=MAX_AHEAD_DAYS):
        problems.append(
            FieldError(
                "next_due_on",
                f"must be after today ({today.isoformat()}) and within a year, got {next_due_on.isoformat()}",
            )
        )
    if len(decisions) > MAX_DECISIONS:
        problems.append(FieldError("decisions", f"at most {MAX_DECISIONS} decisions, got {len(decisions)}"))
    goal_ids = {d.goal_id for d in decisions if d.goal_id is not None}
    own = set(
        session.scalars(select(GoalRow.id).where(GoalRow.id.in_(goal_ids), GoalRow.learner_id == learner_id))
    )
    seen: set[int] = set()
    for i, d in enumerate(decisions):
        where = f"decisions.{i}"
        if d.kind not in DECISION_KINDS:
            problems.append(
                FieldError(f"{where}.kind", f"must be one of {', '.join(DECISION_KINDS)}, got {d.kind!r}")
            )
            continue
        if d.kind == "add_goal":
            if not d.skills and not d.title.strip():
                problems.append(FieldError(where, "a new goal needs skills or a title"))
        elif d.goal_id is None or d.goal_id not in own:
            problems.append(FieldError(f"{where}.goal_id", f"no goal {d.goal_id} in this learner's plan"))
        elif d.goal_id in seen:
            problems.append(FieldError(f"{where}.goal_id", f"goal {d.goal_id} has more than one decision"))
        else:
            seen.add(d.goal_id)
        if d.kind == "adjust_date" and d.target_date is None:
            problems.append(FieldError(f"{where}.target_date", "a new target date is needed"))
        if d.target_date is not None and d.target_date < today:
            problems.append(
                FieldError(
                    f"{where}.target_date", f"must not be in the past, got {d.target_date.isoformat()}"
                )
            )
    if problems:
        raise ValidationError("the check-in is not valid", problems)


def _apply(
    session: Session, actor: Actor, learner_id: int, decisions: Sequence[Decision], now: datetime
) -> list[dict[str, Any]]:
    """Apply the decisions through the plan service (same transaction); returns them as stored."""
    applied = []
    for d in decisions:
        stored = d.to_dict()
        if d.kind == "add_goal":
            fields: dict[str, Any] = {"target_date": d.target_date, "title": d.title.strip(), "now": now}
            if d.skills:
                fields.update(kind="skill", skills=list(d.skills))
            else:
                fields["kind"] = "interest"
            stored["goal_id"] = plans.add_goal_in(session, actor, learner_id, **fields)
            added = session.get(GoalRow, stored["goal_id"])
            stored["title"] = added.title if added is not None else d.title
        else:
            assert d.goal_id is not None
            goal = session.get(GoalRow, d.goal_id)
            stored["title"] = goal.title if goal is not None else ""
            state = {"drop_goal": "dropped", "goal_met": "met"}.get(d.kind)
            plans.adjust_goal(
                session, actor, d.goal_id, target_date=d.target_date if state is None else None,
                state=state, note=NOTE, now=now,
            )  # fmt: skip
        applied.append(stored)
    return applied


def hold_checkin(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    *,
    notes: str = "",
    private_notes: str = "",
    decisions: Sequence[Decision] = (),
    next_due_on: date | None = None,
) -> CheckinView:
    """Hold a check-in: the prepared summary, notes and decisions are stored together, the plan changes,
    and the learner and their family are told. All or nothing."""
    now = ctx.clock()
    with ctx.unit() as session:
        learner = _require_staff_of(session, actor, learner_id)
        _validate(session, learner_id, notes, private_notes, decisions, next_due_on, now.date())
        rhythm = rhythm_of(session, learner_id)
        last = _last(session, learner_id)
        summary, _plan_before = prepare_summary(session, learner_id, now, last, rhythm.every_days)
        applied = _apply(session, actor, learner_id, decisions, now)
        session.flush()
        row = CheckinRow(
            learner_id=learner_id,
            teacher_id=actor.user_id,
            held_at=now,
            since=datetime.fromisoformat(summary["since"]),
            summary=summary,
            plan=plan_now(session, learner_id, now),
            notes=notes.strip(),
            private_notes=private_notes.strip(),
            decisions=applied,
            next_due_on=next_due_on or now.date() + timedelta(days=rhythm.every_days),
        )
        session.add(row)
        session.flush()
        family = session.scalars(select(FamilyLink.family_id).where(FamilyLink.learner_id == learner_id))
        notify(
            session,
            [learner_id, *family],
            "checkin_held",
            {"learner_id": learner_id, "learner_name": learner.display_name, "checkin_id": row.id},
            link=f"/learners/{learner_id}/checkins#checkin-{row.id}",
            actor_id=actor.user_id,
            now=now,
        )
        return _view(row, learner.display_name, actor.display_name, staff=True)


def _view(row: CheckinRow, learner_name: str, teacher_name: str | None, *, staff: bool) -> CheckinView:
    return CheckinView(
        id=row.id,
        learner_id=row.learner_id,
        learner_name=learner_name,
        teacher_name=teacher_name,
        held_at=row.held_at,
        since=row.since,
        summary=dict(row.summary),
        notes=row.notes,
        private_notes=row.private_notes if staff else None,
        decisions=list(row.decisions),
        next_due_on=row.next_due_on,
    )


def learner_name(ctx: ServiceContext, actor: Actor, learner_id: int) -> str:
    """The learner's display name, if ``actor`` may see the learner."""
    with ctx.unit() as session:
        return require_learner(session, actor, learner_id).display_name


def list_checkins(ctx: ServiceContext, actor: Actor, learner_id: int, limit: int = 50) -> list[CheckinView]:
    """The learner's check-ins, newest first (who may see the learner; private notes for staff only)."""
    if not 1 <= limit <= 200:
        raise ValidationError.for_field("limit", f"must be 1 to 200, got {limit}")
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        rows = session.execute(
            select(CheckinRow, User.display_name)
            .outerjoin(User, User.id == CheckinRow.teacher_id)
            .where(CheckinRow.learner_id == learner_id)
            .order_by(CheckinRow.held_at.desc(), CheckinRow.id.desc())
            .limit(limit)
        ).all()
        staff = actor.role in ("teacher", "admin")
        return [_view(r, learner.display_name, who, staff=staff) for r, who in rows]


def get_checkin(ctx: ServiceContext, actor: Actor, learner_id: int, checkin_id: int) -> CheckinView:
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        row = session.get(CheckinRow, checkin_id)
        if row is None or row.learner_id != learner_id:
            raise NotFoundError(f"no check-in with id {checkin_id}")
        teacher = session.get(User, row.teacher_id) if row.teacher_id else None
        staff = actor.role in ("teacher", "admin")
        return _view(row, learner.display_name, teacher.display_name if teacher else None, staff=staff)


_ORDER = {"overdue": 0, "never": 1, "due": 2, "upcoming": 3}


def due_list(ctx: ServiceContext, actor: Actor, class_id: int) -> DueList:
    """Every learner of the class with the date of their next check-in: overdue first (most overdue at
    the top), then those never met, then due this week, then later."""
    today = ctx.clock().date()
    with ctx.unit() as session:
        klass = require_class(session, actor, class_id)
        class_rhythm = session.get(ClassCheckinRhythm, class_id)
        learners = session.execute(
            select(User.id, User.display_name)
            .join(ClassLearner, ClassLearner.learner_id == User.id)
            .where(ClassLearner.class_id == class_id)
            .order_by(User.display_name, User.id)
        ).all()
        entries = []
        for learner_id, name in learners:
            rhythm = rhythm_of(session, learner_id)
            last = _last(session, learner_id)
            due_on = _due_on(last, rhythm, today)
            status: DueStatus
            if last is None:
                status = "never"
            elif due_on < today:
                status = "overdue"
            elif due_on <= today + timedelta(days=SOON_DAYS):
                status = "due"
            else:
                status = "upcoming"
            entries.append(
                DueEntry(
                    learner_id=learner_id,
                    learner_name=name,
                    every_days=rhythm.every_days,
                    rhythm_source=rhythm.source,
                    last_held_at=last.held_at if last else None,
                    due_on=due_on,
                    status=status,
                    days_overdue=max(0, (today - due_on).days),
                )
            )
        entries.sort(key=lambda e: (_ORDER[e.status], -e.days_overdue, e.due_on, e.learner_name))
        return DueList(
            class_id=class_id,
            class_name=klass.name,
            every_days=class_rhythm.every_days if class_rhythm else DEFAULT_EVERY_DAYS,
            rhythm_set=class_rhythm is not None,
            entries=entries,
        )
