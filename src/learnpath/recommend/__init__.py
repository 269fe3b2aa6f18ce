"""Choosing what a learner does next, as small roles: select -> score -> rank."""

from learnpath.recommend.next_item import Candidate, ItemChoice, LearnerView, NextItemPolicy

__all__ = ["Candidate", "ItemChoice", "LearnerView", "NextItemPolicy"]
