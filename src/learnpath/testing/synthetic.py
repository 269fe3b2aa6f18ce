"""Small synthetic attempt tables for tests: learners with an ability that grows as they practise.

Everything random comes from the ``rng`` passed in; the same seed gives the same table.
"""

from __future__ import annotations

import inspect
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np

from learnpath.core.evidence import Attempt
from learnpath.learner.base import AttemptTable

__all__ = ["T0", "online_replay", "synthetic_attempts", "table_attempts"]

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def synthetic_attempts(
    rng: np.random.Generator,
    n_learners: int = 24,
    n_items: int = 12,
    n_skills: int = 3,
    attempts_per_learner: int = 16,
    multi_skill: float = 0.25,
    learning_rate: float = 0.08,
) -> AttemptTable:
    """A table sorted by learner then time; item ``i`` belongs to skill ``i % n_skills`` and, with
    probability ``multi_skill``, also to the next skill. P(correct) = sigmoid(ability + growth - difficulty).
    """
    ability = rng.normal(0.0, 1.0, n_learners)
    difficulty = rng.normal(0.0, 1.0, n_items)
    extra = rng.random(n_items) < multi_skill
    item_skills = [
        sorted({i % n_skills, (i + 1) % n_skills}) if extra[i] and n_skills > 1 else [i % n_skills]
        for i in range(n_items)
    ]
    n = n_learners * attempts_per_learner
    learner = np.repeat(np.arange(n_learners, dtype=np.int64), attempts_per_learner)
    step = np.tile(np.arange(attempts_per_learner, dtype=np.float64), n_learners)
    item = rng.integers(0, n_items, n).astype(np.int64)
    logit = ability[learner] + learning_rate * step - difficulty[item]
    correct = (rng.random(n) < 1.0 / (1.0 + np.exp(-logit))).astype(np.int8)
    counts = np.array([len(item_skills[i]) for i in item], dtype=np.int64)
    return AttemptTable(
        learner=learner,
        item=item,
        skill_indptr=np.r_[0, np.cumsum(counts)].astype(np.int64),
        skill_indices=np.array([s for i in item for s in item_skills[i]], dtype=np.int64),
        correct=correct,
        timestamp=step * 60.0,
        item_names=tuple(f"item{i}" for i in range(n_items)),
        skill_names=tuple(f"skill{s}" for s in range(n_skills)),
    )


def table_attempts(table: AttemptTable) -> list[Attempt]:
    """The rows of ``table`` as attempt facts (``at`` = T0 + timestamp seconds)."""
    out = []
    for r in range(len(table)):
        skills = table.skill_indices[table.skill_indptr[r] : table.skill_indptr[r + 1]]
        out.append(
            Attempt(
                learner=int(table.learner[r]),
                item=table.item_names[int(table.item[r])],
                skills=tuple(table.skill_names[int(s)] for s in skills),
                correct=bool(table.correct[r]),
                at=T0 + timedelta(seconds=float(table.timestamp[r])),
                hints_used=0 if table.hints is None else int(np.nan_to_num(table.hints[r])),
            )
        )
    return out


def online_replay(model: Any, table: AttemptTable) -> tuple[np.ndarray, dict[int, Any]]:
    """What the app's online path predicts for every row of ``table``: each learner's state from
    ``init_state``, ``p_correct`` before each attempt (with the item where the model takes one), then
    ``update``. Returns the predictions and each learner's last state."""
    takes_item = "item" in inspect.signature(model.p_correct).parameters
    states: dict[int, Any] = {}
    online = np.empty(len(table))
    for k, fact in enumerate(table_attempts(table)):
        state = states.get(fact.learner) or model.init_state()
        if takes_item:
            online[k] = model.p_correct(state, fact.skills, item=fact.item, at=fact.at)
        else:
            online[k] = model.p_correct(state, fact.skills)
        states[fact.learner] = model.update(state, fact)
    return online, states
