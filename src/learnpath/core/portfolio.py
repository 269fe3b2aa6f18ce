"""A learner's portfolio of work, the pure part: what a piece of work is, which files are accepted (judged from
their bytes, never from a name or a client's word), and how a teacher's score becomes evidence of skills.

No I/O, no clock: the service (``service/portfolio.py``) reads and stores.

**Score to evidence.** A teacher scores a piece of work once, in one of two ways:

- against the rubric of a goal the work is linked to: the points of every criterion, summed, over the sum of
  the criteria's maximum points give a score in 0..1;
- or with a judgement per linked skill: ``shows`` (score 1) or ``not_yet`` (score 0).

Each scored skill becomes one fact for the learner model, as one answer would: *correct* when the score is at
least one half (the rule teacher-scored answers follow, ``service/scoring.py``), at the moment it was scored.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urlsplit

from learnpath.core.media import SNIFF_BYTES, sniff_media_type
from learnpath.errors import FieldError

__all__ = [
    "JUDGEMENTS",
    "KINDS",
    "MAX_BODY_CHARS",
    "MAX_COMMENT_CHARS",
    "MAX_LINKS",
    "MAX_REFLECTION_CHARS",
    "MAX_TITLE_CHARS",
    "MAX_URL_CHARS",
    "MEDIA_TYPES",
    "SNIFF_BYTES",
    "Criterion",
    "WorkKind",
    "correct_from",
    "judgement_score",
    "media_group",
    "rubric_problems",
    "rubric_score",
    "sniff_work",
    "text_problems",
    "url_problems",
    "work_problems",
]

WorkKind = Literal["file", "link", "text"]
KINDS: tuple[WorkKind, ...] = ("file", "link", "text")
JUDGEMENTS: dict[str, float] = {"shows": 1.0, "not_yet": 0.0}
"""A teacher's judgement of one skill in a piece of work, and the score it stands for."""

MAX_TITLE_CHARS = 200
MAX_REFLECTION_CHARS = 4000
MAX_BODY_CHARS = 20_000
MAX_COMMENT_CHARS = 2000
MAX_URL_CHARS = 2000
MAX_LINKS = 20
"""Most goals, and most skills, one piece of work may be linked to."""

MEDIA_TYPES: dict[str, str] = {
    "image/png": "png",
    "image/jpeg": "jpg",
    "image/gif": "gif",
    "image/webp": "webp",
    "application/pdf": "pdf",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/ogg": "ogg",
    "audio/mp4": "m4a",
    "video/mp4": "mp4",
    "video/webm": "webm",
}
"""Every file type a portfolio accepts, with the extension it is stored and exported under."""


def sniff_work(head: bytes) -> str | None:
    """The media type of a file from its first bytes, or None when it is not a type a portfolio accepts.

    Images (PNG, JPEG, GIF, WebP), PDF, audio (MP3, WAV, Ogg, M4A) and video (MP4, WebM). HTML, SVG and
    scripts are never accepted (they could run in a reader's browser)."""
    found = sniff_media_type(head)
    return found if found in MEDIA_TYPES else None


def media_group(media_type: str) -> str:
    """How a page shows a file: image, audio, video or document."""
    top = media_type.split("/", 1)[0]
    return top if top in ("image", "audio", "video") else "document"


def _control(text: str) -> bool:
    return any(ord(ch) < 32 and ch not in "\n\r\t" for ch in text)


def text_problems(field: str, text: str, limit: int, *, required: bool = False) -> list[FieldError]:
    """Problems of a free text field: empty when required, too long, control characters."""
    out = []
    if required and not text.strip():
        out.append(FieldError(field, "must not be empty"))
    if len(text) > limit:
        out.append(FieldError(field, f"must be at most {limit} characters, got {len(text)}"))
    if _control(text):
        out.append(FieldError(field, "must not contain control characters (such as NUL)"))
    return out


def url_problems(url: str) -> list[FieldError]:
    """A link must be an http(s) address with a host."""
    if not url.strip():
        return [FieldError("url", "must not be empty for a link")]
    if len(url) > MAX_URL_CHARS:
        return [FieldError("url", f"must be at most {MAX_URL_CHARS} characters")]
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return [FieldError("url", f"is not a valid address: {url!r}")]
    if parts.scheme not in ("http", "https") or not parts.hostname or any(c.isspace() for c in url.strip()):
        return [FieldError("url", f"must start with http:// or https:// and name a site, got {url!r}")]
    return []


def work_problems(kind: str, title: str, reflection: str, body: str, url: str) -> list[FieldError]:
    """Every problem of a piece of work's fields (the file itself is checked as it is read)."""
    out: list[FieldError] = []
    if kind not in KINDS:
        out.append(FieldError("kind", f"must be one of {', '.join(KINDS)}, got {kind!r}"))
    out += text_problems("title", title, MAX_TITLE_CHARS, required=True)
    out += text_problems("reflection", reflection, MAX_REFLECTION_CHARS)
    if kind == "text":
        out += text_problems("body", body, MAX_BODY_CHARS, required=True)
    elif body:
        out.append(FieldError("body", "only a text piece has a body"))
    if kind == "link":
        out += url_problems(url)
    elif url:
        out.append(FieldError("url", "only a link piece has a url"))
    return out


@dataclass(frozen=True)
class Criterion:
    """One criterion of a goal's rubric (from the plan's ``goal_rubric``)."""

    id: str
    text: str
    max_points: int


def rubric_problems(criteria: Sequence[Criterion], points: Mapping[str, float]) -> list[FieldError]:
    """Points must be given for every criterion of the rubric, each from 0 to its maximum, and for no other."""
    out: list[FieldError] = []
    known = {c.id: c for c in criteria}
    for cid in points:
        if cid not in known:
            out.append(FieldError(f"rubric.{cid}", "is not a criterion of this goal's rubric"))
    for c in criteria:
        got = points.get(c.id)
        if got is None:
            out.append(FieldError(f"rubric.{c.id}", "needs points"))
        elif not (0 <= got <= c.max_points) or got != got:
            out.append(FieldError(f"rubric.{c.id}", f"must be from 0 to {c.max_points}, got {got:g}"))
    return out


def rubric_score(criteria: Sequence[Criterion], points: Mapping[str, float]) -> float:
    """The share of the rubric's points a piece of work got (0..1); call after :func:`rubric_problems`."""
    top = sum(c.max_points for c in criteria)
    if top <= 0:
        return 0.0
    return min(1.0, max(0.0, sum(points[c.id] for c in criteria) / top))


def judgement_score(judgement: str) -> float:
    """The score of a judgement (``shows`` 1, ``not_yet`` 0); KeyError for another word."""
    return JUDGEMENTS[judgement]


def correct_from(score: float) -> bool:
    """Whether a score counts as the skill shown: at least one half, as for a teacher-scored answer."""
    return score >= 0.5
