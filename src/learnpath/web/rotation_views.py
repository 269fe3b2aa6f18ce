"""Station rotation pages for teachers: describe the stations and plan (``/classes/{id}/rotation``), the plan as
a grid and per learner with hand moves (``/classes/{id}/rotation/{plan_id}``), and its print version (a page
per station and a page per learner).

Errors from the service are turned into short descriptions (kind + numbers) that the templates word in the
reader's language.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import NotFoundError, ValidationError
from learnpath.orchestrate.rotation import MAX_STATIONS, MODALITIES
from learnpath.service import classes, groups, rotations
from learnpath.service.access import require_role
from learnpath.service.rotations import ClassStation, Move, RotationPlan, RotationSpec
from learnpath.web.deps import Ctx, SignedIn, WebUser, check_csrf
from learnpath.web.render import render

__all__ = ["router"]

router = APIRouter(include_in_schema=False)

BLANK_ROWS = 2
DEFAULT_PERIOD = 45
# A usual set to start from when a class has no stations yet (names are worded in the template): four
# 15-minute stations, so in the default 45 minutes each learner visits the three that serve them best;
# seats for a third of the class at each (a quarter at the teacher table).
STARTER: list[tuple[str, str, int]] = [
    ("teacher", "teacher", 4),
    ("practice", "practice", 3),
    ("video", "video", 3),
    ("hands_on", "hands_on", 3),
]
_FIELD = re.compile(r"stations\[(\d+)\]\.(\w+)")
_PATTERNS: list[tuple[str, re.Pattern[str], tuple[str, ...]]] = [
    ("seats", re.compile(r"seat (\d+) learners at a time, but (\d+)"), ("seats", "n")),
    (
        "fill",
        re.compile(r"fills (\d+) slots of (\d+) minutes \(the period has (\d+)\)"),
        ("slots", "slot", "period"),
    ),
    ("too_many_slots", re.compile(r"into (\d+) slots of (\d+) minutes"), ("slots", "slot")),
    ("no_fit", re.compile(r"(\d+) minutes do not fit in a period of (\d+)"), ("minutes", "period")),
    ("apart", re.compile(r"keep-apart rules cannot all be kept"), ()),
    ("fixed", re.compile(r"set by hand cannot all be kept"), ()),
    ("impossible", re.compile(r"leave no way to seat everyone"), ()),
    ("timeout", re.compile(r"no rotation was found within"), ()),
    ("no_stations", re.compile(r"describe (the stations first|at least one station)"), ()),
]


def _problems(exc: ValidationError, rows: list[int] | None = None) -> list[dict[str, Any]]:
    """What went wrong, as {kind, ...numbers} the templates word; ``rows`` maps station index -> form row."""
    out: list[dict[str, Any]] = []
    for e in exc.errors or []:
        field = _FIELD.fullmatch(e.field)
        if field:
            k = int(field.group(1))
            row = rows[k] if rows and k < len(rows) else k
            what = field.group(2)
            problem: dict[str, Any] = {"kind": "station_field", "row": row + 1, "what": what}
            if what == "minutes" and (m := _PATTERNS[3][1].search(e.message)):
                problem = {
                    "kind": "no_fit",
                    "row": row + 1,
                    "minutes": int(m.group(1)),
                    "period": int(m.group(2)),
                }
            out.append(problem)
            continue
        for kind, pattern, names in _PATTERNS:
            if m := pattern.search(e.message):
                out.append({"kind": kind, **{n: int(v) for n, v in zip(names, m.groups(), strict=False)}})
                break
        else:
            root = e.field.split(".")[0].split("[")[0]
            out.append({"kind": "field", "what": root})
    return out or [{"kind": "field", "what": ""}]


def _int(value: object) -> int | None:
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if re.fullmatch(r"-?\d{1,6}", text) else None


def _form_stations(
    form: Any,
) -> tuple[list[dict[str, Any]], list[ClassStation], list[int], list[dict[str, Any]]]:
    """Rows as typed (to show again), the stations of the non-blank rows, their row numbers, number problems."""
    typed: list[dict[str, Any]] = []
    stations: list[ClassStation] = []
    rows: list[int] = []
    problems: list[dict[str, Any]] = []
    for i in range(MAX_STATIONS + BLANK_ROWS):
        name = str(form.get(f"name_{i}", "")).strip()
        if f"name_{i}" not in form:
            continue
        modality = str(form.get(f"modality_{i}", "practice"))
        required = bool(form.get(f"required_{i}"))
        notes = str(form.get(f"notes_{i}", "")).strip()
        capacity_text = str(form.get(f"capacity_{i}", "")).strip()
        minutes_text = str(form.get(f"minutes_{i}", "")).strip()
        typed.append(
            {
                "name": name,
                "modality": modality,
                "capacity": capacity_text,
                "minutes": minutes_text,
                "required": required,
                "notes": notes,
            }
        )
        if not name:
            continue
        capacity, minutes = _int(capacity_text), _int(minutes_text)
        if capacity is None:
            problems.append({"kind": "station_field", "row": len(typed), "what": "capacity"})
        if minutes is None:
            problems.append({"kind": "station_field", "row": len(typed), "what": "minutes"})
        stations.append(ClassStation(name, modality, capacity or 0, minutes or 0, required, notes))
        rows.append(len(typed) - 1)
    return typed, stations, rows, problems


def _rows_of(stations: list[ClassStation]) -> list[dict[str, Any]]:
    return [
        {
            "name": s.name,
            "modality": s.modality,
            "capacity": str(s.capacity),
            "minutes": str(s.minutes),
            "required": s.required,
            "notes": s.notes,
        }
        for s in stations
    ]


def _page(
    request: Request,
    ctx: Ctx,
    user: WebUser,
    class_id: int,
    *,
    typed: list[dict[str, Any]] | None = None,
    problems: list[dict[str, Any]] | None = None,
    period: str = "",
    title: str = "",
    chosen: list[str] | None = None,
    group: str = "",
    status: int = 200,
    heading: str = "",
) -> Response:
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    saved = rotations.stations_of(ctx, user.actor, class_id)
    starter = not saved and typed is None
    rows = typed if typed is not None else _rows_of(saved)
    if starter:
        n = max(1, len(overview.learners))
        rows = [
            {
                "name": "",
                "starter": key,
                "modality": m,
                "capacity": str(max(2, -(-n // share))),
                "minutes": "15",
                "required": False,
                "notes": "",
            }
            for key, m, share in STARTER
        ]
    rows = [
        *rows,
        *(
            {
                "name": "",
                "modality": "practice",
                "capacity": "",
                "minutes": "",
                "required": False,
                "notes": "",
            }
            for _ in range(BLANK_ROWS)
        ),
    ]
    context = {
        "overview": overview,
        "rows": rows[: MAX_STATIONS + BLANK_ROWS],
        "starter": starter,
        "modalities": MODALITIES,
        "problems": problems or [],
        "period": period or str(DEFAULT_PERIOD),
        "title": title,
        "chosen": chosen or [],
        "groups": groups.list_groups(ctx, user.actor, class_id, "group"),
        "group": group,
        "plans": rotations.list_rotations(ctx, user.actor, class_id),
        "saved": request.query_params.get("saved") == "1",
        "deleted": request.query_params.get("deleted") == "1",
        "problem_heading": heading,
    }
    return render(request, "rotation.html", context, status=status, user=user)


@router.get("/classes/{class_id}/rotation")
def rotation_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """The class's stations (a usual set of four to start from), the period, and the saved plans."""
    return _page(request, ctx, user, class_id)


@router.post("/classes/{class_id}/rotation")
async def rotation_post(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """Save the stations; with ``action=plan`` also plan a rotation and open it."""
    await check_csrf(request, user)
    require_role(user.actor, "teacher", "admin")
    form = await request.form()
    typed, stations, rows, problems = _form_stations(form)
    period = str(form.get("period_minutes", "")).strip()
    title = str(form.get("title", "")).strip()
    chosen = [str(c) for c in form.getlist("skill_codes") if str(c).strip()]
    group = str(form.get("group_id", "")).strip()

    def again(problems: list[dict[str, Any]], heading: str) -> Response:
        return _page(
            request, ctx, user, class_id, typed=typed, problems=problems, period=period, title=title,
            chosen=chosen, group=group, status=422, heading=heading,
        )  # fmt: skip

    if problems:
        return again(problems, "stations")
    try:
        rotations.save_stations(ctx, user.actor, class_id, stations)
    except ValidationError as exc:
        return again(_problems(exc, rows), "stations")
    if form.get("action") != "plan":
        return RedirectResponse(f"/classes/{class_id}/rotation?saved=1", status_code=303)
    minutes = _int(period)
    if minutes is None:
        return again([{"kind": "field", "what": "period_minutes"}], "plan")
    learner_ids = None
    if group:
        saved = {str(g.id): g for g in groups.list_groups(ctx, user.actor, class_id, "group")}
        if group not in saved:
            return again([{"kind": "field", "what": "group"}], "plan")
        learner_ids = [m.learner_id for m in saved[group].members]
    try:
        plan = rotations.plan_rotation(
            ctx,
            user.actor,
            class_id,
            RotationSpec(minutes, title=title, skill_codes=tuple(chosen)),
            learner_ids=learner_ids,
        )
    except ValidationError as exc:
        return again(_problems(exc, rows), "plan")
    return RedirectResponse(f"/classes/{class_id}/rotation/{plan.id}", status_code=303)


def _plan(ctx: Ctx, user: WebUser, class_id: int, plan_id: int) -> RotationPlan:
    require_role(user.actor, "teacher", "admin")
    plan = rotations.get_rotation(ctx, user.actor, plan_id)
    if plan.class_id != class_id:
        raise NotFoundError(f"no rotation with id {plan_id} in class {class_id}")
    return plan


def _plan_context(plan: RotationPlan, start: str = "") -> dict[str, Any]:
    clock = None
    if re.fullmatch(r"([01]?\d|2[0-3]):[0-5]\d", start):
        clock = datetime.strptime(start, "%H:%M")
    times = []
    for a, b in plan.slot_times():
        if clock is not None:
            times.append(
                (
                    (clock + timedelta(minutes=a)).strftime("%H:%M"),
                    (clock + timedelta(minutes=b)).strftime("%H:%M"),
                )
            )
        else:
            times.append((str(a), str(b)))
    return {"plan": plan, "times": times, "clock": clock is not None, "start": start if clock else ""}


@router.get("/classes/{class_id}/rotation/{plan_id}")
def plan_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int, plan_id: int) -> Response:
    """The plan: slots x stations with names, each learner's row and need, rules broken, hand moves."""
    plan = _plan(ctx, user, class_id, plan_id)
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    context = {
        **_plan_context(plan),
        "overview": overview,
        "problems": [],
        "moved": request.query_params.get("moved", ""),
    }
    return render(request, "rotation_plan.html", context, user=user)


@router.get("/classes/{class_id}/rotation/{plan_id}/print")
def print_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int, plan_id: int) -> Response:
    """The plan to print: a page per station (who comes when) and a page per learner (where to go when)."""
    plan = _plan(ctx, user, class_id, plan_id)
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    context = {**_plan_context(plan, request.query_params.get("start", "")), "overview": overview}
    return render(request, "rotation_print.html", context, user=user)


@router.get("/classes/{class_id}/rotation/{plan_id}/delete")
def delete_page(request: Request, ctx: Ctx, user: SignedIn, class_id: int, plan_id: int) -> Response:
    """The confirm step before a plan is deleted: what goes (the plan, its print page) and what stays."""
    plan = _plan(ctx, user, class_id, plan_id)
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    return render(request, "rotation_delete.html", {"plan": plan, "overview": overview}, user=user)


@router.post("/classes/{class_id}/rotation/{plan_id}/delete")
async def delete_plan(request: Request, ctx: Ctx, user: SignedIn, class_id: int, plan_id: int) -> Response:
    """Delete the plan (confirmed); back to the class's stations and saved plans."""
    await check_csrf(request, user)
    plan = _plan(ctx, user, class_id, plan_id)
    rotations.delete_rotation(ctx, user.actor, plan.id)
    return RedirectResponse(f"/classes/{class_id}/rotation?deleted=1", status_code=303)


@router.post("/classes/{class_id}/rotation/{plan_id}/move")
async def move(request: Request, ctx: Ctx, user: SignedIn, class_id: int, plan_id: int) -> Response:
    """Move a learner to a station from a slot (kept by hand); re-check, or re-plan the others around it.
    ``action=needs`` sets learners' needs (``need_<learner id>``) and plans again around the kept cells."""
    await check_csrf(request, user)
    plan = _plan(ctx, user, class_id, plan_id)
    form = await request.form()
    action = str(form.get("action", "move"))
    moves: list[Move] = []
    needs: dict[int, str] = {}
    if action == "needs":
        needs = {
            p.learner_id: str(form.get(f"need_{p.learner_id}", p.need))
            for p in plan.learners
            if str(form.get(f"need_{p.learner_id}", p.need)) != p.need
        }
    elif action != "replan":
        learner, slot, station = (_int(form.get(k)) for k in ("learner_id", "slot", "station"))
        moves = [Move(learner if learner is not None else -1, (slot or 0) - 1, (station or 0) - 1)]
    try:
        rotations.adjust_rotation(ctx, user.actor, plan.id, moves, reoptimise=action != "move", needs=needs)
    except ValidationError as exc:
        overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
        context = {**_plan_context(plan), "overview": overview, "problems": _problems(exc), "moved": ""}
        return render(request, "rotation_plan.html", context, status=422, user=user)
    return RedirectResponse(f"/classes/{class_id}/rotation/{plan.id}?moved={action}", status_code=303)
