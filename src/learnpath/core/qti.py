"""QTI response processing: declarations, the standard templates and a rule interpreter. Pure: no I/O.

The model follows QTI 3.0 (QTI 2.x is converted to it on input by ``learnpath.interop.qti``):

- a ``ResponseDeclaration`` has a cardinality (single, multiple, ordered), a base type, correct
  values, and optionally a ``ValueMapping`` (map entries with case sensitivity, a default value and
  lower/upper bounds) or an ``AreaMapping`` (shapes on an image, for points);
- ``ResponseProcessing`` is either a standard template (``match_correct``, ``map_response``,
  ``map_response_point``) or a tree of ``Rule`` nodes named as in QTI 3 without the ``qti-`` prefix
  (``response-condition``, ``match``, ``sum``, ...). Templates are expanded to rules, so one
  interpreter scores everything;
- ``QtiScoring.score(responses)`` returns ``QtiScore(score, max_score, correct)`` from the outcome
  ``SCORE``. The maximum is SCORE's ``normal-maximum`` if declared, else MAXSCORE's default, else the
  best score of the correct response and of the best mapped response.

Values inside the interpreter are ``_V`` containers; NULL is ``None`` (an empty container is NULL).
"""

from __future__ import annotations

import contextlib
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from learnpath.errors import FieldError, ValidationError

__all__ = [
    "FORM_PREFIX",
    "AreaMapEntry",
    "AreaMapping",
    "Interaction",
    "MapEntry",
    "OutcomeDeclaration",
    "QtiItem",
    "QtiResponse",
    "QtiScore",
    "QtiScoring",
    "ResponseDeclaration",
    "ResponseProcessing",
    "Rule",
    "ValueMapping",
    "responses_from_form",
    "template_rules",
    "unsupported_operators",
]

CARDINALITIES = ("single", "multiple", "ordered", "record")
BASE_TYPES = tuple(
    "identifier string integer float boolean point pair directedPair duration file uri".split()
)
TEMPLATES = ("match_correct", "map_response", "map_response_point")
INTERACTION_KINDS = ("choice", "text-entry", "inline-choice", "extended-text")
FORM_PREFIX = "qti:"
"""Form fields named ``qti:<response identifier>`` carry responses (see ``responses_from_form``)."""

QtiResponse = str | Sequence[str] | None
"""One response variable's value: text, a list of texts (multiple/ordered), or None (no answer)."""


@dataclass(frozen=True)
class MapEntry:
    key: str
    value: float
    case_sensitive: bool = True


@dataclass(frozen=True)
class ValueMapping:
    entries: tuple[MapEntry, ...]
    default_value: float = 0.0
    lower_bound: float | None = None
    upper_bound: float | None = None


@dataclass(frozen=True)
class AreaMapEntry:
    shape: str  # rect, circle, ellipse, poly, default
    coords: tuple[float, ...]
    value: float


@dataclass(frozen=True)
class AreaMapping:
    entries: tuple[AreaMapEntry, ...]
    default_value: float = 0.0
    lower_bound: float | None = None
    upper_bound: float | None = None


@dataclass(frozen=True)
class ResponseDeclaration:
    identifier: str
    cardinality: str
    base_type: str
    correct: tuple[str, ...] = ()
    mapping: ValueMapping | None = None
    area_mapping: AreaMapping | None = None


@dataclass(frozen=True)
class OutcomeDeclaration:
    identifier: str
    cardinality: str = "single"
    base_type: str = "float"
    default: tuple[str, ...] = ()
    normal_maximum: float | None = None


@dataclass(frozen=True)
class Rule:
    """One node of a response-processing tree: QTI 3 element name without ``qti-``, attributes, text."""

    op: str
    attrs: tuple[tuple[str, str], ...] = ()
    children: tuple[Rule, ...] = ()
    text: str = ""

    def attr(self, name: str, default: str = "") -> str:
        return next((v for k, v in self.attrs if k == name), default)

    def walk(self) -> Iterable[Rule]:
        yield self
        for c in self.children:
            yield from c.walk()


@dataclass(frozen=True)
class ResponseProcessing:
    """A standard template (by name) or custom rules; both empty means "no processing"."""

    template: str = ""
    rules: tuple[Rule, ...] = ()


class QtiScore(NamedTuple):
    score: float
    max_score: float
    correct: bool


# ---------------------------------------------------------------- values and the interpreter


@dataclass(frozen=True)
class _V:
    card: str
    base: str
    items: tuple[Any, ...]

    @property
    def one(self) -> Any:
        return self.items[0]


def _scalar(base: str, text: str) -> Any:
    """Parse one QTI value of ``base`` type; None when it cannot be read."""
    t = text.strip()
    try:
        if base in ("integer",):
            return int(float(t)) if re.fullmatch(r"[+-]?\d+(\.0*)?", t) else None
        if base in ("float", "duration"):
            v = float(t)
            return v if math.isfinite(v) else None
        if base == "boolean":
            return {"true": True, "1": True, "false": False, "0": False}.get(t.lower())
        if base == "point":
            x, y = t.split()
            return (int(x), int(y))
        if base == "pair":
            a, b = t.split()
            return tuple(sorted((a, b)))
        if base == "directedPair":
            a, b = t.split()
            return (a, b)
    except ValueError:
        return None
    return t or None


def _make(card: str, base: str, items: Iterable[Any]) -> _V | None:
    values = tuple(v for v in items if v is not None)
    return _V(card, base, values) if values else None


def _bool(v: bool | None) -> _V | None:
    return None if v is None else _V("single", "boolean", (v,))


def _num(v: float | None, base: str = "float") -> _V | None:
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return None
    return _V("single", base, (v,))


def _numbers(vals: Sequence[_V | None]) -> list[float] | None:
    out: list[float] = []
    for v in vals:
        if v is None or not all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v.items):
            return None
        out.extend(v.items)
    return out


def _base_of(vals: Sequence[_V | None]) -> str:
    return "integer" if all(v is not None and v.base == "integer" for v in vals) else "float"


def _same(a: _V, b: _V) -> bool:
    if a.card == "ordered" or b.card == "ordered":
        return a.items == b.items
    return Counter(a.items) == Counter(b.items)


def _key_matches(entry: MapEntry, base: str, value: Any) -> bool:
    key = _scalar(base, entry.key)
    if isinstance(key, str) and isinstance(value, str) and not entry.case_sensitive:
        return key.casefold() == value.casefold()
    return bool(key == value)


def _bounded(total: float, lower: float | None, upper: float | None) -> float:
    if lower is not None:
        total = max(total, lower)
    if upper is not None:
        total = min(total, upper)
    return total


def _map_value(decl: ResponseDeclaration, v: _V | None) -> float:
    m = decl.mapping
    if m is None:
        return 0.0
    values = [] if v is None else list(dict.fromkeys(v.items))
    if decl.cardinality == "single" and not values:
        return _bounded(m.default_value, m.lower_bound, m.upper_bound)
    total = 0.0
    used: set[int] = set()
    for value in values:
        hit = next((i for i, e in enumerate(m.entries) if _key_matches(e, decl.base_type, value)), None)
        if hit is None:
            total += m.default_value
        elif hit not in used:
            used.add(hit)
            total += m.entries[hit].value
    return _bounded(total, m.lower_bound, m.upper_bound)


def _inside(shape: str, c: tuple[float, ...], x: float, y: float) -> bool:
    if shape == "default":
        return True
    if shape == "rect" and len(c) >= 4:
        return min(c[0], c[2]) <= x <= max(c[0], c[2]) and min(c[1], c[3]) <= y <= max(c[1], c[3])
    if shape == "circle" and len(c) >= 3:
        return (x - c[0]) ** 2 + (y - c[1]) ** 2 <= c[2] ** 2
    if shape == "ellipse" and len(c) >= 4 and c[2] > 0 and c[3] > 0:
        return ((x - c[0]) / c[2]) ** 2 + ((y - c[1]) / c[3]) ** 2 <= 1
    if shape == "poly" and len(c) >= 6:
        pts = list(zip(c[0::2], c[1::2], strict=False))
        inside = False
        for (x1, y1), (x2, y2) in zip(pts, pts[1:] + pts[:1], strict=True):
            if (y1 > y) != (y2 > y) and x < (x2 - x1) * (y - y1) / (y2 - y1) + x1:
                inside = not inside
        return inside
    return False


def _map_point(decl: ResponseDeclaration, v: _V | None) -> float:
    m = decl.area_mapping
    if m is None:
        return 0.0
    total, hit_areas = 0.0, set()
    for x, y in [] if v is None else v.items:
        hits = [i for i, e in enumerate(m.entries) if _inside(e.shape, e.coords, x, y)]
        if not hits:
            total += m.default_value
        for i in hits:
            if i not in hit_areas:
                hit_areas.add(i)
                total += m.entries[i].value
    return _bounded(total, m.lower_bound, m.upper_bound)


class _Exit(Exception):
    pass


_RULE_OPS = frozenset(
    (
        "response-condition response-if response-else-if response-else set-outcome-value exit-response "
        "response-processing-fragment"
    ).split()
)
_EXPR_OPS = frozenset(
    (
        "base-value variable correct default null is-null map-response map-response-point match and or "
        "not sum product subtract divide min max multiple ordered member contains delete index "
        "container-size equal equal-rounded gt gte lt lte round truncate integer-divide integer-modulus "
        "integer-to-float string-match substring pattern-match any-n"
    ).split()
)


def unsupported_operators(rules: Iterable[Rule]) -> list[str]:
    """Names of rule/expression elements this interpreter cannot run (empty when all are known)."""
    found = {r.op for rule in rules for r in rule.walk()}
    return sorted(found - _RULE_OPS - _EXPR_OPS)


class _Run:
    def __init__(self, scoring: QtiScoring, responses: Mapping[str, _V | None]) -> None:
        self.decls = {d.identifier: d for d in scoring.responses}
        self.env: dict[str, _V | None] = dict(responses)
        for o in scoring.outcomes:
            if o.default:
                self.env[o.identifier] = _make(
                    o.cardinality, o.base_type, (_scalar(o.base_type, t) for t in o.default)
                )
            elif o.base_type in ("float", "integer") and o.cardinality == "single":
                self.env[o.identifier] = _V("single", o.base_type, (0 if o.base_type == "integer" else 0.0,))
            else:
                self.env[o.identifier] = None
        self.outcome_types = {o.identifier: o for o in scoring.outcomes}

    def run(self, rules: Sequence[Rule]) -> None:
        with contextlib.suppress(_Exit):
            self.rules(rules)

    def rules(self, rules: Sequence[Rule]) -> None:
        for r in rules:
            self.rule(r)

    def rule(self, r: Rule) -> None:
        if r.op == "response-condition":
            for branch in r.children:
                if branch.op == "response-else":
                    self.rules(branch.children)
                    return
                cond = self.expr(branch.children[0]) if branch.children else None
                if cond is not None and cond.items[0] is True:
                    self.rules(branch.children[1:])
                    return
        elif r.op == "set-outcome-value":
            value = self.expr(r.children[0]) if r.children else None
            decl = self.outcome_types.get(r.attr("identifier"))
            if value is not None and decl is not None and decl.base_type == "float":
                value = _V(decl.cardinality, "float", tuple(float(x) for x in value.items))
            self.env[r.attr("identifier")] = value
        elif r.op == "exit-response":
            raise _Exit
        elif r.op == "response-processing-fragment":
            self.rules(r.children)

    def expr(self, e: Rule) -> _V | None:
        op, kids = e.op, [self.expr(c) for c in e.children] if e.op not in ("and", "or") else []
        if op == "base-value":
            base = e.attr("base-type", "string")
            return _make("single", base, (_scalar(base, e.text),))
        if op == "variable":
            return self.env.get(e.attr("identifier"))
        if op in ("correct", "map-response", "map-response-point"):
            decl = self.decls.get(e.attr("identifier"))
            if decl is None:
                return None
            if op == "correct":
                return _make(
                    decl.cardinality, decl.base_type, (_scalar(decl.base_type, t) for t in decl.correct)
                )
            value = self.env.get(decl.identifier)
            return _num(_map_value(decl, value) if op == "map-response" else _map_point(decl, value))
        if op == "default":
            o = self.outcome_types.get(e.attr("identifier"))
            return (
                None
                if o is None
                else _make(o.cardinality, o.base_type, (_scalar(o.base_type, t) for t in o.default))
            )
        if op == "null":
            return None
        if op == "is-null":
            return _bool(kids[0] is None)
        if op in ("and", "or"):
            vals = [self.expr(c) for c in e.children]
            flags = [None if v is None else bool(v.items[0]) for v in vals]
            if op == "and":
                return _bool(False if False in flags else (None if None in flags else True))
            return _bool(True if True in flags else (None if None in flags else False))
        if op == "not":
            return None if kids[0] is None else _bool(not kids[0].items[0])
        if op == "match":
            a, b = kids[0], kids[1]
            return None if a is None or b is None else _bool(_same(a, b))
        if op in ("multiple", "ordered"):
            return _make(
                op, next((k.base for k in kids if k), "identifier"), (x for k in kids if k for x in k.items)
            )
        if op == "member":
            a, b = kids[0], kids[1]
            return None if a is None or b is None else _bool(a.one in b.items)
        if op == "contains":
            a, b = kids[0], kids[1]
            if a is None or b is None:
                return None
            if a.card == "ordered":
                n = len(b.items)
                return _bool(any(a.items[i : i + n] == b.items for i in range(len(a.items) - n + 1)))
            return _bool(not (Counter(b.items) - Counter(a.items)))
        if op == "delete":
            a, b = kids[0], kids[1]
            return (
                None if a is None or b is None else _make(b.card, b.base, (x for x in b.items if x != a.one))
            )
        if op == "index":
            n_text = e.attr("n", "1")
            n_var = self.env.get(n_text)
            n = int(n_var.one) if n_var is not None else (int(n_text) if n_text.lstrip("-").isdigit() else 0)
            a = kids[0]
            return (
                None if a is None or not 1 <= n <= len(a.items) else _V("single", a.base, (a.items[n - 1],))
            )
        if op == "container-size":
            return _num(0 if kids[0] is None else len(kids[0].items), "integer")
        if op == "any-n":
            flags2 = [None if v is None else bool(v.one) for v in kids]
            lo, hi, yes = int(e.attr("min", "0")), int(e.attr("max", "0")), flags2.count(True)
            if lo <= yes <= hi:
                return _bool(True)
            return None if lo <= yes + flags2.count(None) <= hi else _bool(False)
        if op in ("string-match", "substring"):
            a, b = kids[0], kids[1]
            if a is None or b is None:
                return None
            x, y = str(a.one), str(b.one)
            if e.attr("case-sensitive", "true").lower() in ("false", "0"):
                x, y = x.casefold(), y.casefold()
            if op == "substring" or e.attr("substring").lower() in ("true", "1"):
                return _bool(x in y)
            return _bool(x == y)
        if op == "pattern-match":
            a = kids[0]
            return None if a is None else _bool(re.fullmatch(e.attr("pattern"), str(a.one)) is not None)
        return self.numeric(e, op, kids)

    def numeric(self, e: Rule, op: str, kids: list[_V | None]) -> _V | None:
        nums = _numbers(kids)
        if nums is None or not nums:
            return None
        base = _base_of(kids)
        if op == "sum":
            return _num(sum(nums), base)
        if op == "product":
            return _num(math.prod(nums), base)
        if op in ("min", "max"):
            return _num(min(nums) if op == "min" else max(nums), base)
        if op == "integer-to-float":
            return _num(float(nums[0]))
        if op in ("round", "truncate"):
            x = nums[0]
            return _num(math.floor(x + 0.5) if op == "round" else math.trunc(x), "integer")
        if len(nums) < 2:
            return None
        a, b = nums[0], nums[1]
        if op == "subtract":
            return _num(a - b, base)
        if op == "divide":
            return None if b == 0 else _num(a / b)
        if op in ("integer-divide", "integer-modulus"):
            return None if b == 0 else _num(a // b if op == "integer-divide" else a % b, "integer")
        if op in ("gt", "gte", "lt", "lte"):
            return _bool({"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op])
        if op == "equal":
            mode = e.attr("tolerance-mode", "exact")
            tol = [float(t) for t in e.attr("tolerance", "0").split()] or [0.0]
            t0, t1 = tol[0], tol[-1]
            if mode == "exact":
                return _bool(a == b)
            lo, hi = (a - t0, a + t1) if mode == "absolute" else (a * (1 - t0 / 100), a * (1 + t1 / 100))
            inc_lo = e.attr("include-lower-bound", "true").lower() != "false"
            inc_hi = e.attr("include-upper-bound", "true").lower() != "false"
            return _bool((lo <= b if inc_lo else lo < b) and (b <= hi if inc_hi else b < hi))
        if op == "equal-rounded":
            figures = int(e.attr("figures", "0") or 0)
            if e.attr("rounding-mode", "significantFigures") == "decimalPlaces":
                return _bool(round(a, figures) == round(b, figures))
            return _bool(_sig(a, figures) == _sig(b, figures))
        return None


def _sig(x: float, figures: int) -> float:
    if x == 0 or figures <= 0:
        return 0.0 if figures <= 0 else x
    return round(x, figures - 1 - math.floor(math.log10(abs(x))))


# ---------------------------------------------------------------- templates and scoring


def template_rules(template: str, response_id: str = "RESPONSE") -> tuple[Rule, ...]:
    """The rules of a standard template applied to ``response_id`` (QTI names them for RESPONSE)."""
    var = Rule("variable", (("identifier", response_id),))

    def set_score(expr: Rule) -> Rule:
        return Rule("set-outcome-value", (("identifier", "SCORE"),), (expr,))

    zero, one = (Rule("base-value", (("base-type", "float"),), text=t) for t in ("0", "1"))
    if template == "match_correct":
        test = Rule("match", children=(var, Rule("correct", (("identifier", response_id),))))
        return (
            Rule(
                "response-condition",
                children=(
                    Rule("response-if", children=(test, set_score(one))),
                    Rule("response-else", children=(set_score(zero),)),
                ),
            ),
        )
    if template in ("map_response", "map_response_point"):
        op = "map-response" if template == "map_response" else "map-response-point"
        return (
            Rule(
                "response-condition",
                children=(
                    Rule("response-if", children=(Rule("is-null", children=(var,)), set_score(zero))),
                    Rule("response-else", children=(set_score(Rule(op, (("identifier", response_id),))),)),
                ),
            ),
        )
    raise ValidationError.for_field("template", f"expected one of {', '.join(TEMPLATES)}, got {template!r}")


def _parse_response(decl: ResponseDeclaration, raw: QtiResponse) -> _V | None:
    if raw is None:
        return None
    texts = [raw] if isinstance(raw, str) else list(raw)
    if decl.cardinality == "single":
        texts = texts[:1]
    values = [_scalar(decl.base_type, t) for t in texts if t.strip()]
    return _make(decl.cardinality, decl.base_type, values)


@dataclass(frozen=True)
class QtiScoring:
    """Everything needed to score one item: declarations and response processing."""

    responses: tuple[ResponseDeclaration, ...]
    outcomes: tuple[OutcomeDeclaration, ...] = ()
    processing: ResponseProcessing = ResponseProcessing()

    def rules(self) -> tuple[Rule, ...]:
        if not self.processing.template:
            return self.processing.rules
        ids = [d.identifier for d in self.responses]
        target = "RESPONSE" if "RESPONSE" in ids or len(ids) != 1 else ids[0]
        return template_rules(self.processing.template, target)

    def problems(self) -> list[FieldError]:
        out: list[FieldError] = []
        for i, d in enumerate(self.responses):
            if d.cardinality not in CARDINALITIES:
                out.append(
                    FieldError(
                        f"responses[{i}].cardinality",
                        f"expected one of {CARDINALITIES}, got {d.cardinality!r}",
                    )
                )
            if d.base_type not in BASE_TYPES:
                out.append(
                    FieldError(f"responses[{i}].base_type", f"expected a QTI base type, got {d.base_type!r}")
                )
        if self.processing.template and self.processing.template not in TEMPLATES:
            out.append(
                FieldError(
                    "processing.template", f"expected one of {TEMPLATES}, got {self.processing.template!r}"
                )
            )
        bad = unsupported_operators(self.processing.rules)
        if bad:
            out.append(FieldError("processing.rules", f"unsupported operators: {', '.join(bad)}"))
        return out

    def outcomes_for(self, responses: Mapping[str, QtiResponse]) -> dict[str, Any]:
        """Run response processing; every outcome as a plain value (list for containers, None for NULL)."""
        parsed = {d.identifier: _parse_response(d, responses.get(d.identifier)) for d in self.responses}
        run = _Run(self, parsed)
        run.run(self.rules())
        out: dict[str, Any] = {}
        for name in [o.identifier for o in self.outcomes] + ["SCORE"]:
            v = run.env.get(name)
            out[name] = None if v is None else (v.one if v.card == "single" else list(v.items))
        return out

    def raw_score(self, responses: Mapping[str, QtiResponse]) -> float:
        value = self.outcomes_for(responses)["SCORE"]
        return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0

    def correct_responses(self) -> dict[str, list[str]]:
        return {d.identifier: list(d.correct) for d in self.responses if d.correct}

    def max_score(self) -> float | None:
        """The highest score a response can earn; None when it cannot be known (teacher-scored).

        In order: SCORE's ``normal-maximum``; the best score of the correct response and of the best
        mapped response; MAXSCORE's default value; the largest constant the rules assign to SCORE.
        """
        declared = {o.identifier: o for o in self.outcomes}
        score = declared.get("SCORE")
        if score is not None and score.normal_maximum is not None and score.normal_maximum > 0:
            return score.normal_maximum
        candidates = [self.correct_responses()]
        best = {d.identifier: _best_mapped(d) for d in self.responses if d.mapping or d.area_mapping}
        if best:
            candidates.append({**candidates[0], **best})
        top = max((self.raw_score(c) for c in candidates if c), default=0.0)
        maxscore = declared.get("MAXSCORE")
        if top <= 0 and maxscore is not None and maxscore.default:
            value = _scalar("float", maxscore.default[0])
            top = value if isinstance(value, float) else 0.0
        if top <= 0:
            top = max(_constant_scores(self.processing.rules), default=0.0)
        return top if top > 0 else None

    def score(self, responses: Mapping[str, QtiResponse], max_score: float | None = None) -> QtiScore:
        """Score a response dict; pass ``max_score`` when already known (it costs a few runs)."""
        top = self.max_score() if max_score is None else max_score
        raw = self.raw_score(responses)
        return QtiScore(raw, top or 0.0, top is not None and raw >= top - 1e-9)

    def to_dict(self) -> dict[str, Any]:
        return {
            "responses": [_decl_to_dict(d) for d in self.responses],
            "outcomes": [
                {
                    "identifier": o.identifier,
                    "cardinality": o.cardinality,
                    "base_type": o.base_type,
                    "default": list(o.default),
                    "normal_maximum": o.normal_maximum,
                }
                for o in self.outcomes
            ],
            "template": self.processing.template,
            "rules": [_rule_to_dict(r) for r in self.processing.rules],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> QtiScoring:
        return cls(
            tuple(_decl_from_dict(d) for d in data.get("responses", ())),
            tuple(
                OutcomeDeclaration(
                    str(o["identifier"]),
                    str(o.get("cardinality", "single")),
                    str(o.get("base_type", "float")),
                    tuple(str(x) for x in o.get("default", ())),
                    None if o.get("normal_maximum") is None else float(o["normal_maximum"]),
                )
                for o in data.get("outcomes", ())
            ),
            ResponseProcessing(
                str(data.get("template", "")), tuple(_rule_from_dict(r) for r in data.get("rules", ()))
            ),
        )


def _constant_scores(rules: Iterable[Rule]) -> Iterator[float]:
    for rule in rules:
        for r in rule.walk():
            if r.op == "set-outcome-value" and r.attr("identifier") == "SCORE" and r.children:
                value = r.children[0]
                if value.op == "base-value" and isinstance(number := _scalar("float", value.text), float):
                    yield number


def _best_mapped(d: ResponseDeclaration) -> list[str]:
    if d.mapping is not None:
        ranked = sorted(d.mapping.entries, key=lambda e: -e.value)
        if d.cardinality == "single":
            return [ranked[0].key] if ranked and ranked[0].value > d.mapping.default_value else []
        return [e.key for e in ranked if e.value > 0]
    if d.area_mapping is not None:
        areas = sorted((e for e in d.area_mapping.entries if e.shape != "default"), key=lambda e: -e.value)
        points = [_centre(e) for e in areas if e.value > 0]
        return points[:1] if d.cardinality == "single" else points
    return []


def _centre(e: AreaMapEntry) -> str:
    c = e.coords
    if e.shape == "rect":
        x, y = (c[0] + c[2]) / 2, (c[1] + c[3]) / 2
    elif e.shape in ("circle", "ellipse"):
        x, y = c[0], c[1]
    else:
        x, y = sum(c[0::2]) / max(1, len(c) // 2), sum(c[1::2]) / max(1, len(c) // 2)
    return f"{round(x)} {round(y)}"


def _decl_to_dict(d: ResponseDeclaration) -> dict[str, Any]:
    out: dict[str, Any] = {
        "identifier": d.identifier,
        "cardinality": d.cardinality,
        "base_type": d.base_type,
        "correct": list(d.correct),
    }
    if d.mapping is not None:
        m = d.mapping
        out["mapping"] = {
            "entries": [[e.key, e.value, e.case_sensitive] for e in m.entries],
            "default_value": m.default_value,
            "lower_bound": m.lower_bound,
            "upper_bound": m.upper_bound,
        }
    if d.area_mapping is not None:
        a = d.area_mapping
        out["area_mapping"] = {
            "entries": [[e.shape, list(e.coords), e.value] for e in a.entries],
            "default_value": a.default_value,
            "lower_bound": a.lower_bound,
            "upper_bound": a.upper_bound,
        }
    return out


def _opt(x: Any) -> float | None:
    return None if x is None else float(x)


def _decl_from_dict(d: Mapping[str, Any]) -> ResponseDeclaration:
    m, a = d.get("mapping"), d.get("area_mapping")
    return ResponseDeclaration(
        str(d["identifier"]),
        str(d["cardinality"]),
        str(d["base_type"]),
        tuple(str(x) for x in d.get("correct", ())),
        None
        if m is None
        else ValueMapping(
            tuple(MapEntry(str(k), float(v), bool(cs)) for k, v, cs in m["entries"]),
            float(m.get("default_value", 0.0)),
            _opt(m.get("lower_bound")),
            _opt(m.get("upper_bound")),
        ),
        None
        if a is None
        else AreaMapping(
            tuple(AreaMapEntry(str(s), tuple(float(x) for x in c), float(v)) for s, c, v in a["entries"]),
            float(a.get("default_value", 0.0)),
            _opt(a.get("lower_bound")),
            _opt(a.get("upper_bound")),
        ),
    )


def _rule_to_dict(r: Rule) -> dict[str, Any]:
    out: dict[str, Any] = {"op": r.op}
    if r.attrs:
        out["attrs"] = dict(r.attrs)
    if r.children:
        out["children"] = [_rule_to_dict(c) for c in r.children]
    if r.text:
        out["text"] = r.text
    return out


def _rule_from_dict(d: Mapping[str, Any]) -> Rule:
    return Rule(
        str(d["op"]),
        tuple((str(k), str(v)) for k, v in dict(d.get("attrs", {})).items()),
        tuple(_rule_from_dict(c) for c in d.get("children", ())),
        str(d.get("text", "")),
    )


# ---------------------------------------------------------------- the item as rendered and scored


@dataclass(frozen=True)
class Interaction:
    """One supported interaction: what the learner answers and how the form field is named."""

    kind: str  # choice, text-entry, inline-choice, extended-text
    response_identifier: str
    choices: tuple[tuple[str, str], ...] = ()  # (identifier, plain text)
    max_choices: int = 1
    min_choices: int = 0
    shuffle: bool = False
    expected_length: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "response_identifier": self.response_identifier,
            "choices": [list(c) for c in self.choices],
            "max_choices": self.max_choices,
            "min_choices": self.min_choices,
            "shuffle": self.shuffle,
            "expected_length": self.expected_length,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Interaction:
        n = d.get("expected_length")
        return cls(
            str(d["kind"]),
            str(d["response_identifier"]),
            tuple((str(a), str(b)) for a, b in d.get("choices", ())),
            int(d.get("max_choices", 1)),
            int(d.get("min_choices", 0)),
            bool(d.get("shuffle", False)),
            None if n is None else int(n),
        )


_ASSET = re.compile(r'(?<=")lp-asset:([^"]*)(?=")')


@dataclass(frozen=True)
class QtiItem:
    """A QTI assessment item as learnpath keeps it: scoring, interactions, safe HTML body, assets.

    ``body_html`` is already sanitised; local media appear as ``lp-asset:PATH`` (``PATH`` relative to
    the package root, listed in ``assets``) until ``html(asset_url)`` resolves them.
    """

    identifier: str
    scoring: QtiScoring
    interactions: tuple[Interaction, ...]
    body_html: str
    title: str = ""
    version: str = "3.0"
    assets: tuple[str, ...] = ()
    source: str = ""
    max_score: float | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.max_score is None:
            object.__setattr__(self, "max_score", self.scoring.max_score())

    @property
    def teacher_scored(self) -> bool:
        """True when no automatic score exists: an extended-text answer, or nothing to compare with."""
        return self.max_score is None or any(i.kind == "extended-text" for i in self.interactions)

    def problems(self) -> list[FieldError]:
        out = [FieldError(f"qti.scoring.{e.field}", e.message) for e in self.scoring.problems()]
        declared = {d.identifier for d in self.scoring.responses}
        for i, inter in enumerate(self.interactions):
            if inter.kind not in INTERACTION_KINDS:
                out.append(
                    FieldError(
                        f"qti.interactions[{i}].kind",
                        f"expected one of {INTERACTION_KINDS}, got {inter.kind!r}",
                    )
                )
            if inter.response_identifier not in declared:
                out.append(
                    FieldError(
                        f"qti.interactions[{i}].response_identifier",
                        f"no response declaration named {inter.response_identifier!r}",
                    )
                )
        return out

    def score(self, responses: Mapping[str, QtiResponse]) -> QtiScore:
        if self.teacher_scored:
            return QtiScore(0.0, self.max_score or 0.0, False)
        return self.scoring.score(responses, self.max_score)

    def html(self, asset_url: Any = None) -> str:
        """The body with ``lp-asset:`` references mapped by ``asset_url(path) -> url`` (unchanged if None)."""
        if asset_url is None:
            return self.body_html
        from html import escape, unescape

        return _ASSET.sub(lambda m: escape(str(asset_url(unescape(m.group(1))))), self.body_html)

    def to_dict(self) -> dict[str, Any]:
        return {
            "identifier": self.identifier,
            "title": self.title,
            "version": self.version,
            "scoring": self.scoring.to_dict(),
            "interactions": [i.to_dict() for i in self.interactions],
            "body_html": self.body_html,
            "assets": list(self.assets),
            "source": self.source,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> QtiItem:
        return cls(
            str(d["identifier"]),
            QtiScoring.from_dict(d["scoring"]),
            tuple(Interaction.from_dict(i) for i in d.get("interactions", ())),
            str(d.get("body_html", "")),
            str(d.get("title", "")),
            str(d.get("version", "3.0")),
            tuple(str(a) for a in d.get("assets", ())),
            str(d.get("source", "")),
        )


def responses_from_form(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Collect ``qti:<id>`` form fields (repeated for checkboxes) into a response dict; others ignored."""
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        if name.startswith(FORM_PREFIX):
            out.setdefault(name[len(FORM_PREFIX) :], []).append(value)
    return out
