"""Use cases of assignments (a teacher gives work to a learner, a small group or a whole class, with a due
date) and of learners' interests (tags such as ``space`` that the next steps use for exploration).

The work (``work``) is one of:

- ``practice``: a skill; done after :data:`~learnpath.service.next_steps.ASSIGNMENT_DONE_AFTER` answers on
  it since it was given;
- ``flipped``: a video or reading to watch before class, with a short check (items the teacher picks, or a
  few on the content's skill); done when watched (see :mod:`learnpath.service.flipped`) and the check is
  answered;
- ``project``: a project; done when the learner marks it finished.

Every assignment is must-do (``kind``): it comes first in the learner's next steps until it is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from learnpath.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.service.access import Actor, require_class, require_learner, require_role
from learnpath.service.context import ServiceContext
from learnpath.service.groups import check_members, require_group
from learnpath.service.notifications import notify
from learnpath.storage.tables import (
    Assignment,
    ClassGroup,
    ClassGroupMember,
    ClassLearner,
    ContentRow,
    ContentSkill,
    ItemRow,
    ItemSkill,
    LearnerInterest,
    SkillInterest,
    SkillRow,
    User,
)

__all__ = [
    "CHECK_KINDS",
    "CONTENT_WORK",
    "DEFAULT_CHECK_SIZE",
    "INTERESTS",
    "MAX_CHECK_SIZE",
    "WORKS",
    "AssignmentView",
    "Work",
    "add_assignment",
    "add_assignment_in_class",
    "assignment_learner_ids",
    "assignment_view",
    "check_items",
    "class_assignments",
    "content_skill",
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

Work = Literal["practice", "flipped", "project"]
WORKS: tuple[Work, ...] = ("practice", "flipped", "project")
CONTENT_WORK: dict[str, tuple[str, ...]] = {"flipped": ("video", "reading"), "project": ("project",)}
"""The content kinds each kind of content work takes."""
CHECK_KINDS = ("choice", "numeric", "text")
"""Item kinds a flipped lesson's check may hold (scored at once, answered in one short form)."""
DEFAULT_CHECK_SIZE = 3
MAX_CHECK_SIZE = 10


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
    group_id: int | None = None
    group_name: str | None = None
    work: str = "practice"
    content_id: int | None = None
    content_title: str | None = None
    content_kind: str | None = None
    check_item_ids: tuple[int, ...] = ()
    owner_class_id: int | None = None
    """The class the assignment belongs to (its own class, the group's class, or None for a learner)."""


def _skill(session: Session, code: str) -> SkillRow:
    row = session.scalars(select(SkillRow).where(SkillRow.code == code.strip())).first()
    if row is None:
        raise NotFoundError(f"no skill with code {code.strip()!r}")
    return row


def _content(session: Session, actor: Actor, content_id: int, work: str) -> ContentRow:
    row = session.get(ContentRow, content_id)
    if row is None or row.school_id != actor.school_id:
        raise NotFoundError(f"no content with id {content_id}")
    kinds = CONTENT_WORK[work]
    if row.kind not in kinds:
        raise ValidationError(
            f"{work} work takes a {' or '.join(kinds)}, and content {row.code!r} is a {row.kind}",
            [FieldError("content_id", f"expected a {' or '.join(kinds)}, got a {row.kind}")],
        )
    return row


def content_skill(session: Session, content: ContentRow, skill_code: str | None) -> SkillRow:
    """The skill content work is on: the one named (it must be one the content teaches), else its first."""
    taught = list(
        session.scalars(
            select(SkillRow)
            .join(ContentSkill, ContentSkill.skill_id == SkillRow.id)
            .where(ContentSkill.content_id == content.id)
            .order_by(SkillRow.position, SkillRow.id)
        )
    )
    if not taught:
        raise ValidationError(
            f"content {content.code!r} teaches no skill", [FieldError("content_id", "no skill")]
        )
    if not skill_code or not skill_code.strip():
        return taught[0]
    for s in taught:
        if s.code == skill_code.strip():
            return s
    raise ValidationError(
        f"content {content.code!r} does not teach {skill_code.strip()!r}",
        [FieldError("skill_code", f"expected one of {', '.join(s.code for s in taught)}")],
    )


def check_items(session: Session, skill: SkillRow, chosen: Sequence[int] | None, size: int) -> list[int]:
    """The check's item ids: those chosen (each must exist and be answerable at once), else ``size`` items
    of ``skill`` (easiest first)."""
    if chosen is not None:
        wanted = list(dict.fromkeys(chosen))
        if len(wanted) > MAX_CHECK_SIZE:
            raise ValidationError(
                f"a check has at most {MAX_CHECK_SIZE} questions",
                [FieldError("check_item_ids", f"got {len(wanted)}")],
            )
        rows = {r.id: r for r in session.scalars(select(ItemRow).where(ItemRow.id.in_(wanted)))}
        problems = [
            FieldError("check_item_ids", f"no item with id {i}")
            if i not in rows
            else FieldError(
                "check_item_ids",
                f"item {rows[i].code!r} is a {rows[i].kind} item; use {', '.join(CHECK_KINDS)}",
            )
            for i in wanted
            if i not in rows or rows[i].kind not in CHECK_KINDS
        ]
        if problems:
            raise ValidationError("the check's questions cannot be used", problems)
        return wanted
    if not 0 <= size <= MAX_CHECK_SIZE:
        raise ValidationError(
            "the check's size is out of range",
            [FieldError("check_size", f"must be 0 to {MAX_CHECK_SIZE}, got {size}")],
        )
    return list(
        session.scalars(
            select(ItemRow.id)
            .join(ItemSkill, ItemSkill.item_id == ItemRow.id)
            .where(ItemSkill.skill_id == skill.id, ItemRow.kind.in_(CHECK_KINDS))
            .order_by(ItemRow.difficulty, ItemRow.id)
            .limit(size)
        )
    )


def _name(row: SkillRow | ContentRow, locale: str) -> str:
    if isinstance(row, SkillRow):
        return row.name_es if locale == "es" and row.name_es else row.name
    return row.title_es if locale == "es" and row.title_es else row.title


def _view(session: Session, a: Assignment, locale: str) -> AssignmentView:
    skill = session.get(SkillRow, a.skill_id)
    assert skill is not None
    learner = session.get(User, a.learner_id) if a.learner_id is not None else None
    group = session.get(ClassGroup, a.group_id) if a.group_id is not None else None
    content = session.get(ContentRow, a.content_id) if a.content_id is not None else None
    return AssignmentView(
        a.id,
        skill.code,
        _name(skill, locale),
        a.learner_id,
        learner.display_name if learner else None,
        a.class_id,
        a.due_at,
        a.created_at,
        a.group_id,
        group.name if group else None,
        a.work,
        a.content_id,
        _name(content, locale) if content else None,
        content.kind if content else None,
        tuple(a.check_items or ()),
        a.class_id if a.class_id is not None else (group.class_id if group else None),
    )


def assignment_view(session: Session, a: Assignment, locale: str) -> AssignmentView:
    """An assignment row as a view (no access check: the caller has checked)."""
    return _view(session, a, locale)


def assignment_learner_ids(session: Session, a: Assignment) -> list[int]:
    """The learners an assignment reaches now: its learner, its group's members or its class's learners."""
    if a.learner_id is not None:
        return [a.learner_id]
    if a.group_id is not None:
        query = select(ClassGroupMember.learner_id).where(ClassGroupMember.group_id == a.group_id)
    else:
        query = select(ClassLearner.learner_id).where(ClassLearner.class_id == a.class_id)
    return sorted(session.scalars(query))


def _tell_learners(session: Session, a: Assignment, skill: SkillRow, content: ContentRow | None) -> int:
    """One in-app notice per learner the work reaches (kind ``assignment_given``), in the same transaction;
    the work's name is kept in English and Spanish so each reader gets their language."""
    named: SkillRow | ContentRow = content if content is not None else skill
    link = f"/content/{content.id}" if content is not None else "/learn"
    return notify(
        session,
        assignment_learner_ids(session, a),
        "assignment_given",
        {
            "work": _name(named, "en"),
            "work_es": _name(named, "es"),
            "due": a.due_at.date().isoformat() if a.due_at is not None else "",
            "assignment_id": a.id,
        },
        link=link,
        actor_id=a.created_by,
        now=a.created_at,
    )


def add_assignment(
    ctx: ServiceContext,
    actor: Actor,
    skill_code: str | None = None,
    *,
    class_id: int | None = None,
    learner_id: int | None = None,
    group_id: int | None = None,
    due_at: datetime | None = None,
    work: str = "practice",
    content_id: int | None = None,
    check_item_ids: Sequence[int] | None = None,
    check_size: int = DEFAULT_CHECK_SIZE,
) -> AssignmentView:
    """A teacher (own classes) or admin (own school) gives work to a class, a group of a class or a learner.

    ``practice`` needs ``skill_code``; ``flipped`` (a video or reading) and ``project`` need ``content_id``
    (their skill is ``skill_code`` if given, else the content's first skill). A flipped lesson's check is
    ``check_item_ids`` when given, else ``check_size`` items of its skill. Every problem is named; nothing is
    stored unless all is well.
    """
    require_role(actor, "teacher", "admin")
    problems: list[FieldError] = []
    if sum(x is not None for x in (class_id, learner_id, group_id)) != 1:
        problems.append(FieldError("target", "give exactly one of class_id, group_id and learner_id"))
    if work not in WORKS:
        problems.append(FieldError("work", f"unknown work {work!r}; expected one of {', '.join(WORKS)}"))
    elif work == "practice":
        if not skill_code or not skill_code.strip():
            problems.append(FieldError("skill_code", "practice needs a skill"))
        if content_id is not None:
            problems.append(FieldError("content_id", "practice takes a skill, not content"))
    elif content_id is None:
        problems.append(FieldError("content_id", f"{work} work needs a piece of content"))
    if work != "flipped" and check_item_ids:
        problems.append(FieldError("check_item_ids", "only flipped lessons have a check"))
    now = ctx.clock()
    if due_at is not None and due_at < now:
        problems.append(
            FieldError("due_at", f"the date is in the past; give one after {now.date().isoformat()}")
        )
    if problems:
        named = "; ".join(f"{p.field}: {p.message}" for p in problems)
        raise ValidationError(f"the assignment cannot be given ({named})", problems)
    with ctx.unit() as session:
        if class_id is not None:
            require_class(session, actor, class_id)
        elif group_id is not None:
            require_group(session, actor, group_id)
        else:
            assert learner_id is not None
            require_learner(session, actor, learner_id)
        content = None
        check: list[int] | None = None
        if work == "practice":
            assert skill_code is not None
            skill = _skill(session, skill_code)
        else:
            assert content_id is not None
            content = _content(session, actor, content_id, work)
            skill = content_skill(session, content, skill_code)
            if work == "flipped":
                check = check_items(session, skill, check_item_ids, check_size)
        row = Assignment(
            school_id=actor.school_id,
            created_by=actor.user_id,
            learner_id=learner_id,
            class_id=class_id,
            group_id=group_id,
            skill_id=skill.id,
            kind="must_do",
            work=work,
            content_id=content.id if content else None,
            check_items=check,
            due_at=due_at,
            created_at=now,
        )
        session.add(row)
        session.flush()
        _tell_learners(session, row, skill, content)
        return _view(session, row, actor.locale)


def add_assignment_in_class(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    skill_code: str | None = None,
    *,
    learner_id: int | None = None,
    group_id: int | None = None,
    **work: Any,
) -> AssignmentView:
    """:func:`add_assignment` from a class's page: to the class, or to one of its groups or learners (a group
    or learner of another class is named as a field problem)."""
    if learner_id is not None and group_id is not None:
        raise ValidationError(
            "the assignment cannot be given", [FieldError("target", "give a group or a learner, not both")]
        )
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        if learner_id is not None:
            check_members(session, class_id, [learner_id], "learner_id")
        if group_id is not None:
            group = session.get(ClassGroup, group_id)
            if group is None or group.class_id != class_id:
                raise ValidationError(
                    "that group is not in this class",
                    [FieldError("group_id", f"group {group_id} is not a group of class {class_id}")],
                )
    if learner_id is None and group_id is None:
        return add_assignment(ctx, actor, skill_code, class_id=class_id, **work)
    return add_assignment(ctx, actor, skill_code, learner_id=learner_id, group_id=group_id, **work)


def class_assignments(ctx: ServiceContext, actor: Actor, class_id: int) -> list[AssignmentView]:
    """The class's work: given to the whole class, to one of its groups or to one of its learners
    (newest first)."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        members = select(ClassLearner.learner_id).where(ClassLearner.class_id == class_id)
        groups = select(ClassGroup.id).where(ClassGroup.class_id == class_id)
        rows = session.scalars(
            select(Assignment)
            .where(
                or_(
                    Assignment.class_id == class_id,
                    Assignment.learner_id.in_(members),
                    Assignment.group_id.in_(groups),
                )
            )
            .order_by(Assignment.created_at.desc(), Assignment.id.desc())
        ).all()
        return [_view(session, a, actor.locale) for a in rows]


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
    fifth learner, who has none yet), and one must-do skill for a class, due in a week (its learners are
    notified)."""
    from learnpath.demo.interests import SKILL_INTERESTS

    tag_skills(session, {k: list(v) for k, v in SKILL_INTERESTS.items()})
    for n, lid in enumerate(learner_ids):
        if n % 5 == 4:
            continue
        tags = {INTERESTS[n % len(INTERESTS)], INTERESTS[(3 * n + 1) % len(INTERESTS)]}
        session.add_all(LearnerInterest(learner_id=lid, tag=t) for t in sorted(tags))
    now = ctx.clock()
    skill = _skill(session, skill_code)
    row = Assignment(
        school_id=school_id,
        created_by=teacher_id,
        class_id=class_id,
        skill_id=skill.id,
        kind="must_do",
        due_at=now + timedelta(days=7),
        created_at=now,
    )
    session.add(row)
    session.flush()
    _tell_learners(session, row, skill, None)
