"""The placement diagnostic: purity, saving, prerequisite implications, stopping, accuracy, bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from learnpath.core.graph import SkillGraph
from learnpath.errors import ValidationError
from learnpath.recommend import placement as pl

# Two strands of five skills (a chain each) joined by a top skill: 11 skills, levels 0..5.
SKILLS = [f"{s}{i}" for s in "ab" for i in range(5)] + ["top"]
EDGES = [(f"{s}{i}", f"{s}{i + 1}") for s in "ab" for i in range(4)] + [("a4", "top"), ("b4", "top")]
GRAPH = SkillGraph.build(SKILLS, EDGES)
LEVELS = {s: (5.0 if s == "top" else float(s[1])) for s in SKILLS}
FAST = pl.PlacementConfig(n_particles=600, selection_particles=200, min_ess=30)


def run(state: pl.PlacementState, truth: dict[str, bool], rng: np.random.Generator) -> pl.PlacementState:
    while (q := pl.next_question(state)) is not None:
        p = 1 - q.slip if truth[q.skill] else q.guess
        state = pl.answer(state, q, bool(rng.random() < p))
    return state


def test_answer_is_pure_and_the_state_round_trips_through_json() -> None:
    state = pl.start(GRAPH, LEVELS, FAST, prior={"a0": 0.9}, focus=SKILLS[:6])
    q = pl.next_question(state)
    assert q is not None and q.skill in SKILLS[:6] and q.information > 0
    after = pl.answer(state, q, True)
    assert state.answers == () and len(after.answers) == 1
    data = json.loads(json.dumps(after.to_dict()))
    again = pl.PlacementState.from_dict(data, GRAPH, LEVELS)
    assert pl.result(again).p_known() == pl.result(after).p_known()
    assert pl.next_question(again) == pl.next_question(after)


def test_a_right_answer_raises_prerequisites_and_a_wrong_one_lowers_dependents() -> None:
    state = pl.start(GRAPH, LEVELS, FAST)
    before = pl.result(state).p_known()
    right = pl.result(pl.answer(state, pl.Question("a3", 0.2, 0.1, 0.5, 0.0), True)).p_known()
    wrong = pl.result(pl.answer(state, pl.Question("a1", 0.2, 0.1, 0.5, 0.0), False)).p_known()
    assert right["a1"] > before["a1"] and right["a2"] > before["a2"]
    assert wrong["a4"] < before["a4"] and wrong["top"] < before["top"]
    assert right["b0"] == pytest.approx(before["b0"], abs=0.15)  # the other strand barely moves


def test_samples_are_closed_under_prerequisites() -> None:
    state = pl.start(GRAPH, LEVELS, FAST)
    states = pl.sample_states(state, 300, np.random.default_rng(0))
    index = {s: i for i, s in enumerate(state.skills)}
    for a, b in EDGES:
        assert not np.any(states[:, index[b]] & ~states[:, index[a]])


def test_it_stops_at_the_maximum_length() -> None:
    cfg = pl.PlacementConfig(max_questions=3, target_accuracy=1.0, n_particles=300, selection_particles=100)
    state = run(pl.start(GRAPH, LEVELS, cfg), dict.fromkeys(SKILLS, True), np.random.default_rng(1))
    assert len(state.answers) == 3 and pl.result(state).done and pl.next_question(state) is None


def test_accuracy_improves_with_more_questions() -> None:
    def mean_accuracy(max_q: int) -> float:
        rng = np.random.default_rng(5)
        scores = []
        for k in range(12):
            level = rng.integers(0, 7)
            truth = {s: bool(LEVELS[s] < level) for s in SKILLS}
            cfg = pl.PlacementConfig(max_questions=max_q, target_accuracy=1.0, n_particles=600,
                                     selection_particles=200, min_ess=30, seed=k)  # fmt: skip
            est = pl.result(run(pl.start(GRAPH, LEVELS, cfg), truth, rng)).estimates
            scores.append(np.mean([est[s].known == truth[s] for s in SKILLS]))
        return float(np.mean(scores))

    few, many = mean_accuracy(1), mean_accuracy(8)
    assert many > few and many >= 0.9


def test_bad_input_names_the_field() -> None:
    with pytest.raises(ValidationError, match="unknown skill 'zz'"):
        pl.answer(pl.start(GRAPH, LEVELS, FAST), pl.Question("zz", 0.2, 0.1, 0.5, 0.0), True)
    with pytest.raises(ValidationError) as info:
        pl.start(GRAPH, LEVELS, FAST, prior={"nope": 0.5, "a0": 2.0})
    assert {e.field for e in info.value.errors} == {"prior.nope", "prior.a0"}
    with pytest.raises(ValidationError, match="levels"):
        pl.start(GRAPH, {"a0": 1.0}, FAST)
    with pytest.raises(ValidationError, match="max_questions"):
        pl.PlacementConfig(max_questions=-1)
    other = SkillGraph.build([*SKILLS, "extra"], EDGES)
    data = pl.start(GRAPH, LEVELS, FAST).to_dict()
    with pytest.raises(ValidationError, match="another skill graph"):
        pl.PlacementState.from_dict(data, other, {**LEVELS, "extra": 1.0})
    with pytest.raises(ValidationError, match="placement"):
        pl.PlacementState.from_dict({"format": 1, "config": {"bogus": 1}}, GRAPH, LEVELS)


def test_a_rebuilt_state_equals_the_live_one_after_extra_particle_batches() -> None:
    cfg = pl.PlacementConfig(n_particles=200, selection_particles=100, min_ess=150, max_batches=3, seed=3)
    truth = {s: s.startswith("a") and s < "a3" for s in SKILLS}
    live = run(pl.start(GRAPH, LEVELS, cfg), truth, np.random.default_rng(2))
    assert live._belief.batches > 1  # the refill happened
    again = pl.PlacementState.from_dict(json.loads(json.dumps(live.to_dict())), GRAPH, LEVELS)
    assert pl.result(again).p_known() == pl.result(live).p_known()
    assert again.answers == live.answers
