"""Goals: what a learner aims for. Here teachers (and admins) pick skill goals for one learner or for several
learners of one class; personal learning plans (issue 6) add drafting by learners, three-way agreement,
interest goals and history on the same ``goals`` table.

A goal a teacher picks starts ``proposed``; active goals (draft, proposed, agreed) are what the path page
aims at when no goal is named.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import FieldError, PermissionDeniedError, ValidationError
from learnpath.service.access import Actor, require_class, require_learner
from learnpath.service.context import ServiceContext
from learnpath.service.goal_records import tell
from learnpath.storage.tables import ClassLearner, GoalEvent, GoalRow, GoalSkill, SkillRow, User

__all__ = [
    "ACTIVE_STATES",
    "GOAL_KINDS",
    "GOAL_STATES",
    "MAX_GOAL_SKILLS",
    "GoalInfo",
    "active_goal_skills",
    "check_may_pick",
    "list_goals",
    "pick_goals",
]

GOAL_KINDS = ("skill", "interest")
GOAL_STATES = ("draft", "proposed", "agreed", "met", "dropped")
ACTIVE_STATES = ("draft", "proposed", "agreed")
MAX_GOAL_SKILLS = 20
MAX_LEARNERS = 200
MAX_TITLE = 300


@dataclass(frozen=True)
class GoalInfo:
    id: int
    learner_id: int
    kind: str
    title: str
    details: str
    skills: list[str]
    target_mastery: float | None
    target_date: date | None
    state: str
    created_by: str | None
    """Display name of whoever set the goal (None if that account is gone)."""
    created_at: datetime
    updated_at: datetime


def _skill_codes(session: Session, goal_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {g: [] for g in goal_ids}
    if not goal_ids:
        return out
    rows = session.execute(
        select(GoalSkill.goal_id, SkillRow.code)
        .join(SkillRow, SkillRow.id == GoalSkill.skill_id)
        .where(GoalSkill.goal_id.in_(goal_ids))
        .order_by(GoalSkill.goal_id, GoalSkill.position, SkillRow.id)
    )
    for gid, code in rows:
        out[gid].append(code)
    return out


def _infos(session: Session, rows: Sequence[GoalRow]) -> list[GoalInfo]:
    codes = _skill_codes(session, [r.id for r in rows])
    makers = {r.created_by for r in rows if r.created_by is not None}
    names: dict[int | None, str] = {
        uid: name
        for uid, name in session.execute(select(User.id, User.display_name).where(User.id.in_(makers)))
    }
    return [
        GoalInfo(
            r.id,
            r.learner_id,
            r.kind,
            r.title,
            r.details,
            codes[r.id],
            r.target_mastery,
            r.target_date,
            r.state,
            names.get(r.created_by),
            r.created_at,
            r.updated_at,
        )
        for r in rows
    ]


def _goal_rows(session: Session, learner_id: int, active_only: bool) -> list[GoalRow]:
    query = select(GoalRow).where(GoalRow.learner_id == learner_id)
    if active_only:
        query = query.where(GoalRow.state.in_(ACTIVE_STATES))
    return list(session.scalars(query.order_by(GoalRow.created_at, GoalRow.id)))


def active_goal_skills(session: Session, learner_id: int) -> list[str]:
    """The skills of the learner's active skill goals, oldest goal first (no access check: callers check)."""
    rows = [r for r in _goal_rows(session, learner_id, True) if r.kind == "skill"]
    codes = _skill_codes(session, [r.id for r in rows])
    return list(dict.fromkeys(c for r in rows for c in codes[r.id]))


def list_goals(
    ctx: ServiceContext, actor: Actor, learner_id: int, active_only: bool = False
) -> list[GoalInfo]:
    """A learner's goals (oldest first), for anyone who may see the learner."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        return _infos(session, _goal_rows(session, learner_id, active_only))


def _validate(
    session: Session,
    skill_codes: Sequence[str],
    title: str,
    target_mastery: float | None,
    target_date: date | None,
    today: date,
) -> list[SkillRow]:
    problems: list[FieldError] = []
    codes = list(dict.fromkeys(c.strip() for c in skill_codes if c.strip()))
    if not codes:
        problems.append(FieldError("skills", "choose at least one skill"))
    elif len(codes) > MAX_GOAL_SKILLS:
        problems.append(FieldError("skills", f"at most {MAX_GOAL_SKILLS} skills per goal, got {len(codes)}"))
    rows = {s.code: s for s in session.scalars(select(SkillRow).where(SkillRow.code.in_(codes)))}
    problems += [FieldError("skills", f"no skill with code {c!r}") for c in codes if c not in rows]
    if len(title) > MAX_TITLE:
        problems.append(FieldError("title", f"must be at most {MAX_TITLE} characters"))
    if target_mastery is not None and not 0.0 < target_mastery <= 1.0:
        problems.append(FieldError("target_mastery", f"must be above 0 and at most 1, got {target_mastery}"))
    if target_date is not None and target_date < today:
        problems.append(FieldError("target_date", f"must not be in the past ({target_date.isoformat()})"))
    if problems:
        raise ValidationError("the goal cannot be set", problems)
    return [rows[c] for c in codes]


def _may_pick(actor: Actor) -> None:
    if actor.role not in ("teacher", "admin"):
        raise PermissionDeniedError("only the learner's teachers and the school's admins pick goals here")


def _check_may_pick(session: Session, actor: Actor, learner_ids: Sequence[int], class_id: int | None) -> None:
    if class_id is not None:
        require_class(session, actor, class_id)
        members = set(
            session.scalars(select(ClassLearner.learner_id).where(ClassLearner.class_id == class_id))
        )
        strangers = [i for i in learner_ids if i not in members]
        if strangers:
            raise ValidationError(
                "goals are picked for learners of one class",
                [FieldError("learner_ids", f"learner {i} is not in class {class_id}") for i in strangers],
            )
    for lid in learner_ids:
        require_learner(session, actor, lid)
    _may_pick(actor)


def check_may_pick(
    ctx: ServiceContext, actor: Actor, learner_ids: Sequence[int] = (), class_id: int | None = None
) -> None:
    """Raise exactly as :func:`pick_goals` would for who may pick (404 for others' learners or classes,
    403 for roles that never pick goals), before any input is read."""
    with ctx.unit() as session:
        _check_may_pick(session, actor, list(learner_ids), class_id)


def pick_goals(
    ctx: ServiceContext,
    actor: Actor,
    learner_ids: Sequence[int],
    skill_codes: Sequence[str],
    *,
    class_id: int | None = None,
    kind: str = "skill",
    title: str = "",
    target_mastery: float | None = None,
    target_date: date | None = None,
) -> list[GoalInfo]:
    """Set one skill goal (the given skills) for each learner, all in one transaction.

    Only a teacher of the learners' class or an admin of their school may: others' learners are not found
    (404), a learner or family member is refused (403). With ``class_id`` every learner must be in that
    class (a selection of one class's learners). A learner who already has an active goal on exactly
    these skills keeps it (no duplicate); that goal is returned."""
    now = ctx.clock()
    with ctx.unit() as session:
        ids = list(dict.fromkeys(learner_ids))
        _check_may_pick(session, actor, ids, class_id)
        if kind != "skill":
            # interest and project goals arrive with personal learning plans (issue 6)
            raise ValidationError.for_field("kind", f"only skill goals can be set here, not {kind!r}")
        if not ids:
            raise ValidationError.for_field("learner_ids", "choose at least one learner")
        if len(ids) > MAX_LEARNERS:
            raise ValidationError.for_field("learner_ids", f"at most {MAX_LEARNERS} learners at once")
        skills = _validate(session, skill_codes, title.strip(), target_mastery, target_date, now.date())
        wanted = [s.code for s in skills]
        name = title.strip() or ", ".join(s.name for s in skills)[:MAX_TITLE]
        out: list[GoalRow] = []
        for lid in ids:
            existing = [r for r in _goal_rows(session, lid, True) if r.kind == "skill"]
            codes = _skill_codes(session, [r.id for r in existing])
            same = next((r for r in existing if sorted(codes[r.id]) == sorted(wanted)), None)
            if same is not None:
                out.append(same)
                continue
            row = GoalRow(
                learner_id=lid,
                kind="skill",
                title=name,
                details="",
                target_mastery=MASTERED_AT if target_mastery is None else target_mastery,
                target_date=target_date,
                state="proposed",
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            session.add_all(
                GoalSkill(goal_id=row.id, skill_id=s.id, position=i) for i, s in enumerate(skills)
            )
            # the goal's history (personal learning plans): drafted and proposed by its teacher, whose
            # proposal counts as the school side's approval; the family still approves
            session.add_all(
                GoalEvent(
                    goal_id=row.id, actor_id=actor.user_id, role=actor.role, action=action,
                    from_state=before, to_state=after, comment="", details={}, created_at=now,
                )
                for action, before, after in (("draft", None, "draft"), ("propose", "draft", "proposed"))
            )  # fmt: skip
            tell(session, row, actor, "goal_proposed", now)  # the family is asked to agree
            out.append(row)
        session.flush()
        return _infos(session, out)
