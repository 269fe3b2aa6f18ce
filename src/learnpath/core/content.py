"""Content beyond practice items: videos, readings, hands-on activities and projects. Pure: no I/O.

Every piece of content teaches one or more skills (by code) and says how it is used (``modality``: watch,
read, do, discuss), how long it takes (``minutes``), for which grades (a :class:`GradeBand`, K..12) and
which interests it speaks to (``tags``, normalised to lower-case words joined by ``-``).

Rules (``Content.problems`` lists every one that is broken, each as a :class:`ContentProblem` with a
stable ``code`` the UI translates):

- a video needs a link or an uploaded file, and a duration;
- a reading needs its text or a link; an activity needs its instructions;
- a project needs instructions and a rubric (criteria x levels, each cell a descriptor and points);
- links are ``http``/``https`` only, with a host and no credentials;
- ``minutes`` is a whole number in 1..600; the grade band is ordered (``low <= high``).

``sniff_video`` tells a video's media type from its first bytes (never from its file name).
"""

from __future__ import annotations

import itertools
import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any, Literal
from urllib.parse import urlsplit

from learnpath.errors import FieldError, ValidationError

__all__ = [
    "CONTENT_KINDS",
    "DEFAULT_MODALITY",
    "MODALITIES",
    "VIDEO_TYPES",
    "Content",
    "ContentKind",
    "ContentProblem",
    "GradeBand",
    "Modality",
    "Rubric",
    "RubricCell",
    "RubricCriterion",
    "content_from_fields",
    "link_problem",
    "normalise_tags",
    "parse_duration",
    "sniff_video",
]

ContentKind = Literal["video", "reading", "activity", "project"]
Modality = Literal["watch", "read", "do", "discuss"]
CONTENT_KINDS: tuple[ContentKind, ...] = ("video", "reading", "activity", "project")
MODALITIES: tuple[Modality, ...] = ("watch", "read", "do", "discuss")
DEFAULT_MODALITY: dict[str, Modality] = {
    "video": "watch",
    "reading": "read",
    "activity": "do",
    "project": "do",
}
VIDEO_TYPES: dict[str, str] = {"video/mp4": "mp4", "video/webm": "webm", "video/ogg": "ogv"}
"""Media types we accept for uploaded videos -> the file extension we store them under."""

MAX_MINUTES = 600
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$")
LIMITS = {"title": 300, "title_es": 300, "summary": 1000, "summary_es": 1000, "body": 20000, "body_es": 20000}


@dataclass(frozen=True)
class ContentProblem(FieldError):
    """A field error with a stable ``code`` (and its ``params``) so the UI can say it in the reader's words."""

    code: str = ""
    params: tuple[tuple[str, str], ...] = ()


def _p(field_name: str, code: str, message: str, **params: object) -> ContentProblem:
    return ContentProblem(field_name, message, code, tuple((k, str(v)) for k, v in params.items()))


# -- grade bands -------------------------------------------------------------------------------------


def _grade(text: str) -> int | None:
    t = text.strip().upper()
    if t in ("K", "0"):
        return 0
    if t.isdigit() and 1 <= int(t) <= 12:
        return int(t)
    return None


@dataclass(frozen=True, order=True)
class GradeBand:
    """Grades ``low`` to ``high`` (0 is kindergarten, K), both included."""

    low: int
    high: int

    def problems(self, field_name: str = "grade_band") -> list[ContentProblem]:
        if not (0 <= self.low <= 12 and 0 <= self.high <= 12):
            return [_p(field_name, "grade", "grades go from K to 12")]
        if self.low > self.high:
            return [_p(field_name, "grade_order", "the first grade must not be above the last")]
        return []

    @property
    def label(self) -> str:
        def name(g: int) -> str:
            return "K" if g == 0 else str(g)

        return name(self.low) if self.low == self.high else f"{name(self.low)}-{name(self.high)}"

    def __contains__(self, grade: object) -> bool:
        return isinstance(grade, int) and self.low <= grade <= self.high

    @classmethod
    def parse(cls, text: str, field_name: str = "grade_band") -> GradeBand:
        """``"K-2"``, ``"3-5"``, ``"4"``, ``"K"`` (an en dash or "to" also separate the two)."""
        raw = text.strip().replace("–", "-").replace(" to ", "-")
        low_text, sep, high_text = raw.partition("-")
        low = _grade(low_text)
        high = _grade(high_text) if sep else low
        if low is None or high is None:
            raise ValidationError(
                f"{field_name}: expected a grade or a band such as K-2 or 3-5, got {text!r}",
                [_p(field_name, "grade", f"expected a grade or a band such as K-2 or 3-5, got {text!r}")],
            )
        band = cls(low, high)
        if problems := band.problems(field_name):
            raise ValidationError(f"{field_name}: {problems[0].message}", list(problems))
        return band


# -- rubrics -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RubricCell:
    descriptor: str
    points: float


@dataclass(frozen=True)
class RubricCriterion:
    """One row of a rubric: what is judged, and a descriptor with points for each level."""

    name: str
    cells: tuple[RubricCell, ...]


@dataclass(frozen=True)
class Rubric:
    """Criteria x levels. ``levels`` are ordered from lowest to highest; each criterion has one cell per level.

    Text form (CSV cells and the web form): ``levels`` as ``Starting | Getting there | Got it`` and the
    criteria one per line (or separated by ``;``) as ``Name: descriptor (1) | descriptor (2) | ...``.
    """

    levels: tuple[str, ...]
    criteria: tuple[RubricCriterion, ...]

    @property
    def max_points(self) -> float:
        return sum(max((c.points for c in crit.cells), default=0.0) for crit in self.criteria)

    def problems(self, field_name: str = "rubric") -> list[ContentProblem]:
        out: list[ContentProblem] = []
        if len(self.levels) < 2:
            out.append(_p(field_name, "rubric_levels", "a rubric needs at least 2 levels"))
        if any(not level.strip() for level in self.levels):
            out.append(_p(field_name, "rubric_level_name", "every level needs a name"))
        if not self.criteria:
            out.append(_p(field_name, "rubric_criteria", "a rubric needs at least 1 criterion"))
        names = [c.name.strip().lower() for c in self.criteria]
        if len(set(names)) != len(names):
            out.append(_p(field_name, "rubric_duplicate", "two criteria have the same name"))
        for crit in self.criteria:
            where = crit.name or "?"
            if not crit.name.strip():
                out.append(_p(field_name, "rubric_criterion_name", "every criterion needs a name"))
            if len(crit.cells) != len(self.levels):
                out.append(
                    _p(
                        field_name,
                        "rubric_cells",
                        f"criterion {where!r} has {len(crit.cells)} cells for {len(self.levels)} levels",
                        name=where,
                        got=len(crit.cells),
                        want=len(self.levels),
                    )
                )
            if any(not c.descriptor.strip() for c in crit.cells):
                out.append(
                    _p(
                        field_name,
                        "rubric_descriptor",
                        f"criterion {where!r} has an empty descriptor",
                        name=where,
                    )
                )
            points = [c.points for c in crit.cells]
            if any(not (math.isfinite(p) and p >= 0) for p in points):
                out.append(
                    _p(field_name, "rubric_points", f"criterion {where!r}: points must be >= 0", name=where)
                )
            elif any(b < a for a, b in itertools.pairwise(points)):
                out.append(
                    _p(
                        field_name,
                        "rubric_order",
                        f"criterion {where!r}: points must not go down from one level to the next",
                        name=where,
                    )
                )
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "levels": list(self.levels),
            "criteria": [
                {"name": c.name, "cells": [{"descriptor": x.descriptor, "points": x.points} for x in c.cells]}
                for c in self.criteria
            ],
            "max_points": self.max_points,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Rubric:
        return cls(
            tuple(str(v) for v in data.get("levels", ())),
            tuple(
                RubricCriterion(
                    str(c.get("name", "")),
                    tuple(
                        RubricCell(str(x.get("descriptor", "")), float(x.get("points", 0)))
                        for x in c.get("cells", ())
                    ),
                )
                for c in data.get("criteria", ())
            ),
        )

    def levels_text(self) -> str:
        return " | ".join(self.levels)

    def criteria_text(self) -> str:
        return "\n".join(
            f"{c.name}: " + " | ".join(f"{x.descriptor} ({x.points:g})" for x in c.cells)
            for c in self.criteria
        )

    @classmethod
    def parse(cls, levels: str, criteria: str, field_name: str = "rubric") -> Rubric:
        """The text form (see the class); a JSON object in ``criteria`` is read with :meth:`from_dict`."""
        if criteria.strip().startswith("{"):
            try:
                data = json.loads(criteria)
                if not isinstance(data, dict):
                    raise TypeError("not an object")
                return cls.from_dict(data)
            except (ValueError, TypeError, AttributeError) as exc:
                raise ValidationError.for_field(field_name, f"is not a rubric in JSON: {exc}") from exc
        level_names = tuple(v.strip() for v in levels.split("|") if v.strip())
        out = []
        problems: list[FieldError] = []
        for n, line in enumerate(re.split(r"[;\n]", criteria), start=1):
            if not line.strip():
                continue
            name, sep, rest = line.partition(":")
            if not sep:
                problems.append(
                    _p(
                        field_name,
                        "rubric_syntax",
                        f"criterion {n}: expected 'Name: descriptor (points) | ...'",
                    )
                )
                continue
            cells = []
            for cell in rest.split("|"):
                m = re.fullmatch(
                    r"\s*(.*?)\s*\(\s*([-+]?\d+(?:\.\d+)?)\s*(?:points?|pts?|puntos?)?\s*\)\s*", cell
                )
                if m is None:
                    problems.append(
                        _p(
                            field_name,
                            "rubric_syntax",
                            f"criterion {name.strip()!r}: each cell is 'descriptor (points)', got {cell.strip()!r}",
                        )
                    )
                    continue
                cells.append(RubricCell(m.group(1), float(m.group(2))))
            out.append(RubricCriterion(name.strip(), tuple(cells)))
        if problems:
            raise ValidationError(f"{field_name}: {problems[0].message}", problems)
        return cls(level_names, tuple(out))


# -- small parsers and checks ------------------------------------------------------------------------


def normalise_tags(tags: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Lower-case, trimmed, inner spaces as ``-``, duplicates dropped (first order kept); ``,``/``;`` split."""
    raw = re.split(r"[,;]", tags) if isinstance(tags, str) else list(tags)
    out: dict[str, None] = {}
    for tag in raw:
        t = unicodedata.normalize("NFC", tag).strip().lower()
        t = re.sub(r"[\s_]+", "-", t).strip("-")
        if t:
            out[t] = None
    return tuple(out)


def link_problem(url: str, field_name: str = "url") -> ContentProblem | None:
    """Why ``url`` is not an acceptable link (http or https, a host, no credentials), or None."""
    if len(url) > 2000:
        return _p(field_name, "url", "a link must be at most 2000 characters")
    if any(c.isspace() or ord(c) < 32 for c in url):
        return _p(field_name, "url", "a link must not contain spaces")
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a bad port)
    except ValueError:
        return _p(field_name, "url", f"is not a valid link: {url!r}")
    if parts.scheme.lower() not in ("http", "https"):
        return _p(field_name, "url_scheme", f"links must start with http:// or https://, got {url!r}")
    if not host:
        return _p(field_name, "url", f"the link has no host: {url!r}")
    if parts.username or parts.password:
        return _p(field_name, "url", "links must not carry a user name or password")
    return None


def parse_duration(text: str, field_name: str = "duration") -> int:
    """Seconds from ``"95"``, ``"1:35"`` or ``"1:02:03"``."""
    parts = text.strip().split(":")
    if not (1 <= len(parts) <= 3) or not all(p.strip().isdigit() for p in parts):
        raise ValidationError(
            f"{field_name}: expected seconds or m:ss, got {text!r}",
            [_p(field_name, "duration", f"expected seconds or m:ss, got {text!r}")],
        )
    seconds = 0
    for p in parts:
        seconds = seconds * 60 + int(p)
    return seconds


def sniff_video(head: bytes) -> str | None:
    """The media type of a video from its first bytes (MP4, WebM, Ogg), or None when it is none of them."""
    if len(head) >= 12 and head[4:8] == b"ftyp":
        brand = head[8:12]
        return None if brand == b"qt  " else "video/mp4"
    if head.startswith(b"\x1a\x45\xdf\xa3") and b"webm" in head[:64]:
        return "video/webm"
    if head.startswith(b"OggS"):
        return "video/ogg"
    return None


# -- content -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Content:
    """A video, reading, activity or project that teaches skills (codes). Validated on construction."""

    code: str
    kind: ContentKind
    title: str
    modality: Modality
    minutes: int
    grades: GradeBand
    skills: tuple[str, ...]
    tags: tuple[str, ...] = ()
    title_es: str = ""
    summary: str = ""
    summary_es: str = ""
    body: str = ""
    body_es: str = ""
    url: str = ""
    video_file: str = ""
    duration_s: int | None = None
    rubric: Rubric | None = None
    difficulty: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", normalise_tags(self.tags))
        object.__setattr__(self, "skills", tuple(dict.fromkeys(s.strip() for s in self.skills if s.strip())))
        if problems := self.problems():
            raise ValidationError(
                f"content {self.code!r} is not valid: {problems[0].message}", list(problems)
            )

    def problems(self) -> list[ContentProblem]:
        """Every rule this content breaks (empty when it is fine)."""
        out: list[ContentProblem] = []
        if not CODE.match(self.code):
            out.append(
                _p(
                    "code",
                    "code",
                    "use 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit",
                )
            )
        if self.kind not in CONTENT_KINDS:
            out.append(
                _p(
                    "kind",
                    "one_of",
                    f"must be one of {', '.join(CONTENT_KINDS)}",
                    allowed=", ".join(CONTENT_KINDS),
                )
            )
        if self.modality not in MODALITIES:
            out.append(
                _p(
                    "modality",
                    "one_of",
                    f"must be one of {', '.join(MODALITIES)}",
                    allowed=", ".join(MODALITIES),
                )
            )
        if not self.title.strip():
            out.append(_p("title", "required", "must not be empty"))
        for name, limit in LIMITS.items():
            if len(getattr(self, name)) > limit:
                out.append(_p(name, "too_long", f"must be at most {limit} characters", limit=limit))
        if not (isinstance(self.minutes, int) and 1 <= self.minutes <= MAX_MINUTES):
            out.append(
                _p("minutes", "minutes", f"must be a whole number from 1 to {MAX_MINUTES}", limit=MAX_MINUTES)
            )
        out.extend(self.grades.problems())
        if not self.skills:
            out.append(_p("skills", "skills_required", "name at least one skill this teaches"))
        if len(self.tags) > MAX_TAGS:
            out.append(_p("tags", "tags_many", f"at most {MAX_TAGS} tags", limit=MAX_TAGS))
        for tag in self.tags:
            if len(tag) > MAX_TAG_LENGTH or not re.fullmatch(r"[\w-]+", tag):
                out.append(
                    _p("tags", "tag", f"tag {tag!r}: use words of letters and digits (at most 40)", tag=tag)
                )
        if self.url and (problem := link_problem(self.url)):
            out.append(problem)
        if not (math.isfinite(self.difficulty) and -6 <= self.difficulty <= 6):
            out.append(_p("difficulty", "difficulty", "must be a number from -6 (easy) to 6 (hard)"))
        if self.duration_s is not None and not (0 < self.duration_s <= 24 * 3600):
            out.append(_p("duration", "duration", "must be more than 0 seconds and at most a day"))
        if self.kind == "video":
            if not (self.url or self.video_file):
                out.append(_p("url", "video_source", "a video needs a link or an uploaded file"))
            if self.duration_s is None:
                out.append(_p("duration", "video_duration", "a video needs its duration"))
        elif self.duration_s is not None:
            out.append(_p("duration", "duration_video_only", "only videos have a duration"))
        if self.kind == "reading" and not (self.body.strip() or self.url):
            out.append(_p("body", "reading_text", "a reading needs its text or a link"))
        if self.kind in ("activity", "project") and not self.body.strip():
            out.append(_p("body", "instructions", "write the instructions"))
        if self.kind == "project" and self.rubric is None:
            out.append(_p("rubric", "rubric_required", "a project needs a rubric"))
        if self.rubric is not None:
            out.extend(self.rubric.problems())
        return out

    def title_in(self, locale: str) -> str:
        return self.title_es if locale == "es" and self.title_es else self.title

    def summary_in(self, locale: str) -> str:
        return self.summary_es if locale == "es" and self.summary_es else self.summary

    def body_in(self, locale: str) -> str:
        return self.body_es if locale == "es" and self.body_es else self.body

    def with_changes(self, **changes: Any) -> Content:
        """A copy with ``changes`` applied, validated again."""
        return replace(self, **changes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "title": self.title,
            "title_es": self.title_es,
            "modality": self.modality,
            "minutes": self.minutes,
            "grade_low": self.grades.low,
            "grade_high": self.grades.high,
            "skills": list(self.skills),
            "tags": list(self.tags),
            "summary": self.summary,
            "summary_es": self.summary_es,
            "body": self.body,
            "body_es": self.body_es,
            "url": self.url,
            "video_file": self.video_file,
            "duration_s": self.duration_s,
            "rubric": None if self.rubric is None else self.rubric.to_dict(),
            "difficulty": self.difficulty,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Content:
        rubric = data.get("rubric")
        return cls(
            code=str(data["code"]),
            kind=data["kind"],
            title=str(data["title"]),
            title_es=str(data.get("title_es", "")),
            modality=data["modality"],
            minutes=int(data["minutes"]),
            grades=GradeBand(int(data["grade_low"]), int(data["grade_high"])),
            skills=tuple(data.get("skills", ())),
            tags=tuple(data.get("tags", ())),
            summary=str(data.get("summary", "")),
            summary_es=str(data.get("summary_es", "")),
            body=str(data.get("body", "")),
            body_es=str(data.get("body_es", "")),
            url=str(data.get("url", "")),
            video_file=str(data.get("video_file", "")),
            duration_s=None if data.get("duration_s") is None else int(data["duration_s"]),
            rubric=None if rubric is None else Rubric.from_dict(rubric),
            difficulty=float(data.get("difficulty", 0.0)),
        )


FIELDS = (
    "code", "kind", "title", "title_es", "modality", "minutes", "grade_band", "skills", "tags", "summary",
    "summary_es", "body", "body_es", "url", "duration", "rubric_levels", "rubric", "difficulty",
)  # fmt: skip
"""The text fields of a content form or CSV row (what :func:`content_from_fields` reads)."""


def content_from_fields(fields: Mapping[str, str], video_file: str = "") -> Content:
    """Content from text fields (a web form or a CSV row), with every problem reported at once.

    Lists (``skills``, ``tags``) are separated by ``;`` or ``,``; ``modality`` defaults from the kind;
    ``duration`` is seconds or m:ss; the rubric is in :class:`Rubric`'s text form.
    """

    def get(name: str) -> str:
        return (fields.get(name) or "").strip()

    problems: list[FieldError] = []
    kind = get("kind").lower()
    modality = get("modality").lower() or DEFAULT_MODALITY.get(kind, "")
    minutes = 0
    if not get("minutes"):
        problems.append(_p("minutes", "required", "must not be empty"))
    elif not get("minutes").isdigit():
        problems.append(
            _p("minutes", "minutes", f"must be a whole number from 1 to {MAX_MINUTES}", limit=MAX_MINUTES)
        )
    else:
        minutes = int(get("minutes"))
    grades = GradeBand(0, 0)
    if not get("grade_band"):
        problems.append(_p("grade_band", "required", "must not be empty"))
    else:
        try:
            grades = GradeBand.parse(get("grade_band"))
        except ValidationError as exc:
            problems.extend(exc.errors)
    duration: int | None = None
    if get("duration"):
        try:
            duration = parse_duration(get("duration"))
        except ValidationError as exc:
            problems.extend(exc.errors)
    rubric: Rubric | None = None
    if get("rubric"):
        try:
            rubric = Rubric.parse(get("rubric_levels"), get("rubric"))
        except ValidationError as exc:
            problems.extend(exc.errors)
    difficulty = 0.0
    if get("difficulty"):
        try:
            difficulty = float(get("difficulty").replace(",", "."))
        except ValueError:
            problems.append(_p("difficulty", "difficulty", "must be a number from -6 (easy) to 6 (hard)"))
    for name, value in (("title", get("title")), ("code", get("code")), ("kind", kind)):
        if not value:
            problems.append(_p(name, "required", "must not be empty"))
    try:
        content = Content(
            code=get("code"),
            kind=kind,  # type: ignore[arg-type]
            title=get("title"),
            title_es=get("title_es"),
            modality=modality,  # type: ignore[arg-type]
            minutes=minutes,
            grades=grades,
            skills=tuple(re.split(r"[;,]", get("skills"))),
            tags=normalise_tags(get("tags")),
            summary=get("summary"),
            summary_es=get("summary_es"),
            body=(fields.get("body") or "").strip(),
            body_es=(fields.get("body_es") or "").strip(),
            url=get("url"),
            video_file=video_file,
            duration_s=duration,
            rubric=rubric,
            difficulty=difficulty,
        )
    except ValidationError as exc:
        # report each field once: the parse problem above wins over the follow-on rule problem
        seen = {p.field for p in problems}
        problems.extend(e for e in exc.errors if e.field not in seen)
    if problems:
        raise ValidationError(
            f"the content is not valid: {problems[0].field}: {problems[0].message}", problems
        )
    return content
