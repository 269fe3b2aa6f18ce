"""Server-rendered web UI (Jinja2 + htmx) over the same service calls as the API."""

from learnpath.web.views import handle_web_error, router

__all__ = ["handle_web_error", "router"]
