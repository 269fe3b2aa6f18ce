"""Accuracy figures for probabilistic predictions of binary answers: pure NumPy.

``auc`` is the rank-based (Mann-Whitney) area under the ROC curve with ties counted half, the
same number as ``sklearn.metrics.roc_auc_score``; ``log_loss`` clips probabilities to
``[eps, 1 - eps]`` as scikit-learn does; ``accuracy`` thresholds at 0.5 (``p >= 0.5`` means
"correct predicted").
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from learnpath.errors import FieldError, ValidationError

__all__ = ["accuracy", "auc", "log_loss", "rmse", "score_all"]

F64 = npt.NDArray[np.float64]
_EPS = 1e-15


def _check(y_true: npt.ArrayLike, p: npt.ArrayLike) -> tuple[F64, F64]:
    y = np.asarray(y_true, dtype=np.float64).ravel()
    q = np.asarray(p, dtype=np.float64).ravel()
    problems: list[FieldError] = []
    if y.shape != q.shape:
        problems.append(
            FieldError("p", f"expected {y.shape[0]} predictions (one per label), got {q.shape[0]}")
        )
    if y.size == 0:
        problems.append(FieldError("y_true", "expected at least one label, got none"))
    if not np.isin(y, (0.0, 1.0)).all():
        problems.append(FieldError("y_true", "labels must be 0 or 1"))
    if q.size and not (np.isfinite(q).all() and (q >= 0.0).all() and (q <= 1.0).all()):
        bad = q[~(np.isfinite(q) & (q >= 0.0) & (q <= 1.0))][0]
        problems.append(FieldError("p", f"probabilities must be finite and in [0, 1], found {bad!r}"))
    if problems:
        raise ValidationError("cannot score these predictions", problems)
    return y, q


def auc(y_true: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Area under the ROC curve from ranks (tied scores share their average rank).

    NaN when only one class is present, as the AUC is undefined then.
    """
    y, q = _check(y_true, p)
    n_pos = float(y.sum())
    n_neg = float(y.size - n_pos)
    if n_pos == 0.0 or n_neg == 0.0:
        return math.nan
    order = np.argsort(q, kind="mergesort")
    sorted_q = q[order]
    # average ranks (1-based) over runs of equal scores
    starts = np.flatnonzero(np.r_[True, sorted_q[1:] != sorted_q[:-1]])
    ends = np.r_[starts[1:], sorted_q.size]
    avg_rank = (starts + ends + 1) / 2.0
    ranks = np.empty(q.size, dtype=np.float64)
    ranks[order] = np.repeat(avg_rank, ends - starts)
    rank_sum = float(ranks[y == 1.0].sum())
    return (rank_sum - n_pos * (n_pos + 1.0) / 2.0) / (n_pos * n_neg)


def rmse(y_true: npt.ArrayLike, p: npt.ArrayLike) -> float:
    """Root mean squared error between labels and probabilities."""
    y, q = _check(y_true, p)
    return float(np.sqrt(np.mean((y - q) ** 2)))


def accuracy(y_true: npt.ArrayLike, p: npt.ArrayLike, threshold: float = 0.5) -> float:
    """Share of labels equal to ``p >= threshold``."""
    y, q = _check(y_true, p)
    return float(np.mean((q >= threshold) == (y == 1.0)))


def log_loss(y_true: npt.ArrayLike, p: npt.ArrayLike, eps: float = _EPS) -> float:
    """Mean negative log-likelihood (natural log), probabilities clipped to ``[eps, 1 - eps]``."""
    y, q = _check(y_true, p)
    q = np.clip(q, eps, 1.0 - eps)
    return float(-np.mean(y * np.log(q) + (1.0 - y) * np.log1p(-q)))


def score_all(y_true: npt.ArrayLike, p: npt.ArrayLike) -> dict[str, float]:
    """``auc``, ``rmse``, ``accuracy`` and ``log_loss`` in one dict."""
    return {
        "auc": auc(y_true, p),
        "rmse": rmse(y_true, p),
        "accuracy": accuracy(y_true, p),
        "log_loss": log_loss(y_true, p),
    }
