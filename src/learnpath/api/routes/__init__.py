"""One module per resource; ``api_router`` mounts them all under /api/v1."""

from fastapi import APIRouter

from learnpath.api.routes import auth, classes, items, learners, school, skills

api_router = APIRouter(prefix="/api/v1")
for module in (auth, learners, classes, skills, items, school):
    api_router.include_router(module.router)

__all__ = ["api_router"]
