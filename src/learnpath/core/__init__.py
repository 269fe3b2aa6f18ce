"""The pure domain vocabulary: skills and their graph, items and scoring, attempts, time."""

from learnpath.core.evidence import Attempt
from learnpath.core.graph import SkillGraph, find_cycle
from learnpath.core.items import Choice, Item, Score, score_response

__all__ = ["Attempt", "Choice", "Item", "Score", "SkillGraph", "find_cycle", "score_response"]
