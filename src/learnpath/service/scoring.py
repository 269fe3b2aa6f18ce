"""Teacher scoring of answers only a teacher can score (QTI extended text, issue 4).

Such an answer is stored on submit with score 0 and kept out of the learner model (service/learning.py).
Here a teacher of one of the learner's classes (or an admin of the school) lists the answers waiting in a
class and scores one: ``points`` between 0 and the item's maximum score (1 when the item declares none),
with an optional comment. In one transaction the attempt gets ``score = points / max`` and
``correct = points >= max / 2``, it stops waiting, and the learner model takes it as evidence from the
moment it is scored (the replays in learning.py and models.py order it the same way).

A score is final: scoring the same answer again is a ConflictError (409). Re-scoring would have to take
evidence back out of the learner state, which the models only do by a full replay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.items import Item
from learnpath.errors import ConflictError, FieldError, NotFoundError, ValidationError
from learnpath.service.access import Actor, require_class, require_learner, require_role
from learnpath.service.catalog import Catalog, load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.learning import SkillProgress, apply_evidence, state_for
from learnpath.storage.tables import AttemptRow, ClassLearner, ItemRow, TeacherScore, User

__all__ = [
    "MAX_COMMENT_CHARS",
    "ScoredAnswer",
    "TeacherMark",
    "WaitingAnswer",
    "answers_to_mark",
    "count_to_mark",
    "max_points",
    "score_answer",
    "teacher_marks",
]

MAX_COMMENT_CHARS = 2000


@dataclass(frozen=True)
class WaitingAnswer:
    attempt_id: int
    learner_id: int
    learner_name: str
    item_id: int
    item_code: str
    prompt: str
    response: str
    max_points: float
    answered_at: datetime


@dataclass(frozen=True)
class TeacherMark:
    attempt_id: int
    item_code: str
    points: float
    max_points: float
    comment: str
    correct: bool
    scored_at: datetime


@dataclass(frozen=True)
class ScoredAnswer:
    mark: TeacherMark
    learner_id: int
    skills: list[tuple[SkillProgress, float | None]]
    """Each skill of the item after the score, with its P(mastery) before (None: first evidence)."""


def max_points(item: Item) -> float:
    """The most points an answer to ``item`` can get: the item's declared maximum, else 1."""
    top = item.qti.max_score if item.qti is not None else None
    return top if top is not None and top > 0 else 1.0


def _teacher_item_ids(catalog: Catalog) -> dict[int, Item]:
    return {
        catalog.item_ids[code]: item
        for code, item in catalog.items.items()
        if item.teacher_scored and code in catalog.item_ids
    }


def _waiting(session: Session, class_id: int, catalog: Catalog) -> list[tuple[AttemptRow, User]]:
    items = _teacher_item_ids(catalog)
    if not items:
        return []
    learners = select(ClassLearner.learner_id).where(ClassLearner.class_id == class_id)
    rows = session.execute(
        select(AttemptRow, User)
        .join(User, User.id == AttemptRow.learner_id)
        .outerjoin(TeacherScore, TeacherScore.attempt_id == AttemptRow.id)
        .where(
            AttemptRow.learner_id.in_(learners),
            AttemptRow.item_id.in_(list(items)),
            TeacherScore.attempt_id.is_(None),
        )
        .order_by(AttemptRow.created_at, AttemptRow.id)
    )
    return [(a, u) for a, u in rows]


def answers_to_mark(ctx: ServiceContext, actor: Actor, class_id: int) -> list[WaitingAnswer]:
    """The answers of a class's learners that wait for a teacher's score, oldest first."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        catalog = load_catalog(session)
        items = _teacher_item_ids(catalog)
        out = []
        for attempt, learner in _waiting(session, class_id, catalog):
            item = items[attempt.item_id]
            out.append(
                WaitingAnswer(
                    attempt.id,
                    learner.id,
                    learner.display_name,
                    attempt.item_id,
                    item.code,
                    item.prompt,
                    attempt.response,
                    max_points(item),
                    attempt.created_at,
                )
            )
        return out


def count_to_mark(ctx: ServiceContext, actor: Actor, class_id: int) -> int:
    """How many answers of the class wait for a teacher's score."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        return len(_waiting(session, class_id, load_catalog(session)))


def _validate(points: float, comment: str, top: float) -> None:
    problems = []
    if not math.isfinite(points) or not 0 <= points <= top:
        problems.append(FieldError("points", f"must be a number between 0 and {top:g}, got {points:g}"))
    if len(comment) > MAX_COMMENT_CHARS:
        problems.append(FieldError("comment", f"must be at most {MAX_COMMENT_CHARS} characters"))
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in comment):
        problems.append(FieldError("comment", "must not contain control characters (such as NUL)"))
    if problems:
        raise ValidationError("the score cannot be recorded", problems)


def score_answer(
    ctx: ServiceContext, actor: Actor, attempt_id: int, points: float, comment: str = ""
) -> ScoredAnswer:
    """A teacher's score for one waiting answer; the learner model takes it as evidence (one transaction)."""
    require_role(actor, "teacher", "admin")
    with ctx.unit() as session:
        attempt = session.get(AttemptRow, attempt_id)
        if attempt is None:
            raise NotFoundError(f"no answer with id {attempt_id}")
        try:
            require_learner(session, actor, attempt.learner_id)
        except NotFoundError:
            raise NotFoundError(f"no answer with id {attempt_id}") from None
        catalog = load_catalog(session)
        item_row = session.get(ItemRow, attempt.item_id)
        item = catalog.items.get(item_row.code) if item_row is not None else None
        if item is None or not item.teacher_scored:
            raise ConflictError(
                f"answer {attempt_id} was scored on submit; only a teacher-scored answer can be"
            )
        if session.get(TeacherScore, attempt_id) is not None:
            raise ConflictError(f"answer {attempt_id} is already scored; a score is final")
        top = max_points(item)
        comment = comment.strip()
        _validate(points, comment, top)
        at = ctx.clock()
        state, model = state_for(session, ctx, attempt.learner_id)  # before the score row exists
        correct = points >= top / 2
        attempt.score, attempt.correct = points / top, correct
        mark = TeacherScore(
            attempt_id=attempt_id,
            teacher_id=actor.user_id,
            points=points,
            max_points=top,
            comment=comment,
            scored_at=at,
        )
        session.add(mark)
        session.flush()
        skills = apply_evidence(
            session, ctx, catalog, attempt.learner_id, item, attempt, state, model, at, actor.locale
        )
        return ScoredAnswer(
            TeacherMark(attempt_id, item.code, points, top, comment, correct, at), attempt.learner_id, skills
        )


def teacher_marks(ctx: ServiceContext, actor: Actor, learner_id: int, limit: int = 20) -> list[TeacherMark]:
    """The latest teacher scores of a learner the actor may see, newest first."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        rows = session.execute(
            select(TeacherScore, ItemRow.code)
            .join(AttemptRow, AttemptRow.id == TeacherScore.attempt_id)
            .join(ItemRow, ItemRow.id == AttemptRow.item_id)
            .where(AttemptRow.learner_id == learner_id)
            .order_by(TeacherScore.scored_at.desc(), TeacherScore.attempt_id.desc())
            .limit(limit)
        )
        return [
            TeacherMark(
                r.attempt_id,
                code,
                r.points,
                r.max_points,
                r.comment,
                r.points >= r.max_points / 2,
                r.scored_at,
            )
            for r, code in rows
        ]
