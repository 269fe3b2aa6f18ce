"""Learner models (knowledge tracing) behind one contract; see ``learner/base.py``."""

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
