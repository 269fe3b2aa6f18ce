"""Fit a learner model on one table, score its predictions on another: pure, the clock passed in.

``evaluate_model(model, train, test, test_rows, timer=time.perf_counter)`` fits ``model`` on
``train``, predicts every row of ``test`` (each from the same learner's earlier test rows), and
scores the predictions of the rows listed in ``test_rows`` (the protocol's scored interactions; a
row may be listed more than once). The timer only measures; it never changes a result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass

import numpy as np
import numpy.typing as npt

from learnpath.errors import ValidationError
from learnpath.learner.base import AttemptTable, LearnerModel
from learnpath.learner.metrics import score_all

__all__ = ["EvalResult", "evaluate_model"]


@dataclass(frozen=True)
class EvalResult:
    """Accuracy figures on the scored test interactions, and how long fit and predict took."""

    auc: float
    rmse: float
    accuracy: float
    log_loss: float
    fit_seconds: float
    predict_seconds: float
    n_test: int

    def to_dict(self) -> dict[str, float | int]:
        return asdict(self)


def _no_clock() -> float:
    return 0.0


def evaluate_model(
    model: LearnerModel,
    train: AttemptTable,
    test: AttemptTable,
    test_rows: npt.NDArray[np.int64] | None = None,
    *,
    timer: Callable[[], float] = _no_clock,
    on_step: Callable[[str], None] | None = None,
) -> EvalResult:
    """Fit on ``train``, predict ``test``, score the rows ``test_rows`` (all rows when None)."""
    rows = (
        np.arange(len(test), dtype=np.int64) if test_rows is None else np.asarray(test_rows, dtype=np.int64)
    )
    if rows.size == 0:
        raise ValidationError.for_field(
            "test_rows", "expected at least one scored test interaction, got none"
        )
    if rows.min() < 0 or rows.max() >= len(test):
        raise ValidationError.for_field("test_rows", f"must index test rows 0..{len(test) - 1}")
    if on_step:
        on_step(f"fitting {model.name} on {len(train):,} attempts")
    t0 = timer()
    model.fit(train)
    t1 = timer()
    if on_step:
        on_step(f"predicting {len(test):,} test attempts")
    p = np.asarray(model.predict_proba(test), dtype=np.float64)
    t2 = timer()
    if p.shape != (len(test),):
        raise ValidationError.for_field("predictions", f"expected {len(test)} values, got shape {p.shape}")
    scores = score_all(test.correct[rows], p[rows])
    return EvalResult(
        auc=scores["auc"],
        rmse=scores["rmse"],
        accuracy=scores["accuracy"],
        log_loss=scores["log_loss"],
        fit_seconds=t1 - t0,
        predict_seconds=t2 - t1,
        n_test=int(rows.size),
    )
