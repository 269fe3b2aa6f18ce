"""Standards frameworks (the CASE model): a document, its items and typed associations between them.

Pure values, no I/O: ``learnpath.interop.case`` reads files into these. Every object is keyed by its
CASE ``identifier`` (a UUID in CASE 1.0/1.1, an ASN URI in older drafts), so a re-import of a newer
version of a framework can be compared with the stored one (``diff``) and applied in place.

Directions follow CASE: ``isChildOf`` points from child (origin) to parent (destination); ``precedes``
points from what comes first (origin) to what builds on it (destination), which is exactly a
prerequisite edge ``(prerequisite, skill)`` of ``SkillGraph``. An association endpoint that is not an
item of the package (nor the document) is an *external reference* and is kept, with its URI.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from learnpath.core.graph import SkillGraph, find_cycle
from learnpath.core.time import ensure_utc
from learnpath.errors import FieldError, ValidationError

__all__ = [
    "ASSOCIATION_TYPES",
    "Association",
    "Framework",
    "FrameworkDiff",
    "FrameworkDocument",
    "FrameworkItem",
    "apply_diff",
    "diff",
]

ASSOCIATION_TYPES: tuple[str, ...] = (
    "isChildOf",
    "isPeerOf",
    "isPartOf",
    "exactMatchOf",
    "precedes",
    "isRelatedTo",
    "replacedBy",
    "exemplar",
    "hasSkillLevel",
    "isTranslationOf",
)
"""The CASE 1.1 vocabulary (1.0 plus ``isTranslationOf``); 1.1 also allows ``ext:<name>``."""


def _utc(value: datetime | None, name: str) -> datetime | None:
    return None if value is None else ensure_utc(value, name)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _from_iso(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


@dataclass(frozen=True)
class FrameworkDocument:
    """The CFDocument: what the framework is. ``last_change`` is an aware UTC time or None."""

    identifier: str
    title: str
    creator: str = ""
    uri: str | None = None
    last_change: datetime | None = None
    version: str | None = None
    adoption_status: str | None = None
    subjects: tuple[str, ...] = ()
    language: str | None = None
    description: str | None = None
    official_source_url: str | None = None
    case_version: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "last_change", _utc(self.last_change, "last_change"))
        if not self.identifier:
            raise ValidationError.for_field("identifier", "a framework needs a non-empty identifier")

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "last_change": _iso(self.last_change), "subjects": list(self.subjects)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FrameworkDocument:
        return cls(
            **{
                **data,
                "last_change": _from_iso(data.get("last_change")),
                "subjects": tuple(data.get("subjects", ())),
            }
        )


@dataclass(frozen=True)
class FrameworkItem:
    """A CFItem: one standard, cluster, domain, component... ``code`` is the ``humanCodingScheme``."""

    identifier: str
    full_statement: str
    code: str | None = None
    abbreviated_statement: str | None = None
    item_type: str | None = None
    education_levels: tuple[str, ...] = ()
    list_enumeration: str | None = None
    uri: str | None = None
    last_change: datetime | None = None
    notes: str | None = None
    language: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "last_change", _utc(self.last_change, "last_change"))

    @property
    def label(self) -> str:
        """A short human name: the code, else the abbreviated statement, else the statement's start."""
        if self.code:
            return self.code
        text = self.abbreviated_statement or self.full_statement
        return text if len(text) <= 60 else text[:57] + "..."

    def to_dict(self) -> dict[str, Any]:
        return {
            **self.__dict__,
            "last_change": _iso(self.last_change),
            "education_levels": list(self.education_levels),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> FrameworkItem:
        return cls(
            **{
                **data,
                "last_change": _from_iso(data.get("last_change")),
                "education_levels": tuple(data.get("education_levels", ())),
            }
        )


@dataclass(frozen=True)
class Association:
    """A CFAssociation ``origin --type--> destination``; endpoints are identifiers.

    ``destination_uri``/``origin_uri`` keep where an external endpoint lives (another framework's
    item, a task on the web); ``sequence_number`` orders siblings under one parent.
    """

    identifier: str
    association_type: str
    origin: str
    destination: str
    sequence_number: int | None = None
    uri: str | None = None
    origin_uri: str | None = None
    destination_uri: str | None = None
    destination_title: str | None = None
    grouping: str | None = None
    last_change: datetime | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "last_change", _utc(self.last_change, "last_change"))

    def to_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "last_change": _iso(self.last_change)}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Association:
        return cls(**{**data, "last_change": _from_iso(data.get("last_change"))})


@dataclass(frozen=True)
class Framework:
    """A validated framework. Build it with ``Framework.build``, which checks the references.

    Items and associations keep their input order; ``FieldError.field`` names them as
    ``items[i]``/``associations[i]`` so a reader can point back into its file.
    """

    document: FrameworkDocument
    items: tuple[FrameworkItem, ...] = ()
    associations: tuple[Association, ...] = ()
    _items: Mapping[str, FrameworkItem] = field(default_factory=dict, repr=False, compare=False)
    _children: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)
    _parents: Mapping[str, tuple[str, ...]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def build(
        cls,
        document: FrameworkDocument,
        items: Iterable[FrameworkItem],
        associations: Iterable[Association] = (),
    ) -> Framework:
        """Validate and index. Every problem is reported, not only the first.

        Rules: identifiers are unique across document, items and associations; an ``isChildOf``
        joins an item (origin) to an item or the document (destination) and the hierarchy has no
        cycle; any other association has at least one endpoint in the package, and an endpoint
        outside it must carry a URI (otherwise it is a dangling reference, not an external one).
        """
        item_tuple, assoc_tuple = tuple(items), tuple(associations)
        problems: list[FieldError] = []
        seen: dict[str, str] = {document.identifier: "document"}
        keyed: tuple[tuple[str, tuple[FrameworkItem | Association, ...]], ...] = (
            ("items", item_tuple),
            ("associations", assoc_tuple),
        )
        for kind, objs in keyed:
            for i, obj in enumerate(objs):
                where = f"{kind}[{i}]"
                if not obj.identifier:
                    problems.append(FieldError(f"{where}.identifier", "expected a non-empty identifier"))
                elif obj.identifier in seen:
                    problems.append(
                        FieldError(
                            f"{where}.identifier",
                            f"duplicate identifier {obj.identifier!r} (already used by {seen[obj.identifier]})",
                        )
                    )
                else:
                    seen[obj.identifier] = where
        by_id = {it.identifier: it for it in item_tuple}
        local = set(by_id) | {document.identifier}
        for i, a in enumerate(assoc_tuple):
            problems.extend(_check_association(i, a, by_id, local))
        children: dict[str, list[tuple[int, int, str]]] = {}
        parents: dict[str, list[str]] = {}
        for i, a in enumerate(assoc_tuple):
            if a.association_type == "isChildOf" and a.origin in by_id and a.destination in local:
                seq = a.sequence_number if a.sequence_number is not None else 1 << 62
                children.setdefault(a.destination, []).append((seq, i, a.origin))
                parents.setdefault(a.origin, []).append(a.destination)
        if problems:
            raise ValidationError(f"framework {document.title!r} has {len(problems)} problem(s)", problems)
        cycle = find_cycle(local, [(p, c) for p, kids in children.items() for _, _, c in kids])
        if cycle is not None:
            names = " -> ".join(by_id[c].label if c in by_id else c for c in [*cycle, cycle[0]])
            raise ValidationError.for_field("associations", f"isChildOf hierarchy has a cycle: {names}")
        ordered = {p: tuple(c for _, _, c in sorted(kids)) for p, kids in children.items()}
        return cls(
            document, item_tuple, assoc_tuple, by_id, ordered, {k: tuple(v) for k, v in parents.items()}
        )

    # -- lookup and hierarchy ---------------------------------------------------------------
    def item(self, identifier: str) -> FrameworkItem:
        """The item with this identifier (KeyError if none)."""
        return self._items[identifier]

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._items

    def children(self, identifier: str | None = None) -> tuple[FrameworkItem, ...]:
        """Direct children of an item (or of the document when None), ordered by sequenceNumber,
        then by the order of their ``isChildOf`` associations in the package."""
        key = self.document.identifier if identifier is None else identifier
        return tuple(self._items[c] for c in self._children.get(key, ()))

    def parents(self, identifier: str) -> tuple[str, ...]:
        """Identifiers of the parents of an item (the document's identifier for a top item)."""
        return self._parents.get(identifier, ())

    def orphans(self) -> tuple[FrameworkItem, ...]:
        """Items with no ``isChildOf`` at all (neither under the document nor under another item)."""
        return tuple(it for it in self.items if it.identifier not in self._parents)

    def walk(self) -> Iterator[tuple[int, FrameworkItem]]:
        """Depth-first pre-order ``(depth, item)`` from the document's top items; orphans last at 0.

        An item with several parents is visited once, under the first parent reached.
        """
        seen: set[str] = set()
        stack = [(0, c) for c in reversed(self._children.get(self.document.identifier, ()))]
        stack.extend((0, o.identifier) for o in reversed(self.orphans()))
        while stack:
            depth, ident = stack.pop()
            if ident in seen:
                continue
            seen.add(ident)
            yield depth, self._items[ident]
            stack.extend((depth + 1, c) for c in reversed(self._children.get(ident, ())))

    def by_code(self) -> dict[str, FrameworkItem]:
        """Items that have a code, keyed by it (the first one wins if a code repeats)."""
        out: dict[str, FrameworkItem] = {}
        for it in self.items:
            if it.code and it.code not in out:
                out[it.code] = it
        return out

    def count_by_type(self) -> dict[str, int]:
        """How many associations of each type, e.g. ``{"isChildOf": 16, "precedes": 3}``."""
        counts: dict[str, int] = {}
        for a in self.associations:
            counts[a.association_type] = counts.get(a.association_type, 0) + 1
        return counts

    def of_type(self, association_type: str) -> tuple[Association, ...]:
        return tuple(a for a in self.associations if a.association_type == association_type)

    def external_references(self) -> tuple[Association, ...]:
        """Associations with an endpoint outside the package (kept, never dropped)."""
        local = set(self._items) | {self.document.identifier}
        return tuple(a for a in self.associations if a.origin not in local or a.destination not in local)

    # -- prerequisites ----------------------------------------------------------------------
    def aliases(self) -> dict[str, str]:
        """External identifiers that a local item is an ``exactMatchOf``: external id -> local id."""
        return {
            a.destination: a.origin
            for a in self.of_type("exactMatchOf")
            if a.origin in self._items and a.destination not in self._items
        }

    def prerequisite_edges(self) -> tuple[tuple[str, str], ...]:
        """``precedes`` associations as ``(prerequisite, skill)`` identifier pairs between items.

        An external endpoint is resolved through ``exactMatchOf`` (a local item that exactly matches
        the external one stands for it); edges that still leave the package are in
        ``unresolved_prerequisites``.
        """
        return self._prerequisites()[0]

    def unresolved_prerequisites(self) -> tuple[Association, ...]:
        """``precedes`` associations that could not be tied to two local items."""
        return self._prerequisites()[1]

    def _prerequisites(self) -> tuple[tuple[tuple[str, str], ...], tuple[Association, ...]]:
        alias = self.aliases()
        edges: list[tuple[str, str]] = []
        unresolved: list[Association] = []
        for a in self.of_type("precedes"):
            o, d = alias.get(a.origin, a.origin), alias.get(a.destination, a.destination)
            if o in self._items and d in self._items:
                edges.append((o, d))
            else:
                unresolved.append(a)
        return tuple(dict.fromkeys(edges)), tuple(unresolved)

    def skill_graph(self, extra_edges: Iterable[tuple[str, str]] = ()) -> SkillGraph[str]:
        """The prerequisite DAG over all items (by identifier), from ``precedes`` plus ``extra_edges``.

        A cycle raises ``GraphCycleError`` naming the skills by their codes (``FrameworkItem.label``).
        """
        names = {it.identifier: it.label for it in self.items}
        return SkillGraph.build(list(self._items), [*self.prerequisite_edges(), *extra_edges], names=names)

    def with_associations(self, extra: Iterable[Association]) -> Framework:
        """A new framework with ``extra`` associations appended (validated again)."""
        return Framework.build(self.document, self.items, [*self.associations, *extra])

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document.to_dict(),
            "items": [it.to_dict() for it in self.items],
            "associations": [a.to_dict() for a in self.associations],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Framework:
        return cls.build(
            FrameworkDocument.from_dict(data["document"]),
            [FrameworkItem.from_dict(d) for d in data.get("items", ())],
            [Association.from_dict(d) for d in data.get("associations", ())],
        )


def _check_association(
    i: int, a: Association, by_id: Mapping[str, FrameworkItem], local: set[str]
) -> list[FieldError]:
    where = f"associations[{i}]"
    if not a.association_type:
        return [FieldError(f"{where}.association_type", "expected an association type, found none")]
    if a.association_type == "isChildOf":
        out = []
        if a.origin not in by_id:
            out.append(FieldError(f"{where}.origin", f"isChildOf origin {a.origin!r} is not an item here"))
        if a.destination not in local:
            out.append(
                FieldError(
                    f"{where}.destination",
                    f"isChildOf destination {a.destination!r} is neither an item here nor the document",
                )
            )
        return out
    o_in, d_in = a.origin in local, a.destination in local
    if not (o_in or d_in):
        return [
            FieldError(
                where, f"neither origin {a.origin!r} nor destination {a.destination!r} is in this framework"
            )
        ]
    if not o_in and not a.origin_uri:
        return [FieldError(f"{where}.origin", f"unknown identifier {a.origin!r} and no URI to find it by")]
    if not d_in and not a.destination_uri:
        return [
            FieldError(
                f"{where}.destination", f"unknown identifier {a.destination!r} and no URI to find it by"
            )
        ]
    return []


@dataclass(frozen=True)
class FrameworkDiff:
    """What changes from ``old`` to ``new``, by identifier. ``changed`` holds ``(old, new)`` pairs."""

    added: tuple[FrameworkItem | Association, ...] = ()
    changed: tuple[tuple[FrameworkItem | Association, FrameworkItem | Association], ...] = ()
    removed: tuple[FrameworkItem | Association, ...] = ()
    document: tuple[FrameworkDocument, FrameworkDocument] | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed or self.document)

    def counts(self) -> dict[str, int]:
        """``{"added": n, "changed": n, "removed": n}`` over items and associations together."""
        return {"added": len(self.added), "changed": len(self.changed), "removed": len(self.removed)}


def diff(old: Framework, new: Framework) -> FrameworkDiff:
    """Compare two versions of a framework by identifier (items first, then associations).

    An object whose identifier stays but whose fields differ is *changed*; so a re-import keeps the
    identity (and any learner mastery keyed by it) of every item it does not remove.
    """
    added: list[FrameworkItem | Association] = []
    changed: list[tuple[FrameworkItem | Association, FrameworkItem | Association]] = []
    removed: list[FrameworkItem | Association] = []
    pairs: tuple[tuple[tuple[FrameworkItem | Association, ...], tuple[FrameworkItem | Association, ...]], ...]
    pairs = ((old.items, new.items), (old.associations, new.associations))
    for before, after in pairs:
        b = {x.identifier: x for x in before}
        a = {x.identifier: x for x in after}
        added.extend(x for k, x in a.items() if k not in b)
        changed.extend((b[k], x) for k, x in a.items() if k in b and b[k] != x)
        removed.extend(x for k, x in b.items() if k not in a)
    doc = None if old.document == new.document else (old.document, new.document)
    return FrameworkDiff(tuple(added), tuple(changed), tuple(removed), doc)


def apply_diff(base: Framework, change: FrameworkDiff) -> Framework:
    """Apply ``change`` to ``base``: kept objects stay in place (replaced if changed), added ones follow."""
    gone = {x.identifier for x in change.removed}
    new_version = {o.identifier: n for o, n in change.changed}
    items = [new_version.get(x.identifier, x) for x in base.items if x.identifier not in gone]
    assocs = [new_version.get(x.identifier, x) for x in base.associations if x.identifier not in gone]
    items.extend(x for x in change.added if isinstance(x, FrameworkItem))
    assocs.extend(x for x in change.added if isinstance(x, Association))
    document = change.document[1] if change.document else base.document
    return Framework.build(
        document,
        [x for x in items if isinstance(x, FrameworkItem)],
        [x for x in assocs if isinstance(x, Association)],
    )
