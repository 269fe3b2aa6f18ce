"""Repeated error patterns (the same wrong answer again) and what next steps make of them and of depth."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.graph import SkillGraph
from learnpath.recommend.choices import ChoicePolicy, Curriculum, LearnerSnapshot, SkillFacts
from learnpath.recommend.patterns import (
    AnswerRecord,
    PatternRule,
    normalise_answer,
    repeated_wrong_answers,
)

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def rec(skill: str, item: str, response: str, correct: bool = False) -> AnswerRecord:
    return AnswerRecord(skill, item, response, correct)


def test_the_same_wrong_answer_to_the_same_question_twice_is_a_pattern() -> None:
    history = [rec("FR", "q1", "2/5"), rec("FR", "q2", "1"), rec("FR", "q1", " 2/5 ")]
    assert repeated_wrong_answers(history) == {"FR": "2/5"}


@pytest.mark.parametrize(
    "history",
    [
        [rec("FR", "q1", "2/5"), rec("FR", "q2", "2/5")],  # two questions: chance
        [rec("FR", "q1", "2/5"), rec("FR", "q1", "3/5")],  # different answers
        [rec("FR", "q1", "2/5"), rec("FR", "q2", "5/6", True), rec("FR", "q1", "2/5")],  # a right one between
        [rec("FR", "q1", ""), rec("FR", "q1", "  ")],  # skipped, not a wrong rule
        [rec("FR", "q1", "2/5"), rec("AD", "q1", "2/5")],  # per skill
    ],
)
def test_what_is_not_a_pattern(history: list[AnswerRecord]) -> None:
    assert repeated_wrong_answers(history) == {}


def test_across_questions_when_asked_and_the_most_repeated_wins() -> None:
    history = [rec("AD", "a", "7"), rec("AD", "b", "9"), rec("AD", "c", "7.0"), rec("AD", "d", "9")]
    history += [rec("AD", "e", "9")]
    assert repeated_wrong_answers(history, PatternRule(same_item=False)) == {"AD": "9"}
    assert repeated_wrong_answers(history, PatternRule(repeats=4, same_item=False)) == {}
    with pytest.raises(ValueError, match="repeats"):
        PatternRule(repeats=1)


def test_normalising() -> None:
    assert normalise_answer("  Forty   Two ") == "forty two"
    assert normalise_answer("4.0") == normalise_answer("4") == "4"
    assert normalise_answer("1,5") == "1.5"
    assert normalise_answer("-0.50") == "-0.5"
    assert normalise_answer("3/4") == "3/4"


answers = st.builds(
    AnswerRecord,
    st.sampled_from(["A", "B"]),
    st.sampled_from(["q1", "q2", "q3"]),
    st.sampled_from(["1", "2", "2.0", " 3", ""]),
    st.booleans(),
)


@given(st.lists(answers, max_size=30))
def test_a_pattern_is_a_repeated_wrong_answer_since_the_last_right_one(history: list[AnswerRecord]) -> None:
    found = repeated_wrong_answers(history)
    for skill, answer in found.items():
        mine = [a for a in history if a.skill == skill]
        last_right = max((i for i, a in enumerate(mine) if a.correct), default=-1)
        run = [a for a in mine[last_right + 1 :]]
        same = [a for a in run if normalise_answer(a.response) == normalise_answer(answer)]
        assert len({a.item for a in same}) >= 1 and any(
            sum(b.item == a.item for b in same) >= 2 for a in same
        )
    # ending each skill with a right answer clears every pattern
    closed = history + [rec(s, "q9", "ok", True) for s in ("A", "B")]
    assert repeated_wrong_answers(closed) == {}


# --- what next steps do with them ---------------------------------------------------------------------


def curriculum() -> Curriculum:
    graph = SkillGraph.build(["ADD", "SUB", "MUL", "DIV"], [("ADD", "SUB"), ("SUB", "MUL"), ("MUL", "DIV")])
    facts = [
        SkillFacts("ADD", 1, has_challenge=True),
        SkillFacts("SUB", 1, has_challenge=False),
        SkillFacts("MUL", 2, has_challenge=True),
        SkillFacts("DIV", 3),
    ]
    return Curriculum.build(graph, facts)


def test_a_repeated_wrong_answer_is_reteach_first_and_says_so() -> None:
    learner = LearnerSnapshot(
        grade=3,
        p_mastery={"ADD": 0.99, "SUB": 0.5, "MUL": 0.3},
        n_attempts={"ADD": 9, "SUB": 3, "MUL": 2},
        recent_wrong={"SUB": 3, "MUL": 2},
        repeated_wrong={"MUL": "12"},
    )
    steps = ChoicePolicy(min_attempts=2).choose(curriculum(), learner, NOW).choices
    reteach = [s for s in steps if s.kind == "reteach"]
    assert [(s.skill, s.repeated) for s in reteach] == [("MUL", "12"), ("SUB", None)]
    # a mastered skill is no pattern to re-teach, whatever the answers said
    mastered = LearnerSnapshot(grade=3, p_mastery={"ADD": 0.99}, repeated_wrong={"ADD": "3"})
    assert not any(s.kind == "reteach" for s in ChoicePolicy().choose(curriculum(), mastered, NOW).choices)


def test_deepen_offers_challenges_on_mastered_skills_only_without_a_goal() -> None:
    learner = LearnerSnapshot(grade=1, p_mastery={"ADD": 0.99, "SUB": 0.98}, n_attempts={"ADD": 9, "SUB": 9})
    steps = ChoicePolicy().choose(curriculum(), learner, NOW).choices
    kinds = {s.skill: s.kind for s in steps}
    assert kinds["ADD"] == "deepen"  # mastered, with challenge items
    assert kinds.get("SUB") != "deepen"  # mastered, but nothing harder to offer
    assert kinds["MUL"] == "enrich"  # ready and above grade 1
    # enrichment above grade comes before depth in the balanced mix
    assert [s.kind for s in steps].index("enrich") < [s.kind for s in steps].index("deepen")
    aimed = ChoicePolicy().choose(curriculum(), learner, NOW, goal="DIV").choices
    assert not any(s.kind == "deepen" for s in aimed)
