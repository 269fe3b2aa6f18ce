"""CASE reading, on the real OpenSALT packages in ../shared/fixtures/case/opensalt (counts from SOURCE.md)."""

from __future__ import annotations

import copy
import json
import os
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from learnpath.core.framework import FrameworkItem, diff
from learnpath.errors import ValidationError
from learnpath.interop.case import CasePackage, parse_case, read_case

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
OPENSALT = SHARED / "fixtures" / "case" / "opensalt"
CCSS = OPENSALT / "ccss-math_asn-D10003FB_draft-case.json"
WSCB = OPENSALT / "what-standards-could-be_20c5134f.json"
needs_fixtures = pytest.mark.skipif(
    not OPENSALT.is_dir(), reason=f"CASE fixtures not found at {OPENSALT} (set LEARNPATH_SHARED_DIR)"
)

# file -> (items, associations by type), as documented in opensalt/SOURCE.md
EXPECTED: dict[str, tuple[int, dict[str, int]]] = {
    "ccss-math_asn-D10003FB_draft-case.json": (703, {"isChildOf": 703}),
    "what-standards-could-be_20c5134f.json": (
        16,
        {"isChildOf": 16, "exactMatchOf": 16, "precedes": 3, "exemplar": 2, "isRelatedTo": 2},
    ),
    "test-frameworks/AdoptedTestFramework.json": (1, {"isChildOf": 1}),
    "test-frameworks/EmptyExternalFramework.json": (0, {}),
    "test-frameworks/ItemTypeTestFramework.json": (1, {"isChildOf": 1}),
    "test-frameworks/MarkdownFramework.json": (2, {"isChildOf": 2}),
    "test-frameworks/Ordering.json": (28, {"isChildOf": 28}),
    "test-frameworks/SequenceNumberFramework.json": (2, {"isChildOf": 2}),
    "test-frameworks/SmartLevelFramework.json": (14, {"isChildOf": 14}),
    "test-frameworks/Utf8TestFramework.json": (1, {"isChildOf": 1}),
}


@pytest.fixture(scope="module")
def ccss() -> CasePackage:
    if not CCSS.is_file():
        pytest.skip(f"CCSS Math fixture not found at {CCSS} (set LEARNPATH_SHARED_DIR)")
    return read_case(CCSS)


@needs_fixtures
def test_every_opensalt_file_is_listed_here() -> None:
    found = {str(p.relative_to(OPENSALT)) for p in OPENSALT.rglob("*.json")}
    assert found == set(EXPECTED)


@needs_fixtures
@pytest.mark.parametrize("name", sorted(set(EXPECTED) - {CCSS.name}))
def test_opensalt_packages_parse_with_documented_counts(name: str) -> None:
    pkg = read_case(OPENSALT / name)
    n_items, by_type = EXPECTED[name]
    assert len(pkg.framework.items) == n_items
    assert pkg.framework.count_by_type() == by_type
    assert pkg.shape == "1.0"  # What Standards Could Be has UUIDs; its draft-era fields are only warned


def test_ccss_math_draft(ccss: CasePackage) -> None:
    fw = ccss.framework
    n_items, by_type = EXPECTED[CCSS.name]
    assert (len(fw.items), fw.count_by_type()) == (n_items, by_type)
    assert ccss.shape == "draft"
    assert fw.document.title == "Common Core State Standards for Mathematics"
    assert Counter(it.item_type for it in fw.items) == {
        "Standard": 393,
        "Cluster": 147,
        "Component": 124,
        "Domain": 33,
        None: 6,
    }
    assert sum(1 for it in fw.items if it.code) == 664
    assert len(fw.by_code()) == 664
    assert len(fw.children()) == 17  # isChildOf the CFDocument itself
    assert fw.orphans() == ()
    assert sum(1 for _ in fw.walk()) == 703
    assert fw.prerequisite_edges() == ()  # the draft has no precedes
    item = fw.by_code()["CCSS.Math.Content.3.OA.C.7"]
    assert item.item_type == "Standard" and item.education_levels == ("03",)
    assert item.identifier.startswith("http://") and item.last_change is not None
    assert any("not UUIDs" in w for w in ccss.warnings)
    assert any("no time zone" in w for w in ccss.warnings)


def test_ccss_reimport_diff_updates_in_place(ccss: CasePackage) -> None:
    data = json.loads(CCSS.read_text(encoding="utf-8"))
    newer = copy.deepcopy(data)
    newer["CFItems"][100]["fullStatement"] += " (revised)"
    gone = newer["CFItems"].pop(200)["identifier"]
    newer["CFAssociations"] = [a for a in newer["CFAssociations"] if a["originNodeIdentifier"] != gone]
    d = diff(ccss.framework, parse_case(newer, "newer.json").framework)
    assert d.counts() == {"added": 0, "changed": 1, "removed": 2}
    revised = d.changed[0][1]
    assert isinstance(revised, FrameworkItem) and revised.full_statement.endswith("(revised)")
    assert diff(ccss.framework, parse_case(data, "same.json").framework).is_empty


@needs_fixtures
def test_what_standards_could_be_keeps_progressions_and_external_references() -> None:
    pkg = read_case(WSCB)
    fw = pkg.framework
    assert any("CFItems[].educationalLevel" in w for w in pkg.warnings)
    assert fw.items[0].education_levels == ("06",)
    assert Counter(it.item_type for it in fw.items) == {"Cluster": 2, "Standard": 6, "Component": 8}
    pairs = {(fw.item(o).code, fw.item(d).code) for o, d in fw.prerequisite_edges()}
    prefix = "CCSS.Math.Content."
    assert pairs == {
        (prefix + "6.RP.A.1", prefix + "6.RP.A.2"),
        (prefix + "6.RP.A.3", prefix + "7.RP.A.3"),
        # destination is the official 7.RP.A.1 on the CASE Network, which the local 7.RP.A.1 exactly matches
        (prefix + "6.RP.A.2", prefix + "7.RP.A.1"),
    }
    external = fw.external_references()
    assert Counter(a.association_type for a in external) == {
        "exactMatchOf": 16,
        "exemplar": 2,
        "isRelatedTo": 2,
        "precedes": 1,
    }
    assert all(a.destination_uri for a in external)
    assert any("illustrativemathematics.org" in (a.destination_uri or "") for a in fw.of_type("exemplar"))
    assert fw.skill_graph().ancestors(fw.by_code()[prefix + "7.RP.A.1"].identifier)


@needs_fixtures
def test_sequence_numbers_order_children() -> None:
    fw = read_case(OPENSALT / "test-frameworks/SequenceNumberFramework.json").framework
    assert [c.code for c in fw.children()] == ["SNT.2", "SNT.1"]


@needs_fixtures
def test_test_framework_details() -> None:
    ordering = read_case(OPENSALT / "test-frameworks/Ordering.json").framework
    assert sum(1 for it in ordering.items if it.abbreviated_statement) == 4
    assert max(d for d, _ in ordering.walk()) >= 3
    utf8 = read_case(OPENSALT / "test-frameworks/Utf8TestFramework.json").framework
    assert "\U0001d451" in utf8.document.title
    smart = read_case(OPENSALT / "test-frameworks/SmartLevelFramework.json").framework
    assert sum(1 for _ in smart.walk()) == 14
    typed = read_case(OPENSALT / "test-frameworks/ItemTypeTestFramework.json").framework
    assert typed.items[0].item_type == "Standard"


# -- CASE 1.1 and malformed input ---------------------------------------------------------------

U = "00000000-0000-4000-8000-{:012d}"


def package_11() -> dict[str, Any]:
    def link(n: int) -> dict[str, str]:
        return {"title": f"n{n}", "identifier": U.format(n), "uri": f"https://x/{n}"}

    return {
        "CFDocument": {
            "identifier": U.format(0),
            "uri": "https://x/0",
            "creator": "tests",
            "title": "Tiny 1.1",
            "lastChangeDateTime": "2024-01-01T00:00:00Z",
            "caseVersion": "1.1",
            "subject": ["Math"],
        },
        "CFItems": [
            {
                "identifier": U.format(n),
                "uri": f"https://x/{n}",
                "fullStatement": f"statement {n}",
                "humanCodingScheme": f"T.{n}",
                "educationLevel": ["03", "04"],
                "lastChangeDateTime": "2024-01-01T00:00:00+00:00",
            }
            for n in (1, 2)
        ],
        "CFAssociations": [
            {
                "identifier": U.format(10 + n),
                "uri": f"https://x/a{n}",
                "associationType": "isChildOf",
                "originNodeURI": link(n),
                "destinationNodeURI": link(0),
                "lastChangeDateTime": "2024-01-01T00:00:00Z",
            }
            for n in (1, 2)
        ]
        + [
            {
                "identifier": U.format(20),
                "uri": "https://x/a20",
                "associationType": "precedes",
                "originNodeURI": link(1),
                "destinationNodeURI": link(2),
                "lastChangeDateTime": "2024-01-01T00:00:00Z",
            },
            {
                "identifier": U.format(21),
                "uri": "https://x/a21",
                "associationType": "ext:buildsOn",
                "originNodeURI": link(2),
                "destinationNodeURI": {"title": "t", "identifier": "elsewhere", "uri": "https://y/9"},
                "lastChangeDateTime": "2024-01-01T00:00:00Z",
            },
        ],
    }


def test_case_11_package() -> None:
    pkg = parse_case(package_11(), "tiny.json")
    fw = pkg.framework
    assert pkg.shape == "1.1" and pkg.warnings == ()
    assert fw.items[0].education_levels == ("03", "04")
    assert fw.count_by_type() == {"isChildOf": 2, "precedes": 1, "ext:buildsOn": 1}
    assert [(fw.item(o).code, fw.item(d).code) for o, d in fw.prerequisite_edges()] == [("T.1", "T.2")]
    assert parse_case({"CFPackage": package_11()}).framework == fw


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(ValidationError) as err:
        parse_case(data, "bad.json")
    assert "bad.json" in str(err.value)
    return {e.field: e.message for e in err.value.errors}


def test_missing_cfdocument() -> None:
    data = package_11()
    del data["CFDocument"]
    assert "found none" in problems(data)["bad.json:CFDocument"]
    assert "found array" in problems([1, 2])["bad.json:$"]


def test_association_to_an_unknown_identifier() -> None:
    data = package_11()
    data["CFAssociations"][1]["destinationNodeURI"]["identifier"] = "nope"
    data["CFAssociations"][2]["destinationNodeURI"] = {"title": "t", "identifier": "ghost"}
    found = problems(data)
    assert "'nope'" in found["bad.json:CFAssociations[1].destinationNodeURI"]
    assert "unknown identifier 'ghost'" in found["bad.json:CFAssociations[2].destinationNodeURI"]


def test_wrong_types_name_path_and_value() -> None:
    data = package_11()
    data["CFItems"][0]["fullStatement"] = 42
    data["CFItems"][1]["educationLevel"] = {"grade": 3}
    data["CFAssociations"][0]["sequenceNumber"] = "first"
    data["CFAssociations"][1]["lastChangeDateTime"] = "yesterday"
    data["CFDocument"]["title"] = ["Tiny"]
    found = problems(data)
    assert found["bad.json:CFItems[0].fullStatement"] == "expected a non-empty string, found number 42"
    assert '{"grade": 3}' in found["bad.json:CFItems[1].educationLevel"]
    assert '"first"' in found["bad.json:CFAssociations[0].sequenceNumber"]
    assert "'yesterday'" in found["bad.json:CFAssociations[1].lastChangeDateTime"]
    assert "found array" in found["bad.json:CFDocument.title"]
    data = package_11()
    data["CFItems"] = {"not": "a list"}
    assert "expected an array of objects" in problems(data)["bad.json:CFItems"]


def test_missing_and_duplicate_identifiers() -> None:
    data = package_11()
    del data["CFItems"][0]["identifier"]
    assert "found nothing" in problems(data)["bad.json:CFItems[0].identifier"]
    data = package_11()
    data["CFItems"][1]["identifier"] = U.format(1)
    assert "duplicate identifier" in problems(data)["bad.json:CFItems[1].identifier"]


def test_disagreeing_draft_identifiers() -> None:
    data = package_11()
    data["CFAssociations"][0]["originNodeIdentifier"] = U.format(2)
    assert "disagrees" in problems(data)["bad.json:CFAssociations[0].originNodeIdentifier"]


def test_tolerated_variations_are_warned() -> None:
    data = package_11()
    data["CFAssociations"][2]["associationType"] = "Precedes"
    data["CFAssociations"][3]["associationType"] = "buildsOn"
    del data["CFDocument"]["title"]
    pkg = parse_case(data, "odd.json")
    assert pkg.framework.count_by_type() == {"isChildOf": 2, "precedes": 1, "buildsOn": 1}
    assert any("'buildsOn' is not a CASE type" in w for w in pkg.warnings)
    assert any("CFDocument.title: missing" in w for w in pkg.warnings)


def test_malformed_json_names_file_line_and_column(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text('{"CFDocument": {\n  "identifier": "x",\n  oops\n}', encoding="utf-8")
    with pytest.raises(ValidationError) as err:
        read_case(bad)
    assert str(bad) in str(err.value)
    assert err.value.errors[0].field == f"{bad}:3:3"
