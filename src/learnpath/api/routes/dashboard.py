"""The class dashboard (issue 7): alerts, heatmap with the frontier, weekly progress, item analysis; CSV."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, ConfigDict, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import ClassPublic
from learnpath.service import dashboard
from learnpath.service.dashboard import DashboardFilters

router = APIRouter(tags=["dashboard"])


class AlertRulesPublic(BaseModel):
    wrong_streak: int
    same_wrong: int
    inactive_days: int
    falling_drop: float
    falling_days: int


class AlertPublic(BaseModel):
    kind: str
    """repeated_errors, falling or inactive (the order of urgency)."""
    learner_id: int
    learner_name: str
    skill_code: str | None
    skill_name: str | None
    since: datetime | None
    """When it started: the first wrong answer of the run, the first day after the peak, the last answer."""
    action: str
    """Suggested action: reteach, misconception, review, check_in or get_started."""
    details: dict[str, Any]


class SkillColumnPublic(BaseModel):
    code: str
    name: str
    frontier: bool
    """The class is ready for it: its prerequisites are mastered by most of the class, it is not."""
    mastered_share: float


class DashboardCellPublic(BaseModel):
    learner_id: int
    skill_code: str
    p_mastery: float | None
    n_attempts: int
    level: str


class WeekPublic(BaseModel):
    week_end: date
    mean_p: float | None
    n_mastered: int
    mastered_per_learner: float


class ItemStatsPublic(BaseModel):
    id: int
    code: str
    prompt: str
    skills: list[str]
    n_attempts: int
    n_learners: int
    p_value: float
    """Share right on the learner's first attempt (classical difficulty: low is hard)."""
    p_correct: float
    median_s: float | None
    hint_share: float
    wrong_answers: list[tuple[str, int]]


class OptionPublic(BaseModel):
    value: str
    label: str


class FiltersPublic(BaseModel):
    skill: str | None
    goal: int | None
    group: int | None
    weeks: int


class DashboardPublic(BaseModel):
    class_: ClassPublic = Field(alias="class")
    filters: FiltersPublic
    rules: AlertRulesPublic
    learners: list[dict[str, Any]]
    skills: list[SkillColumnPublic]
    n_skills_in_scope: int
    cells: list[DashboardCellPublic]
    frontier: list[SkillColumnPublic]
    alerts: list[AlertPublic]
    progress: list[WeekPublic]
    items: list[ItemStatsPublic]
    skill_options: list[OptionPublic]
    goal_options: list[OptionPublic]
    group_options: list[OptionPublic]
    model_config = ConfigDict(populate_by_name=True)


SkillQ = Annotated[str | None, Query(max_length=100, description="A skill code: it and its prerequisites.")]
GoalQ = Annotated[int | None, Query(description="A goal id (from goal_options): its learners and skills.")]
GroupQ = Annotated[int | None, Query(description="A group id of the class: its learners.")]
WeeksQ = Annotated[int, Query(ge=1, le=dashboard.MAX_WEEKS, description="Weeks of history to read.")]


@router.get("/classes/{class_id}/dashboard", response_model=DashboardPublic, response_model_by_alias=True)
def class_dashboard(
    class_id: int,
    ctx: Ctx,
    actor: ApiActor,
    skill: SkillQ = None,
    goal: GoalQ = None,
    group: GroupQ = None,
    weeks: WeeksQ = 8,
) -> DashboardPublic:
    """The class dashboard: needs-help alerts (most urgent first), the heatmap with the class's frontier,
    weekly progress and question-level analysis, narrowed by skill, goal and group."""
    d = dashboard.class_dashboard(ctx, actor, class_id, DashboardFilters(skill, goal, group, weeks))
    shown = {c.code for c in d.skills}
    return DashboardPublic(
        class_=ClassPublic(**d.summary.__dict__),
        filters=FiltersPublic(**d.filters.__dict__),
        rules=AlertRulesPublic(**d.rules.__dict__),
        learners=[{"id": i, "name": n} for i, n in d.learners],
        skills=[SkillColumnPublic(**c.__dict__) for c in d.skills],
        n_skills_in_scope=d.n_skills_in_scope,
        cells=[
            DashboardCellPublic(
                learner_id=lid, skill_code=code, p_mastery=c.p_mastery, n_attempts=c.n_attempts, level=c.level
            )
            for (lid, code), c in sorted(d.cells.items())
            if code in shown
        ],
        frontier=[SkillColumnPublic(**c.__dict__) for c in d.frontier],
        alerts=[AlertPublic(**a.__dict__) for a in d.alerts],
        progress=[WeekPublic(**w.__dict__) for w in d.progress],
        items=[ItemStatsPublic(**i.__dict__) for i in d.items],
        skill_options=[OptionPublic(**o.__dict__) for o in d.skill_options],
        goal_options=[OptionPublic(**o.__dict__) for o in d.goal_options],
        group_options=[OptionPublic(**o.__dict__) for o in d.group_options],
    )


@router.get(
    "/classes/{class_id}/dashboard.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "The part as CSV, a header row first."}},
)
def class_dashboard_csv(
    class_id: int,
    ctx: Ctx,
    actor: ApiActor,
    part: Annotated[Literal["heatmap", "alerts", "items"], Query()] = "heatmap",
    skill: SkillQ = None,
    goal: GoalQ = None,
    group: GroupQ = None,
    weeks: WeeksQ = 8,
) -> Response:
    """One part of the dashboard as CSV: heatmap, alerts or items (cells that a spreadsheet would run as a
    formula start with an apostrophe)."""
    text = dashboard.dashboard_csv(ctx, actor, class_id, part, DashboardFilters(skill, goal, group, weeks))
    return csv_response(text, f"class-{class_id}-{part}.csv")


def csv_response(text: str, filename: str) -> Response:
    return Response(
        content=text.encode("utf-8-sig"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
