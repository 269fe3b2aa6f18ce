"""A learner's portfolio of work (issue 6): list and add work (JSON for links and texts, multipart for files),
its file, teachers' feedback and scores, removal, and the zip export."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError
from starlette.datastructures import UploadFile

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.errors import field_errors_from_pydantic
from learnpath.api.routes.learners import mastery_public
from learnpath.api.schemas import SkillChangePublic, Strict
from learnpath.core import portfolio as rules
from learnpath.errors import FieldError, ValidationError
from learnpath.service import portfolio
from learnpath.service.portfolio_export import export_portfolio, zip_chunks
from learnpath.web.portfolio_views import export_index, file_response
from learnpath.web.uploads import read_form

router = APIRouter(tags=["portfolio"])


class WorkCreate(Strict):
    kind: str = Field(description="link or text (a file is sent as multipart/form-data)")
    title: str = Field(max_length=rules.MAX_TITLE_CHARS)
    reflection: str = Field(default="", max_length=rules.MAX_REFLECTION_CHARS)
    body: str = Field(default="", max_length=rules.MAX_BODY_CHARS, description="the text of a text piece")
    url: str = Field(default="", max_length=rules.MAX_URL_CHARS, description="the address of a link")
    goals: list[int] = Field(default_factory=list, max_length=rules.MAX_LINKS)
    skills: list[str] = Field(default_factory=list, max_length=rules.MAX_LINKS)


class WorkFilePublic(BaseModel):
    url: str
    media_type: str
    size_bytes: int | None
    name: str


class GoalRef(BaseModel):
    id: int
    title: str


class SkillRef(BaseModel):
    code: str
    name: str


class FeedbackPublic(BaseModel):
    id: int
    author: str | None
    comment: str
    goal_id: int | None
    rubric: list[dict[str, Any]] | None
    judgements: dict[str, str] | None
    score: float | None = Field(description="0..1; half or more counts as the skills shown")
    created_at: str


class WorkPublic(BaseModel):
    id: int
    learner_id: int
    kind: str
    title: str
    reflection: str
    body: str
    url: str
    file: WorkFilePublic | None
    added_by: str | None
    created_at: str
    goals: list[GoalRef]
    skills: list[SkillRef]
    feedback: list[FeedbackPublic]


class WorkList(BaseModel):
    data: list[WorkPublic]


class FeedbackCreate(Strict):
    comment: str = Field(default="", max_length=rules.MAX_COMMENT_CHARS)
    goal_id: int | None = Field(default=None, description="the linked goal whose rubric is scored")
    rubric: dict[str, float] | None = Field(
        default=None, description="points per criterion id of the goal's rubric (all criteria)"
    )
    judgements: dict[str, str] | None = Field(
        default=None, description="per skill code: 'shows' or 'not_yet'"
    )


class FeedbackResultPublic(BaseModel):
    feedback: FeedbackPublic
    skills: list[SkillChangePublic]


def _public(view: portfolio.WorkView) -> WorkPublic:
    return WorkPublic.model_validate(view.to_dict())


@router.get("/learners/{learner_id}/portfolio", response_model=WorkList)
def list_work(learner_id: int, ctx: Ctx, actor: ApiActor) -> WorkList:
    """A learner's work, newest first, with reflections, links, files and feedback (everyone who may see
    the learner)."""
    return WorkList(data=[_public(v) for v in portfolio.list_work(ctx, actor, learner_id)])


_UPLOAD_DOC: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {"schema": WorkCreate.model_json_schema()},
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file", "title"],
                    "properties": {
                        "file": {"type": "string", "format": "binary"},
                        "title": {"type": "string"},
                        "reflection": {"type": "string"},
                        "goals": {"type": "array", "items": {"type": "integer"}},
                        "skills": {"type": "array", "items": {"type": "string"}},
                    },
                }
            },
        },
    }
}


def _split(values: list[str]) -> list[str]:
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def _goal_ids(values: list[str]) -> list[int]:
    out = []
    for v in _split(values):
        if not v.isdigit():
            raise ValidationError.for_field("goals", f"goal ids are whole numbers, got {v!r}")
        out.append(int(v))
    return out


@router.post(
    "/learners/{learner_id}/portfolio",
    response_model=WorkPublic,
    status_code=201,
    openapi_extra=_UPLOAD_DOC,
)
async def add_work(learner_id: int, request: Request, ctx: Ctx, actor: ApiActor) -> WorkPublic:
    """Add work: a link or a text as JSON, or a file (image, PDF, audio, video; judged from its bytes) as
    multipart/form-data with ``file``, ``title``, ``reflection``, ``goals`` and ``skills``. The learner and
    their teachers add; a family member may not (403)."""
    content_type = request.headers.get("content-type", "")
    if content_type.startswith("multipart/form-data"):
        request = await read_form(request, ctx.settings.portfolio_max_mb, max_files=1, max_fields=60)
        form = await request.form()
        try:
            upload = form.get("file")
            text = {k: str(form.get(k) or "") for k in ("title", "reflection")}
            goals = _goal_ids([str(v) for v in form.getlist("goals")])
            skills = _split([str(v) for v in form.getlist("skills")])
            if not isinstance(upload, UploadFile):
                raise ValidationError.for_field("file", "send the file in the form field 'file'")
            view = await run_in_threadpool(
                lambda: portfolio.add_work(
                    ctx,
                    actor,
                    learner_id,
                    kind="file",
                    title=text["title"],
                    reflection=text["reflection"],
                    goal_ids=goals,
                    skill_codes=skills,
                    stream=upload.file,
                    file_name=upload.filename or "",
                )
            )
        finally:
            await form.close()
        return _public(view)
    try:
        raw = await request.json()
        body = WorkCreate.model_validate(raw)
    except json.JSONDecodeError as exc:
        raise ValidationError.for_field("body", f"is not JSON: {exc.msg}") from exc
    except PydanticError as exc:
        raise ValidationError("the work cannot be added", field_errors_from_pydantic(exc.errors())) from exc
    if body.kind == "file":
        raise ValidationError(
            "the work cannot be added",
            [FieldError("kind", "send a file as multipart/form-data with the field 'file'")],
        )
    view = await run_in_threadpool(
        lambda: portfolio.add_work(
            ctx,
            actor,
            learner_id,
            kind=body.kind,
            title=body.title,
            reflection=body.reflection,
            body=body.body,
            url=body.url,
            goal_ids=body.goals,
            skill_codes=body.skills,
        )
    )
    return _public(view)


@router.get("/portfolio/{work_id}/file", response_class=Response)
def work_file(
    work_id: int,
    ctx: Ctx,
    actor: ApiActor,
    download: Annotated[bool, Query(description="send as an attachment, not to show")] = False,
) -> Response:
    """The file of a piece of work (everyone who may see the learner). Images, audio and video are sent to
    be shown, PDFs as attachments; never as HTML (types are judged from the bytes when stored)."""
    return file_response(portfolio.work_file(ctx, actor, work_id), download)


@router.post("/portfolio/{work_id}/feedback", response_model=FeedbackResultPublic, status_code=201)
def give_feedback(work_id: int, body: FeedbackCreate, ctx: Ctx, actor: ApiActor) -> FeedbackResultPublic:
    """A teacher's feedback (teachers of the learner, admins): a comment, and once per piece a score against
    a linked goal's rubric or a judgement per skill, which the learner model takes as evidence. The learner
    and their family are notified."""
    result = portfolio.give_feedback(
        ctx,
        actor,
        work_id,
        comment=body.comment,
        goal_id=body.goal_id,
        rubric=body.rubric,
        judgements=body.judgements,
    )
    f = result.feedback
    return FeedbackResultPublic(
        feedback=FeedbackPublic(
            id=f.id,
            author=f.author,
            comment=f.comment,
            goal_id=f.goal_id,
            rubric=f.rubric,
            judgements=f.judgements,
            score=f.score,
            created_at=f.created_at.isoformat(),
        ),
        skills=[
            SkillChangePublic(skill=mastery_public(p), p_mastery_before=before) for p, before in result.skills
        ],
    )


@router.delete("/portfolio/{work_id}", status_code=204, response_class=Response)
def delete_work(work_id: int, ctx: Ctx, actor: ApiActor) -> Response:
    """Remove a piece of work and its file (the learner, their teachers, admins; a family member 403)."""
    portfolio.delete_work(ctx, actor, work_id)
    return Response(status_code=204)


@router.get("/learners/{learner_id}/portfolio/export", response_class=Response)
def export(learner_id: int, ctx: Ctx, actor: ApiActor) -> Response:
    """The whole portfolio as a zip (``index.html`` and ``files/``), written as it is sent."""
    data = export_portfolio(ctx, actor, learner_id)
    html = export_index(data, actor.locale)
    return StreamingResponse(
        zip_chunks(ctx.files(), data, html),
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{data.filename}"'},
    )
