"""Small groups around shared topics: properties (hypothesis) and worked examples."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from learnpath.errors import ValidationError
from learnpath.orchestrate.grouping import LearnerNeeds, form_groups, group_sizes
from learnpath.orchestrate.pairs import pair_blocks

TOPICS = ["A", "B", "C", "D", "E"]


@st.composite
def classes(draw: st.DrawFn) -> tuple[list[LearnerNeeds], int, list[tuple[int, int]], list[tuple[int, int]]]:
    n = draw(st.integers(0, 14))
    needs = [
        LearnerNeeds(i, tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=3, unique=True))))
        for i in range(n)
    ]
    size = draw(st.integers(2, 6))
    pairs = st.tuples(st.integers(0, max(n - 1, 0)), st.integers(0, max(n - 1, 0))).filter(
        lambda p: p[0] != p[1]
    )
    apart = draw(st.lists(pairs, max_size=4)) if n > 1 else []
    together = draw(st.lists(pairs, max_size=2)) if n > 1 else []
    return needs, size, apart, together


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(classes())
def test_every_learner_once_sizes_bounded_rules_kept(
    case: tuple[list[LearnerNeeds], int, list[tuple[int, int]], list[tuple[int, int]]],
) -> None:
    needs, size, apart, together = case
    try:
        result = form_groups(needs, size, apart=apart, together=together, time_limit_s=2)
    except ValidationError as e:  # only contradictory or oversized "together" rules may be refused
        assert all(f.field == "pair_rules" for f in e.errors)
        with pytest.raises(ValidationError):
            pair_blocks([n.learner_id for n in needs], apart, together, size)
        return
    placed = [lid for g in result.groups for lid in g.learner_ids]
    assert sorted(placed) == [n.learner_id for n in needs], "every learner exactly once"
    assert all(1 <= len(g.learner_ids) <= size for g in result.groups)
    group_of = {lid: k for k, g in enumerate(result.groups) for lid in g.learner_ids}
    assert all(group_of[a] != group_of[b] for a, b in apart), "apart pairs never together"
    assert all(group_of[a] == group_of[b] for a, b in together), "together pairs always together"
    if not apart and not together and needs:
        k, lo, hi = group_sizes(len(needs), size)
        assert len(result.groups) == k and {len(g.learner_ids) for g in result.groups} <= {lo, hi}
        assert not result.relaxed
    by_id = {n.learner_id: n for n in needs}
    for g in result.groups:
        assert set(g.matched) <= set(g.learner_ids)
        for lid in g.matched:
            assert (g.topic in by_id[lid].topics) if g.topic is not None else not by_id[lid].topics
    assert result.objective <= result.bound or result.status == "empty"


def test_shared_first_topics_sit_together() -> None:
    needs = [LearnerNeeds(i, ("A",)) for i in range(4)] + [LearnerNeeds(i, ("B", "A")) for i in range(4, 8)]
    result = form_groups(needs, 4)
    assert result.status == "optimal" and result.objective == result.bound == 8 * 3
    assert [(g.topic, g.learner_ids) for g in result.groups] == [("A", (0, 1, 2, 3)), ("B", (4, 5, 6, 7))]


def test_second_topics_fill_the_gaps_and_nobody_is_left_out() -> None:
    # five want A first; groups of at most 3 -> two groups; learner 4 shares B with the B-first learner
    needs = [LearnerNeeds(i, ("A",)) for i in range(4)] + [
        LearnerNeeds(4, ("A", "B")),
        LearnerNeeds(5, ("B",)),
    ]
    result = form_groups(needs, 3)
    groups = {g.topic: g for g in result.groups}
    assert set(groups) == {"A", "B"} or len(result.groups) == 2
    assert sum(len(g.learner_ids) for g in result.groups) == 6
    assert [len(g.learner_ids) for g in result.groups] == [3, 3]


def test_learners_without_topics_get_their_own_group() -> None:
    needs = [LearnerNeeds(0, ("A",)), LearnerNeeds(1, ("A",)), LearnerNeeds(2), LearnerNeeds(3)]
    result = form_groups(needs, 2)
    assert {(g.topic, g.learner_ids) for g in result.groups} == {("A", (0, 1)), (None, (2, 3))}


def test_apart_rules_win_over_a_shared_topic() -> None:
    needs = [LearnerNeeds(i, ("A",)) for i in range(4)]
    result = form_groups(needs, 2, apart=[(0, 1), (2, 3)])
    assert all({0, 1} - set(g.learner_ids) and {2, 3} - set(g.learner_ids) for g in result.groups)


def test_impossible_rules_are_named() -> None:
    needs = [LearnerNeeds(i) for i in range(4)]
    with pytest.raises(ValidationError) as e:
        form_groups(needs, 2, together=[(0, 1), (1, 2)])
    assert "0, 1, 2" in e.value.errors[0].message and "at most 2" in e.value.errors[0].message
    with pytest.raises(ValidationError) as e:
        form_groups(needs, 3, together=[(0, 1)], apart=[(1, 0)])
    assert "both apart and together" in e.value.errors[0].message
    with pytest.raises(ValidationError) as e:
        form_groups([LearnerNeeds(1), LearnerNeeds(1)], 0)
    assert {f.field for f in e.value.errors} == {"size", "learner_ids"}


def test_two_learners_kept_apart_with_room_for_one_group_still_get_placed() -> None:
    result = form_groups([LearnerNeeds(0, ("A",)), LearnerNeeds(1, ("A",))], 2, apart=[(0, 1)])
    assert result.relaxed and sorted(g.learner_ids for g in result.groups) == [(0,), (1,)]


def test_same_input_same_groups() -> None:
    needs = [LearnerNeeds(i, (TOPICS[i % 3], TOPICS[(i + 1) % 5])) for i in range(20)]
    assert form_groups(needs, 4, apart=[(0, 3)]) == form_groups(needs, 4, apart=[(0, 3)])
