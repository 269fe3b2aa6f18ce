"""Must-do work on content (a flipped video or reading, a project) among the next steps: first, once per
piece of content, earliest due first, beside practice of the same skill; the caps always hold."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from learnpath.core.graph import SkillGraph
from learnpath.recommend.choices import ChoicePolicy, Curriculum, LearnerSnapshot, MustDo

NOW = datetime(2026, 9, 1, 8, 0, tzinfo=UTC)
SKILLS = ["A", "B", "C", "D", "E", "F"]
CUR = Curriculum.build(SkillGraph.build(SKILLS, [("A", "B"), ("A", "C"), ("B", "D")]))


def test_a_video_comes_first_beside_practice_of_its_skill() -> None:
    learner = LearnerSnapshot(
        p_mastery={"A": 0.99},
        n_attempts={"A": 9},
        must_do=(
            MustDo("B", 1, NOW + timedelta(days=3)),
            MustDo("B", 2, NOW + timedelta(days=1), content_id=70),
            MustDo("B", 3, NOW + timedelta(days=5), content_id=70),  # the same video, to a group too
        ),
    )
    steps = ChoicePolicy().choose(CUR, learner, NOW).choices
    assert [(s.kind, s.skill, s.content_id, s.assignment_id) for s in steps[:2]] == [
        ("must_do", "B", 70, 2),
        ("must_do", "B", None, 1),
    ]
    assert sum(s.content_id == 70 for s in steps) == 1


must_dos = st.lists(
    st.builds(
        MustDo,
        st.sampled_from(SKILLS),
        st.integers(1, 50),
        st.one_of(st.none(), st.integers(-5, 10).map(lambda d: NOW + timedelta(days=d))),
        st.one_of(st.none(), st.integers(100, 104)),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(must_dos, st.dictionaries(st.sampled_from(SKILLS), st.floats(0, 1), max_size=6))
def test_caps_order_and_uniqueness_hold(work: list[MustDo], p: dict[str, float]) -> None:
    policy = ChoicePolicy()
    learner = LearnerSnapshot(p_mastery=p, n_attempts={s: 3 for s in p}, must_do=tuple(work))
    steps = policy.choose(CUR, learner, NOW).choices
    assert len(steps) <= policy.max_choices
    kinds = [s.kind for s in steps]
    n_must = kinds.count("must_do")
    assert n_must <= policy.max_must_do and kinds[:n_must] == ["must_do"] * n_must  # must-do first
    contents = [s.content_id for s in steps if s.content_id is not None]
    assert len(contents) == len(set(contents))  # one step per piece of content
    assert {s.content_id for s in steps if s.content_id} <= {m.content_id for m in work}
    if any(m.content_id is not None for m in work):
        assert steps and steps[0].kind == "must_do"
    dues = [s.due or NOW + timedelta(days=10**4) for s in steps[:n_must]]
    assert dues == sorted(dues)  # earliest due first (none due: last)
