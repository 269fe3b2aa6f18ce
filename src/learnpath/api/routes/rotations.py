"""Station rotations: a class's stations, planning a rotation, reading it, moving learners by hand.

Teachers of the class and admins of its school; learners and families 403; others' classes and plans 404.
Stations, slots and violations are numbered from 1, as on the printed plan.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.service import rotations
from learnpath.service.rotations import ClassStation, Move, PlanViolation, RotationPlan, RotationSpec

router = APIRouter(tags=["rotations"])


class Strict(BaseModel):
    model_config = {"extra": "forbid"}


class StationIn(Strict):
    name: str = Field(max_length=200)
    modality: str = Field(
        max_length=40, description="teacher, practice, video, hands_on, collaborative or enrichment"
    )
    capacity: int = Field(description="learners at a time")
    minutes: int
    required: bool = Field(default=False, description="every learner visits it")
    notes: str = Field(
        default="", max_length=2000, description="materials and task, shown on its printed page"
    )

    def to_station(self) -> ClassStation:
        return ClassStation(self.name, self.modality, self.capacity, self.minutes, self.required, self.notes)


class StationPublic(BaseModel):
    number: int
    name: str
    modality: str
    capacity: int
    minutes: int
    required: bool
    notes: str


class StationsUpdate(Strict):
    stations: list[StationIn] = Field(max_length=50)


class StationList(BaseModel):
    data: list[StationPublic]


class RotationCreate(Strict):
    period_minutes: int = Field(description="the period's length in minutes")
    title: str = Field(default="", max_length=300)
    stations: list[StationIn] | None = Field(
        default=None, max_length=50, description="default: the class's saved stations"
    )
    skill_codes: list[str] = Field(
        default_factory=list,
        max_length=100,
        description="the lesson's skills; default: those half the learners practised",
    )
    learner_ids: list[int] | None = Field(
        default=None, max_length=500, description="default: the whole class"
    )
    needs: dict[int, str] = Field(
        default_factory=dict, description="learner id -> reteach, practice or enrich (overrides the data)"
    )


class MoveIn(Strict):
    learner_id: int
    slot: int = Field(description="slot number, from 1")
    station: int = Field(description="station number, from 1")


class RotationUpdate(Strict):
    moves: list[MoveIn] = Field(default_factory=list, max_length=500)
    reoptimise: bool = Field(default=False, description="re-plan everyone else around the hand-set cells")
    needs: dict[int, str] = Field(
        default_factory=dict,
        description="learner id -> reteach, practice or enrich; re-plans around kept cells",
    )


class SlotPublic(BaseModel):
    number: int
    start_minute: int
    end_minute: int


class PlanLearnerPublic(BaseModel):
    learner_id: int
    name: str
    need: str
    reason: dict[str, Any]
    stations: list[int]
    fixed_slots: list[int]


class ViolationPublic(BaseModel):
    kind: str
    hard: bool
    learner_ids: list[int]
    slot: int | None
    station: int | None
    count: int
    message: str


class RotationPublic(BaseModel):
    id: int
    class_id: int
    title: str
    period_minutes: int
    slot_minutes: int
    spare_minutes: int
    status: str
    objective: int
    bound: float
    gap: float
    solve_ms: int
    stations: list[StationPublic]
    slots: list[SlotPublic]
    learners: list[PlanLearnerPublic]
    violations: list[ViolationPublic]
    created_at: datetime | None
    updated_at: datetime | None


class RotationSummaryPublic(BaseModel):
    id: int
    title: str
    period_minutes: int
    n_stations: int
    n_learners: int
    status: str
    created_at: datetime


class RotationList(BaseModel):
    data: list[RotationSummaryPublic]


def _station(number: int, s: ClassStation) -> StationPublic:
    return StationPublic(
        number=number,
        name=s.name,
        modality=s.modality,
        capacity=s.capacity,
        minutes=s.minutes,
        required=s.required,
        notes=s.notes,
    )


def _message(v: PlanViolation, plan: RotationPlan) -> str:
    who = ", ".join(v.learner_names)
    where = f" at {plan.stations[v.station].name}" if v.station is not None else ""
    when = f" in slot {v.slot + 1}" if v.slot is not None else ""
    return {
        "capacity": f"{v.count} more than the seats{where}{when}: {who}",
        "apart": f"kept apart but together{where}{when}: {who}",
        "split": f"{who} is{where} for part of its length only, from slot {(v.slot or 0) + 1}",
        "repeat": f"{who} visits{where} {v.count} times",
        "required": f"{who} never visits{where}, which everyone should",
        "missing": f"{who} has no station in some slot",
        "together": f"kept together but never at the same station: {who}",
    }.get(v.kind, v.kind)


def _public(plan: RotationPlan) -> RotationPublic:
    return RotationPublic(
        id=plan.id,
        class_id=plan.class_id,
        title=plan.title,
        period_minutes=plan.period_minutes,
        slot_minutes=plan.slot_minutes,
        spare_minutes=plan.spare_minutes,
        status=plan.status,
        objective=plan.objective,
        bound=plan.bound,
        gap=round(plan.gap, 4),
        solve_ms=plan.solve_ms,
        stations=[_station(i + 1, s) for i, s in enumerate(plan.stations)],
        slots=[
            SlotPublic(number=i + 1, start_minute=a, end_minute=b)
            for i, (a, b) in enumerate(plan.slot_times())
        ],
        learners=[
            PlanLearnerPublic(
                learner_id=p.learner_id,
                name=p.name,
                need=p.need,
                reason=p.reason,
                stations=[s + 1 for s in p.stations],
                fixed_slots=[t + 1 for t in p.fixed_slots],
            )
            for p in plan.learners
        ],
        violations=[
            ViolationPublic(
                kind=v.kind,
                hard=v.hard,
                learner_ids=list(v.learner_ids),
                slot=None if v.slot is None else v.slot + 1,
                station=None if v.station is None else v.station + 1,
                count=v.count,
                message=_message(v, plan),
            )
            for v in plan.violations
        ],
        created_at=plan.created_at,
        updated_at=plan.updated_at,
    )


@router.get("/classes/{class_id}/stations", response_model=StationList)
def get_stations(class_id: int, ctx: Ctx, actor: ApiActor) -> StationList:
    """The class's saved stations, in order."""
    stations = rotations.stations_of(ctx, actor, class_id)
    return StationList(data=[_station(i + 1, s) for i, s in enumerate(stations)])


@router.put("/classes/{class_id}/stations", response_model=StationList)
def put_stations(class_id: int, body: StationsUpdate, ctx: Ctx, actor: ApiActor) -> StationList:
    """Replace the class's stations (an empty list clears them); 422 names every bad field."""
    stations = rotations.save_stations(ctx, actor, class_id, [s.to_station() for s in body.stations])
    return StationList(data=[_station(i + 1, s) for i, s in enumerate(stations)])


@router.get("/classes/{class_id}/rotations", response_model=RotationList)
def list_rotations(class_id: int, ctx: Ctx, actor: ApiActor) -> RotationList:
    """The class's saved rotations, newest first."""
    return RotationList(
        data=[RotationSummaryPublic(**r.__dict__) for r in rotations.list_rotations(ctx, actor, class_id)]
    )


@router.post("/classes/{class_id}/rotations", response_model=RotationPublic, status_code=201)
def create_rotation(
    class_id: int, body: RotationCreate, ctx: Ctx, actor: ApiActor, response: Response
) -> RotationPublic:
    """Plan and save a rotation (201, Location header); 422 names bad input or the rule that makes it impossible."""
    spec = RotationSpec(
        body.period_minutes,
        None if body.stations is None else tuple(s.to_station() for s in body.stations),
        body.title,
        tuple(body.skill_codes),
    )
    plan = rotations.plan_rotation(ctx, actor, class_id, spec, learner_ids=body.learner_ids, needs=body.needs)
    response.headers["Location"] = f"/api/v1/rotations/{plan.id}"
    return _public(plan)


@router.get("/rotations/{rotation_id}", response_model=RotationPublic)
def get_rotation(rotation_id: int, ctx: Ctx, actor: ApiActor) -> RotationPublic:
    """A saved rotation, re-checked against the class's current pair rules."""
    return _public(rotations.get_rotation(ctx, actor, rotation_id))


@router.patch("/rotations/{rotation_id}", response_model=RotationPublic)
def patch_rotation(rotation_id: int, body: RotationUpdate, ctx: Ctx, actor: ApiActor) -> RotationPublic:
    """Hand moves (kept fixed), re-checked; ``reoptimise`` (or changed ``needs``) re-plans the rest around them."""
    moves = [Move(m.learner_id, m.slot - 1, m.station - 1) for m in body.moves]
    plan = rotations.adjust_rotation(
        ctx, actor, rotation_id, moves, reoptimise=body.reoptimise, needs=body.needs
    )
    return _public(plan)


@router.delete("/rotations/{rotation_id}", status_code=204, response_class=Response)
def delete_rotation(rotation_id: int, ctx: Ctx, actor: ApiActor) -> Response:
    """Delete a saved rotation (the class's stations stay). Afterwards it is 404 everywhere."""
    rotations.delete_rotation(ctx, actor, rotation_id)
    return Response(status_code=204)
