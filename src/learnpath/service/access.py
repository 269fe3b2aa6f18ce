"""Who may see what. Every use case that touches a learner or a class goes through here.

- a learner sees only themself;
- a family member sees only their linked learners;
- a teacher sees learners in their own classes, and those classes;
- an admin sees every learner and class of their school.

Anything outside that scope is reported as not found (404), so ids of others are not revealed; an action
a role may never take (a learner opening a class) is forbidden (403).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from learnpath.errors import NotFoundError, PermissionDeniedError
from learnpath.storage.tables import ClassLearner, ClassRow, ClassTeacher, FamilyLink, User

__all__ = [
    "ROLES",
    "Actor",
    "Role",
    "require_class",
    "require_learner",
    "require_role",
    "visible_learner_ids",
]

Role = Literal["admin", "teacher", "learner", "family"]
ROLES: tuple[Role, ...] = ("admin", "teacher", "learner", "family")


@dataclass(frozen=True)
class Actor:
    """The signed-in person a use case acts for."""

    user_id: int
    role: Role
    school_id: int
    username: str
    display_name: str
    locale: str = "en"

    @classmethod
    def of(cls, user: User) -> Actor:
        role = user.role
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r} for user {user.username!r}")
        return cls(user.id, role, user.school_id, user.username, user.display_name, user.locale)  # type: ignore[arg-type]


def require_role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise PermissionDeniedError(f"this needs one of the roles {', '.join(roles)}; you are {actor.role}")


def visible_learners_query(actor: Actor) -> Select[int]:
    """A query of the learner ids ``actor`` may see."""
    learners = select(User.id).where(User.role == "learner", User.school_id == actor.school_id)
    if actor.role == "admin":
        return learners
    if actor.role == "learner":
        return learners.where(User.id == actor.user_id)
    if actor.role == "family":
        linked = select(FamilyLink.learner_id).where(FamilyLink.family_id == actor.user_id)
        return learners.where(User.id.in_(linked))
    own_classes = select(ClassTeacher.class_id).where(ClassTeacher.teacher_id == actor.user_id)
    in_classes = select(ClassLearner.learner_id).where(ClassLearner.class_id.in_(own_classes))
    return learners.where(User.id.in_(in_classes))


def visible_learner_ids(session: Session, actor: Actor) -> list[int]:
    return list(session.scalars(visible_learners_query(actor).order_by(User.id)))


def require_learner(session: Session, actor: Actor, learner_id: int) -> User:
    """The learner row, if ``actor`` may see it; otherwise NotFoundError."""
    allowed = session.scalar(visible_learners_query(actor).where(User.id == learner_id))
    if allowed is None:
        raise NotFoundError(f"no learner with id {learner_id}")
    user = session.get(User, learner_id)
    assert user is not None
    return user


def visible_classes_query(actor: Actor) -> Select[ClassRow]:
    query = select(ClassRow).where(ClassRow.school_id == actor.school_id)
    if actor.role == "teacher":
        own = select(ClassTeacher.class_id).where(ClassTeacher.teacher_id == actor.user_id)
        query = query.where(ClassRow.id.in_(own))
    return query


def require_class(session: Session, actor: Actor, class_id: int) -> ClassRow:
    """A class the teacher teaches or the admin's school holds; learners and families may not open classes."""
    require_role(actor, "teacher", "admin")
    row = session.scalars(visible_classes_query(actor).where(ClassRow.id == class_id)).first()
    if row is None:
        raise NotFoundError(f"no class with id {class_id}")
    return row
