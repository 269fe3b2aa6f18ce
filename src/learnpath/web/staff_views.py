"""Pages for teachers, admins and families: classes, a class's goals and latest answers, children, the school."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.service import classes, models, roster, scoring
from learnpath.service.access import require_role
from learnpath.web.charts import mastery_summary
from learnpath.web.deps import Ctx, SignedIn
from learnpath.web.family_work import work_rows
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)


@router.get("/classes")
def class_list(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """The classes a teacher teaches, or all classes of an admin's school."""
    require_role(user.actor, "teacher", "admin")
    return render(request, "classes.html", {"classes": classes.list_classes(ctx, user.actor)}, user=user)


@router.get("/classes/{class_id}")
def class_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """Who is struggling on what, goals for several learners at once, and the latest answers; the mastery
    heatmap is on the class dashboard (this page sums it up and links there)."""
    overview = classes.class_overview(ctx, user.actor, class_id)
    context = {
        "overview": overview,
        "mastery": mastery_summary(overview),
        "to_mark": scoring.count_to_mark(ctx, user.actor, class_id),
    }
    return render(request, "class.html", context, user=user)


@router.get("/family")
def family(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """A family member's children, each with the work their teachers gave (due date, done or not); with one
    child, straight to that child's progress (which lists the same work)."""
    require_role(user.actor, "family")
    learners = roster.list_learners(ctx, user.actor)
    if len(learners) == 1:
        return RedirectResponse(f"/learners/{learners[0].id}", status_code=303)
    work = {lr.id: work_rows(ctx, user, lr.id) for lr in learners}
    return render(request, "family.html", {"learners": learners, "work": work}, user=user)


@router.get("/admin")
def admin(request: Request, ctx: Ctx, user: SignedIn) -> Response:
    """Counts of the admin's school and the learner-model versions."""
    school = roster.school_overview(ctx, user.actor)
    versions = models.list_model_versions(ctx, user.actor)
    return render(request, "admin.html", {"school": school, "versions": versions}, user=user)
