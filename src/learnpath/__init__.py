"""learnpath: personalized learning.

The top level exposes the pure library (domain values, the learner-model contract, errors). Importing it
loads no web, database or CLI library; ``create_app`` is loaded on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from learnpath.core import Attempt, Choice, Item, Score, SkillGraph, score_response
from learnpath.errors import (
    AuthenticationError,
    ConflictError,
    FieldError,
    GraphCycleError,
    LearnpathError,
    NotFittedError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
    ValidationError,
)
from learnpath.learner import BKT, AttemptTable, LearnerModel, SkillMastery

if TYPE_CHECKING:
    from learnpath.api.app import create_app

__version__ = "0.1.0"

__all__ = [  # noqa: RUF022  (plain sorted order, checked by tests/test_public_api.py)
    "Attempt",
    "AttemptTable",
    "AuthenticationError",
    "BKT",
    "Choice",
    "ConflictError",
    "FieldError",
    "GraphCycleError",
    "Item",
    "LearnerModel",
    "LearnpathError",
    "NotFittedError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitedError",
    "Score",
    "SkillGraph",
    "SkillMastery",
    "ValidationError",
    "__version__",
    "create_app",
    "score_response",
]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from learnpath.api.app import create_app

        return create_app
    raise AttributeError(f"module 'learnpath' has no attribute {name!r}")
