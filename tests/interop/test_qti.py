"""QTI reading, on the real item banks in ../shared/fixtures/qti (1EdTech examples and the IMS samples)."""

from __future__ import annotations

import json
import os
import re
import zipfile
from pathlib import Path

import pytest

from learnpath.core.items import Item, score_response
from learnpath.core.qti import QtiItem
from learnpath.errors import ValidationError
from learnpath.interop.qti import ImportedItem, Problem, QtiImport, parse_qti_item, read_qti

REPO = Path(__file__).resolve().parents[2]
SHARED = Path(os.environ.get("LEARNPATH_SHARED_DIR", REPO.parent / "shared"))
QTI = SHARED / "fixtures" / "qti"
IMS = QTI / "oat-qti-sdk-ims-samples"
PACKAGING = QTI / "1edtech-qti-examples" / "qtiv3-examples" / "packaging"
needs_fixtures = pytest.mark.skipif(
    not QTI.is_dir(), reason=f"QTI fixtures not found at {QTI} (set LEARNPATH_SHARED_DIR)"
)

# The sweep over all of fixtures/qti: 647 XML files and 22 zips (items inside zips counted again).
EXPECTED_COUNTS = {
    "imported": 483,
    "unsupported": 255,
    "malformed": 3,
    "unsupported_by_interaction": {
        "associate": 10, "drawing": 4, "end-attempt": 27, "gap-match": 21, "graphic-associate": 8,
        "graphic-gap-match": 17, "graphic-order": 10, "hotspot": 22, "hottext": 17, "interaction-in-feedback": 28, "match": 23, "media": 3,
        "none": 6, "order": 23, "position-object": 7, "select-point": 9, "slider": 7, "upload": 15,
    },
}  # fmt: skip
MALFORMED = {
    ("1edtech-qti-examples/qtiv3-examples/CAT/test.xml", 51),  # invalid token (SOURCE.md)
    ("1edtech-qti-examples/qtiv3-examples/results/full-example.xml", 26),  # junk after the root
    ("oat-qti-sdk-ims-samples/items/2_0/choice_multiple.xml", None),  # interaction names undeclared MR01
}
SUPPORTED = {"choice", "text-entry", "inline-choice", "extended-text"}


@pytest.fixture(scope="module")
def sweep() -> QtiImport:
    if not QTI.is_dir():
        pytest.skip(f"QTI fixtures not found at {QTI} (set LEARNPATH_SHARED_DIR)")
    return read_qti(QTI)


def by_file(sweep: QtiImport, suffix: str) -> ImportedItem:
    [found] = [i for i in sweep.items if i.file.endswith(suffix) and "!/" not in i.file]
    return found


def wrong_response(q: QtiItem) -> dict[str, str | list[str]]:
    out: dict[str, str | list[str]] = {}
    for d in q.scoring.responses:
        others = [c for i in q.interactions if i.response_identifier == d.identifier for c, _ in i.choices]
        others = [c for c in others if c not in d.correct]
        if d.cardinality == "single":
            out[d.identifier] = others[0] if others else "zz-not-the-answer"
        else:
            out[d.identifier] = others[:1] or ["zz-not-the-answer"]
    return out


@needs_fixtures
def test_sweep_counts(sweep: QtiImport) -> None:
    counts = sweep.counts()
    assert {k: counts[k] for k in EXPECTED_COUNTS} == EXPECTED_COUNTS
    assert counts["auto_scored"] + counts["teacher_scored"] == counts["imported"]
    assert {(p.file, p.line) for p in sweep.problems} == MALFORMED


@needs_fixtures
def test_every_item_is_imported_or_listed_by_interaction(sweep: QtiImport) -> None:
    for item in sweep.items:
        kinds = {i.kind for i in item.qti.interactions}
        assert kinds and kinds <= SUPPORTED, item.file
    for u in sweep.unsupported:
        assert u.file and u.interactions and u.unsupported and set(u.unsupported).isdisjoint(SUPPORTED), u
    # every item root in a loose XML file is accounted for exactly once
    roots = re.compile(rb"<(qti-assessment-item|assessmentItem)[\s>]")
    on_disk = {str(p.relative_to(QTI)) for p in QTI.rglob("*.xml") if roots.search(p.read_bytes()[:4000])}
    files = (
        [i.file for i in sweep.items] + [u.file for u in sweep.unsupported] + [p.file for p in sweep.problems]
    )
    seen = [f for f in files if "!/" not in f]
    assert sorted(f for f in seen if f in on_disk) == sorted(on_disk)


@needs_fixtures
def test_correct_responses_score_the_maximum_and_wrong_ones_less(sweep: QtiImport) -> None:
    checked = 0
    for item in sweep.items:
        q = item.qti
        key = q.scoring.correct_responses()
        if q.teacher_scored or len(key) != len(q.scoring.responses):
            continue
        right, wrong = q.score(key), q.score(wrong_response(q))
        assert right.correct and right.score == right.max_score > 0, item.file
        assert wrong.score < right.max_score and not wrong.correct, item.file
        checked += 1
    assert checked == 357


@needs_fixtures
def test_golden_map_response_with_bounds(sweep: QtiImport) -> None:
    q = by_file(sweep, "oat-qti-sdk-ims-samples/items/2_1/choice_multiple.xml").qti
    assert q.max_score == 2.0
    assert q.score({"RESPONSE": ["H", "O"]}) == (2.0, 2.0, True)
    assert q.score({"RESPONSE": ["H", "Cl"]}) == (0.0, 2.0, False)
    assert q.score({"RESPONSE": ["H", "O", "Cl"]}) == (1.0, 2.0, False)  # partial credit
    assert q.score({"RESPONSE": ["He", "N", "C"]}).score == 0.0  # -6, lower bound 0
    assert 'type="checkbox"' in q.body_html


@needs_fixtures
def test_golden_text_entry_case(sweep: QtiImport) -> None:
    sensitive = by_file(sweep, "oat-qti-sdk-ims-samples/items/2_1/text_entry.xml").qti
    assert sensitive.score({"RESPONSE": "York"}) == (1.0, 1.0, True)
    assert sensitive.score({"RESPONSE": "york"}) == (0.5, 1.0, False)
    insensitive = by_file(sweep, "interaction_mix_sachsen/TextEntry_883368511.xml").qti
    assert insensitive.score({"RESPONSE_1": "FICHTELBERG"}).correct
    assert not insensitive.score({"RESPONSE_1": "Brocken"}).correct


@needs_fixtures
def test_golden_inline_choice_and_extended_text(sweep: QtiImport) -> None:
    inline = by_file(sweep, "oat-qti-sdk-ims-samples/items/2_2/inline_choice.xml").qti
    assert inline.version == "2.2"
    assert [c for c, _ in inline.interactions[0].choices] == ["G", "L", "Y"]
    assert '<select class="qti-inline-choice-interaction" name="qti:RESPONSE">' in inline.body_html
    assert inline.score({"RESPONSE": "Y"}).correct and not inline.score({"RESPONSE": "L"}).correct
    essay = by_file(sweep, "oat-qti-sdk-ims-samples/items/2_1/extended_text.xml")
    assert essay.qti.teacher_scored and "<textarea" in essay.qti.body_html


@needs_fixtures
def test_bodies_are_safe_html(sweep: QtiImport) -> None:
    unsafe = re.compile(r"<(script|style|iframe|object|embed)\b|\son\w+=|\sstyle=|javascript:", re.I)
    for item in sweep.items:
        assert not unsafe.search(item.qti.body_html), item.file
        for asset in item.qti.assets:
            assert f'"lp-asset:{asset}"' in item.qti.body_html


def test_hostile_markup_is_removed_and_media_resolved() -> None:
    xml = b"""<qti-assessment-item xmlns="http://www.imsglobal.org/xsd/imsqtiasi_v3p0" identifier="x">
      <qti-response-declaration identifier="RESPONSE" cardinality="single" base-type="identifier">
        <qti-correct-response><qti-value>A</qti-value></qti-correct-response></qti-response-declaration>
      <qti-item-body><p onclick="alert(1)" style="color:red">Hi<script>alert(2)</script></p>
        <a href="javascript:alert(3)">x</a><img src="../img/a.png" alt="a"/><img src="../../../etc/passwd"/>
        <object data="media/clip.mp4" type="video/mp4"/>
        <qti-choice-interaction response-identifier="RESPONSE" max-choices="1">
          <qti-simple-choice identifier="A">A <b>bold</b></qti-simple-choice>
          <qti-simple-choice identifier="B">B</qti-simple-choice></qti-choice-interaction>
        <qti-feedback-block outcome-identifier="FB" identifier="A">Secret answer</qti-feedback-block>
      </qti-item-body>
      <qti-response-processing template="https://purl.imsglobal.org/spec/qti/v3p0/rptemplates/match_correct"/>
    </qti-assessment-item>"""
    result = parse_qti_item(xml, "pkg/items/x.xml", "items", exists=lambda p: p == "img/a.png")
    assert isinstance(result, ImportedItem)
    html = result.qti.body_html
    for bad in ("onclick", "style=", "<script", "alert", "javascript", "Secret answer", "passwd"):
        assert bad not in html
    assert '<img src="lp-asset:img/a.png" alt="a">' in html
    assert '<video src="lp-asset:items/media/clip.mp4" controls>' in html
    assert result.qti.assets == ("img/a.png", "items/media/clip.mp4")
    assert any("missing asset 'items/media/clip.mp4'" in w for w in result.warnings)
    assert any("outside the package" in w for w in result.warnings)
    assert '<input type="radio" name="qti:RESPONSE" value="A"> A <b>bold</b>' in html


def test_entities_and_external_references_are_refused() -> None:
    laughs = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xx"><!ENTITY y "&x;&x;">]><a>&y;</a>'
    xxe = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>'
    for data in (laughs, xxe):
        result = parse_qti_item(data, "evil.xml")
        assert isinstance(result, Problem) and "entity" in result.message and result.line == 1


@needs_fixtures
def test_malformed_file_reports_file_and_line() -> None:
    result = read_qti(QTI / "1edtech-qti-examples" / "qtiv3-examples" / "CAT" / "test.xml")
    assert [(p.file, p.line) for p in result.problems] == [("test.xml", 51)]
    assert "invalid token" in str(result.problems[0])
    assert read_qti(QTI / "no-such-file.xml").problems[0].message == "no such file or folder"


@needs_fixtures
@pytest.mark.parametrize(
    "package", ["CASE/CASE.zip", "CASE", "externalMetadata", "externalMetadata/externalMetadata.zip"]
)
def test_case_alignment_from_the_manifest(package: str) -> None:
    result = read_qti(PACKAGING / package)
    aligned = {Path(i.file).name: [a.identifier for a in i.alignments] for i in result.items}
    assert aligned == {
        "-TX_G06SAMP_001.xml": ["6abfaa45-644b-52e8-891e-4fa4045a6c69"],
        "-TX_G06SAMP_004.xml": ["6abfaa45-644b-52e8-891e-4fa4045a6c69"],
        "-TX_G06SAMP_005.xml": ["747eee11-848c-597a-8c9c-a71c5399798d"],
    }
    first = next(i for i in result.items if i.file.endswith("001.xml"))
    assert first.alignments[0].uri.startswith("https://teks-api.texasgateway.org/ims/case/v1p0/CFItems/")
    item = first.to_item()
    assert item.kind == "qti" and item.skills == ("6abfaa45-644b-52e8-891e-4fa4045a6c69",)
    assert score_response(item, "A_2").correct and not score_response(item, "A_0").correct
    assert Item.from_dict(json.loads(json.dumps(item.to_dict()))) == item


@needs_fixtures
def test_unaligned_items_need_skills(sweep: QtiImport) -> None:
    plain = by_file(sweep, "oat-qti-sdk-ims-samples/items/2_1/choice.xml")
    with pytest.raises(ValidationError) as err:
        plain.to_item()
    assert "choice.xml" in err.value.errors[0].field
    item = plain.to_item(code="ims-choice", skills=["S1"])
    assert item.code == "ims-choice" and item.prompt.startswith("Look at the text in the picture")


@needs_fixtures
def test_every_imported_item_becomes_a_core_item_and_round_trips(sweep: QtiImport) -> None:
    for imported in sweep.items:
        item = imported.to_item(skills=[a.identifier for a in imported.alignments] or ["unaligned"])
        assert Item.from_dict(json.loads(json.dumps(item.to_dict()))) == item


@needs_fixtures
def test_package_assets_are_readable() -> None:
    zip_path = (
        QTI / "1edtech-qti-examples/qtiv3-examples/items/shared-vocabulary/shared-vocabulary-imsmanifest.zip"
    )
    result = read_qti(zip_path)
    with_images = [i for i in result.items if i.qti.assets]
    assert with_images and not any("missing asset" in w for i in with_images for w in i.warnings)
    asset = with_images[0].qti.assets[0]
    assert result.read_asset(asset)[:4] == b"\x89PNG"
    with zipfile.ZipFile(zip_path) as z:
        assert asset in z.namelist()
