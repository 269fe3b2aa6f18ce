"""Logistic learner models: PFA, Best-LR and Best-LR+, one class with named features.

P(correct) of an attempt is ``sigmoid(w . x + b)`` where ``x`` are features of the learner's history before
the attempt (``_features.py``) in named blocks (``_design.py``), fitted by L2-regularised logistic regression
on a sparse design matrix (scikit-learn, lbfgs).

- :class:`PFA` (Pavlik, Cen & Koedinger 2009): skill easiness plus per-skill weights on earlier right and
  wrong answers (raw counts).
- :class:`BestLR` (Gervet, Koedinger, Schneider & Mitchell 2020): item and skill easiness, per-skill and total
  log counts of attempts and right answers, and DAS3H time-window counts per skill.
- :class:`BestLRPlus`: Best-LR plus the learner's history on the item itself, recent correctness, the last
  three outcomes and streaks on the skill and overall, time since the skill was last practised, and a running
  ability estimate (mean residual against item base rates). :class:`BestLRPlusWindows`
  (``bestlr_plus_windows``) is Best-LR+ with the DAS3H windows counted in attempts (``skill_steps``) instead
  of seconds: the highest test AUC of these on every benchmark (docs/benchmarks.md), and the main component
  of the stacked ``best`` (``stack.py``).

Online use keeps, per learner, the counts these features need (per skill, per item, overall, the last few
outcomes and the attempt times inside the longest window) as a JSON dict; ``update`` returns a new one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar, Self

import numpy as np
import numpy.typing as npt

from learnpath.core.evidence import Attempt
from learnpath.errors import FieldError, NotFittedError, ValidationError
from learnpath.learner._design import BLOCKS, Layout, design_matrix
from learnpath.learner._features import History, pattern_code, shrunk_rate, table_history
from learnpath.learner.base import AttemptTable, LearnerState, SkillMastery, mastery_interval

__all__ = ["PFA", "BestLR", "BestLRPlus", "BestLRPlusWindows", "LogisticModel", "read_mastery"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

DAS3H_WINDOWS = (3600.0, 86400.0, 7 * 86400.0, 30 * 86400.0)
"""Time windows in seconds (an hour, a day, a week, a month), as in DAS3H (Choffin et al. 2019)."""

STEP_WINDOWS = (2, 10, 50, 200)
"""Step windows of the ``skill_steps`` block: the learner's last 2, 10, 50 and 200 attempts overall."""

_MIN_SPAN = 0.2
"""Smallest (1 - slip - guess) the mastery readout divides by (a skill BKT finds nearly uninformative)."""
_TIMED_BLOCKS = ("skill_windows", "skill_elapsed")
"""Blocks dropped when every training attempt has the same timestamp (they would repeat the counts)."""


def _sigmoid(z: F64) -> F64:
    return np.asarray(1.0 / (1.0 + np.exp(-z)), dtype=np.float64)


def read_mastery(
    counts: dict[str, int],
    p_correct: Callable[[str], float],
    emission: Callable[[str], tuple[float, float] | None],
) -> dict[str, SkillMastery]:
    """Per skill in ``counts`` (skill -> attempts), P(known) read from P(correct) on an average item of it.

    P(correct) = P(known) (1 - slip) + (1 - P(known)) guess, as in BKT, with the skill's ``emission``
    (guess, slip), inverted and clipped to [0, 1]; the interval is that of P(correct) from the attempt
    count, mapped the same way. A skill without an emission reports P(correct) itself.
    """
    out: dict[str, SkillMastery] = {}
    for code, n in counts.items():
        p = p_correct(code)
        low, high = mastery_interval(p, n)
        gs = emission(code)
        if gs is not None:
            g, sl = gs
            span = max(1.0 - sl - g, _MIN_SPAN)

            def known(q: float, g: float = g, span: float = span) -> float:
                return min(1.0, max(0.0, (q - g) / span))

            p, low, high = known(p), known(low), known(high)
        out[code] = SkillMastery(p, low, high, n)
    return out


class LogisticModel:
    """A logistic learner model over the feature blocks named in ``features`` (see ``_design.BLOCKS``).

    ``C`` is the inverse L2 strength of scikit-learn's LogisticRegression; ``recent`` the sizes (in attempts)
    of the recent-correctness windows; ``windows`` the DAS3H time windows in seconds. ``features=None``
    uses the class's default blocks.
    """

    name = "logistic"
    default_features: ClassVar[tuple[str, ...]] = ("item", "skill", "skill_counts", "total_counts")

    def __init__(
        self,
        features: tuple[str, ...] | None = None,
        C: float = 1.0,
        recent: tuple[int, ...] = (3, 10),
        windows: tuple[float, ...] = DAS3H_WINDOWS,
        max_iter: int = 100,
        tol: float = 1e-4,
        solver: str = "newton-cg",
        steps: tuple[int, ...] = STEP_WINDOWS,
    ) -> None:
        self.features = features
        self.C = C
        self.recent = recent
        self.windows = windows
        self.max_iter = max_iter
        self.tol = tol
        self.solver = solver
        self.steps = steps

    # -- hyperparameters ----------------------------------------------------------------------
    @property
    def blocks(self) -> tuple[str, ...]:
        chosen = self.default_features if self.features is None else tuple(self.features)
        return tuple(b for b in BLOCKS if b in chosen)

    def _validate(self) -> None:
        chosen = self.default_features if self.features is None else tuple(self.features)
        problems = [
            FieldError("features", f"unknown feature block {b!r}; known: {', '.join(BLOCKS)}")
            for b in chosen
            if b not in BLOCKS
        ]
        if not self.C > 0:
            problems.append(FieldError("C", f"must be > 0, got {self.C!r}"))
        problems += [FieldError("recent", f"sizes must be >= 1, got {k!r}") for k in self.recent if k < 1]
        problems += [FieldError("windows", f"must be > 0 seconds, got {w!r}") for w in self.windows if w <= 0]
        problems += [FieldError("steps", f"must be >= 1 attempts, got {k!r}") for k in self.steps if k < 1]
        if problems:
            raise ValidationError(f"{type(self).__name__} hyperparameters are not valid", problems)

    def get_params(self) -> dict[str, Any]:
        return {
            "features": None if self.features is None else list(self.features),
            "C": self.C,
            "recent": list(self.recent),
            "windows": list(self.windows),
            "max_iter": self.max_iter,
            "tol": self.tol,
            "solver": self.solver,
            "steps": list(self.steps),
        }

    @property
    def _layout(self) -> Layout:
        return Layout(
            self.blocks_,
            len(self.items_),
            len(self.skills_),
            tuple(self.recent),
            tuple(self.windows),
            tuple(self.steps),
        )

    @property
    def _memory(self) -> int:
        return max((*self.recent, 3))

    # -- batch ----------------------------------------------------------------------------------
    def _check_fitted(self) -> None:
        if not hasattr(self, "coef_"):
            raise NotFittedError(f"{type(self).__name__} is not fitted yet: call fit(attempts) first")

    def _vocab_indices(self, table: AttemptTable) -> tuple[I64, I64]:
        item_ix = {v: i for i, v in enumerate(self.items_)}
        skill_ix = {v: i for i, v in enumerate(self.skills_)}
        item_lut = np.array([item_ix.get(v, -1) for v in table.item_names] + [-1], dtype=np.int64)
        skill_lut = np.array([skill_ix.get(v, -1) for v in table.skill_names] + [-1], dtype=np.int64)
        return item_lut[table.item], skill_lut[table.skill_indices]

    def history(self, table: AttemptTable) -> tuple[History, I64, I64]:
        """The :class:`History` of ``table`` under the fitted item base rates, with each row's item index
        and each row-skill pair's skill index in the model's vocabulary (-1 where unknown)."""
        item, pair_skill = self._vocab_indices(table)
        base = np.append(np.asarray(self.item_p_, dtype=np.float64), self.base_rate_)
        residual = table.correct.astype(np.float64) - base[item]
        h = table_history(table, residual, tuple(self.recent), tuple(self.windows), tuple(self.steps))
        return h, item, pair_skill

    def _design(self, table: AttemptTable) -> Any:
        h, item, pair_skill = self.history(table)
        return design_matrix(h, self._layout, item, pair_skill, len(table))

    def logit_from_history(self, h: History, item: I64, pair_skill: I64) -> F64:
        """Log-odds of each row of a :meth:`history` (what :meth:`predict_proba` takes the sigmoid of)."""
        self._check_fitted()
        x = design_matrix(h, self._layout, item, pair_skill, int(item.shape[0]))
        return np.asarray(x @ self.coef_ + self.intercept_, dtype=np.float64)

    def fit(self, attempts: AttemptTable, *, bkt: Any = None) -> Self:
        """Learn the weights from ``attempts`` (every row is both a target and, later, history).

        ``bkt``: a BKT already fitted on the same attempts, whose guess and slip the mastery readout then
        uses (saves fitting a second one); by default one is fitted here.
        """
        from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

        self._validate()
        if len(attempts) == 0 or np.unique(attempts.correct).shape[0] < 2:
            raise ValidationError.for_field("attempts", "need both right and wrong answers to fit")
        self.items_ = tuple(attempts.item_names)
        timed = bool(len(attempts)) and float(np.ptp(attempts.timestamp)) > 0.0
        self.blocks_ = tuple(b for b in self.blocks if timed or b not in _TIMED_BLOCKS)
        self.skills_ = tuple(attempts.skill_names)
        y = attempts.correct.astype(np.float64)
        self.base_rate_ = float(y.mean())
        n_i = np.bincount(attempts.item, minlength=len(self.items_))
        w_i = np.bincount(attempts.item, weights=y, minlength=len(self.items_))
        self.item_p_ = shrunk_rate(w_i, n_i, self.base_rate_)
        # float32 halves the solver's sparse products (the fit's cost) and changes AUC by < 0.0002 (benchmarks.md)
        x = self._design(attempts).astype(np.float32)
        lr = LogisticRegression(C=self.C, solver=self.solver, max_iter=self.max_iter, tol=self.tol)
        lr.fit(x, attempts.correct)
        self.coef_ = np.asarray(lr.coef_[0], dtype=np.float64)
        self.intercept_ = float(lr.intercept_[0])
        self.skill_item_mean_ = self._skill_item_means(attempts)
        self.skill_guess_, self.skill_slip_ = self._emission(attempts, bkt)
        return self

    def _emission(self, attempts: AttemptTable, bkt: Any = None) -> tuple[F64, F64]:
        """Per skill, the guess and slip of a BKT fitted on the same attempts: the floor and ceiling of
        P(correct) that :meth:`mastery` maps to "not known" and "known"."""
        from learnpath.learner.bkt import BKT

        if bkt is None:
            bkt = BKT().fit(attempts)
        fitted = [bkt.params_for(code) for code in self.skills_]
        return (
            np.array([f.guess for f in fitted], dtype=np.float64),
            np.array([f.slip for f in fitted], dtype=np.float64),
        )

    def _skill_item_means(self, attempts: AttemptTable) -> F64:
        """Per skill, the mean item weight over the distinct items tagged with it (an 'average item')."""
        out = np.zeros(len(self.skills_))
        if "item" not in self.blocks_:
            return out
        w_item = self.coef_[self._layout.offsets["item"] : self._layout.offsets["item"] + len(self.items_)]
        pair_row = np.repeat(np.arange(len(attempts)), np.diff(attempts.skill_indptr))
        pairs = np.unique(np.stack([attempts.skill_indices, attempts.item[pair_row]]), axis=1)
        sums = np.bincount(pairs[0], weights=w_item[pairs[1]], minlength=len(self.skills_))
        counts = np.bincount(pairs[0], minlength=len(self.skills_))
        return np.asarray(np.where(counts > 0, sums / np.maximum(counts, 1), 0.0), dtype=np.float64)

    def predict_proba(self, attempts: AttemptTable) -> F64:
        """P(correct) of each row from the same learner's earlier rows only."""
        self._check_fitted()
        return _sigmoid(self._design(attempts) @ self.coef_ + self.intercept_)

    # -- online -----------------------------------------------------------------------------------
    def init_state(self) -> LearnerState:
        return {"model": self.name, "n": 0, "w": 0, "res": 0.0, "last": [], "skills": {}, "items": {}}

    def _item_rate(self, item: str) -> float:
        ix = self._item_index().get(item)
        return float(self.item_p_[ix]) if ix is not None else self.base_rate_

    def _item_index(self) -> dict[str, int]:
        cache: dict[str, int] | None = getattr(self, "_item_ix_cache", None)
        if cache is None or len(cache) != len(self.items_):
            cache = {v: i for i, v in enumerate(self.items_)}
            self._item_ix_cache = cache
        return cache

    def _skill_index(self) -> dict[str, int]:
        cache: dict[str, int] | None = getattr(self, "_skill_ix_cache", None)
        if cache is None or len(cache) != len(self.skills_):
            cache = {v: i for i, v in enumerate(self.skills_)}
            self._skill_ix_cache = cache
        return cache

    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        """A new state with ``attempt`` added to the learner's counts; ``state`` is left as it was."""
        self._check_fitted()
        c = int(attempt.correct)
        t = attempt.at.timestamp()
        res = c - self._item_rate(attempt.item)
        keep = self._memory
        horizon = t - max(self.windows) if self.windows else t
        pos = int(state.get("n", 0))
        step_horizon = pos + 1 - max(self.steps) if self.steps else pos + 1  # oldest position still needed
        skills = dict(state.get("skills", {}))
        for code in dict.fromkeys(attempt.skills):
            cur = skills.get(code) or {
                "n": 0,
                "w": 0,
                "res": 0.0,
                "last": [],
                "sc": 0,
                "sf": 0,
                "at": None,
                "times": [],
            }
            times = [tc for tc in cur["times"] if tc[0] > horizon] + [[t, c]]
            recent_steps = [pc for pc in cur.get("steps", []) if pc[0] >= step_horizon] + [[pos, c]]
            skills[code] = {
                "n": cur["n"] + 1,
                "w": cur["w"] + c,
                "res": cur["res"] + res,
                "last": [*cur["last"], c][-keep:],
                "sc": cur["sc"] + 1 if c else 0,
                "sf": 0 if c else cur["sf"] + 1,
                "at": t,
                "times": times,
                "steps": recent_steps,
            }
        items = dict(state.get("items", {}))
        n_i, w_i, _ = items.get(attempt.item, [0, 0, -1])
        items[attempt.item] = [n_i + 1, w_i + c, c]
        return {
            **state,
            "model": self.name,
            "n": state.get("n", 0) + 1,
            "w": state.get("w", 0) + c,
            "res": state.get("res", 0.0) + res,
            "last": [*state.get("last", []), c][-keep:],
            "skills": skills,
            "items": items,
        }

    def _state_history(
        self, state: LearnerState, skills: tuple[str, ...], item: str | None, t: float | None
    ) -> History:
        """The one-row :class:`History` of a next attempt on ``skills`` (and ``item``) at time ``t``."""
        rec = tuple(self.recent)
        last = list(state.get("last", []))
        per = [state.get("skills", {}).get(code) for code in skills]
        empty: dict[str, Any] = {
            "n": 0,
            "w": 0,
            "res": 0.0,
            "last": [],
            "sc": 0,
            "sf": 0,
            "at": None,
            "times": [],
        }
        per_s = [p or empty for p in per]
        i_n, i_w, i_last = state.get("items", {}).get(item, [0, 0, -1]) if item is not None else [0, 0, -1]

        def recent_counts(outcomes: list[int]) -> tuple[list[float], list[float]]:
            return [float(len(outcomes[-k:])) for k in rec], [float(sum(outcomes[-k:])) for k in rec]

        t_rn, t_rw = recent_counts(last)
        s_rec = [recent_counts(list(p["last"])) for p in per_s]
        when = t if t is not None else max((p["at"] for p in per_s if p["at"] is not None), default=0.0)
        win_n = [
            [float(sum(1 for tc in p["times"] if tc[0] > when - w)) for w in self.windows] for p in per_s
        ]
        win_w = [
            [float(sum(tc[1] for tc in p["times"] if tc[0] > when - w)) for w in self.windows] for p in per_s
        ]
        here = float(state.get("n", 0))
        step_n = [
            [float(sum(1 for pc in p.get("steps", []) if pc[0] >= here - k)) for k in self.steps]
            for p in per_s
        ]
        step_w = [
            [float(sum(pc[1] for pc in p.get("steps", []) if pc[0] >= here - k)) for k in self.steps]
            for p in per_s
        ]
        k = len(skills)
        nw = len(self.windows)
        return History(
            pair_row=np.zeros(k, dtype=np.int64),
            t_n=np.array([float(state.get("n", 0))]),
            t_w=np.array([float(state.get("w", 0))]),
            t_res=np.array([float(state.get("res", 0.0))]),
            t_recent_n=np.array([t_rn]).reshape(1, len(rec)),
            t_recent_w=np.array([t_rw]).reshape(1, len(rec)),
            t_pattern=np.array([pattern_code(last)], dtype=np.int64),
            i_n=np.array([float(i_n)]),
            i_w=np.array([float(i_w)]),
            i_last=np.array([int(i_last)], dtype=np.int64),
            s_n=np.array([float(p["n"]) for p in per_s]),
            s_w=np.array([float(p["w"]) for p in per_s]),
            s_res=np.array([float(p["res"]) for p in per_s]),
            s_recent_n=np.array([r[0] for r in s_rec], dtype=np.float64).reshape(k, len(rec)),
            s_recent_w=np.array([r[1] for r in s_rec], dtype=np.float64).reshape(k, len(rec)),
            s_pattern=np.array([pattern_code(list(p["last"])) for p in per_s], dtype=np.int64),
            s_streak_c=np.array([float(p["sc"]) for p in per_s]),
            s_streak_f=np.array([float(p["sf"]) for p in per_s]),
            s_elapsed=np.array([math.nan if p["at"] is None else when - p["at"] for p in per_s]),
            s_win_n=np.array(win_n, dtype=np.float64).reshape(k, nw),
            s_win_w=np.array(win_w, dtype=np.float64).reshape(k, nw),
            s_step_n=np.array(step_n, dtype=np.float64).reshape(k, len(self.steps)),
            s_step_w=np.array(step_w, dtype=np.float64).reshape(k, len(self.steps)),
        )

    def _logit(
        self,
        state: LearnerState,
        skills: tuple[str, ...],
        item: str | None,
        at: datetime | None,
        h: History | None = None,
    ) -> float:
        """Log-odds of the next attempt; ``h``: its :meth:`_state_history` when the caller already built it."""
        skills = tuple(dict.fromkeys(skills))
        if h is None:
            h = self._state_history(state, skills, item, None if at is None else at.timestamp())
        sk = self._skill_index()
        pair_skill = np.array([sk.get(code, -1) for code in skills], dtype=np.int64)
        item_ix = self._item_index().get(item, -1) if item is not None else -1
        x = design_matrix(h, self._layout, np.array([item_ix], dtype=np.int64), pair_skill, 1)
        z = float((x @ self.coef_)[0]) + self.intercept_
        if item_ix < 0 and "item" in self.blocks_:
            known = pair_skill[pair_skill >= 0]
            z += float(self.skill_item_mean_[known].mean()) if known.size else 0.0
        return z

    def p_correct(
        self,
        state: LearnerState,
        skills: tuple[str, ...],
        item: str | None = None,
        at: datetime | None = None,
    ) -> float:
        """P(correct) of the next attempt on ``skills``: on ``item`` if given, else on an average item of them.

        ``at`` is when the attempt happens (for time windows and elapsed time); by default the time of the
        learner's last attempt on these skills.
        """
        self._check_fitted()
        if not skills:
            return self.base_rate_
        return float(_sigmoid(np.array([self._logit(state, skills, item, at)]))[0])

    def mastery(self, state: LearnerState) -> dict[str, SkillMastery]:
        """Per practised skill, P(known) read from P(correct) on an average new item of the skill.

        P(correct) = P(known) (1 - slip) + (1 - P(known)) guess, as in BKT, with the skill's guess and slip from
        a BKT fitted on the same attempts; inverted and clipped to [0, 1]. So "mastered" (0.95) means answering
        nearly as well as a learner who knows the skill, not a P(correct) of 0.95, which a skill with a 10%
        slip never reaches. The interval is that of P(correct) from counts, mapped the same way.
        """
        self._check_fitted()
        counts = {code: int(s["n"]) for code, s in state.get("skills", {}).items()}
        return read_mastery(counts, lambda code: self.p_correct(state, (code,)), self.emission)

    def emission(self, skill: str) -> tuple[float, float] | None:
        """The skill's (guess, slip) that :meth:`mastery` reads P(known) through; None for an unknown skill."""
        guess = getattr(self, "skill_guess_", None)
        slip = getattr(self, "skill_slip_", None)
        ix = self._skill_index().get(skill)
        if guess is None or slip is None or ix is None:
            return None
        return float(guess[ix]), float(slip[ix])

    # -- serialisation --------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"model": self.name, "hyperparameters": self.get_params(), "params": {}}
        if hasattr(self, "coef_"):
            data["params"] = {
                "blocks": list(self.blocks_),
                "items": list(self.items_),
                "skills": list(self.skills_),
                "base_rate": self.base_rate_,
                "item_p": [float(v) for v in self.item_p_],
                "coef": [float(v) for v in self.coef_],
                "intercept": self.intercept_,
                "skill_item_mean": [float(v) for v in self.skill_item_mean_],
                "skill_guess": [float(v) for v in self.skill_guess_],
                "skill_slip": [float(v) for v in self.skill_slip_],
            }
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        if data.get("model") != cls.name:
            raise ValidationError.for_field("model", f"expected {cls.name!r}, got {data.get('model')!r}")
        hp = dict(data.get("hyperparameters", {}))
        for key in ("features", "recent", "windows", "steps"):
            if hp.get(key) is not None:
                hp[key] = tuple(hp[key])
        model = cls(**hp)
        prm = data.get("params") or {}
        if prm:
            model.blocks_ = tuple(prm["blocks"])
            model.items_ = tuple(prm["items"])
            model.skills_ = tuple(prm["skills"])
            model.base_rate_ = float(prm["base_rate"])
            model.item_p_ = np.asarray(prm["item_p"], dtype=np.float64)
            model.coef_ = np.asarray(prm["coef"], dtype=np.float64)
            model.intercept_ = float(prm["intercept"])
            model.skill_item_mean_ = np.asarray(prm["skill_item_mean"], dtype=np.float64)
            if "skill_guess" in prm:  # versions stored before the mastery readout read P(correct) as mastery
                model.skill_guess_ = np.asarray(prm["skill_guess"], dtype=np.float64)
                model.skill_slip_ = np.asarray(prm["skill_slip"], dtype=np.float64)
            if model.coef_.shape[0] != model._layout.n_features:
                raise ValidationError.for_field(
                    "params.coef", f"expected {model._layout.n_features} weights, got {model.coef_.shape[0]}"
                )
        return model


class PFA(LogisticModel):
    """Performance factors analysis: skill easiness and per-skill weights on earlier right/wrong answers."""

    name = "pfa"
    default_features: ClassVar[tuple[str, ...]] = ("skill", "pfa")


class BestLR(LogisticModel):
    """Best-LR of Gervet et al. (2020): items, skills, log counts per skill and in total, DAS3H windows."""

    name = "bestlr"
    default_features: ClassVar[tuple[str, ...]] = (
        "item",
        "skill",
        "skill_counts",
        "skill_windows",
        "total_counts",
    )


class BestLRPlus(LogisticModel):
    """Best-LR with history on the item, recent outcomes, streaks, elapsed time and a running ability."""

    name = "bestlr_plus"
    default_features: ClassVar[tuple[str, ...]] = (
        "item",
        "skill",
        "skill_counts",
        "skill_windows",
        "total_counts",
        "item_counts",
        "skill_recent",
        "skill_pattern",
        "skill_streak",
        "skill_elapsed",
        "learner_recent",
        "ability",
    )


class BestLRPlusWindows(BestLRPlus):
    """Best-LR+ with DAS3H windows counted in attempts (``skill_steps``); ``best`` before the stacked model.

    The strongest single logistic model on every benchmark (docs/benchmarks.md), and the main component of
    ``best`` (:class:`learnpath.learner.stack.Stack`). The Gervet and pyKT data sets carry no clock (a row's
    time is its position), so the time windows only repeated the counts there and are left out.
    """

    name = "bestlr_plus_windows"
    default_features: ClassVar[tuple[str, ...]] = tuple(
        "skill_steps" if f == "skill_windows" else f for f in BestLRPlus.default_features
    )
