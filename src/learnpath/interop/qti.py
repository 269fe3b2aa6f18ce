"""Read QTI assessment items (3.0, and 2.0/2.1/2.2 converted on input) into ``QtiItem`` values.

``read_qti(path)`` takes an item file, a folder (every ``*.xml`` and ``*.zip`` under it) or an IMS
content package zip, and returns a ``QtiImport``: the imported items, every item it does not support
(with its interaction types and file), every file it could not read (file, line, message) and the
count of other QTI documents it skipped (tests, manifests, stimuli...). It never raises on bad input.

- Supported interactions: choice (single and multiple), text entry, inline choice, and extended text
  (teacher-scored). An item with any other interaction, or with none, is listed as unsupported.
- QTI 2.x elements and attributes are renamed to their QTI 3 forms (``choiceInteraction`` becomes
  ``qti-choice-interaction``, ``responseIdentifier`` becomes ``response-identifier``).
- Response processing: the standard templates (also the Common Cartridge ``CC2_*`` variants) or
  custom rules run by ``learnpath.core.qti``. Rules with operators it cannot run are replaced by
  rules inferred from the declarations (match the correct response, or map it), with a warning.
- The item body becomes a safe HTML fragment: only whitelisted elements and attributes, no script,
  style or event attributes, no ``javascript:`` URLs; interactions become form controls named
  ``qti:<response identifier>``; local media become ``lp-asset:PATH`` references (PATH relative to
  the package root, listed in ``QtiItem.assets``; ``QtiImport.read_asset`` reads them).
- CASE alignment comes from the package manifest: Curriculum Standards Metadata (``caseItemURI``,
  ``GUID``, ``label``), inline in a resource or in a ``resourcemetadata`` file it depends on, and LOM
  classifications whose purpose is an educational objective or competency.
- XML is parsed with expat, refusing any entity declaration and never loading external entities or DTDs.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path, PurePosixPath
from typing import Any
from xml.etree.ElementTree import Element, TreeBuilder
from xml.parsers import expat

from learnpath.core.items import Item
from learnpath.core.qti import (
    FORM_PREFIX,
    INTERACTION_KINDS,
    AreaMapEntry,
    AreaMapping,
    Interaction,
    MapEntry,
    OutcomeDeclaration,
    QtiItem,
    QtiScoring,
    ResponseDeclaration,
    ResponseProcessing,
    Rule,
    ValueMapping,
    unsupported_operators,
)
from learnpath.errors import FieldError, ValidationError

__all__ = [
    "Alignment",
    "ImportedItem",
    "Problem",
    "QtiImport",
    "UnsupportedItem",
    "parse_qti_item",
    "read_qti",
]

MAX_MEMBER_BYTES = 64 * 1024 * 1024
_ITEM_ROOTS = ("assessmentItem", "qti-assessment-item")
_TEMPLATES = {
    "match_correct": "match_correct",
    "cc2_match": "match_correct",
    "cc2_match_basic": "match_correct",
    "map_response": "map_response",
    "cc2_map_response": "map_response",
    "map_response_point": "map_response_point",
}
_MATHML = "http://www.w3.org/1998/Math/MathML"
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_HTML = frozenset(
    (
        "a abbr acronym address article aside audio b bdi bdo big blockquote br caption cite code col "
        "colgroup dd del details dfn div dl dt em figcaption figure footer h1 h2 h3 h4 h5 h6 header hr i "
        "img ins kbd label li mark nav object ol p param picture pre q rb rp rt rtc ruby s samp section "
        "small source span strong sub summary sup table tbody td tfoot th thead time tr track tt u ul "
        "var video wbr"
    ).split()
)
_VOID = frozenset("br hr img col source track wbr".split())
_DROP = frozenset(
    (
        "param qti-stylesheet qti-feedback-block qti-feedback-inline qti-modal-feedback qti-template-block "
        "qti-template-inline qti-printed-variable qti-catalog-info qti-companion-materials-info "
        "qti-response-declaration qti-outcome-declaration qti-template-declaration"
    ).split()
)
_GLOBAL_ATTRS = frozenset(("class", "lang", "dir", "title", "aria-label"))
_TAG_ATTRS: dict[str, frozenset[str]] = {
    "a": frozenset(("href",)),
    "img": frozenset(("src", "alt", "width", "height")),
    "td": frozenset(("colspan", "rowspan", "headers", "scope", "abbr")),
    "th": frozenset(("colspan", "rowspan", "headers", "scope", "abbr")),
    "col": frozenset(("span", "width")),
    "colgroup": frozenset(("span", "width")),
    "ol": frozenset(("start", "type", "reversed")),
    "li": frozenset(("value",)),
    "audio": frozenset(("src",)),
    "video": frozenset(("src", "poster", "width", "height")),
    "source": frozenset(("src", "type")),
    "track": frozenset(("src", "kind", "srclang", "label")),
    "time": frozenset(("datetime",)),
    "math": frozenset(("display",)),
}
_URL_ATTRS = frozenset(("href", "src", "poster"))
_MATH_ATTRS = frozenset(
    ("mathvariant", "display", "stretchy", "fence", "separator", "accent", "open", "close")
)
_DATA_IMAGE = re.compile(r"^data:image/(png|gif|jpeg|jpg|webp);base64,[A-Za-z0-9+/=\s]+$")
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class Alignment:
    """One CASE alignment: the CFItem identifier (GUID), its URI and label when given."""

    identifier: str
    uri: str = ""
    label: str = ""


@dataclass(frozen=True)
class ImportedItem:
    file: str
    qti: QtiItem
    alignments: tuple[Alignment, ...] = ()
    warnings: tuple[str, ...] = ()

    def to_item(self, code: str | None = None, skills: Sequence[str] | None = None) -> Item:
        """A core ``Item`` of kind ``qti``; ``skills`` default to the CASE identifiers aligned to it."""
        chosen = tuple(skills) if skills is not None else tuple(a.identifier for a in self.alignments)
        if not chosen:
            raise ValidationError(
                f"{self.file}: item {self.qti.identifier!r} has no CASE alignment; pass skills to align it",
                [
                    FieldError(
                        f"{self.file}:{self.qti.identifier}.skills", "expected at least one skill, found none"
                    )
                ],
            )
        prompt = _plain_text(self.qti.body_html) or self.qti.title or self.qti.identifier
        return Item(code or self.qti.identifier, "qti", prompt, chosen, qti=self.qti)


@dataclass(frozen=True)
class UnsupportedItem:
    file: str
    identifier: str
    interactions: tuple[str, ...]  # every interaction kind in the item ("none" when it has none)
    unsupported: tuple[str, ...]  # those learnpath does not support


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


@dataclass
class QtiImport:
    """What one ``read_qti`` call found."""

    source: str
    items: list[ImportedItem] = field(default_factory=list)
    unsupported: list[UnsupportedItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)  # root element of non-item documents

    def counts(self) -> dict[str, Any]:
        by_type: Counter[str] = Counter(k for u in self.unsupported for k in u.unsupported or ("none",))
        return {
            "imported": len(self.items),
            "auto_scored": sum(not i.qti.teacher_scored for i in self.items),
            "teacher_scored": sum(i.qti.teacher_scored for i in self.items),
            "unsupported": len(self.unsupported),
            "unsupported_by_interaction": dict(sorted(by_type.items())),
            "malformed": len(self.problems),
            "skipped": dict(sorted(self.skipped.items())),
            "warnings": sum(len(i.warnings) for i in self.items),
        }

    def read_asset(self, path: str) -> bytes:
        """The bytes of an asset listed by an imported item (``ZIP!/MEMBER`` inside a swept folder)."""
        root = Path(self.source)
        if "!/" in path:
            archive, _, member = path.partition("!/")
            with zipfile.ZipFile(root / archive) as z:
                return z.read(member)
        if root.is_file() and root.suffix.lower() == ".zip":
            with zipfile.ZipFile(root) as z:
                return z.read(path)
        base = root.parent if root.is_file() else root
        return (base / path).read_bytes()


# ---------------------------------------------------------------- safe XML


class _XmlError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _qname(name: str) -> str:
    return "{" + name if "}" in name else name


def _parse_xml(data: bytes) -> Element:
    """Parse XML with expat; entity declarations and external entities are refused (``_XmlError``)."""
    builder = TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")

    def refuse(*_: Any) -> None:
        raise _XmlError(parser.CurrentLineNumber, "entity declarations are refused (unsafe XML)")

    def start(tag: str, attrs: dict[str, str]) -> None:
        builder.start(_qname(tag), {_qname(k): v for k, v in attrs.items()})

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda tag: builder.end(_qname(tag))
    parser.CharacterDataHandler = builder.data
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse  # type: ignore[assignment]
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise _XmlError(
            exc.lineno, f"not well-formed XML: {expat.ErrorString(exc.code)} (column {exc.offset})"
        ) from exc
    return builder.close()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _is_qti_ns(ns: str) -> bool:
    return ns == "" or "imsqti" in ns


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "-", name).lower()


def _normalise(elem: Element, qti2: bool) -> None:
    """Rename in place to QTI 3 local names (QTI namespaces dropped; other namespaces kept)."""
    for e in elem.iter():
        if not isinstance(e.tag, str) or not _is_qti_ns(_ns(e.tag)):
            continue
        local = _local(e.tag)
        if qti2 and local not in _HTML and not local.startswith("qti-"):
            e.tag = "qti-" + _kebab(local)
            e.attrib = {(k if k.startswith("{") else _kebab(k)): v for k, v in e.attrib.items()}
        else:
            e.tag = local


def _version(root: Element) -> str:
    m = re.search(r"imsqti_v(\d)p(\d)", _ns(root.tag))
    return f"{m.group(1)}.{m.group(2)}" if m else "3.0"


# ---------------------------------------------------------------- declarations and processing


def _values(e: Element | None) -> tuple[str, ...]:
    return () if e is None else tuple((v.text or "").strip() for v in e.findall("qti-value"))


def _float(text: str | None, default: float | None = None) -> float | None:
    try:
        return default if text is None or not text.strip() else float(text)
    except ValueError:
        return default


def _response_declaration(e: Element) -> ResponseDeclaration:
    mapping = area = None
    m = e.find("qti-mapping")
    if m is not None:
        entries = tuple(
            MapEntry(
                x.get("map-key", ""),
                _float(x.get("mapped-value"), 0.0) or 0.0,
                x.get("case-sensitive", "true").lower() not in ("false", "0"),
            )
            for x in m.findall("qti-map-entry")
        )
        mapping = ValueMapping(
            entries,
            _float(m.get("default-value"), 0.0) or 0.0,
            _float(m.get("lower-bound")),
            _float(m.get("upper-bound")),
        )
    a = e.find("qti-area-mapping")
    if a is not None:
        areas = tuple(
            AreaMapEntry(
                x.get("shape", "default"),
                tuple(float(c) for c in re.split(r"[\s,]+", x.get("coords", "").strip()) if c),
                _float(x.get("mapped-value"), 0.0) or 0.0,
            )
            for x in a.findall("qti-area-map-entry")
        )
        area = AreaMapping(
            areas,
            _float(a.get("default-value"), 0.0) or 0.0,
            _float(a.get("lower-bound")),
            _float(a.get("upper-bound")),
        )
    return ResponseDeclaration(
        e.get("identifier", ""),
        e.get("cardinality", "single"),
        e.get("base-type", "identifier"),
        _values(e.find("qti-correct-response")),
        mapping,
        area,
    )


def _outcome_declaration(e: Element) -> OutcomeDeclaration:
    return OutcomeDeclaration(
        e.get("identifier", ""),
        e.get("cardinality", "single"),
        e.get("base-type", "float"),
        _values(e.find("qti-default-value")),
        _float(e.get("normal-maximum")),
    )


def _rule(e: Element) -> Rule:
    op = _local(e.tag).removeprefix("qti-")
    kids = tuple(_rule(c) for c in e if isinstance(c.tag, str))
    return Rule(
        op,
        tuple(sorted((_local(k), v) for k, v in e.attrib.items())),
        kids,
        (e.text or "").strip() if not kids else "",
    )


def _inferred(decls: Sequence[ResponseDeclaration]) -> tuple[Rule, ...]:
    """SCORE = sum over declarations of map-response (when mapped) or 1 for matching the correct response."""
    parts: list[Rule] = []
    for d in decls:
        ident = (("identifier", d.identifier),)
        if d.mapping is not None:
            parts.append(Rule("map-response", ident))
        elif d.area_mapping is not None:
            parts.append(Rule("map-response-point", ident))
        elif d.correct:
            test = Rule("match", children=(Rule("variable", ident), Rule("correct", ident)))
            parts.append(
                Rule(
                    "response-condition",
                    children=(Rule("response-if", children=(test, _set_score(_add_one()))),),
                )
            )
    exprs = [p for p in parts if p.op != "response-condition"]
    rules = [p for p in parts if p.op == "response-condition"]
    start = _set_score(
        Rule("sum", children=(Rule("base-value", (("base-type", "float"),), text="0"), *exprs))
    )
    return (start, *rules) if parts else ()


def _set_score(expr: Rule) -> Rule:
    return Rule("set-outcome-value", (("identifier", "SCORE"),), (expr,))


def _add_one() -> Rule:
    one = Rule("base-value", (("base-type", "float"),), text="1")
    return Rule("sum", children=(Rule("variable", (("identifier", "SCORE"),)), one))


def _processing(
    root: Element, decls: Sequence[ResponseDeclaration], warnings: list[str]
) -> ResponseProcessing:
    rp = root.find("qti-response-processing")
    template = "" if rp is None else (rp.get("template") or rp.get("template-location") or "")
    if template:
        name = PurePosixPath(template.rstrip("/")).name.removesuffix(".xml").lower()
        if name in _TEMPLATES:
            return ResponseProcessing(template=_TEMPLATES[name])
        warnings.append(
            f"unknown response-processing template {template!r}: scoring inferred from declarations"
        )
        return ResponseProcessing(rules=_inferred(decls))
    rules = () if rp is None else tuple(_rule(c) for c in rp if isinstance(c.tag, str))
    if not rules:
        if any(d.correct or d.mapping or d.area_mapping for d in decls):
            warnings.append("no response processing: scoring inferred from declarations")
            return ResponseProcessing(rules=_inferred(decls))
        return ResponseProcessing()
    bad = unsupported_operators(rules)
    if bad:
        warnings.append(
            f"response processing uses unsupported operators ({', '.join(bad)}): scoring inferred"
        )
        return ResponseProcessing(rules=_inferred(decls))
    return ResponseProcessing(rules=rules)


# ---------------------------------------------------------------- body to safe HTML


class _Body:
    """Renders a QTI item body to a whitelisted HTML fragment, collecting interactions and assets."""

    def __init__(
        self, base_dir: str, exists: Callable[[str], bool], warnings: list[str], cardinality: dict[str, str]
    ) -> None:
        self.cardinality = cardinality
        self.base_dir = base_dir
        self.exists = exists
        self.warnings = warnings
        self.assets: list[str] = []
        self.interactions: list[Interaction] = []

    def url(self, value: str, media: bool) -> str | None:
        v = value.strip()
        if not v:
            return None
        if _SCHEME.match(v):
            scheme = v.split(":", 1)[0].lower()
            if scheme in ("http", "https") or (not media and scheme == "mailto"):
                if media:
                    self.warnings.append(f"external media {v!r} kept as a link (needs the network)")
                return v
            if media and _DATA_IMAGE.match(v):
                return v
            self.warnings.append(f"refused URL {v[:60]!r}")
            return None
        if v.startswith("#") and not media:
            return v
        path = posixpath.normpath(posixpath.join(self.base_dir, v.split("#", 1)[0].split("?", 1)[0]))
        if path.startswith("../") or path == ".." or path.startswith("/"):
            self.warnings.append(f"refused asset {v!r}: outside the package")
            return None
        if path not in self.assets:
            self.assets.append(path)
            if not self.exists(path):
                self.warnings.append(f"missing asset {path!r}")
        return "lp-asset:" + path

    def attrs(self, tag: str, e: Element, allowed: frozenset[str]) -> str:
        out: list[str] = []
        for key, value in e.attrib.items():
            name = "lang" if key == _XML_LANG else key
            if (
                name not in allowed
                and name not in _TAG_ATTRS.get(tag, frozenset())
                and name not in _GLOBAL_ATTRS
            ):
                continue
            if name in _URL_ATTRS:
                resolved = self.url(value, media=name != "href")
                if resolved is None:
                    continue
                value = resolved
            out.append(f' {name}="{escape(value)}"')
        return "".join(out)

    def children(self, e: Element) -> str:
        parts = [escape(e.text or "")]
        for c in e:
            parts.append(self.node(c))
            parts.append(escape(c.tail or ""))
        return "".join(parts)

    def node(self, e: Element) -> str:
        if not isinstance(e.tag, str):
            return ""
        ns, tag = _ns(e.tag), _local(e.tag)
        if ns == _MATHML:
            inner = self.children(e)
            return f"<{tag}{self.attrs(tag, e, _MATH_ATTRS)}>{inner}</{tag}>"
        if not _is_qti_ns(ns) and ns != "http://www.w3.org/1999/xhtml":
            return self.children(e)  # SSML, xi:include, unknown vocabularies: keep their text only
        if tag in _DROP or tag in (
            "script",
            "style",
            "iframe",
            "embed",
            "form",
            "input",
            "button",
            "textarea",
            "select",
            "link",
            "meta",
            "base",
        ):
            return ""
        if tag.endswith("-interaction"):
            return self.interaction(tag.removeprefix("qti-").removesuffix("-interaction"), e)
        if tag == "qti-rubric-block":
            views = e.get("view", "candidate").split()
            return f'<div class="qti-rubric-block">{self.children(e)}</div>' if "candidate" in views else ""
        if tag == "object":
            return self.object(e)
        if tag in _HTML:
            attrs = self.attrs(tag, e, frozenset())
            if tag in _VOID:
                return f"<{tag}{attrs}>"
            if tag == "a":
                attrs += ' rel="noopener noreferrer"'
            if tag in ("audio", "video"):
                attrs += " controls"
            return f"<{tag}{attrs}>{self.children(e)}</{tag}>"
        return self.children(e)  # qti-prompt outside an interaction, qti-content-body, other wrappers

    def object(self, e: Element) -> str:
        kind = e.get("type", "").split("/", 1)[0]
        src = self.url(e.get("data", ""), media=True)
        if src is None:
            return self.children(e)
        size = "".join(f' {k}="{escape(e.get(k, ""))}"' for k in ("width", "height") if e.get(k))
        if kind == "image":
            alt = e.get("alt") or " ".join("".join(e.itertext()).split())
            return f'<img src="{escape(src)}" alt="{escape(alt)}"{size}>'
        if kind in ("audio", "video"):
            return f'<{kind} src="{escape(src)}" controls{size}>{self.children(e)}</{kind}>'
        return f'<a href="{escape(src)}">{self.children(e) or escape(src)}</a>'

    def interaction(self, kind: str, e: Element) -> str:
        rid = e.get("response-identifier", "")
        name = escape(FORM_PREFIX + rid)
        prompt_el = e.find("qti-prompt")
        prompt = "" if prompt_el is None else self.children(prompt_el)
        cls = f'class="qti-{kind}-interaction"'
        if kind == "choice":
            max_choices = int(e.get("max-choices", "1") or 1)
            single = self.cardinality.get(rid, "single" if max_choices == 1 else "multiple") == "single"
            kind_attr = "radio" if single else "checkbox"
            choices = [c for c in e.iter("qti-simple-choice")]
            self.interactions.append(
                Interaction(
                    kind, rid, tuple((c.get("identifier", ""), _plain_text(self.children(c))) for c in choices),
                    max_choices, int(e.get("min-choices", "0") or 0), e.get("shuffle", "false") == "true",
                )
            )  # fmt: skip
            rows = "".join(
                f'<label class="qti-simple-choice"><input type="{kind_attr}" name="{name}" '
                f'value="{escape(c.get("identifier", ""))}"> {self.children(c)}</label>'
                for c in choices
            )
            legend = f"<legend>{prompt}</legend>" if prompt else ""
            return f'<fieldset {cls} data-response="{escape(rid)}">{legend}{rows}</fieldset>'
        if kind == "inline-choice":
            options = [c for c in e.iter("qti-inline-choice")]
            texts = [(c.get("identifier", ""), _plain_text(self.children(c))) for c in options]
            self.interactions.append(
                Interaction(kind, rid, tuple(texts), 1, 0, e.get("shuffle", "false") == "true")
            )
            body = "".join(f'<option value="{escape(i)}">{escape(t)}</option>' for i, t in texts)
            return f'<select {cls} name="{name}"><option value=""></option>{body}</select>'
        if kind == "text-entry":
            length = e.get("expected-length", "")
            self.interactions.append(
                Interaction(kind, rid, expected_length=int(length) if length.isdigit() else None)
            )
            size = f' size="{int(length)}"' if length.isdigit() else ""
            return f'<input type="text" {cls} name="{name}"{size} autocomplete="off" aria-label="answer">'
        if kind == "extended-text":
            lines = e.get("expected-lines", "")
            self.interactions.append(Interaction(kind, rid))
            rows = f' rows="{int(lines)}"' if lines.isdigit() else ' rows="6"'
            return f'<div {cls}>{prompt}<textarea name="{name}"{rows} aria-label="answer"></textarea></div>'
        return ""


def _plain_text(fragment: str) -> str:
    text = re.sub(r"<select\b.*?</select>|<[^>]+>", " ", fragment, flags=re.S)
    return " ".join(unescape(text).split())[:500]


def _interaction_kinds(body: Element | None) -> list[str]:
    if body is None:
        return []
    kinds = [
        _local(e.tag)
        for e in body.iter()
        if isinstance(e.tag, str) and _local(e.tag).endswith("-interaction")
    ]
    return list(dict.fromkeys(k.removeprefix("qti-").removesuffix("-interaction") for k in kinds))


# ---------------------------------------------------------------- one item


def parse_qti_item(
    data: bytes,
    file: str = "<input>",
    base_dir: str = "",
    exists: Callable[[str], bool] = lambda _: True,
    alignments: Sequence[Alignment] = (),
) -> ImportedItem | UnsupportedItem | Problem | str:
    """Read one XML document: an item, an unsupported item, a problem, or the root name of another document."""
    try:
        root = _parse_xml(data)
    except _XmlError as exc:
        return Problem(file, exc.line, exc.message)
    local = _local(root.tag)
    if local not in _ITEM_ROOTS:
        return local
    version = _version(root)
    _normalise(root, qti2=local == "assessmentItem")
    identifier = root.get("identifier", "")
    body = root.find("qti-item-body")
    kinds = _interaction_kinds(body)
    unsupported = [k for k in kinds if k not in INTERACTION_KINDS]
    if unsupported or not kinds:
        return UnsupportedItem(file, identifier, tuple(kinds) or ("none",), tuple(unsupported) or ("none",))
    warnings: list[str] = []
    decls = tuple(_response_declaration(e) for e in root.findall("qti-response-declaration"))
    outcomes = tuple(_outcome_declaration(e) for e in root.findall("qti-outcome-declaration"))
    if root.find("qti-template-declaration") is not None:
        warnings.append("template variables are not supported: the item is shown and scored without them")
    if root.get("adaptive", "false") == "true":
        warnings.append("adaptive item: only the first attempt's response processing is used")
    processing = _processing(root, decls, warnings)
    renderer = _Body(base_dir, exists, warnings, {d.identifier: d.cardinality for d in decls})
    html = renderer.children(body) if body is not None else ""
    html = re.sub(r"\s+\n", "\n", html).strip()
    shown = len(renderer.interactions)
    present = 0 if body is None else sum(_local(str(e.tag)).endswith("-interaction") for e in body.iter())
    if shown < present:
        # interactions inside feedback or template blocks appear only as outcomes change (adaptive items)
        return UnsupportedItem(file, identifier, tuple(kinds), ("interaction-in-feedback",))
    qti = QtiItem(
        identifier,
        QtiScoring(decls, outcomes, processing),
        tuple(renderer.interactions),
        html,
        root.get("title", ""),
        version,
        tuple(renderer.assets),
        file,
    )
    problems = qti.problems()
    if not identifier:
        problems.append(FieldError("identifier", "an item needs an identifier"))
    if problems:
        return Problem(file, None, "; ".join(f"{p.field}: {p.message}" for p in problems))
    return ImportedItem(file, qti, tuple(alignments), tuple(dict.fromkeys(warnings)))


# ---------------------------------------------------------------- packages, folders, files


class _Files:
    """A folder or a zip archive seen as posix paths relative to its root."""

    def __init__(
        self, root: Path, archive: zipfile.ZipFile | None = None, prefix: str = "", only: str = ""
    ) -> None:
        self.root, self.archive, self.prefix = root, archive, prefix
        if only:
            self.names = [only]
        elif archive is not None:
            self.names = [
                i.filename
                for i in archive.infolist()
                if not i.is_dir() and i.file_size <= MAX_MEMBER_BYTES and _safe_member(i.filename)
            ]
        else:
            self.names = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
        self.known = set(self.names)

    def read(self, name: str) -> bytes:
        return self.archive.read(name) if self.archive is not None else (self.root / name).read_bytes()

    def exists(self, name: str) -> bool:
        return name in self.known if self.archive is not None else (self.root / name).is_file()

    def label(self, name: str) -> str:
        return f"{self.prefix}!/{name}" if self.archive is not None and self.prefix else name


def _safe_member(name: str) -> bool:
    return not (name.startswith("/") or ".." in PurePosixPath(name).parts or ":" in name.split("/", 1)[0])


def _manifest_alignments(files: _Files, manifest: str, out: QtiImport) -> dict[str, tuple[Alignment, ...]]:
    """Item file -> CASE alignments, from one ``imsmanifest.xml``."""
    try:
        root = _parse_xml(files.read(manifest))
    except _XmlError as exc:
        out.problems.append(Problem(files.label(manifest), exc.line, exc.message))
        return {}
    base = posixpath.dirname(manifest)
    resources = {r.get("identifier", ""): r for r in root.iter() if _local(r.tag) == "resource"}
    found: dict[str, tuple[Alignment, ...]] = {}
    for res in resources.values():
        href = res.get("href")
        if not href or "item" not in res.get("type", ""):
            continue
        sources: list[Element] = [m for m in res if _local(m.tag) == "metadata"]
        for dep in (d for d in res if _local(d.tag) == "dependency"):
            target = resources.get(dep.get("identifierref", ""))
            if target is not None and "metadata" in target.get("type", "") and target.get("href"):
                path = posixpath.normpath(posixpath.join(base, target.get("href", "")))
                if files.exists(path):
                    try:
                        sources.append(_parse_xml(files.read(path)))
                    except _XmlError as exc:
                        out.problems.append(Problem(files.label(path), exc.line, exc.message))
        aligned = tuple(dict.fromkeys(a for s in sources for a in _alignments(s)))
        if aligned:
            found[posixpath.normpath(posixpath.join(base, href))] = aligned
    return found


def _alignments(meta: Element) -> Iterator[Alignment]:
    for lg in (e for e in meta.iter() if _local(e.tag) == "labelledGUID"):
        parts = {_local(c.tag): (c.text or "").strip() for c in lg}
        uri, guid = parts.get("caseItemURI", ""), parts.get("GUID", "")
        ident = guid or uri.rstrip("/").rsplit("/", 1)[-1]
        if ident:
            yield Alignment(ident, uri, parts.get("label", ""))
    for cl in (e for e in meta.iter() if _local(e.tag) == "classification"):
        purpose = " ".join(t.strip().lower() for p in cl if _local(p.tag) == "purpose" for t in p.itertext())
        if "educational objective" in purpose or "competency" in purpose:
            for taxon in (t for t in cl.iter() if _local(t.tag) == "taxon"):
                ident = next(((c.text or "").strip() for c in taxon if _local(c.tag) == "id"), "")
                words = (w for c in taxon if _local(c.tag) == "entry" for w in "".join(c.itertext()).split())
                label = " ".join(words)
                if ident:
                    uri = ident if "://" in ident else ""
                    yield Alignment(ident.rstrip("/").rsplit("/", 1)[-1] if uri else ident, uri, label)


def _read_files(files: _Files, names: Sequence[str], out: QtiImport) -> None:
    aligned: dict[str, tuple[Alignment, ...]] = {}
    for m in (n for n in files.names if posixpath.basename(n).lower() == "imsmanifest.xml"):
        aligned.update(_manifest_alignments(files, m, out))
    for name in names:
        if posixpath.basename(name).lower() == "imsmanifest.xml":
            out.skipped["manifest"] += 1
            continue
        label = files.label(name)
        base = posixpath.dirname(name)
        result = parse_qti_item(files.read(name), label, base, files.exists, aligned.get(name, ()))
        if isinstance(result, ImportedItem) and files.prefix:
            # assets inside a zip found in a swept folder are read as ZIP!/MEMBER
            qti = result.qti
            prefixed = tuple(f"{files.prefix}!/{a}" for a in qti.assets)
            html = qti.body_html.replace('"lp-asset:', f'"lp-asset:{escape(files.prefix)}!/')
            new = QtiItem(
                qti.identifier,
                qti.scoring,
                qti.interactions,
                html,
                qti.title,
                qti.version,
                prefixed,
                qti.source,
            )
            result = ImportedItem(result.file, new, result.alignments, result.warnings)
        if isinstance(result, ImportedItem):
            out.items.append(result)
        elif isinstance(result, UnsupportedItem):
            out.unsupported.append(result)
        elif isinstance(result, Problem):
            out.problems.append(result)
        else:
            out.skipped[result] += 1


def _read_zip(path: Path, out: QtiImport, prefix: str) -> None:
    try:
        with zipfile.ZipFile(path) as archive:
            files = _Files(path, archive, prefix)
            _read_files(files, [n for n in files.names if n.lower().endswith(".xml")], out)
    except (zipfile.BadZipFile, OSError) as exc:
        out.problems.append(Problem(prefix or str(path), None, f"not a readable zip archive: {exc}"))


def read_qti(path: str | Path) -> QtiImport:
    """Read an item file, a folder (all ``*.xml`` and ``*.zip`` under it) or a content-package zip."""
    p = Path(path)
    out = QtiImport(str(p))
    if p.is_dir():
        files = _Files(p)
        _read_files(files, [n for n in files.names if n.lower().endswith(".xml")], out)
        for n in (n for n in files.names if n.lower().endswith(".zip")):
            _read_zip(p / n, out, n)
    elif p.suffix.lower() == ".zip":
        _read_zip(p, out, "")
    elif p.is_file():
        files = _Files(p.parent, only=p.name)
        _read_files(files, [p.name], out)
    else:
        out.problems.append(Problem(str(p), None, "no such file or folder"))
    return out
