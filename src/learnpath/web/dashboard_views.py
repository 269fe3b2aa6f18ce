"""The class dashboard page (issue 7): the teacher's main class screen, filters by htmx, CSV downloads.

``/classes/{id}/dashboard`` renders the whole page; with htmx (the filter form) only its body, so a filter
changes the view without a reload and the address keeps the filters (``hx-push-url``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from learnpath.errors import FieldError, ValidationError
from learnpath.orchestrate.dashboard import WeekPoint
from learnpath.service import dashboard
from learnpath.service.dashboard import DashboardFilters
from learnpath.web.charts import band, percent
from learnpath.web.deps import Ctx, SignedIn
from learnpath.web.render import is_htmx, render

__all__ = ["ProgressChart", "filters_from", "progress_chart", "router"]

router = APIRouter(include_in_schema=False)


def _int(name: str, raw: str | None) -> int | None:
    if raw is None or raw.strip() == "":
        return None
    try:
        return int(raw)
    except ValueError:
        raise ValidationError(
            f"the dashboard filter {name!r} is not valid", [FieldError(name, f"a number, got {raw!r}")]
        ) from None


def filters_from(
    skill: str | None, goal: str | None, group: str | None, weeks: str | None
) -> DashboardFilters:
    """Filters from the page's query (empty means "all"); a bad number is a ValidationError naming it."""
    return DashboardFilters(
        skill=(skill or "").strip() or None,
        goal=_int("goal", goal),
        group=_int("group", group),
        weeks=_int("weeks", weeks) or 8,
    )


@dataclass(frozen=True)
class ChartBar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    mean_pct: int | None
    line_y: float | None


@dataclass(frozen=True)
class ProgressChart:
    width: int
    height: int
    top: int
    bottom: int
    left: int
    scale_max: int
    bars: list[ChartBar]
    line: str
    """SVG polyline points of the mean mastery (weeks with evidence only)."""


def progress_chart(points: list[WeekPoint], width: int = 640, height: int = 220) -> ProgressChart:
    """Bars: skills mastered per learner at each week's end; a line: the mean mastery in percent."""
    left, right, top, bottom = 44, 44, 16, 34
    plot_w, plot_h = width - left - right, height - top - bottom
    scale_max = max(1, math.ceil(max((p.mastered_per_learner for p in points), default=0)))
    slot = plot_w / max(len(points), 1)
    bars, line = [], []
    for i, p in enumerate(points):
        h = plot_h * p.mastered_per_learner / scale_max
        x = left + i * slot + slot * 0.2
        mean = None if p.mean_p is None else percent(p.mean_p)
        line_y = None if mean is None else top + plot_h * (1 - mean / 100)
        if line_y is not None:
            line.append(f"{x + slot * 0.3:.1f},{line_y:.1f}")
        bars.append(
            ChartBar(
                round(x, 1),
                round(top + plot_h - h, 1),
                round(slot * 0.6, 1),
                round(h, 1),
                p.week_end.strftime("%m-%d"),
                round(p.mastered_per_learner, 1),
                mean,
                None if line_y is None else round(line_y, 1),
            )
        )
    return ProgressChart(width, height, top, bottom, left, scale_max, bars, " ".join(line))


Text = Annotated[str | None, Query(max_length=100)]


@router.get("/classes/{class_id}/dashboard")
def dashboard_page(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    skill: Text = None,
    goal: Text = None,
    group: Text = None,
    weeks: Text = None,
) -> Response:
    """Who needs help, on what, since when; the heatmap with the class's frontier; progress; item analysis."""
    filters = filters_from(skill, goal, group, weeks)
    d = dashboard.class_dashboard(ctx, user.actor, class_id, filters)
    query = urlencode(
        [(k, v) for k, v in (("skill", filters.skill), ("goal", filters.goal), ("group", filters.group)) if v]
    )
    context = {"d": d, "chart": progress_chart(d.progress), "band_of": band, "filter_query": query}
    template = "_dashboard_body.html" if is_htmx(request) else "dashboard.html"
    return render(request, template, context, user=user)


@router.get("/classes/{class_id}/dashboard.csv")
def dashboard_csv(
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    part: Text = "heatmap",
    skill: Text = None,
    goal: Text = None,
    group: Text = None,
    weeks: Text = None,
) -> Response:
    """A part of the dashboard (heatmap, alerts, items) as a CSV download."""
    filters = filters_from(skill, goal, group, weeks)
    text = dashboard.dashboard_csv(ctx, user.actor, class_id, part or "heatmap", filters)
    return Response(
        content=text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="class-{class_id}-{part}.csv"'},
    )
