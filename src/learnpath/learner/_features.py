"""Causal history features for the logistic learner models, computed without a loop over rows.

Every feature of a row is computed from the same learner's rows *before* it (in table order), never from
the row itself. Histories are grouped three ways: by learner (overall), by (learner, skill) and by
(learner, item). Each grouping is a stable sort of the rows (or of the row-skill pairs of the CSR skill
layout) that keeps time order inside each group; prior counts then come from exclusive cumulative sums,
recent windows from index arithmetic, and DAS3H time windows from one ``searchsorted`` on a composite
(group, time) key.

The result is a :class:`History`: plain arrays of per-row and per-pair quantities, the same shape the
online path in ``logistic.py`` builds for a single row from a learner's state, so that both paths feed
one assembler (``_design.py``) and give the same probabilities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from learnpath.learner.base import AttemptTable

__all__ = ["BASE_RATE_PRIOR", "History", "pattern_code", "shrunk_rate", "table_history"]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]
G = TypeVar("G", bound=np.generic)

BASE_RATE_PRIOR = 5.0
"""Pseudo-attempts at the overall rate that every item and skill base rate is shrunk towards."""


def shrunk_rate(right: npt.ArrayLike, attempts: npt.ArrayLike, base: float) -> F64:
    """Share right (``right`` of ``attempts``), shrunk towards ``base`` by :data:`BASE_RATE_PRIOR` pseudo-attempts:
    the item and skill base rates of the logistic models, the stack's trees and the item factors."""
    w, n = np.asarray(right, dtype=np.float64), np.asarray(attempts, dtype=np.float64)
    return np.asarray((w + BASE_RATE_PRIOR * base) / (n + BASE_RATE_PRIOR), dtype=np.float64)


N_PATTERNS = 27
"""Codes of the last three outcomes (none / wrong / right each): 3**3."""


@dataclass(frozen=True)
class History:
    """What is known before each row. Row arrays have one entry per row; pair arrays one per row-skill pair.

    ``*_recent_n``/``*_recent_w`` have one column per recent window size (attempts, not time);
    ``s_win_n``/``s_win_w`` one column per time window (seconds); ``s_step_n``/``s_step_w`` one column
    per step window: attempts (and right answers) on the skill among the learner's last k attempts
    overall (None when no step windows were asked for). ``i_last`` is -1 with no earlier
    attempt on the item, else the last outcome. ``*_pattern`` codes the last three outcomes (see
    :func:`pattern_code`). ``s_res``/``res`` are sums of residuals (outcome minus the item's fitted
    base rate) over earlier attempts, the running ability estimate.
    """

    pair_row: I64
    t_n: F64
    t_w: F64
    t_res: F64
    t_recent_n: F64
    t_recent_w: F64
    t_pattern: I64
    i_n: F64
    i_w: F64
    i_last: I64
    s_n: F64
    s_w: F64
    s_res: F64
    s_recent_n: F64
    s_recent_w: F64
    s_pattern: I64
    s_streak_c: F64
    s_streak_f: F64
    s_elapsed: F64
    s_win_n: F64
    s_win_w: F64
    s_step_n: F64 | None = None
    s_step_w: F64 | None = None


def pattern_code(last: list[int]) -> int:
    """Code of the last three outcomes, most recent first: digit 0 none, 1 wrong, 2 right."""
    code = 0
    for j, c in enumerate(reversed(last[-3:])):
        code += (2 if c else 1) * 3**j
    return code


@dataclass(frozen=True)
class _Groups:
    order: I64  # sorted position -> element index
    start: I64  # sorted position -> sorted position of its group's first element
    gid: I64  # sorted position -> dense group number


def _groups(*keys: I64) -> _Groups:
    """Stable sort by ``keys`` (the first key varies slowest), keeping element order inside a group."""
    n = keys[0].shape[0]
    idx = np.arange(n, dtype=np.int64)
    order = np.lexsort((idx, *reversed(keys))).astype(np.int64)
    new = np.ones(n, dtype=bool)
    if n > 1:
        diff = np.zeros(n - 1, dtype=bool)
        for k in keys:
            ks = k[order]
            diff |= ks[1:] != ks[:-1]
        new[1:] = diff
    start = np.maximum.accumulate(np.where(new, idx, 0)).astype(np.int64)
    gid = (np.cumsum(new) - 1).astype(np.int64)
    return _Groups(order, start, gid)


def _scatter(g: _Groups, values: npt.NDArray[G]) -> npt.NDArray[G]:
    out = np.empty_like(values)
    out[g.order] = values
    return out


def _prior_sums(g: _Groups, x_sorted: F64) -> F64:
    """For each sorted position, the sum of ``x`` over earlier elements of its group."""
    csum = np.concatenate(([0.0], np.cumsum(x_sorted)))
    pos = np.arange(x_sorted.shape[0])
    return csum[pos] - csum[g.start]


def _recent(g: _Groups, c_sorted: F64, sizes: tuple[int, ...]) -> tuple[F64, F64]:
    n = c_sorted.shape[0]
    pos = np.arange(n, dtype=np.int64)
    csum = np.concatenate(([0.0], np.cumsum(c_sorted)))
    rn = np.empty((n, len(sizes)))
    rw = np.empty((n, len(sizes)))
    for j, k in enumerate(sizes):
        lo = np.maximum(g.start, pos - k)
        rn[:, j] = pos - lo
        rw[:, j] = csum[pos] - csum[lo]
    return rn, rw


def _pattern(g: _Groups, c_sorted: F64) -> I64:
    n = c_sorted.shape[0]
    pos = np.arange(n, dtype=np.int64)
    code = np.zeros(n, dtype=np.int64)
    for j in range(3):
        prev = pos - 1 - j
        ok = prev >= g.start
        digit = np.where(ok, np.where(c_sorted[np.maximum(prev, 0)] > 0, 2, 1), 0)
        code += digit * 3**j
    return code


def _streaks(g: _Groups, c_sorted: F64) -> tuple[F64, F64]:
    """Run lengths of right (and of wrong) answers just before each position, within its group."""
    n = c_sorted.shape[0]
    pos = np.arange(n, dtype=np.int64)
    out = []
    for breaker in (0.0, 1.0):
        mark = np.where(c_sorted == breaker, pos, -1)
        last = np.concatenate(([-1], np.maximum.accumulate(mark)[:-1])) if n else mark
        out.append((pos - np.maximum(last + 1, g.start)).astype(np.float64))
    return out[0], out[1]


def _windows(g: _Groups, t_sorted: F64, c_sorted: F64, windows: tuple[float, ...]) -> tuple[F64, F64]:
    """Attempts and right answers of the same group with time in (t - w, t], before each position."""
    n = t_sorted.shape[0]
    wn = np.empty((n, len(windows)))
    ww = np.empty((n, len(windows)))
    if not n or not windows:
        return wn, ww
    pos = np.arange(n, dtype=np.int64)
    csum = np.concatenate(([0.0], np.cumsum(c_sorted)))
    rel = t_sorted - t_sorted.min()
    span = float(rel.max()) + max(windows) + 1.0
    key = g.gid.astype(np.float64) * span + rel
    for j, w in enumerate(windows):
        lo = np.maximum(np.searchsorted(key, key - w, side="right"), g.start)
        lo = np.minimum(lo, pos)
        wn[:, j] = pos - lo
        ww[:, j] = csum[pos] - csum[lo]
    return wn, ww


def table_history(
    table: AttemptTable,
    residual: F64,
    recent: tuple[int, ...],
    windows: tuple[float, ...],
    steps: tuple[int, ...] = (),
) -> History:
    """All history quantities of ``table``; ``residual[i]`` is row i's outcome minus its item's base rate."""
    n = len(table)
    c = table.correct.astype(np.float64)
    t = table.timestamp.astype(np.float64)
    lengths = np.diff(table.skill_indptr)
    pair_row = np.repeat(np.arange(n, dtype=np.int64), lengths)
    pair_skill = table.skill_indices.astype(np.int64)

    # overall, per learner (the table is sorted by learner then time)
    gl = _groups(table.learner)
    cs = c[gl.order]
    t_n = _scatter(gl, (np.arange(n) - gl.start).astype(np.float64))
    t_w = _scatter(gl, _prior_sums(gl, cs))
    t_res = _scatter(gl, _prior_sums(gl, residual[gl.order]))
    rn, rw = _recent(gl, cs, recent)
    t_pattern = _scatter(gl, _pattern(gl, cs))

    # per (learner, item)
    gi = _groups(table.learner, table.item.astype(np.int64))
    ci = c[gi.order]
    pos_i = np.arange(n, dtype=np.int64)
    has_prev = pos_i - 1 >= gi.start
    last_i = np.where(has_prev, ci[np.maximum(pos_i - 1, 0)].astype(np.int64), -1)

    # per (learner, skill), over row-skill pairs
    gs = _groups(table.learner[pair_row], pair_skill)
    pc = c[pair_row][gs.order]
    pt = t[pair_row][gs.order]
    npairs = pair_row.shape[0]
    pos_s = np.arange(npairs, dtype=np.int64)
    first = pos_s == gs.start
    elapsed = np.where(first, np.nan, pt - pt[np.maximum(pos_s - 1, 0)])
    srn, srw = _recent(gs, pc, recent)
    streak_c, streak_f = _streaks(gs, pc)
    swn, sww = _windows(gs, pt, pc, windows)
    # step windows: the learner's attempt number plays the part of time
    # (last k attempts: positions p - k .. p - 1, i.e. above p - k - 0.5)
    stn, stw = _windows(gs, t_n[pair_row][gs.order], pc, tuple(k + 0.5 for k in steps))

    return History(
        pair_row=pair_row,
        t_n=t_n,
        t_w=t_w,
        t_res=t_res,
        t_recent_n=_scatter(gl, rn),
        t_recent_w=_scatter(gl, rw),
        t_pattern=t_pattern,
        i_n=_scatter(gi, (pos_i - gi.start).astype(np.float64)),
        i_w=_scatter(gi, _prior_sums(gi, ci)),
        i_last=_scatter(gi, last_i),
        s_n=_scatter(gs, (pos_s - gs.start).astype(np.float64)),
        s_w=_scatter(gs, _prior_sums(gs, pc)),
        s_res=_scatter(gs, _prior_sums(gs, residual[pair_row][gs.order])),
        s_recent_n=_scatter(gs, srn),
        s_recent_w=_scatter(gs, srw),
        s_pattern=_scatter(gs, _pattern(gs, pc)),
        s_streak_c=_scatter(gs, streak_c),
        s_streak_f=_scatter(gs, streak_f),
        s_elapsed=_scatter(gs, elapsed),
        s_win_n=_scatter(gs, swn),
        s_win_w=_scatter(gs, sww),
        s_step_n=_scatter(gs, stn),
        s_step_w=_scatter(gs, stw),
    )
