"""IRT (Rasch, 2PL) and Elo: the shared contract, recovery of known parameters, the online step."""

from __future__ import annotations

import itertools
from datetime import timedelta

import numpy as np
import pytest

from learnpath.core.evidence import Attempt
from learnpath.errors import ValidationError
from learnpath.learner.base import AttemptTable
from learnpath.learner.irt import IRT, IRT2PL, Elo, fit_joint_map
from learnpath.learner.registry import build_model
from learnpath.testing.conformance import LearnerModelTests
from learnpath.testing.synthetic import T0


class TestIRTContract(LearnerModelTests):
    model_factory = IRT


class TestIRT2PLContract(LearnerModelTests):
    model_factory = IRT2PL


class TestEloContract(LearnerModelTests):
    model_factory = Elo


def rasch_table(
    rng: np.random.Generator, n_learners: int, n_items: int, per: int
) -> tuple[AttemptTable, np.ndarray]:
    theta = rng.normal(0, 1, n_learners)
    b = np.linspace(-2, 2, n_items)
    learner = np.repeat(np.arange(n_learners), per)
    item = rng.integers(0, n_items, learner.size)
    y = (rng.random(learner.size) < 1 / (1 + np.exp(-(theta[learner] - b[item])))).astype(np.int8)
    table = AttemptTable(
        learner=learner.astype(np.int64),
        item=item.astype(np.int64),
        skill_indptr=np.arange(learner.size + 1, dtype=np.int64),
        skill_indices=(item % 2).astype(np.int64),
        correct=y,
        timestamp=np.tile(np.arange(per, dtype=np.float64), n_learners),
        item_names=tuple(f"i{k}" for k in range(n_items)),
        skill_names=("even", "odd"),
    )
    return table, b


def test_rasch_recovers_item_difficulties(rng: np.random.Generator) -> None:
    table, b = rasch_table(rng, 400, 10, 30)
    model = IRT(reg_item=0.01).fit(table)
    est = np.array([model.difficulty_[model.items_.index(f"i{k}")] for k in range(10)])
    assert np.corrcoef(est, b)[0, 1] > 0.98
    assert np.abs((est - est.mean()) - (b - b.mean())).max() < 0.35


def test_joint_map_matches_scipy_on_a_tiny_problem() -> None:
    from scipy.optimize import minimize

    learner = np.array([0, 0, 0, 1, 1, 1, 2, 2], dtype=np.int64)
    item = np.array([0, 1, 2, 0, 1, 2, 0, 2], dtype=np.int64)
    y = np.array([1, 0, 1, 1, 1, 0, 0, 0], dtype=np.float64)

    def obj(x: np.ndarray) -> float:
        th, b = x[:3], x[3:]
        z = th[learner] - b[item]
        return float(np.sum(np.logaddexp(0, z) - y * z) + 0.5 * (th @ th) + 0.25 * (b @ b))

    ref = minimize(obj, np.zeros(6), method="BFGS", options={"gtol": 1e-10}).x
    theta, b, a, _ = fit_joint_map(
        learner, item, y, 3, 3, two_pl=False, reg_theta=1.0, reg_item=0.5, reg_discrimination=1.0,
        max_iter=500, tol=1e-10,
    )  # fmt: skip
    np.testing.assert_allclose(np.r_[theta, b], ref, atol=1e-6)
    assert (a == 1.0).all()


def test_2pl_learns_discriminations_that_differ(rng: np.random.Generator) -> None:
    table, _ = rasch_table(rng, 300, 8, 25)
    model = IRT2PL().fit(table)
    assert model.discrimination_.min() > 0
    assert model.discrimination_.std() > 0


def test_online_step_shrinks_with_evidence() -> None:
    model = IRT(drift=0.0)
    state = model.init_state()
    steps = []
    for k in range(6):
        new = model.update(state, Attempt(1, "x", ("s",), True, T0 + timedelta(minutes=k)))
        steps.append(new["theta"] - state["theta"])
        assert new["var"] < state["var"]
        state = new
    assert all(b < a for a, b in itertools.pairwise(steps))


def test_elo_k_follows_pelanek_schedule() -> None:
    model = Elo(alpha=1.0, beta=0.5)
    s0 = model.init_state()
    s1 = model.update(s0, Attempt(1, "x", ("s",), True, T0))
    assert s1["theta"] == pytest.approx(0.5)  # K(0) = 1, p = 0.5
    s2 = model.update(s1, Attempt(1, "x", ("s",), False, T0 + timedelta(minutes=1)))
    p = 1 / (1 + np.exp(-0.5))
    assert s2["theta"] == pytest.approx(0.5 - (1.0 / 1.5) * p)


def test_predict_proba_matches_online_updates(rng: np.random.Generator) -> None:
    table, _ = rasch_table(rng, 5, 6, 8)
    model = IRT().fit(table)
    p = model.predict_proba(table)
    state = model.init_state()
    for r in range(8):
        item = table.item_names[int(table.item[r])]
        a, b = model._item_params(item, ())
        from learnpath.learner import _irt_kernels as k

        assert p[r] == pytest.approx(k.predictive(state["theta"], state["var"] + model.drift, a, b))
        state = model.update(
            state, Attempt(0, item, ("even",), bool(table.correct[r]), T0 + timedelta(minutes=r))
        )


def test_registry_names() -> None:
    assert build_model("irt").name == "irt"
    assert build_model("irt2pl").name == "irt2pl"
    assert build_model("elo").name == "elo"


def test_bad_hyperparameters_are_reported(rng: np.random.Generator) -> None:
    table, _ = rasch_table(rng, 3, 3, 3)
    with pytest.raises(ValidationError) as info:
        IRT(reg_theta=0, drift=-1).fit(table)
    assert {e.field for e in info.value.errors} == {"reg_theta", "drift"}
    with pytest.raises(ValidationError):
        Elo(alpha=0).fit(table)
