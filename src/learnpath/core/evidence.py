"""Attempts: the facts a learner produces. Frozen, UTC-aware, append-only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from learnpath.core.time import ensure_utc
from learnpath.errors import FieldError, ValidationError

__all__ = ["Attempt"]


@dataclass(frozen=True)
class Attempt:
    """One graded response of a learner to an item.

    ``skills`` are the codes of the skills the item is aligned to; ``duration_ms`` is the time from
    showing the item to the answer, ``hints_used`` how many hints were opened first.
    """

    learner: int
    item: str
    skills: tuple[str, ...]
    correct: bool
    at: datetime
    response: str = ""
    duration_ms: int | None = None
    hints_used: int = 0

    def __post_init__(self) -> None:
        problems: list[FieldError] = []
        if self.duration_ms is not None and self.duration_ms < 0:
            problems.append(FieldError("duration_ms", f"must be >= 0, got {self.duration_ms}"))
        if self.hints_used < 0:
            problems.append(FieldError("hints_used", f"must be >= 0, got {self.hints_used}"))
        if not self.skills:
            problems.append(FieldError("skills", "an attempt needs the item's skills"))
        try:
            object.__setattr__(self, "at", ensure_utc(self.at, "at"))
        except ValueError as exc:
            problems.append(FieldError("at", str(exc)))
        if problems:
            raise ValidationError("attempt is not valid", problems)

    def to_dict(self) -> dict[str, Any]:
        return {
            "learner": self.learner,
            "item": self.item,
            "skills": list(self.skills),
            "correct": self.correct,
            "at": self.at.isoformat(),
            "response": self.response,
            "duration_ms": self.duration_ms,
            "hints_used": self.hints_used,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attempt:
        return cls(
            learner=int(data["learner"]),
            item=str(data["item"]),
            skills=tuple(data["skills"]),
            correct=bool(data["correct"]),
            at=datetime.fromisoformat(data["at"]),
            response=str(data.get("response", "")),
            duration_ms=data.get("duration_ms"),
            hints_used=int(data.get("hints_used", 0)),
        )
