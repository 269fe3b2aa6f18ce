"""Calibrating the forgetting model (FSRS) to real answers: fit its parameters, and score any parameters.

A *card* is one learner's memory of one skill; each answer on the skill is a review of it (right: *Good*,
wrong: *Again*), as :class:`learnpath.recommend.review.ReviewModel` counts them. :func:`log_loss` replays
every card with given parameters under the model's own rules (no short-term learning steps, no fuzzing)
and scores FSRS' predicted recall on each answer given at least one day after the card's previous one
(same-day answers test the tutor's session, not memory; FSRS' own optimizer skips them too).
:func:`fit` runs py-fsrs' optimizer (gradient descent, needs ``torch``; deterministic: its shuffling has a
fixed seed) from FSRS' defaults. ``bench/bench_review_fit.py`` fits on the timestamped answers of a real
tutor (KDD Cup 2010, Algebra I) and compares held-out learners; the result is
``learnpath.recommend.review.CALIBRATED_PARAMETERS``.

Pure: no I/O, no clock; the caller hands in the answers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from fsrs import Card, Rating, ReviewLog, Scheduler

from learnpath.core.time import ensure_utc
from learnpath.errors import FieldError, ValidationError

__all__ = ["Fit", "ReviewAnswer", "fit", "log_loss", "review_logs"]

_EPS = 1e-6


@dataclass(frozen=True)
class ReviewAnswer:
    """One answer: whose memory of what (``card``, e.g. ``"learner 7:4.NF.1"``), when, right or not."""

    card: str
    at: datetime
    correct: bool


def _cards(answers: Iterable[ReviewAnswer]) -> dict[str, list[ReviewAnswer]]:
    out: dict[str, list[ReviewAnswer]] = {}
    for a in answers:
        out.setdefault(a.card, []).append(a)
    for seq in out.values():
        seq.sort(key=lambda a: a.at)
    return out


def review_logs(answers: Iterable[ReviewAnswer]) -> list[ReviewLog]:
    """py-fsrs review logs (card ids numbered in order of the cards' names)."""
    cards = _cards(answers)
    ids = {name: i for i, name in enumerate(sorted(cards))}
    return [
        ReviewLog(
            card_id=ids[name],
            rating=Rating.Good if a.correct else Rating.Again,
            review_datetime=ensure_utc(a.at, "at"),
            review_duration=None,
        )
        for name, seq in cards.items()
        for a in seq
    ]


def _scheduler(parameters: Sequence[float]) -> Scheduler:
    try:
        return Scheduler(
            parameters=tuple(parameters), learning_steps=(), relearning_steps=(), enable_fuzzing=False
        )
    except ValueError as exc:
        raise ValidationError("FSRS parameters out of range", [FieldError("parameters", str(exc))]) from exc


def log_loss(parameters: Sequence[float], answers: Iterable[ReviewAnswer]) -> tuple[float, int]:
    """(mean log loss of FSRS' predicted recall, number of answers scored): see the module docstring.
    Lower is better; (nan, 0) when no answer comes a day or more after the previous one on its card."""
    scheduler = _scheduler(parameters)
    total, n = 0.0, 0
    for seq in _cards(answers).values():
        card: Card | None = None
        for a in seq:
            at = ensure_utc(a.at, "at")
            if card is not None and card.last_review is not None and (at - card.last_review).days >= 1:
                p = min(max(scheduler.get_card_retrievability(card, at), _EPS), 1.0 - _EPS)
                total -= math.log(p if a.correct else 1.0 - p)
                n += 1
            card, _ = scheduler.review_card(
                card or Card(card_id=0, due=at), Rating.Good if a.correct else Rating.Again, at
            )
    return (total / n if n else float("nan")), n


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]
    cards: int
    answers: int


def fit(answers: Iterable[ReviewAnswer]) -> Fit:
    """FSRS parameters fitted to ``answers`` by py-fsrs' optimizer (FSRS' defaults when there are too few
    answers for one mini-batch). Needs ``torch`` (a dependency of the ``fsrs[optimizer]`` extra)."""
    from fsrs.optimizer import Optimizer  # torch: imported only when fitting

    logs = review_logs(answers)
    if not logs:
        raise ValidationError("nothing to fit", [FieldError("answers", "no answers given")])
    params = Optimizer(logs).compute_optimal_parameters()
    return Fit(tuple(float(p) for p in params), len({r.card_id for r in logs}), len(logs))
