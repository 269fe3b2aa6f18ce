"""Models by name, so the app and the CLI can pick one from settings or a stored version."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from learnpath.errors import ValidationError
from learnpath.learner.attention import AttentionKT
from learnpath.learner.base import LearnerModel
from learnpath.learner.bkt import BKT
from learnpath.learner.deep import DKT, require_torch
from learnpath.learner.irt import IRT, IRT2PL, Elo
from learnpath.learner.logistic import PFA, BestLR, BestLRPlus, BestLRPlusWindows
from learnpath.learner.stack import Stack

__all__ = ["MODELS", "build_model", "model_from_dict"]

MODELS: dict[str, Callable[..., LearnerModel]] = {"bkt": BKT, "irt": IRT, "irt2pl": IRT2PL, "elo": Elo}
MODELS.update(
    {
        "pfa": PFA,
        "bestlr": BestLR,
        "bestlr_plus": BestLRPlus,
        "bestlr_plus_windows": BestLRPlusWindows,
        "best": Stack,
    }
)
_LOADERS: dict[str, Callable[[dict[str, Any]], LearnerModel]] = {
    "bkt": BKT.from_dict,
    "irt": IRT.from_dict,
    "irt2pl": IRT2PL.from_dict,
    "elo": Elo.from_dict,
}
_LOADERS.update(
    {
        "pfa": PFA.from_dict,
        "bestlr": BestLR.from_dict,
        "bestlr_plus": BestLRPlus.from_dict,
        "bestlr_plus_windows": BestLRPlusWindows.from_dict,
    }
)


def _load_best(data: dict[str, Any]) -> LearnerModel:
    """``best`` is the stacked model; a version stored when ``best`` was Best-LR+ with step windows (its
    params hold logistic weights, not components) loads as that model, ``bestlr_plus_windows``."""
    if "coef" in (data.get("params") or {}):
        return BestLRPlusWindows.from_dict({**data, "model": BestLRPlusWindows.name})
    return Stack.from_dict(data)


_LOADERS["best"] = _load_best


def _dkt(**hyperparameters: Any) -> DKT:
    """A new DKT; fitting it needs PyTorch, so say how to install it now rather than later."""
    require_torch()
    return DKT(**hyperparameters)


MODELS["dkt"] = _dkt
_LOADERS["dkt"] = DKT.from_dict


def _attn(**hyperparameters: Any) -> AttentionKT:
    """A new attention model; fitting it needs PyTorch, so say how to install it now."""
    require_torch()
    return AttentionKT(**hyperparameters)


MODELS["attn"] = _attn
_LOADERS["attn"] = AttentionKT.from_dict

DEFAULT_MODEL = "bkt"


def build_model(name: str = DEFAULT_MODEL, **hyperparameters: Any) -> LearnerModel:
    """A new, unfitted model of the named family."""
    if name not in MODELS:
        raise ValidationError.for_field(
            "model", f"unknown model {name!r}; known: {', '.join(sorted(MODELS))}"
        )
    return MODELS[name](**hyperparameters)


def model_from_dict(data: dict[str, Any]) -> LearnerModel:
    """Rebuild a model (with its fitted parameters) from its ``to_dict`` form."""
    name = data.get("model")
    if name not in _LOADERS:
        raise ValidationError.for_field(
            "model", f"unknown model {name!r}; known: {', '.join(sorted(_LOADERS))}"
        )
    return _LOADERS[str(name)](data)
