"""Items (anything answerable) and how a response is scored. Pure: no I/O.

Kinds:

- ``choice``: one correct option among ``choices`` (the response is the option's key);
- ``numeric``: a number, correct when ``|response - answer| <= tolerance``;
- ``text``: short text, correct when it matches one accepted answer after normalising
  case and whitespace;
- ``qti``: a QTI assessment item (``Item.qti``): its declarations and response processing score a
  response dict (see ``learnpath.core.qti``); extended-text answers wait for a teacher.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from learnpath.core.qti import QtiItem, QtiResponse
from learnpath.errors import FieldError, ValidationError

__all__ = ["Choice", "Item", "ItemKind", "Score", "score_response"]

ItemKind = Literal["choice", "numeric", "text", "qti"]
ITEM_KINDS: tuple[str, ...] = ("choice", "numeric", "text", "qti")


@dataclass(frozen=True)
class Choice:
    key: str
    text: str


@dataclass(frozen=True)
class Item:
    """An answerable question aligned to one or more skills (by skill code)."""

    code: str
    kind: ItemKind
    prompt: str
    skills: tuple[str, ...]
    choices: tuple[Choice, ...] = ()
    answer: str = ""
    accepted: tuple[str, ...] = ()
    tolerance: float = 0.0
    hints: tuple[str, ...] = ()
    difficulty: float = 0.0
    explanation: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False)
    qti: QtiItem | None = None

    @property
    def teacher_scored(self) -> bool:
        """Answers are scored by a teacher (QTI extended text), so they are no evidence until scored."""
        return self.qti is not None and self.qti.teacher_scored

    def __post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise ValidationError(f"item {self.code!r} is not valid", problems)

    def problems(self) -> list[FieldError]:
        """Every reason this item cannot be scored (empty when it is fine)."""
        out: list[FieldError] = []
        if self.kind not in ITEM_KINDS:
            out.append(FieldError("kind", f"must be one of {', '.join(ITEM_KINDS)}, got {self.kind!r}"))
        if not self.prompt.strip():
            out.append(FieldError("prompt", "must not be empty"))
        if not self.skills:
            out.append(FieldError("skills", "an item must be aligned to at least one skill"))
        if self.kind == "choice":
            keys = [c.key for c in self.choices]
            if len(keys) < 2:
                out.append(FieldError("choices", f"need at least 2 choices, got {len(keys)}"))
            if len(set(keys)) != len(keys):
                out.append(FieldError("choices", "choice keys must be unique"))
            if self.answer not in keys:
                out.append(
                    FieldError("answer", f"must be one of the choice keys {keys}, got {self.answer!r}")
                )
        elif self.kind == "numeric":
            if _parse_number(self.answer) is None:
                out.append(FieldError("answer", f"must be a number, got {self.answer!r}"))
            if not (self.tolerance >= 0 and math.isfinite(self.tolerance)):
                out.append(FieldError("tolerance", f"must be a finite number >= 0, got {self.tolerance!r}"))
        elif self.kind == "text" and not (self.answer.strip() or self.accepted):
            out.append(FieldError("answer", "a text item needs an answer or accepted answers"))
        elif self.kind == "qti":
            if self.qti is None:
                out.append(FieldError("qti", "a qti item needs its QTI declarations and processing"))
            else:
                out.extend(self.qti.problems())
        return out

    def to_dict(self) -> dict[str, Any]:
        out = {
            "code": self.code,
            "kind": self.kind,
            "prompt": self.prompt,
            "skills": list(self.skills),
            "choices": [{"key": c.key, "text": c.text} for c in self.choices],
            "answer": self.answer,
            "accepted": list(self.accepted),
            "tolerance": self.tolerance,
            "hints": list(self.hints),
            "difficulty": self.difficulty,
            "explanation": self.explanation,
            "extra": dict(self.extra),
        }
        if self.qti is not None:
            out["qti"] = self.qti.to_dict()
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Item:
        return cls(
            code=str(data["code"]),
            kind=data["kind"],
            prompt=str(data["prompt"]),
            skills=tuple(data.get("skills", ())),
            choices=tuple(Choice(str(c["key"]), str(c["text"])) for c in data.get("choices", ())),
            answer=str(data.get("answer", "")),
            accepted=tuple(str(a) for a in data.get("accepted", ())),
            tolerance=float(data.get("tolerance", 0.0)),
            hints=tuple(str(h) for h in data.get("hints", ())),
            difficulty=float(data.get("difficulty", 0.0)),
            explanation=str(data.get("explanation", "")),
            extra=dict(data.get("extra", {})),
            qti=None if data.get("qti") is None else QtiItem.from_dict(data["qti"]),
        )


@dataclass(frozen=True)
class Score:
    """The outcome of scoring one response: correct or not, and a score in [0, 1].

    QTI items also give the raw score and its maximum; ``needs_teacher`` marks a response that only a
    teacher can score (an extended-text answer), whose ``score`` is 0 until then.
    """

    correct: bool
    score: float
    normalized_response: str
    raw_score: float | None = None
    max_score: float | None = None
    needs_teacher: bool = False


_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def _parse_number(text: str) -> float | None:
    """Parse '1,234.5', '3/4', ' 7 ' or '-2.5'; None when it is not a number."""
    t = text.strip().replace(" ", "")
    if "/" in t:
        num, _, den = t.partition("/")
        a, b = _parse_number(num), _parse_number(den)
        if a is None or b is None or b == 0:
            return None
        return a / b
    if re.fullmatch(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?", t):
        t = t.replace(",", "")
    if not _NUMBER.match(t):
        return None
    value = float(t)
    return value if math.isfinite(value) else None


def _normalize_text(text: str) -> str:
    return " ".join(text.strip().lower().split())


def score_response(item: Item, response: str | Mapping[str, QtiResponse]) -> Score:
    """Score ``response`` for ``item``. A response that cannot be read is simply wrong.

    A QTI item takes a dict ``{response identifier: value or list of values}``, or that dict as JSON
    text, or (with a single response declaration) the bare value; other kinds take text.
    """
    if item.qti is not None:
        return _score_qti(item.qti, response)
    if not isinstance(response, str):
        return Score(False, 0.0, "")
    if item.kind == "choice":
        r = response.strip()
        ok = r == item.answer
        return Score(ok, 1.0 if ok else 0.0, r)
    if item.kind == "numeric":
        value = _parse_number(response)
        target = _parse_number(item.answer)
        ok = value is not None and target is not None and abs(value - target) <= item.tolerance + 1e-9
        return Score(ok, 1.0 if ok else 0.0, "" if value is None else repr(value))
    accepted = {_normalize_text(a) for a in (item.answer, *item.accepted) if a.strip()}
    r = _normalize_text(response)
    ok = r in accepted
    return Score(ok, 1.0 if ok else 0.0, r)


def _score_qti(qti: QtiItem, response: str | Mapping[str, QtiResponse]) -> Score:
    responses: Mapping[str, QtiResponse]
    if isinstance(response, str):
        decoded: Any = None
        if response.lstrip().startswith("{"):
            try:
                decoded = json.loads(response)
            except json.JSONDecodeError:
                decoded = None
        if isinstance(decoded, dict):
            responses = {
                str(k): v if isinstance(v, (str, list)) or v is None else str(v) for k, v in decoded.items()
            }
        elif len(qti.scoring.responses) == 1:
            decl = qti.scoring.responses[0]
            value: QtiResponse = response
            if decl.cardinality != "single":
                value = [v.strip() for v in response.split(",")]
            responses = {decl.identifier: value}
        else:
            responses = {}
    else:
        responses = response
    normalized = json.dumps({k: responses[k] for k in sorted(responses)}, ensure_ascii=False)
    raw, top, correct = qti.score(responses)
    if qti.teacher_scored:
        return Score(False, 0.0, normalized, None, qti.max_score, True)
    fraction = min(1.0, max(0.0, raw / top)) if top > 0 else 0.0
    return Score(correct, fraction, normalized, raw, top)
