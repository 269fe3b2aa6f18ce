"""A learner's portfolio of work (issue 6): files, links and texts, each with a reflection and linked to goals
of the plan and to skills; teachers' feedback and scores, which feed the learner model; the zip export.

Who may do what (on top of ``access.require_learner``, so others' work is 404):

- the learner adds and removes their own work; their teachers (and the school's admins) may add work for
  them (young learners) and remove it; a family member only reads;
- teachers and admins give feedback: a comment and, once per piece, a score (``core/portfolio.py`` tells how
  a score becomes evidence); the learner and their family are told in-app;
- everyone who may see the learner reads the work, its files and the export.

Files go through the context's file store (``storage/files.py``): read in chunks to a temporary file next to
the store, refused when too large (``LEARNPATH_PORTFOLIO_MAX_MB``) or of a type not judged from its bytes to
be an image, PDF, audio or video; only then stored under a key of ids and a random token, and the row saved.
A refusal or a failure at any step leaves no file and no row.
"""

from __future__ import annotations

import logging
import re
import secrets
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from learnpath.core import portfolio as rules
from learnpath.core.evidence import Attempt
from learnpath.core.goals import ACTIVE_STATES
from learnpath.errors import (
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from learnpath.service.access import Actor, require_learner, require_role
from learnpath.service.catalog import load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.learning import SkillProgress, apply_fact, state_for
from learnpath.service.notifications import notify
from learnpath.storage.files import CHUNK
from learnpath.storage.tables import (
    FamilyLink,
    GoalRow,
    GoalSkill,
    PortfolioEvidence,
    PortfolioFeedback,
    PortfolioGoal,
    PortfolioItem,
    PortfolioSkill,
    SkillRow,
    User,
)

__all__ = [
    "FEEDBACK_KIND",
    "FeedbackResult",
    "FeedbackView",
    "PortfolioPage",
    "WorkFile",
    "WorkView",
    "add_work",
    "delete_work",
    "get_work",
    "give_feedback",
    "items_since",
    "list_work",
    "portfolio_page",
    "portfolio_since",
    "save_in",
    "work_file",
    "work_views",
]

log = logging.getLogger(__name__)

FEEDBACK_KIND = "portfolio_feedback"
"""The notification kind sent to the learner and family; params: ``title`` (of the work), ``learner``."""


@dataclass(frozen=True)
class FeedbackView:
    id: int
    author: str | None
    comment: str
    goal_id: int | None
    rubric: list[dict[str, Any]] | None
    """[{"id", "text", "points", "max_points"}] when scored against a goal's rubric."""
    judgements: dict[str, str] | None
    """{skill code: "shows" | "not_yet"} when scored skill by skill."""
    score: float | None
    """The score in 0..1 the evidence was taken from (None: a comment only)."""
    created_at: datetime


@dataclass(frozen=True)
class WorkView:
    id: int
    learner_id: int
    kind: str
    title: str
    reflection: str
    body: str
    url: str
    media_type: str
    size: int | None
    file_name: str
    added_by: str | None
    created_at: datetime
    goals: list[tuple[int, str]]
    skills: list[tuple[str, str]]
    """(code, name in the reader's language)."""
    feedback: list[FeedbackView] = field(default_factory=list)

    @property
    def scored(self) -> bool:
        return any(f.score is not None for f in self.feedback)

    @property
    def media_group(self) -> str:
        return rules.media_group(self.media_type) if self.kind == "file" else ""

    @property
    def extension(self) -> str:
        return rules.MEDIA_TYPES.get(self.media_type, "bin")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "learner_id": self.learner_id,
            "kind": self.kind,
            "title": self.title,
            "reflection": self.reflection,
            "body": self.body,
            "url": self.url,
            "file": None
            if self.kind != "file"
            else {
                "url": f"/api/v1/portfolio/{self.id}/file",
                "media_type": self.media_type,
                "size_bytes": self.size,
                "name": self.file_name,
            },
            "added_by": self.added_by,
            "created_at": self.created_at.isoformat(),
            "goals": [{"id": g, "title": t} for g, t in self.goals],
            "skills": [{"code": c, "name": n} for c, n in self.skills],
            "feedback": [
                {
                    "id": f.id,
                    "author": f.author,
                    "comment": f.comment,
                    "goal_id": f.goal_id,
                    "rubric": f.rubric,
                    "judgements": f.judgements,
                    "score": f.score,
                    "created_at": f.created_at.isoformat(),
                }
                for f in self.feedback
            ],
        }


@dataclass(frozen=True)
class FeedbackResult:
    feedback: FeedbackView
    skills: list[tuple[SkillProgress, float | None]]
    """Each skill the score fed, after it, with its P(mastery) before (None: first evidence)."""


@dataclass(frozen=True)
class WorkFile:
    """A stored file to send: from a local path when the store has one, else as chunks."""

    media_type: str
    size: int | None
    download_name: str
    path: Path | None
    chunks: Iterator[bytes] | None


# ---------------------------------------------------------------- reading


def _skill_name(row: SkillRow, locale: str) -> str:
    return row.name_es if locale == "es" and row.name_es else row.name


def work_views(session: Session, items: list[PortfolioItem], locale: str) -> list[WorkView]:
    if not items:
        return []
    ids = [i.id for i in items]
    goals: dict[int, list[tuple[int, str]]] = {}
    for item_id, goal_id, title in session.execute(
        select(PortfolioGoal.item_id, GoalRow.id, GoalRow.title)
        .join(GoalRow, GoalRow.id == PortfolioGoal.goal_id)
        .where(PortfolioGoal.item_id.in_(ids))
        .order_by(GoalRow.id)
    ):
        goals.setdefault(item_id, []).append((goal_id, title))
    skills: dict[int, list[tuple[str, str]]] = {}
    for item_id, skill in session.execute(
        select(PortfolioSkill.item_id, SkillRow)
        .join(SkillRow, SkillRow.id == PortfolioSkill.skill_id)
        .where(PortfolioSkill.item_id.in_(ids))
        .order_by(SkillRow.position, SkillRow.id)
    ):
        skills.setdefault(item_id, []).append((skill.code, _skill_name(skill, locale)))
    feedback: dict[int, list[FeedbackView]] = {}
    scores = {
        fid: score
        for fid, score in session.execute(
            select(PortfolioEvidence.feedback_id, func.max(PortfolioEvidence.score))
            .where(PortfolioEvidence.item_id.in_(ids))
            .group_by(PortfolioEvidence.feedback_id)
        )
    }
    for fb, author in session.execute(
        select(PortfolioFeedback, User.display_name)
        .outerjoin(User, User.id == PortfolioFeedback.author_id)
        .where(PortfolioFeedback.item_id.in_(ids))
        .order_by(PortfolioFeedback.created_at, PortfolioFeedback.id)
    ):
        score = _score_of(fb, scores.get(fb.id))
        feedback.setdefault(fb.item_id, []).append(
            FeedbackView(
                fb.id,
                author,
                fb.comment,
                fb.goal_id,
                list(fb.rubric) if fb.rubric is not None else None,
                dict(fb.judgements) if fb.judgements is not None else None,
                score,
                fb.created_at,
            )
        )
    makers = {i.created_by for i in items if i.created_by is not None}
    names: dict[int, str] = {
        uid: name
        for uid, name in session.execute(select(User.id, User.display_name).where(User.id.in_(makers)))
    }
    return [
        WorkView(
            i.id,
            i.learner_id,
            i.kind,
            i.title,
            i.reflection,
            i.body,
            i.url,
            i.media_type,
            i.size,
            i.file_name,
            names.get(i.created_by) if i.created_by is not None else None,
            i.created_at,
            goals.get(i.id, []),
            skills.get(i.id, []),
            feedback.get(i.id, []),
        )
        for i in items
    ]


def _score_of(fb: PortfolioFeedback, evidence_score: float | None) -> float | None:
    if fb.rubric is not None:
        total = sum(float(c["max_points"]) for c in fb.rubric)
        return sum(float(c["points"]) for c in fb.rubric) / total if total > 0 else 0.0
    if fb.judgements:
        values = [rules.JUDGEMENTS[j] for j in fb.judgements.values() if j in rules.JUDGEMENTS]
        return sum(values) / len(values) if values else None
    return evidence_score


def list_work(ctx: ServiceContext, actor: Actor, learner_id: int) -> list[WorkView]:
    """A learner's work, newest first, with its links and feedback (everyone who may see the learner)."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        items = list(
            session.scalars(
                select(PortfolioItem)
                .where(PortfolioItem.learner_id == learner_id)
                .order_by(PortfolioItem.created_at.desc(), PortfolioItem.id.desc())
            )
        )
        return work_views(session, items, actor.locale)


def _visible_item(session: Session, actor: Actor, item_id: int) -> PortfolioItem:
    item = session.get(PortfolioItem, item_id)
    if item is None:
        raise NotFoundError(f"no portfolio work with id {item_id}")
    try:
        require_learner(session, actor, item.learner_id)
    except NotFoundError:
        raise NotFoundError(f"no portfolio work with id {item_id}") from None
    return item


def get_work(ctx: ServiceContext, actor: Actor, item_id: int) -> WorkView:
    with ctx.unit() as session:
        return work_views(session, [_visible_item(session, actor, item_id)], actor.locale)[0]


def _download_name(title: str, item_id: int, media_type: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9]+", "-", ascii_title).strip("-").lower()[:60] or "work"
    return f"{item_id}-{slug}.{rules.MEDIA_TYPES.get(media_type, 'bin')}"


def work_file(ctx: ServiceContext, actor: Actor, item_id: int) -> WorkFile:
    """The file of a piece of work, for everyone who may see the learner; 404 for a link or a text."""
    with ctx.unit() as session:
        item = _visible_item(session, actor, item_id)
        if item.kind != "file" or not item.storage_key:
            raise NotFoundError(f"portfolio work {item_id} has no file")
        key, media_type, size = item.storage_key, item.media_type, item.size
        name = _download_name(item.title, item.id, media_type)
    store = ctx.files()
    path = store.local_path(key)
    if path is not None:
        return WorkFile(media_type, size, name, path, None)
    return WorkFile(media_type, size, name, None, store.chunks(key))


def portfolio_since(
    session: Session, learner_id: int, since: datetime, until: datetime | None = None
) -> list[dict[str, Any]]:
    """Work a learner added after ``since`` (up to ``until``), oldest first, for check-in summaries and the
    weekly digest: ``{"id", "kind", "title", "created_at" (ISO), "goals": [ids], "skills": [codes],
    "feedback": n}``. No access check (callers have checked)."""
    query = select(PortfolioItem).where(
        PortfolioItem.learner_id == learner_id, PortfolioItem.created_at > since
    )
    if until is not None:
        query = query.where(PortfolioItem.created_at <= until)
    items = list(session.scalars(query.order_by(PortfolioItem.created_at, PortfolioItem.id)))
    return [
        {
            "id": v.id,
            "kind": v.kind,
            "title": v.title,
            "created_at": v.created_at.isoformat(),
            "goals": [g for g, _ in v.goals],
            "skills": [c for c, _ in v.skills],
            "feedback": len(v.feedback),
        }
        for v in work_views(session, items, "en")
    ]


def items_since(session: Session, learner_id: int, since: datetime, now: datetime) -> list[dict[str, Any]]:
    """:func:`portfolio_since` in the form the check-in summary looks up (``since``, ``now``]."""
    return portfolio_since(session, learner_id, since, now)


# ---------------------------------------------------------------- adding and removing work


def _may_write(actor: Actor) -> None:
    if actor.role == "family":
        raise PermissionDeniedError("a family member reads a learner's portfolio but does not change it")


def _links(
    session: Session, learner_id: int, goal_ids: Iterable[int], skill_codes: Iterable[str]
) -> tuple[list[int], list[SkillRow], list[FieldError]]:
    goals = sorted(set(goal_ids))
    codes = list(dict.fromkeys(c.strip() for c in skill_codes if c.strip()))
    problems: list[FieldError] = []
    if len(goals) > rules.MAX_LINKS:
        problems.append(FieldError("goals", f"at most {rules.MAX_LINKS} goals, got {len(goals)}"))
    if len(codes) > rules.MAX_LINKS:
        problems.append(FieldError("skills", f"at most {rules.MAX_LINKS} skills, got {len(codes)}"))
    own = set(
        session.scalars(select(GoalRow.id).where(GoalRow.id.in_(goals), GoalRow.learner_id == learner_id))
    )
    missing_goals = [g for g in goals if g not in own]
    if missing_goals:
        problems.append(
            FieldError("goals", f"not goals of this learner: {', '.join(map(str, missing_goals))}")
        )
    skills = {s.code: s for s in session.scalars(select(SkillRow).where(SkillRow.code.in_(codes)))}
    unknown = [c for c in codes if c not in skills]
    if unknown:
        problems.append(FieldError("skills", f"unknown skills: {', '.join(unknown)}"))
    return goals, [skills[c] for c in codes if c in skills], problems


def _check_room(session: Session, ctx: ServiceContext, learner_id: int) -> None:
    count = session.scalar(
        select(func.count()).select_from(PortfolioItem).where(PortfolioItem.learner_id == learner_id)
    )
    limit = ctx.settings.portfolio_max_items
    if int(count or 0) >= limit:
        raise ValidationError(
            f"the portfolio is full: it holds at most {limit} pieces of work",
            [FieldError("portfolio", f"holds at most {limit} pieces of work; remove one first")],
        )


def _prepare(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    fields: dict[str, str],
    goal_ids: Iterable[int],
    skill_codes: Iterable[str],
    has_file: bool,
) -> tuple[list[int], list[SkillRow]]:
    """Every check that needs no file bytes: access, role, fields, links, room."""
    require_learner(session, actor, learner_id)
    _may_write(actor)
    problems = rules.work_problems(
        fields["kind"], fields["title"], fields["reflection"], fields["body"], fields["url"]
    )
    if fields["kind"] == "file" and not has_file:
        problems.append(FieldError("file", "choose a file to add"))
    if fields["kind"] in ("link", "text") and has_file:
        problems.append(FieldError("file", f"a {fields['kind']} piece has no file"))
    goals, skills, link_problems = _links(session, learner_id, goal_ids, skill_codes)
    problems += link_problems
    if problems:
        raise ValidationError("the work cannot be added", problems)
    _check_room(session, ctx, learner_id)
    return goals, skills


def add_work(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    *,
    kind: str,
    title: str,
    reflection: str = "",
    body: str = "",
    url: str = "",
    goal_ids: Iterable[int] = (),
    skill_codes: Iterable[str] = (),
    stream: BinaryIO | None = None,
    file_name: str = "",
) -> WorkView:
    """Add a piece of work (a file from ``stream``, a link or a text) to a learner's portfolio."""
    fields = {
        "kind": kind,
        "title": title.strip(),
        "reflection": reflection.strip(),
        "body": body.strip(),
        "url": url.strip(),
    }
    goal_list, code_list = list(goal_ids), list(skill_codes)
    with ctx.unit() as session:
        _prepare(session, ctx, actor, learner_id, fields, goal_list, code_list, stream is not None)
    if stream is None:
        return _save(ctx, actor, learner_id, fields, goal_list, code_list, None)
    store = ctx.files()
    staged = _stage(ctx, stream)
    try:
        size, media_type, tmp = staged
        key = f"{learner_id}/{secrets.token_hex(12)}.{rules.MEDIA_TYPES[media_type]}"
        store.put(key, tmp, media_type)
        try:
            clean = (file_name or "").replace("\\", "/").rsplit("/", 1)[-1][:200]
            stored = {"key": key, "media_type": media_type, "size": str(size), "file_name": clean}
            return _save(ctx, actor, learner_id, fields, goal_list, code_list, stored)
        except BaseException:
            store.delete(key)
            raise
    finally:
        staged[2].unlink(missing_ok=True)


def _staging_dir(ctx: ServiceContext) -> Path:
    folder = Path(ctx.settings.data_dir) / "portfolio" / ".incoming"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stage(ctx: ServiceContext, stream: BinaryIO) -> tuple[int, str, Path]:
    """Copy the upload to a temporary file (size limited), judge its type from its bytes."""
    limit_mb = ctx.settings.portfolio_max_mb
    limit = limit_mb * 1024 * 1024
    fd, name = tempfile.mkstemp(prefix="upload-", suffix=".part", dir=_staging_dir(ctx))
    tmp = Path(name)
    try:
        size = 0
        head = b""
        with open(fd, "wb") as f:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationError(
                        f"file: larger than the limit of {limit_mb} MB",
                        [FieldError("file", f"is larger than the limit of {limit_mb} MB")],
                    )
                if len(head) < rules.SNIFF_BYTES:
                    head += chunk[: rules.SNIFF_BYTES - len(head)]
                f.write(chunk)
        if size == 0:
            raise ValidationError.for_field("file", "is empty")
        media_type = rules.sniff_work(head)
        if media_type is None:
            raise ValidationError.for_field(
                "file",
                "is not an image (PNG, JPEG, GIF, WebP), a PDF, audio (MP3, WAV, Ogg, M4A) or video "
                "(MP4, WebM), judged from its content",
            )
        return size, media_type, tmp
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _save(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    fields: dict[str, str],
    goal_ids: list[int],
    skill_codes: list[str],
    stored: dict[str, str] | None,
) -> WorkView:
    with ctx.unit() as session:
        item = save_in(session, ctx, actor, learner_id, fields, goal_ids, skill_codes, stored, ctx.clock())
        return work_views(session, [item], actor.locale)[0]


def save_in(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    fields: dict[str, str],
    goal_ids: list[int],
    skill_codes: list[str],
    stored: dict[str, str] | None,
    now: datetime,
) -> PortfolioItem:
    """Check and save a piece of work in the caller's transaction (a file is already in the store under
    ``stored["key"]``; the caller removes it if this fails). ``fields``: kind, title, reflection, body, url."""
    goals, skills = _prepare(session, ctx, actor, learner_id, fields, goal_ids, skill_codes, bool(stored))
    item = PortfolioItem(
        learner_id=learner_id,
        kind=fields["kind"],
        title=fields["title"].strip(),
        reflection=fields["reflection"].strip(),
        body=fields["body"].strip() if fields["kind"] == "text" else "",
        url=fields["url"].strip() if fields["kind"] == "link" else "",
        storage_key=stored["key"] if stored else "",
        media_type=stored["media_type"] if stored else "",
        size=int(stored["size"]) if stored else None,
        file_name=stored["file_name"] if stored else "",
        created_by=actor.user_id,
        created_at=now,
    )
    session.add(item)
    session.flush()
    session.add_all(PortfolioGoal(item_id=item.id, goal_id=g) for g in goals)
    session.add_all(PortfolioSkill(item_id=item.id, skill_id=s.id) for s in skills)
    session.flush()
    return item


def delete_work(ctx: ServiceContext, actor: Actor, item_id: int) -> None:
    """Remove a piece of work and its file (the learner, their teachers, admins). Scores given to it stay as
    evidence of the skills (facts are not taken back); its feedback goes with it."""
    with ctx.unit() as session:
        item = _visible_item(session, actor, item_id)
        _may_write(actor)
        key = item.storage_key
        session.execute(delete(PortfolioItem).where(PortfolioItem.id == item_id))
    if key:
        try:
            ctx.files().delete(key)
        except Exception:  # the row is gone; a file left over is logged, never shown
            log.exception("could not remove the file %s of portfolio work %s", key, item_id)


# ---------------------------------------------------------------- feedback and scores


def _families(session: Session, learner_id: int) -> list[int]:
    return list(session.scalars(select(FamilyLink.family_id).where(FamilyLink.learner_id == learner_id)))


def _rubric_points(rubric: Mapping[str, Any]) -> dict[str, float]:
    out: dict[str, float] = {}
    problems: list[FieldError] = []
    for cid, value in rubric.items():
        try:
            out[str(cid)] = float(value)
        except (TypeError, ValueError):
            problems.append(FieldError(f"rubric.{cid}", f"must be a number, got {value!r}"))
    if problems:
        raise ValidationError("the score cannot be recorded", problems)
    return out


def give_feedback(
    ctx: ServiceContext,
    actor: Actor,
    item_id: int,
    *,
    comment: str = "",
    goal_id: int | None = None,
    rubric: Mapping[str, Any] | None = None,
    judgements: Mapping[str, str] | None = None,
) -> FeedbackResult:
    """A teacher's feedback on a piece of work: a comment, and optionally its score (once per piece):
    points per criterion of ``goal_id``'s rubric, or a judgement per skill. A score is evidence for the
    learner model of every skill the work and the scored goal are linked to (rubric), or of each judged
    skill; all in one transaction, and the learner and their family are told."""
    require_role(actor, "teacher", "admin")
    comment = comment.strip()
    with ctx.unit() as session:
        item = _visible_item(session, actor, item_id)
        problems = rules.text_problems("comment", comment, rules.MAX_COMMENT_CHARS)
        if rubric is not None and judgements is not None:
            problems.append(FieldError("rubric", "score with a rubric or with judgements, not both"))
        if rubric is not None and goal_id is None:
            problems.append(FieldError("goal_id", "name the goal whose rubric the work is scored against"))
        if not comment and rubric is None and not judgements:
            problems.append(FieldError("comment", "write a comment or give a score"))
        if problems:
            raise ValidationError("the feedback cannot be saved", problems)
        learner_id = item.learner_id
        scoring = rubric is not None or bool(judgements)
        earlier = session.scalars(select(PortfolioFeedback).where(PortfolioFeedback.item_id == item_id))
        if scoring and any(f.rubric is not None or f.judgements for f in earlier):
            raise ConflictError(f"portfolio work {item_id} is already scored; a score is final")
        item_goals = set(
            session.scalars(select(PortfolioGoal.goal_id).where(PortfolioGoal.item_id == item_id))
        )
        item_skills = list(
            session.scalars(
                select(SkillRow)
                .join(PortfolioSkill, PortfolioSkill.skill_id == SkillRow.id)
                .where(PortfolioSkill.item_id == item_id)
                .order_by(SkillRow.position, SkillRow.id)
            )
        )
        fed: list[tuple[SkillRow, float]] = []
        stored_rubric: list[dict[str, Any]] | None = None
        stored_judgements: dict[str, str] | None = None
        if goal_id is not None and goal_id not in item_goals:
            raise ValidationError.for_field("goal_id", f"goal {goal_id} is not linked to this work")
        if rubric is not None:
            from learnpath.service.plans import goal_rubric  # the plan's rubric (issue 6, plans)

            assert goal_id is not None
            criteria = [
                rules.Criterion(str(c["id"]), str(c["text"]), int(c["max_points"]))
                for c in goal_rubric(session, goal_id)
            ]
            if not criteria:
                raise ValidationError.for_field("goal_id", f"goal {goal_id} has no rubric or checklist")
            points = _rubric_points(rubric)
            rubric_errors = rules.rubric_problems(criteria, points)
            if rubric_errors:
                raise ValidationError("the score cannot be recorded", rubric_errors)
            score = rules.rubric_score(criteria, points)
            stored_rubric = [
                {"id": c.id, "text": c.text, "points": points[c.id], "max_points": c.max_points}
                for c in criteria
            ]
            goal_skills = list(
                session.scalars(
                    select(SkillRow)
                    .join(GoalSkill, GoalSkill.skill_id == SkillRow.id)
                    .where(GoalSkill.goal_id == goal_id)
                    .order_by(GoalSkill.position)
                )
            )
            seen: set[int] = set()
            for s in [*item_skills, *goal_skills]:
                if s.id not in seen:
                    seen.add(s.id)
                    fed.append((s, score))
        elif judgements:
            linked = {s.code: s for s in item_skills}
            for g in sorted(item_goals):
                for s in session.scalars(
                    select(SkillRow)
                    .join(GoalSkill, GoalSkill.skill_id == SkillRow.id)
                    .where(GoalSkill.goal_id == g)
                ):
                    linked.setdefault(s.code, s)
            bad = [
                FieldError(f"judgements.{code}", "is not a skill this work or its goals are linked to")
                for code in judgements
                if code not in linked
            ] + [
                FieldError(f"judgements.{code}", f"must be one of {', '.join(rules.JUDGEMENTS)}, got {j!r}")
                for code, j in judgements.items()
                if j not in rules.JUDGEMENTS
            ]
            if bad:
                raise ValidationError("the score cannot be recorded", bad)
            stored_judgements = dict(judgements)
            fed = [(linked[code], rules.judgement_score(j)) for code, j in judgements.items()]
        now = ctx.clock()
        fb = PortfolioFeedback(
            item_id=item_id,
            author_id=actor.user_id,
            comment=comment,
            goal_id=goal_id,
            rubric=stored_rubric,
            judgements=stored_judgements,
            created_at=now,
        )
        session.add(fb)
        session.flush()
        changes: list[tuple[SkillProgress, float | None]] = []
        if fed:
            catalog = load_catalog(session)
            for skill, score in fed:
                if skill.code not in catalog.skills:
                    continue
                correct = rules.correct_from(score)
                state, model = state_for(session, ctx, learner_id)  # before the fact is stored
                session.add(
                    PortfolioEvidence(
                        learner_id=learner_id,
                        skill_id=skill.id,
                        item_id=item_id,
                        feedback_id=fb.id,
                        score=score,
                        correct=correct,
                        at=now,
                    )
                )
                fact = Attempt(
                    learner=learner_id,
                    item=f"portfolio:{item_id}",
                    skills=(skill.code,),
                    correct=correct,
                    at=now,
                )
                changes += apply_fact(
                    session, ctx, catalog, learner_id, fact, state, model, now, actor.locale
                )
        notify(
            session,
            [learner_id, *_families(session, learner_id)],
            FEEDBACK_KIND,
            {"title": item.title, "learner": session.get(User, learner_id).display_name},  # type: ignore[union-attr]
            link=f"/learners/{learner_id}/portfolio#work-{item_id}",
            actor_id=actor.user_id,
            now=now,
        )
        view = work_views(session, [item], actor.locale)[0]
        return FeedbackResult(next(f for f in view.feedback if f.id == fb.id), changes)


# ---------------------------------------------------------------- the portfolio page


@dataclass(frozen=True)
class PortfolioPage:
    """What the portfolio page shows and offers to the reader."""

    learner_id: int
    learner_name: str
    work: list[WorkView]
    goals: list[tuple[int, str]]
    """The learner's active goals (draft, proposed, agreed), to link work to."""
    skills: list[tuple[str, str]]
    """Every skill (code, name), to link work to."""
    rubrics: dict[int, list[dict[str, Any]]]
    """Goal id -> its rubric or checklist (goals the work is linked to that have one)."""
    may_add: bool
    may_score: bool


def portfolio_page(ctx: ServiceContext, actor: Actor, learner_id: int) -> PortfolioPage:
    with ctx.unit() as session:
        from learnpath.service.plans import goal_rubric  # the plan's rubric (issue 6, plans)

        learner = require_learner(session, actor, learner_id)
        items = list(
            session.scalars(
                select(PortfolioItem)
                .where(PortfolioItem.learner_id == learner_id)
                .order_by(PortfolioItem.created_at.desc(), PortfolioItem.id.desc())
            )
        )
        work = work_views(session, items, actor.locale)
        goals = [
            (g.id, g.title)
            for g in session.scalars(
                select(GoalRow)
                .where(GoalRow.learner_id == learner_id, GoalRow.state.in_(ACTIVE_STATES))
                .order_by(GoalRow.id)
            )
        ]
        skills = [
            (s.code, _skill_name(s, actor.locale))
            for s in session.scalars(select(SkillRow).order_by(SkillRow.position, SkillRow.id))
        ]
        linked = sorted({g for w in work for g, _ in w.goals})
        rubrics = {g: r for g in linked if (r := goal_rubric(session, g))}
        return PortfolioPage(
            learner.id,
            learner.display_name,
            work,
            goals,
            skills,
            rubrics,
            may_add=actor.role != "family",
            may_score=actor.role in ("teacher", "admin"),
        )
