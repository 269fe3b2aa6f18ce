"""Numba kernels behind :mod:`learnpath.learner.irt`: sequential ability tracking and Elo fitting.

Both walk an attempt table row by row (rows sorted by learner, then time). ``mode`` picks the
learner update:

- ``GLICKO`` (IRT): a Gaussian belief N(mu, var) on theta; before an answer ``var += drift``; after
  it one Newton step of the Laplace approximation: ``var' = 1 / (1/var + a^2 p (1-p))``,
  ``mu' = mu + var' a (y - p)``, so the step K = var' a shrinks as evidence accumulates;
- ``ELO`` (Pelanek 2016): ``mu' = mu + K(n) (y - p)`` with ``K(n) = alpha / (1 + beta n)``; ``var``
  follows the same information sum, only to report an interval.

The predictive probability folds the uncertainty in: ``sigmoid(a (mu - b) / sqrt(1 + pi a^2 var / 8))``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

GLICKO, ELO = 0, 1


@njit(cache=True, nogil=True)
def sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


@njit(cache=True, nogil=True)
def step(
    mu: float, var: float, n: float, a: float, b: float, y: float,
    mode: int, drift: float, alpha: float, beta: float,
) -> tuple[float, float]:  # fmt: skip
    """One learner update; returns (mu', var')."""
    var = var + drift
    p = sigmoid(a * (mu - b))
    info = a * a * p * (1.0 - p)
    new_var = 1.0 / (1.0 / var + info)
    if mode == GLICKO:
        return mu + new_var * a * (y - p), new_var
    return mu + alpha / (1.0 + beta * n) * (y - p), new_var


@njit(cache=True, nogil=True)
def predictive(mu: float, var: float, a: float, b: float) -> float:
    return sigmoid(a * (mu - b) / math.sqrt(1.0 + math.pi * a * a * var / 8.0))


@njit(cache=True, nogil=True)
def track(
    learner: np.ndarray, a: np.ndarray, b: np.ndarray, y: np.ndarray,
    mu0: float, var0: float, mode: int, drift: float, alpha: float, beta: float,
) -> np.ndarray:  # fmt: skip
    """P(correct) of every row from the same learner's earlier rows (item parameters frozen)."""
    n_rows = learner.shape[0]
    out = np.empty(n_rows)
    mu, var, n = mu0, var0, 0.0
    for r in range(n_rows):
        if r == 0 or learner[r] != learner[r - 1]:
            mu, var, n = mu0, var0, 0.0
        out[r] = predictive(mu, var + drift, a[r], b[r])
        mu, var = step(mu, var, n, a[r], b[r], y[r], mode, drift, alpha, beta)
        n += 1.0
    return out


@njit(cache=True, nogil=True)
def elo_fit(
    learner: np.ndarray, item: np.ndarray, y: np.ndarray, n_items: int, n_learners: int,
    alpha: float, beta: float, epochs: int,
) -> tuple[np.ndarray, np.ndarray]:  # fmt: skip
    """Pelanek's Elo over the rows in order: returns (item difficulty, final learner ability).

    Learner abilities restart at 0 each epoch; item difficulties and their counts carry over.
    """
    b = np.zeros(n_items)
    n_item = np.zeros(n_items)
    theta = np.zeros(n_learners)
    for _ in range(epochs):
        theta[:] = 0.0
        n_l = 0.0
        for r in range(learner.shape[0]):
            if r == 0 or learner[r] != learner[r - 1]:
                n_l = 0.0
            lr, it = learner[r], item[r]
            p = sigmoid(theta[lr] - b[it])
            theta[lr] += alpha / (1.0 + beta * n_l) * (y[r] - p)
            b[it] -= alpha / (1.0 + beta * n_item[it]) * (y[r] - p)
            n_l += 1.0
            n_item[it] += 1.0
    return b, theta


@njit(cache=True, nogil=True)
def jml_fit(
    learner: np.ndarray, item: np.ndarray, y: np.ndarray, n_learners: int, n_items: int, two_pl: bool,
    reg_theta: float, reg_item: float, reg_disc: float, max_iter: int, tol: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:  # fmt: skip
    """Joint MAP of ``sigmoid(a_i (theta_l - b_i))`` with Gaussian priors, by block Newton steps.

    Given the items, the penalised log-likelihood separates over learners (and given the learners,
    over items), so each block's Newton step is exact per coordinate (Fisher scoring for ``log a``).
    Steps are clipped to +-1; stops when no coordinate moves more than ``tol``. Returns
    ``(theta, b, a, iterations)``.
    """
    theta = np.zeros(n_learners)
    b = np.zeros(n_items)
    log_a = np.zeros(n_items)
    g_l = np.zeros(n_learners)
    h_l = np.zeros(n_learners)
    g_i = np.zeros(n_items)
    h_i = np.zeros(n_items)
    n_rows = learner.shape[0]
    it_done = 0
    while it_done < max_iter:
        it_done += 1
        moved = 0.0
        for block in range(3 if two_pl else 2):
            if block == 0:
                g_l[:] = reg_theta * theta
                h_l[:] = reg_theta
            elif block == 1:
                g_i[:] = reg_item * b
                h_i[:] = reg_item
            else:
                g_i[:] = reg_disc * log_a
                h_i[:] = reg_disc
            for r in range(n_rows):
                lr, itm = learner[r], item[r]
                a = math.exp(log_a[itm])
                d = theta[lr] - b[itm]
                p = sigmoid(a * d)
                res = p - y[r]
                w = p * (1.0 - p)
                if block == 0:
                    g_l[lr] += a * res
                    h_l[lr] += a * a * w
                elif block == 1:
                    g_i[itm] -= a * res
                    h_i[itm] += a * a * w
                else:
                    g_i[itm] += res * a * d
                    h_i[itm] += (a * d) * (a * d) * w
            if block == 0:
                for k in range(n_learners):
                    s = min(1.0, max(-1.0, g_l[k] / h_l[k]))
                    theta[k] -= s
                    moved = max(moved, abs(s))
            else:
                target = b if block == 1 else log_a
                for k in range(n_items):
                    s = min(1.0, max(-1.0, g_i[k] / h_i[k]))
                    target[k] -= s
                    moved = max(moved, abs(s))
        if moved < tol:
            break
    return theta, b, np.exp(log_a), it_done
