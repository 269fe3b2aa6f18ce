from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.items import Choice, Item, score_response
from learnpath.errors import ValidationError


def numeric(answer: str, tolerance: float = 0.0) -> Item:
    return Item("n", "numeric", "How many?", ("S",), answer=answer, tolerance=tolerance)


@pytest.mark.parametrize(
    ("answer", "tolerance", "response", "correct"),
    [
        ("12", 0, "12", True),
        ("12", 0, " 12 ", True),
        ("12", 0, "12.0", True),
        ("12", 0, "13", False),
        ("1234", 0, "1,234", True),
        ("0.75", 0, "3/4", True),
        ("3/4", 0, "0.75", True),
        ("3.14", 0.01, "3.15", True),
        ("3.14", 0.01, "3.16", False),
        ("5", 0, "five", False),
        ("5", 0, "", False),
        ("5", 0, "1/0", False),
        ("5", 0, "inf", False),
    ],
)
def test_numeric_scoring(answer: str, tolerance: float, response: str, correct: bool) -> None:
    assert score_response(numeric(answer, tolerance), response).correct is correct


def test_choice_and_text_scoring() -> None:
    mc = Item("c", "choice", "Pick", ("S",), choices=(Choice("a", "1"), Choice("b", "2")), answer="b")
    assert score_response(mc, "b").correct
    assert not score_response(mc, "a").correct
    text = Item("t", "text", "Say it", ("S",), answer="Three quarters", accepted=("three fourths",))
    assert score_response(text, "  three   QUARTERS ").correct
    assert score_response(text, "Three fourths").correct
    assert not score_response(text, "three").correct


def test_invalid_items_list_every_problem() -> None:
    with pytest.raises(ValidationError) as err:
        Item("bad", "choice", " ", (), choices=(Choice("a", "1"),), answer="z")
    fields = [e.field for e in err.value.errors]
    assert fields == ["prompt", "skills", "choices", "answer"]
    with pytest.raises(ValidationError):
        Item("bad", "numeric", "x", ("S",), answer="seven")
    with pytest.raises(ValidationError):
        Item("bad", "numeric", "x", ("S",), answer="7", tolerance=-1)


def test_round_trip() -> None:
    mc = Item(
        "c",
        "choice",
        "Pick",
        ("S", "T"),
        choices=(Choice("a", "1"), Choice("b", "2")),
        answer="b",
        hints=("h",),
    )
    assert Item.from_dict(mc.to_dict()) == mc


@given(st.integers(-(10**6), 10**6))
def test_an_integer_answer_matches_itself(n: int) -> None:
    assert score_response(numeric(str(n)), str(n)).correct
    assert not score_response(numeric(str(n)), str(n + 1)).correct
