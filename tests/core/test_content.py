"""Content rules (learnpath.core.content): every problem reported, grade bands, tags, links, rubrics, sniffing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.content import (
    Content,
    ContentProblem,
    GradeBand,
    Rubric,
    RubricCell,
    RubricCriterion,
    content_from_fields,
    link_problem,
    normalise_tags,
    parse_duration,
    sniff_video,
)
from learnpath.errors import ValidationError

RUBRIC = Rubric(
    ("Starting", "Got it"),
    (RubricCriterion("Measuring", (RubricCell("Guesses", 1), RubricCell("Measures all", 2))),),
)


def _content(**changes: object) -> Content:
    base: dict[str, object] = {
        "code": "R-1",
        "kind": "reading",
        "title": "Read me",
        "modality": "read",
        "minutes": 5,
        "grades": GradeBand(3, 4),
        "skills": ("ADD",),
        "body": "Some text.",
    }
    base.update(changes)
    return Content(**base)  # type: ignore[arg-type]


def _codes(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {e.field: e.code for e in exc.value.errors if isinstance(e, ContentProblem)}


def test_a_valid_reading_round_trips() -> None:
    c = _content(tags=(" Sports ", "sports", "Board Games"))
    assert c.tags == ("sports", "board-games")
    assert Content.from_dict(c.to_dict()) == c


def test_video_needs_a_source_and_a_duration() -> None:
    with pytest.raises(ValidationError) as exc:
        _content(kind="video", modality="watch", body="")
    assert _codes(exc) == {"url": "video_source", "duration": "video_duration"}
    ok = _content(kind="video", modality="watch", url="https://example.org/v", duration_s=90)
    assert ok.duration_s == 90
    assert _content(kind="video", modality="watch", video_file="1-ab.webm", duration_s=5).video_file


def test_project_needs_a_rubric_and_instructions() -> None:
    with pytest.raises(ValidationError) as exc:
        _content(kind="project", modality="do", body="")
    assert _codes(exc) == {"body": "instructions", "rubric": "rubric_required"}
    assert _content(kind="project", modality="do", rubric=RUBRIC).rubric == RUBRIC


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as exc:
        _content(code="", title=" ", minutes=0, grades=GradeBand(5, 3), skills=(), url="ftp://x.org/a")
    assert set(_codes(exc)) == {"code", "title", "minutes", "grade_band", "skills", "url"}
    assert _codes(exc)["url"] == "url_scheme"


def test_only_videos_have_a_duration() -> None:
    with pytest.raises(ValidationError) as exc:
        _content(duration_s=30)
    assert _codes(exc) == {"duration": "duration_video_only"}


@pytest.mark.parametrize(
    ("text", "want"),
    [("K-2", (0, 2)), ("3-5", (3, 5)), ("4", (4, 4)), ("k", (0, 0)), ("K – 12", (0, 12)), ("6 to 8", (6, 8))],
)
def test_grade_bands_parse(text: str, want: tuple[int, int]) -> None:
    band = GradeBand.parse(text)
    assert (band.low, band.high) == want


@pytest.mark.parametrize("text", ["13", "5-3", "K-13", "first", "", "-2", "3-"])
def test_bad_grade_bands_are_refused(text: str) -> None:
    with pytest.raises(ValidationError) as exc:
        GradeBand.parse(text)
    assert exc.value.errors[0].field == "grade_band"


@given(st.integers(0, 12), st.integers(0, 12))
def test_grade_band_labels_parse_back_and_are_ordered(a: int, b: int) -> None:
    low, high = min(a, b), max(a, b)
    band = GradeBand(low, high)
    assert GradeBand.parse(band.label) == band
    assert all(g in band for g in range(low, high + 1)) and (high + 1) not in band


@given(st.lists(st.text(min_size=0, max_size=12), max_size=8))
def test_tag_normalisation_is_idempotent_and_clean(tags: list[str]) -> None:
    once = normalise_tags(tags)
    assert normalise_tags(list(once)) == once
    assert len(set(once)) == len(once)
    assert all(t == t.lower() and t.strip() == t and " " not in t and t for t in once)


@pytest.mark.parametrize(
    "url",
    ["javascript:alert(1)", "ftp://example.org/x", "https://", "https://user:pw@example.org/", "https://a b.org/",
     "data:text/html,hi", "//example.org/x", "https://example.org:99999/"],
)  # fmt: skip
def test_only_plain_http_links_are_accepted(url: str) -> None:
    assert link_problem(url) is not None


def test_good_links_pass() -> None:
    assert link_problem("https://example.org/watch?v=1#t=3") is None
    assert link_problem("http://127.0.0.1:8000/static/x.html") is None


def test_rubric_text_round_trips_and_points_add_up() -> None:
    text = RUBRIC.criteria_text()
    assert Rubric.parse(RUBRIC.levels_text(), text) == RUBRIC
    assert RUBRIC.max_points == 2
    assert Rubric.parse("", '{"levels": ["a", "b"], "criteria": []}').levels == ("a", "b")


@given(
    st.lists(st.text(alphabet="abcdefgh ", min_size=1, max_size=8).filter(str.strip), min_size=2, max_size=4),
    st.lists(st.integers(0, 9), min_size=1, max_size=3),
)
def test_rubric_text_form_round_trips(levels: list[str], seeds: list[int]) -> None:
    levels = [level.strip() for level in levels]
    criteria = tuple(
        RubricCriterion(f"crit{i}", tuple(RubricCell(f"d{i}{k}", float(s + k)) for k in range(len(levels))))
        for i, s in enumerate(seeds)
    )
    rubric = Rubric(tuple(levels), criteria)
    assert rubric.problems() == []
    assert Rubric.parse(rubric.levels_text(), rubric.criteria_text()) == rubric


def test_rubric_problems_name_the_criterion() -> None:
    bad = Rubric(
        ("a", "b"), (RubricCriterion("Neat", (RubricCell("x", 2), RubricCell("", 1), RubricCell("z", 3))),)
    )
    codes = {p.code for p in bad.problems()}
    assert codes == {"rubric_cells", "rubric_descriptor", "rubric_order"}
    assert all("Neat" in p.message for p in bad.problems())


def test_form_fields_report_parse_and_rule_problems_together() -> None:
    with pytest.raises(ValidationError) as exc:
        content_from_fields(
            {"code": "X", "kind": "video", "title": "T", "minutes": "ten", "grade_band": "3-1", "skills": "",
             "duration": "1:xx", "rubric": "no colon here"}
        )  # fmt: skip
    fields = {e.field for e in exc.value.errors}
    assert {"minutes", "grade_band", "skills", "duration", "rubric", "url"} <= fields


def test_form_fields_default_the_modality_from_the_kind() -> None:
    c = content_from_fields(
        {"code": "V", "kind": "Video", "title": "T", "minutes": "3", "grade_band": "K-2", "skills": "A; B",
         "url": "https://example.org/v", "duration": "1:05", "tags": "Art, art ,Music"}
    )  # fmt: skip
    assert (c.kind, c.modality, c.duration_s, c.skills, c.tags) == (
        "video",
        "watch",
        65,
        ("A", "B"),
        ("art", "music"),
    )


@pytest.mark.parametrize(("text", "seconds"), [("95", 95), ("1:35", 95), ("1:02:03", 3723)])
def test_durations_parse(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


def test_videos_are_known_by_their_bytes() -> None:
    assert sniff_video(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00") == "video/mp4"
    assert sniff_video(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm") == "video/webm"
    assert sniff_video(b"OggS\x00\x02") == "video/ogg"
    assert sniff_video(b"\x00\x00\x00\x14ftypqt  ") is None, "QuickTime is not played by every browser"
    assert sniff_video(b"<html><body>not a video") is None
    assert sniff_video(b"\x89PNG\r\n\x1a\n") is None
