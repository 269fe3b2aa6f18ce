"""The teacher's "To mark" page: answers only a teacher can score (QTI extended text), and the form to score them."""

from __future__ import annotations

import json
import math
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, ValidationError
from learnpath.service import classes, scoring
from learnpath.web.deps import Ctx, SignedIn, check_csrf
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)


def answer_text(response: str) -> str:
    """A stored answer as the learner wrote it (QTI answers are kept as JSON by response identifier)."""
    try:
        decoded = json.loads(response)
    except ValueError:
        return response
    if isinstance(decoded, dict):
        parts = [
            v if isinstance(v, str) else "\n".join(map(str, v)) if isinstance(v, list) else str(v)
            for v in decoded.values()
            if v is not None
        ]
        return "\n\n".join(parts)
    return response


@router.get("/classes/{class_id}/to-mark")
def to_mark(request: Request, ctx: Ctx, user: SignedIn, class_id: int, scored: int = 0) -> Response:
    """The class's answers that wait for a teacher's score, oldest first, each with a form."""
    answers = scoring.answers_to_mark(ctx, user.actor, class_id)
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    context = {
        "overview": overview,
        "answers": [(a, answer_text(a.response)) for a in answers],
        "scored": scored > 0,
    }
    return render(request, "to_mark.html", context, user=user)


def _points(value: str) -> float:
    try:
        points = float(value.strip().replace(",", "."))
    except ValueError:
        points = math.nan
    if not math.isfinite(points):
        raise ValidationError("the points are not a number", [FieldError("points", "expected a number")])
    return points


@router.post("/classes/{class_id}/to-mark/{attempt_id}")
async def score(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    attempt_id: int,
    points: Annotated[str, Form(max_length=20)] = "",
    comment: Annotated[str, Form(max_length=scoring.MAX_COMMENT_CHARS)] = "",
) -> Response:
    """Score one answer of the class, then back to the list."""
    await check_csrf(request, user)
    scoring.count_to_mark(ctx, user.actor, class_id)  # the class must be the teacher's (404 otherwise)
    scoring.score_answer(ctx, user.actor, attempt_id, _points(points), comment)
    return RedirectResponse(f"/classes/{class_id}/to-mark?scored=1", status_code=303)
