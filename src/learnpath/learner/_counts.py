"""History counts a sequence model reads beside its own state (pure NumPy).

Six features of a learner's whole history before a row, as the logistic models count it: log(1 + right)
and log(1 + wrong) answers and the smoothed share right ``(right + 1) / (n + 2) - 1/2``, first on the
row's skills (each distinct skill once, averaged over them; zeros for a row with no skills), then over
all skills. :func:`history_features` computes them for a table, :func:`state_features` for the next
attempt from an online state's counts (``n`` answers, ``right`` of them right, and per skill
``skills[name] = {"n": ..., "c": ...}``); the two agree row for row.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from learnpath.learner.base import AttemptTable, LearnerState

__all__ = ["N_FEATURES", "count_features", "history_features", "state_features"]

F64 = npt.NDArray[np.float64]
N_FEATURES = 6


def count_features(right_s: F64, n_s: F64, right_a: F64, n_a: F64) -> F64:
    """The six history features from right/total counts on the skill(s) and overall, (n, 6)."""
    return np.stack(
        [
            np.log1p(right_s),
            np.log1p(n_s - right_s),
            (right_s + 1.0) / (n_s + 2.0) - 0.5,
            np.log1p(right_a),
            np.log1p(n_a - right_a),
            (right_a + 1.0) / (n_a + 2.0) - 0.5,
        ],
        axis=1,
    )


def history_features(attempts: AttemptTable) -> F64:
    """Each row's six history features from the same learner's earlier rows (see the module doc).

    Per-skill features are computed per skill of the row (each distinct skill once) and averaged; a row
    with no skills gets zeros for them. Counts are by the table's skill names, as the online state keeps them.
    """
    n = len(attempts)
    y = attempts.correct.astype(np.float64)
    learner = attempts.learner
    new = np.ones(n, dtype=bool)
    new[1:] = learner[1:] != learner[:-1]
    group = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    cum_y = np.cumsum(y) - y
    right_a = cum_y - cum_y[starts][group]
    n_a = (np.arange(n) - starts[group]).astype(np.float64)
    indptr = attempts.skill_indptr
    row = np.repeat(np.arange(n, dtype=np.int64), np.diff(indptr))
    skill = attempts.skill_indices[: indptr[-1]].astype(np.int64)
    n_skill_names = max(len(attempts.skill_names), int(skill.max(initial=-1)) + 1, 1)
    row, skill = np.unique(np.c_[row, skill], axis=0).T if row.size else (row, skill)
    key = group[row] * n_skill_names + skill
    order = np.lexsort((row, key))
    k_sorted, y_sorted = key[order], y[row[order]]
    first = np.ones(k_sorted.size, dtype=bool)
    first[1:] = k_sorted[1:] != k_sorted[:-1]
    grp = np.cumsum(first) - 1
    pos = np.arange(k_sorted.size)
    cum = np.cumsum(y_sorted) - y_sorted
    starts_k = np.flatnonzero(first)
    right_e, n_e = np.empty(k_sorted.size), np.empty(k_sorted.size)
    right_e[order] = cum - cum[starts_k][grp]
    n_e[order] = (pos - starts_k[grp]).astype(np.float64)
    per = np.bincount(row, minlength=n).astype(np.float64)
    safe = np.maximum(per, 1.0)
    feats = count_features(right_e, n_e, np.zeros_like(right_e), np.zeros_like(n_e))
    out = np.zeros((n, N_FEATURES))
    for k in range(3):
        out[:, k] = np.bincount(row, weights=feats[:, k], minlength=n) / safe
    out[:, 3:] = count_features(np.zeros(n), np.zeros(n), right_a, n_a)[:, 3:]
    return out


def state_features(state: LearnerState, skill_names: list[tuple[str, ...]]) -> F64:
    """History features of one next row per entry of ``skill_names``, from the state's counts."""
    known = state.get("skills", {})
    n_rows = len(skill_names)
    right_s, n_s = np.zeros(n_rows), np.zeros(n_rows)
    feats = np.zeros((n_rows, N_FEATURES))
    for k, names in enumerate(skill_names):
        distinct = list(dict.fromkeys(names))
        if distinct:
            per = count_features(
                np.array([float(known[s]["c"]) if s in known else 0.0 for s in distinct]),
                np.array([float(known[s]["n"]) if s in known else 0.0 for s in distinct]),
                np.zeros(len(distinct)),
                np.zeros(len(distinct)),
            )
            feats[k, :3] = per[:, :3].mean(axis=0)
    n_all = np.full(n_rows, float(state.get("n", 0)))
    right_all = np.full(n_rows, float(state.get("right", 0)))
    feats[:, 3:] = count_features(right_s, n_s, right_all, n_all)[:, 3:]
    return feats
