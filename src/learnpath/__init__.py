"""learnpath: personalized learning.

The top level exposes the pure library (domain values, the learner-model contract, errors). Importing it
loads no web, database or CLI library, nor the learner models' numeric kernels (numba): ``BKT`` and the other
learner names, and ``create_app``, are loaded on first use (``_LAZY``), so ``learnpath --help`` starts fast.
"""

from __future__ import annotations

import importlib
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

if TYPE_CHECKING:
    from learnpath.api.app import create_app
    from learnpath.learner import BKT, AttemptTable, LearnerModel, SkillMastery

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


_LAZY = {
    "AttemptTable": "learnpath.learner",
    "BKT": "learnpath.learner",
    "LearnerModel": "learnpath.learner",
    "SkillMastery": "learnpath.learner",
    "create_app": "learnpath.api.app",
}
"""Public names imported on first use (name -> module), kept out of ``import learnpath``."""


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'learnpath' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
