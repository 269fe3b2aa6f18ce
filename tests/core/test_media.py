"""One sniffer for every upload and import: the type comes from the bytes, SVG only where asked for."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from learnpath.core.media import sniff_media_type
from learnpath.core.portfolio import sniff_work
from learnpath.service.qti_import import sniff_media_type as sniff_item_media

SVG = b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>'


@pytest.mark.parametrize(
    ("head", "expected"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x00\x00\x00\x20ftypM4A \x00", "audio/mp4"),
        (b"\x00\x00\x00\x14ftypqt  \x00", None),  # QuickTime: not served
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "video/webm"),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", None),
        (b"\xff\xfb\x90\x00", "audio/mpeg"),
        (b"<!doctype html><svg onload=alert(1)>", None),
    ],
)
def test_types_from_bytes(head: bytes, expected: str | None) -> None:
    assert sniff_media_type(head) == expected


def test_svg_only_where_asked_for() -> None:
    assert sniff_media_type(SVG) is None and sniff_work(SVG) is None
    assert sniff_media_type(SVG, svg=True) == "image/svg+xml" == sniff_item_media(SVG)
    assert sniff_media_type(b"<!-- a drawing --><svg/>", svg=True) == "image/svg+xml"
    assert sniff_media_type(b"<?xml version='1.0'?><html/>", svg=True) is None


@given(st.binary(max_size=80))
def test_portfolio_and_items_agree_on_every_binary_type(data: bytes) -> None:
    found = sniff_media_type(data)
    assert sniff_item_media(data) in (found, "image/svg+xml")
    assert sniff_work(data) == found  # every binary type is one a portfolio accepts
