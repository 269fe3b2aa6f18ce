"""One module per resource; ``api_router`` mounts them all under /api/v1."""

from fastapi import APIRouter

from learnpath.api.routes import assignments as assignment_routes
from learnpath.api.routes import auth, classes, items, learners, school, skills
from learnpath.api.routes import checkins as checkin_routes
from learnpath.api.routes import content as content_routes
from learnpath.api.routes import dashboard as dashboard_routes
from learnpath.api.routes import groups as group_routes
from learnpath.api.routes import models as model_routes
from learnpath.api.routes import next_steps as next_steps_routes
from learnpath.api.routes import paths as paths_routes
from learnpath.api.routes import plans as plan_routes
from learnpath.api.routes import portfolio as portfolio_routes
from learnpath.api.routes import rotations as rotation_routes
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
    plan_routes,
    model_routes,
    scoring_routes,
    assignment_routes,
    rotation_routes,
    checkin_routes,
    group_routes,
    dashboard_routes,
    portfolio_routes,
):
    api_router.include_router(module.router)

__all__ = ["api_router"]
