"""The app's online path gives the numbers the batch path was validated on.

``learnpath fit`` validates a model by ``predict_proba``; the app then uses ``init_state``/``update`` and
``p_correct`` answer by answer. For the models the app runs (``best`` by default, BKT at cold start), an
online replay must predict every attempt exactly as ``predict_proba`` did, hints and multi-skill items
included, or the validated AUC would not be the app's.
"""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from learnpath.learner.base import AttemptTable
from learnpath.learner.registry import build_model
from learnpath.testing.synthetic import online_replay, synthetic_attempts, table_attempts


def table_with_hints(seed: int) -> AttemptTable:
    rng = np.random.default_rng(seed)
    table = synthetic_attempts(rng, n_learners=20, attempts_per_learner=18)
    hints = (rng.random(len(table)) < 0.2).astype(np.float64)
    # spread attempts over days so the time-window features are exercised
    timestamp = table.timestamp * 997.0
    return AttemptTable(**{**vars(table), "hints": hints, "timestamp": timestamp})


@pytest.mark.parametrize("name", ["best", "bestlr_plus_windows", "bkt", "bestlr", "pfa"])
def test_online_replay_predicts_what_predict_proba_did(name: str) -> None:
    table = table_with_hints(7)
    model = build_model(name).fit(table)
    batch = model.predict_proba(table)
    online, _ = online_replay(model, table)
    np.testing.assert_allclose(online, batch, rtol=0, atol=1e-9)


def test_best_handles_items_and_skills_it_never_saw() -> None:
    """New content added after a fit: the app still gets a probability and a mastery with an interval."""
    table = table_with_hints(8)
    model = build_model("best").fit(table)
    fact = table_attempts(table)[0]
    new = type(fact)(
        learner=fact.learner,
        item="brand-new-item",
        skills=("brand-new-skill", fact.skills[0]),
        correct=True,
        at=fact.at + timedelta(days=1),
    )
    state = model.update(model.init_state(), new)
    p = model.p_correct(state, new.skills)
    assert 0.0 < p < 1.0
    m = model.mastery(state)["brand-new-skill"]
    assert 0.0 <= m.low <= m.p_mastery <= m.high <= 1.0 and m.n_attempts == 1
