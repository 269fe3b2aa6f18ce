"""A child's drawing for the demo portfolio, made here as a PNG (written by the learnpath developers): a house
under a sun, on grass, with three rows of four windows (the learner's picture of 3 x 4 = 12).

Pure: returns bytes; the demo stores them through the portfolio service like any upload.
"""

from __future__ import annotations

import struct
import zlib

__all__ = ["drawing_png"]

SKY = (186, 225, 255)
SUN = (255, 208, 64)
GRASS = (96, 176, 72)
WALL = (226, 120, 84)
ROOF = (140, 60, 50)
WINDOW = (255, 246, 180)
DOOR = (110, 70, 40)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def _pixel(x: int, y: int, w: int, h: int) -> tuple[int, int, int]:
    if (x - w * 0.82) ** 2 + (y - h * 0.16) ** 2 <= (h * 0.1) ** 2:
        return SUN
    if y >= h * 0.85:
        return GRASS
    left, right, top, roof_top = w * 0.2, w * 0.7, h * 0.42, h * 0.2
    mid = (left + right) / 2
    if roof_top <= y < top and abs(x - mid) <= (y - roof_top) / (top - roof_top) * (right - left) / 2 + 4:
        return ROOF
    if left <= x < right and top <= y < h * 0.85:
        door = mid - w * 0.04 <= x < mid + w * 0.04 and y >= h * 0.72
        if door:
            return DOOR
        col = (x - left) / (right - left) * 4
        row = (y - top - h * 0.03) / (h * 0.09)
        if 0 <= row < 3 and col % 1 >= 0.25 and (row % 1) < 0.6:
            return WINDOW
        return WALL
    return SKY


def drawing_png(width: int = 96, height: int = 72) -> bytes:
    """The drawing as PNG bytes (RGB, 8 bits); the same bytes every time."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)  # filter: none
        for x in range(width):
            rows.extend(_pixel(x, y, width, height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + _chunk(b"IEND", b"")
    )
