"""Learner models (knowledge tracing) behind one contract; see ``learner/base.py``.

The names below load on first use: importing one light module of this package (``learner.base``, say, from
the service layer or the CLI) does not compile the numba kernels or load every model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from learnpath.learner.base import AttemptTable, LearnerModel, LearnerState, SkillMastery
    from learnpath.learner.bkt import BKT, BKTParams
    from learnpath.learner.registry import build_model, model_from_dict

__all__ = [
    "BKT",
    "AttemptTable",
    "BKTParams",
    "LearnerModel",
    "LearnerState",
    "SkillMastery",
    "build_model",
    "model_from_dict",
]

_HOME = {
    "AttemptTable": "base",
    "BKT": "bkt",
    "BKTParams": "bkt",
    "LearnerModel": "base",
    "LearnerState": "base",
    "SkillMastery": "base",
    "build_model": "registry",
    "model_from_dict": "registry",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module 'learnpath.learner' has no attribute {name!r}")
    return getattr(importlib.import_module(f"learnpath.learner.{home}"), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
