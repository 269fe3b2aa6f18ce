"""One module per resource; ``api_router`` mounts them all under /api/v1."""

from fastapi import APIRouter

from learnpath.api.routes import auth, classes, items, learners, school, skills
from learnpath.api.routes import content as content_routes
from learnpath.api.routes import models as model_routes
from learnpath.api.routes import next_steps as next_steps_routes
from learnpath.api.routes import paths as paths_routes
from learnpath.api.routes import scoring as scoring_routes

api_router = APIRouter(prefix="/api/v1")
for module in (
    auth,
    learners,
    classes,
    skills,
    items,
    school,
    content_routes,
    next_steps_routes,
    paths_routes,
    model_routes,
    scoring_routes,
):
    api_router.include_router(module.router)

__all__ = ["api_router"]
