"""What a file is, judged from its first bytes, never from its name or the type a client claims.

One sniffer serves every upload and import: portfolio work (no SVG: it can carry script) and QTI item media
(SVG allowed: item pictures are often drawings, served with a sandboxing policy).
"""

from __future__ import annotations

__all__ = ["SNIFF_BYTES", "sniff_media_type"]

SNIFF_BYTES = 64
"""How many first bytes :func:`sniff_media_type` needs for every binary type (SVG reads up to 2,048)."""


def sniff_media_type(data: bytes, *, svg: bool = False) -> str | None:
    """The media type of ``data`` from its first bytes, or None when it is none of: PNG, JPEG, GIF, WebP, PDF,
    MP3, WAV, Ogg, M4A, MP4, WebM (and SVG when ``svg``). HTML and scripts are never recognised."""
    head = data[:SNIFF_BYTES]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] == b"RIFF" and head[8:12] == b"WAVE":
        return "audio/wav"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"OggS"):
        return "audio/ogg"
    if head.startswith(b"ID3") or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0):
        return "audio/mpeg"
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"M4A ", b"M4B "):
            return "audio/mp4"
        return None if brand == b"qt  " else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head:
        return "video/webm"
    if svg:
        text = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith(b"<svg") or (text.startswith((b"<?xml", b"<!--")) and b"<svg" in text):
            return "image/svg+xml"
    return None
