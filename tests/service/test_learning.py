"""Practice use cases: one transaction each, derived state rebuilt from the facts."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from sqlalchemy import func, select

from learnpath.core.evidence import Attempt
from learnpath.learner.base import LearnerState
from learnpath.learner.bkt import BKT
from learnpath.service import learning
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import AttemptRow, LearnerStateRow, MasteryRow, ModelVersion
from learnpath.testing.clock import FakeClock
from learnpath.testing.school import TinySchool


def actor(school: TinySchool, name: str, role: str = "learner") -> Actor:
    return Actor(school.ids[name], role, 1, name, name)  # type: ignore[arg-type]


def counts(ctx: ServiceContext) -> tuple[int, int, int]:
    with ctx.unit() as s:
        return (
            s.scalar(select(func.count()).select_from(AttemptRow)) or 0,
            s.scalar(select(func.count()).select_from(MasteryRow)) or 0,
            s.scalar(select(func.count()).select_from(LearnerStateRow)) or 0,
        )


class Exploding(BKT):
    def update(self, state: LearnerState, attempt: Attempt) -> LearnerState:
        raise RuntimeError("model failed")


def test_a_failing_model_update_writes_nothing(ctx: ServiceContext, school: TinySchool) -> None:
    me = actor(school, "learner1")
    learning.record_attempt(ctx, me, me.user_id, school.ids["ADD-0"], "2")
    before = counts(ctx)
    ctx._model_cache[None] = Exploding()
    with pytest.raises(RuntimeError):
        learning.record_attempt(ctx, me, me.user_id, school.ids["ADD-1"], "3")
    assert counts(ctx) == before == (1, 1, 1)


def test_states_are_replayed_when_the_active_model_changes(
    ctx: ServiceContext, school: TinySchool, clock: FakeClock
) -> None:
    me = actor(school, "learner1")
    for code, answer in [("ADD-0", "2"), ("ADD-1", "3"), ("ADD-2", "9")]:
        learning.record_attempt(ctx, me, me.user_id, school.ids[code], answer)
        clock.advance(minutes=1)
    cautious = BKT(prior=0.05, learn=0.05)
    params: dict[str, Any] = cautious.to_dict()
    with ctx.unit() as s:
        s.add(ModelVersion(name="bkt", params=params, metrics={}, active=True, created_at=clock()))
    learning.record_attempt(ctx, me, me.user_id, school.ids["ADD-0"], "2")
    state = cautious.init_state()
    for correct in (True, True, False, True):
        state = cautious.update(state, Attempt(me.user_id, "x", ("ADD",), correct, clock()))
    p = learning.learner_progress(ctx, me, me.user_id)
    add = next(s for s in p.skills if s.code == "ADD")
    assert add.p_mastery == pytest.approx(cautious.p_mastery(state, "ADD"))
    assert (p.n_attempts, p.n_correct) == (4, 3)


def test_next_item_moves_on_after_mastery(ctx: ServiceContext, school: TinySchool, clock: FakeClock) -> None:
    me = actor(school, "learner2")
    rng = np.random.default_rng(1)
    first = learning.next_item(ctx, me, me.user_id, rng)
    assert first is not None and first.skill_code == "ADD"
    for _ in range(4):
        n = learning.next_item(ctx, me, me.user_id, rng)
        assert n is not None
        learning.record_attempt(ctx, me, me.user_id, n.item_id, n.item.answer)
        clock.advance(seconds=30)
    later = learning.next_item(ctx, me, me.user_id, rng)
    assert later is not None and later.skill_code in {"SUB", "MUL"}
