"""The plan as pages and other parts read it: every goal with its state, progress, forecast, parts and
history (``plan_snapshot`` for other use cases, ``plan_view`` for the plan page). The forecast itself is
pure (``core/forecast.py``); see docs/plans.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.forecast import PACE_WEEKS, Forecast, forecast_goal, weekly_counts
from learnpath.core.goals import ACTIVE_STATES, pending_approvers
from learnpath.core.mastery import MASTERED_AT, MasteryRules
from learnpath.core.paths import path_to_goal
from learnpath.errors import NotFoundError
from learnpath.service.access import Actor, require_learner, visible_learner_ids
from learnpath.service.context import ServiceContext
from learnpath.service.goal_records import STAFF, approvals_since_proposal, family_ids, teacher_drafts
from learnpath.service.paths import _load, _pace
from learnpath.storage.tables import AttemptRow, GoalEvent, GoalPart, GoalRow, GoalSkill, SkillRow, User

__all__ = [
    "GoalEventView",
    "GoalPartView",
    "PlanGoal",
    "PlanView",
    "get_plan",
    "learner_choices",
    "plan_snapshot",
    "plan_view",
]


@dataclass(frozen=True)
class GoalEventView:
    at: datetime
    who: str | None
    role: str
    action: str
    from_state: str | None
    to_state: str | None
    comment: str
    details: dict[str, Any]


@dataclass(frozen=True)
class GoalPartView:
    id: int
    kind: str
    text: str
    max_points: int
    done: bool


@dataclass(frozen=True)
class PlanGoal:
    """A goal as the plan shows it: what, where it stands, the forecast, its parts and its history."""

    id: int
    kind: str
    title: str
    details: str
    skills: list[tuple[str, str, int | None]]
    """(code, name, grade) of each goal skill."""
    level: str | None
    """'above', 'at' or 'below' the learner's grade (skill goals of learners with a grade), else None."""
    state: str
    target_mastery: float | None
    target_date: date | None
    progress: float
    steps_done: int
    steps_total: int
    forecast: Forecast | None
    pending: list[str]
    """Who still has to approve a proposed goal: 'teacher', 'family'."""
    approved_by: list[int]
    """User ids of who approved a proposed goal since it was last proposed."""
    parts: list[GoalPartView]
    history: list[GoalEventView]
    created_by: str | None
    next_step: tuple[str, str] | None = None
    """(code, name) of the first skill on the path to a skill goal: what to practise next."""

    def to_dict(self) -> dict[str, Any]:
        forecast = (
            self.forecast.to_dict()
            if self.forecast
            else {
                "date": None,
                "low": None,
                "high": None,
                "status": "met" if self.state == "met" else "unknown",
            }
        )
        return {
            "id": self.id,
            "kind": self.kind,
            "title": self.title,
            "state": self.state,
            "skills": [c for c, _, _ in self.skills],
            "target_date": self.target_date.isoformat() if self.target_date else None,
            "progress": round(self.progress, 4),
            "forecast": forecast,
            "level": self.level,
            "pending": list(self.pending),
        }


@dataclass(frozen=True)
class PlanView:
    learner_id: int
    display_name: str
    grade: int | None
    goals: list[PlanGoal]
    teacher_drafts: bool
    has_family: bool
    may_draft: bool
    may_approve: bool
    may_adjust: bool
    recent_attempts: int = 0
    attempts_per_week: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------- the plan and its forecasts


def _recent_weekly(session: Session, learner_id: int, now: datetime) -> list[int]:
    since = now - timedelta(weeks=PACE_WEEKS)
    times = list(
        session.scalars(
            select(AttemptRow.created_at).where(
                AttemptRow.learner_id == learner_id, AttemptRow.created_at >= since
            )
        )
    )
    return weekly_counts(times, now, PACE_WEEKS)


def _plan_goals(
    session: Session, learner: User, now: datetime, locale: str
) -> tuple[list[PlanGoal], list[int]]:
    rows = list(
        session.scalars(
            select(GoalRow).where(GoalRow.learner_id == learner.id).order_by(GoalRow.created_at, GoalRow.id)
        )
    )
    ids = [r.id for r in rows]
    skills: dict[int, list[SkillRow]] = {i: [] for i in ids}
    for gid, s in session.execute(
        select(GoalSkill.goal_id, SkillRow)
        .join(SkillRow, SkillRow.id == GoalSkill.skill_id)
        .where(GoalSkill.goal_id.in_(ids))
        .order_by(GoalSkill.goal_id, GoalSkill.position)
    ):
        skills[gid].append(s)
    parts: dict[int, list[GoalPartView]] = {i: [] for i in ids}
    for p in session.scalars(select(GoalPart).where(GoalPart.goal_id.in_(ids)).order_by(GoalPart.position)):
        parts[p.goal_id].append(GoalPartView(p.id, p.kind, p.text, p.max_points, p.done_at is not None))
    events: dict[int, list[GoalEventView]] = {i: [] for i in ids}
    for e, who in session.execute(
        select(GoalEvent, User.display_name)
        .outerjoin(User, User.id == GoalEvent.actor_id)
        .where(GoalEvent.goal_id.in_(ids))
        .order_by(GoalEvent.id)
    ):
        events[e.goal_id].append(
            GoalEventView(
                e.created_at, who, e.role, e.action, e.from_state, e.to_state, e.comment, dict(e.details)
            )
        )
    makers = {r.created_by for r in rows if r.created_by is not None}
    names: dict[int, str] = {
        uid: name
        for uid, name in session.execute(select(User.id, User.display_name).where(User.id.in_(makers)))
    }
    has_family = bool(family_ids(session, learner.id))
    weekly = _recent_weekly(session, learner.id, now)
    rules = MasteryRules()
    data = _load(session, learner.id) if any(r.kind == "skill" for r in rows) else None
    pace = _pace(session, learner.id, rules) if data is not None else None
    out = []
    for r in rows:
        goal_skills = skills[r.id]
        codes = [s.code for s in goal_skills]
        forecast: Forecast | None = None
        progress, done, total = 0.0, 0, 0
        level = None
        next_step = None
        if r.kind == "skill" and data is not None and pace is not None and codes:
            threshold = MasteryRules(mastered_at=r.target_mastery or MASTERED_AT)
            path = path_to_goal(
                data.graph, codes, data.mastery, attempts=data.attempts, pace=pace, rules=threshold
            )
            closure = set(codes)
            for c in codes:
                closure |= data.graph.ancestors(c)
            total = len(closure)
            done = total - len(path.skills)
            left = sum(path.attempts_left)
            progress = max(0.0, min(1.0, 1.0 - left / (total * pace.attempts_to_mastery))) if total else 1.0
            met = not path.skills
            if path.skills:
                first = data.skills[path.skills[0]]
                next_step = (first.code, first.name_es if locale == "es" and first.name_es else first.name)
            if r.state in ACTIVE_STATES or r.state == "met":
                forecast = forecast_goal(left, weekly, now.date(), r.target_date, met=met or r.state == "met")
            grades = [s.grade for s in goal_skills if s.grade is not None]
            if learner.grade is not None and grades:
                top = max(grades)
                level = "above" if top > learner.grade else "below" if top < learner.grade else "at"
        elif r.kind == "interest":
            marks = [p for p in parts[r.id] if p.kind in ("milestone", "check")]
            total, done = len(marks), sum(p.done for p in marks)
            progress = done / total if total else (1.0 if r.state == "met" else 0.0)
        if r.state == "met":
            progress = 1.0
        approvals = approvals_since_proposal(session, r.id) if r.state == "proposed" else []
        out.append(
            PlanGoal(
                r.id,
                r.kind,
                r.title,
                r.details,
                [
                    (s.code, s.name_es if locale == "es" and s.name_es else s.name, s.grade)
                    for s in goal_skills
                ],
                level,
                r.state,
                r.target_mastery,
                r.target_date,
                progress,
                done,
                total,
                forecast,
                pending_approvers(approvals, has_family) if r.state == "proposed" else [],
                [a.user_id for a in approvals],
                parts[r.id],
                events[r.id],
                names.get(r.created_by) if r.created_by is not None else None,
                next_step,
            )
        )
    return out, weekly


def plan_snapshot(session: Session, learner_id: int, now: datetime) -> dict[str, Any]:
    """The learner's plan as JSON-able data (no access check: callers have checked): every goal with its
    state, skills, target date, progress (0..1) and forecast (date, low, high, status)."""
    learner = session.get(User, learner_id)
    if learner is None or learner.role != "learner":
        raise NotFoundError(f"no learner with id {learner_id}")
    goals, _ = _plan_goals(session, learner, now, "en")
    return {"goals": [g.to_dict() for g in goals]}


def get_plan(ctx: ServiceContext, actor: Actor, learner_id: int) -> dict[str, Any]:
    """:func:`plan_snapshot` for anyone who may see the learner."""
    now = ctx.clock()
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        return plan_snapshot(session, learner_id, now)


def plan_view(ctx: ServiceContext, actor: Actor, learner_id: int, locale: str | None = None) -> PlanView:
    """The plan as the plan page shows it, for anyone who may see the learner, with what the actor may do."""
    now = ctx.clock()
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        goals, weekly = _plan_goals(session, learner, now, locale or actor.locale)
        drafts_by_teacher = teacher_drafts(session, learner)
        may_draft = actor.role in STAFF or (actor.role == "learner" and not drafts_by_teacher)
        return PlanView(
            learner.id,
            learner.display_name,
            learner.grade,
            goals,
            drafts_by_teacher,
            bool(family_ids(session, learner.id)),
            may_draft,
            actor.role in (*STAFF, "family"),
            actor.role in STAFF,
            sum(weekly),
            sum(weekly) / len(weekly),
        )


def learner_choices(ctx: ServiceContext, actor: Actor) -> list[tuple[int, str]]:
    """The learners the actor may see, as (id, name), for a family's child switcher."""
    with ctx.unit() as session:
        ids = visible_learner_ids(session, actor)
        rows = session.execute(select(User.id, User.display_name).where(User.id.in_(ids)).order_by(User.id))
        return [(i, n) for i, n in rows]
