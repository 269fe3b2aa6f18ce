"""Use cases of must-do assignments (a teacher gives a skill to a learner or a whole class, with a due
date) and of learners' interests (tags such as ``space`` that the next steps use for exploration).

A later issue extends assignments to groups, flipped lessons and a full teacher UI; the table already
carries ``kind`` (only ``must_do`` now) and an optional item.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from learnpath.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service.access import Actor, require_class, require_learner, require_role
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import (
    Assignment,
    ClassLearner,
    LearnerInterest,
    SkillInterest,
    SkillRow,
    User,
)

__all__ = [
    "INTERESTS",
    "AssignmentView",
    "add_assignment",
    "class_assignments",
    "interests_of",
    "seed_demo",
    "set_interests",
    "tag_skills",
]

INTERESTS: tuple[str, ...] = (
    "animals",
    "art",
    "building",
    "cooking",
    "games",
    "money",
    "music",
    "nature",
    "space",
    "sports",
)
"""The interest tags a learner may pick (their words live in the web UI's catalogs)."""


@dataclass(frozen=True)
class AssignmentView:
    id: int
    skill_code: str
    skill_name: str
    learner_id: int | None
    learner_name: str | None
    class_id: int | None
    due_at: datetime | None
    created_at: datetime


def _skill(session: Session, code: str) -> SkillRow:
    row = session.scalars(select(SkillRow).where(SkillRow.code == code.strip())).first()
    if row is None:
        raise NotFoundError(f"no skill with code {code.strip()!r}")
    return row


def add_assignment(
    ctx: ServiceContext,
    actor: Actor,
    skill_code: str,
    *,
    class_id: int | None = None,
    learner_id: int | None = None,
    due_at: datetime | None = None,
) -> AssignmentView:
    """A teacher (own classes) or admin (own school) assigns a skill as must-do to a class or a learner."""
    require_role(actor, "teacher", "admin")
    if (class_id is None) == (learner_id is None):
        raise ValidationError(
            "an assignment goes to one class or one learner",
            [FieldError("class_id", "give exactly one of class_id and learner_id")],
        )
    now = ctx.clock()
    if due_at is not None and due_at < now:
        raise ValidationError(
            "the due date is in the past", [FieldError("due_at", f"must be after {now.date().isoformat()}")]
        )
    with ctx.unit() as session:
        learner_name = None
        if class_id is not None:
            require_class(session, actor, class_id)
        else:
            assert learner_id is not None
            learner_name = require_learner(session, actor, learner_id).display_name
        skill = _skill(session, skill_code)
        row = Assignment(
            school_id=actor.school_id,
            created_by=actor.user_id,
            learner_id=learner_id,
            class_id=class_id,
            skill_id=skill.id,
            kind="must_do",
            due_at=due_at,
            created_at=now,
        )
        session.add(row)
        session.flush()
        name = skill.name_es if actor.locale == "es" and skill.name_es else skill.name
        return AssignmentView(row.id, skill.code, name, learner_id, learner_name, class_id, due_at, now)


def class_assignments(ctx: ServiceContext, actor: Actor, class_id: int) -> list[AssignmentView]:
    """The class's must-do work: given to the whole class or to one of its learners (newest first)."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        members = select(ClassLearner.learner_id).where(ClassLearner.class_id == class_id)
        rows = session.execute(
            select(Assignment, SkillRow, User.display_name)
            .join(SkillRow, SkillRow.id == Assignment.skill_id)
            .outerjoin(User, User.id == Assignment.learner_id)
            .where(or_(Assignment.class_id == class_id, Assignment.learner_id.in_(members)))
            .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        ).all()
        return [
            AssignmentView(
                a.id,
                s.code,
                s.name_es if actor.locale == "es" and s.name_es else s.name,
                a.learner_id,
                who,
                a.class_id,
                a.due_at,
                a.created_at,
            )
            for a, s, who in rows
        ]


def _check_tags(tags: Iterable[str]) -> list[str]:
    clean = sorted({t.strip() for t in tags if t.strip()})
    unknown = [t for t in clean if t not in INTERESTS]
    if unknown:
        raise ValidationError(
            "unknown interests",
            [
                FieldError("interests", f"unknown tag {t!r}; expected one of {', '.join(INTERESTS)}")
                for t in unknown
            ],
        )
    return clean


def interests_of(ctx: ServiceContext, actor: Actor, learner_id: int) -> list[str]:
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        return list(
            session.scalars(
                select(LearnerInterest.tag)
                .where(LearnerInterest.learner_id == learner_id)
                .order_by(LearnerInterest.tag)
            )
        )


def set_interests(ctx: ServiceContext, actor: Actor, learner_id: int, tags: Iterable[str]) -> list[str]:
    """The learner (only they) replaces their interests with ``tags``."""
    clean = _check_tags(tags)
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        if actor.role != "learner":
            raise PermissionDeniedError("only the learner picks their own interests")
        session.execute(delete(LearnerInterest).where(LearnerInterest.learner_id == learner_id))
        session.add_all(LearnerInterest(learner_id=learner_id, tag=t) for t in clean)
        return clean


def tag_skills(session: Session, tags: dict[str, Iterable[str]]) -> int:
    """Content set-up (no access check; the caller is a build step): interest tags per skill code."""
    codes = {r.code: r.id for r in session.scalars(select(SkillRow).where(SkillRow.code.in_(list(tags))))}
    missing = sorted(set(tags) - set(codes))
    if missing:
        raise NotFoundError(f"no skills with codes {', '.join(missing)}")
    n = 0
    for code, ts in tags.items():
        for t in _check_tags(ts):
            if session.get(SkillInterest, (codes[code], t)) is None:
                session.add(SkillInterest(skill_id=codes[code], tag=t))
                n += 1
    return n


def seed_demo(
    session: Session,
    ctx: ServiceContext,
    school_id: int,
    class_id: int,
    teacher_id: int,
    learner_ids: list[int],
    skill_code: str,
) -> None:
    """The demo school's adaptivity data: skill interest tags, two interests per learner (all but every
    fifth learner, who has none yet), and one must-do skill for a class, due in a week."""
    from learnpath.demo.interests import SKILL_INTERESTS

    tag_skills(session, {k: list(v) for k, v in SKILL_INTERESTS.items()})
    for n, lid in enumerate(learner_ids):
        if n % 5 == 4:
            continue
        tags = {INTERESTS[n % len(INTERESTS)], INTERESTS[(3 * n + 1) % len(INTERESTS)]}
        session.add_all(LearnerInterest(learner_id=lid, tag=t) for t in sorted(tags))
    now = ctx.clock()
    skill = _skill(session, skill_code)
    session.add(
        Assignment(
            school_id=school_id,
            created_by=teacher_id,
            class_id=class_id,
            skill_id=skill.id,
            kind="must_do",
            due_at=now + timedelta(days=7),
            created_at=now,
        )
    )
