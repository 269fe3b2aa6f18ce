"""Class groups and teams, and the teacher's pair rules (keep apart / keep together).

A group is a named set of learners of one class: a small group for a mini-lesson (``kind='group'``) or a
collaborative team (``kind='team'``). Groups drive assignments ("give this to group 2"), dashboard filters
and station rotations; pair rules bind every grouping learnpath suggests (groups, teams, rotations).

This module holds the stored side every feature shares: reading, creating and checking groups, and the
pair rules. Suggesting groups and teams from mastery data lives beside it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.service.access import Actor, require_class
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import (
    ClassGroup,
    ClassGroupMember,
    ClassLearner,
    LearnerPairRule,
    User,
)

__all__ = [
    "GROUP_KINDS",
    "PAIR_RULES",
    "GroupView",
    "Member",
    "PairRule",
    "check_members",
    "create_group",
    "group_learner_ids",
    "list_groups",
    "pair_rules",
    "require_group",
    "set_pair_rule",
]

GroupKind = Literal["group", "team"]
GROUP_KINDS: tuple[GroupKind, ...] = ("group", "team")
PAIR_RULES = ("apart", "together")
MAX_NAME = 100
MAX_MEMBERS = 200


@dataclass(frozen=True)
class Member:
    learner_id: int
    name: str
    role: str = ""


@dataclass(frozen=True)
class GroupView:
    id: int
    class_id: int
    kind: str
    name: str
    reason: str
    details: dict[str, Any]
    members: list[Member] = field(default_factory=list)
    updated_at: datetime | None = None


@dataclass(frozen=True)
class PairRule:
    learner_a: int
    learner_b: int
    rule: str


def require_group(session: Session, actor: Actor, group_id: int) -> ClassGroup:
    """The group, if its class is one ``actor`` may open (teacher of it, admin of its school)."""
    row = session.get(ClassGroup, group_id)
    if row is None:
        raise NotFoundError(f"no group with id {group_id}")
    try:
        require_class(session, actor, row.class_id)
    except NotFoundError:
        raise NotFoundError(f"no group with id {group_id}") from None
    return row


def group_learner_ids(session: Session, group_id: int) -> list[int]:
    """Learner ids of a group (no access check: call :func:`require_group` first)."""
    return list(
        session.scalars(
            select(ClassGroupMember.learner_id)
            .where(ClassGroupMember.group_id == group_id)
            .order_by(ClassGroupMember.learner_id)
        )
    )


def _views(session: Session, rows: Sequence[ClassGroup]) -> list[GroupView]:
    ids = [g.id for g in rows]
    members: dict[int, list[Member]] = {i: [] for i in ids}
    for m, name in session.execute(
        select(ClassGroupMember, User.display_name)
        .join(User, User.id == ClassGroupMember.learner_id)
        .where(ClassGroupMember.group_id.in_(ids))
        .order_by(User.display_name, User.id)
    ):
        members[m.group_id].append(Member(m.learner_id, name, m.role))
    return [
        GroupView(g.id, g.class_id, g.kind, g.name, g.reason, dict(g.details), members[g.id], g.updated_at)
        for g in rows
    ]


def list_groups(ctx: ServiceContext, actor: Actor, class_id: int, kind: str | None = None) -> list[GroupView]:
    """The class's saved groups (of one kind, or all), by name."""
    if kind is not None and kind not in GROUP_KINDS:
        raise ValidationError(f"unknown group kind {kind!r}; expected one of {', '.join(GROUP_KINDS)}")
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        query = select(ClassGroup).where(ClassGroup.class_id == class_id)
        if kind is not None:
            query = query.where(ClassGroup.kind == kind)
        rows = session.scalars(query.order_by(ClassGroup.kind, ClassGroup.name, ClassGroup.id)).all()
        return _views(session, rows)


def check_members(
    session: Session, class_id: int, learner_ids: Iterable[int], what: str = "learner_ids"
) -> list[int]:
    """``learner_ids`` deduplicated and sorted, each a learner of the class; else ValidationError naming them."""
    wanted = sorted(set(learner_ids))
    if len(wanted) > MAX_MEMBERS:
        raise ValidationError(f"a group has at most {MAX_MEMBERS} learners", [FieldError(what, "too many")])
    enrolled = set(
        session.scalars(
            select(ClassLearner.learner_id).where(
                ClassLearner.class_id == class_id, ClassLearner.learner_id.in_(wanted)
            )
        )
    )
    stray = [i for i in wanted if i not in enrolled]
    if stray:
        raise ValidationError(
            "not every learner is in this class",
            [FieldError(what, f"learner {i} is not in class {class_id}") for i in stray],
        )
    return wanted


def _check_name(name: str) -> str:
    clean = name.strip()
    if not clean or len(clean) > MAX_NAME:
        raise ValidationError(
            "a group needs a name", [FieldError("name", f"1 to {MAX_NAME} characters, got {len(clean)}")]
        )
    return clean


def create_group(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    name: str,
    learner_ids: Iterable[int],
    *,
    kind: str = "group",
    reason: str = "",
    details: dict[str, Any] | None = None,
    roles: dict[int, str] | None = None,
) -> GroupView:
    """A teacher (own class) or admin saves a group or team of learners of the class."""
    if kind not in GROUP_KINDS:
        raise ValidationError(
            f"unknown group kind {kind!r}", [FieldError("kind", f"expected one of {', '.join(GROUP_KINDS)}")]
        )
    clean = _check_name(name)
    now = ctx.clock()
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        members = check_members(session, class_id, learner_ids)
        row = ClassGroup(
            class_id=class_id,
            kind=kind,
            name=clean,
            reason=reason,
            details=dict(details or {}),
            created_by=actor.user_id,
            created_at=now,
            updated_at=now,
        )
        session.add(row)
        session.flush()
        session.add_all(
            ClassGroupMember(group_id=row.id, learner_id=i, role=(roles or {}).get(i, "")[:30])
            for i in members
        )
        session.flush()
        return _views(session, [row])[0]


def pair_rules(session: Session, class_id: int) -> list[PairRule]:
    """The class's pair rules (no access check: the caller has opened the class)."""
    return [
        PairRule(r.learner_a, r.learner_b, r.rule)
        for r in session.scalars(
            select(LearnerPairRule)
            .where(LearnerPairRule.class_id == class_id)
            .order_by(LearnerPairRule.learner_a, LearnerPairRule.learner_b)
        )
    ]


def set_pair_rule(
    ctx: ServiceContext, actor: Actor, class_id: int, learner_a: int, learner_b: int, rule: str | None
) -> list[PairRule]:
    """Keep two learners of the class apart or together (``rule`` None removes the rule); returns all rules."""
    if rule is not None and rule not in PAIR_RULES:
        raise ValidationError(
            f"unknown pair rule {rule!r}", [FieldError("rule", f"expected one of {', '.join(PAIR_RULES)}")]
        )
    if learner_a == learner_b:
        raise ValidationError(
            "a pair rule needs two different learners", [FieldError("learner_b", "same as learner_a")]
        )
    a, b = sorted((learner_a, learner_b))
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        check_members(session, class_id, [a, b])
        session.execute(
            delete(LearnerPairRule).where(
                LearnerPairRule.class_id == class_id,
                LearnerPairRule.learner_a == a,
                LearnerPairRule.learner_b == b,
            )
        )
        if rule is not None:
            session.add(
                LearnerPairRule(
                    class_id=class_id, learner_a=a, learner_b=b, rule=rule, created_at=ctx.clock()
                )
            )
        session.flush()
        return pair_rules(session, class_id)
