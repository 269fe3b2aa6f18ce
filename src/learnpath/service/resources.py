"""Content use cases: videos, readings, activities and projects of a school (rules in ``core.content``).

Access: teachers and admins of a school create and edit its content and upload its videos; every signed-in
member of the school (learners and families too) reads it; another school's content is not found (404).
Learners and families never see who wrote it. Each use case is one transaction; an upload that fails
leaves no file and no change behind.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.content import (
    MODALITIES,
    VIDEO_TYPES,
    Content,
    ContentProblem,
    GradeBand,
    Rubric,
    content_from_fields,
    sniff_video,
)
from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.interop.content_csv import CsvRow, RowProblem, read_content_csv, row_problem
from learnpath.service.access import Actor, require_role
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import ContentRow, ContentSkill, School, SkillRow

__all__ = [
    "ContentView",
    "ImportReport",
    "add_content",
    "add_demo_content",
    "content_for_skill",
    "create_content",
    "get_content",
    "import_content",
    "import_content_csv",
    "list_content",
    "school_ids",
    "update_content",
    "upload_video",
    "video_file",
    "videos_dir",
]


@dataclass(frozen=True)
class ContentView:
    """Stored content with what the database adds: ids, the refined difficulty, the uploaded file."""

    id: int
    school_id: int
    content: Content
    author_difficulty: float
    difficulty_n: int
    video_media_type: str
    video_size: int | None
    created_at: datetime
    updated_at: datetime
    skill_names: dict[str, tuple[str, str]]
    """Skill code -> (English name, Spanish name)."""

    @property
    def has_video_file(self) -> bool:
        return bool(self.content.video_file)


@dataclass(frozen=True)
class ImportReport:
    rows: int
    added: list[str]
    changed: list[str]
    unchanged: list[str]
    dry_run: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": len(self.unchanged),
            "codes": {"added": self.added, "changed": self.changed},
            "dry_run": self.dry_run,
        }


# -- rows <-> content ---------------------------------------------------------------------------------


def _content_of(row: ContentRow, skills: Iterable[str]) -> Content:
    return Content(
        code=row.code,
        kind=row.kind,  # type: ignore[arg-type]
        title=row.title,
        title_es=row.title_es,
        modality=row.modality,  # type: ignore[arg-type]
        minutes=row.minutes,
        grades=GradeBand(row.grade_low, row.grade_high),
        skills=tuple(skills),
        tags=tuple(row.tags or ()),
        summary=row.summary,
        summary_es=row.summary_es,
        body=row.body,
        body_es=row.body_es,
        url=row.url,
        video_file=row.video_file,
        duration_s=row.duration_s,
        rubric=None if row.rubric is None else Rubric.from_dict(row.rubric),
        difficulty=row.difficulty,
    )


def _fill(row: ContentRow, c: Content) -> None:
    row.code, row.kind, row.modality = c.code, c.kind, c.modality
    row.title, row.title_es = c.title, c.title_es
    row.minutes, row.grade_low, row.grade_high = c.minutes, c.grades.low, c.grades.high
    row.tags = list(c.tags)
    row.summary, row.summary_es, row.body, row.body_es = c.summary, c.summary_es, c.body, c.body_es
    row.url, row.video_file, row.duration_s = c.url, c.video_file, c.duration_s
    row.rubric = None if c.rubric is None else c.rubric.to_dict()


def _skill_rows(session: Session, codes: Iterable[str]) -> dict[str, SkillRow]:
    wanted = list(codes)
    return {s.code: s for s in session.scalars(select(SkillRow).where(SkillRow.code.in_(wanted)))}


def _check_skills(session: Session, content: Content, field_name: str = "skills") -> dict[str, SkillRow]:
    found = _skill_rows(session, content.skills)
    missing = [c for c in content.skills if c not in found]
    if missing:
        joined = ", ".join(missing)
        raise ValidationError(
            f"{field_name}: unknown skills: {joined}",
            [ContentProblem(field_name, f"unknown skills: {joined}", "unknown_skill", (("codes", joined),))],
        )
    return found


def _views(session: Session, rows: list[ContentRow]) -> list[ContentView]:
    ids = [r.id for r in rows]
    links: dict[int, list[SkillRow]] = {i: [] for i in ids}
    if ids:
        query = (
            select(ContentSkill.content_id, SkillRow)
            .join(SkillRow, SkillRow.id == ContentSkill.skill_id)
            .where(ContentSkill.content_id.in_(ids))
            .order_by(SkillRow.position, SkillRow.id)
        )
        for content_id, skill in session.execute(query):
            links[content_id].append(skill)
    return [
        ContentView(
            id=r.id,
            school_id=r.school_id,
            content=_content_of(r, (s.code for s in links[r.id])),
            author_difficulty=r.author_difficulty,
            difficulty_n=r.difficulty_n,
            video_media_type=r.video_media_type,
            video_size=r.video_size,
            created_at=r.created_at,
            updated_at=r.updated_at,
            skill_names={s.code: (s.name, s.name_es) for s in links[r.id]},
        )
        for r in rows
    ]


def _code_taken(code: str) -> ValidationError:
    return ValidationError(
        f"code: {code!r} is already used by other content of this school",
        [
            ContentProblem(
                "code", f"{code!r} is already used by other content", "code_taken", (("code", code),)
            )
        ],
    )


def _insert(
    session: Session, school_id: int, content: Content, now: datetime, created_by: int | None
) -> ContentRow:
    skills = _check_skills(session, content)
    taken = session.scalar(
        select(ContentRow.id).where(ContentRow.school_id == school_id, ContentRow.code == content.code)
    )
    if taken is not None:
        raise _code_taken(content.code)
    row = ContentRow(
        school_id=school_id,
        author_difficulty=content.difficulty,
        difficulty=content.difficulty,
        difficulty_n=0,
        video_media_type="",
        video_size=None,
        created_by=created_by,
        created_at=now,
        updated_at=now,
    )
    _fill(row, content)
    session.add(row)
    session.flush()
    session.add_all(ContentSkill(content_id=row.id, skill_id=skills[c].id) for c in content.skills)
    session.flush()
    return row


def _apply(session: Session, row: ContentRow, new: Content, now: datetime) -> None:
    skills = _check_skills(session, new)
    if new.code != row.code:
        clash = session.scalar(
            select(ContentRow.id).where(
                ContentRow.school_id == row.school_id, ContentRow.code == new.code, ContentRow.id != row.id
            )
        )
        if clash is not None:
            raise _code_taken(new.code)
    if new.difficulty != row.author_difficulty:
        row.author_difficulty = row.difficulty = new.difficulty
        row.difficulty_n = 0
    _fill(row, new)
    row.updated_at = now
    for link in session.scalars(select(ContentSkill).where(ContentSkill.content_id == row.id)):
        session.delete(link)
    session.flush()
    session.add_all(ContentSkill(content_id=row.id, skill_id=skills[c].id) for c in new.skills)
    session.flush()


def add_content(
    session: Session,
    school_id: int,
    contents: Iterable[Content],
    now: datetime,
    created_by: int | None = None,
) -> dict[str, int]:
    """Store content for a school inside an open unit (demo and test set-up); returns ids by code."""
    return {c.code: _insert(session, school_id, c, now, created_by).id for c in contents}


def add_demo_content(session: Session, ctx: ServiceContext, school_id: int) -> int:
    """The demo school's content (``learnpath.demo.resources``); its two small videos are copied from the
    package into the data folder, so the app serves them itself. Returns how many pieces were added."""
    from importlib.resources import files

    from learnpath.demo.resources import VIDEO_FILES, build_content

    contents = build_content()
    folder = videos_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    ids = add_content(session, school_id, contents, ctx.clock())
    for code, name in VIDEO_FILES.items():
        data = (files("learnpath.demo") / "media" / name).read_bytes()
        row = session.get(ContentRow, ids[code])
        assert row is not None
        target = folder / row.video_file
        if not target.is_file() or target.read_bytes() != data:
            target.write_bytes(data)
        row.video_media_type = sniff_video(data[:64]) or "video/webm"
        row.video_size = len(data)
    session.flush()
    return len(ids)


# -- reading ------------------------------------------------------------------------------------------


def _visible_row(session: Session, actor: Actor, content_id: int) -> ContentRow:
    row = session.get(ContentRow, content_id)
    if row is None or row.school_id != actor.school_id:
        raise NotFoundError(f"no content with id {content_id}")
    return row


def get_content(ctx: ServiceContext, actor: Actor, content_id: int) -> ContentView:
    """One piece of content of the actor's school (any role)."""
    with ctx.unit() as session:
        return _views(session, [_visible_row(session, actor, content_id)])[0]


def list_content(
    ctx: ServiceContext,
    actor: Actor,
    *,
    kind: str | None = None,
    modality: str | None = None,
    skill: str | None = None,
    tag: str | None = None,
) -> list[ContentView]:
    """The content of the actor's school, filtered by kind, modality, skill code and tag (all optional)."""
    with ctx.unit() as session:
        query = select(ContentRow).where(ContentRow.school_id == actor.school_id)
        if kind:
            query = query.where(ContentRow.kind == kind)
        if modality:
            query = query.where(ContentRow.modality == modality)
        if skill:
            teaching = (
                select(ContentSkill.content_id)
                .join(SkillRow, SkillRow.id == ContentSkill.skill_id)
                .where(SkillRow.code == skill)
            )
            query = query.where(ContentRow.id.in_(teaching))
        rows = list(session.scalars(query.order_by(ContentRow.code)))
        if tag:
            wanted = tag.strip().lower().replace(" ", "-")
            rows = [r for r in rows if wanted in (r.tags or [])]
        return _views(session, rows)


def content_for_skill(
    ctx: ServiceContext, actor: Actor, skill_code: str, grade: int | None = None, limit: int = 3
) -> list[ContentView]:
    """What to watch, read or do for one skill: at most one per modality (watch, read, do, discuss),
    those whose grade band holds ``grade`` first, then the shortest."""
    views = list_content(ctx, actor, skill=skill_code)
    views.sort(
        key=lambda v: (
            MODALITIES.index(v.content.modality),
            grade is not None and grade not in v.content.grades,
            v.content.minutes,
            v.id,
        )
    )
    out: list[ContentView] = []
    for v in views:
        if all(o.content.modality != v.content.modality for o in out):
            out.append(v)
    return out[:limit]


# -- writing ------------------------------------------------------------------------------------------


def create_content(ctx: ServiceContext, actor: Actor, content: Content) -> ContentView:
    """New content in the actor's school (teachers and admins)."""
    require_role(actor, "teacher", "admin")
    with ctx.unit() as session:
        row = _insert(session, actor.school_id, content, ctx.clock(), actor.user_id)
        return _views(session, [row])[0]


def update_content(
    ctx: ServiceContext, actor: Actor, content_id: int, changes: Mapping[str, Any]
) -> ContentView:
    """Change fields of content (``Content`` field names); the result is validated whole.

    A new ``difficulty`` is the author's: it replaces the refined estimate until the next refinement.
    """
    with ctx.unit() as session:
        row = _visible_row(session, actor, content_id)
        require_role(actor, "teacher", "admin")
        old = _views(session, [row])[0].content
        allowed = set(Content.__dataclass_fields__) - {"video_file", "extra"}
        unknown = sorted(set(changes) - allowed)
        if unknown:
            raise ValidationError(
                "unknown fields", [FieldError(name, "is not a field of content") for name in unknown]
            )
        values = dict(changes)
        if "difficulty" not in values:
            values["difficulty"] = row.author_difficulty
        new = old.with_changes(**values)
        _apply(session, row, new, ctx.clock())
        return _views(session, [row])[0]


# -- CSV import ---------------------------------------------------------------------------------------


def import_content(
    ctx: ServiceContext,
    school_id: int,
    rows: list[CsvRow],
    *,
    dry_run: bool = False,
    created_by: int | None = None,
    source: str = "content.csv",
) -> ImportReport:
    """Add or update (by code) every row, or nothing: any bad row raises with every problem found."""
    problems: list[FieldError] = []
    parsed: list[tuple[int, Content]] = []
    seen: dict[str, int] = {}
    with ctx.unit() as session:
        named = {c.strip() for row in rows for c in re.split(r"[;,]", row.fields.get("skills") or "")}
        known = set(session.scalars(select(SkillRow.code).where(SkillRow.code.in_(named - {""}))))
        for row in rows:
            codes = [c.strip() for c in re.split(r"[;,]", row.fields.get("skills") or "") if c.strip()]
            missing = [c for c in codes if c not in known]
            if missing:
                joined = ", ".join(missing)
                problems.append(
                    row_problem(
                        row.line, "skills", f"unknown skills: {joined}", "unknown_skill", (("codes", joined),)
                    )
                )
            try:
                content = content_from_fields(row.fields)
            except ValidationError as exc:
                problems += [_at(row.line, e) for e in exc.errors]
                continue
            if content.code in seen:
                problems.append(
                    row_problem(
                        row.line,
                        "code",
                        f"{content.code!r} is also on line {seen[content.code]}",
                        "csv_duplicate",
                    )
                )
            seen.setdefault(content.code, row.line)
            parsed.append((row.line, content))
        if problems:
            problems.sort(key=lambda p: p.line if isinstance(p, RowProblem) else 0)
            bad = len({p.line for p in problems if isinstance(p, RowProblem)})
            raise ValidationError(f"{source}: {bad} rows are not valid; nothing was imported", problems)
        existing = {
            r.code: r for r in session.scalars(select(ContentRow).where(ContentRow.school_id == school_id))
        }
        added: list[str] = []
        changed: list[str] = []
        unchanged: list[str] = []
        now = ctx.clock()
        for _, content in parsed:
            row_ = existing.get(content.code)
            if row_ is None:
                added.append(content.code)
                if not dry_run:
                    _insert(session, school_id, content, now, created_by)
                continue
            old = _views(session, [row_])[0].content
            new = content.with_changes(video_file=old.video_file)
            same = new.to_dict() == old.with_changes(difficulty=row_.author_difficulty).to_dict()
            (unchanged if same else changed).append(content.code)
            if not same and not dry_run:
                _apply(session, row_, new, now)
        return ImportReport(len(parsed), added, changed, unchanged, dry_run)


def _at(line: int, e: FieldError) -> RowProblem:
    column = "rubric" if e.field == "rubric_levels" else e.field
    code = e.code if isinstance(e, ContentProblem) else ""
    params = e.params if isinstance(e, ContentProblem) else ()
    return row_problem(line, column, e.message, code, params)


def school_ids(ctx: ServiceContext) -> list[int]:
    """The ids of every school (the command line picks the one to import into)."""
    with ctx.unit() as session:
        return list(session.scalars(select(School.id).order_by(School.id)))


def import_content_csv(
    ctx: ServiceContext, actor: Actor, text: str, *, dry_run: bool = False, source: str = "content.csv"
) -> ImportReport:
    """A teacher's or admin's CSV upload into their own school."""
    require_role(actor, "teacher", "admin")
    rows = read_content_csv(text, source)
    return import_content(
        ctx, actor.school_id, rows, dry_run=dry_run, created_by=actor.user_id, source=source
    )


# -- video files --------------------------------------------------------------------------------------


def videos_dir(ctx: ServiceContext) -> Path:
    return Path(ctx.settings.data_dir) / "media" / "videos"


CHUNK = 1 << 20


def upload_video(ctx: ServiceContext, actor: Actor, content_id: int, stream: BinaryIO) -> ContentView:
    """Store an uploaded video file for a video (teachers and admins). The type is read from the bytes
    (MP4, WebM or Ogg); the size is limited by ``LEARNPATH_VIDEO_MAX_MB``. A refused or failed upload
    leaves no file and no change; a replaced file is deleted."""
    with ctx.unit() as session:
        row = _visible_row(session, actor, content_id)
        require_role(actor, "teacher", "admin")
        if row.kind != "video":
            raise ValidationError(
                "file: only videos take a video file",
                [ContentProblem("file", "only videos take a video file", "file_not_video")],
            )
    limit = ctx.settings.video_max_mb * 1024 * 1024
    folder = videos_dir(ctx)
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_hex(8)
    part = folder / f".upload-{token}.part"
    final: Path | None = None
    try:
        size = 0
        head = b""
        with part.open("xb") as f:
            while chunk := stream.read(CHUNK):
                size += len(chunk)
                if size > limit:
                    raise ValidationError(
                        f"file: larger than the limit of {ctx.settings.video_max_mb} MB",
                        [
                            ContentProblem(
                                "file",
                                f"is larger than the limit of {ctx.settings.video_max_mb} MB",
                                "file_too_large",
                                (("limit", str(ctx.settings.video_max_mb)),),
                            )
                        ],
                    )
                if len(head) < 64:
                    head += chunk[: 64 - len(head)]
                f.write(chunk)
        media_type = sniff_video(head)
        if size == 0 or media_type is None:
            raise ValidationError(
                "file: not an MP4, WebM or Ogg video",
                [ContentProblem("file", "is not an MP4, WebM or Ogg video", "file_type")],
            )
        final = folder / f"{content_id}-{token}.{VIDEO_TYPES[media_type]}"
        os.replace(part, final)
        with ctx.unit() as session:
            row = _visible_row(session, actor, content_id)
            old_file = row.video_file
            row.video_file = final.name
            row.video_media_type = media_type
            row.video_size = size
            row.updated_at = ctx.clock()
            view = _views(session, [row])[0]
    except BaseException:
        part.unlink(missing_ok=True)
        if final is not None:
            final.unlink(missing_ok=True)
        raise
    if old_file and old_file != final.name:
        (folder / old_file).unlink(missing_ok=True)
    return view


def video_file(ctx: ServiceContext, actor: Actor, content_id: int) -> tuple[Path, str]:
    """The stored file of a video and its media type (any member of the school); 404 when there is none."""
    with ctx.unit() as session:
        row = _visible_row(session, actor, content_id)
        name, media_type = row.video_file, row.video_media_type
    path = videos_dir(ctx) / name
    if not name or "/" in name or not path.is_file():
        raise NotFoundError(f"content {content_id} has no video file")
    return path, media_type
