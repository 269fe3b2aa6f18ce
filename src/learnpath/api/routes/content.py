"""Content (videos, readings, activities, projects): every member of a school reads its content;
teachers and admins create and change it. Others' content is 404; a role that may not write gets 403."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.core.content import DEFAULT_MODALITY, Content, GradeBand, Rubric
from learnpath.errors import FieldError, ValidationError
from learnpath.service import resources
from learnpath.service.access import require_role
from learnpath.service.resources import ContentView

router = APIRouter(tags=["content"])


class Strict(BaseModel):
    model_config = {"extra": "forbid"}


class RubricCellIn(Strict):
    descriptor: str = Field(max_length=1000)
    points: float


class RubricCriterionIn(Strict):
    name: str = Field(max_length=300)
    cells: list[RubricCellIn] = Field(max_length=10)


class RubricIn(Strict):
    """Levels from lowest to highest; each criterion has one cell (descriptor and points) per level."""

    levels: list[str] = Field(max_length=10)
    criteria: list[RubricCriterionIn] = Field(max_length=30)


class ContentUpdate(Strict):
    """Fields to change; the result must be valid content (rules in docs/content.md)."""

    code: str | None = Field(default=None, max_length=100)
    kind: str | None = Field(default=None, description="video, reading, activity or project")
    title: str | None = Field(default=None, max_length=300)
    title_es: str | None = Field(default=None, max_length=300)
    modality: str | None = Field(default=None, description="watch, read, do or discuss")
    minutes: int | None = None
    grade_band: str | None = Field(default=None, description="K-2, 3-5, 4, ... (K is kindergarten)")
    skills: list[str] | None = Field(default=None, max_length=50)
    tags: list[str] | None = Field(default=None, max_length=50)
    summary: str | None = Field(default=None, max_length=1000)
    summary_es: str | None = Field(default=None, max_length=1000)
    body: str | None = Field(default=None, max_length=20000)
    body_es: str | None = Field(default=None, max_length=20000)
    url: str | None = Field(default=None, max_length=2000)
    duration_s: int | None = None
    rubric: RubricIn | None = None
    difficulty: float | None = Field(default=None, description="the author's estimate, in logits (-6..6)")


class ContentCreate(ContentUpdate):
    code: str = Field(max_length=100)  # type: ignore[assignment]
    kind: str  # type: ignore[assignment]
    title: str = Field(max_length=300)  # type: ignore[assignment]
    minutes: int  # type: ignore[assignment]
    grade_band: str  # type: ignore[assignment]
    skills: list[str] = Field(max_length=50)  # type: ignore[assignment]


class VideoFilePublic(BaseModel):
    url: str
    media_type: str
    size_bytes: int | None


class ContentPublic(BaseModel):
    id: int
    code: str
    kind: str
    title: str
    title_es: str
    modality: str
    minutes: int
    grade_band: str
    grade_low: int
    grade_high: int
    skills: list[str]
    tags: list[str]
    summary: str
    summary_es: str
    body: str
    body_es: str
    url: str
    video_file: VideoFilePublic | None
    duration_s: int | None
    rubric: dict[str, Any] | None
    difficulty: float
    author_difficulty: float
    difficulty_attempts: int
    updated_at: datetime

    @classmethod
    def of(cls, v: ContentView) -> ContentPublic:
        c = v.content
        video = (
            VideoFilePublic(
                url=f"/content/{v.id}/video", media_type=v.video_media_type, size_bytes=v.video_size
            )
            if c.video_file
            else None
        )
        return cls(
            id=v.id,
            code=c.code,
            kind=c.kind,
            title=c.title,
            title_es=c.title_es,
            modality=c.modality,
            minutes=c.minutes,
            grade_band=c.grades.label,
            grade_low=c.grades.low,
            grade_high=c.grades.high,
            skills=list(c.skills),
            tags=list(c.tags),
            summary=c.summary,
            summary_es=c.summary_es,
            body=c.body,
            body_es=c.body_es,
            url=c.url,
            video_file=video,
            duration_s=c.duration_s,
            rubric=None if c.rubric is None else c.rubric.to_dict(),
            difficulty=c.difficulty,
            author_difficulty=v.author_difficulty,
            difficulty_attempts=v.difficulty_n,
            updated_at=v.updated_at,
        )


class ContentList(BaseModel):
    data: list[ContentPublic]


def _parse(body: ContentUpdate) -> tuple[dict[str, Any], list[FieldError]]:
    """Request fields -> ``Content`` fields, and the problems found while reading them."""
    raw = body.model_dump(exclude_unset=True)
    out: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, value in raw.items():
        if value is None and name not in ("duration_s", "rubric"):
            problems.append(FieldError(name, "must not be null"))
        elif name == "grade_band":
            try:
                out["grades"] = GradeBand.parse(value)
            except ValidationError as exc:
                problems += exc.errors
        elif name == "rubric":
            out["rubric"] = None if value is None else Rubric.from_dict(value)
        elif name in ("skills", "tags"):
            out[name] = tuple(value)
        else:
            out[name] = value
    return out, problems


def _changes(body: ContentUpdate) -> dict[str, Any]:
    out, problems = _parse(body)
    if problems:
        raise ValidationError("the request is not valid", problems)
    return out


@router.get("/content", response_model=ContentList)
def list_content(
    ctx: Ctx,
    actor: ApiActor,
    kind: Annotated[str | None, Query(description="video, reading, activity or project")] = None,
    modality: Annotated[str | None, Query(description="watch, read, do or discuss")] = None,
    skill: Annotated[str | None, Query(description="a skill code")] = None,
    tag: Annotated[str | None, Query(description="an interest tag")] = None,
) -> ContentList:
    """The content of your school, filtered by kind, modality, skill and tag."""
    views = resources.list_content(ctx, actor, kind=kind, modality=modality, skill=skill, tag=tag)
    return ContentList(data=[ContentPublic.of(v) for v in views])


@router.get("/content/{content_id}", response_model=ContentPublic)
def get_content(content_id: int, ctx: Ctx, actor: ApiActor) -> ContentPublic:
    """One piece of content of your school."""
    return ContentPublic.of(resources.get_content(ctx, actor, content_id))


@router.post("/content", response_model=ContentPublic, status_code=201)
def create_content(body: ContentCreate, ctx: Ctx, actor: ApiActor, response: Response) -> ContentPublic:
    """New content in your school (teachers and admins); 422 lists every field that is not valid."""
    require_role(actor, "teacher", "admin")
    changes, problems = _parse(body)
    if not changes.get("modality"):
        changes["modality"] = DEFAULT_MODALITY.get(changes.get("kind", ""), "")
    try:  # every rule problem too, not only those found while reading the fields
        content = Content(**{"grades": GradeBand(0, 0), **changes})
    except ValidationError as exc:
        problems += [e for e in exc.errors if e.field not in {p.field for p in problems}]
    if problems:
        raise ValidationError("the content is not valid", problems)
    view = resources.create_content(ctx, actor, content)
    response.headers["Location"] = f"/api/v1/content/{view.id}"
    return ContentPublic.of(view)


@router.patch("/content/{content_id}", response_model=ContentPublic)
def update_content(content_id: int, body: ContentUpdate, ctx: Ctx, actor: ApiActor) -> ContentPublic:
    """Change some fields of content (teachers and admins of its school)."""
    return ContentPublic.of(resources.update_content(ctx, actor, content_id, _changes(body)))
