"""Learner-model versions (admins): what ``learnpath fit`` stored, which one is active, and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from learnpath.api.deps import ApiActor, Ctx
from learnpath.service import models

router = APIRouter(tags=["school"])


class ModelVersionPublic(BaseModel):
    id: int
    name: str
    active: bool
    accepted: bool
    reason: str | None
    metrics: dict[str, Any]
    created_at: datetime


class ModelVersionsPublic(BaseModel):
    active_id: int | None
    """None: nothing fitted yet; the app runs the cold-start model of the settings."""
    cold_start_model: str
    versions: list[ModelVersionPublic]


@router.get("/school/models", response_model=ModelVersionsPublic)
def model_versions(ctx: Ctx, actor: ApiActor) -> ModelVersionsPublic:
    """Stored learner-model versions, newest first, with their held-out metrics and which one is active."""
    found = models.list_model_versions(ctx, actor)
    return ModelVersionsPublic(
        active_id=next((v.id for v in found if v.active), None),
        cold_start_model=ctx.settings.model,
        versions=[ModelVersionPublic(**v.__dict__) for v in found],
    )
