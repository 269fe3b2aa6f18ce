"""The demo school's math content: skills, prerequisite web, items whose keys are right, Spanish text."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from decimal import Decimal
from fractions import Fraction

import pytest

from learnpath.core.graph import SkillGraph
from learnpath.core.items import Item, _parse_number, score_response
from learnpath.demo import DOMAINS, PREREQUISITES, SKILLS, DemoSkill, build_items
from learnpath.demo.content_kit import (
    SkillItems,
    clock,
    fmt,
    forgot_zero,
    no_carry_product,
    no_carry_sum,
    round_to,
    smaller_from_larger,
)
from learnpath.errors import GraphCycleError, ValidationError

ITEMS = build_items()
SKILL_BY_CODE = {s.code: s for s in SKILLS}
LETTERS = re.compile(r"[A-Za-z]{3,}")


def _items_of(code: str) -> list[Item]:
    return [i for i in ITEMS if i.skills[0] == code]


# --- skills -----------------------------------------------------------------------------------------


def test_about_thirty_skills_spread_over_grades_3_to_5() -> None:
    assert len(SKILLS) >= 28
    per_grade = Counter(s.grade for s in SKILLS)
    assert set(per_grade) == {3, 4, 5}
    assert all(8 <= n <= 12 for n in per_grade.values()), per_grade
    assert len(SKILL_BY_CODE) == len(SKILLS), "skill codes must be unique"


def test_every_domain_is_used_and_known() -> None:
    assert {s.domain for s in SKILLS} == set(DOMAINS)
    assert all(en and es and en != es for en, es in DOMAINS.values())


@pytest.mark.parametrize("skill", SKILLS, ids=lambda s: s.code)
def test_skill_fields_are_filled_in_both_languages(skill: DemoSkill) -> None:
    assert re.fullmatch(rf"G{skill.grade}\.[A-Z]+\.[A-Z]+", skill.code)
    assert re.fullmatch(rf"{skill.grade}\.[A-Z]+\.[A-Z]\.\d+(\.[A-Z])?", skill.ccss), skill.ccss
    assert skill.name.strip() and skill.name_es.strip() and skill.name != skill.name_es
    assert len(skill.name) <= 60, "names are short, plain words"
    assert skill.description.endswith(".") and skill.description.count(". ") == 0, "one sentence"


# --- prerequisites ------------------------------------------------------------------------------------


def test_prerequisites_form_a_valid_dag() -> None:
    graph = SkillGraph.build([s.code for s in SKILLS], PREREQUISITES)
    assert len(graph.topological_order()) == len(SKILLS)
    assert len(set(PREREQUISITES)) == len(PREREQUISITES), "no duplicate edges"


def test_reversing_an_edge_makes_a_cycle_that_is_rejected() -> None:
    a, b = PREREQUISITES[0]
    with pytest.raises(GraphCycleError):
        SkillGraph.build([s.code for s in SKILLS], [*PREREQUISITES, (b, a)])


def test_prerequisites_are_a_web_not_a_line() -> None:
    graph = SkillGraph.build([s.code for s in SKILLS], PREREQUISITES)
    roots = [s.code for s in SKILLS if not graph.prerequisites(s.code)]
    many = [s.code for s in SKILLS if len(graph.prerequisites(s.code)) >= 2]
    assert len(roots) >= 3, roots
    assert len(many) >= 10, many
    assert max(graph.depth().values()) < len(SKILLS) // 3
    cross = [(a, b) for a, b in PREREQUISITES if SKILL_BY_CODE[a].domain != SKILL_BY_CODE[b].domain]
    assert ("G3.MUL.FACTS", "G3.GEO.AREA") in cross
    assert len(cross) >= 8
    # every skill is connected to the web
    touched = {x for edge in PREREQUISITES for x in edge}
    assert touched == set(SKILL_BY_CODE)


def test_prerequisites_never_come_from_a_later_grade() -> None:
    for a, b in PREREQUISITES:
        assert SKILL_BY_CODE[a].grade <= SKILL_BY_CODE[b].grade, (a, b)


# --- items: counts, codes, alignment ------------------------------------------------------------------


def test_item_counts() -> None:
    assert len(ITEMS) >= 180
    per_skill = Counter(i.skills[0] for i in ITEMS)
    assert set(per_skill) == set(SKILL_BY_CODE)
    assert min(per_skill.values()) >= 5


def test_item_codes_are_unique_and_named_after_their_skill() -> None:
    codes = [i.code for i in ITEMS]
    assert len(set(codes)) == len(codes)
    for item in ITEMS:
        assert re.fullmatch(rf"{re.escape(item.skills[0])}-\d\d", item.code), item.code


def test_every_aligned_skill_exists_and_a_few_items_have_two() -> None:
    for item in ITEMS:
        assert set(item.skills) <= set(SKILL_BY_CODE), item.code
        assert len(set(item.skills)) == len(item.skills)
    assert sum(len(i.skills) >= 2 for i in ITEMS) >= 5


def test_kinds_are_mixed() -> None:
    kinds = Counter(i.kind for i in ITEMS)
    assert all(kinds[k] >= len(ITEMS) // 10 for k in ("choice", "numeric", "text")), kinds
    for skill in SKILLS:
        assert len({i.kind for i in _items_of(skill.code)}) >= 2, skill.code


def test_builds_are_deterministic() -> None:
    again = build_items()
    assert again == ITEMS
    assert [i.to_dict() for i in again] == [i.to_dict() for i in ITEMS]


def test_difficulty_is_in_logit_range_and_grows_within_each_skill() -> None:
    for skill in SKILLS:
        diffs = [i.difficulty for i in _items_of(skill.code)]
        assert all(-2.0 <= d <= 2.0 for d in diffs)
        assert diffs == sorted(diffs) and len(set(diffs)) == len(diffs), skill.code


def test_hints_and_explanations() -> None:
    for item in ITEMS:
        assert 1 <= len(item.hints) <= 2, item.code
        assert all(h.strip() for h in item.hints)
        assert item.explanation.strip(), item.code


# --- items: keys are right, distractors wrong ---------------------------------------------------------


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.code)
def test_answer_scores_correct_and_distractors_wrong(item: Item) -> None:
    assert score_response(item, item.answer).correct
    if item.kind == "choice":
        assert [c.key for c in item.choices] == ["a", "b", "c", "d"]
        texts = [c.text for c in item.choices]
        assert len(set(texts)) == 4, texts
        right = next(c.text for c in item.choices if c.key == item.answer)
        for c in item.choices:
            if c.key != item.answer:
                assert not score_response(item, c.key).correct
                value, target = (
                    _parse_number(c.text.removeprefix("$")),
                    _parse_number(right.removeprefix("$")),
                )
                assert value is None or target is None or value != target, (item.code, c.text)
    elif item.kind == "numeric":
        target = _parse_number(item.answer)
        assert target is not None
        if float(target).is_integer():
            assert item.tolerance == 0, item.code
        assert item.tolerance <= 0.005
        assert score_response(item, fmt(Fraction(item.answer), commas=True)).correct
    else:
        for accepted in item.accepted:
            assert score_response(item, accepted).correct
        assert score_response(item, item.extra["answer_es"]).correct, "Spanish answers are accepted"
    errors = item.extra.get("common_errors", [])
    assert item.kind == "choice" or errors, f"{item.code} lists common wrong answers"
    for wrong in errors:
        assert not score_response(item, wrong).correct, (item.code, wrong)


_OPS = {"+": "__add__", "−": "__sub__", "×": "__mul__", "÷": "__truediv__"}
_ARITH = re.compile(r"([\d,./]+) ([+−×÷]) ([\d,./]+) = \?")


def _exact(text: str) -> Fraction:
    return Fraction(Decimal(text.replace(",", ""))) if "/" not in text else Fraction(text)


def test_bare_arithmetic_answers_match_an_independent_evaluation() -> None:
    """Items whose prompt is ``a op b = ?`` are checked against exact arithmetic done here."""
    checked = 0
    for item in ITEMS:
        m = _ARITH.fullmatch(item.prompt)
        if not m:
            continue
        a, b = _exact(m[1]), _exact(m[3])
        shown = dict((c.key, c.text) for c in item.choices).get(item.answer, item.answer)
        if " R " in shown:  # quotient and remainder
            q, r = (int(x) for x in shown.split(" R "))
            assert m[2] == "÷" and q * b + r == a and 0 <= r < b, (item.code, shown)
        else:
            assert _exact(shown) == getattr(a, _OPS[m[2]])(b), (item.code, item.prompt, shown)
        checked += 1
    assert checked >= 25


_COMPARE = re.compile(r"Is ([\d,./]+) (greater|more) or less than ([\d,./]+)\?.*")


def test_comparison_answers_match_an_independent_evaluation() -> None:
    checked = 0
    for item in ITEMS:
        m = _COMPARE.fullmatch(item.prompt)
        if not m:
            continue
        bigger = _exact(m[1]) > _exact(m[3])
        assert score_response(item, m[2] if bigger else "less").correct, item.code
        assert not score_response(item, "less" if bigger else m[2]).correct, item.code
        checked += 1
    assert checked >= 5


@pytest.mark.parametrize(
    ("code", "answer"),
    [
        ("G3.MUL.FACTS-06", "72"),
        ("G4.DIV.REMAIN-04", "6"),
        ("G5.DIV.LONG-06", "3.33"),
        ("G5.FRAC.ADDSUB-05", "5/12"),
    ],
)
def test_golden_answers(code: str, answer: str) -> None:
    item = next(i for i in ITEMS if i.code == code)
    assert score_response(item, answer).correct


# --- Spanish ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("item", ITEMS, ids=lambda i: i.code)
def test_spanish_text_for_every_item(item: Item) -> None:
    extra = item.extra
    assert extra["prompt_es"].strip() and extra["explanation_es"].strip()
    assert len(extra["hints_es"]) == len(item.hints) and all(h.strip() for h in extra["hints_es"])
    if LETTERS.search(item.prompt):
        assert extra["prompt_es"] != item.prompt
    if LETTERS.search(item.explanation):
        assert extra["explanation_es"] != item.explanation
    worded = [c for c in item.choices if LETTERS.search(c.text)]
    if worded:
        assert set(extra["choices_es"]) == {c.key for c in item.choices}
        assert all(extra["choices_es"][c.key] != c.text for c in worded if c.text != "can't tell")


# --- kit and purity -----------------------------------------------------------------------------------


def test_common_error_arithmetic() -> None:
    assert no_carry_sum(368, 457) == 715
    assert smaller_from_larger(502, 178) == 476
    assert no_carry_product(58, 6) == 308
    assert forgot_zero(24, 13) == 96
    assert (round_to(65, 10), round_to(750, 100), round_to(449, 100)) == (70, 800, 400)
    assert (fmt(12_345), fmt(Fraction(6, 8)), fmt(Decimal("2.50")), fmt(Decimal("1E+1"))) == (
        "12,345",
        "3/4",
        "2.5",
        "10",
    )
    assert (clock(9 * 60), clock(12 * 60 + 5)) == ("9:00", "12:05")


def test_choice_without_three_distinct_distractors_is_rejected() -> None:
    s = SkillItems("X.Y.Z")
    with pytest.raises(ValidationError):
        s.choice(("2 + 2 = ?", "2 + 2 = ?"), "4", ["4", "4.0", "5"], [("h", "h")], ("e", "e"))


def test_demo_content_is_pure() -> None:
    code = (
        "import sys, learnpath.demo; "
        "bad = [m for m in ('sqlalchemy', 'fastapi', 'starlette', 'httpx', 'typer', 'jinja2') if m in sys.modules]; "
        "print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
