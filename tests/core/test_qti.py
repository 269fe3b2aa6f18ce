"""QTI response processing: templates, mappings with bounds, custom rules, and Item dispatch (pure)."""

from __future__ import annotations

import json

import pytest

from learnpath.core.items import Choice, Item, score_response
from learnpath.core.qti import (
    AreaMapEntry,
    AreaMapping,
    Interaction,
    MapEntry,
    OutcomeDeclaration,
    QtiItem,
    QtiScoring,
    ResponseDeclaration,
    ResponseProcessing,
    Rule,
    ValueMapping,
    responses_from_form,
    template_rules,
    unsupported_operators,
)
from learnpath.errors import ValidationError

WATER = ResponseDeclaration(
    "RESPONSE",
    "multiple",
    "identifier",
    ("H", "O"),
    ValueMapping((MapEntry("H", 1), MapEntry("O", 1), MapEntry("Cl", -1)), -2, lower_bound=0, upper_bound=2),
)


def scoring(decl: ResponseDeclaration, template: str) -> QtiScoring:
    return QtiScoring((decl,), (OutcomeDeclaration("SCORE"),), ResponseProcessing(template))


@pytest.mark.parametrize(
    ("response", "expected"),
    [
        (["H", "O"], 2.0),
        (["O", "H"], 2.0),
        (["H"], 1.0),
        (["H", "O", "Cl"], 1.0),
        (["H", "Cl"], 0.0),
        (["H", "O", "He"], 0.0),  # default value -2 for an unmapped choice
        (["He", "C"], 0.0),  # -4, raised to the lower bound
        (["H", "H", "O"], 2.0),  # a repeated key counts once
        ([], 0.0),
    ],
)
def test_map_response_partial_credit_with_bounds(response: list[str], expected: float) -> None:
    s = scoring(WATER, "map_response")
    result = s.score({"RESPONSE": response})
    assert result.score == expected
    assert result.max_score == 2.0
    assert result.correct is (expected == 2.0)


def test_upper_bound_caps_the_sum() -> None:
    decl = ResponseDeclaration(
        "RESPONSE",
        "multiple",
        "identifier",
        (),
        ValueMapping((MapEntry("a", 2), MapEntry("b", 2)), upper_bound=3),
    )
    assert scoring(decl, "map_response").score({"RESPONSE": ["a", "b"]}) == (3.0, 3.0, True)


def test_match_correct_compares_containers_as_bags_or_sequences() -> None:
    multiple = scoring(ResponseDeclaration("RESPONSE", "multiple", "identifier", ("A", "C")), "match_correct")
    assert multiple.score({"RESPONSE": ["C", "A"]}) == (1.0, 1.0, True)
    assert multiple.score({"RESPONSE": ["A"]}) == (0.0, 1.0, False)
    assert multiple.score({"RESPONSE": ["A", "C", "D"]}).score == 0.0
    ordered = scoring(ResponseDeclaration("RESPONSE", "ordered", "identifier", ("A", "C")), "match_correct")
    assert ordered.score({"RESPONSE": ["A", "C"]}).correct
    assert not ordered.score({"RESPONSE": ["C", "A"]}).correct
    assert not ordered.score({}).correct


def test_text_entry_mapping_case_sensitivity() -> None:
    # items/2_1/text_entry.xml: York -> 1, york -> 0.5 (case-sensitive by default)
    sensitive = ResponseDeclaration(
        "RESPONSE", "single", "string", ("York",), ValueMapping((MapEntry("York", 1), MapEntry("york", 0.5)))
    )
    s = scoring(sensitive, "map_response")
    assert s.score({"RESPONSE": "York"}) == (1.0, 1.0, True)
    assert s.score({"RESPONSE": "york"}) == (0.5, 1.0, False)
    assert s.score({"RESPONSE": "YORK"}).score == 0.0
    insensitive = ResponseDeclaration(
        "R",
        "single",
        "string",
        ("Fichtelberg",),
        ValueMapping((MapEntry("Fichtelberg", 1, case_sensitive=False),)),
    )
    s2 = scoring(insensitive, "map_response")
    assert s2.score({"R": "fichtelBERG "}) == (1.0, 1.0, True)
    assert s2.score({"R": "Brocken"}).score == 0.0


def test_numeric_and_pair_values_match_by_value() -> None:
    number = scoring(ResponseDeclaration("RESPONSE", "single", "float", ("2.5",)), "match_correct")
    assert number.score({"RESPONSE": "2.50"}).correct
    assert not number.score({"RESPONSE": "two"}).correct
    pair = scoring(ResponseDeclaration("RESPONSE", "multiple", "pair", ("A B", "C D")), "match_correct")
    assert pair.score({"RESPONSE": ["D C", "B A"]}).correct
    directed = scoring(ResponseDeclaration("RESPONSE", "multiple", "directedPair", ("A B",)), "match_correct")
    assert not directed.score({"RESPONSE": ["B A"]}).correct


def test_map_response_point_scores_areas_once() -> None:
    areas = AreaMapping(
        (AreaMapEntry("rect", (0, 0, 10, 10), 1), AreaMapEntry("circle", (50, 50, 5), 2)),
        default_value=-1,
        lower_bound=0,
    )
    decl = ResponseDeclaration("RESPONSE", "multiple", "point", (), area_mapping=areas)
    s = scoring(decl, "map_response_point")
    assert s.score({"RESPONSE": ["5 5", "52 51"]}) == (3.0, 3.0, True)
    assert s.score({"RESPONSE": ["5 5", "6 6"]}).score == 1.0
    assert s.score({"RESPONSE": ["5 5", "90 90"]}).score == 0.0
    poly = AreaMapping((AreaMapEntry("poly", (0, 0, 10, 0, 0, 10), 1),))
    tri = scoring(
        ResponseDeclaration("RESPONSE", "single", "point", (), area_mapping=poly), "map_response_point"
    )
    assert tri.score({"RESPONSE": "2 2"}).score == 1.0
    assert tri.score({"RESPONSE": "9 9"}).score == 0.0


def _r(op: str, *children: Rule, text: str = "", **attrs: str) -> Rule:
    return Rule(op, tuple((k.replace("_", "-"), v) for k, v in attrs.items()), children, text)


def test_custom_rules_sum_several_blanks() -> None:
    # SCORE = (A matches, case-insensitively) + (B within 0.1 of 3.14); MAXSCORE untouched
    blank_a = _r(
        "response-condition",
        _r(
            "response-if",
            _r("string-match", _r("variable", identifier="A"), _r("correct", identifier="A"), case_sensitive="false"),
            _r("set-outcome-value", _r("sum", _r("variable", identifier="SCORE"), _r("base-value", text="1", base_type="float")), identifier="SCORE"),
        ),
    )  # fmt: skip
    blank_b = _r(
        "response-condition",
        _r(
            "response-if",
            _r("equal", _r("variable", identifier="B"), _r("correct", identifier="B"), tolerance_mode="absolute", tolerance="0.1"),
            _r("set-outcome-value", _r("sum", _r("variable", identifier="SCORE"), _r("base-value", text="1", base_type="float")), identifier="SCORE"),
        ),
    )  # fmt: skip
    s = QtiScoring(
        (
            ResponseDeclaration("A", "single", "string", ("Paris",)),
            ResponseDeclaration("B", "single", "float", ("3.14",)),
        ),
        (OutcomeDeclaration("SCORE"),),
        ResponseProcessing(rules=(blank_a, blank_b)),
    )
    assert s.score({"A": "paris", "B": "3.2"}) == (2.0, 2.0, True)
    assert s.score({"A": "Lyon", "B": "3.1"}) == (1.0, 2.0, False)
    assert s.score({"A": "", "B": "x"}) == (0.0, 2.0, False)
    assert unsupported_operators((blank_a, blank_b)) == []


def test_null_logic_exit_and_else_if() -> None:
    decl = ResponseDeclaration("RESPONSE", "single", "identifier", ("A",))
    rules = (
        _r(
            "response-condition",
            _r("response-if", _r("is-null", _r("variable", identifier="RESPONSE")), _r("exit-response")),
            _r(
                "response-else-if",
                _r("and", _r("match", _r("variable", identifier="RESPONSE"), _r("correct", identifier="RESPONSE")), _r("not", _r("null"))),
                _r("set-outcome-value", _r("base-value", text="5", base_type="float"), identifier="SCORE"),
            ),
            _r("response-else", _r("set-outcome-value", _r("base-value", text="1", base_type="float"), identifier="SCORE")),
        ),
    )  # fmt: skip
    s = QtiScoring((decl,), (OutcomeDeclaration("SCORE", default=("0",)),), ResponseProcessing(rules=rules))
    # and(true, NULL) is NULL, so the else branch runs: the key scores 1, the maximum is 1
    assert s.score({"RESPONSE": "A"}) == (1.0, 1.0, True)
    assert s.score({}).score == 0.0


def test_normal_maximum_and_unknown_operators() -> None:
    s = QtiScoring(
        (ResponseDeclaration("RESPONSE", "single", "identifier", ("A",)),),
        (OutcomeDeclaration("SCORE", normal_maximum=4.0),),
        ResponseProcessing("match_correct"),
    )
    assert s.score({"RESPONSE": "A"}) == (1.0, 4.0, False)
    weird = (Rule("set-outcome-value", (("identifier", "SCORE"),), (Rule("random"),)),)
    assert unsupported_operators(weird) == ["random"]
    assert QtiScoring((), processing=ResponseProcessing(rules=weird)).problems()
    with pytest.raises(ValidationError):
        template_rules("no_such_template")


def test_scoring_round_trips_through_json() -> None:
    s = QtiScoring(
        (WATER, ResponseDeclaration("P", "single", "point", (), area_mapping=AreaMapping((AreaMapEntry("rect", (0, 0, 1, 1), 1),)))),
        (OutcomeDeclaration("SCORE", default=("0",), normal_maximum=3.0),),
        ResponseProcessing(rules=template_rules("map_response")),
    )  # fmt: skip
    again = QtiScoring.from_dict(json.loads(json.dumps(s.to_dict())))
    assert again == s


def qti_item(kind: str = "choice") -> QtiItem:
    decl = ResponseDeclaration("RESPONSE", "multiple", "identifier", ("H", "O"), WATER.mapping)
    inter = Interaction(kind, "RESPONSE", (("H", "Hydrogen"), ("O", "Oxygen"), ("Cl", "Chlorine")), 0)
    return QtiItem(
        "water",
        scoring(decl, "map_response"),
        (inter,),
        '<p>Water? <img src="lp-asset:img/w.png" alt=""></p>',
    )


def test_item_of_kind_qti_dispatches_to_the_qti_scorer() -> None:
    item = Item("water", "qti", "Water?", ("S",), qti=qti_item())
    full = score_response(item, {"RESPONSE": ["H", "O"]})
    assert (full.correct, full.score, full.raw_score, full.max_score) == (True, 1.0, 2.0, 2.0)
    half = score_response(item, json.dumps({"RESPONSE": ["H"]}))
    assert (half.correct, half.score) == (False, 0.5)
    assert score_response(item, "H, O").correct  # bare text for the only declaration
    assert not score_response(item, "{not json").correct
    assert Item.from_dict(json.loads(json.dumps(item.to_dict()))) == item


def test_extended_text_waits_for_a_teacher() -> None:
    essay = QtiItem(
        "essay",
        QtiScoring((ResponseDeclaration("RESPONSE", "single", "string"),), (OutcomeDeclaration("SCORE"),)),
        (Interaction("extended-text", "RESPONSE"),),
        "<p>Write</p>",
    )
    assert essay.teacher_scored
    scored = score_response(Item("e", "qti", "Write", ("S",), qti=essay), {"RESPONSE": "An essay"})
    assert scored.needs_teacher and not scored.correct and scored.score == 0.0


def test_qti_items_are_validated_and_old_kinds_unchanged() -> None:
    with pytest.raises(ValidationError):
        Item("x", "qti", "p", ("S",))
    broken = QtiItem("b", scoring(WATER, "map_response"), (Interaction("choice", "OTHER"),), "")
    with pytest.raises(ValidationError) as err:
        Item("x", "qti", "p", ("S",), qti=broken)
    assert any("OTHER" in e.message for e in err.value.errors)
    mc = Item("c", "choice", "Pick", ("S",), choices=(Choice("a", "1"), Choice("b", "2")), answer="b")
    assert "qti" not in mc.to_dict()
    assert score_response(mc, "b").raw_score is None


def test_html_resolves_assets_and_form_fields_collect_responses() -> None:
    item = qti_item()
    assert item.html() == item.body_html
    assert 'src="/assets/img/w.png"' in item.html(lambda p: "/assets/" + p)
    pairs = [("csrf", "x"), ("qti:RESPONSE", "H"), ("qti:RESPONSE", "O"), ("qti:B", "7")]
    assert responses_from_form(pairs) == {"RESPONSE": ["H", "O"], "B": ["7"]}
    assert item.score(responses_from_form(pairs)).correct
