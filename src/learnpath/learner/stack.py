"""The stacked learner model ``best``: several learner models blended by a small logistic regression.

Components (each a model of its own, fitted on the same attempts):

- ``lr``: Best-LR+ with step windows (:class:`~learnpath.learner.logistic.BestLRPlusWindows`);
- ``trees``: gradient-boosted trees on dense history features (``_trees.py``), trained with out-of-fold item
  base rates so a row's own answer never leaks into its item's rate; since the recent-residual features,
  they also read the learner's residuals over the last few attempts overall and on the skill;
- ``bkt``: per-skill BKT (:class:`~learnpath.learner.bkt.BKT`, with forgetting by default);
- ``elo``: Elo ability tracking (:class:`~learnpath.learner.irt.Elo`);
- ``irt2pl``: two-parameter IRT with online ability tracking (:class:`~learnpath.learner.irt.IRT2PL`);
- ``factors``: item factors (``_factors.py``): the learner's residuals on earlier items, through factors of
  the items from an SVD of learners x items residuals, predict their residual on the next item
  (stacks stored before ``irt2pl`` and ``factors`` joined have neither and blend the four above);
- ``deep`` (optional, off by default): a deep model, ``deep="dkt"``
  (:class:`~learnpath.learner.deep.DKT`) or ``deep="attn"``
  (:class:`~learnpath.learner.attention.AttentionKT`), built by the registry with ``deep_params`` and seed
  ``seed + 2``. Fitting it needs PyTorch; using it does not (both have NumPy inference). ``deep="auto"``
  takes ``dkt`` when PyTorch is installed and ``torch.cuda.is_available()``, else no deep component: the
  fitted stack records what it used (``deep_``), so a stored version predicts the same on any machine.

Fitting: the training learners are split by a hash of their id into a fitting share and a held-out share
(``holdout``, deterministic). The components are fitted on the fitting share; the blender (a logistic
regression on the components' log-odds, the learner's history length on the skill and overall, and each
log-odds times log(1 + attempts on the skill)) is fitted on the held-out learners' predictions only. With
``refit=True`` the components are then fitted again on every training learner (the blender kept).

Online: the state holds each component's state (and ``residuals``, the trees' recent residuals); ``update``
updates each; ``p_correct`` blends the components' online predictions exactly as ``predict_proba`` blends
their batch ones. Mastery is read from the
stack's P(correct) on an average item of the skill through BKT's guess and slip, as in ``logistic.py``.
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Any, Self

import numpy as np
import numpy.typing as npt

from learnpath.core.evidence import Attempt
from learnpath.errors import FieldError, NotFittedError, ValidationError
from learnpath.learner import _irt_kernels as irt_kernels
from learnpath.learner._factors import ItemFactors
from learnpath.learner._features import History, shrunk_rate, table_history
from learnpath.learner._trees import (
    RecentResiduals,
    TreeEnsemble,
    dense_features,
    fit_trees,
    state_residuals,
    table_residuals,
    update_residuals,
)
from learnpath.learner.attention import AttentionKT
from learnpath.learner.base import AttemptTable, LearnerState, SkillMastery, check_sorted
from learnpath.learner.bkt import BKT
from learnpath.learner.deep import DKT
from learnpath.learner.irt import IRT2PL, Elo, _Ability
from learnpath.learner.logistic import BestLRPlusWindows, read_mastery

__all__ = ["COMPONENTS", "DEEP_CHOICES", "Stack", "held_out_learners", "subset"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

COMPONENTS = ("lr", "trees", "bkt", "elo", "irt2pl", "factors")
"""Component names of a stack fitted now, in the order of the blender's inputs (then ``deep`` when the stack
has one). Stacks stored before ``irt2pl`` and ``factors`` joined have the first four."""

DEEP_CHOICES = ("dkt", "attn", "auto")
"""Values of the ``deep`` hyperparameter besides ``None`` (no deep component, the default)."""

DeepModel = DKT | AttentionKT

_MIN_HELD_ROWS = 50
"""Fewer held-out rows than this (or only one outcome among them): the blender passes ``lr`` through."""


def _logit(p: F64) -> F64:
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-6, 1.0 - 1e-6)
    return np.asarray(np.log(q / (1.0 - q)), dtype=np.float64)


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


def _mix(x: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """splitmix64's finaliser: a well-spread 64-bit hash of each value."""
    with np.errstate(over="ignore"):
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        return np.asarray(x ^ (x >> np.uint64(31)), dtype=np.uint64)


def _learner_hash(learner: I64, seed: int) -> F64:
    """A number in [0, 1) per learner id, fixed by the id and ``seed`` alone."""
    with np.errstate(over="ignore"):
        x = learner.astype(np.uint64) + np.uint64(seed) * np.uint64(0x9E3779B97F4A7C15)
    return np.asarray((_mix(x) >> np.uint64(11)).astype(np.float64) / float(1 << 53), dtype=np.float64)


def held_out_learners(learner: I64, share: float, seed: int = 0) -> npt.NDArray[np.bool_]:
    """Per row, whether its learner is in the held-out share (chosen by a hash of the learner id)."""
    return np.asarray(_learner_hash(learner, seed) < share, dtype=bool)


def subset(table: AttemptTable, rows: npt.NDArray[np.bool_]) -> AttemptTable:
    """The rows of ``table`` where ``rows`` is true (same item and skill vocabulary, order kept)."""
    idx = np.flatnonzero(rows)
    lengths = np.diff(table.skill_indptr)[idx]
    starts = table.skill_indptr[idx]
    pairs = np.repeat(starts - np.r_[0, np.cumsum(lengths)[:-1]], lengths) + np.arange(int(lengths.sum()))

    def pick(col: Any) -> Any:
        return None if col is None else col[idx]

    return AttemptTable(
        learner=table.learner[idx],
        item=table.item[idx],
        skill_indptr=np.r_[0, np.cumsum(lengths)].astype(np.int64),
        skill_indices=table.skill_indices[pairs].astype(np.int64),
        correct=table.correct[idx],
        timestamp=table.timestamp[idx],
        item_names=table.item_names,
        skill_names=table.skill_names,
        duration_ms=pick(table.duration_ms),
        hints=pick(table.hints),
        attempt_count=pick(table.attempt_count),
    )


class _Parts:
    """The fitted components and the lookups the tree features need (all in the ``lr`` vocabulary)."""

    def __init__(
        self,
        lr: BestLRPlusWindows,
        bkt: BKT,
        elo: Elo,
        trees: TreeEnsemble,
        item_count: F64,
        skill_rate: F64,
        skill_item_rate: F64,
        skill_item_count: F64,
        deep: DeepModel | None = None,
        irt2pl: IRT2PL | None = None,
        factors: ItemFactors | None = None,
        residuals: bool = True,
    ) -> None:
        self.lr, self.bkt, self.elo, self.trees, self.deep = lr, bkt, elo, trees, deep
        self.irt2pl, self.factors = irt2pl, factors
        self.residuals = residuals  # the trees read RecentResiduals (False: a stack stored before them)
        self.item_count = item_count
        self.skill_rate = skill_rate
        self.skill_item_rate = skill_item_rate
        self.skill_item_count = skill_item_count

    def to_dict(self) -> dict[str, Any]:
        return {
            "lr": self.lr.to_dict(),
            "bkt": self.bkt.to_dict(),
            "elo": self.elo.to_dict(),
            "trees": self.trees.to_dict(),
            "item_count": self.item_count.tolist(),
            "skill_rate": self.skill_rate.tolist(),
            "skill_item_rate": self.skill_item_rate.tolist(),
            "skill_item_count": self.skill_item_count.tolist(),
            "deep": None if self.deep is None else self.deep.to_dict(),
            "irt2pl": None if self.irt2pl is None else self.irt2pl.to_dict(),
            "factors": None if self.factors is None else self.factors.to_dict(),
            "tree_residuals": self.residuals,
        }

    def item_rate(self, item: I64) -> F64:
        """Each row's item base rate (Best-LR+'s; the overall rate for an item the fit never saw, index -1)."""
        return np.append(np.asarray(self.lr.item_p_, dtype=np.float64), self.lr.base_rate_)[item]

    @property
    def names(self) -> tuple[str, ...]:
        """The components' names in the order of the blender's inputs."""
        names: tuple[str, ...] = COMPONENTS[:4]
        names += ("irt2pl",) if self.irt2pl is not None else ()
        names += ("factors",) if self.factors is not None else ()
        return names if self.deep is None else (*names, "deep")

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> _Parts:
        return cls(
            BestLRPlusWindows.from_dict(data["lr"]),
            BKT.from_dict(data["bkt"]),
            Elo.from_dict(data["elo"]),
            TreeEnsemble.from_dict(data["trees"]),
            np.asarray(data["item_count"], dtype=np.float64),
            np.asarray(data["skill_rate"], dtype=np.float64),
            np.asarray(data["skill_item_rate"], dtype=np.float64),
            np.asarray(data["skill_item_count"], dtype=np.float64),
            _load_deep(data.get("deep")),
            None if data.get("irt2pl") is None else IRT2PL.from_dict(data["irt2pl"]),
            None if data.get("factors") is None else ItemFactors.from_dict(data["factors"]),
            bool(data.get("tree_residuals", False)),  # stored before the recent residuals: without them
        )


def _load_deep(data: dict[str, Any] | None) -> DeepModel | None:
    """The deep component from its ``to_dict`` form (``None``: the stack has none)."""
    if data is None:
        return None
    name = data.get("model")
    if name == DKT.name:
        return DKT.from_dict(data)
    if name == AttentionKT.name:
        return AttentionKT.from_dict(data)
    raise ValidationError.for_field("params.components.deep.model", f"expected 'dkt' or 'attn', got {name!r}")


class Stack:
    """``best``: Best-LR+, boosted trees, BKT, Elo, 2PL IRT and item factors blended by a logistic regression
    fitted on held-out learners.

    Hyperparameters: ``holdout`` (share of training learners the blender is fitted on), ``seed`` (which
    learners those are), ``refit`` (fit the components again on all learners afterwards), ``blend_C`` (inverse
    L2 strength of the blender), ``bkt_forgets``, and the trees' ``tree_iter``, ``tree_lr``, ``tree_leaves``,
    ``tree_min_leaf``, ``tree_l2`` and ``tree_folds`` (folds of learners for the out-of-fold item rates);
    ``deep`` (``None``, ``"dkt"``, ``"attn"`` or ``"auto"``: a fifth, deep component, see the module doc)
    and ``deep_params`` (that model's hyperparameters; its ``seed`` is ``seed + 2`` unless given).
    Learned: ``parts_``, ``blend_coef_``, ``blend_intercept_``, ``held_out_rows_`` and ``deep_`` (the deep
    model used, ``None`` if none).
    """

    name = "best"

    def __init__(
        self,
        holdout: float = 0.2,
        seed: int = 0,
        refit: bool = True,
        blend_C: float = 1.0,
        bkt_forgets: bool = True,
        tree_iter: int = 250,
        tree_lr: float = 0.1,
        tree_leaves: int = 63,
        tree_min_leaf: int = 100,
        tree_l2: float = 1.0,
        tree_folds: int = 5,
        deep: str | None = None,
        deep_params: dict[str, Any] | None = None,
    ) -> None:
        self.holdout = holdout
        self.seed = seed
        self.refit = refit
        self.blend_C = blend_C
        self.bkt_forgets = bkt_forgets
        self.tree_iter = tree_iter
        self.tree_lr = tree_lr
        self.tree_leaves = tree_leaves
        self.tree_min_leaf = tree_min_leaf
        self.tree_l2 = tree_l2
        self.tree_folds = tree_folds
        self.deep = deep
        self.deep_params = deep_params

    def get_params(self) -> dict[str, Any]:
        return {
            "holdout": self.holdout,
            "seed": self.seed,
            "refit": self.refit,
            "blend_C": self.blend_C,
            "bkt_forgets": self.bkt_forgets,
            "tree_iter": self.tree_iter,
            "tree_lr": self.tree_lr,
            "tree_leaves": self.tree_leaves,
            "tree_min_leaf": self.tree_min_leaf,
            "tree_l2": self.tree_l2,
            "tree_folds": self.tree_folds,
            "deep": self.deep,
            "deep_params": dict(self.deep_params) if isinstance(self.deep_params, dict) else self.deep_params,
        }

    def _validate(self) -> None:
        problems: list[FieldError] = []
        if not 0.0 < self.holdout < 1.0:
            problems.append(FieldError("holdout", f"must be between 0 and 1, got {self.holdout!r}"))
        if not self.blend_C > 0:
            problems.append(FieldError("blend_C", f"must be > 0, got {self.blend_C!r}"))
        for key, least in (("tree_iter", 1), ("tree_leaves", 2), ("tree_min_leaf", 1)):
            if not int(getattr(self, key)) >= least:
                problems.append(
                    FieldError(key, f"must be a whole number >= {least}, got {getattr(self, key)!r}")
                )
        if not self.tree_lr > 0:
            problems.append(FieldError("tree_lr", f"must be > 0, got {self.tree_lr!r}"))
        if not self.tree_l2 >= 0:
            problems.append(FieldError("tree_l2", f"must be >= 0, got {self.tree_l2!r}"))
        if not int(self.tree_folds) >= 2:
            problems.append(FieldError("tree_folds", f"must be >= 2, got {self.tree_folds!r}"))
        if self.deep is not None and self.deep not in DEEP_CHOICES:
            problems.append(
                FieldError("deep", f"must be none or one of {', '.join(DEEP_CHOICES)}, got {self.deep!r}")
            )
        if self.deep_params is not None and not isinstance(self.deep_params, dict):
            problems.append(
                FieldError("deep_params", f"must be a mapping of hyperparameters, got {self.deep_params!r}")
            )
        if problems:
            raise ValidationError("Stack hyperparameters are not valid", problems)

    def _resolve_deep(self) -> str | None:
        """Which deep model to fit: ``deep`` itself, or for ``"auto"`` ``dkt`` where a GPU is available."""
        if self.deep != "auto":
            return self.deep
        try:
            import torch
        except ImportError:
            return None
        return "dkt" if bool(torch.cuda.is_available()) else None

    def _new_deep(self, name: str) -> DeepModel:
        """A new, unfitted deep component (built by the registry, so a missing PyTorch is a clear error)."""
        from learnpath.learner.registry import build_model

        params: dict[str, Any] = {"seed": int(self.seed) + 2, **(self.deep_params or {})}
        model = build_model(name, **params)
        assert isinstance(model, DKT | AttentionKT)
        return model

    # -- fitting ----------------------------------------------------------------------------------
    def _is_fitted(self) -> bool:
        return "parts_" in self.__dict__

    def _check_fitted(self) -> None:
        if not self._is_fitted():
            raise NotFittedError("Stack is not fitted yet: call fit(attempts) first")

    def _fit_parts(self, table: AttemptTable, deep: str | None = None) -> _Parts:
        """Fit every component on ``table``: the trees in a second thread while BKT, Best-LR+, Elo, 2PL IRT,
        the item factors and the ``deep`` model (if any) fit here (both threads release the GIL in their inner
        loops, so on two cores the fit takes about the longer of the two)."""
        from concurrent.futures import ThreadPoolExecutor

        lr = BestLRPlusWindows()
        with ThreadPoolExecutor(max_workers=1) as pool:
            grown = pool.submit(self._fit_trees, table, lr)
            bkt = BKT(forgets=bool(self.bkt_forgets), rng=int(self.seed)).fit(table)
            lr.fit(table, bkt=bkt)
            elo = Elo().fit(table)
            irt2pl = IRT2PL().fit(table)
            factors = ItemFactors().fit(table)
            deep_model = None if deep is None else self._new_deep(deep).fit(table)
            trees, skill_rate = grown.result()
        n_items, n_skills = len(lr.items_), len(lr.skills_)
        n_i = np.bincount(table.item, minlength=n_items).astype(np.float64)
        # per skill, the mean rate and count of its distinct items: the "average item" of online p_correct
        pair_row = np.repeat(np.arange(len(table)), np.diff(table.skill_indptr))
        pairs = np.unique(np.stack([table.skill_indices, table.item[pair_row]]), axis=1)
        has = np.bincount(pairs[0], minlength=n_skills)
        k_s = np.maximum(has, 1)
        item_p = np.asarray(lr.item_p_, dtype=np.float64)
        skill_item_rate = np.where(
            has > 0, np.bincount(pairs[0], weights=item_p[pairs[1]], minlength=n_skills) / k_s, lr.base_rate_
        )
        skill_item_count = np.bincount(pairs[0], weights=n_i[pairs[1]], minlength=n_skills) / k_s
        return _Parts(
            lr,
            bkt,
            elo,
            trees,
            n_i,
            skill_rate,
            skill_item_rate,
            skill_item_count,
            deep_model,
            irt2pl,
            factors,
        )

    def _fit_trees(self, table: AttemptTable, lr: BestLRPlusWindows) -> tuple[TreeEnsemble, F64]:
        """The boosted trees on dense history features (with out-of-fold item rates), and each skill's rate."""
        n_items, n_skills = len(table.item_names), len(table.skill_names)
        y = table.correct.astype(np.float64)
        base = float(y.mean())
        n_i = np.bincount(table.item, minlength=n_items).astype(np.float64)
        w_i = np.bincount(table.item, weights=y, minlength=n_items)
        # out-of-fold item rates and counts: a row's item rate comes from the other folds' learners
        folds = int(self.tree_folds)
        fold = np.minimum((_learner_hash(table.learner, self.seed + 1) * folds).astype(np.int64), folds - 1)
        rate = np.empty(len(table))
        count = np.empty(len(table))
        for f in range(folds):
            mine = fold == f
            n_f = n_i - np.bincount(table.item[mine], minlength=n_items)
            w_f = w_i - np.bincount(table.item[mine], weights=y[mine], minlength=n_items)
            rate[mine] = shrunk_rate(w_f, n_f, base)[table.item[mine]]
            count[mine] = (n_f * folds / (folds - 1))[table.item[mine]]
        pair_row = np.repeat(np.arange(len(table)), np.diff(table.skill_indptr))
        pair_skill = table.skill_indices
        n_s = np.bincount(pair_skill, minlength=n_skills).astype(np.float64)
        w_s = np.bincount(pair_skill, weights=y[pair_row], minlength=n_skills)
        skill_rate = shrunk_rate(w_s, n_s, base)
        h = table_history(table, y - rate, tuple(lr.recent), tuple(lr.windows), tuple(lr.steps))
        recent = table_residuals(table.learner, pair_row, pair_skill.astype(np.int64), y - rate)
        x = dense_features(h, rate, count, skill_rate[pair_skill], len(table), recent)
        trees = fit_trees(
            x,
            table.correct,
            max_iter=int(self.tree_iter),
            learning_rate=float(self.tree_lr),
            max_leaf_nodes=int(self.tree_leaves),
            min_samples_leaf=int(self.tree_min_leaf),
            l2=float(self.tree_l2),
        )
        return trees, np.asarray(skill_rate, dtype=np.float64)

    def fit(self, attempts: AttemptTable) -> Self:
        """Fit the components on the non-held-out learners, the blender on the held-out ones; returns ``self``."""
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        self._validate()
        check_sorted(attempts)
        if len(attempts) == 0 or np.unique(attempts.correct).shape[0] < 2:
            raise ValidationError.for_field("attempts", "need both right and wrong answers to fit")
        deep = self._resolve_deep()
        if deep is not None:
            self._new_deep(deep)  # a missing PyTorch or a bad deep_params is an error now, before any fitting
        held = held_out_learners(attempts.learner, float(self.holdout), int(self.seed))
        fit_part = subset(attempts, ~held)
        usable = (
            int(held.sum()) >= _MIN_HELD_ROWS
            and np.unique(attempts.correct[held]).shape[0] == 2
            and np.unique(fit_part.correct).shape[0] == 2
        )
        if usable:
            self.parts_ = self._fit_parts(fit_part, deep)
            held_part = subset(attempts, held)
            x = self._blend_inputs(held_part)
            blender = LogisticRegression(C=float(self.blend_C), max_iter=1000, tol=1e-6)
            blender.fit(x, held_part.correct)
            self.blend_coef_ = np.asarray(blender.coef_[0], dtype=np.float64)
            self.blend_intercept_ = float(blender.intercept_[0])
            self.held_out_rows_ = int(held.sum())
            if self.refit:
                self.parts_ = self._fit_parts(attempts, deep)
        else:  # too little held-out evidence to weigh the components: Best-LR+ alone
            self.parts_ = self._fit_parts(attempts, deep)
            self.blend_coef_ = np.zeros(_n_inputs(len(self.parts_.names)))
            self.blend_coef_[0] = 1.0
            self.blend_intercept_ = 0.0
            self.held_out_rows_ = 0
        self.deep_ = deep
        return self

    # -- batch ------------------------------------------------------------------------------------
    def _blend_inputs(self, table: AttemptTable) -> F64:
        parts = self.parts_
        h, item, pair_skill = parts.lr.history(table)
        z_lr = parts.lr.logit_from_history(h, item, pair_skill)
        rate = parts.item_rate(item)
        recent = None
        if parts.residuals:
            residual = table.correct.astype(np.float64) - rate  # as the logistic model's own residuals
            recent = table_residuals(
                table.learner, h.pair_row, table.skill_indices.astype(np.int64), residual
            )
        z_trees = self._tree_logit(h, item, rate, pair_skill, recent)
        z_bkt = _logit(parts.bkt.predict_proba(table))
        z_elo = _logit(parts.elo.predict_proba(table))
        z = [z_lr, z_trees, z_bkt, z_elo]
        if parts.irt2pl is not None:
            z.append(_logit(parts.irt2pl.predict_proba(table)))
        if parts.factors is not None:
            z.append(parts.factors.predict_logit(table))
        if parts.deep is not None:
            z.append(_logit(parts.deep.predict_proba(table)))
        return _assemble(np.column_stack(z), h, len(table))

    def _tree_logit(
        self, h: History, item: I64, rate: F64, pair_skill: I64, recent: RecentResiduals | None
    ) -> F64:
        """The trees' log-odds of each row (``rate``: its item's base rate, :meth:`_Parts.item_rate`)."""
        parts = self.parts_
        count = np.append(parts.item_count, 0.0)[item]
        s_rate = np.append(parts.skill_rate, parts.lr.base_rate_)[pair_skill]
        return parts.trees.raw(dense_features(h, rate, count, s_rate, int(item.shape[0]), recent))

    def predict_proba(self, attempts: AttemptTable) -> F64:
        """P(correct) of each row from the same learner's earlier rows only."""
        self._check_fitted()
        check_sorted(attempts)
        z = self._blend_inputs(attempts) @ self.blend_coef_ + self.blend_intercept_
        return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)

    def component_proba(self, attempts: AttemptTable) -> dict[str, F64]:
        """Each component's own P(correct) of each row (for reading how the blend uses them)."""
        self._check_fitted()
        x = self._blend_inputs(attempts)
        return {name: 1.0 / (1.0 + np.exp(-x[:, j])) for j, name in enumerate(self.parts_.names)}

    # -- online -----------------------------------------------------------------------------------
    def init_state(self) -> LearnerState:
        self._check_fitted()
        p = self.parts_
        state: LearnerState = {
            "model": self.name,
            "lr": p.lr.init_state(),
            "bkt": p.bkt.init_state(),
            "elo": p.elo.init_state(),
        }
        if p.irt2pl is not None:
            state["irt2pl"] = p.irt2pl.init_state()
        if p.factors is not None:
            state["factors"] = p.factors.init_state()
        if p.residuals:
            state["residuals"] = {"res": [], "skills": {}}
        if p.deep is not None:
            state["deep"] = p.deep.init_state()
        return state

    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        """A new state with ``attempt`` added to every component's state; ``state`` is left as it was."""
        self._check_fitted()
        p = self.parts_
        new: LearnerState = {
            **state,
            "model": self.name,
            "lr": p.lr.update(state.get("lr") or p.lr.init_state(), attempt),
            "bkt": p.bkt.update(state.get("bkt") or p.bkt.init_state(), attempt),
            "elo": p.elo.update(state.get("elo") or p.elo.init_state(), attempt),
        }
        if p.irt2pl is not None:
            new["irt2pl"] = p.irt2pl.update(state.get("irt2pl") or p.irt2pl.init_state(), attempt)
        if p.factors is not None:
            before = state.get("factors") or p.factors.init_state()
            new["factors"] = p.factors.update(before, attempt.item, attempt.correct)
        if p.residuals:
            residual = float(attempt.correct) - p.lr._item_rate(attempt.item)  # as Best-LR+'s update
            new["residuals"] = update_residuals(state.get("residuals"), attempt.skills, residual)
        if p.deep is not None:
            new["deep"] = p.deep.update(state.get("deep") or p.deep.init_state(), attempt)
        return new

    def p_correct(
        self,
        state: LearnerState,
        skills: tuple[str, ...],
        item: str | None = None,
        at: datetime | None = None,
    ) -> float:
        """P(correct) of the next attempt on ``skills``: on ``item`` if given, else on an average item of them.

        ``at`` is when the attempt happens (for time features); by default the learner's last attempt time.
        """
        self._check_fitted()
        parts = self.parts_
        skills = tuple(dict.fromkeys(skills))
        if not skills:
            return parts.lr.base_rate_
        lr_state = state.get("lr") or parts.lr.init_state()
        bkt_state = state.get("bkt") or parts.bkt.init_state()
        elo_state = state.get("elo") or parts.elo.init_state()
        h = parts.lr._state_history(lr_state, skills, item, None if at is None else at.timestamp())
        z_lr = parts.lr._logit(lr_state, skills, item, at, h)
        sk = parts.lr._skill_index()
        pair_skill = np.array([sk.get(code, -1) for code in skills], dtype=np.int64)
        item_ix = parts.lr._item_index().get(item, -1) if item is not None else -1
        recent = state_residuals(state.get("residuals"), skills) if parts.residuals else None
        if item is None:
            known = pair_skill[pair_skill >= 0]
            z_trees = self._average_item_tree_logit(h, pair_skill, known, recent)
        else:
            one = np.array([item_ix])
            z_trees = float(self._tree_logit(h, one, parts.item_rate(one), pair_skill, recent)[0])
        z_bkt = float(_logit(np.array([parts.bkt.p_correct(bkt_state, skills)]))[0])
        z = [z_lr, z_trees, z_bkt, _ability_logit(parts.elo, elo_state, skills, item)]
        if parts.irt2pl is not None:
            irt_state = state.get("irt2pl") or parts.irt2pl.init_state()
            z.append(_ability_logit(parts.irt2pl, irt_state, skills, item))
        if parts.factors is not None:
            f_state = state.get("factors") or parts.factors.init_state()
            z.append(parts.factors.logit(f_state, item, skills))
        if parts.deep is not None:
            deep_state = state.get("deep") or parts.deep.init_state()
            p_deep = (
                parts.deep.p_item(deep_state, item, skills)
                if item is not None
                else parts.deep.p_correct(deep_state, skills)
            )
            z.append(float(_logit(np.array([p_deep]))[0]))
        x = _assemble(np.array([z]), h, 1)
        return _sigmoid(float(x[0] @ self.blend_coef_) + self.blend_intercept_)

    def _average_item_tree_logit(
        self, h: History, pair_skill: I64, known: I64, recent: RecentResiduals | None
    ) -> float:
        parts = self.parts_
        base = parts.lr.base_rate_
        rate = float(parts.skill_item_rate[known].mean()) if known.size else base
        count = float(parts.skill_item_count[known].mean()) if known.size else 0.0
        s_rate = np.append(parts.skill_rate, base)[pair_skill]
        x = dense_features(h, np.array([rate]), np.array([count]), s_rate, 1, recent)
        return float(parts.trees.raw(x)[0])

    def mastery(self, state: LearnerState) -> dict[str, SkillMastery]:
        """Per practised skill, P(known) read from the stack's P(correct) on an average item of the skill.

        As :meth:`LogisticModel.mastery <learnpath.learner.logistic.LogisticModel.mastery>`: through the
        skill's BKT guess and slip, with an interval from the attempt count.
        """
        self._check_fitted()
        lr = self.parts_.lr
        skills = (state.get("lr") or {}).get("skills", {})
        counts = {code: int(s["n"]) for code, s in skills.items()}
        return read_mastery(counts, lambda code: self.p_correct(state, (code,)), lr.emission)

    # -- serialisation ----------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"model": self.name, "hyperparameters": self.get_params(), "params": {}}
        if self._is_fitted():
            data["params"] = {
                "components": self.parts_.to_dict(),
                "blend_coef": [float(v) for v in self.blend_coef_],
                "blend_intercept": self.blend_intercept_,
                "held_out_rows": self.held_out_rows_,
            }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if data.get("model") != cls.name:
            raise ValidationError.for_field("model", f"expected {cls.name!r}, got {data.get('model')!r}")
        model = cls(**dict(data.get("hyperparameters", {})))
        prm = data.get("params") or {}
        if prm:
            model.parts_ = _Parts.from_dict(prm["components"])
            model.blend_coef_ = np.asarray(prm["blend_coef"], dtype=np.float64)
            model.blend_intercept_ = float(prm["blend_intercept"])
            model.held_out_rows_ = int(prm["held_out_rows"])
            model.deep_ = None if model.parts_.deep is None else model.parts_.deep.name
            want = _n_inputs(len(model.parts_.names))
            if model.blend_coef_.shape[0] != want:
                raise ValidationError.for_field(
                    "params.blend_coef", f"expected {want} weights, got {model.blend_coef_.shape[0]}"
                )
        return model


def _ability_logit(model: _Ability, state: LearnerState, skills: tuple[str, ...], item: str | None) -> float:
    """Online log-odds of an Elo/IRT component: on ``item`` (its own parameters) as its batch tracking
    predicts a row, else on an average item of ``skills``."""
    if item is not None:
        a, b = model._item_params(item, skills)
        mu, var = float(state["theta"]), float(state["var"]) + model.drift
        p = float(irt_kernels.predictive(mu, var, a, b))
    else:
        p = model.p_correct(state, skills)
    return float(_logit(np.array([p]))[0])


def _n_inputs(k: int = len(COMPONENTS)) -> int:
    """The blender's input count for ``k`` components."""
    return k + 2 + k


def _assemble(z: F64, h: History, n_rows: int) -> F64:
    """The blender's inputs: component log-odds, log(1 + attempts) on the skill (mean over the row's skills)
    and overall, and each log-odds times log(1 + attempts on the skill)."""
    k = np.maximum(np.bincount(h.pair_row, minlength=n_rows).astype(np.float64), 1.0)
    s_n = np.bincount(h.pair_row, weights=np.log1p(h.s_n), minlength=n_rows) / k
    t_n = np.log1p(h.t_n)
    return np.column_stack([z, s_n, t_n, z * s_n[:, None]]).astype(np.float64)
