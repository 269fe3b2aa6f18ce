"""The pure rules of the portfolio: file types from bytes, field checks, rubric and judgement scores."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.portfolio import (
    MEDIA_TYPES,
    Criterion,
    correct_from,
    judgement_score,
    media_group,
    rubric_problems,
    rubric_score,
    sniff_work,
    url_problems,
    work_problems,
)

HEADS = {
    b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR": "image/png",
    b"\xff\xd8\xff\xe0\0\x10JFIF": "image/jpeg",
    b"GIF89a\x01\0": "image/gif",
    b"RIFF\0\0\0\0WEBPVP8 ": "image/webp",
    b"RIFF\0\0\0\0WAVEfmt ": "audio/wav",
    b"%PDF-1.7\n": "application/pdf",
    b"OggS\0\x02": "audio/ogg",
    b"ID3\x04\0": "audio/mpeg",
    b"\xff\xfb\x90\x64": "audio/mpeg",
    b"\0\0\0\x20ftypM4A \0\0\0\0": "audio/mp4",
    b"\0\0\0\x20ftypisom\0\0\0\0": "video/mp4",
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm": "video/webm",
    b"\0\0\0\x14ftypqt  \0\0\0\0": None,
    b"<!DOCTYPE html><html>": None,
    b"<svg xmlns='http://www.w3.org/2000/svg'>": None,
    b"PK\x03\x04": None,
}


@pytest.mark.parametrize(("head", "want"), HEADS.items())
def test_types_are_judged_from_the_first_bytes(head: bytes, want: str | None) -> None:
    assert sniff_work(head) == want


@given(st.binary(max_size=64))
def test_sniffing_names_only_accepted_types(head: bytes) -> None:
    assert sniff_work(head) in {*MEDIA_TYPES, None}


@given(st.text(max_size=60))
def test_text_that_starts_like_markup_is_never_accepted(text: str) -> None:
    for prefix in ("<", "<html>", "<svg", "<?xml", "<script>"):
        assert sniff_work((prefix + text).encode()[:64]) is None


def test_media_groups() -> None:
    assert [media_group(t) for t in ("image/png", "audio/ogg", "video/mp4", "application/pdf")] == [
        "image",
        "audio",
        "video",
        "document",
    ]


def test_work_fields_are_checked_by_kind() -> None:
    assert work_problems("text", "Title", "", "body", "") == []
    assert work_problems("link", "Title", "why", "", "https://example.org/a") == []
    fields = {e.field for e in work_problems("poem", "", "x" * 5000, "", "")}
    assert fields == {"kind", "title", "reflection"}
    assert {e.field for e in work_problems("text", "T", "", "", "https://x.org")} == {"body", "url"}
    assert {e.field for e in work_problems("file", "T\x00", "", "b", "")} == {"title", "body"}
    for bad in ("javascript:alert(1)", "ftp://x.org", "https://", "http://a b.org", ""):
        assert url_problems(bad), bad


def test_rubric_points_and_score() -> None:
    criteria = [Criterion("c1", "Sources", 4), Criterion("c2", "Drawing", 2)]
    assert rubric_problems(criteria, {"c1": 4, "c2": 0}) == []
    assert {e.field for e in rubric_problems(criteria, {"c1": 5, "c9": 1})} == {
        "rubric.c1",
        "rubric.c2",
        "rubric.c9",
    }
    assert {e.field for e in rubric_problems(criteria, {"c1": float("nan"), "c2": -1})} == {
        "rubric.c1",
        "rubric.c2",
    }
    assert rubric_score(criteria, {"c1": 2, "c2": 1}) == pytest.approx(0.5)
    assert correct_from(rubric_score(criteria, {"c1": 2, "c2": 1}))
    assert not correct_from(rubric_score(criteria, {"c1": 2, "c2": 0}))
    assert (judgement_score("shows"), judgement_score("not_yet")) == (1.0, 0.0)


@given(st.lists(st.integers(1, 10), min_size=1, max_size=6), st.data())
def test_a_rubric_score_is_a_share(maxima: list[int], data: st.DataObject) -> None:
    criteria = [Criterion(f"c{i}", "x", m) for i, m in enumerate(maxima)]
    points = {c.id: data.draw(st.integers(0, c.max_points)) for c in criteria}
    assert rubric_problems(criteria, points) == []
    score = rubric_score(criteria, points)
    assert 0.0 <= score <= 1.0
    assert score == pytest.approx(sum(points.values()) / sum(maxima))
