"""Refining item difficulties from attempts (learnpath.learner.calibration)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.errors import ValidationError
from learnpath.learner.calibration import refine_difficulties


def _attempts(p_correct: list[float], n_learners: int, rng: np.random.Generator) -> tuple[np.ndarray, ...]:
    learner = np.repeat(np.arange(n_learners), len(p_correct)).astype(np.int64)
    item = np.tile(np.arange(len(p_correct)), n_learners).astype(np.int64)
    y = (rng.random(len(item)) < np.array(p_correct)[item]).astype(np.int8)
    return learner, item, y


def test_items_answered_wrongly_more_often_get_higher_difficulty(rng: np.random.Generator) -> None:
    learner, item, y = _attempts([0.9, 0.6, 0.3, 0.1], 60, rng)
    cal = refine_difficulties(learner, item, y, np.zeros(4))
    assert np.all(np.diff(cal.difficulty) > 0), cal.difficulty
    assert cal.n_attempts.tolist() == [60] * 4
    assert cal.n_correct.tolist() == [int(y[item == k].sum()) for k in range(4)]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 12), st.integers(0, 12), st.floats(-2, 2))
def test_more_wrong_answers_never_mean_easier(wrong_a: int, wrong_b: int, author: float) -> None:
    """Two items with the same author value, answered by the same 12 learners: the one with more wrong answers
    is at least as hard after refinement (learners answer both; the anchor item keeps abilities apart)."""
    n = 12
    learner = np.repeat(np.arange(n), 3).astype(np.int64)
    item = np.tile(np.arange(3), n).astype(np.int64)
    y = np.ones(3 * n, dtype=np.int8)
    y[(item == 0) & (learner < wrong_a)] = 0
    y[(item == 1) & (learner >= n - wrong_b)] = 0
    y[(item == 2) & (learner % 2 == 0)] = 0
    cal = refine_difficulties(learner, item, y, np.full(3, author))
    if wrong_a > wrong_b:
        assert cal.difficulty[0] > cal.difficulty[1] - 1e-6
    elif wrong_b > wrong_a:
        assert cal.difficulty[1] > cal.difficulty[0] - 1e-6


def test_the_author_value_weighs_like_prior_attempts(rng: np.random.Generator) -> None:
    learner, item, y = _attempts([0.2, 0.8], 5, rng)
    author = np.array([1.0, -1.0, 0.7])  # the third item has no attempts
    loose = refine_difficulties(learner, item, y, author, prior_weight=0.0)
    tight = refine_difficulties(learner, item, y, author, prior_weight=1000.0)
    assert tight.difficulty[2] == loose.difficulty[2] == 0.7
    assert np.allclose(tight.difficulty[:2], author[:2], atol=0.02)
    assert np.allclose(loose.difficulty[:2], loose.fitted[:2])
    assert loose.n_attempts[2] == 0


def test_no_attempts_keeps_every_author_value() -> None:
    empty = np.array([], dtype=np.int64)
    cal = refine_difficulties(empty, empty, np.array([], dtype=np.int8), np.array([0.5, -0.5]))
    assert cal.difficulty.tolist() == [0.5, -0.5]


def test_bad_input_is_refused() -> None:
    with pytest.raises(ValidationError):
        refine_difficulties(np.array([0]), np.array([3]), np.array([1], dtype=np.int8), np.zeros(2))
    with pytest.raises(ValidationError):
        refine_difficulties(
            np.array([0]), np.array([0]), np.array([1], dtype=np.int8), np.zeros(1), prior_weight=-1
        )
