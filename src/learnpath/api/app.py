"""The application factory: one FastAPI app serving the JSON API (/api/v1, OpenAPI at /docs) and the web UI."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from learnpath.api.errors import error_response
from learnpath.api.routes import api_router
from learnpath.errors import LearnpathError
from learnpath.service.context import ServiceContext
from learnpath.settings import Settings
from learnpath.storage import make_engine, make_sessionmaker, upgrade

__all__ = ["create_app"]

STATIC = Path(__file__).resolve().parent.parent / "web" / "static"


def create_app(settings: Settings | None = None, ctx: ServiceContext | None = None) -> FastAPI:
    """Build the app. Migrates the database to the newest schema unless a ready ``ctx`` is given."""
    settings = settings or Settings()
    if ctx is None:
        engine = make_engine(settings.database_url)
        upgrade(engine)
        ctx = ServiceContext(make_sessionmaker(engine), settings)
    app = FastAPI(
        title="learnpath",
        version="0.1.0",
        description="Personalized learning: learner models, curriculum, practice and classroom views.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
        swagger_ui_parameters={"tryItOutEnabled": False},
    )
    app.state.ctx = ctx
    app.state.settings = settings

    from learnpath.web import handle_web_error
    from learnpath.web import router as web_router

    async def on_error(request: Request, exc: Exception) -> Response:
        if request.url.path.startswith("/api/"):
            return error_response(exc)
        return await handle_web_error(request, exc)

    for exc_type in (LearnpathError, RequestValidationError, StarletteHTTPException, Exception):
        app.add_exception_handler(exc_type, on_error)

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if not request.url.path.startswith("/docs"):
            response.headers.setdefault(
                "Content-Security-Policy",
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'",
            )
        return response

    @app.get("/api/v1/health", tags=["health"])
    def health() -> dict[str, str]:
        """Liveness check (no sign-in needed)."""
        return {"status": "ok"}

    app.include_router(api_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(web_router)
    return app
