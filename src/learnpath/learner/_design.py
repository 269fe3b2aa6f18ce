"""The sparse design matrix of the logistic learner models: named feature blocks over a :class:`History`.

A block is a group of columns switched on by name in a model's ``features``:

========================  =====================================================================================
``item``                  one-hot item (the item's easiness)
``skill``                 multi-hot skills of the item (each skill's easiness)
``pfa``                   per skill: earlier right and wrong answers, raw counts (Pavlik et al. 2009)
``skill_counts``          per skill: log(1 + earlier attempts), log(1 + earlier right answers) (Gervet et al. 2020)
``skill_windows``         per skill and time window: log(1 + attempts), log(1 + right) in the window (DAS3H)
``skill_steps``           per skill and step window k: log(1 + attempts), log(1 + right) on the skill among the
                          learner's last k attempts overall (DAS3H windows counted in attempts, not seconds)
``total_counts``          log(1 + earlier attempts), log(1 + earlier right answers), all skills together
``item_counts``           log(1 + earlier attempts), log(1 + right) on this very item; its last outcome
``skill_recent``          smoothed share right among the last k attempts on the skill, per k in ``recent``
``skill_pattern``         one-hot of the last three outcomes on the skill (27 codes)
``skill_streak``          log(1 + run of right answers), log(1 + run of wrong answers) just before, on the skill
``skill_elapsed``         log(1 + hours since the last attempt on the skill), and "never practised"
``learner_recent``        smoothed share right among the learner's last k attempts; last-three pattern
``ability``               running mean residual (outcome minus item base rate), overall and on the skill
``skill_dynamics``        per skill: one-hot last-three pattern, recent shares right and streaks (skill-specific
                          learning curves, what DKT learns per skill)
========================  =====================================================================================

Columns shared by all skills (``skill_recent`` and after) are averaged over a row's skills.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp  # type: ignore[import-untyped]

from learnpath.learner._features import N_PATTERNS, History

__all__ = ["BLOCKS", "Layout", "design_matrix"]

BLOCKS = (
    "item",
    "skill",
    "pfa",
    "skill_counts",
    "skill_windows",
    "skill_steps",
    "total_counts",
    "item_counts",
    "skill_recent",
    "skill_pattern",
    "skill_streak",
    "skill_elapsed",
    "learner_recent",
    "ability",
    "skill_dynamics",
)

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]


@dataclass(frozen=True)
class Layout:
    """Where each switched-on block's columns start, for a vocabulary of items and skills."""

    features: tuple[str, ...]
    n_items: int
    n_skills: int
    recent: tuple[int, ...]
    windows: tuple[float, ...]
    steps: tuple[int, ...] = ()

    def width(self, block: str) -> int:
        s, r = self.n_skills, len(self.recent)
        return {
            "item": self.n_items,
            "skill": s,
            "pfa": 2 * s,
            "skill_counts": 2 * s,
            "skill_windows": 2 * s * len(self.windows),
            "skill_steps": 2 * s * len(self.steps),
            "total_counts": 2,
            "item_counts": 4,
            "skill_recent": r,
            "skill_pattern": N_PATTERNS,
            "skill_streak": 2,
            "skill_elapsed": 2,
            "learner_recent": r + N_PATTERNS,
            "ability": 2,
            "skill_dynamics": s * (N_PATTERNS + r + 2),
        }[block]

    @property
    def offsets(self) -> dict[str, int]:
        out: dict[str, int] = {}
        at = 0
        for block in BLOCKS:
            if block in self.features:
                out[block] = at
                at += self.width(block)
        return out

    @property
    def n_features(self) -> int:
        return sum(self.width(b) for b in BLOCKS if b in self.features)


def _rate(w: F64, n: F64) -> F64:
    return (w + 0.5) / (n + 1.0) - 0.5


def design_matrix(h: History, layout: Layout, item: I64, pair_skill: I64, n_rows: int) -> sp.csr_matrix:
    """Rows of features; ``item``/``pair_skill`` are model-vocabulary indices, -1 where unknown."""
    off = layout.offsets
    rows: list[I64] = []
    cols: list[I64] = []
    vals: list[F64] = []

    def put(r: I64, c: I64, v: F64) -> None:
        rows.append(r)
        cols.append(c)
        vals.append(np.broadcast_to(np.asarray(v, dtype=np.float64), r.shape))

    row_ix = np.arange(n_rows, dtype=np.int64)
    pr = h.pair_row
    nsk = np.bincount(pr, minlength=n_rows).astype(np.float64)
    share = 1.0 / np.maximum(nsk[pr], 1.0)
    known_i = item >= 0
    known_s = pair_skill >= 0
    ps, prk = pair_skill[known_s], pr[known_s]

    if "item" in off:
        put(row_ix[known_i], off["item"] + item[known_i], np.ones(int(known_i.sum())))
    if "skill" in off:
        put(prk, off["skill"] + ps, np.ones(ps.shape[0]))
    if "pfa" in off:
        put(prk, off["pfa"] + 2 * ps, h.s_w[known_s])
        put(prk, off["pfa"] + 2 * ps + 1, (h.s_n - h.s_w)[known_s])
    if "skill_counts" in off:
        put(prk, off["skill_counts"] + 2 * ps, np.log1p(h.s_n[known_s]))
        put(prk, off["skill_counts"] + 2 * ps + 1, np.log1p(h.s_w[known_s]))
    if "skill_windows" in off:
        nw = len(layout.windows)
        for j in range(nw):
            base = off["skill_windows"] + 2 * (ps * nw + j)
            put(prk, base, np.log1p(h.s_win_n[known_s, j]))
            put(prk, base + 1, np.log1p(h.s_win_w[known_s, j]))
    if "skill_steps" in off and h.s_step_n is not None and h.s_step_w is not None:
        nk = len(layout.steps)
        for j in range(nk):
            base = off["skill_steps"] + 2 * (ps * nk + j)
            put(prk, base, np.log1p(h.s_step_n[known_s, j]))
            put(prk, base + 1, np.log1p(h.s_step_w[known_s, j]))
    if "total_counts" in off:
        put(row_ix, np.full(n_rows, off["total_counts"]), np.log1p(h.t_n))
        put(row_ix, np.full(n_rows, off["total_counts"] + 1), np.log1p(h.t_w))
    if "item_counts" in off:
        o = off["item_counts"]
        put(row_ix, np.full(n_rows, o), np.log1p(h.i_n))
        put(row_ix, np.full(n_rows, o + 1), np.log1p(h.i_w))
        seen = h.i_last >= 0
        put(row_ix[seen], o + 2 + h.i_last[seen], np.ones(int(seen.sum())))
    if "skill_recent" in off:
        for j in range(len(layout.recent)):
            put(
                pr,
                np.full(pr.shape[0], off["skill_recent"] + j),
                share * _rate(h.s_recent_w[:, j], h.s_recent_n[:, j]),
            )
    if "skill_pattern" in off:
        put(pr, off["skill_pattern"] + h.s_pattern, share)
    if "skill_streak" in off:
        put(pr, np.full(pr.shape[0], off["skill_streak"]), share * np.log1p(h.s_streak_c))
        put(pr, np.full(pr.shape[0], off["skill_streak"] + 1), share * np.log1p(h.s_streak_f))
    if "skill_elapsed" in off:
        never = np.isnan(h.s_elapsed)
        hours = np.where(never, 0.0, np.maximum(np.nan_to_num(h.s_elapsed), 0.0) / 3600.0)
        put(pr, np.full(pr.shape[0], off["skill_elapsed"]), share * np.log1p(hours))
        put(pr, np.full(pr.shape[0], off["skill_elapsed"] + 1), share * never)
    if "learner_recent" in off:
        o = off["learner_recent"]
        for j in range(len(layout.recent)):
            put(row_ix, np.full(n_rows, o + j), _rate(h.t_recent_w[:, j], h.t_recent_n[:, j]))
        put(row_ix, o + len(layout.recent) + h.t_pattern, np.ones(n_rows))
    if "ability" in off:
        put(row_ix, np.full(n_rows, off["ability"]), h.t_res / (h.t_n + 5.0))
        put(pr, np.full(pr.shape[0], off["ability"] + 1), share * h.s_res / (h.s_n + 2.0))

    if "skill_dynamics" in off:
        per = N_PATTERNS + len(layout.recent) + 2
        base = off["skill_dynamics"] + per * ps
        put(prk, base + h.s_pattern[known_s], np.ones(ps.shape[0]))
        for j in range(len(layout.recent)):
            rate = _rate(h.s_recent_w[known_s, j], h.s_recent_n[known_s, j])
            put(prk, base + N_PATTERNS + j, rate)
        put(prk, base + N_PATTERNS + len(layout.recent), np.log1p(h.s_streak_c[known_s]))
        put(prk, base + N_PATTERNS + len(layout.recent) + 1, np.log1p(h.s_streak_f[known_s]))

    r = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    c = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    v = np.concatenate(vals) if vals else np.zeros(0)
    keep = v != 0.0
    return sp.csr_matrix((v[keep], (r[keep], c[keep])), shape=(n_rows, layout.n_features))
