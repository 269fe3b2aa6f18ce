"""The one contract every learner model honours.

scikit-learn's estimator conventions (hyperparameters in ``__init__``, ``fit`` returns ``self``,
learned values end in ``_``) plus py-fsrs' value style for online use: a learner's state is a
plain JSON-able dict and ``update`` returns a new state without touching its input.

Two ways in:

- batch, for research and nightly refits: ``fit(table)`` and ``predict_proba(table)`` over an
  :class:`AttemptTable` (``predict_proba`` gives P(correct) of each row from the rows of the same
  learner before it);
- online, for the app: ``init_state()``, ``update(state, attempt) -> new_state``,
  ``mastery(state) -> {skill: SkillMastery}`` and ``p_correct(state, skills)``.

Parameters and states round-trip through ``to_dict``/``from_dict`` and JSON; never pickle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Protocol, Self, runtime_checkable

import numpy as np
import numpy.typing as npt

from learnpath.core.evidence import Attempt
from learnpath.errors import FieldError, ValidationError

__all__ = ["AttemptTable", "LearnerModel", "LearnerState", "SkillMastery", "check_sorted", "mastery_interval"]

LearnerState = dict[str, Any]
"""A learner's state in one model: JSON-able, treated as immutable by every model."""


@dataclass(frozen=True)
class SkillMastery:
    """How likely a learner has mastered a skill, and how sure we are.

    ``low``/``high`` bound a 90% interval; ``n_attempts`` counts the evidence behind it.
    """

    p_mastery: float
    low: float
    high: float
    n_attempts: int

    def to_dict(self) -> dict[str, float | int]:
        return {
            "p_mastery": self.p_mastery,
            "low": self.low,
            "high": self.high,
            "n_attempts": self.n_attempts,
        }


def check_sorted(attempts: AttemptTable) -> None:
    """Refuse a table whose rows are not sorted by learner, then time (models read histories in order)."""
    learner, ts = attempts.learner, attempts.timestamp
    if len(attempts) < 2:
        return
    same = learner[1:] == learner[:-1]
    bad = (learner[1:] < learner[:-1]) | (same & (ts[1:] < ts[:-1]))
    if bad.any():
        row = int(np.argmax(bad)) + 1
        raise ValidationError.for_field(
            "learner",
            f"rows must be sorted by learner then time; row {row} (learner {int(learner[row])}, "
            f"time {float(ts[row])}) comes after learner {int(learner[row - 1])}, time {float(ts[row - 1])}",
        )


def mastery_interval(p: float, n: int) -> tuple[float, float]:
    """A 90% interval for a mastery probability backed by ``n`` observations.

    Treats the estimate as a proportion with ``n + 3`` pseudo-observations (normal approximation),
    so it is wide with no evidence and narrows as attempts accumulate.
    """
    half = 1.645 * math.sqrt(max(p * (1.0 - p), 0.0625) / (n + 3))
    return max(0.0, p - half), min(1.0, p + half)


@dataclass(frozen=True)
class AttemptTable:
    """Attempts as columns, sorted by learner then time (stable within ties).

    A row may tag several skills: row ``i``'s skills are
    ``skill_indices[skill_indptr[i]:skill_indptr[i + 1]]`` (CSR layout). ``item`` and skill
    indices point into ``item_names`` / ``skill_names``. Optional columns are None when absent.
    """

    learner: npt.NDArray[np.int64]
    item: npt.NDArray[np.int64]
    skill_indptr: npt.NDArray[np.int64]
    skill_indices: npt.NDArray[np.int64]
    correct: npt.NDArray[np.int8]
    timestamp: npt.NDArray[np.float64]
    item_names: tuple[str, ...]
    skill_names: tuple[str, ...]
    duration_ms: npt.NDArray[np.float64] | None = None
    hints: npt.NDArray[np.float64] | None = None
    attempt_count: npt.NDArray[np.float64] | None = None

    def __len__(self) -> int:
        return int(self.learner.shape[0])

    def __post_init__(self) -> None:
        n = self.learner.shape[0]
        problems: list[FieldError] = []
        for name in ("item", "correct", "timestamp"):
            if getattr(self, name).shape[0] != n:
                problems.append(FieldError(name, f"has {getattr(self, name).shape[0]} rows, learner has {n}"))
        if self.skill_indptr.shape[0] != n + 1:
            problems.append(FieldError("skill_indptr", f"must have {n + 1} entries"))
        if n and not np.isin(self.correct, (0, 1)).all():
            problems.append(FieldError("correct", "must be 0 or 1"))
        if problems:
            raise ValidationError("attempt table is not valid", problems)

    @classmethod
    def from_attempts(cls, attempts: list[Attempt]) -> AttemptTable:
        """Build a table from attempt facts (sorted by learner, then time)."""
        rows = sorted(attempts, key=lambda a: (a.learner, a.at))
        items = tuple(dict.fromkeys(a.item for a in rows))
        skills = tuple(dict.fromkeys(s for a in rows for s in a.skills))
        item_ix = {v: i for i, v in enumerate(items)}
        skill_ix = {v: i for i, v in enumerate(skills)}
        indptr = np.zeros(len(rows) + 1, dtype=np.int64)
        indices: list[int] = []
        for i, a in enumerate(rows):
            indices.extend(skill_ix[s] for s in a.skills)
            indptr[i + 1] = len(indices)
        return cls(
            learner=np.array([a.learner for a in rows], dtype=np.int64),
            item=np.array([item_ix[a.item] for a in rows], dtype=np.int64),
            skill_indptr=indptr,
            skill_indices=np.array(indices, dtype=np.int64),
            correct=np.array([int(a.correct) for a in rows], dtype=np.int8),
            timestamp=np.array([a.at.timestamp() for a in rows], dtype=np.float64),
            item_names=items,
            skill_names=skills,
            duration_ms=np.array(
                [np.nan if a.duration_ms is None else a.duration_ms for a in rows], dtype=np.float64
            ),
            hints=np.array([a.hints_used for a in rows], dtype=np.float64),
        )


@runtime_checkable
class LearnerModel(Protocol):
    """What the app and the evaluation harness may call on any learner model."""

    name: str

    def fit(self, attempts: AttemptTable) -> Self: ...

    def predict_proba(self, attempts: AttemptTable) -> npt.NDArray[np.float64]: ...

    def init_state(self) -> LearnerState: ...

    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState: ...

    def mastery(self, state: LearnerState) -> dict[str, SkillMastery]: ...

    def p_correct(self, state: LearnerState, skills: tuple[str, ...]) -> float: ...

    def to_dict(self) -> dict[str, Any]: ...
