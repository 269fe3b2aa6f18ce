"""The one exception tree of learnpath.

Every error that crosses a layer boundary is one of these. Adapters map them to one JSON
error shape (``api/errors.py``), to a page (``web``) or to an exit code (``cli``)::

    LearnpathError
    ├── ValidationError        bad input; carries every problem found, not only the first
    │   └── GraphCycleError    a prerequisite edge set that is not a DAG (names the cycle)
    ├── NotFoundError          an id that does not exist, or that the actor may not see
    ├── PermissionDeniedError  the actor's role may never do this
    ├── AuthenticationError    missing, wrong or expired credentials
    ├── RateLimitedError       too many failed logins; carries retry_after_s
    ├── ConflictError          the change clashes with what is stored (duplicate username, ...)
    └── NotFittedError         a learner model used before fit (also ValueError, AttributeError)

Messages state what was expected and what was found.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "AuthenticationError",
    "ConflictError",
    "FieldError",
    "GraphCycleError",
    "LearnpathError",
    "NotFittedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "ValidationError",
]


class LearnpathError(Exception):
    """Base of every learnpath error. ``code`` is the stable machine-readable name."""

    code = "error"
    status = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class FieldError:
    """One problem with one input field: where it is (a dotted path) and what is wrong."""

    field: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"field": self.field, "message": self.message}


class ValidationError(LearnpathError):
    """Input that cannot be accepted. ``errors`` lists every problem found."""

    code = "validation_error"
    status = 422

    def __init__(self, message: str, errors: list[FieldError] | None = None) -> None:
        super().__init__(message)
        self.errors: list[FieldError] = list(errors or [])

    @classmethod
    def for_field(cls, field_name: str, message: str) -> ValidationError:
        return cls(f"{field_name}: {message}", [FieldError(field_name, message)])


class GraphCycleError(ValidationError):
    """Prerequisite edges that would form a cycle; ``cycle`` lists the skills in order."""

    code = "graph_cycle"

    def __init__(self, cycle: list[str]) -> None:
        path = " -> ".join([*cycle, cycle[0]]) if cycle else ""
        super().__init__(
            f"prerequisites must form a DAG, but these skills form a cycle: {path}",
            [FieldError("prerequisites", f"cycle: {path}")],
        )
        self.cycle = list(cycle)


class NotFoundError(LearnpathError):
    """No such object, or none the actor may see (we do not reveal which)."""

    code = "not_found"
    status = 404


class PermissionDeniedError(LearnpathError):
    """The actor's role may never perform this action."""

    code = "forbidden"
    status = 403


class AuthenticationError(LearnpathError):
    """Credentials are missing, wrong or expired."""

    code = "unauthenticated"
    status = 401


class RateLimitedError(LearnpathError):
    """Too many attempts in a window; try again after ``retry_after_s`` seconds."""

    code = "rate_limited"
    status = 429

    def __init__(self, message: str, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class ConflictError(LearnpathError):
    """The request clashes with stored data (a duplicate name, a stale version)."""

    code = "conflict"
    status = 409


class NotFittedError(LearnpathError, ValueError, AttributeError):
    """A learner model was used before ``fit`` (scikit-learn's contract)."""

    code = "not_fitted"
    status = 409
