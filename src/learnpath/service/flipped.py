"""Flipped lessons and the state of assigned work: who watched, who passed the check, who drifted.

- **Watching.** Opening a piece of content's page records an *open* (:func:`record_view`). A local video's
  player reports the seconds played every few seconds and when it ends. What counts as done
  (``content_progress.completed_at``):

  - a video with a local file: played to the end, or at least :data:`WATCHED_SHARE` of its length;
  - a video by link (played elsewhere, so learnpath cannot see the player) and a reading: opened;
  - a project: the learner marks it finished.

- **The check.** A flipped lesson carries a few items (fixed when assigned). The learner answers them in
  one short form (:func:`submit_check`); each answer is an ordinary attempt (mastery moves). The check is
  passed with at least :data:`PASS_SHARE` of its items right (first answer to each since it was given).
- **Before class** (:func:`assignment_status`): per learner of the target, watched / passed / neither;
  from that, groups (:func:`groups_from_status`) or a rotation's needs (:func:`rotation_needs`).
- **Choice and drift**: :mod:`learnpath.service.drift`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.orchestrate.rotation import need_after_flipped
from learnpath.service.access import Actor, require_class, require_learner, require_role
from learnpath.service.assignments import AssignmentView, assignment_learner_ids, assignment_view
from learnpath.service.catalog import item_from_row
from learnpath.service.context import ServiceContext
from learnpath.service.groups import GroupView, check_members, list_groups
from learnpath.service.learning import _record
from learnpath.service.next_steps import ASSIGNMENT_DONE_AFTER
from learnpath.storage.tables import (
    Assignment,
    AttemptRow,
    ClassGroup,
    ClassGroupMember,
    ClassLearner,
    ContentProgress,
    ContentRow,
    ItemRow,
    ItemSkill,
    MasteryRow,
    SkillRow,
    User,
)

__all__ = [
    "EVENTS",
    "GROUP_NAMES",
    "PASS_SHARE",
    "WATCHED_SHARE",
    "AssignmentStatus",
    "CheckItem",
    "CheckResult",
    "CheckView",
    "LearnerStatus",
    "MyAssignment",
    "ProgressView",
    "assignment_status",
    "check_for",
    "groups_from_status",
    "learner_assignments",
    "open_content_work",
    "open_work",
    "pass_mark",
    "record_view",
    "rotation_needs",
    "submit_check",
]

WATCHED_SHARE = 0.8
"""A local video counts as watched when at least this share of its length was played (or it ended)."""
PASS_SHARE = 2 / 3
"""A check is passed with at least this share of its items right."""
MAX_SECONDS = 24 * 3600
EVENTS = ("open", "progress", "ended", "finished")
State = Literal["passed", "watched", "not_passed", "not_watched", "done", "not_done"]


@dataclass(frozen=True)
class ProgressView:
    content_id: int
    learner_id: int
    opens: int
    seconds: int
    completed_at: datetime | None


@dataclass(frozen=True)
class LearnerStatus:
    """One learner's state on one assignment."""

    learner_id: int
    name: str
    opened_at: datetime | None
    seconds: int
    watched_at: datetime | None
    """Content work: when it counted as watched, read or finished; None while not."""
    check_answered: int
    check_right: int
    check_size: int
    answered: int
    """Practice: answers on the skill since the work was given."""
    done: bool
    state: State
    """flipped: passed / watched (no check) / not_passed (watched or checked, under the pass mark) /
    not_watched; practice and project: done / not_done."""

    @property
    def passed(self) -> bool | None:
        """None while the check is not answered in full (or there is none)."""
        if self.check_size == 0 or self.check_answered < self.check_size:
            return None
        return self.check_right >= pass_mark(self.check_size)


@dataclass(frozen=True)
class AssignmentStatus:
    assignment: AssignmentView
    learners: list[LearnerStatus]
    counts: dict[str, int] = field(default_factory=dict)
    """Learners per state."""


@dataclass(frozen=True)
class MyAssignment:
    """An assignment as its learner (or their family) sees it."""

    assignment: AssignmentView
    status: LearnerStatus
    overdue: bool


@dataclass(frozen=True)
class CheckItem:
    item_id: int
    prompt: str
    kind: str
    choices: tuple[tuple[str, str], ...]
    answered: bool
    correct: bool | None


@dataclass(frozen=True)
class CheckView:
    assignment: AssignmentView
    items: list[CheckItem]
    taken: bool
    right: int
    passed: bool | None


@dataclass(frozen=True)
class CheckResult:
    right: int
    size: int
    passed: bool


def pass_mark(size: int) -> int:
    """Right answers needed to pass a check of ``size`` items (at least :data:`PASS_SHARE` of them)."""
    return math.ceil(PASS_SHARE * size - 1e-9)


# -- watching ------------------------------------------------------------------------------------------


def _counts_as_watched(content: ContentRow, event: str, seconds: int) -> bool:
    if content.kind in ("project", "activity"):
        return event == "finished"
    if content.kind == "video" and content.video_file:
        if event == "ended":
            return True
        length = content.duration_s or 0
        return length > 0 and seconds >= WATCHED_SHARE * length
    return True  # a reading, or a video by link: opening it is all learnpath can see


def record_view(
    ctx: ServiceContext, actor: Actor, content_id: int, event: str = "open", seconds: int = 0
) -> ProgressView:
    """The learner (only they: 403 otherwise) opened, played, finished watching or finished a piece of content
    of their school (another school's: 404). ``seconds`` is the player's count of seconds played so far."""
    problems = []
    if event not in EVENTS:
        problems.append(FieldError("event", f"unknown event {event!r}; expected one of {', '.join(EVENTS)}"))
    if not 0 <= seconds <= MAX_SECONDS:
        problems.append(FieldError("seconds", f"must be 0 to {MAX_SECONDS}, got {seconds}"))
    if problems:
        raise ValidationError("the view cannot be recorded", problems)
    with ctx.unit() as session:
        content = session.get(ContentRow, content_id)
        if content is None or content.school_id != actor.school_id:
            raise NotFoundError(f"no content with id {content_id}")
        require_role(actor, "learner")
        if event == "finished" and content.kind not in ("project", "activity"):
            raise ValidationError(
                "only projects and activities are marked finished",
                [FieldError("event", f"content {content.code!r} is a {content.kind}")],
            )
        now = ctx.clock()
        row = session.get(ContentProgress, (actor.user_id, content_id))
        if row is None:
            row = ContentProgress(
                learner_id=actor.user_id,
                content_id=content_id,
                opens=0,
                seconds=0,
                opened_at=now,
                last_seen_at=now,
            )
            session.add(row)
        if event == "open":
            row.opens += 1
        row.seconds = max(row.seconds, seconds)
        row.last_seen_at = now
        if row.completed_at is None and _counts_as_watched(content, event, row.seconds):
            row.completed_at = now
        session.flush()
        return ProgressView(content_id, actor.user_id, row.opens, row.seconds, row.completed_at)


# -- the state of one assignment --------------------------------------------------------------------------


def _first_answers(
    session: Session, learner_ids: Sequence[int], item_ids: Sequence[int], since: datetime
) -> dict[tuple[int, int], bool]:
    """(learner, item) -> whether the first answer since ``since`` was right."""
    out: dict[tuple[int, int], bool] = {}
    if not learner_ids or not item_ids:
        return out
    for lid, iid, correct in session.execute(
        select(AttemptRow.learner_id, AttemptRow.item_id, AttemptRow.correct)
        .where(
            AttemptRow.learner_id.in_(learner_ids),
            AttemptRow.item_id.in_(item_ids),
            AttemptRow.created_at >= since,
        )
        .order_by(AttemptRow.created_at, AttemptRow.id)
    ):
        out.setdefault((lid, iid), bool(correct))
    return out


def _statuses(session: Session, a: Assignment, learner_ids: Sequence[int]) -> list[LearnerStatus]:
    names = {
        lid: name
        for lid, name in session.execute(select(User.id, User.display_name).where(User.id.in_(learner_ids)))
    }
    progress: dict[int, ContentProgress] = {}
    if a.content_id is not None:
        progress = {
            p.learner_id: p
            for p in session.scalars(
                select(ContentProgress).where(
                    ContentProgress.content_id == a.content_id, ContentProgress.learner_id.in_(learner_ids)
                )
            )
        }
    check = list(a.check_items or ())
    first = _first_answers(session, learner_ids, check, a.created_at)
    answered: dict[int, int] = {}
    if a.work == "practice":
        query = (
            select(AttemptRow.learner_id, func.count(AttemptRow.id))
            .where(AttemptRow.learner_id.in_(learner_ids), AttemptRow.created_at >= a.created_at)
            .group_by(AttemptRow.learner_id)
        )
        if a.item_id is not None:
            query = query.where(AttemptRow.item_id == a.item_id)
        else:
            query = query.where(
                AttemptRow.item_id.in_(select(ItemSkill.item_id).where(ItemSkill.skill_id == a.skill_id))
            )
        answered = {lid: n for lid, n in session.execute(query)}
    out = []
    for lid in learner_ids:
        p = progress.get(lid)
        n_answered = sum((lid, i) in first for i in check)
        n_right = sum(first.get((lid, i), False) for i in check)
        watched = p.completed_at if p else None
        state: State
        if a.work == "practice":
            need = 1 if a.item_id is not None else ASSIGNMENT_DONE_AFTER
            done = answered.get(lid, 0) >= need
            state = "done" if done else "not_done"
        elif a.work == "project":
            done = watched is not None
            state = "done" if done else "not_done"
        else:
            done = watched is not None and n_answered >= len(check)
            if check and n_answered >= len(check):
                state = "passed" if n_right >= pass_mark(len(check)) else "not_passed"
            elif watched is not None:
                state = "watched"
            else:
                state = "not_watched"
        out.append(
            LearnerStatus(
                lid,
                names.get(lid, ""),
                p.opened_at if p else None,
                p.seconds if p else 0,
                watched,
                n_answered,
                n_right,
                len(check),
                answered.get(lid, 0),
                done,
                state,
            )
        )
    out.sort(key=lambda s: (s.name, s.learner_id))
    return out


def _require_assignment(session: Session, actor: Actor, assignment_id: int) -> Assignment:
    """An assignment the staff member may see: of their class, their class's group or learner."""
    require_role(actor, "teacher", "admin")
    a = session.get(Assignment, assignment_id)
    if a is None or a.school_id != actor.school_id:
        raise NotFoundError(f"no assignment with id {assignment_id}")
    try:
        if a.class_id is not None:
            require_class(session, actor, a.class_id)
        elif a.group_id is not None:
            group = session.get(ClassGroup, a.group_id)
            assert group is not None
            require_class(session, actor, group.class_id)
        else:
            assert a.learner_id is not None
            require_learner(session, actor, a.learner_id)
    except NotFoundError:
        raise NotFoundError(f"no assignment with id {assignment_id}") from None
    return a


def assignment_status(ctx: ServiceContext, actor: Actor, assignment_id: int) -> AssignmentStatus:
    """Per learner of the target: watched, check answered and passed, done (the teacher's before-class view)."""
    with ctx.unit() as session:
        a = _require_assignment(session, actor, assignment_id)
        learners = _statuses(session, a, assignment_learner_ids(session, a))
        counts: dict[str, int] = {}
        for s in learners:
            counts[s.state] = counts.get(s.state, 0) + 1
        return AssignmentStatus(assignment_view(session, a, actor.locale), learners, counts)


def _reaching(learner_id: int) -> ColumnElement[bool]:
    """Assignments that reach the learner: to them, their classes or their groups."""
    classes = select(ClassLearner.class_id).where(ClassLearner.learner_id == learner_id)
    groups = select(ClassGroupMember.group_id).where(ClassGroupMember.learner_id == learner_id)
    return or_(
        Assignment.learner_id == learner_id, Assignment.class_id.in_(classes), Assignment.group_id.in_(groups)
    )


def learner_assignments(
    ctx: ServiceContext, actor: Actor, learner_id: int, *, open_only: bool = False
) -> list[MyAssignment]:
    """The work given to a learner the actor may see (they, their family, their teachers), with its state;
    open work first by due date, then done work, newest first."""
    now = ctx.clock()
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        rows = session.scalars(select(Assignment).where(_reaching(learner_id))).all()
        out = []
        for a in rows:
            status = _statuses(session, a, [learner_id])[0]
            if open_only and status.done:
                continue
            overdue = not status.done and a.due_at is not None and a.due_at < now
            out.append(MyAssignment(assignment_view(session, a, actor.locale), status, overdue))
        far = datetime.max.replace(tzinfo=now.tzinfo)
        out.sort(
            key=lambda m: (
                m.status.done,
                (m.assignment.due_at or far) if not m.status.done else far,
                -m.assignment.created_at.timestamp(),
                -m.assignment.id,
            )
        )
        return out


def open_work(session: Session, learner_id: int) -> list[Assignment]:
    """Every assignment that reaches the learner and is not done yet (no access check)."""
    rows = session.scalars(select(Assignment).where(_reaching(learner_id))).all()
    return [a for a in rows if not _statuses(session, a, [learner_id])[0].done]


def open_content_work(session: Session, learner_id: int, content_id: int | None = None) -> list[Assignment]:
    """Open content work (flipped, project) of a learner, optionally for one piece of content (no access check)."""
    query = select(Assignment).where(_reaching(learner_id), Assignment.content_id.is_not(None))
    if content_id is not None:
        query = query.where(Assignment.content_id == content_id)
    rows = session.scalars(query.order_by(Assignment.due_at, Assignment.id)).all()
    return [a for a in rows if not _statuses(session, a, [learner_id])[0].done]


# -- the check ------------------------------------------------------------------------------------------


def _own_flipped(session: Session, actor: Actor, assignment_id: int) -> Assignment:
    require_role(actor, "learner")
    a = session.get(Assignment, assignment_id)
    if a is None or a.work != "flipped" or actor.user_id not in assignment_learner_ids(session, a):
        raise NotFoundError(f"no check with id {assignment_id}")
    return a


def _check_items(session: Session, a: Assignment) -> list[tuple[int, ItemRow]]:
    ids = list(a.check_items or ())
    rows = {r.id: r for r in session.scalars(select(ItemRow).where(ItemRow.id.in_(ids)))}
    return [(i, rows[i]) for i in ids if i in rows]


def check_for(ctx: ServiceContext, actor: Actor, assignment_id: int) -> CheckView:
    """The check of a flipped lesson given to the learner (only they: others' 404), with their answers."""
    with ctx.unit() as session:
        a = _own_flipped(session, actor, assignment_id)
        items = _check_items(session, a)
        first = _first_answers(session, [actor.user_id], [i for i, _ in items], a.created_at)
        codes: dict[int, list[str]] = {}
        for iid, code in session.execute(
            select(ItemSkill.item_id, SkillRow.code)
            .join(SkillRow, SkillRow.id == ItemSkill.skill_id)
            .where(ItemSkill.item_id.in_([i for i, _ in items]))
        ):
            codes.setdefault(iid, []).append(code)
        out = []
        for iid, row in items:
            item = item_from_row(row, tuple(sorted(codes.get(iid, [])) or ["-"]))
            key = (actor.user_id, iid)
            out.append(
                CheckItem(
                    iid,
                    item.prompt,
                    item.kind,
                    tuple((c.key, c.text) for c in item.choices),
                    key in first,
                    first.get(key),
                )
            )
        status = _statuses(session, a, [actor.user_id])[0]
        taken = bool(out) and all(c.answered for c in out)
        return CheckView(
            assignment_view(session, a, actor.locale), out, taken, status.check_right, status.passed
        )


def submit_check(
    ctx: ServiceContext, actor: Actor, assignment_id: int, responses: Mapping[int, str]
) -> CheckResult:
    """The learner answers the check's items, all at once: every item needs an answer (each missing one is
    named, nothing is stored), and a check already answered is not taken again."""
    with ctx.unit() as session:
        a = _own_flipped(session, actor, assignment_id)
        items = _check_items(session, a)
        if not items:
            raise ValidationError("this lesson has no check", [FieldError("responses", "no questions")])
        first = _first_answers(session, [actor.user_id], [i for i, _ in items], a.created_at)
        if all((actor.user_id, i) in first for i, _ in items):
            raise ValidationError(
                "the check is already answered", [FieldError("responses", "already answered")]
            )
        missing = [i for i, _ in items if not responses.get(i, "").strip()]
        extra = sorted(set(responses) - {i for i, _ in items})
        problems = [FieldError(f"item_{i}", "needs an answer") for i in missing]
        problems += [FieldError(f"item_{i}", "is not a question of this check") for i in extra]
        if problems:
            raise ValidationError("every question of the check needs an answer", problems)
        now = ctx.clock()
        right = 0
        for i, _ in items:
            if (actor.user_id, i) in first:  # answered before (the first answer counts)
                right += first[(actor.user_id, i)]
                continue
            result = _record(
                session, ctx, actor.user_id, i, responses[i].strip()[:2000], None, 0, now, locale=actor.locale
            )
            right += bool(result.correct)
        passed = right >= pass_mark(len(items))
        return CheckResult(right, len(items), passed)


# -- from the state to groups and a rotation ----------------------------------------------------------------

GROUP_NAMES = {
    "ready": "Ready: passed the check",
    "help": "Watched, needs help",
    "missed": "Did not watch yet",
}
"""The groups :func:`groups_from_status` makes, in English (adapters pass the reader's words)."""


def _buckets(status: AssignmentStatus) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {"ready": [], "help": [], "missed": []}
    for s in status.learners:
        if s.state in ("passed", "watched", "done"):
            out["ready"].append(s.learner_id)
        elif s.state == "not_passed":
            out["help"].append(s.learner_id)
        else:
            out["missed"].append(s.learner_id)
    return out


def groups_from_status(
    ctx: ServiceContext, actor: Actor, assignment_id: int, names: Mapping[str, str] | None = None
) -> list[GroupView]:
    """Save the learners of a flipped lesson as up to three groups of its class (ready / watched but needs
    help / did not watch; ``names`` by those keys, default :data:`GROUP_NAMES`), each named after the
    lesson and with its reason; empty ones are left out. One transaction."""
    status = assignment_status(ctx, actor, assignment_id)
    a = status.assignment
    class_id = a.owner_class_id
    if class_id is None:
        raise ValidationError(
            "work given to one learner makes no groups",
            [FieldError("assignment_id", "not given to a class or group")],
        )
    names = {**GROUP_NAMES, **(names or {})}
    title = a.content_title or a.skill_name
    now = ctx.clock()
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        rows = []
        for key, ids in _buckets(status).items():
            if not ids:
                continue
            members = check_members(session, class_id, ids)
            row = ClassGroup(
                class_id=class_id,
                kind="group",
                name=f"{names[key]} ({title})"[:100],
                reason=names[key],
                details={
                    "assignment_id": a.id,
                    "basis": "flipped",
                    "bucket": key,
                    "skill_code": a.skill_code,
                },
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            session.add_all(ClassGroupMember(group_id=row.id, learner_id=i, role="") for i in members)
            rows.append(row.id)
    return [g for g in list_groups(ctx, actor, class_id) if g.id in rows]


def rotation_needs(ctx: ServiceContext, actor: Actor, assignment_id: int) -> dict[int, str]:
    """What each learner of a flipped lesson needs in class: 'reteach' (did not watch, or under the pass
    mark), 'practice' (passed), 'enrich' (every check item right, or the skill already mastered)."""
    status = assignment_status(ctx, actor, assignment_id)
    with ctx.unit() as session:
        skill = session.scalars(select(SkillRow).where(SkillRow.code == status.assignment.skill_code)).one()
        ids = [s.learner_id for s in status.learners]
        mastered = set(
            session.scalars(
                select(MasteryRow.learner_id).where(
                    MasteryRow.skill_id == skill.id,
                    MasteryRow.learner_id.in_(ids),
                    MasteryRow.p_mastery >= MASTERED_AT,
                )
            )
        )
    return {
        s.learner_id: need_after_flipped(
            s.state in ("passed", "watched", "done"), s.check_right, s.check_size, s.learner_id in mastered
        )
        for s in status.learners
    }
