"""Personal learning plans (issue 6): goals a learner, their teacher and their family agree on, each goal's
history, comments, interest/project goals with milestones and a rubric or checklist, and a forecast per
skill goal.

The rules of a goal's life (states, moves, when it is agreed) are pure, in ``core/goals.py``; the forecast
is pure, in ``core/forecast.py``. Here: the use cases that change a plan; reading it (``plan_snapshot``,
``plan_view``) lives in ``service/plan_view.py`` and the shared stored side (history rows, who is involved) in
``service/goal_records.py``; both are re-exported here, the plan's one entry point.

Who does what:

- **drafting**: the learner drafts their own goals, unless their teacher drafts for them (young learners:
  grade 2 or below, or by the teacher's choice, ``learner_plans.teacher_drafts``); teachers and admins may
  always draft. Families do not draft (403), they approve and comment. Whoever may draft may also change a
  draft or proposed goal (:func:`revise_goal`: name, text, date, skills); a proposed goal that changes goes
  back to draft and its approvals lapse.
- **approving** (approve or request a change, with a comment): the learner's teachers, admins, and the
  learner's linked family; a change request needs a comment and sends the goal back to draft.
- **commenting**: anyone who may see the learner; the others involved (the learner, their teachers and
  linked family) are notified in-app.
- **adjusting** (target date, met, dropped): teachers and admins (:func:`adjust_goal`, also used by
  check-in decisions); the learner may propose their own drafts and drop their own unagreed goals.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from learnpath.core.goals import check_transition, is_agreed, may_approve
from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service.access import Actor, require_learner, require_role
from learnpath.service.context import ServiceContext, utc_now
from learnpath.service.goal_records import (
    STAFF,
    approvals_since_proposal,
    check_may_draft,
    family_ids,
    find_goal,
    record_event,
    teacher_drafts,
    tell,
)
from learnpath.service.goals import MAX_GOAL_SKILLS, MAX_TITLE
from learnpath.service.plan_view import (
    GoalEventView,
    GoalPartView,
    PlanGoal,
    PlanView,
    get_plan,
    learner_choices,
    plan_snapshot,
    plan_view,
)
from learnpath.storage.tables import GoalPart, GoalRow, GoalSkill, LearnerPlan, SkillRow, User

__all__ = [
    "MAX_COMMENT",
    "MAX_PARTS",
    "GoalEventView",
    "GoalPartView",
    "PlanGoal",
    "PlanView",
    "add_goal_in",
    "adjust_goal",
    "comment_goal",
    "comment_in",
    "decide_goal",
    "decide_in",
    "draft_goal",
    "get_plan",
    "goal_learner",
    "goal_rubric",
    "goal_state",
    "learner_choices",
    "plan_snapshot",
    "plan_view",
    "propose_goal",
    "revise_goal",
    "set_goal_state",
    "set_milestone",
    "set_teacher_drafts",
    "teacher_drafts",
]

MAX_COMMENT = 2000
MAX_DETAILS = 5000
MAX_PARTS = 20
MAX_POINTS = 10


# ---------------------------------------------------------------- drafting


def _text(value: Any, name: str, limit: int, problems: list[FieldError], required: bool = False) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        problems.append(FieldError(name, "must be text"))
    if required and not text:
        problems.append(FieldError(name, "must not be empty"))
    if len(text) > limit:
        problems.append(FieldError(name, f"must be at most {limit} characters, got {len(text)}"))
    return text


def _parts(fields: dict[str, Any], problems: list[FieldError]) -> list[tuple[str, str, int]]:
    """Milestones, rubric criteria and checklist entries of an interest goal as (kind, text, max_points)."""
    out: list[tuple[str, str, int]] = []
    for key, kind in (("milestones", "milestone"), ("checklist", "check")):
        values = [v for v in fields.get(key) or [] if not (isinstance(v, str) and not v.strip())]
        if len(values) > MAX_PARTS:
            problems.append(FieldError(key, f"at most {MAX_PARTS}, got {len(values)}"))
        for i, v in enumerate(values[:MAX_PARTS]):
            out.append((kind, _text(v, f"{key}[{i}]", MAX_TITLE, problems, True), 1))
    criteria = [c for c in fields.get("rubric") or [] if c]
    if len(criteria) > MAX_PARTS:
        problems.append(FieldError("rubric", f"at most {MAX_PARTS} criteria, got {len(criteria)}"))
    for i, c in enumerate(criteria[:MAX_PARTS]):
        raw = c if isinstance(c, dict) else {"text": c}
        text = _text(raw.get("text"), f"rubric[{i}].text", MAX_TITLE, problems, True)
        points = raw.get("max_points", 4)
        if not isinstance(points, int) or isinstance(points, bool) or not 1 <= points <= MAX_POINTS:
            problems.append(
                FieldError(f"rubric[{i}].max_points", f"must be a whole number 1 to {MAX_POINTS}")
            )
            points = 1
        out.append(("criterion", text, points))
    return out


def add_goal_in(session: Session, actor: Actor, learner_id: int, **fields: Any) -> int:
    """Draft a goal for a learner inside the caller's transaction; returns the goal's id.

    Fields: ``kind`` ('skill' or 'interest'), ``title``, ``details``, ``skills`` (codes; skill goals, 1 to
    20), ``target_mastery`` (0 < p <= 1, default the mastery threshold), ``target_date`` (a date, not in the
    past), for interest goals ``milestones`` and ``checklist`` (texts) and ``rubric`` (texts or
    ``{"text", "max_points"}``), ``propose`` (default True: ask for approval at once; False keeps a draft)
    and ``now``. Every problem is reported at once (ValidationError naming each field)."""
    now: datetime = fields.pop("now", None) or utc_now()
    learner = require_learner(session, actor, learner_id)
    check_may_draft(session, actor, learner)
    known = {"kind", "title", "details", "skills", "target_mastery", "target_date", "milestones"}
    known |= {"checklist", "rubric", "propose"}
    problems = [FieldError(k, "unknown field") for k in sorted(set(fields) - known)]
    kind = fields.get("kind") or "skill"
    if kind not in ("skill", "interest"):
        problems.append(FieldError("kind", f"must be 'skill' or 'interest', got {kind!r}"))
    title = _text(fields.get("title"), "title", MAX_TITLE, problems, required=kind == "interest")
    details = _text(fields.get("details"), "details", MAX_DETAILS, problems)
    target_date = fields.get("target_date")
    if target_date is not None and not isinstance(target_date, date):
        problems.append(FieldError("target_date", "must be a date (YYYY-MM-DD)"))
        target_date = None
    if target_date is not None and target_date < now.date():
        problems.append(FieldError("target_date", f"must not be in the past ({target_date.isoformat()})"))
    mastery = fields.get("target_mastery")
    if mastery is not None and (not isinstance(mastery, int | float) or not 0.0 < float(mastery) <= 1.0):
        problems.append(FieldError("target_mastery", f"must be above 0 and at most 1, got {mastery!r}"))
    codes = list(
        dict.fromkeys(c.strip() for c in fields.get("skills") or [] if isinstance(c, str) and c.strip())
    )
    skills: list[SkillRow] = []
    parts: list[tuple[str, str, int]] = []
    if kind == "skill":
        if not codes:
            problems.append(FieldError("skills", "choose at least one skill"))
        elif len(codes) > MAX_GOAL_SKILLS:
            problems.append(
                FieldError("skills", f"at most {MAX_GOAL_SKILLS} skills per goal, got {len(codes)}")
            )
        found = {s.code: s for s in session.scalars(select(SkillRow).where(SkillRow.code.in_(codes)))}
        problems += [FieldError("skills", f"no skill with code {c!r}") for c in codes if c not in found]
        skills = [found[c] for c in codes if c in found]
        for key in ("milestones", "checklist", "rubric"):
            if fields.get(key):
                problems.append(
                    FieldError(key, "only interest goals have milestones, a rubric or a checklist")
                )
    elif kind == "interest":
        if codes:
            problems.append(
                FieldError("skills", "an interest goal has no skills; link work to skills instead")
            )
        parts = _parts(fields, problems)
        if any(k == "criterion" for k, _, _ in parts) and any(k == "check" for k, _, _ in parts):
            problems.append(FieldError("rubric", "choose a rubric or a checklist, not both"))
    if problems:
        raise ValidationError("the goal cannot be saved", problems)
    name = title or _skills_title(skills)
    goal = GoalRow(
        learner_id=learner_id,
        kind=kind,
        title=name,
        details=details,
        target_mastery=(float(mastery) if mastery is not None else MASTERED_AT) if kind == "skill" else None,
        target_date=target_date,
        state="draft",
        created_by=actor.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(goal)
    session.flush()
    session.add_all(GoalSkill(goal_id=goal.id, skill_id=s.id, position=i) for i, s in enumerate(skills))
    session.add_all(
        GoalPart(goal_id=goal.id, kind=k, position=i, text=t, max_points=p)
        for i, (k, t, p) in enumerate(parts)
    )
    record_event(session, goal, actor, "draft", now, to_state="draft")
    if fields.get("propose", True):
        _propose(session, actor, goal, now, "")
    return goal.id


def _propose(session: Session, actor: Actor, goal: GoalRow, now: datetime, comment: str) -> None:
    check_transition(goal.state, "proposed")
    record_event(session, goal, actor, "propose", now, to_state="proposed", comment=comment)
    if is_agreed(approvals_since_proposal(session, goal.id), bool(family_ids(session, goal.learner_id))):
        record_event(session, goal, None, "agree", now, to_state="agreed")
        tell(session, goal, actor, "goal_agreed", now)
    else:
        tell(session, goal, actor, "goal_proposed", now)


def draft_goal(ctx: ServiceContext, actor: Actor, learner_id: int, **fields: Any) -> int:
    """:func:`add_goal_in` as its own transaction."""
    now = ctx.clock()
    with ctx.unit() as session:
        return add_goal_in(session, actor, learner_id, now=now, **fields)


def propose_goal(ctx: ServiceContext, actor: Actor, goal_id: int, comment: str = "") -> None:
    """Ask for approval of a draft (again, after a change was asked for): the learner or staff."""
    now = ctx.clock()
    with ctx.unit() as session:
        goal = find_goal(session, actor, goal_id, for_update=True)
        learner = session.get(User, goal.learner_id)
        assert learner is not None
        check_may_draft(session, actor, learner)
        _propose(session, actor, goal, now, _comment(comment, required=False))


def _skill_rows(session: Session, codes: Sequence[str], problems: list[FieldError]) -> list[SkillRow]:
    """The goal's new skills in the order given (duplicates dropped): 1 to MAX_GOAL_SKILLS known codes."""
    wanted = list(dict.fromkeys(c.strip() for c in codes if isinstance(c, str) and c.strip()))
    if not wanted:
        problems.append(FieldError("skills", "choose at least one skill"))
    elif len(wanted) > MAX_GOAL_SKILLS:
        problems.append(FieldError("skills", f"at most {MAX_GOAL_SKILLS} skills per goal, got {len(wanted)}"))
    found = {s.code: s for s in session.scalars(select(SkillRow).where(SkillRow.code.in_(wanted)))}
    problems += [FieldError("skills", f"no skill with code {c!r}") for c in wanted if c not in found]
    return [found[c] for c in wanted if c in found]


def _goal_skill_rows(session: Session, goal_id: int) -> list[SkillRow]:
    return list(
        session.scalars(
            select(SkillRow)
            .join(GoalSkill, GoalSkill.skill_id == SkillRow.id)
            .where(GoalSkill.goal_id == goal_id)
            .order_by(GoalSkill.position)
        )
    )


def revise_goal(
    ctx: ServiceContext,
    actor: Actor,
    goal_id: int,
    *,
    title: str | None = None,
    details: str | None = None,
    target_date: date | None = None,
    clear_date: bool = False,
    skills: Sequence[str] | None = None,
    propose: bool = True,
) -> None:
    """Change a draft or proposed goal: its title, text, target date or (skill goals) its skills, by whoever
    may draft the learner's goals. ``None`` leaves a field as it is; ``clear_date`` removes the date.

    What changed is kept in the goal's history (``revise``, with ``[before, after]`` per field). A proposed
    goal that changes goes back to draft, so every approval given to it lapses; with ``propose`` (default)
    the goal is then proposed again at once and needs new approvals. A proposed goal that does not change
    stays as it is. A skill goal whose name was made from its skills is renamed with them. Every problem is
    named; nothing is saved when one is found."""
    now = ctx.clock()
    with ctx.unit() as session:
        goal = find_goal(session, actor, goal_id, for_update=True)
        learner = session.get(User, goal.learner_id)
        assert learner is not None
        check_may_draft(session, actor, learner)
        if goal.state not in ("draft", "proposed"):
            raise ValidationError.for_field(
                "state",
                f"only a draft or proposed goal can be changed; this goal is {goal.state}"
                " (ask for a change first)",
            )
        problems: list[FieldError] = []
        new_title = _text(title, "title", MAX_TITLE, problems) if title is not None else goal.title
        if title is not None and not new_title:
            problems.append(FieldError("title", "must not be empty"))
        new_details = (
            _text(details, "details", MAX_DETAILS, problems) if details is not None else goal.details
        )
        if target_date is not None and target_date < now.date():
            problems.append(FieldError("target_date", f"must not be in the past ({target_date.isoformat()})"))
        old_skills = _goal_skill_rows(session, goal.id)
        new_skills = old_skills
        if skills is not None:
            if goal.kind != "skill":
                problems.append(
                    FieldError("skills", "an interest goal has no skills; link work to skills instead")
                )
            else:
                new_skills = _skill_rows(session, skills, problems)
        if problems:
            raise ValidationError("the goal cannot be changed", problems)
        new_date = None if clear_date else (target_date if target_date is not None else goal.target_date)
        old_codes, new_codes = [s.code for s in old_skills], [s.code for s in new_skills]
        if title is None and old_codes != new_codes and goal.title == _skills_title(old_skills):
            new_title = _skills_title(new_skills)
        changes: dict[str, Any] = {}
        if new_title != goal.title:
            changes["title"] = [goal.title, new_title]
        if new_details != goal.details:
            changes["details"] = [goal.details, new_details]
        if new_date != goal.target_date:
            iso = [d.isoformat() if d else None for d in (goal.target_date, new_date)]
            changes["target_date"] = iso
        if new_codes != old_codes:
            changes["skills"] = [old_codes, new_codes]
            session.execute(delete(GoalSkill).where(GoalSkill.goal_id == goal.id))
            session.add_all(
                GoalSkill(goal_id=goal.id, skill_id=s.id, position=i) for i, s in enumerate(new_skills)
            )
        if goal.state == "proposed" and not changes:
            return
        goal.title, goal.details, goal.target_date = new_title, new_details, new_date
        was = goal.state
        if changes:
            record_event(session, goal, actor, "revise", now, to_state="draft", details=changes)
        if propose:
            _propose(session, actor, goal, now, "")
        elif was == "proposed":
            tell(session, goal, actor, "goal_adjusted", now, state="draft")


def _skills_title(skills: Sequence[SkillRow]) -> str:
    """The name a skill goal gets when it is drafted without one."""
    return ", ".join(s.name for s in skills)[:MAX_TITLE]


# ---------------------------------------------------------------- approvals, comments, adjustments


def _comment(text: str, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise ValidationError.for_field("comment", "say what should change")
    if len(text) > MAX_COMMENT:
        raise ValidationError.for_field(
            "comment", f"must be at most {MAX_COMMENT} characters, got {len(text)}"
        )
    return text


def decide_in(
    session: Session, actor: Actor, goal_id: int, decision: str, comment: str, now: datetime
) -> str:
    """Approve a proposed goal, or ask for a change (with a comment; the goal goes back to draft), in the
    caller's transaction. Returns the goal's state after. Teachers, admins and the learner's family only."""
    goal = find_goal(session, actor, goal_id, for_update=True)
    if actor.role not in (*STAFF, "family"):
        raise PermissionDeniedError("only the learner's teachers and family approve goals or ask for changes")
    if decision not in ("approve", "request_change"):
        raise ValidationError.for_field(
            "decision", f"must be 'approve' or 'request_change', got {decision!r}"
        )
    text = _comment(comment, required=decision == "request_change")
    if decision == "approve":
        may_approve(actor.role, goal.state)
        if any(a.user_id == actor.user_id for a in approvals_since_proposal(session, goal.id)):
            raise ValidationError.for_field("decision", "you already approved this goal")
        record_event(session, goal, actor, "approve", now, comment=text)
        if is_agreed(approvals_since_proposal(session, goal.id), bool(family_ids(session, goal.learner_id))):
            record_event(session, goal, None, "agree", now, to_state="agreed")
            tell(session, goal, actor, "goal_agreed", now)
        else:
            tell(session, goal, actor, "goal_approved", now, comment=text)
    else:
        if goal.state not in ("proposed", "agreed"):
            raise ValidationError.for_field(
                "state", f"a change can be asked for on a proposed or agreed goal; this one is {goal.state}"
            )
        record_event(session, goal, actor, "request_change", now, to_state="draft", comment=text)
        tell(session, goal, actor, "goal_change_requested", now, comment=text)
    return goal.state


def decide_goal(ctx: ServiceContext, actor: Actor, goal_id: int, decision: str, comment: str = "") -> str:
    """:func:`decide_in` as its own transaction."""
    now = ctx.clock()
    with ctx.unit() as session:
        return decide_in(session, actor, goal_id, decision, comment, now)


def comment_in(session: Session, actor: Actor, goal_id: int, text: str, now: datetime) -> str:
    """A comment on a goal by anyone who may see the learner, in the caller's transaction; the others
    involved are notified in-app. Returns the goal's state."""
    goal = find_goal(session, actor, goal_id)
    body = _comment(text, required=False)
    if not body:
        raise ValidationError.for_field("comment", "write a comment first")
    record_event(session, goal, actor, "comment", now, comment=body)
    tell(session, goal, actor, "goal_comment", now, comment=body[:200])
    return goal.state


def comment_goal(ctx: ServiceContext, actor: Actor, goal_id: int, text: str) -> str:
    """:func:`comment_in` as its own transaction."""
    now = ctx.clock()
    with ctx.unit() as session:
        return comment_in(session, actor, goal_id, text, now)


def adjust_goal(
    session: Session,
    actor: Actor,
    goal_id: int,
    *,
    target_date: date | None = None,
    state: str | None = None,
    note: str,
    now: datetime | None = None,
) -> None:
    """Change a goal's target date and/or state in the caller's transaction (teachers and admins; used by
    check-in decisions), recording who, when, what and why in the goal's history and telling the others."""
    when = now or utc_now()
    goal = find_goal(session, actor, goal_id, for_update=True)
    require_role(actor, "teacher", "admin")
    text = _comment(note, required=False)
    if target_date is None and state is None:
        raise ValidationError.for_field("target_date", "give a new target date or state")
    details: dict[str, Any] = {}
    if target_date is not None:
        if target_date < when.date():
            raise ValidationError.for_field(
                "target_date", f"must not be in the past ({target_date.isoformat()})"
            )
        old = goal.target_date.isoformat() if goal.target_date else None
        details["target_date"] = [old, target_date.isoformat()]
        goal.target_date = target_date
    if state is not None and state != goal.state:
        check_transition(goal.state, state)
    record_event(session, goal, actor, "adjust", when, to_state=state, comment=text, details=details)
    tell(
        session, goal, actor, "goal_adjusted", when, state=goal.state, **{k: v[1] for k, v in details.items()}
    )


def set_goal_state(
    ctx: ServiceContext,
    actor: Actor,
    goal_id: int,
    state: str | None,
    comment: str = "",
    target_date: date | None = None,
) -> None:
    """Mark a goal met, drop it, reopen it, or (staff) move its target date: :func:`adjust_goal` as its own
    transaction for teachers and admins; the learner may stop their own draft or proposed goal and reopen
    a stopped one."""
    now = ctx.clock()
    with ctx.unit() as session:
        goal = find_goal(session, actor, goal_id, for_update=True)
        if actor.role in STAFF:
            adjust_goal(
                session, actor, goal_id, target_date=target_date, state=state or None, note=comment, now=now
            )
            return
        state = state or ""
        own = actor.role == "learner" and actor.user_id == goal.learner_id
        if not own or (state, goal.state) not in {
            ("dropped", "draft"),
            ("dropped", "proposed"),
            ("draft", "dropped"),
        }:
            raise PermissionDeniedError("only the teacher can change an agreed goal")
        check_transition(goal.state, state)
        record_event(session, goal, actor, "drop" if state == "dropped" else "reopen", now, to_state=state,
               comment=_comment(comment, required=False))  # fmt: skip
        tell(session, goal, actor, "goal_adjusted", now, state=state)


def set_milestone(ctx: ServiceContext, actor: Actor, goal_id: int, part_id: int, done: bool) -> None:
    """Tick (or untick) a milestone or checklist entry of an interest goal: the learner or their teachers."""
    now = ctx.clock()
    with ctx.unit() as session:
        goal = find_goal(session, actor, goal_id, for_update=True)
        if actor.role == "family":
            raise PermissionDeniedError("the learner or their teacher ticks milestones")
        part = session.get(GoalPart, part_id)
        if part is None or part.goal_id != goal.id or part.kind not in ("milestone", "check"):
            raise NotFoundError(f"no milestone with id {part_id} on goal {goal_id}")
        if (part.done_at is not None) == done:
            return
        part.done_at = now if done else None
        record_event(session, goal, actor, "milestone", now, details={"part": part.text, "done": done})


def set_teacher_drafts(ctx: ServiceContext, actor: Actor, learner_id: int, value: bool | None) -> None:
    """The teacher decides who drafts the learner's goals (None: by grade)."""
    now = ctx.clock()
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        require_role(actor, "teacher", "admin")
        plan = session.get(LearnerPlan, learner_id)
        if plan is None:
            session.add(LearnerPlan(learner_id=learner_id, teacher_drafts=value, updated_at=now))
        else:
            plan.teacher_drafts, plan.updated_at = value, now


def goal_learner(ctx: ServiceContext, actor: Actor, goal_id: int) -> int:
    """The learner a goal belongs to, for anyone who may see that learner (else NotFoundError)."""
    with ctx.unit() as session:
        return find_goal(session, actor, goal_id).learner_id


def goal_state(ctx: ServiceContext, actor: Actor, goal_id: int) -> str:
    """A goal's state, for anyone who may see its learner (else NotFoundError)."""
    with ctx.unit() as session:
        return find_goal(session, actor, goal_id).state


def goal_rubric(session: Session, goal_id: int) -> list[dict[str, Any]]:
    """The criteria of an interest/project goal's rubric, or its checklist entries (1 point each), as
    ``[{"id": str, "text": str, "max_points": int}]``; empty for skill goals. No access check."""
    parts = session.scalars(
        select(GoalPart)
        .where(GoalPart.goal_id == goal_id, GoalPart.kind.in_(("criterion", "check")))
        .order_by(GoalPart.position, GoalPart.id)
    )
    return [{"id": f"c{p.id}", "text": p.text, "max_points": p.max_points} for p in parts]
