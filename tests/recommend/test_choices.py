"""Next steps with choice, as properties over random skill webs and learners."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.graph import SkillGraph
from learnpath.errors import NotFoundError
from learnpath.recommend.choices import (
    REVIEW_KINDS,
    ChoicePolicy,
    Curriculum,
    LearnerSnapshot,
    MustDo,
    SkillFacts,
)
from learnpath.recommend.review import ReviewModel

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
POLICY = ChoicePolicy()
TAGS = ("space", "animals", "music")


@st.composite
def worlds(draw: st.DrawFn) -> tuple[Curriculum, LearnerSnapshot]:
    n = draw(st.integers(1, 14))
    skills = [f"S{i:02d}" for i in range(n)]
    edges = [
        (skills[a], skills[b])
        for b in range(n)
        for a in draw(st.sets(st.integers(0, max(0, b - 1)), max_size=2) if b else st.just(set[int]()))
    ]
    facts = [
        SkillFacts(
            s,
            grade=draw(st.integers(1, 6)),
            interests=frozenset(draw(st.sets(st.sampled_from(TAGS), max_size=1))),
            has_items=True if i % 5 else draw(st.booleans()),
        )
        for i, s in enumerate(skills)
    ]
    cur = Curriculum.build(SkillGraph.build(skills, edges), facts)
    known = draw(st.sets(st.sampled_from(skills)))
    p = {s: draw(st.floats(0.95, 1.0)) if s in known else draw(st.floats(0.0, 0.94)) for s in skills}
    n_att = {s: draw(st.integers(0, 6)) for s in skills}
    wrong = {s: draw(st.integers(0, 3)) for s in skills}
    peaks = {s: draw(st.floats(0.0, 1.0)) for s in skills}
    review = ReviewModel()
    memories = {}
    for s in draw(st.sets(st.sampled_from(skills))):
        m = review.review(None, True, NOW - timedelta(days=draw(st.integers(0, 200))))
        memories[s] = m
    must = [
        MustDo(s, i, NOW + timedelta(days=i))
        for i, s in enumerate(draw(st.lists(st.sampled_from(skills), max_size=4)))
    ]
    learner = LearnerSnapshot(
        grade=draw(st.none() | st.integers(1, 6)),
        p_mastery=p,
        n_attempts=n_att,
        recent_wrong=wrong,
        peak_mastery=peaks,
        memories=memories,
        interests=frozenset(draw(st.sets(st.sampled_from(TAGS)))),
        must_do=must,
    )
    return cur, learner


def eligible(cur: Curriculum, learner: LearnerSnapshot) -> tuple[set[str], set[str]]:
    """(every skill the learner could be offered, the non-review ones), computed independently."""
    mastered = {s for s, p in learner.p_mastery.items() if p >= POLICY.mastered_at}
    has = {s for s, f in cur.facts.items() if f.has_items}
    ready = {s for s in has - mastered if all(p in mastered for p in cur.graph.prerequisites(s))}
    must = {m.skill for m in learner.must_do} & has
    reteach = {
        s
        for s in has - mastered
        if learner.peak_mastery.get(s, 0) >= POLICY.mastered_at
        or (learner.recent_wrong.get(s, 0) >= 2 and learner.n_attempts.get(s, 0) >= 3)
    }
    learning = ready | must | reteach
    return learning | (mastered & has), learning


@settings(max_examples=150, deadline=None)
@given(worlds())
def test_choices_are_few_balanced_must_do_first_and_deterministic(
    world: tuple[Curriculum, LearnerSnapshot],
) -> None:
    cur, learner = world
    out = POLICY.choose(cur, learner, NOW)
    choices = out.choices
    everything, learning = eligible(cur, learner)
    assert len(choices) <= 5
    assert len(choices) >= min(3, len(everything))
    if everything:
        assert choices and out.notice != "nothing_to_do"
    skills = [c.skill for c in choices]
    assert len(skills) == len(set(skills))
    assert set(skills) <= everything
    kinds = [c.kind for c in choices]
    if any(m.skill in everything for m in learner.must_do):
        assert kinds[0] == "must_do"
    first_other = next((i for i, k in enumerate(kinds) if k != "must_do"), len(kinds))
    assert all(k != "must_do" for k in kinds[first_other:])
    if learning:
        assert any(k not in REVIEW_KINDS for k in kinds), "never only review"
    assert POLICY.choose(cur, learner, NOW) == out


def test_each_kind_comes_with_what_its_reason_needs() -> None:
    graph = SkillGraph.build(["A", "B", "C", "D", "E", "F"], [("A", "B"), ("A", "C"), ("A", "D"), ("A", "E")])
    facts = [
        SkillFacts("A", 1),
        SkillFacts("B", 1, has_items=False),
        SkillFacts("C", 1, frozenset({"space"})),
        SkillFacts("D", 5),
        SkillFacts("E", 1),
        SkillFacts("F", 1),
    ]
    cur = Curriculum.build(graph, facts)
    review = ReviewModel()
    learner = LearnerSnapshot(
        grade=2,
        p_mastery={"A": 0.99, "F": 0.6},
        n_attempts={"A": 9, "F": 5},
        peak_mastery={"A": 0.99, "F": 0.97},
        memories={"A": review.review(None, True, NOW - timedelta(days=21))},
        interests=frozenset({"space"}),
        must_do=[MustDo("E", 7, NOW + timedelta(days=2))],
    )
    choices = POLICY.choose(cur, learner, NOW).choices
    by = {c.kind: c for c in choices}
    assert choices[0].kind == "must_do" and by["must_do"].assignment_id == 7
    assert by["review"].skill == "A" and by["review"].days_since == 21
    assert by["interest"].skill == "C" and by["interest"].interest == "space"
    assert by["enrich"].skill == "D"
    assert by["reteach"].skill == "F" and by["reteach"].fell
    assert len(choices) == 5


def test_a_new_learner_gets_the_roots_and_a_no_history_notice() -> None:
    cur = Curriculum.build(SkillGraph.build(["A", "B", "C"], [("A", "B")]))
    out = POLICY.choose(cur, LearnerSnapshot(), NOW)
    assert [c.skill for c in out.choices] == ["A", "C"]
    assert out.notice == "no_history"


def test_goals() -> None:
    graph = SkillGraph.build(["A", "B", "C", "X"], [("A", "B"), ("B", "C")])
    cur = Curriculum.build(graph, [SkillFacts("B", has_items=False)])
    learner = LearnerSnapshot(p_mastery={"A": 0.99}, n_attempts={"A": 5})
    with pytest.raises(NotFoundError, match="NOPE"):
        POLICY.choose(cur, learner, NOW, goal="NOPE")
    assert POLICY.choose(cur, learner, NOW, goal="A").notice == "goal_mastered"
    blocked = POLICY.choose(cur, learner, NOW, goal="C")
    assert blocked.notice == "no_path" and blocked.blocked_by == ("B",)
    assert [c.skill for c in blocked.choices if c.kind == "ready"] == ["X"]
    toward = POLICY.choose(cur, learner, NOW, goal="X")
    assert toward.notice is None


def test_policy_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="min_choices"):
        ChoicePolicy(min_choices=6)
    with pytest.raises(ValueError, match="max_review"):
        ChoicePolicy(max_review=5)
