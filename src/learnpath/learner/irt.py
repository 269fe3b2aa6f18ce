"""Item response theory (Rasch, 2PL) and Elo, with an online, uncertainty-scaled ability update.

P(correct) of learner ``l`` on item ``i`` is ``sigmoid(a_i (theta_l - b_i))``: ``b_i`` the item's
difficulty, ``a_i`` its discrimination (1 in the Rasch model and in Elo).

- :class:`IRT` / :class:`IRT2PL` fit ``theta``, ``b`` (and ``log a``) jointly by MAP: the Bernoulli
  log-likelihood plus L2 penalties ``reg_theta/2 |theta|^2 + reg_item/2 |b|^2 (+ reg_discrimination/2
  |log a|^2)``, by block Newton steps (each block separates per learner or per item).
- :class:`Elo` learns item difficulties with Pelanek's Elo (2016): one pass over the training rows,
  ``K(n) = alpha / (1 + beta n)`` for both learners and items.

Items are then frozen. A learner's ability is tracked online (``update``, and row by row in
``predict_proba`` from the learner's earlier rows only) as a Gaussian N(mu, var) that starts at the
population prior of the fitted abilities; see :mod:`learnpath.learner._irt_kernels` for the update.
An item unseen in ``fit`` gets the mean difficulty (and discrimination) of its skills' items.

Mastery of a skill is P(correct) on an average item of the skill, ``sigmoid(a_s (mu - b_s))``, with a
90% interval from ``mu +- 1.645 sd``. It rises with ``mu``, and a correct answer never lowers ``mu``.
"""

from __future__ import annotations

import math
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from learnpath.core.evidence import Attempt
from learnpath.errors import FieldError, NotFittedError, ValidationError
from learnpath.learner import _irt_kernels as kernels
from learnpath.learner.base import AttemptTable, LearnerState, SkillMastery, check_sorted

__all__ = ["IRT", "IRT2PL", "Elo", "fit_joint_map"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
Z90 = 1.645


def _sigmoid(z: F64) -> F64:
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def fit_joint_map(
    learner: I64,
    item: I64,
    y: F64,
    n_learners: int,
    n_items: int,
    *,
    two_pl: bool,
    reg_theta: float,
    reg_item: float,
    reg_discrimination: float,
    max_iter: int,
    tol: float,
) -> tuple[F64, F64, F64, int]:
    """Joint MAP estimates ``(theta, b, a, n_iter)`` of the Rasch (or 2PL) model (block Newton)."""
    theta, b, a, n_iter = kernels.jml_fit(
        learner, item, y, n_learners, n_items, two_pl, float(reg_theta), float(reg_item),
        float(reg_discrimination), int(max_iter), float(tol),
    )  # fmt: skip
    return theta, b, a, int(n_iter)


class _Ability:
    """Shared online tracking, mastery and serialisation of the IRT family."""

    name: str
    _mode: ClassVar[int]
    drift: float
    items_: tuple[str, ...]
    difficulty_: F64
    discrimination_: F64
    skill_difficulty_: dict[str, float]
    skill_discrimination_: dict[str, float]
    theta_mean_: float
    theta_var_: float

    # -- hyperparameters ------------------------------------------------------------------------
    def get_params(self) -> dict[str, Any]:
        raise NotImplementedError

    def _rates(self) -> tuple[float, float]:
        return 0.0, 0.0

    # -- fitted values --------------------------------------------------------------------------
    def _is_fitted(self) -> bool:
        return "difficulty_" in self.__dict__

    def _check_fitted(self) -> None:
        if not self._is_fitted():
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call fit(attempts) first")

    def _prior(self) -> tuple[float, float]:
        if self._is_fitted():
            return self.theta_mean_, self.theta_var_
        return 0.0, 1.0

    def _store(self, attempts: AttemptTable, b: F64, a: F64, theta: F64) -> None:
        counts = np.bincount(attempts.item, minlength=len(attempts.item_names))
        seen = np.flatnonzero(counts > 0)
        self.items_ = tuple(attempts.item_names[i] for i in seen)
        self.difficulty_ = b[seen].astype(np.float64)
        self.discrimination_ = a[seen].astype(np.float64)
        rows = np.repeat(np.arange(len(attempts)), np.diff(attempts.skill_indptr))
        pair_item = attempts.item[rows]
        n_s = len(attempts.skill_names)
        w = np.bincount(attempts.skill_indices, minlength=n_s).astype(np.float64)
        sb = np.bincount(attempts.skill_indices, b[pair_item], n_s)
        sa = np.bincount(attempts.skill_indices, a[pair_item], n_s)
        used = np.flatnonzero(w > 0)
        self.skill_difficulty_ = {attempts.skill_names[s]: float(sb[s] / w[s]) for s in used}
        self.skill_discrimination_ = {attempts.skill_names[s]: float(sa[s] / w[s]) for s in used}
        self.global_difficulty_ = float(np.average(b[attempts.item]))
        self.theta_mean_ = float(theta.mean())
        self.theta_var_ = float(max(theta.var(), 0.05))

    def _item_lookup(self) -> dict[str, int]:
        cached: tuple[int, dict[str, int]] | None = self.__dict__.get("_item_cache")
        if cached is None or cached[0] != id(self.items_):
            cached = (id(self.items_), {name: k for k, name in enumerate(self.items_)})
            self.__dict__["_item_cache"] = cached
        return cached[1]

    def _skill_params(self, skills: tuple[str, ...]) -> tuple[float, float]:
        if not self._is_fitted():
            return 1.0, 0.0
        bs = [self.skill_difficulty_[s] for s in skills if s in self.skill_difficulty_]
        if not bs:
            return 1.0, self.global_difficulty_
        aa = [self.skill_discrimination_[s] for s in skills if s in self.skill_discrimination_]
        return float(np.mean(aa)), float(np.mean(bs))

    def _item_params(self, item: str, skills: tuple[str, ...]) -> tuple[float, float]:
        if self._is_fitted():
            k = self._item_lookup().get(item)
            if k is not None:
                return float(self.discrimination_[k]), float(self.difficulty_[k])
        return self._skill_params(skills)

    def _row_params(self, attempts: AttemptTable) -> tuple[F64, F64]:
        lookup = self._item_lookup()
        n_names = len(attempts.item_names)
        a_name = np.empty(n_names)
        b_name = np.empty(n_names)
        for k, name in enumerate(attempts.item_names):
            j = lookup.get(name)
            if j is not None:
                a_name[k], b_name[k] = self.discrimination_[j], self.difficulty_[j]
        a_row, b_row = a_name[attempts.item], b_name[attempts.item]
        unknown = np.array([name not in lookup for name in attempts.item_names], dtype=bool)
        for r in np.flatnonzero(unknown[attempts.item]).tolist():
            skills = attempts.skill_indices[attempts.skill_indptr[r] : attempts.skill_indptr[r + 1]]
            a_row[r], b_row[r] = self._skill_params(tuple(attempts.skill_names[s] for s in skills))
        return a_row, b_row

    def predict_proba(self, attempts: AttemptTable) -> F64:
        """P(correct) of each row from the learner's earlier rows in ``attempts`` (items frozen)."""
        self._check_fitted()
        check_sorted(attempts)
        a_row, b_row = self._row_params(attempts)
        alpha, beta = self._rates()
        mu0, var0 = self._prior()
        return kernels.track(  # type: ignore[no-any-return]
            attempts.learner, a_row, b_row, attempts.correct.astype(np.float64),
            mu0, var0, self._mode, float(self.drift), alpha, beta,
        )  # fmt: skip

    # -- online ---------------------------------------------------------------------------------
    def init_state(self) -> LearnerState:
        mu, var = self._prior()
        return {"model": self.name, "theta": mu, "var": var, "n": 0, "skills": {}}

    def _online_items(self) -> dict[str, tuple[float, float]]:
        """Item -> ``(a, b)`` as Python floats for ``update`` (rebuilt when the fitted arrays are replaced)."""
        if not self._is_fitted():
            return {}
        cached = self.__dict__.get("_online_cache")
        if cached is None or cached[0] is not self.items_ or cached[1] is not self.difficulty_:
            pairs = zip(self.discrimination_.tolist(), self.difficulty_.tolist(), strict=True)
            cached = (self.items_, self.difficulty_, dict(zip(self.items_, pairs, strict=True)))
            self.__dict__["_online_cache"] = cached
        return cached[2]  # type: ignore[no-any-return]

    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        """A new state with the learner's ability moved by this answer (input left unchanged).

        The app's hot path (p99 target 20 µs): the step of ``_irt_kernels.step`` written out on
        plain floats (same operations in the same order, so the same results).
        """
        found = self._online_items().get(attempt.item)
        a, b = found if found is not None else self._item_params(attempt.item, attempt.skills)
        alpha, beta = self._rates()
        n = int(state.get("n", 0))
        mu = float(state["theta"])
        var = float(state["var"]) + self.drift
        z = a * (mu - b)
        if z >= 0:
            p = 1.0 / (1.0 + math.exp(-z))
        else:
            e = math.exp(z)
            p = e / (1.0 + e)
        new_var = 1.0 / (1.0 / var + a * a * p * (1.0 - p))
        y = 1.0 if attempt.correct else 0.0
        if self._mode == kernels.GLICKO:
            mu = mu + new_var * a * (y - p)
        else:
            mu = mu + alpha / (1.0 + beta * float(n)) * (y - p)
        skills: dict[str, Any] = dict(state.get("skills", ()))
        at = attempt.at.isoformat()
        for code in attempt.skills:
            prev = skills.get(code)
            skills[code] = {"n": (int(prev["n"]) if prev else 0) + 1, "last_at": at}
        return {**state, "model": self.name, "theta": mu, "var": new_var, "n": n + 1, "skills": skills}

    def p_correct(self, state: LearnerState, skills: tuple[str, ...]) -> float:
        a, b = self._skill_params(skills)
        return float(kernels.predictive(float(state["theta"]), float(state["var"]) + self.drift, a, b))

    def p_mastery(self, state: LearnerState, skill: str) -> float:
        a, b = self._skill_params((skill,))
        return float(_sigmoid(np.array([a * (float(state["theta"]) - b)]))[0])

    def mastery(self, state: LearnerState) -> dict[str, SkillMastery]:
        mu, sd = float(state["theta"]), math.sqrt(float(state["var"]))
        out: dict[str, SkillMastery] = {}
        for code, s in state.get("skills", {}).items():
            a, b = self._skill_params((code,))
            z = a * (np.array([mu, mu - Z90 * sd, mu + Z90 * sd]) - b)
            p, low, high = (float(v) for v in _sigmoid(z))
            out[code] = SkillMastery(p, min(low, p), max(high, p), int(s["n"]))
        return out

    # -- serialisation --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"model": self.name, "hyperparameters": self.get_params()}
        if self._is_fitted():
            out["params"] = {
                "items": list(self.items_),
                "difficulty": self.difficulty_.tolist(),
                "discrimination": self.discrimination_.tolist(),
                "skill_difficulty": dict(self.skill_difficulty_),
                "skill_discrimination": dict(self.skill_discrimination_),
                "global_difficulty": self.global_difficulty_,
                "theta_mean": self.theta_mean_,
                "theta_var": self.theta_var_,
            }
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if data.get("model") != cls.name:
            raise ValidationError.for_field("model", f"expected {cls.name!r}, got {data.get('model')!r}")
        model = cls(**data.get("hyperparameters", {}))
        prm = data.get("params")
        if prm:
            model.items_ = tuple(prm["items"])
            model.difficulty_ = np.asarray(prm["difficulty"], dtype=np.float64)
            model.discrimination_ = np.asarray(prm["discrimination"], dtype=np.float64)
            model.skill_difficulty_ = {k: float(v) for k, v in prm["skill_difficulty"].items()}
            model.skill_discrimination_ = {k: float(v) for k, v in prm["skill_discrimination"].items()}
            model.global_difficulty_ = float(prm["global_difficulty"])
            model.theta_mean_ = float(prm["theta_mean"])
            model.theta_var_ = float(prm["theta_var"])
        return model

    def __init__(self, **_: Any) -> None:  # pragma: no cover - subclasses define the real one
        raise NotImplementedError


def _check_table(attempts: AttemptTable) -> None:
    check_sorted(attempts)
    if len(attempts) == 0:
        raise ValidationError.for_field("attempts", "expected at least one attempt, got an empty table")


class IRT(_Ability):
    """Rasch model fitted by joint MAP; online ability tracking with an uncertainty-scaled step.

    ``reg_theta`` is the prior precision of abilities, ``reg_item`` of difficulties (and
    ``reg_discrimination`` of log-discriminations in 2PL). ``drift`` is the variance added to a
    learner's ability before each answer (0: a fixed ability; > 0: lets it move as they learn).
    Learned: ``items_``, ``difficulty_``, ``discrimination_``, ``skill_difficulty_``,
    ``skill_discrimination_``, ``theta_mean_``, ``theta_var_`` (the prior of a new learner), ``n_iter_``.
    """

    name = "irt"
    _mode: ClassVar[int] = kernels.GLICKO
    _two_pl: ClassVar[bool] = False

    def __init__(
        self,
        reg_theta: float = 1.0,
        reg_item: float = 0.5,
        reg_discrimination: float = 2.0,
        drift: float = 0.02,
        max_iter: int = 200,
        tol: float = 1e-4,
    ) -> None:
        self.reg_theta = reg_theta
        self.reg_item = reg_item
        self.reg_discrimination = reg_discrimination
        self.drift = drift
        self.max_iter = max_iter
        self.tol = tol

    def get_params(self) -> dict[str, Any]:
        return {
            "reg_theta": self.reg_theta,
            "reg_item": self.reg_item,
            "reg_discrimination": self.reg_discrimination,
            "drift": self.drift,
            "max_iter": self.max_iter,
            "tol": self.tol,
        }

    def _validate(self) -> None:
        problems = [
            FieldError(k, f"must be > 0, got {getattr(self, k)!r}")
            for k in ("reg_theta", "reg_item", "reg_discrimination", "max_iter")
            if not getattr(self, k) > 0
        ]
        problems += [
            FieldError(k, f"must be >= 0, got {getattr(self, k)!r}")
            for k in ("drift", "tol")
            if not getattr(self, k) >= 0
        ]
        if problems:
            raise ValidationError(f"{type(self).__name__} hyperparameters are not valid", problems)

    def fit(self, attempts: AttemptTable) -> Self:
        """Joint MAP fit of abilities and item parameters; returns ``self``."""
        self._validate()
        _check_table(attempts)
        learners, learner_ix = np.unique(attempts.learner, return_inverse=True)
        theta, b, a, n_iter = fit_joint_map(
            learner_ix.astype(np.int64), attempts.item, attempts.correct.astype(np.float64),
            len(learners), len(attempts.item_names), two_pl=self._two_pl, reg_theta=self.reg_theta,
            reg_item=self.reg_item, reg_discrimination=self.reg_discrimination,
            max_iter=self.max_iter, tol=self.tol,
        )  # fmt: skip
        self._store(attempts, b, a, theta)
        self.n_iter_ = n_iter
        return self


class IRT2PL(IRT):
    """Two-parameter logistic IRT: as :class:`IRT` with a discrimination ``a_i > 0`` per item."""

    name = "irt2pl"
    _two_pl: ClassVar[bool] = True


class Elo(_Ability):
    """Pelanek's Elo rating for learners and items, ``K(n) = alpha / (1 + beta n)``.

    ``fit`` runs ``epochs`` passes over the rows in order to learn item difficulties; online, the
    learner's ability moves by ``K(n_answers) (y - p)``. Learned values as in :class:`IRT`.
    """

    name = "elo"
    _mode: ClassVar[int] = kernels.ELO

    def __init__(self, alpha: float = 1.0, beta: float = 0.06, epochs: int = 1, drift: float = 0.0) -> None:
        self.alpha = alpha
        self.beta = beta
        self.epochs = epochs
        self.drift = drift

    def get_params(self) -> dict[str, Any]:
        return {"alpha": self.alpha, "beta": self.beta, "epochs": self.epochs, "drift": self.drift}

    def _rates(self) -> tuple[float, float]:
        return float(self.alpha), float(self.beta)

    def fit(self, attempts: AttemptTable) -> Self:
        """Item difficulties by Elo passes over the rows; returns ``self``."""
        problems = [
            FieldError(k, f"must be > 0, got {getattr(self, k)!r}")
            for k in ("alpha", "epochs")
            if not getattr(self, k) > 0
        ]
        problems += [
            FieldError(k, f"must be >= 0, got {getattr(self, k)!r}")
            for k in ("beta", "drift")
            if not getattr(self, k) >= 0
        ]
        if problems:
            raise ValidationError("Elo hyperparameters are not valid", problems)
        _check_table(attempts)
        learners, learner_ix = np.unique(attempts.learner, return_inverse=True)
        b, theta = kernels.elo_fit(
            learner_ix.astype(np.int64), attempts.item, attempts.correct.astype(np.float64),
            len(attempts.item_names), len(learners), float(self.alpha), float(self.beta), int(self.epochs),
        )  # fmt: skip
        self._store(attempts, b, np.ones_like(b), theta)
        return self
