"""Uploads with a size limit that holds while the body streams in (the portfolio's web form and API route).

Starlette's form parser spools a whole file to a temporary file before the route sees it, so a limit
checked afterwards (``service/portfolio.py`` checks the file again while staging it) lets a client make the
server take in any amount. :func:`read_form` refuses a body whose ``Content-Length`` is over the limit
before reading any of it, and stops a body without one (or one that lies) as soon as it passes the limit:
at most ``max_bytes`` are ever taken in. The refused rest is read and thrown away (up to
:data:`DRAIN_BYTES`), so a browser still uploading gets the answer instead of a reset connection.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator

from starlette.requests import Request

from learnpath.errors import ValidationError

__all__ = ["DRAIN_BYTES", "MULTIPART_SLACK", "read_form", "too_large", "upload_limit"]

MULTIPART_SLACK = 1024 * 1024
"""Room for the form fields and multipart framing around a file, when judging a whole body's size."""
DRAIN_BYTES = 64 * 1024 * 1024
"""At most this much of a refused body is read (and dropped) before the connection is left to close."""


def upload_limit(max_mb: int) -> int:
    """The most bytes a multipart body with one file of at most ``max_mb`` MB may have."""
    return max_mb * 1024 * 1024 + MULTIPART_SLACK


def too_large(max_mb: int) -> ValidationError:
    """The error for a file over the limit: field ``file``, naming the limit."""
    return ValidationError.for_field("file", f"is larger than the limit of {max_mb} MB")


class _Limited(Request):
    """The same request, whose body stream stops with :func:`too_large` once it passes ``max_bytes``."""

    def __init__(self, request: Request, max_bytes: int, max_mb: int) -> None:
        super().__init__(request.scope, request.receive)
        self.max_bytes, self.max_mb, self.seen = max_bytes, max_mb, 0

    async def stream(self) -> AsyncGenerator[bytes, None]:
        async for chunk in super().stream():
            self.seen += len(chunk)
            if self.seen > self.max_bytes:
                raise too_large(self.max_mb)
            yield chunk


async def _drain(request: Request) -> None:
    """Read and drop what is left of the body, up to DRAIN_BYTES (nothing is kept)."""
    dropped = 0
    while dropped < DRAIN_BYTES:
        message = await request.receive()
        if message["type"] != "http.request":
            return
        dropped += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


async def read_form(request: Request, max_mb: int, *, max_files: int, max_fields: int) -> Request:
    """``request`` with its multipart form parsed, never taking in more than :func:`upload_limit` bytes;
    raises :func:`too_large` (ValidationError, field ``file``) for a bigger body, declared or not. The
    returned request's ``form()`` (and so ``check_csrf``) answers from the parsed form; close it after use."""
    max_bytes = upload_limit(max_mb)
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        await _drain(request)
        raise too_large(max_mb)
    limited = _Limited(request, max_bytes, max_mb)
    try:
        await limited.form(max_files=max_files, max_fields=max_fields)
        return limited
    except ValidationError:
        if not limited._stream_consumed:
            await _drain(limited)
        raise
