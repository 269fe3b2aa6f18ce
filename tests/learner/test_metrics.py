"""Metrics: golden values, agreement with scikit-learn, tie handling, bad input."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn import metrics as sk

from learnpath.errors import ValidationError
from learnpath.learner.metrics import accuracy, auc, log_loss, rmse, score_all


def test_golden_values() -> None:
    y = [1, 0, 1, 1, 0]
    p = [0.9, 0.2, 0.6, 0.4, 0.5]
    # positive/negative pairs: (.9,.2)(.9,.5)(.6,.2)(.6,.5)(.4,.2) win, (.4,.5) loses -> 5/6
    assert auc(y, p) == pytest.approx(5 / 6)
    assert rmse(y, p) == pytest.approx(math.sqrt((0.01 + 0.04 + 0.16 + 0.36 + 0.25) / 5))
    assert accuracy(y, p) == pytest.approx(3 / 5)  # 0.4 -> wrong, 0.5 -> predicted correct, wrong
    assert log_loss(y, p) == pytest.approx(-np.mean(np.log([0.9, 0.8, 0.6, 0.4, 0.5])))


def test_ties_count_half() -> None:
    assert auc([1, 0], [0.5, 0.5]) == 0.5
    assert auc([1, 0, 1, 0], [0.7, 0.7, 0.2, 0.1]) == pytest.approx((0.5 + 1 + 1 + 0) / 4)


def test_single_class_auc_is_nan() -> None:
    assert math.isnan(auc([1, 1], [0.2, 0.3]))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 1), st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.5, 0.75, 0.9, 1.0])),
        min_size=2,
        max_size=60,
    )
)
def test_agrees_with_scikit_learn(rows: list[tuple[int, float]]) -> None:
    y = np.array([r[0] for r in rows])
    p = np.array([r[1] for r in rows])
    if 0 < y.sum() < y.size:
        assert auc(y, p) == pytest.approx(sk.roc_auc_score(y, p), abs=1e-12)
    assert log_loss(y, p) == pytest.approx(
        sk.log_loss(y, np.clip(p, 1e-15, 1 - 1e-15), labels=[0, 1]), rel=1e-9
    )
    assert rmse(y, p) == pytest.approx(math.sqrt(sk.mean_squared_error(y, p)), abs=1e-12)


def test_score_all_keys() -> None:
    assert set(score_all([0, 1], [0.3, 0.6])) == {"auc", "rmse", "accuracy", "log_loss"}


@pytest.mark.parametrize(
    ("y", "p", "field"),
    [([0, 1], [0.5], "p"), ([0, 2], [0.1, 0.2], "y_true"), ([0, 1], [0.1, 1.2], "p"), ([], [], "y_true"),
     ([0, 1], [0.1, float("nan")], "p")],
)  # fmt: skip
def test_bad_input_is_refused(y: list[int], p: list[float], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        rmse(y, p)
    assert field in {e.field for e in info.value.errors}
