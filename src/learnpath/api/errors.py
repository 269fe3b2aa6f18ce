"""One JSON error shape for every error the API returns.

{"error": {"code": "validation_error", "status": 422, "message": "...",
           "fields": [{"field": "response", "message": "must not be empty"}]}}
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from learnpath.errors import FieldError, LearnpathError, RateLimitedError, ValidationError

__all__ = ["error_body", "error_response", "field_errors_from_pydantic", "status_code_name"]

_STATUS_CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "rate_limited",
    500: "internal_error",
}


def status_code_name(status: int) -> str:
    return _STATUS_CODES.get(status, "error")


def error_body(
    status: int, code: str, message: str, fields: list[FieldError] | None = None
) -> dict[str, Any]:
    return {
        "error": {
            "code": code,
            "status": status,
            "message": message,
            "fields": [f.to_dict() for f in fields or []],
        }
    }


def error_response(exc: Exception) -> JSONResponse:
    """The JSON response for any exception (unknown ones become a 500 that reveals nothing)."""
    headers: dict[str, str] = {}
    if isinstance(exc, LearnpathError):
        fields = exc.errors if isinstance(exc, ValidationError) else []
        if isinstance(exc, RateLimitedError):
            headers["Retry-After"] = str(exc.retry_after_s)
        if exc.status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        return JSONResponse(error_body(exc.status, exc.code, exc.message, fields), exc.status, headers)
    if isinstance(exc, RequestValidationError):
        fields = field_errors_from_pydantic(exc.errors())
        return JSONResponse(error_body(422, "validation_error", "the request is not valid", fields), 422)
    if isinstance(exc, StarletteHTTPException):
        message = exc.detail if isinstance(exc.detail, str) else "error"
        return JSONResponse(
            error_body(exc.status_code, status_code_name(exc.status_code), message),
            exc.status_code,
            dict(exc.headers or {}),
        )
    return JSONResponse(error_body(500, "internal_error", "something went wrong on our side"), 500)


def field_errors_from_pydantic(errors: Any) -> list[FieldError]:
    out = []
    for e in errors:
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path", "form")]
        out.append(FieldError(".".join(loc) or "request", str(e.get("msg", "is not valid"))))
    return out


async def handle_api_error(request: Request, exc: Exception) -> JSONResponse:
    return error_response(exc)
