"""The online BKT path the app uses: golden values and invariants."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.evidence import Attempt
from learnpath.errors import ValidationError
from learnpath.learner.bkt import BKT, BKTParams

AT = datetime(2026, 1, 1, tzinfo=UTC)


def attempt(correct: bool, hints: int = 0, skills: tuple[str, ...] = ("s",)) -> Attempt:
    return Attempt(1, "i", skills, correct, AT, hints_used=hints)


def test_golden_values() -> None:
    model = BKT(prior=0.25, learn=0.15, guess=0.2, slip=0.1, forget=0.0)
    s = model.update(model.init_state(), attempt(True))
    # posterior = .25*.9 / (.25*.9 + .75*.2) = .6; then .6 + .4*.15 = .66
    assert s["skills"]["s"]["p"] == pytest.approx(0.66)
    s = model.update(s, attempt(False))
    post = 0.66 * 0.1 / (0.66 * 0.1 + 0.34 * 0.8)
    assert s["skills"]["s"]["p"] == pytest.approx(post + (1 - post) * 0.15)


def test_update_returns_new_state_and_keeps_input() -> None:
    model = BKT()
    s0 = model.init_state()
    frozen = json.dumps(s0)
    s1 = model.update(s0, attempt(True))
    assert json.dumps(s0) == frozen
    assert json.loads(json.dumps(s1)) == s1


def test_correct_after_hints_counts_as_wrong() -> None:
    model = BKT()
    with_hint = model.update(model.init_state(), attempt(True, hints=1))
    wrong = model.update(model.init_state(), attempt(False))
    assert with_hint["skills"]["s"]["p"] == pytest.approx(wrong["skills"]["s"]["p"])
    assert with_hint["skills"]["s"]["c"] == 1


@given(st.lists(st.booleans(), max_size=30), st.floats(0.01, 0.49), st.floats(0.01, 0.49), st.floats(0, 0.3))
def test_correct_never_lowers_mastery(history: list[bool], guess: float, slip: float, forget: float) -> None:
    model = BKT(guess=guess, slip=slip, forget=forget)
    s = model.init_state()
    for c in history:
        s = model.update(s, attempt(c))
    before = model.p_mastery(s, "s")
    after = model.update(s, attempt(True))["skills"]["s"]["p"]
    assert 0.0 <= after <= 1.0
    assert after >= before * (1 - forget) - 1e-12


def test_mastery_interval_contains_p_and_narrows() -> None:
    model = BKT()
    s = model.init_state()
    widths = []
    for _ in range(6):
        s = model.update(s, attempt(True))
        m = model.mastery(s)["s"]
        assert m.low <= m.p_mastery <= m.high
        widths.append(m.high - m.low)
    assert widths[-1] < widths[0]


def test_params_are_checked() -> None:
    with pytest.raises(ValidationError) as err:
        BKTParams(guess=0.6, slip=1.5)
    assert {e.field for e in err.value.errors} == {"guess", "slip"}
