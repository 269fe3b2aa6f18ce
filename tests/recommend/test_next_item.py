from __future__ import annotations

import numpy as np

from learnpath.core.graph import SkillGraph
from learnpath.core.items import Item
from learnpath.recommend.next_item import LearnerView, NextItemPolicy


def items(skill: str, difficulties: list[float]) -> tuple[Item, ...]:
    return tuple(
        Item(f"{skill}-{i}", "numeric", "?", (skill,), answer="1", difficulty=d)
        for i, d in enumerate(difficulties)
    )


GRAPH = SkillGraph.build(["a", "b", "c"], [("a", "b"), ("b", "c")])
POLICY = NextItemPolicy(
    items_by_skill={"a": items("a", [-2, 0, 2]), "b": items("b", [0]), "c": items("c", [0])}
)


def test_new_learner_starts_at_the_root() -> None:
    choice = POLICY.choose(GRAPH, LearnerView({}, {}), np.random.default_rng(0))
    assert choice is not None
    assert (choice.skill, choice.reason) == ("a", "ready")


def test_mastered_prerequisite_unlocks_the_next_skill() -> None:
    view = LearnerView({"a": 0.99}, {"a": 5})
    choice = POLICY.choose(GRAPH, view, np.random.default_rng(0))
    assert choice is not None and choice.skill == "b"


def test_item_difficulty_fits_the_learner() -> None:
    weak = POLICY.choose(GRAPH, LearnerView({"a": 0.05}, {"a": 3}), np.random.default_rng(0))
    strong = POLICY.choose(GRAPH, LearnerView({"a": 0.9}, {"a": 3}), np.random.default_rng(0))
    assert weak is not None and strong is not None
    assert weak.reason == "continue"
    assert weak.item.difficulty < strong.item.difficulty


def test_recent_items_are_not_repeated() -> None:
    first = POLICY.choose(GRAPH, LearnerView({"a": 0.5}, {"a": 1}), np.random.default_rng(0))
    assert first is not None
    again = POLICY.choose(
        GRAPH, LearnerView({"a": 0.5}, {"a": 2}, [first.item.code]), np.random.default_rng(0)
    )
    assert again is not None and again.item.code != first.item.code


def test_everything_mastered_means_review_of_the_weakest() -> None:
    view = LearnerView({"a": 0.99, "b": 0.97, "c": 0.96}, {"a": 5, "b": 5, "c": 5})
    choice = POLICY.choose(GRAPH, view, np.random.default_rng(0))
    assert choice is not None and (choice.skill, choice.reason) == ("c", "review")


def test_same_rng_same_choice() -> None:
    view = LearnerView({"a": 0.5}, {"a": 1})
    a = POLICY.choose(GRAPH, view, np.random.default_rng(7))
    b = POLICY.choose(GRAPH, view, np.random.default_rng(7))
    assert a == b
