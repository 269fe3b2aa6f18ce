"""FSRS calibration: scoring parameters on answers, the fit's edges, and the calibrated parameters in use."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler

from learnpath.errors import ValidationError
from learnpath.recommend.review import CALIBRATED_PARAMETERS, DEFAULT_PARAMETERS, ReviewModel
from learnpath.recommend.review_fit import ReviewAnswer, fit, log_loss, review_logs

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def simulated(parameters: tuple[float, ...], cards: int = 60, seed: int = 3) -> list[ReviewAnswer]:
    """Learners whose recall follows FSRS with ``parameters``: each answer is right with FSRS' recall."""
    rng = random.Random(seed)
    sched = Scheduler(parameters=parameters, learning_steps=(), relearning_steps=(), enable_fuzzing=False)
    out = []
    for c in range(cards):
        at = T0
        card = Card(card_id=0, due=at)
        for i in range(8):
            p = sched.get_card_retrievability(card, at) if i else 0.9
            ok = rng.random() < p
            out.append(ReviewAnswer(f"c{c}", at, ok))
            card, _ = sched.review_card(card, Rating.Good if ok else Rating.Again, at)
            at += timedelta(days=rng.choice([1, 2, 4, 9, 20, 45]))
    return out


def test_the_log_loss_prefers_the_parameters_that_made_the_answers() -> None:
    true = tuple(CALIBRATED_PARAMETERS)
    answers = simulated(true)
    slower = list(true)
    slower[20] = min(0.8, true[20] * 2.5)  # a steeper forgetting curve
    quick = list(true)
    quick[2] = true[2] * 8  # far higher initial stability after Good
    best, n = log_loss(true, answers)
    assert n == 60 * 7  # every answer after the first of its card is a day or more later
    assert best < log_loss(slower, answers)[0]
    assert best < log_loss(quick, answers)[0]


def test_same_day_answers_are_not_scored_and_bad_parameters_are_named() -> None:
    same_day = [ReviewAnswer("c", T0 + timedelta(hours=h), True) for h in range(3)]
    loss, n = log_loss(DEFAULT_PARAMETERS, same_day)
    assert n == 0 and loss != loss  # nan
    with pytest.raises(ValidationError) as err:
        log_loss((1.0,) * 3, same_day)
    assert err.value.errors[0].field == "parameters"


def test_review_logs_number_cards_and_map_right_and_wrong() -> None:
    logs = review_logs(
        [
            ReviewAnswer("b", T0 + timedelta(days=1), False),
            ReviewAnswer("a", T0, True),
            ReviewAnswer("b", T0, True),
        ]
    )
    assert [(r.card_id, r.rating) for r in logs] == [(1, Rating.Good), (1, Rating.Again), (0, Rating.Good)]


def test_fit_needs_answers_and_keeps_the_defaults_on_too_few() -> None:
    pytest.importorskip("torch")
    pytest.importorskip("tqdm")
    with pytest.raises(ValidationError):
        fit([])
    few = fit(simulated(tuple(DEFAULT_PARAMETERS), cards=3))
    assert few.parameters == tuple(float(p) for p in DEFAULT_PARAMETERS) and few.cards == 3


def test_the_review_model_uses_the_calibrated_parameters() -> None:
    assert tuple(DEFAULT_PARAMETERS) != CALIBRATED_PARAMETERS
    Scheduler(parameters=CALIBRATED_PARAMETERS)  # within FSRS' bounds
    model = ReviewModel()
    assert model.parameters == CALIBRATED_PARAMETERS
    first = model.review(None, True, T0)
    assert first.stability == pytest.approx(CALIBRATED_PARAMETERS[2])  # the initial stability of Good
    default = ReviewModel(parameters=tuple(DEFAULT_PARAMETERS)).review(None, True, T0)
    assert default.stability == pytest.approx(DEFAULT_PARAMETERS[2])
