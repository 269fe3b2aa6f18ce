"""Schools, accounts, classes and family links: creating them and listing what an actor may see."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from learnpath.errors import ConflictError, FieldError, ValidationError
from learnpath.service.access import ROLES, Actor, require_role, visible_learners_query
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import (
    AttemptRow,
    ClassLearner,
    ClassRow,
    ClassTeacher,
    FamilyLink,
    School,
    User,
)

__all__ = [
    "LearnerSummary",
    "SchoolOverview",
    "add_class",
    "add_school",
    "add_user",
    "enrol",
    "link_family",
    "list_learners",
    "school_overview",
]


@dataclass(frozen=True)
class LearnerSummary:
    id: int
    username: str
    display_name: str
    grade: int | None


@dataclass(frozen=True)
class SchoolOverview:
    id: int
    name: str
    is_demo: bool
    counts: dict[str, int]
    n_classes: int
    n_attempts: int


def add_school(session: Session, name: str, is_demo: bool = False) -> School:
    if not name.strip():
        raise ValidationError.for_field("name", "a school needs a name")
    school = School(name=name.strip(), is_demo=is_demo)
    session.add(school)
    session.flush()
    return school


def add_user(
    session: Session,
    ctx: ServiceContext,
    school_id: int,
    username: str,
    display_name: str,
    role: str,
    password: str | None = None,
    password_hash: str | None = None,
    grade: int | None = None,
    locale: str = "en",
) -> User:
    """Create an account. Give ``password`` (hashed here) or an existing ``password_hash``."""
    problems = []
    if not username.strip() or len(username) > 100 or any(c.isspace() for c in username):
        problems.append(FieldError("username", f"must be 1-100 characters without spaces, got {username!r}"))
    if role not in ROLES:
        problems.append(FieldError("role", f"must be one of {', '.join(ROLES)}, got {role!r}"))
    if password_hash is None and (password is None or len(password) < 4):
        problems.append(FieldError("password", "must be at least 4 characters"))
    if problems:
        raise ValidationError("the account cannot be created", problems)
    if session.scalar(select(User.id).where(User.username == username)) is not None:
        raise ConflictError(f"the username {username!r} is taken")
    user = User(
        school_id=school_id,
        username=username,
        display_name=display_name.strip() or username,
        role=role,
        password_hash=password_hash or ctx.hasher.hash(password or ""),
        grade=grade,
        locale=locale,
        created_at=ctx.clock(),
    )
    session.add(user)
    session.flush()
    return user


def add_class(session: Session, school_id: int, name: str, grade: int | None = None) -> ClassRow:
    row = ClassRow(school_id=school_id, name=name, grade=grade)
    session.add(row)
    session.flush()
    return row


def _same_school(session: Session, *user_ids: int) -> None:
    schools = set(session.scalars(select(User.school_id).where(User.id.in_(user_ids))))
    if len(schools) != 1:
        raise ValidationError.for_field("school", "people in a class or family link must share a school")


def enrol(session: Session, class_id: int, learner_ids: list[int], teacher_ids: list[int]) -> None:
    row = session.get(ClassRow, class_id)
    if row is None:
        raise ValidationError.for_field("class_id", f"no class with id {class_id}")
    _same_school(session, *learner_ids, *teacher_ids)
    session.add_all(ClassLearner(class_id=class_id, learner_id=i) for i in learner_ids)
    session.add_all(ClassTeacher(class_id=class_id, teacher_id=i) for i in teacher_ids)
    session.flush()


def link_family(session: Session, family_id: int, learner_id: int) -> None:
    _same_school(session, family_id, learner_id)
    session.add(FamilyLink(family_id=family_id, learner_id=learner_id))
    session.flush()


def list_learners(ctx: ServiceContext, actor: Actor) -> list[LearnerSummary]:
    """Every learner the actor may see (themself, linked children, own classes, the school)."""
    with ctx.unit() as session:
        rows = session.scalars(
            select(User).where(User.id.in_(visible_learners_query(actor))).order_by(User.id)
        )
        return [LearnerSummary(u.id, u.username, u.display_name, u.grade) for u in rows]


def school_overview(ctx: ServiceContext, actor: Actor) -> SchoolOverview:
    """Counts for the admin's own school."""
    require_role(actor, "admin")
    with ctx.unit() as session:
        school = session.get(School, actor.school_id)
        assert school is not None
        counts: dict[str, int] = dict.fromkeys(ROLES, 0)
        for role, n in session.execute(
            select(User.role, func.count()).where(User.school_id == school.id).group_by(User.role)
        ):
            counts[role] = n
        n_classes = session.scalar(
            select(func.count()).select_from(ClassRow).where(ClassRow.school_id == school.id)
        )
        n_attempts = session.scalar(
            select(func.count())
            .select_from(AttemptRow)
            .join(User, User.id == AttemptRow.learner_id)
            .where(User.school_id == school.id)
        )
        return SchoolOverview(school.id, school.name, school.is_demo, counts, n_classes or 0, n_attempts or 0)
