"""Read progression graphs (edge lists between CCSS Math codes) and attach them to a framework.

Formats read (detected from the file, see ``read_progression``):

- ``atc``: the Achieve the Core Coherence Map Google-Sheets JSON feed (``feed.entry[].gsx$edgedesc``,
  ``gsx$begin``, ``gsx$end``, ``gsx$note``);
- ``zimba``: CSV with ``EdgeDesc,Begin,End,Note`` (Zimba's wiring diagram, same edges as ATC);
- ``flywheel``: ``{"dependencies": [{source, target, relationship}]}`` JSON or ``source,target,
  relationship`` CSV.

``Arrow``/``dependency`` become CASE ``precedes`` (begin before end); ``Nondirectional link``/
``conceptual connection`` become ``isRelatedTo``. Every edge keeps its file and line (JSON: the line
and column of the edge object, and its JSON path) so that an unknown code can be reported there.

**Code normalisation** (``normalise_code``), so that ``CCSS.Math.Content.3.OA.C.7``, ``3.OA.C.7`` and
``3.OA.7`` meet, and ``CCSS.Math.Content.HSA-REI.D.10``, ``HSA.REI.D.10`` and ``A-REI.D.10`` meet:

1. drop a qualifier after ``||`` (``0.CC.1||to 20`` -> ``0.CC.1``), surrounding spaces, and the prefixes
   ``CCSS.Math.Content.`` / ``CCSS.Math.Practice.`` (any letter case);
2. upper-case; ``-`` separates like ``.``;
3. grade ``0``, ``00`` or ``KG`` is ``K``; a leading zero goes (``03`` -> ``3``); ``HSA``/``HSN``/``HSF``/
   ``HSG``/``HSS`` become the conceptual category letter (``A``...); ``MP8`` is ``MP.8``;
4. a component letter is its own part (``4.NF.B.3a`` -> ``4.NF.B.3.A``);
5. the cluster letter before a standard number is dropped (``3.OA.C.7`` -> ``3.OA.7``): CCSS numbers
   standards uniquely within a grade's domain (HS: within a domain), which is why Zimba could omit it.
   A cluster code itself keeps its letter (``3.OA.C``).

A field listing several codes is expanded (after dropping the ``||`` qualifier, which runs to the end
of the field and may itself hold ``;`` or ``,``): ``;`` separates codes, ``,`` lists siblings that replace the
last part (``4.NF.3.a,b,c`` -> ``4.NF.3.a``, ``4.NF.3.b``, ``4.NF.3.c``; ``3.OA.1,2;4.OA.1,2``), and an
edge between lists becomes every pair.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from learnpath.core.framework import Association, Framework
from learnpath.core.graph import SkillGraph, find_cycle
from learnpath.errors import FieldError, GraphCycleError, ValidationError

__all__ = [
    "Progression",
    "ProgressionEdge",
    "ProgressionMapping",
    "UnknownCode",
    "expand_codes",
    "map_progression",
    "normalise_code",
    "progression_graph",
    "read_progression",
]

Relation = Literal["precedes", "isRelatedTo"]
_RELATIONS: dict[str, Relation] = {
    "arrow": "precedes",
    "dependency": "precedes",
    "precedes": "precedes",
    "nondirectional link": "isRelatedTo",
    "conceptual connection": "isRelatedTo",
    "isrelatedto": "isRelatedTo",
}
_PREFIX = re.compile(r"^CCSS\.MATH\.(CONTENT|PRACTICE)\.", re.IGNORECASE)
_HS = re.compile(r"^HS([NAFGSM])$")
_NUM_LETTER = re.compile(r"^(\d+)([A-Z])$")
_NAMESPACE = uuid.UUID("5c1f0d44-6c1e-4f0a-9b8e-6c6561726e70")


def normalise_code(code: str) -> str:
    """The comparison key of a CCSS Math code (rules in the module docstring)."""
    text = _PREFIX.sub("", code.split("||", 1)[0].strip()).upper().replace("-", ".")
    parts = [p for p in text.split(".") if p]
    if parts and _HS.match(parts[0]):
        parts[0] = parts[0][2]
    elif parts and parts[0] == "HS" and len(parts) > 1:
        parts = parts[1:]
    if parts and parts[0] in ("0", "00", "KG"):
        parts[0] = "K"
    elif parts and parts[0].isdigit():
        parts[0] = str(int(parts[0]))
    if parts and re.fullmatch(r"MP\d+", parts[0]):
        parts[0:1] = ["MP", parts[0][2:]]
    split: list[str] = []
    for i, p in enumerate(parts):
        m = _NUM_LETTER.match(p)
        split.extend([m.group(1), m.group(2)] if m and i >= 2 else [p])
    if len(split) >= 4 and re.fullmatch(r"[A-Z]", split[2]) and split[3].isdigit():
        del split[2]
    return ".".join(split)


def expand_codes(field: str) -> tuple[str, ...]:
    """The codes a field names: ``4.NF.3.a,b,c`` -> three codes; qualifiers after ``||`` dropped."""
    out: list[str] = []
    for group in field.split("||", 1)[0].split(";"):
        head, *siblings = group.split(",")
        head = head.strip()
        if not head:
            continue
        out.append(head)
        stem = head.rsplit(".", 1)[0]
        out.extend(f"{stem}.{s.strip()}" for s in siblings if s.strip())
    return tuple(out)


@dataclass(frozen=True)
class ProgressionEdge:
    """One edge as written: raw codes, the relation, and where it is (file, line, locator)."""

    begin: str
    end: str
    relation: Relation
    source: str
    line: int
    locator: str = ""
    note: str = ""
    column: int = 0

    @property
    def where(self) -> str:
        """``FILE:LINE`` (``FILE:LINE:COLUMN`` for JSON) and the locator, e.g. ``(feed.entry[20])``."""
        col = f":{self.column}" if self.column else ""
        return f"{self.source}:{self.line}{col}" + (f" ({self.locator})" if self.locator else "")


@dataclass(frozen=True)
class Progression:
    """The edges of one progression file, in file order."""

    source: str
    format: str
    edges: tuple[ProgressionEdge, ...]


def read_progression(path: str | Path) -> Progression:
    """Read a progression edge list, detecting its format from the content."""
    source = str(path)
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationError.for_field(source, f"expected UTF-8 text, found byte {exc.start}") from exc
    if text.lstrip().startswith(("{", "[")):
        return _read_json(text, source)
    return _read_csv(text, source)


def _relation(value: Any, source: str, where: str) -> Relation:
    rel = _RELATIONS.get(str(value).strip().lower()) if isinstance(value, str) else None
    if rel is None:
        raise ValidationError.for_field(
            f"{source}:{where}",
            f"expected a relation ({', '.join(sorted(_RELATIONS))}), found {value!r}",
        )
    return rel


def _read_csv(text: str, source: str) -> Progression:
    reader = csv.DictReader(io.StringIO(text))
    header = {h.strip() for h in reader.fieldnames or ()}
    if {"EdgeDesc", "Begin", "End"} <= header:
        fmt, cols = "zimba", ("EdgeDesc", "Begin", "End", "Note")
    elif {"source", "target", "relationship"} <= header:
        fmt, cols = "flywheel", ("relationship", "source", "target", "")
    else:
        raise ValidationError.for_field(
            f"{source}:1",
            f"expected a header with EdgeDesc,Begin,End or source,target,relationship, found {sorted(header)}",
        )
    edges: list[ProgressionEdge] = []
    for row in reader:
        line = reader.line_num
        rel_col, begin_col, end_col, note_col = cols
        begin, end = (row.get(begin_col) or "").strip(), (row.get(end_col) or "").strip()
        if not begin or not end:
            raise ValidationError.for_field(
                f"{source}:{line}", f"expected both {begin_col} and {end_col}, found {begin!r} and {end!r}"
            )
        rel = _relation(row.get(rel_col), source, f"{line}.{rel_col}")
        note = (row.get(note_col) or "").strip() if note_col else ""
        edges.append(ProgressionEdge(begin, end, rel, source, line, f"row {line}", note))
    return Progression(source, fmt, tuple(edges))


def _read_json(text: str, source: str) -> Progression:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError.for_field(f"{source}:{exc.lineno}:{exc.colno}", exc.msg) from exc
    path: tuple[str, ...]
    if isinstance(data, dict) and isinstance(data.get("feed"), dict) and "entry" in data["feed"]:
        fmt, path = "atc", ("feed", "entry")
    elif isinstance(data, dict) and "dependencies" in data:
        fmt, path = "flywheel", ("dependencies",)
    else:
        raise ValidationError.for_field(
            source, "expected an ATC sheet feed (feed.entry) or {'dependencies': [...]}; found neither"
        )
    located = _locate_array(text, path)
    if len(located) != len(_dig(data, path, source)):  # pragma: no cover - the walker mirrors json.loads
        raise ValidationError.for_field(source, "could not locate the edges in the text")
    edges: list[ProgressionEdge] = []
    jpath = ".".join(path)
    for i, (obj, line, col) in enumerate(located):
        where = f"{jpath}[{i}]"
        if not isinstance(obj, dict):
            raise ValidationError.for_field(
                f"{source}:{line}:{col}", f"{where}: expected an object, found {obj!r}"
            )
        if fmt == "atc":
            got = {k: _cell(obj, f"gsx${k}") for k in ("edgedesc", "begin", "end", "note")}
            keys = ("edgedesc", "begin", "end", "note")
        else:
            got = {k: obj.get(k) for k in ("relationship", "source", "target")}
            keys = ("relationship", "source", "target", "")
        rel_key, begin_key, end_key, note_key = keys
        begin, end = got[begin_key], got[end_key]
        if not isinstance(begin, str) or not begin.strip() or not isinstance(end, str) or not end.strip():
            raise ValidationError.for_field(
                f"{source}:{line}:{col}", f"{where}: expected two codes, found {begin!r} and {end!r}"
            )
        rel = _relation(got[rel_key], source, f"{line}:{col} {where}")
        note = got.get(note_key) if note_key else ""
        edges.append(
            ProgressionEdge(
                begin.strip(), end.strip(), rel, source, line, where, str(note or "").strip(), col
            )
        )
    return Progression(source, fmt, tuple(edges))


def _cell(obj: dict[str, Any], key: str) -> Any:
    value = obj.get(key)
    return value.get("$t") if isinstance(value, dict) else value


def _dig(data: Any, path: Iterable[str], source: str) -> list[Any]:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    if not isinstance(data, list):
        raise ValidationError.for_field(f"{source}:{'.'.join(path)}", f"expected an array, found {data!r}")
    return data


def _locate_array(text: str, path: tuple[str, ...]) -> list[tuple[Any, int, int]]:
    """Decode the array at ``path`` with each element's line and column (1-based)."""
    dec = json.JSONDecoder()
    ws = re.compile(r"\s*")

    def skip(i: int) -> int:
        m = ws.match(text, i)
        return m.end() if m else i

    i = skip(0)
    for key in path:
        if text[i] != "{":
            return []
        i = skip(i + 1)
        while text[i] != "}":
            name, i = dec.raw_decode(text, i)
            i = skip(skip(i) + 1)  # past ':'
            if name == key:
                break
            _, i = dec.raw_decode(text, i)
            i = skip(i)
            if text[i] == ",":
                i = skip(i + 1)
        else:
            return []
    if text[i] != "[":
        return []
    out: list[tuple[Any, int, int]] = []
    i = skip(i + 1)
    while text[i] != "]":
        line = text.count("\n", 0, i) + 1
        col = i - text.rfind("\n", 0, i)
        value, i = dec.raw_decode(text, i)
        out.append((value, line, col))
        i = skip(i)
        if text[i] == ",":
            i = skip(i + 1)
    return out


@dataclass(frozen=True)
class UnknownCode:
    """A code in an edge that no framework item has, and where the edge is."""

    code: str
    key: str
    edge: ProgressionEdge

    def __str__(self) -> str:
        return (
            f"{self.edge.where}: unknown code {self.code!r} (normalised {self.key!r}) "
            f"in edge {self.edge.begin} -> {self.edge.end}"
        )


@dataclass(frozen=True)
class ProgressionMapping:
    """A progression attached to a framework: new associations plus what could not be attached.

    ``edges_read`` counts edges in the file, ``pairs`` the item pairs after expanding code lists;
    ``associations`` holds the distinct mapped pairs (identifiers are stable UUIDv5 of type, origin and
    destination, so a re-import finds them again); ``unknown`` the codes that no item has;
    ``self_loops`` edges whose two ends are one item once qualifiers (``||to 20``) are dropped;
    ``dropped`` the ``(origin, destination, where)`` left out by ``break_group_cycles``.
    """

    source: str
    edges_read: int
    pairs: int
    associations: tuple[Association, ...]
    unknown: tuple[UnknownCode, ...]
    self_loops: tuple[ProgressionEdge, ...]
    ambiguous: tuple[str, ...]
    origins: dict[tuple[str, str], tuple[ProgressionEdge, ...]]
    dropped: tuple[tuple[str, str, str], ...] = ()
    labels: dict[str, str] = field(default_factory=dict)

    def prerequisite_edges(self) -> tuple[tuple[str, str], ...]:
        return tuple((a.origin, a.destination) for a in self.associations if a.association_type == "precedes")

    def count_by_type(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for a in self.associations:
            counts[a.association_type] = counts.get(a.association_type, 0) + 1
        return counts

    def unknown_edges(self) -> tuple[ProgressionEdge, ...]:
        """Edges (as written) with at least one unknown code, each once."""
        return tuple(dict.fromkeys(u.edge for u in self.unknown))

    def warnings(self) -> list[str]:
        out = [str(u) for u in self.unknown]
        out.extend(
            f"{e.where}: {e.begin} -> {e.end} joins an item to itself; skipped" for e in self.self_loops
        )
        out.extend(
            f"{self.source}: code key {k!r} matches several items; the first is used" for k in self.ambiguous
        )
        out.extend(
            f"{where}: {self.labels[o]} -> {self.labels[d]} comes from a code list and would close a cycle; "
            "dropped"
            for o, d, where in self.dropped
        )
        return out


def code_index(framework: Framework) -> tuple[dict[str, str], tuple[str, ...]]:
    """Normalised code -> item identifier, and the keys that more than one item shares."""
    index: dict[str, str] = {}
    ambiguous: list[str] = []
    for it in framework.items:
        if not it.code:
            continue
        key = normalise_code(it.code)
        if key in index and index[key] != it.identifier:
            ambiguous.append(key)
        else:
            index.setdefault(key, it.identifier)
    return index, tuple(dict.fromkeys(ambiguous))


def map_progression(
    framework: Framework, progression: Progression, *, break_group_cycles: bool = False
) -> ProgressionMapping:
    """Attach the edges to the framework's items by normalised code.

    Unknown codes are returned (with file and line), not raised, for the caller to report or refuse.
    With ``break_group_cycles``, a ``precedes`` pair that only comes from expanding a code list
    (``0.G.1,2 -> 0.G.3,4``) is skipped, and listed in ``dropped``, when it would close a cycle with
    the framework's own ``precedes``, the single-code edges and the list pairs kept before it in file
    order. Single-code edges are never dropped: a cycle among them is always reported.
    """
    index, ambiguous = code_index(framework)
    unknown: list[UnknownCode] = []
    loops: list[ProgressionEdge] = []
    origins: dict[tuple[str, str, str], list[ProgressionEdge]] = {}
    single: set[tuple[str, str, str]] = set()
    pairs = 0
    for edge in progression.edges:
        ends: list[list[str]] = []
        for codes in (expand_codes(edge.begin), expand_codes(edge.end)):
            ids = []
            for code in codes:
                key = normalise_code(code)
                if key in index:
                    ids.append(index[key])
                else:
                    unknown.append(UnknownCode(code, key, edge))
            ends.append(ids)
        for o in ends[0]:
            for d in ends[1]:
                pairs += 1
                if o == d:
                    loops.append(edge)
                    continue
                origins.setdefault((edge.relation, o, d), []).append(edge)
                if len(ends[0]) == len(ends[1]) == 1:
                    single.add((edge.relation, o, d))
    dropped: list[tuple[str, str, str]] = []
    if break_group_cycles:
        succ: dict[str, set[str]] = {}
        for o, d in [
            *framework.prerequisite_edges(),
            *((o, d) for r, o, d in origins if r == "precedes" and (r, o, d) in single),
        ]:
            succ.setdefault(o, set()).add(d)
        for triple in [k for k in origins if k[0] == "precedes" and k not in single]:
            _, o, d = triple
            if _reaches(succ, d, o):
                dropped.append((o, d, "; ".join(e.where for e in origins[triple])))
                del origins[triple]
            else:
                succ.setdefault(o, set()).add(d)
    assocs = tuple(
        Association(
            str(uuid.uuid5(_NAMESPACE, f"{framework.document.identifier}|{rel}|{o}|{d}")),
            rel,
            o,
            d,
            destination_title=framework.item(d).code,
        )
        for rel, o, d in origins
    )
    return ProgressionMapping(
        progression.source,
        len(progression.edges),
        pairs,
        assocs,
        tuple(unknown),
        tuple(dict.fromkeys(loops)),
        ambiguous,
        {(o, d): tuple(v) for (rel, o, d), v in origins.items() if rel == "precedes"},
        tuple(dropped),
        {k: framework.item(k).label for o, d, _ in dropped for k in (o, d)},
    )


def _reaches(succ: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = {start}, [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        for nxt in succ.get(node, ()):
            if nxt not in seen:
                seen.add(nxt)
                todo.append(nxt)
    return False


def progression_graph(framework: Framework, *mappings: ProgressionMapping) -> SkillGraph[str]:
    """The prerequisite DAG of the framework's own ``precedes`` plus the mappings' ``precedes``.

    A cycle raises ``GraphCycleError``: ``cycle`` names the skills by code, and ``errors`` lists each
    edge of the cycle with the file and line it came from.
    """
    edges = [*framework.prerequisite_edges(), *(e for m in mappings for e in m.prerequisite_edges())]
    cycle = find_cycle([it.identifier for it in framework.items], edges)
    if cycle is not None:
        err = GraphCycleError([framework.item(c).label for c in cycle])
        for o, d in zip(cycle, [*cycle[1:], cycle[0]], strict=True):
            found = [e.where for m in mappings for e in m.origins.get((o, d), ())] or [
                "the framework's precedes"
            ]
            err.errors.append(
                FieldError(
                    "prerequisites",
                    f"{framework.item(o).label} -> {framework.item(d).label} from {'; '.join(found)}",
                )
            )
        raise err
    return framework.skill_graph(e for m in mappings for e in m.prerequisite_edges())
