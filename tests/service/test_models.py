"""Refitting the learner model: validated on held-out learners, swapped in one transaction, states follow."""

from __future__ import annotations

import contextlib
import json
import threading
from typing import Any

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from learnpath.errors import ConflictError, PermissionDeniedError, ValidationError
from learnpath.learner.registry import model_from_dict
from learnpath.service import learning, models
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.models import (
    FitReport,
    candidate_model,
    fit_model,
    is_heldout,
    list_model_versions,
    load_attempts,
    save_version,
)
from learnpath.storage.tables import LearnerStateRow, MasteryRow, ModelVersion, User
from learnpath.testing.practice import add_practice
from learnpath.testing.school import TinySchool

WEAK = {"reg_theta": 1e6, "reg_item": 1e6}
"""IRT with abilities and difficulties pinned near 0 by a huge penalty: a genuinely worse model."""


def school_id(ctx: ServiceContext, school: TinySchool) -> int:
    with ctx.unit() as s:
        user = s.get(User, school.ids["admin"])
        assert user is not None
        return user.school_id


def actor(ctx: ServiceContext, user_id: int) -> Actor:
    with ctx.unit() as s:
        user = s.get(User, user_id)
        assert user is not None
        return Actor.of(user)


@pytest.fixture
def practised(ctx: ServiceContext, school: TinySchool, rng: np.random.Generator) -> list[int]:
    return add_practice(ctx, school_id(ctx, school), rng)


def versions(ctx: ServiceContext) -> list[ModelVersion]:
    with ctx.unit() as s:
        return list(s.scalars(select(ModelVersion).order_by(ModelVersion.id)))


def derived(ctx: ServiceContext) -> tuple[dict[int, Any], dict[tuple[int, int], tuple[float, ...]]]:
    """Learner states (version, state) and mastery rows, to compare before and after."""
    with ctx.unit() as s:
        states = {r.learner_id: (r.model_version_id, r.state) for r in s.scalars(select(LearnerStateRow))}
        mastery = {
            (m.learner_id, m.skill_id): (
                m.p_mastery,
                m.low,
                m.high,
                m.n_attempts,
                m.n_correct,
                m.recent_wrong,
            )
            for m in s.scalars(select(MasteryRow))
        }
    return states, mastery


def assert_states_follow(ctx: ServiceContext, report: FitReport, learners: list[int]) -> None:
    """Every learner's stored state and mastery rows are the replay of their attempts under the version."""
    with ctx.unit() as s:
        row = s.get(ModelVersion, report.version_id)
        assert row is not None and row.active
        model = model_from_dict(row.params)
        loaded = load_attempts(s)
        skill_ids = {code: sk.id for code, sk in loaded.catalog.skills.items()}
        for learner_id in learners:
            srow = s.get(LearnerStateRow, learner_id)
            assert srow is not None and srow.model_version_id == report.version_id
            rows = np.flatnonzero(loaded.table.learner == learner_id)
            state = model.init_state()
            for fact in loaded.facts(rows):
                state = model.update(state, fact)
            assert srow.state == json.loads(json.dumps(state))
            for code, m in model.mastery(state).items():
                mrow = s.get(MasteryRow, (learner_id, skill_ids[code]))
                assert mrow is not None
                assert (mrow.p_mastery, mrow.n_attempts) == (pytest.approx(m.p_mastery), m.n_attempts)


def test_a_better_candidate_replaces_the_cold_start_model(ctx: ServiceContext, practised: list[int]) -> None:
    report = fit_model(ctx, "irt")
    assert report.accepted and report.active_version_id is None
    assert report.active_auc is not None and report.candidate_auc > report.active_auc
    assert report.n_learners == 30 and report.n_attempts == 30 * 16
    assert report.n_heldout_learners + report.n_train_learners == 30
    assert report.n_heldout_learners == sum(is_heldout(i) for i in practised)
    assert report.n_states_rebuilt == 30
    [row] = versions(ctx)
    assert (row.id, row.name, row.active, row.accepted) == (report.version_id, "irt", True, True)
    assert row.metrics["auc"] == pytest.approx(report.candidate_auc)
    assert row.metrics["active_auc"] == pytest.approx(report.active_auc)
    assert row.metrics["n_train_attempts"] + row.metrics["n_heldout_attempts"] == report.n_attempts
    assert "not worse" in (row.reason or "")
    assert_states_follow(ctx, report, practised)


def test_a_worse_candidate_is_kept_as_rejected_and_changes_nothing(
    ctx: ServiceContext, school: TinySchool, practised: list[int]
) -> None:
    good = fit_model(ctx, "irt")
    before = derived(ctx)
    bad = fit_model(ctx, "irt", WEAK)
    assert not bad.accepted and bad.n_states_rebuilt == 0
    assert bad.active_version_id == good.version_id
    assert bad.active_auc == pytest.approx(good.candidate_auc)
    assert bad.candidate_auc < bad.active_auc
    assert derived(ctx) == before
    kept, rejected = versions(ctx)
    assert (kept.id, kept.active) == (good.version_id, True)
    assert (rejected.id, rejected.active, rejected.accepted) == (bad.version_id, False, False)
    assert rejected.reason == f"held-out AUC {bad.candidate_auc:.4f} is worse than {bad.active_auc:.4f} " + (
        f"(version {good.version_id})"
    )
    assert rejected.metrics["auc"] == pytest.approx(bad.candidate_auc)
    assert model_from_dict(rejected.params).to_dict()["hyperparameters"]["reg_theta"] == 1e6
    listed = list_model_versions(ctx, actor(ctx, school.ids["admin"]))
    assert [(v.id, v.active, v.accepted) for v in listed] == [
        (bad.version_id, False, False),
        (good.version_id, True, True),
    ]
    with pytest.raises(PermissionDeniedError):
        list_model_versions(ctx, actor(ctx, school.ids["teacher1"]))


def test_a_swap_between_fitted_versions_moves_every_state(
    ctx: ServiceContext, practised: list[int], rng: np.random.Generator
) -> None:
    # cold start with a model that cannot predict unfitted: the first candidate is accepted as it stands
    cold = ServiceContext(
        ctx.sessions, ctx.settings.model_copy(update={"model": "best"}), ctx.clock, ctx.hasher
    )
    weak = fit_model(cold, "irt", WEAK)
    assert weak.accepted and weak.active_auc is None and "cannot predict" in weak.reason
    strong = fit_model(cold, "irt")
    assert strong.accepted and strong.active_version_id == weak.version_id
    assert strong.active_auc == pytest.approx(weak.candidate_auc) and strong.candidate_auc > strong.active_auc
    assert [v.active for v in versions(ctx)] == [False, True]
    assert_states_follow(ctx, strong, practised)
    # the app answers under the new version (including a state left behind under the old one)
    me = actor(ctx, practised[0])
    with ctx.unit() as s:
        srow = s.get(LearnerStateRow, me.user_id)
        assert srow is not None
        srow.model_version_id, srow.state = weak.version_id, {"stale": True}
    nxt = learning.next_item(cold, me, me.user_id, rng)
    assert nxt is not None
    learning.record_attempt(cold, me, me.user_id, nxt.item_id, "wrong")
    assert_states_follow(ctx, strong, [me.user_id])
    # IRT moves every skill with each answer: the mastery rows of the other skills follow too
    ctx.clock.advance(minutes=1)  # type: ignore[attr-defined]
    learning.record_attempt(cold, me, me.user_id, nxt.item_id, "wrong")
    assert_states_follow(ctx, strong, [me.user_id])


def test_errors_name_what_is_missing_and_write_nothing(
    ctx: ServiceContext, school: TinySchool, rng: np.random.Generator
) -> None:
    with pytest.raises(ValidationError, match=r"unknown model 'nope'; known: .*bkt"):
        fit_model(ctx, "nope")
    with pytest.raises(ValidationError, match=r"not valid for 'irt'.*'colour'"):
        fit_model(ctx, "irt", {"colour": "red"})
    with pytest.raises(ValidationError, match="no attempts"):
        fit_model(ctx, "irt")
    few = add_practice(ctx, school_id(ctx, school), rng, n_learners=4)
    n_held = sum(is_heldout(i) for i in few)
    with pytest.raises(ValidationError) as caught:
        fit_model(ctx, "irt")
    assert caught.value.message == (
        f"attempts: too few learners to validate a model: 4 learners have attempts, {4 - n_held} for training "
        f"and {n_held} held out (20% by learner id); need at least 5 for training and 2 held out"
    )
    with ctx.unit() as s:
        assert s.scalar(select(func.count()).select_from(ModelVersion)) == 0
        assert s.scalar(select(func.count()).select_from(LearnerStateRow)) == 0


def test_a_swap_by_another_fit_meanwhile_is_a_conflict(ctx: ServiceContext, practised: list[int]) -> None:
    inner: list[FitReport] = []

    def meanwhile(phase: str) -> None:
        if phase == "save" and not inner:
            inner.append(fit_model(ctx, "irt"))

    with pytest.raises(ConflictError, match="changed while fitting"):
        fit_model(ctx, "irt", on_phase=meanwhile)
    assert [v.id for v in versions(ctx)] == [inner[0].version_id]


def test_two_fits_saving_at_once_on_a_database_with_no_version_activate_exactly_one(
    ctx: ServiceContext, practised: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two fits that both read "no version yet" save at the same instant (two threads, a session each).
    Without the table lock both find no active version and both commit an active one; with it the second
    waits for the first, then sees its version and refuses. Runs on every backend of the DB fixture."""
    with ctx.unit() as s:
        loaded = load_attempts(s)
    model = candidate_model("irt").fit(loaded.table)
    inside = threading.Barrier(2)
    rebuild = models.rebuild_learner_states

    def meet_inside(*args: Any, **kwargs: Any) -> int:
        # called inside the save transaction, after the new version's insert: wait (at most 1 s) for the
        # other fit to get this far too before committing. Only a fit that got past the check does.
        with contextlib.suppress(threading.BrokenBarrierError):
            inside.wait(timeout=1.0)
        return rebuild(*args, **kwargs)

    monkeypatch.setattr(models, "rebuild_learner_states", meet_inside)
    start = threading.Barrier(2)
    outcomes: list[object] = []

    def save() -> None:
        start.wait(timeout=10)
        try:
            outcomes.append(
                save_version(
                    ctx, model, accepted=True, reason="test", metrics={}, expected_active=None, loaded=loaded
                )
            )
        except ConflictError as exc:
            outcomes.append(exc)

    threads = [threading.Thread(target=save) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    saved = [o for o in outcomes if isinstance(o, tuple)]
    refused = [o for o in outcomes if isinstance(o, ConflictError)]
    assert len(saved) == 1 and len(refused) == 1, outcomes
    assert "changed while fitting" in str(refused[0])
    assert [(v.id, v.active) for v in versions(ctx)] == [(saved[0][0], True)]
    assert saved[0][1] == len(practised)  # the winner rebuilt every learner's state under its version


def test_a_refit_of_the_same_data_is_reproducible_and_accepted(
    ctx: ServiceContext, practised: list[int]
) -> None:
    first = fit_model(ctx, "bkt")
    again = fit_model(ctx, "bkt")
    assert again.candidate_auc == first.candidate_auc
    if first.accepted:
        assert again.accepted and again.active_auc == first.candidate_auc
    a, b = versions(ctx)
    assert a.params == b.params


@given(st.integers(0, 10**12))
def test_the_heldout_split_is_stable_and_nested(learner_id: int) -> None:
    assert is_heldout(learner_id) == is_heldout(learner_id)
    if is_heldout(learner_id, 0.1):
        assert is_heldout(learner_id, 0.2)
    assert not is_heldout(learner_id, 0.0)


def test_the_heldout_share_is_about_a_fifth() -> None:
    share = np.mean([is_heldout(i) for i in range(1, 20001)])
    assert 0.19 < share < 0.21


def test_auto_fits_best_and_bkt_and_keeps_the_better_on_heldout_learners(
    ctx: ServiceContext, practised: list[int]
) -> None:
    report = fit_model(ctx)  # the default: auto
    with ctx.unit() as s:
        row = s.get(ModelVersion, report.version_id)
        assert row is not None
        candidates = row.metrics["candidates"]
    assert set(candidates) == {"best", "bkt"} and row.metrics["fitted_as"] == "auto"
    winner = max(candidates, key=lambda k: candidates[k]["auc"])
    assert report.model == winner and report.candidate_auc == pytest.approx(candidates[winner]["auc"])
    loser = ({"best", "bkt"} - {winner}).pop()
    assert f"{winner} chosen by held-out AUC over {loser}" in report.reason
    for name in ("best", "bkt"):  # each candidate's AUC is the one a named fit of it reports
        assert fit_model(ctx, name).candidate_auc == pytest.approx(candidates[name]["auc"])
    with pytest.raises(ValidationError, match="name one model"):
        fit_model(ctx, "auto", {"C": 2.0})
