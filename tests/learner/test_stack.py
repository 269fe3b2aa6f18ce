"""The stacked ``best``: the shared contract, held-out blending, the flattened trees, loading old versions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

from learnpath.errors import ValidationError
from learnpath.learner._factors import ItemFactors
from learnpath.learner._features import table_history
from learnpath.learner._trees import (
    RES_WINDOWS,
    SKILL_RES_WINDOWS,
    dense_features,
    feature_names,
    fit_trees,
    state_residuals,
    table_residuals,
    update_residuals,
)
from learnpath.learner.base import AttemptTable
from learnpath.learner.irt import IRT2PL
from learnpath.learner.logistic import BestLRPlusWindows
from learnpath.learner.registry import build_model, model_from_dict
from learnpath.learner.stack import Stack, held_out_learners, subset
from learnpath.testing.conformance import LearnerModelTests
from learnpath.testing.synthetic import online_replay, synthetic_attempts, table_attempts


def small_stack(**kw: object) -> Stack:
    return Stack(tree_iter=20, **kw)  # type: ignore[arg-type]


class TestStackContract(LearnerModelTests):
    model_factory = staticmethod(small_stack)
    monotone_mastery = (
        False  # the blend inherits Best-LR+'s streak features, which can outweigh a right answer
    )
    _fitted: ClassVar[dict[str, Stack]] = {}

    def fitted(self) -> Stack:
        """One fit of the shared table serves every contract test (a fitted model is never changed)."""
        if "model" not in self._fitted:
            self._fitted["model"] = self.make().fit(self.table())
        return self._fitted["model"]


def table(seed: int = 3, n_learners: int = 60) -> AttemptTable:
    return synthetic_attempts(np.random.default_rng(seed), n_learners=n_learners, attempts_per_learner=20)


def test_best_is_the_stack_and_the_old_best_stays_available() -> None:
    assert type(build_model("best")) is Stack
    assert type(build_model("bestlr_plus_windows")) is BestLRPlusWindows


def test_a_version_stored_when_best_was_best_lr_plus_loads_as_that_model() -> None:
    t = table()
    old = BestLRPlusWindows().fit(t).to_dict()
    stored = json.loads(json.dumps({**old, "model": "best"}))
    loaded = model_from_dict(stored)
    assert type(loaded) is BestLRPlusWindows
    np.testing.assert_allclose(
        loaded.predict_proba(t), BestLRPlusWindows().fit(t).predict_proba(t), atol=1e-12
    )


def test_held_out_learners_depend_on_the_id_alone_and_take_about_the_share() -> None:
    ids = np.arange(20_000, dtype=np.int64)
    held = held_out_learners(ids, 0.2, seed=0)
    assert 0.18 < held.mean() < 0.22
    shuffled = np.random.default_rng(1).permutation(ids)
    np.testing.assert_array_equal(held_out_learners(shuffled, 0.2, seed=0), held[shuffled])
    assert not np.array_equal(held_out_learners(ids, 0.2, seed=1), held)
    # every row of a learner goes the same way
    rows = np.repeat(ids[:50], 7)
    per_row = held_out_learners(rows, 0.2)
    assert (per_row.reshape(50, 7) == per_row.reshape(50, 7)[:, :1]).all()


def test_subset_keeps_each_rows_skills() -> None:
    t = table()
    keep = held_out_learners(t.learner, 0.3)
    part = subset(t, keep)
    idx = np.flatnonzero(keep)
    assert len(part) == idx.size
    for k, r in enumerate(idx.tolist()):
        want = t.skill_indices[t.skill_indptr[r] : t.skill_indptr[r + 1]]
        got = part.skill_indices[part.skill_indptr[k] : part.skill_indptr[k + 1]]
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(part.correct, t.correct[idx])


def test_blender_weights_come_from_the_held_out_learners_predictions() -> None:
    t = table()
    model = small_stack().fit(t)
    held = held_out_learners(t.learner, model.holdout, model.seed)
    assert model.held_out_rows_ == int(held.sum()) > 0
    # the same recipe by hand: components on the other learners, a logistic regression on the held-out ones
    by_hand = small_stack()
    by_hand.parts_ = by_hand._fit_parts(subset(t, ~held))
    x = by_hand._blend_inputs(subset(t, held))
    lr = LogisticRegression(C=1.0, max_iter=1000, tol=1e-6).fit(x, t.correct[held])
    np.testing.assert_allclose(model.blend_coef_, lr.coef_[0], rtol=0, atol=1e-9)
    # refit (the default) fits the components again on everyone: the blend is kept
    assert model.refit
    assert json.dumps(model.parts_.to_dict()) == json.dumps(small_stack()._fit_parts(t).to_dict())


def test_without_refit_the_held_out_rows_move_only_the_blender() -> None:
    t = table()
    held = held_out_learners(t.learner, 0.2)
    flipped = t.correct.copy()
    flipped[held] = 1 - flipped[held]
    other = AttemptTable(**{**vars(t), "correct": flipped})
    a = small_stack(refit=False).fit(t)
    b = small_stack(refit=False).fit(other)
    assert json.dumps(a.parts_.to_dict()) == json.dumps(b.parts_.to_dict())
    assert not np.allclose(a.blend_coef_, b.blend_coef_)
    # and the non-held-out rows move the components but not which rows the blender was fitted on
    flipped = t.correct.copy()
    flipped[~held] = 1 - flipped[~held]
    c = small_stack(refit=False).fit(AttemptTable(**{**vars(t), "correct": flipped}))
    assert json.dumps(c.parts_.to_dict()) != json.dumps(a.parts_.to_dict())
    assert c.held_out_rows_ == a.held_out_rows_


def test_too_few_held_out_rows_fall_back_to_best_lr_plus() -> None:
    t = synthetic_attempts(np.random.default_rng(5), n_learners=4, attempts_per_learner=10)
    model = small_stack(holdout=0.05).fit(t)
    assert model.held_out_rows_ == 0
    p = model.predict_proba(t)
    lr = model.parts_.lr.predict_proba(t)
    np.testing.assert_allclose(p, lr, rtol=0, atol=1e-12)


def test_flattened_trees_predict_what_scikit_learn_predicts() -> None:
    rng = np.random.default_rng(0)
    x = rng.normal(size=(3000, 5))
    x[rng.random(x.shape) < 0.05] = np.nan
    y = (np.nan_to_num(x[:, 0]) + 0.5 * np.nan_to_num(x[:, 1]) ** 2 + rng.normal(size=3000) > 0.3).astype(
        np.int8
    )
    kw = {"max_iter": 30, "learning_rate": 0.2, "max_leaf_nodes": 15, "min_samples_leaf": 20, "l2": 0.5}
    ours = fit_trees(x, y, **kw)  # type: ignore[arg-type]
    sk = HistGradientBoostingClassifier(
        max_iter=30, learning_rate=0.2, max_leaf_nodes=15, min_samples_leaf=20, l2_regularization=0.5,
        early_stopping=False, random_state=0,
    )  # fmt: skip
    with threadpool_limits(limits=1, user_api="openmp"):  # as fit_trees: a busy box makes threads spin
        sk.fit(x, y)
    np.testing.assert_allclose(ours.raw(x), sk.decision_function(x), rtol=0, atol=1e-9)
    again = type(ours).from_dict(json.loads(json.dumps(ours.to_dict())))
    np.testing.assert_array_equal(again.raw(x), ours.raw(x))


def test_dense_features_are_named_and_finite() -> None:
    t = table()
    h = table_history(t, np.zeros(len(t)), (3, 10), (), (2, 10))
    pair_rate = np.full(t.skill_indices.shape[0], 0.6)
    x = dense_features(h, np.full(len(t), 0.6), np.full(len(t), 10.0), pair_rate, len(t))
    assert x.shape == (len(t), len(feature_names(2, 2)))
    assert np.isfinite(x).all()
    pair_row = np.repeat(np.arange(len(t)), np.diff(t.skill_indptr))
    recent = table_residuals(t.learner, pair_row, t.skill_indices, t.correct.astype(np.float64) - 0.6)
    x = dense_features(h, np.full(len(t), 0.6), np.full(len(t), 10.0), pair_rate, len(t), recent)
    assert x.shape == (len(t), len(feature_names(2, 2, residuals=True)))
    assert np.isfinite(x).all()


def test_recent_residuals_sum_the_last_attempts_overall_and_per_skill_online_as_in_batch() -> None:
    rng = np.random.default_rng(4)
    t = synthetic_attempts(rng, n_learners=6, attempts_per_learner=45)  # longer than the longest window
    residual = rng.normal(size=len(t))
    pair_row = np.repeat(np.arange(len(t)), np.diff(t.skill_indptr))
    batch = table_residuals(t.learner, pair_row, t.skill_indices, residual)
    states: dict[int, dict[str, object]] = {}
    seen: dict[int, list[tuple[float, tuple[str, ...]]]] = {}
    for r, fact in enumerate(table_attempts(t)):
        earlier = seen.setdefault(fact.learner, [])
        pairs = range(int(t.skill_indptr[r]), int(t.skill_indptr[r + 1]))
        # by hand: the residuals of the learner's last k rows, and of their last k rows on each skill
        for j, k in enumerate(RES_WINDOWS):
            last = [v for v, _ in earlier][-k:]
            assert batch.t_n[r, j] == len(last)
            assert batch.t_sum[r, j] == pytest.approx(sum(last), abs=1e-12)
        for q, code in zip(pairs, fact.skills, strict=True):
            on_skill = [v for v, skills in earlier if code in skills]
            for j, k in enumerate(SKILL_RES_WINDOWS):
                assert batch.s_n[q, j] == len(on_skill[-k:])
                assert batch.s_sum[q, j] == pytest.approx(sum(on_skill[-k:]), abs=1e-12)
        # online, from the small state: exactly the batch numbers (summed in the same order)
        online = state_residuals(states.get(fact.learner), fact.skills)  # type: ignore[arg-type]
        np.testing.assert_array_equal(online.t_sum[0], batch.t_sum[r])
        np.testing.assert_array_equal(online.t_n[0], batch.t_n[r])
        np.testing.assert_array_equal(online.s_sum, batch.s_sum[list(pairs)])
        np.testing.assert_array_equal(online.s_n, batch.s_n[list(pairs)])
        before = states.get(fact.learner)
        frozen = json.dumps(before)
        states[fact.learner] = update_residuals(before, fact.skills, float(residual[r]))  # type: ignore[arg-type]
        assert json.dumps(before) == frozen  # the old state is left as it was
        earlier.append((float(residual[r]), fact.skills))
    longest = max(len(v) for s in states.values() for v in s["skills"].values())  # type: ignore[attr-defined]
    assert longest == max(SKILL_RES_WINDOWS)  # the state keeps only what the windows read


def test_online_replay_matches_batch_for_new_content_too() -> None:
    t = table()
    model = small_stack().fit(t)
    facts = table_attempts(t)[:30]
    state = model.init_state()
    for f in facts:
        state = model.update(state, f)
    new = type(facts[0])(
        learner=facts[0].learner, item="new-item", skills=("new-skill", facts[0].skills[0]),
        correct=True, at=facts[-1].at,
    )  # fmt: skip
    state = model.update(state, new)
    assert 0.0 < model.p_correct(state, new.skills) < 1.0
    assert 0.0 < model.p_correct(state, new.skills, item="new-item") < 1.0
    m = model.mastery(state)["new-skill"]
    assert 0.0 <= m.low <= m.p_mastery <= m.high <= 1.0 and m.n_attempts == 1


def test_bad_hyperparameters_are_all_reported() -> None:
    with pytest.raises(ValidationError) as err:
        Stack(holdout=1.5, blend_C=0.0, tree_folds=1, tree_lr=-1.0).fit(table())
    assert {e.field for e in err.value.errors} == {"holdout", "blend_C", "tree_folds", "tree_lr"}


def test_a_bad_deep_component_is_a_clear_error() -> None:
    with pytest.raises(ValidationError) as err:
        small_stack(deep="lstm").fit(table())
    assert [e.field for e in err.value.errors] == ["deep"]
    assert "dkt" in str(err.value.errors[0]) and "lstm" in str(err.value.errors[0])
    with pytest.raises(ValidationError) as err:
        small_stack(deep="dkt", deep_params=[1]).fit(table())  # type: ignore[arg-type]
    assert [e.field for e in err.value.errors] == ["deep_params"]


def test_without_a_deep_component_the_stack_keeps_six() -> None:
    model = small_stack().fit(table())
    assert model.deep_ is None and model.parts_.deep is None
    comp = model.component_proba(table())
    assert set(comp) == {"lr", "trees", "bkt", "elo", "irt2pl", "factors"}
    # the 2PL and factor components are those models as fitted on their own (refit on every training learner)
    np.testing.assert_allclose(comp["irt2pl"], IRT2PL().fit(table()).predict_proba(table()), atol=1e-9)
    np.testing.assert_allclose(comp["factors"], ItemFactors().fit(table()).predict_proba(table()), atol=1e-9)
    assert model.blend_coef_.shape == (6 + 2 + 6,) and (model.blend_coef_[4:6] != 0.0).all()
    assert "deep" not in model.init_state()
    stored = model.to_dict()
    assert stored["params"]["components"]["deep"] is None
    # a version stored before the deep component existed has neither the key nor the hyperparameters
    del stored["params"]["components"]["deep"]
    for key in ("deep", "deep_params"):
        del stored["hyperparameters"][key]
    again = model_from_dict(json.loads(json.dumps(stored)))
    np.testing.assert_array_equal(again.predict_proba(table()), model.predict_proba(table()))


TINY_DKT = {"embed": 8, "hidden": 8, "max_epochs": 2, "batch_size": 8, "window": 8, "device": "cpu"}


def test_a_deep_component_joins_the_blend_round_trips_and_replays_online() -> None:
    pytest.importorskip("torch")
    from learnpath.learner.deep import DKT

    t = table(n_learners=30)
    model = small_stack(deep="dkt", deep_params=TINY_DKT).fit(t)
    assert model.deep_ == "dkt" and isinstance(model.parts_.deep, DKT)
    assert model.parts_.deep.seed == model.seed + 2  # its own seed
    assert model.blend_coef_.shape == (7 + 2 + 7,) and model.blend_coef_[6] != 0.0
    comp = model.component_proba(t)
    np.testing.assert_allclose(comp["deep"], model.parts_.deep.predict_proba(t), rtol=0, atol=1e-9)
    # JSON round trip holds the deep component's dict and predicts the same, online too
    stored = json.loads(json.dumps(model.to_dict()))
    assert stored["params"]["components"]["deep"]["model"] == "dkt"
    again = model_from_dict(stored)
    batch = model.predict_proba(t)
    np.testing.assert_allclose(again.predict_proba(t), batch, rtol=0, atol=1e-12)
    online, states = online_replay(again, t)
    state = states[int(t.learner[-1])]
    assert "deep" in state
    np.testing.assert_allclose(online, batch, rtol=0, atol=1e-9)
    m = again.mastery(state)
    assert m and all(0.0 <= v.low <= v.p_mastery <= v.high <= 1.0 for v in m.values())


def test_deep_auto_uses_dkt_only_where_a_gpu_is() -> None:
    torch = pytest.importorskip("torch")
    t = table(n_learners=40)
    model = small_stack(deep="auto", deep_params=TINY_DKT).fit(t)
    if torch.cuda.is_available():
        assert model.deep_ == "dkt" and model.parts_.deep is not None
    else:
        assert model.deep_ is None and model.parts_.deep is None
        assert model.blend_coef_.shape == (6 + 2 + 6,)


def test_a_stack_stored_before_irt2pl_factors_and_the_recent_residuals_predicts_as_it_did() -> None:
    """A version fitted by the code before this change (four components, trees on 30 features; the file was
    written by that code) loads, predicts what it predicted then, and runs online without the new state."""
    stored = json.loads((Path(__file__).parents[1] / "data" / "best_stack_before_irt2pl.json").read_text())
    t = synthetic_attempts(np.random.default_rng(11), n_learners=30, attempts_per_learner=12)
    model = model_from_dict(stored["model"])
    assert isinstance(model, Stack)
    assert model.parts_.names == ("lr", "trees", "bkt", "elo") and not model.parts_.residuals
    batch = model.predict_proba(t)
    np.testing.assert_allclose(batch, stored["predict_proba"], rtol=0, atol=1e-12)
    state = model.init_state()
    assert not {"irt2pl", "factors", "residuals"} & set(state)
    online, _ = online_replay(model, t)
    np.testing.assert_allclose(online, batch, rtol=0, atol=1e-9)
