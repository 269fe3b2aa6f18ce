"""Server-rendered web UI (Jinja2 + htmx) over the same service calls as the API.

``router`` and ``handle_web_error`` are loaded on first use: importing a light module of this package (the
translations in ``web.i18n``, say, from the CLI) does not load every page, FastAPI and Jinja2.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from learnpath.web.views import handle_web_error, router

__all__ = ["handle_web_error", "router"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from learnpath.web import views

        return getattr(views, name)
    raise AttributeError(f"module 'learnpath.web' has no attribute {name!r}")
