"""Choosing what a learner does next, as small roles: select -> score -> rank."""

from learnpath.recommend.choices import (
    ChoicePolicy,
    Curriculum,
    LearnerSnapshot,
    MustDo,
    NextStep,
    NextSteps,
    SkillFacts,
)
from learnpath.recommend.next_item import Candidate, ItemChoice, LearnerView, NextItemPolicy
from learnpath.recommend.review import Memory, ReviewModel

__all__ = [
    "Candidate",
    "ChoicePolicy",
    "Curriculum",
    "ItemChoice",
    "LearnerSnapshot",
    "LearnerView",
    "Memory",
    "MustDo",
    "NextItemPolicy",
    "NextStep",
    "NextSteps",
    "ReviewModel",
    "SkillFacts",
]
