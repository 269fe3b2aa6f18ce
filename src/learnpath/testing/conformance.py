"""The conformance suite every learner model passes: inherit, set ``model_factory``, done.

::

    class TestIRT(LearnerModelTests):
        model_factory = IRT

Class switches: ``needs_fit`` (``predict_proba`` before ``fit`` raises NotFittedError),
``monotone_mastery`` (a correct answer never lowers P(mastery) of its skills, and never leaves it
below a wrong answer). The data is :func:`~learnpath.testing.synthetic.synthetic_attempts`.
"""

from __future__ import annotations

import copy
import inspect
import json
import math
from collections.abc import Callable
from datetime import timedelta
from typing import Any, ClassVar

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.evidence import Attempt
from learnpath.errors import NotFittedError
from learnpath.learner.base import AttemptTable, LearnerModel, LearnerState
from learnpath.learner.registry import model_from_dict
from learnpath.testing.synthetic import T0, synthetic_attempts, table_attempts

__all__ = ["LearnerModelTests"]


class LearnerModelTests:
    """Contract tests shared by every learner model (pytest collects them in each subclass)."""

    model_factory: ClassVar[Callable[[], LearnerModel]]
    needs_fit: ClassVar[bool] = True
    monotone_mastery: ClassVar[bool] = True
    seed: ClassVar[int] = 20261123

    # -- helpers --------------------------------------------------------------------------------
    def make(self) -> Any:
        factory = inspect.getattr_static(type(self), "model_factory")
        if isinstance(factory, staticmethod):
            factory = factory.__func__
        return factory()

    def table(self) -> AttemptTable:
        return synthetic_attempts(np.random.default_rng(self.seed))

    def fitted(self) -> Any:
        return self.make().fit(self.table())

    def _attempt(self, table: AttemptTable, item: int, correct: bool, k: int) -> Attempt:
        skills = [
            table.skill_names[int(table.skill_indices[j])]
            for j in range(len(table.skill_indices))
            if table.item[np.searchsorted(table.skill_indptr, j, side="right") - 1] == item
        ]
        return Attempt(
            learner=1,
            item=table.item_names[item],
            skills=tuple(dict.fromkeys(skills)) or (table.skill_names[0],),
            correct=correct,
            at=T0 + timedelta(minutes=k),
        )

    # -- batch ----------------------------------------------------------------------------------
    def test_fit_returns_self(self) -> None:
        model = self.make()
        assert model.fit(self.table()) is model

    def test_predict_proba_is_a_probability_per_row(self) -> None:
        table = self.table()
        p = self.make().fit(table).predict_proba(table)
        assert isinstance(p, np.ndarray)
        assert p.shape == (len(table),)
        assert np.isfinite(p).all()
        assert ((p >= 0.0) & (p <= 1.0)).all()

    def test_predictions_do_not_look_ahead(self) -> None:
        table = self.table()
        model = self.make().fit(table)
        before = model.predict_proba(table)
        rows = np.flatnonzero(table.learner == table.learner[len(table) // 2])
        flip = int(rows[len(rows) // 2])
        correct = table.correct.copy()
        correct[flip] = 1 - correct[flip]
        changed = AttemptTable(**{**vars(table), "correct": correct})
        after = model.predict_proba(changed)
        upto = rows[rows <= flip]
        np.testing.assert_allclose(after[upto], before[upto], rtol=0, atol=1e-12)
        others = table.learner != table.learner[flip]
        np.testing.assert_allclose(after[others], before[others], rtol=0, atol=1e-12)

    def test_predict_before_fit_raises(self) -> None:
        if not self.needs_fit:
            pytest.skip("this model predicts without fit")
        with pytest.raises(NotFittedError):
            self.make().predict_proba(self.table())

    # -- parameters -----------------------------------------------------------------------------
    def test_init_only_stores_hyperparameters(self) -> None:
        model = self.make()
        params = model.get_params()
        assert set(params) <= set(vars(model)), "get_params names must be attributes set in __init__"
        assert not [k for k in vars(model) if k.endswith("_") and not k.startswith("_")], (
            "learned values before fit"
        )
        clone = type(model)(**params)
        assert clone.get_params() == params
        json.dumps(params)

    def test_json_round_trip_reproduces_predictions(self) -> None:
        table = self.table()
        model = self.fitted()
        data = json.loads(json.dumps(model.to_dict()))
        again = model_from_dict(data)
        np.testing.assert_allclose(again.predict_proba(table), model.predict_proba(table), rtol=0, atol=1e-12)
        state = model.init_state()
        for a in table_attempts(table)[:10]:
            state = model.update(state, a)
        skills = tuple(table.skill_names)
        assert again.p_correct(state, skills) == pytest.approx(model.p_correct(state, skills), abs=1e-12)
        assert again.to_dict() == data

    # -- online ---------------------------------------------------------------------------------
    def test_update_returns_new_json_state_and_leaves_input(self) -> None:
        table = self.table()
        model = self.fitted()
        state: LearnerState = model.init_state()
        for a in table_attempts(table)[:20]:
            frozen = copy.deepcopy(state)
            new = model.update(state, a)
            assert state == frozen, "update changed its input state"
            assert new is not state
            assert json.loads(json.dumps(new)) == new
            state = new
        p = model.p_correct(state, (table.skill_names[0],))
        assert 0.0 <= p <= 1.0

    def test_mastery_intervals_contain_p(self) -> None:
        table = self.table()
        model = self.fitted()
        state = model.init_state()
        for a in table_attempts(table)[:40]:
            state = model.update(state, a)
            for code, m in model.mastery(state).items():
                assert 0.0 <= m.low <= m.p_mastery <= m.high <= 1.0, (code, m)
                assert m.n_attempts >= 1

    def test_correct_answer_never_lowers_mastery(self) -> None:
        if not self.monotone_mastery:
            pytest.skip("this model does not promise monotone mastery")
        table = self.table()
        model = self.fitted()
        n_items = len(table.item_names)

        @settings(max_examples=40, deadline=None)
        @given(
            history=st.lists(st.tuples(st.integers(0, n_items - 1), st.booleans()), max_size=12),
            probe=st.integers(0, n_items - 1),
        )
        def check(history: list[tuple[int, bool]], probe: int) -> None:
            state = model.init_state()
            for k, (item, ok) in enumerate(history):
                state = model.update(state, self._attempt(table, item, ok, k))
            before = model.mastery(state)
            right = model.mastery(model.update(state, self._attempt(table, probe, True, len(history))))
            wrong = model.mastery(model.update(state, self._attempt(table, probe, False, len(history))))
            for code in self._attempt(table, probe, True, 0).skills:
                p_right = right[code].p_mastery
                assert p_right >= wrong[code].p_mastery - 1e-12
                if code in before:
                    assert p_right >= before[code].p_mastery - 1e-12
                assert not math.isnan(p_right)

        check()
