"""Numba kernels behind :mod:`learnpath.learner.bkt`: EM fitting, forward prediction, simulation.

Layout used by the fitting kernels. Every (row, skill) pair of an attempt table is one
observation; observations are grouped by skill, then by learner, keeping time order, so that each
(learner, skill) sequence is a contiguous run:

- ``obs[k]``: 1 if observation ``k`` counts as correct evidence, else 0;
- ``gs[k]``: the guess/slip class of observation ``k`` (the skill itself, or a (skill, item) pair);
- ``seq_ptr``: sequence ``q`` is ``obs[seq_ptr[q]:seq_ptr[q + 1]]``;
- ``skill_seq``: skill ``s`` owns sequences ``skill_seq[s]:skill_seq[s + 1]``;
- ``gs_ptr``: skill ``s`` owns guess/slip classes ``gs_ptr[s]:gs_ptr[s + 1]``.

Parameter vectors per skill are ``(prior, learn, forget)``; per class ``(guess, slip)``. Bounds and
Beta pseudo-counts come as arrays indexed ``0..4`` for prior, learn, forget, guess, slip.
All kernels are ``nogil`` so that the caller may run disjoint skill sets in threads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

PRIOR, LEARN, FORGET, GUESS, SLIP = 0, 1, 2, 3, 4


@njit(cache=True, nogil=True)
def group_by_skill(
    indptr: np.ndarray, indices: np.ndarray, learner: np.ndarray, evidence: np.ndarray, n_skills: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Counting sort of (row, skill) pairs by skill (stable), then cut into (learner, skill) sequences.

    Returns ``(pair_row, obs, seq_ptr, skill_seq, skill_count)``: the table row of each grouped
    observation, its evidence, sequence boundaries, each skill's first sequence, and its observation count.
    """
    n_rows = indptr.shape[0] - 1
    n_pairs = indices.shape[0]
    count = np.zeros(n_skills + 1, dtype=np.int64)
    for k in range(n_pairs):
        count[indices[k] + 1] += 1
    start = np.cumsum(count)
    fill = start[:-1].copy()
    pair_row = np.empty(n_pairs, dtype=np.int64)
    for i in range(n_rows):
        for k in range(indptr[i], indptr[i + 1]):
            s = indices[k]
            pair_row[fill[s]] = i
            fill[s] += 1
    obs = np.empty(n_pairs, dtype=np.int8)
    n_seq = 0
    for k in range(n_pairs):
        obs[k] = evidence[pair_row[k]]
    seq_ptr = np.empty(n_pairs + 1, dtype=np.int64)
    skill_seq = np.zeros(n_skills + 1, dtype=np.int64)
    for s in range(n_skills):
        skill_seq[s] = n_seq
        prev = -1
        for k in range(start[s], start[s + 1]):
            who = learner[pair_row[k]]
            if k == start[s] or who != prev:
                seq_ptr[n_seq] = k
                n_seq += 1
                prev = who
    skill_seq[n_skills] = n_seq
    seq_ptr[n_seq] = n_pairs
    return pair_row, obs, seq_ptr[: n_seq + 1].copy(), skill_seq, count[1:].copy()


@njit(cache=True, nogil=True)
def _clip(x: float, lo: float, hi: float) -> float:
    return min(max(x, lo), hi)


@njit(cache=True, nogil=True)
def _map(num: float, den: float, a: float, b: float, old: float) -> float:
    """MAP estimate of a Bernoulli rate from expected counts plus Beta pseudo-counts ``a``, ``b``."""
    if den + a + b <= 0.0:
        return old
    return (num + a) / (den + a + b)


@njit(cache=True, nogil=True)
def _log_prior(x: float, a: float, b: float) -> float:
    out = 0.0
    if a > 0.0:
        out += a * math.log(x)
    if b > 0.0:
        out += b * math.log(1.0 - x)
    return out


@njit(cache=True, nogil=True)
def _em_one(
    obs: np.ndarray,
    gs: np.ndarray,
    seq_ptr: np.ndarray,
    q0: int,
    q1: int,
    g0: int,
    n_cls: int,
    theta: np.ndarray,
    guess: np.ndarray,
    slip: np.ndarray,
    fit_forget: bool,
    lo: np.ndarray,
    hi: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    max_iter: int,
    tol: float,
    filt: np.ndarray,
    cnt: np.ndarray,
) -> tuple[float, float, int]:
    """EM for one skill from the start in ``theta``/``guess``/``slip`` (changed in place).

    Returns ``(log_likelihood, objective, iterations)`` for the final parameters.
    """
    n_obs = seq_ptr[q1] - seq_ptr[q0]
    ll = 0.0
    obj = -np.inf
    prev = -np.inf
    it = 0
    for it in range(1, max_iter + 1):
        prior, learn, forget = theta[0], theta[1], theta[2]
        n_first = 0.0
        m_first = 0.0
        n01 = 0.0
        n0 = 0.0
        n10 = 0.0
        n1 = 0.0
        cnt[:n_cls, :] = 0.0
        ll = 0.0
        for q in range(q0, q1):
            a, b = seq_ptr[q], seq_ptr[q + 1]
            p = prior
            for t in range(a, b):
                c = gs[t] - g0
                if obs[t]:
                    l1 = 1.0 - slip[c]
                    l0 = guess[c]
                else:
                    l1 = slip[c]
                    l0 = 1.0 - guess[c]
                num = p * l1
                den = num + (1.0 - p) * l0
                ll += math.log(den)
                f = num / den
                filt[t - a] = f
                p = f * (1.0 - forget) + (1.0 - f) * learn
            # backward smoothing from the filtered probabilities
            g1 = filt[b - 1 - a]
            c = gs[b - 1] - g0
            cnt[c, 0] += 1.0 - g1
            cnt[c, 1] += (1.0 - g1) * obs[b - 1]
            cnt[c, 2] += g1
            cnt[c, 3] += g1 * (1 - obs[b - 1])
            for t in range(b - 2, a - 1, -1):
                f = filt[t - a]
                pred1 = f * (1.0 - forget) + (1.0 - f) * learn
                pred0 = 1.0 - pred1
                r1 = g1 / pred1 if pred1 > 0.0 else 0.0
                r0 = (1.0 - g1) / pred0 if pred0 > 0.0 else 0.0
                x01 = (1.0 - f) * learn * r1
                x00 = (1.0 - f) * (1.0 - learn) * r0
                x10 = f * forget * r0
                x11 = f * (1.0 - forget) * r1
                g1 = x10 + x11
                u = x00 + x01
                n01 += x01
                n0 += u
                n10 += x10
                n1 += g1
                c = gs[t] - g0
                o = obs[t]
                cnt[c, 0] += u
                cnt[c, 1] += u * o
                cnt[c, 2] += g1
                cnt[c, 3] += g1 * (1 - o)
            n_first += 1.0
            m_first += g1
        obj = ll + _log_prior(prior, pa[PRIOR], pb[PRIOR]) + _log_prior(learn, pa[LEARN], pb[LEARN])
        if fit_forget:
            obj += _log_prior(forget, pa[FORGET], pb[FORGET])
        for c in range(n_cls):
            obj += _log_prior(guess[c], pa[GUESS], pb[GUESS]) + _log_prior(slip[c], pa[SLIP], pb[SLIP])
        if it == max_iter or (it > 1 and obj - prev < tol * n_obs):
            break
        prev = obj
        theta[0] = _clip(_map(m_first, n_first, pa[PRIOR], pb[PRIOR], prior), lo[PRIOR], hi[PRIOR])
        cap = hi[LEARN] if fit_forget else min(hi[LEARN], 1.0 - forget)
        theta[1] = _clip(_map(n01, n0, pa[LEARN], pb[LEARN], learn), lo[LEARN], cap)
        if fit_forget:
            # learn + forget <= 1 keeps the transition order-preserving (more mastery stays more mastery)
            theta[2] = _clip(
                _map(n10, n1, pa[FORGET], pb[FORGET], forget), lo[FORGET], min(hi[FORGET], 1.0 - theta[1])
            )
        for c in range(n_cls):
            guess[c] = _clip(_map(cnt[c, 1], cnt[c, 0], pa[GUESS], pb[GUESS], guess[c]), lo[GUESS], hi[GUESS])
            slip[c] = _clip(_map(cnt[c, 3], cnt[c, 2], pa[SLIP], pb[SLIP], slip[c]), lo[SLIP], hi[SLIP])
    return ll, obj, it


@njit(cache=True, nogil=True)
def fit_skills(
    skills: np.ndarray,
    obs: np.ndarray,
    gs: np.ndarray,
    seq_ptr: np.ndarray,
    skill_seq: np.ndarray,
    gs_ptr: np.ndarray,
    init_theta: np.ndarray,
    init_guess: np.ndarray,
    init_slip: np.ndarray,
    fit_forget: bool,
    lo: np.ndarray,
    hi: np.ndarray,
    pa: np.ndarray,
    pb: np.ndarray,
    max_iter: int,
    tol: float,
    out_theta: np.ndarray,
    out_guess: np.ndarray,
    out_slip: np.ndarray,
    out_ll: np.ndarray,
    out_scores: np.ndarray,
    out_iters: np.ndarray,
) -> None:
    """Fit each skill in ``skills`` from every restart (``init_*`` have a leading restart axis).

    Writes the best restart's parameters (highest penalised log-likelihood) into ``out_*`` and every
    restart's objective into ``out_scores[r, s]``. Writes only rows of the given skills.
    """
    n_restarts = init_theta.shape[0]
    longest = 1
    widest = 1
    for j in range(skills.shape[0]):
        s = skills[j]
        longest = max(longest, seq_ptr[skill_seq[s + 1]] - seq_ptr[skill_seq[s]])
        widest = max(widest, gs_ptr[s + 1] - gs_ptr[s])
    filt = np.empty(longest, dtype=np.float64)
    cnt = np.empty((widest, 4), dtype=np.float64)
    theta = np.empty(3, dtype=np.float64)
    for j in range(skills.shape[0]):
        s = skills[j]
        q0, q1 = skill_seq[s], skill_seq[s + 1]
        c0, c1 = gs_ptr[s], gs_ptr[s + 1]
        best = -np.inf
        for r in range(n_restarts):
            theta[:] = init_theta[r, s]
            guess = init_guess[r, c0:c1].copy()
            slip = init_slip[r, c0:c1].copy()
            if q1 == q0:
                ll, obj, it = 0.0, 0.0, 0
            else:
                ll, obj, it = _em_one(
                    obs, gs, seq_ptr, q0, q1, c0, c1 - c0, theta, guess, slip, fit_forget,
                    lo, hi, pa, pb, max_iter, tol, filt, cnt,
                )  # fmt: skip
            out_scores[r, s] = obj
            if r == 0 or obj > best:
                best = obj
                out_theta[s] = theta
                out_guess[c0:c1] = guess
                out_slip[c0:c1] = slip
                out_ll[s] = ll
                out_iters[s] = it


@njit(cache=True, nogil=True)
def forward(
    learner: np.ndarray,
    indptr: np.ndarray,
    indices: np.ndarray,
    pair_cls: np.ndarray,
    evidence: np.ndarray,
    prior: np.ndarray,
    learn: np.ndarray,
    forget: np.ndarray,
    guess: np.ndarray,
    slip: np.ndarray,
) -> np.ndarray:
    """P(correct) of each row before its answer: the mean over the row's skills.

    Rows must be grouped by learner. Each skill's P(mastered) starts at its prior for every new
    learner, is conditioned on the row's evidence, then moves through learn/forget.
    """
    n_rows = indptr.shape[0] - 1
    n_skills = prior.shape[0]
    p_state = np.empty(n_skills, dtype=np.float64)
    owner = np.full(n_skills, -1, dtype=np.int64)
    out = np.empty(n_rows, dtype=np.float64)
    first = True
    for i in range(n_rows):
        who = learner[i]
        k0, k1 = indptr[i], indptr[i + 1]
        if k1 == k0:
            out[i] = 0.5
            continue
        acc = 0.0
        for k in range(k0, k1):
            s = indices[k]
            if first or owner[s] != who:
                owner[s] = who
                p_state[s] = prior[s]
            p = p_state[s]
            c = pair_cls[k]
            acc += p * (1.0 - slip[c]) + (1.0 - p) * guess[c]
        first = False
        out[i] = acc / (k1 - k0)
        o = evidence[i]
        for k in range(k0, k1):
            s = indices[k]
            c = pair_cls[k]
            p = p_state[s]
            if o:
                num = p * (1.0 - slip[c])
                den = num + (1.0 - p) * guess[c]
            else:
                num = p * slip[c]
                den = num + (1.0 - p) * (1.0 - guess[c])
            f = num / den if den > 0.0 else p
            p_state[s] = f * (1.0 - forget[s]) + (1.0 - f) * learn[s]
    return out


@njit(cache=True, nogil=True)
def simulate(
    skill: np.ndarray,
    learner: np.ndarray,
    item_cls: np.ndarray,
    uniform: np.ndarray,
    prior: np.ndarray,
    learn: np.ndarray,
    forget: np.ndarray,
    guess: np.ndarray,
    slip: np.ndarray,
) -> np.ndarray:
    """Draw answers for rows (grouped by learner, one skill each) from the BKT generative model.

    ``uniform`` holds three uniform draws per row made by the caller's ``rng``: the initial state
    (used on a learner's first row of a skill), the answer, and the transition after the answer.
    ``item_cls`` indexes ``guess``/``slip``.
    """
    n = skill.shape[0]
    n_skills = prior.shape[0]
    known = np.zeros(n_skills, dtype=np.bool_)
    owner = np.full(n_skills, -1, dtype=np.int64)
    out = np.empty(n, dtype=np.int8)
    for i in range(n):
        s = skill[i]
        if owner[s] != learner[i]:
            owner[s] = learner[i]
            known[s] = uniform[i, 0] < prior[s]
        c = item_cls[i]
        if known[s]:
            out[i] = 1 if uniform[i, 1] >= slip[c] else 0
            known[s] = uniform[i, 2] >= forget[s]
        else:
            out[i] = 1 if uniform[i, 1] < guess[c] else 0
            known[s] = uniform[i, 2] < learn[s]
    return out
