"""Spaced review: how well a learner still remembers each skill, and when it is due for a refresh.

The forgetting model is FSRS (the ``fsrs`` package, py-fsrs), with parameters fitted to real tutor answers
(:data:`CALIBRATED_PARAMETERS`, see :mod:`learnpath.recommend.review_fit`) rather than its flashcard
defaults. Each practised skill has a :class:`Memory` (FSRS
stability and difficulty, the last time it was used). An answer on a skill is a review of it (right:
*Good*, wrong: *Again*). Following the prerequisite graph, a right answer on a skill also refreshes its
direct prerequisites that already have a memory (*Good* as well): using fractions to add is practice of
adding. Retrievability ``R(t)`` is FSRS' probability of recall after ``t`` days; a skill is due for
review once FSRS' due date has passed: the day ``R`` falls to ``desired_retention`` (0.9 by default).

Pure: no I/O, no clock (every time is passed in, UTC), no randomness (FSRS fuzzing off).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from learnpath.core.graph import SkillGraph
from learnpath.core.time import ensure_utc

__all__ = ["CALIBRATED_PARAMETERS", "DEFAULT_PARAMETERS", "Memory", "ReviewModel"]

_DAY = timedelta(days=1)

CALIBRATED_PARAMETERS: tuple[float, ...] = (
    0.0118, 1.2931, 1.5709, 8.2956, 6.9085, 0.3697, 3.3441, 0.0019, 1.4326, 0.4253, 0.3467,
    1.3029, 0.2196, 0.1582, 1.4938, 0.6014, 1.8729, 0.7745, 0.0295, 0.1891, 0.1653,
)  # fmt: skip
"""FSRS parameters fitted to real, timestamped tutor answers (KDD Cup 2010 Algebra I, 1,449 cards and
29,539 answers of the training learners) by ``bench/bench_review_fit.py --max-answers 30000`` through
``learnpath.recommend.review_fit.fit``; held-out log loss 0.574 against 0.606 for FSRS' defaults
(docs/benchmarks.md, "Spaced review: FSRS calibration"). Compared with the defaults: memories start
weaker after a first right answer (stability 1.6 days, not 2.3), and the forgetting curve's shape
``w20`` is 0.165 (default 0.154)."""


@dataclass(frozen=True)
class Memory:
    """What FSRS knows about a learner's memory of one skill."""

    stability: float
    """Days until recall falls to 90%."""
    difficulty: float
    """FSRS difficulty, 1 (easy) to 10 (hard)."""
    last_review: datetime
    due: datetime
    reps: int = 1
    lapses: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "stability": self.stability,
            "difficulty": self.difficulty,
            "last_review": self.last_review.isoformat(),
            "due": self.due.isoformat(),
            "reps": self.reps,
            "lapses": self.lapses,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Memory:
        return cls(
            float(data["stability"]),
            float(data["difficulty"]),
            ensure_utc(datetime.fromisoformat(data["last_review"]), "last_review"),
            ensure_utc(datetime.fromisoformat(data["due"]), "due"),
            int(data.get("reps", 1)),
            int(data.get("lapses", 0)),
        )


@dataclass(frozen=True)
class ReviewModel:
    """FSRS with our choices: no short-term learning steps (a skill is a long-term memory from its first
    answer), no fuzzing (the same history always gives the same schedule)."""

    desired_retention: float = 0.9
    refresh_prerequisites: bool = True
    parameters: tuple[float, ...] = CALIBRATED_PARAMETERS

    def _scheduler(self) -> Scheduler:
        return Scheduler(
            parameters=self.parameters,
            desired_retention=self.desired_retention,
            learning_steps=(),
            relearning_steps=(),
            enable_fuzzing=False,
        )

    def review(self, memory: Memory | None, correct: bool, at: datetime) -> Memory:
        """The memory after one answer at ``at`` (None: the skill's first answer)."""
        at = ensure_utc(at, "at")
        if memory is None:
            card = Card(card_id=0, state=State.Learning, step=0, due=at)
        else:
            card = Card(
                card_id=0,
                state=State.Review,
                stability=memory.stability,
                difficulty=memory.difficulty,
                due=memory.due,
                last_review=memory.last_review,
            )
        if memory is not None and at < memory.last_review:
            at = memory.last_review  # answers arriving out of order count as simultaneous
        card, _ = _SCHEDULERS.get(self).review_card(card, Rating.Good if correct else Rating.Again, at)
        assert card.stability is not None and card.difficulty is not None
        reps = (memory.reps if memory else 0) + 1
        lapses = (memory.lapses if memory else 0) + (0 if correct else 1)
        return Memory(card.stability, card.difficulty, at, card.due, reps, lapses)

    def after_answer(
        self,
        memories: Mapping[str, Memory],
        graph: SkillGraph[str],
        skills: Iterable[str],
        correct: bool,
        at: datetime,
    ) -> dict[str, Memory]:
        """The memories that change when an item of ``skills`` is answered: those skills, and (for a right
        answer) their direct prerequisites that already have a memory. Returns only the changed ones."""
        changed: dict[str, Memory] = {}
        skills = tuple(skills)
        for s in skills:
            changed[s] = self.review(memories.get(s), correct, at)
        if correct and self.refresh_prerequisites:
            for s in skills:
                for p in graph.prerequisites(s):
                    if p in changed or p not in memories:
                        continue
                    changed[p] = self.review(memories[p], True, at)
        return changed

    def retrievability(self, memory: Memory, now: datetime) -> float:
        """FSRS' probability that the learner still recalls the skill at ``now``."""
        days = max(0.0, (now - memory.last_review) / _DAY)
        decay, factor = _SCHEDULERS.curve(self)
        return float((1 + factor * days / max(memory.stability, 1e-6)) ** decay)

    def is_due(self, memory: Memory, now: datetime) -> bool:
        """FSRS' own rule: the due date (when recall falls to ``desired_retention``, in whole days) passed."""
        return memory.due <= now


class _SchedulerCache:
    """One FSRS scheduler per model configuration (building one validates its parameters)."""

    def __init__(self) -> None:
        self._by_model: dict[ReviewModel, Scheduler] = {}
        self._curves: dict[ReviewModel, tuple[float, float]] = {}

    def curve(self, model: ReviewModel) -> tuple[float, float]:
        """(decay, factor) of FSRS' forgetting curve R(t) = (1 + factor * t / S) ** decay."""
        c = self._curves.get(model)
        if c is None:
            decay = -float(self.get(model).parameters[20])
            c = self._curves[model] = (decay, 0.9 ** (1 / decay) - 1)
        return c

    def get(self, model: ReviewModel) -> Scheduler:
        s = self._by_model.get(model)
        if s is None:
            s = self._by_model[model] = model._scheduler()
        return s


_SCHEDULERS = _SchedulerCache()
