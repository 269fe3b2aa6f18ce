"""Draw the demo school's two short videos (no sound, no text beyond digits) and encode them as WebM.

The frames are drawn here with numpy (a number line with a dot rounding to the nearest ten; a square cut
into equal parts that fill one by one), so the videos are ours and small. The output files are committed
in ``src/learnpath/demo/media/``; this script is only needed to change them. It needs ``numpy`` and
``imageio-ffmpeg`` (which brings an ffmpeg binary), installed in a virtual environment of its own:

    python3 -m venv /tmp/vidgen && /tmp/vidgen/bin/pip install numpy imageio-ffmpeg
    /tmp/vidgen/bin/python scripts/make_demo_videos.py
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg
import numpy as np

OUT = Path(__file__).resolve().parents[1] / "src" / "learnpath" / "demo" / "media"
W, H, FPS = 320, 180, 12
INK = (30, 30, 40)
RED = (200, 40, 40)
BLUE = (40, 90, 200)
PAPER = (250, 248, 240)

DIGITS = {
    "0": ["111", "101", "101", "101", "111"],
    "1": ["010", "110", "010", "010", "111"],
    "2": ["111", "001", "111", "100", "111"],
    "3": ["111", "001", "111", "001", "111"],
    "4": ["101", "101", "111", "001", "001"],
    "5": ["111", "100", "111", "001", "111"],
    "6": ["111", "100", "111", "101", "111"],
    "7": ["111", "001", "010", "010", "010"],
    "8": ["111", "101", "111", "101", "111"],
    "9": ["111", "101", "111", "001", "111"],
}


def canvas() -> np.ndarray:
    img = np.empty((H, W, 3), dtype=np.uint8)
    img[:] = PAPER
    return img


def rect(img: np.ndarray, x0: int, y0: int, x1: int, y1: int, colour: tuple[int, int, int]) -> None:
    img[max(y0, 0) : max(y1, 0), max(x0, 0) : max(x1, 0)] = colour


def text(img: np.ndarray, s: str, x: int, y: int, scale: int = 3, colour: tuple[int, int, int] = INK) -> None:
    for ch in s:
        for r, row in enumerate(DIGITS[ch]):
            for c, bit in enumerate(row):
                if bit == "1":
                    rect(img, x + c * scale, y + r * scale, x + (c + 1) * scale, y + (r + 1) * scale, colour)
        x += 4 * scale


def disc(img: np.ndarray, cx: float, cy: float, radius: float, colour: tuple[int, int, int]) -> None:
    yy, xx = np.mgrid[0:H, 0:W]
    img[(xx - cx) ** 2 + (yy - cy) ** 2 <= radius**2] = colour


def rounding_frames() -> list[np.ndarray]:
    """37 sits between 30 and 40; it is closer to 40, so the dot slides to 40."""
    frames = []
    left, right, y = 30, 290, 100

    def x_of(v: float) -> float:
        return left + (v - 30) * (right - left) / 10

    for k in range(FPS * 6):
        img = canvas()
        rect(img, left, y, right, y + 3, INK)
        for v in range(30, 41):
            tall = 14 if v in (30, 35, 40) else 7
            rect(img, int(x_of(v)) - 1, y - tall, int(x_of(v)) + 2, y + 3 + tall, INK)
        text(img, "30", left - 10, y + 24)
        text(img, "35", int(x_of(35)) - 10, y + 24)
        text(img, "40", right - 10, y + 24)
        t = k / FPS
        value = 37.0 if t < 2.5 else min(40.0, 37.0 + (t - 2.5) * 2.0)
        disc(img, x_of(value), y + 1, 8, RED)
        text(img, "37", int(x_of(37)) - 10, 40, colour=RED)
        if t >= 4:
            text(img, "40", int(x_of(40)) - 10, 40, colour=BLUE)
        frames.append(img)
    return frames


def fraction_frames() -> list[np.ndarray]:
    """A square cut into 4 equal parts, then 8: 1 of 4 is shaded, then the same amount is 2 of 8."""
    frames = []
    x0, y0, size = 110, 40, 100
    for k in range(FPS * 6):
        img = canvas()
        t = k / FPS
        parts = 4 if t < 3 else 8
        shaded = 1 if parts == 4 else 2
        step = size // parts
        for p in range(shaded):
            rect(img, x0 + p * step, y0, x0 + (p + 1) * step, y0 + size, BLUE)
        rect(img, x0, y0, x0 + size, y0 + 3, INK)
        rect(img, x0, y0 + size - 3, x0 + size, y0 + size, INK)
        for p in range(parts + 1):
            xx = min(x0 + p * step, x0 + size - 3)
            rect(img, xx, y0, xx + 3, y0 + size, INK)
        text(img, str(shaded), 240, 60)
        rect(img, 236, 80, 262, 83, INK)
        text(img, str(parts), 240, 88)
        frames.append(img)
    return frames


def encode(frames: list[np.ndarray], path: Path) -> None:
    cmd = [
        imageio_ffmpeg.get_ffmpeg_exe(), "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24",
        "-s", f"{W}x{H}", "-r", str(FPS), "-i", "-", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "40",
        "-pix_fmt", "yuv420p", "-an", "-metadata", "title=learnpath demo", str(path),
    ]  # fmt: skip
    subprocess.run(cmd, input=b"".join(f.tobytes() for f in frames), check=True)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    encode(rounding_frames(), OUT / "round-to-ten.webm")
    encode(fraction_frames(), OUT / "equal-parts.webm")
    for p in sorted(OUT.glob("*.webm")):
        print(p.name, p.stat().st_size, "bytes")


if __name__ == "__main__":
    main()
