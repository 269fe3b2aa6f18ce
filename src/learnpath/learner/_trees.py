"""Gradient-boosted trees on dense history features, stored as plain arrays (JSON-able, no pickle).

Used by the stacked model (``stack.py``) as one of its components. The trees are grown by
scikit-learn's ``HistGradientBoostingClassifier`` and then copied into flat arrays; prediction walks the
arrays in a small Numba kernel (:func:`walk`), so a fitted model needs neither scikit-learn's estimator
nor pickle, and the batch and online paths share one traversal.

The features (:func:`dense_features`) are read from a :class:`~learnpath.learner._features.History`, the
structure that both the batch path (``table_history``) and the online path (the logistic model's
``_state_history``) produce, so the online features equal the batch ones by construction; and, for stacks
fitted since they exist, from :class:`RecentResiduals`: the learner's residuals (outcome minus the item's
base rate) over the last few attempts overall and on each skill, built by :func:`table_residuals` in batch
and by :func:`state_residuals` from the small state :func:`update_residuals` keeps online (summed in the
same order, so both give the same numbers).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from numba import njit

from learnpath.learner._features import History, _groups, _scatter

__all__ = [
    "RES_WINDOWS",
    "SKILL_RES_WINDOWS",
    "RecentResiduals",
    "TreeEnsemble",
    "dense_features",
    "feature_names",
    "fit_trees",
    "state_residuals",
    "table_residuals",
    "update_residuals",
    "walk",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

RES_WINDOWS = (1, 3, 10, 30)
"""Recent-residual windows over the learner's last k attempts overall (k = 1: the previous answer)."""

SKILL_RES_WINDOWS = (3, 10)
"""Recent-residual windows over the learner's last k attempts on each skill."""


@dataclass(frozen=True)
class RecentResiduals:
    """Sums of residuals (outcome minus the item's base rate) over the learner's last k attempts, and how
    many attempts there were: overall (``t_*``, one row per row, a column per :data:`RES_WINDOWS`) and on
    each of the row's skills (``s_*``, one row per row-skill pair, a column per :data:`SKILL_RES_WINDOWS`)."""

    t_sum: F64
    t_n: F64
    s_sum: F64
    s_n: F64


def _lag_sums(start: I64, x_sorted: F64, sizes: tuple[int, ...]) -> tuple[F64, F64]:
    """Per sorted position, the sum of ``x`` over its group's previous k elements (added oldest first, as
    ``sum`` adds a list of them online) and their count, for each k in ``sizes``."""
    n = x_sorted.shape[0]
    pos = np.arange(n, dtype=np.int64)
    sums = np.empty((n, len(sizes)))
    counts = np.empty((n, len(sizes)))
    for j, k in enumerate(sizes):
        acc = np.zeros(n)
        for lag in range(k, 0, -1):
            prev = pos - lag
            acc = acc + np.where(prev >= start, x_sorted[np.maximum(prev, 0)], 0.0)
        sums[:, j] = acc
        counts[:, j] = np.minimum(pos - start, k)
    return sums, counts


def table_residuals(learner: I64, pair_row: I64, pair_skill: I64, residual: F64) -> RecentResiduals:
    """:class:`RecentResiduals` of every row of a table sorted by learner then time (``residual[i]``: row
    i's outcome minus its item's base rate; ``pair_row``/``pair_skill``: the CSR skill layout's pairs)."""
    gl = _groups(learner)
    t_sum, t_n = _lag_sums(gl.start, residual[gl.order], RES_WINDOWS)
    gs = _groups(learner[pair_row], pair_skill)
    s_sum, s_n = _lag_sums(gs.start, residual[pair_row][gs.order], SKILL_RES_WINDOWS)
    return RecentResiduals(_scatter(gl, t_sum), _scatter(gl, t_n), _scatter(gs, s_sum), _scatter(gs, s_n))


def update_residuals(state: dict[str, Any] | None, skills: Sequence[str], residual: float) -> dict[str, Any]:
    """The residual state (``{"res": [...], "skills": {code: [...]}}``, oldest first, as long as the longest
    window) after one more attempt on ``skills``; ``state`` is left as it was."""
    state = state or {"res": [], "skills": {}}
    per = dict(state.get("skills", {}))
    for code in dict.fromkeys(skills):
        per[code] = [*per.get(code, []), residual][-max(SKILL_RES_WINDOWS) :]
    return {"res": [*state.get("res", []), residual][-max(RES_WINDOWS) :], "skills": per}


def state_residuals(state: dict[str, Any] | None, skills: Sequence[str]) -> RecentResiduals:
    """The one-row :class:`RecentResiduals` of a next attempt on ``skills`` from an :func:`update_residuals` state."""
    state = state or {"res": [], "skills": {}}

    def total(values: list[float]) -> float:
        acc = 0.0  # oldest first, one addition at a time: the batch path's order (not ``sum``'s)
        for v in values:
            acc += float(v)
        return acc

    def window(values: list[float], sizes: tuple[int, ...]) -> tuple[list[float], list[float]]:
        return [total(values[-k:]) for k in sizes], [float(len(values[-k:])) for k in sizes]

    t_sum, t_n = window(list(state.get("res", [])), RES_WINDOWS)
    per = [window(list(state.get("skills", {}).get(code, [])), SKILL_RES_WINDOWS) for code in skills]
    k = len(skills)
    return RecentResiduals(
        np.array([t_sum], dtype=np.float64),
        np.array([t_n], dtype=np.float64),
        np.array([p[0] for p in per], dtype=np.float64).reshape(k, len(SKILL_RES_WINDOWS)),
        np.array([p[1] for p in per], dtype=np.float64).reshape(k, len(SKILL_RES_WINDOWS)),
    )


def _logit(p: F64) -> F64:
    q = np.clip(p, 1e-4, 1.0 - 1e-4)
    return np.asarray(np.log(q / (1.0 - q)), dtype=np.float64)


def _share(w: F64, n: F64, prior: F64 | float) -> F64:
    """Share right with one pseudo-attempt at ``prior`` (defined when ``n`` is 0)."""
    return np.asarray((w + prior) / (n + 1.0), dtype=np.float64)


def _row_mean(values: F64, pair_row: I64, counts: F64) -> F64:
    return np.asarray(
        np.bincount(pair_row, weights=values, minlength=counts.shape[0]) / counts, dtype=np.float64
    )


def dense_features(
    h: History,
    item_rate: F64,
    item_count: F64,
    skill_rate: F64,
    n_rows: int,
    recent: RecentResiduals | None = None,
) -> F64:
    """Per row, dense features of the learner's history before it (columns named by :func:`feature_names`).

    ``item_rate``/``item_count`` are per row (the item's share right and attempts in the fitting data);
    ``skill_rate`` is per row-skill pair. Pair quantities are averaged over a row's skills. With
    ``recent``, the recent mean residuals (sum / (count + 1)) overall and on the skills come last.
    """
    pr = h.pair_row
    k = np.maximum(np.bincount(pr, minlength=n_rows).astype(np.float64), 1.0)
    base = item_rate

    def mean(v: F64) -> F64:
        return _row_mean(np.asarray(v, dtype=np.float64), pr, k)

    cols: list[F64] = [
        _logit(item_rate),
        np.log1p(item_count),
        _logit(mean(skill_rate)),
        k,
        np.log1p(h.t_n),
        _share(h.t_w, h.t_n, base),
        h.t_res / (h.t_n + 1.0),
    ]
    cols += [_share(h.t_recent_w[:, j], h.t_recent_n[:, j], base) for j in range(h.t_recent_n.shape[1])]
    cols += [h.t_pattern.astype(np.float64), np.log1p(h.i_n), _share(h.i_w, h.i_n, base)]
    cols += [h.i_last.astype(np.float64)]
    s_base = skill_rate
    cols += [mean(np.log1p(h.s_n)), mean(_share(h.s_w, h.s_n, s_base)), mean(h.s_res / (h.s_n + 1.0))]
    cols += [
        mean(_share(h.s_recent_w[:, j], h.s_recent_n[:, j], s_base)) for j in range(h.s_recent_n.shape[1])
    ]
    cols += [mean(h.s_pattern.astype(np.float64)), mean(np.log1p(h.s_streak_c)), mean(np.log1p(h.s_streak_f))]
    elapsed = np.where(np.isnan(h.s_elapsed), -1.0, np.log1p(np.maximum(np.nan_to_num(h.s_elapsed), 0.0)))
    cols.append(mean(elapsed))
    if h.s_step_n is not None and h.s_step_w is not None:
        for j in range(h.s_step_n.shape[1]):
            cols += [
                mean(np.log1p(h.s_step_n[:, j])),
                mean(_share(h.s_step_w[:, j], h.s_step_n[:, j], s_base)),
            ]
    if recent is not None:
        cols += [recent.t_sum[:, j] / (recent.t_n[:, j] + 1.0) for j in range(recent.t_sum.shape[1])]
        cols += [mean(recent.s_sum[:, j] / (recent.s_n[:, j] + 1.0)) for j in range(recent.s_sum.shape[1])]
    return np.column_stack(cols).astype(np.float64)


def feature_names(n_recent: int, n_steps: int, residuals: bool = False) -> tuple[str, ...]:
    """Names of the columns :func:`dense_features` returns for these window counts (``residuals``: with
    :class:`RecentResiduals`)."""
    names = ["item_rate", "item_count", "skill_rate", "n_skills", "t_n", "t_share", "t_ability"]
    names += [f"t_recent{j}" for j in range(n_recent)]
    names += ["t_pattern", "i_n", "i_share", "i_last", "s_n", "s_share", "s_ability"]
    names += [f"s_recent{j}" for j in range(n_recent)]
    names += ["s_pattern", "s_streak_right", "s_streak_wrong", "s_elapsed"]
    for j in range(n_steps):
        names += [f"s_step{j}_n", f"s_step{j}_share"]
    if residuals:
        names += [f"t_res_last{k}" for k in RES_WINDOWS] + [f"s_res_last{k}" for k in SKILL_RES_WINDOWS]
    return tuple(names)


@njit(cache=True, nogil=True)
def walk(
    x: np.ndarray, roots: np.ndarray, feature: np.ndarray, threshold: np.ndarray, missing_left: np.ndarray,
    left: np.ndarray, right: np.ndarray, is_leaf: np.ndarray, value: np.ndarray, baseline: float,
) -> np.ndarray:  # fmt: skip
    """Each row's ``baseline`` plus its leaf value in every tree, trees added in order (as scikit-learn does)."""
    n = x.shape[0]
    out = np.empty(n)
    for i in range(n):
        s = baseline
        for t in range(roots.shape[0]):
            node = roots[t]
            while not is_leaf[node]:
                v = x[i, feature[node]]
                go_left = missing_left[node] if np.isnan(v) else v <= threshold[node]
                node = left[node] if go_left else right[node]
            s += value[node]
        out[i] = s
    return out


@dataclass(frozen=True)
class TreeEnsemble:
    """Boosted trees as flat node arrays; ``roots[t]`` is tree t's first node. Raw score = ``baseline`` + leaves."""

    baseline: float
    roots: I64
    feature: I64
    threshold: F64
    missing_left: npt.NDArray[np.bool_]
    left: I64
    right: I64
    is_leaf: npt.NDArray[np.bool_]
    value: F64
    depth: int

    def raw(self, x: F64) -> F64:
        """The summed tree scores (log-odds) of each row of ``x``."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        return walk(  # type: ignore[no-any-return]
            x, self.roots, self.feature, self.threshold, self.missing_left, self.left, self.right,
            self.is_leaf, self.value, float(self.baseline),
        )  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        return {
            "baseline": self.baseline,
            "roots": self.roots.tolist(),
            "feature": self.feature.tolist(),
            "threshold": self.threshold.tolist(),
            "missing_left": self.missing_left.astype(int).tolist(),
            "left": self.left.tolist(),
            "right": self.right.tolist(),
            "is_leaf": self.is_leaf.astype(int).tolist(),
            "value": self.value.tolist(),
            "depth": self.depth,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TreeEnsemble:
        return cls(
            baseline=float(data["baseline"]),
            roots=np.asarray(data["roots"], dtype=np.int64),
            feature=np.asarray(data["feature"], dtype=np.int64),
            threshold=np.asarray(data["threshold"], dtype=np.float64),
            missing_left=np.asarray(data["missing_left"], dtype=bool),
            left=np.asarray(data["left"], dtype=np.int64),
            right=np.asarray(data["right"], dtype=np.int64),
            is_leaf=np.asarray(data["is_leaf"], dtype=bool),
            value=np.asarray(data["value"], dtype=np.float64),
            depth=int(data["depth"]),
        )


def fit_trees(
    x: F64,
    y: npt.NDArray[np.int8],
    *,
    max_iter: int,
    learning_rate: float,
    max_leaf_nodes: int,
    min_samples_leaf: int,
    l2: float,
) -> TreeEnsemble:
    """Grow boosted trees on ``x``, ``y`` (no early stopping, no subsampling: deterministic) and flatten them."""
    from sklearn.ensemble import HistGradientBoostingClassifier  # type: ignore[import-untyped]
    from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]

    est = HistGradientBoostingClassifier(
        max_iter=max_iter,
        learning_rate=learning_rate,
        max_leaf_nodes=max_leaf_nodes,
        min_samples_leaf=min_samples_leaf,
        l2_regularization=l2,
        early_stopping=False,
        random_state=0,
    )
    # one OpenMP thread: on a small shared machine, scikit-learn's thread team spins against other jobs and
    # the fit runs several times slower than on one thread (docs/benchmarks.md)
    with threadpool_limits(limits=1, user_api="openmp"):
        est.fit(x, y)
    roots: list[int] = []
    parts: list[Any] = []
    at = 0
    for per_class in est._predictors:
        nodes = per_class[0].nodes
        roots.append(at)
        parts.append((nodes, at))
        at += nodes.shape[0]
    if not parts:
        empty_i = np.zeros(0, dtype=np.int64)
        empty_b = np.zeros(0, dtype=bool)
        return TreeEnsemble(
            float(est._baseline_prediction.ravel()[0]), empty_i, empty_i, np.zeros(0), empty_b,
            empty_i, empty_i, empty_b, np.zeros(0), 0,
        )  # fmt: skip
    feature = np.concatenate([p["feature_idx"].astype(np.int64) for p, _ in parts])
    threshold = np.concatenate([p["num_threshold"].astype(np.float64) for p, _ in parts])
    missing_left = np.concatenate([p["missing_go_to_left"].astype(bool) for p, _ in parts])
    left = np.concatenate([p["left"].astype(np.int64) + off for p, off in parts])
    right = np.concatenate([p["right"].astype(np.int64) + off for p, off in parts])
    is_leaf = np.concatenate([p["is_leaf"].astype(bool) for p, _ in parts])
    value = np.concatenate([p["value"].astype(np.float64) for p, _ in parts])
    depth = int(max(int(p["depth"].max()) for p, _ in parts)) + 1
    # leaves point at themselves, so a walk that has stopped stays put
    idx = np.arange(feature.shape[0], dtype=np.int64)
    left = np.where(is_leaf, idx, left)
    right = np.where(is_leaf, idx, right)
    feature = np.where(is_leaf, 0, feature)
    return TreeEnsemble(
        baseline=float(est._baseline_prediction.ravel()[0]),
        roots=np.asarray(roots, dtype=np.int64),
        feature=feature,
        threshold=threshold,
        missing_left=missing_left,
        left=left,
        right=right,
        is_leaf=is_leaf,
        value=np.where(is_leaf, value, 0.0),
        depth=depth,
    )
