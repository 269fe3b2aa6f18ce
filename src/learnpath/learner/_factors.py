"""Item factors: a learner's residuals on earlier items predict their residual on the next one.

A component of the stacked model (``stack.py``), for what the per-skill and per-item counts miss: transfer
between items that learners tend to find easy or hard *together* (steps of one problem, items of related
skills). Fitting:

1. each item's base rate (share right, shrunk towards the overall rate by 5 pseudo-attempts, as the
   logistic models do) and each row's residual (outcome minus its item's base rate);
2. the learners x items matrix of mean residuals (sum / (count + 1)), and its truncated SVD: each item gets
   ``k`` factors (right singular vectors scaled by the square root of their singular values);
3. a learner's factors before each attempt are the ridge regression of their earlier residuals on those
   items' factors, ``u = (ridge I + sum v v^T)^-1 sum r v``, and ``f = u . v_item`` is the residual that
   predicts on the next item (:func:`track`, a Numba kernel walking the rows; online the same sums are the
   state and the same solver gives the same numbers);
4. P(correct) = sigmoid(w0 + w1 logit(base rate) + w2 f), a logistic regression on the fitting rows.

Everything is deterministic (the SVD starts from a fixed vector). An item it never saw has no factors
(``f`` = 0) and the overall rate; without an item, the skills' average item is used.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Self

import numpy as np
import numpy.typing as npt
from numba import njit

from learnpath.errors import NotFittedError, ValidationError
from learnpath.learner._features import shrunk_rate
from learnpath.learner.base import AttemptTable, LearnerState

__all__ = ["ItemFactors", "solve_spd", "track"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


def _logit(p: F64) -> F64:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1.0 - 1e-6)
    return np.asarray(np.log(q / (1.0 - q)), dtype=np.float64)


@njit(cache=True, nogil=True)
def solve_spd(a: np.ndarray, b: np.ndarray, ridge: float) -> np.ndarray:
    """``(a + ridge I)^-1 b`` by Cholesky (``a`` symmetric positive semi-definite, ``ridge`` > 0)."""
    k = b.shape[0]
    low = np.zeros((k, k))
    for i in range(k):
        for j in range(i + 1):
            s = a[i, j] + (ridge if i == j else 0.0)
            for m in range(j):
                s -= low[i, m] * low[j, m]
            if i == j:
                low[i, i] = np.sqrt(s)
            else:
                low[i, j] = s / low[j, j]
    z = np.zeros(k)
    for i in range(k):
        s = b[i]
        for m in range(i):
            s -= low[i, m] * z[m]
        z[i] = s / low[i, i]
    x = np.zeros(k)
    for i in range(k - 1, -1, -1):
        s = z[i]
        for m in range(i + 1, k):
            s -= low[m, i] * x[m]
        x[i] = s / low[i, i]
    return x


@njit(cache=True, nogil=True)
def track(learner: np.ndarray, v: np.ndarray, residual: np.ndarray, ridge: float) -> np.ndarray:
    """Per row (sorted by learner, then time), ``u . v[row]`` with ``u`` the ridge fit of the learner's
    earlier residuals on their rows' factors ``v``; then the row joins the learner's sums."""
    n, k = v.shape
    out = np.zeros(n)
    a = np.zeros((k, k))
    b = np.zeros(k)
    for r in range(n):
        if r == 0 or learner[r] != learner[r - 1]:
            a[:, :] = 0.0
            b[:] = 0.0
        if k:
            u = solve_spd(a, b, ridge)
            s = 0.0
            for i in range(k):
                s += u[i] * v[r, i]
            out[r] = s
            for i in range(k):
                b[i] += residual[r] * v[r, i]
                for j in range(k):
                    a[i, j] += v[r, i] * v[r, j]
    return out


class ItemFactors:
    """The item-factor component (module doc). ``k``: factors per item; ``ridge``: prior weight of a
    learner's factors at 0. Learned: ``items_``, ``item_p_``, ``base_rate_``, ``factors_`` (items x k),
    ``skills_``, ``skill_factors_``, ``skill_logit_``, ``coef_`` (on logit(base rate) and f), ``intercept_``."""

    name = "item_factors"

    def __init__(self, k: int = 8, ridge: float = 3.0) -> None:
        self.k = k
        self.ridge = ridge

    def get_params(self) -> dict[str, Any]:
        return {"k": self.k, "ridge": self.ridge}

    def _check_fitted(self) -> None:
        if "factors_" not in self.__dict__:
            raise NotFittedError("ItemFactors is not fitted yet: call fit(attempts) first")

    def fit(self, attempts: AttemptTable) -> Self:
        from scipy.sparse import coo_matrix
        from scipy.sparse.linalg import svds  # type: ignore[import-untyped]
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        if not int(self.k) >= 1 or not float(self.ridge) > 0:
            raise ValidationError.for_field("k", f"need k >= 1 and ridge > 0, got {self.k!r}, {self.ridge!r}")
        if len(attempts) == 0 or np.unique(attempts.correct).shape[0] < 2:
            raise ValidationError.for_field("attempts", "need both right and wrong answers to fit")
        n_items = len(attempts.item_names)
        y = attempts.correct.astype(np.float64)
        self.base_rate_ = float(y.mean())
        n_i = np.bincount(attempts.item, minlength=n_items).astype(np.float64)
        w_i = np.bincount(attempts.item, weights=y, minlength=n_items)
        self.items_ = tuple(attempts.item_names)
        self.item_p_ = shrunk_rate(w_i, n_i, self.base_rate_)
        residual = y - self.item_p_[attempts.item]
        learners, row_learner = np.unique(attempts.learner, return_inverse=True)
        shape = (learners.shape[0], n_items)
        sums = coo_matrix((residual, (row_learner, attempts.item)), shape=shape).tocsr()
        counts = coo_matrix((np.ones_like(residual), (row_learner, attempts.item)), shape=shape).tocsr()
        sums.sum_duplicates()
        counts.sum_duplicates()
        means = sums.copy()
        means.data = sums.data / (counts.data + 1.0)
        k = min(int(self.k), min(shape) - 1)
        if k >= 1 and means.nnz:
            v0 = np.full(
                min(shape), 1.0 / np.sqrt(min(shape))
            )  # a fixed start: the same data, the same factors
            _, s, vt = svds(means, k=k, v0=v0, solver="arpack")
            factors = (vt.T * np.sqrt(np.maximum(s, 0.0))).astype(np.float64)
        else:
            factors = np.zeros((n_items, 0))
        self.factors_ = np.ascontiguousarray(factors)
        # the skills' average item: mean factors and mean logit(base rate) over each skill's distinct items
        pair_row = np.repeat(np.arange(len(attempts)), np.diff(attempts.skill_indptr))
        pairs = np.unique(np.stack([attempts.skill_indices, attempts.item[pair_row]]), axis=1)
        n_skills = len(attempts.skill_names)
        has = np.maximum(np.bincount(pairs[0], minlength=n_skills), 1).astype(np.float64)
        self.skills_ = tuple(attempts.skill_names)
        self.skill_factors_ = np.zeros((n_skills, self.factors_.shape[1]))
        np.add.at(self.skill_factors_, pairs[0], self.factors_[pairs[1]])
        self.skill_factors_ /= has[:, None]
        self.skill_logit_ = (
            np.bincount(pairs[0], weights=_logit(self.item_p_)[pairs[1]], minlength=n_skills) / has
        )
        f = track(attempts.learner, self.factors_[attempts.item], residual, float(self.ridge))
        x = np.column_stack([_logit(self.item_p_[attempts.item]), f])
        lr = LogisticRegression(C=1.0, max_iter=1000, tol=1e-8).fit(x, attempts.correct)
        self.coef_ = np.asarray(lr.coef_[0], dtype=np.float64)
        self.intercept_ = float(lr.intercept_[0])
        return self

    # -- batch ------------------------------------------------------------------------------------
    def _item_lut(self, names: Sequence[str]) -> I64:
        ix = {v: i for i, v in enumerate(self.items_)}
        return np.array([ix.get(v, -1) for v in names], dtype=np.int64)

    def predict_proba(self, attempts: AttemptTable) -> F64:
        """P(correct) of each row from the same learner's earlier rows."""
        return np.asarray(1.0 / (1.0 + np.exp(-self.predict_logit(attempts))), dtype=np.float64)

    def predict_logit(self, attempts: AttemptTable) -> F64:
        """The log-odds :meth:`predict_proba` takes the sigmoid of (what :meth:`logit` gives online)."""
        self._check_fitted()
        item = self._item_lut(attempts.item_names)[attempts.item]
        known = item >= 0
        rate = np.where(known, self.item_p_[np.maximum(item, 0)], self.base_rate_)
        v = np.where(known[:, None], self.factors_[np.maximum(item, 0)], 0.0)
        residual = attempts.correct.astype(np.float64) - rate
        f = track(attempts.learner, np.ascontiguousarray(v), residual, float(self.ridge))
        return np.asarray(
            self.intercept_ + self.coef_[0] * _logit(rate) + self.coef_[1] * f, dtype=np.float64
        )

    # -- online -----------------------------------------------------------------------------------
    def _item(self, item: str) -> tuple[float, F64]:
        cache: dict[str, int] | None = self.__dict__.get("_ix_cache")
        if cache is None:
            cache = {v: i for i, v in enumerate(self.items_)}
            self.__dict__["_ix_cache"] = cache
        i = cache.get(item)
        if i is None:
            return self.base_rate_, np.zeros(self.factors_.shape[1])
        return float(self.item_p_[i]), self.factors_[i]

    def init_state(self) -> LearnerState:
        self._check_fitted()
        k = self.factors_.shape[1]
        return {"a": [0.0] * (k * k), "b": [0.0] * k}

    def update(self, state: LearnerState, item: str, correct: bool) -> LearnerState:
        """The sums after one more answer on ``item`` (``state`` left as it was)."""
        rate, v = self._item(item)
        k = v.shape[0]
        a = np.asarray(state["a"], dtype=np.float64).reshape(k, k)
        b = np.asarray(state["b"], dtype=np.float64)
        r = float(correct) - rate
        b = b + r * v
        a = a + np.outer(v, v)
        return {"a": a.ravel().tolist(), "b": b.tolist()}

    def logit(self, state: LearnerState, item: str | None, skills: Sequence[str]) -> float:
        """Log-odds of the next answer: on ``item``, else on the average item of ``skills``."""
        k = self.factors_.shape[1]
        if item is not None:
            rate, v = self._item(item)
            z_rate = float(_logit(np.array([rate]))[0])
        else:
            ix: dict[str, int] | None = self.__dict__.get("_skill_cache")
            if ix is None:
                ix = {code: i for i, code in enumerate(self.skills_)}
                self.__dict__["_skill_cache"] = ix
            known = [ix[s] for s in skills if s in ix]
            v = self.skill_factors_[known].mean(axis=0) if known else np.zeros(k)
            z_rate = (
                float(self.skill_logit_[known].mean())
                if known
                else float(_logit(np.array([self.base_rate_]))[0])
            )
        f = 0.0
        if k:
            a = np.asarray(state["a"], dtype=np.float64).reshape(k, k)
            u = solve_spd(a, np.asarray(state["b"], dtype=np.float64), float(self.ridge))
            for i in range(k):
                f += float(u[i]) * float(v[i])
        return self.intercept_ + float(self.coef_[0]) * z_rate + float(self.coef_[1]) * f

    # -- serialisation ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        self._check_fitted()
        return {
            "hyperparameters": self.get_params(),
            "items": list(self.items_),
            "item_p": self.item_p_.tolist(),
            "base_rate": self.base_rate_,
            "n_factors": int(self.factors_.shape[1]),
            "factors": self.factors_.tolist(),
            "skills": list(self.skills_),
            "skill_factors": self.skill_factors_.tolist(),
            "skill_logit": self.skill_logit_.tolist(),
            "coef": self.coef_.tolist(),
            "intercept": self.intercept_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        model = cls(**dict(data.get("hyperparameters", {})))
        k = int(data["n_factors"])
        model.items_ = tuple(data["items"])
        model.item_p_ = np.asarray(data["item_p"], dtype=np.float64)
        model.base_rate_ = float(data["base_rate"])
        model.factors_ = np.ascontiguousarray(np.asarray(data["factors"], dtype=np.float64).reshape(-1, k))
        model.skills_ = tuple(data["skills"])
        model.skill_factors_ = np.asarray(data["skill_factors"], dtype=np.float64).reshape(-1, k)
        model.skill_logit_ = np.asarray(data["skill_logit"], dtype=np.float64)
        model.coef_ = np.asarray(data["coef"], dtype=np.float64)
        model.intercept_ = float(data["intercept"])
        return model
