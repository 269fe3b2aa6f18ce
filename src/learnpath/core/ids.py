"""Typed ids. Integers in storage, distinct types for the type checker."""

from typing import NewType

LearnerId = NewType("LearnerId", int)
UserId = NewType("UserId", int)
SkillId = NewType("SkillId", int)
ItemId = NewType("ItemId", int)
ClassId = NewType("ClassId", int)
SchoolId = NewType("SchoolId", int)

__all__ = ["ClassId", "ItemId", "LearnerId", "SchoolId", "SkillId", "UserId"]
