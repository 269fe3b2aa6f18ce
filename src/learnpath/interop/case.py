"""Read CASE packages (1EdTech Competencies and Academic Standards Exchange) into ``Framework`` values.

Accepted shapes:

- **CASE 1.0 / 1.1** CFPackage JSON: ``{"CFDocument": ..., "CFItems": [...], "CFAssociations": [...],
  "CFDefinitions": ...}``, also wrapped as ``{"CFPackage": {...}}``.
- The **pre-1.0 draft** shape of early OpenSALT exports (the ASN import of CCSS Math): ASN URIs as
  identifiers, ``educationalLevel`` as a string, ``originNodeIdentifier``/``destinationNodeIdentifier``
  beside the LinkURI objects, ``CFPackageURI``/``CFDocumentURI`` as plain strings.

Tolerated (recorded in ``CasePackage.warnings``): identifiers that are not UUIDs, times without a zone
(read as UTC), ``CFItemType`` given only through ``CFItemTypeURI``, an endpoint given only by URI,
association types in another letter case or outside the vocabulary (kept verbatim), missing titles.

Refused (``ValidationError``; every problem's ``field`` is ``FILE:JSON.PATH`` and its message names the
value found): malformed JSON, no CFDocument, a missing identifier or ``fullStatement``, a value of the
wrong JSON type, an unparsable time, duplicate identifiers, an ``isChildOf`` to an unknown identifier,
an association to an identifier that is neither in the package nor given a URI, a cycle in the
hierarchy. Nothing partial is returned.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from learnpath.core.framework import (
    ASSOCIATION_TYPES,
    Association,
    Framework,
    FrameworkDocument,
    FrameworkItem,
)
from learnpath.errors import FieldError, ValidationError

__all__ = ["CasePackage", "parse_case", "read_case"]

Shape = Literal["draft", "1.0", "1.1"]
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_TYPES = {t.lower(): t for t in ASSOCIATION_TYPES}
_EXT_TYPE = re.compile(r"^ext:[A-Za-z0-9|.\-_]+$")


@dataclass(frozen=True)
class CasePackage:
    """A framework read from one file, with the shape it was in and what was tolerated."""

    framework: Framework
    shape: Shape
    source: str
    warnings: tuple[str, ...] = ()


def read_case(path: str | Path) -> CasePackage:
    """Read a CASE package file (UTF-8 JSON, a BOM allowed)."""
    source = str(path)
    raw = Path(path).read_bytes()
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ValidationError.for_field(
            f"{source}:$", f"expected UTF-8 text, found byte {exc.start}"
        ) from exc
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"{source}: not valid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}",
            [FieldError(f"{source}:{exc.lineno}:{exc.colno}", exc.msg)],
        ) from exc
    return parse_case(data, source)


def parse_case(data: Any, source: str = "<input>") -> CasePackage:
    """Turn decoded JSON into a ``CasePackage``; ``source`` names the file in errors."""
    return _Reader(source).package(data)


def _type_name(value: Any) -> str:
    return {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
        type(value), "number"
    )


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.problems: list[FieldError] = []
        self.warnings: list[str] = []
        self.naive_times = 0
        self.draft_markers: set[str] = set()
        self.node_identifiers = False

    # -- primitives -------------------------------------------------------------------------
    def fail(self, path: str, message: str) -> None:
        self.problems.append(FieldError(f"{self.source}:{path}", message))

    def wrong(self, path: str, expected: str, value: Any) -> None:
        shown = json.dumps(value, ensure_ascii=False)
        shown = shown if len(shown) <= 80 else shown[:77] + "..."
        self.fail(path, f"expected {expected}, found {_type_name(value)} {shown}")

    def text(self, obj: dict[str, Any], key: str, path: str, *, required: bool = False) -> str | None:
        value = obj.get(key)
        if value is None or (value == "" and not required):
            if required:
                self.fail(f"{path}.{key}", "expected a non-empty string, found nothing")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.wrong(f"{path}.{key}", "a non-empty string" if required else "a string", value)
            return None
        return value

    def time(self, obj: dict[str, Any], key: str, path: str) -> datetime | None:
        value = self.text(obj, key, path)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            self.fail(f"{path}.{key}", f"expected an ISO 8601 date-time, found {value!r}")
            return None
        if parsed.tzinfo is None:
            self.naive_times += 1
            parsed = parsed.replace(tzinfo=UTC)
        return parsed

    def strings(self, obj: dict[str, Any], key: str, path: str) -> tuple[str, ...]:
        value = obj.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return tuple(v.strip() for v in value.split(",") if v.strip())
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return tuple(value)
        self.wrong(f"{path}.{key}", "a string or an array of strings", value)
        return ()

    def link(self, obj: dict[str, Any], key: str, path: str) -> tuple[str | None, str | None, str | None]:
        """A LinkURI as ``(identifier, uri, title)``; a plain string is taken as the URI."""
        value = obj.get(key)
        if value is None:
            return None, None, None
        if isinstance(value, str):
            return None, value or None, None
        if not isinstance(value, dict):
            self.wrong(f"{path}.{key}", "a LinkURI object or a URI string", value)
            return None, None, None
        sub = f"{path}.{key}"
        return (
            self.text(value, "identifier", sub),
            self.text(value, "uri", sub),
            self.text(value, "title", sub),
        )

    def objects(self, data: dict[str, Any], key: str) -> list[tuple[str, dict[str, Any]]]:
        value = data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.wrong(key, "an array of objects", value)
            return []
        out = []
        for i, obj in enumerate(value):
            if isinstance(obj, dict):
                out.append((f"{key}[{i}]", obj))
            else:
                self.wrong(f"{key}[{i}]", "an object", obj)
        return out

    # -- entities ---------------------------------------------------------------------------
    def document(self, doc: dict[str, Any]) -> FrameworkDocument | None:
        p = "CFDocument"
        ident = self.text(doc, "identifier", p, required=True)
        title = self.text(doc, "title", p)
        if "subjectURL" in doc:
            self.draft_markers.add("CFDocument.subjectURL")
        case_version = doc.get("caseVersion")
        version = self.text(doc, "version", p)
        if case_version is not None and not isinstance(case_version, str):
            self.wrong(f"{p}.caseVersion", "a string", case_version)
            case_version = None
        document = FrameworkDocument(
            ident or "?",
            title or ident or "?",
            creator=self.text(doc, "creator", p) or "",
            uri=self.text(doc, "uri", p) or self.link(doc, "CFPackageURI", p)[1],
            last_change=self.time(doc, "lastChangeDateTime", p),
            version=version,
            adoption_status=self.text(doc, "adoptionStatus", p),
            subjects=self.strings(doc, "subject", p),
            language=self.text(doc, "language", p),
            description=self.text(doc, "description", p),
            official_source_url=self.text(doc, "officialSourceURL", p),
            case_version=case_version,
        )
        if ident is None:
            return None
        if not title:
            self.warnings.append(f"{self.source}:{p}.title: missing; the identifier stands in for it")
        return document

    def item(self, path: str, obj: dict[str, Any]) -> FrameworkItem | None:
        ident = self.text(obj, "identifier", path, required=True)
        statement = self.text(obj, "fullStatement", path, required=True)
        item_type = self.text(obj, "CFItemType", path)
        type_title = self.link(obj, "CFItemTypeURI", path)[2]
        if "educationalLevel" in obj:
            self.draft_markers.add("CFItems[].educationalLevel")
        levels = self.strings(obj, "educationLevel", path) or self.strings(obj, "educationalLevel", path)
        item = FrameworkItem(
            ident or "?",
            statement or "?",
            code=self.text(obj, "humanCodingScheme", path),
            abbreviated_statement=self.text(obj, "abbreviatedStatement", path),
            item_type=item_type or type_title,
            education_levels=levels,
            list_enumeration=self.text(obj, "listEnumeration", path),
            uri=self.text(obj, "uri", path),
            last_change=self.time(obj, "lastChangeDateTime", path),
            notes=self.text(obj, "notes", path),
            language=self.text(obj, "language", path),
        )
        return None if ident is None or statement is None else item

    def endpoint(
        self, obj: dict[str, Any], side: str, path: str, by_uri: dict[str, str]
    ) -> tuple[str, str | None, str | None] | None:
        node_id = self.text(obj, f"{side}NodeIdentifier", path)
        if node_id is not None:
            self.draft_markers.add(f"CFAssociations[].{side}NodeIdentifier")
            self.node_identifiers = True
        link_id, uri, title = self.link(obj, f"{side}NodeURI", path)
        if node_id and link_id and node_id != link_id:
            self.fail(
                f"{path}.{side}NodeIdentifier",
                f"{node_id!r} disagrees with {side}NodeURI.identifier {link_id!r}",
            )
            return None
        ident = node_id or link_id or (by_uri.get(uri) if uri else None) or uri
        if not ident:
            self.fail(f"{path}.{side}NodeURI", f"expected a LinkURI naming the {side}, found nothing")
            return None
        return ident, uri, title

    def association(self, path: str, obj: dict[str, Any], by_uri: dict[str, str]) -> Association | None:
        ident = self.text(obj, "identifier", path, required=True)
        kind = self.text(obj, "associationType", path, required=True)
        origin = self.endpoint(obj, "origin", path, by_uri)
        dest = self.endpoint(obj, "destination", path, by_uri)
        seq = obj.get("sequenceNumber")
        if isinstance(seq, str) and seq.strip().lstrip("-").isdigit():
            seq = int(seq)
        if seq is not None and (isinstance(seq, bool) or not isinstance(seq, int)):
            self.wrong(f"{path}.sequenceNumber", "an integer", seq)
            seq = None
        grouping = self.link(obj, "CFAssociationGroupingURI", path)[0]
        uri = self.text(obj, "uri", path)
        last_change = self.time(obj, "lastChangeDateTime", path)
        if ident is None or kind is None or origin is None or dest is None:
            return None
        canonical = _TYPES.get(kind.lower())
        if canonical is None:
            canonical = kind
            if not _EXT_TYPE.match(kind):
                self.warnings.append(
                    f"{self.source}:{path}.associationType: {kind!r} is not a CASE type; kept as is"
                )
        return Association(
            ident,
            canonical,
            origin[0],
            dest[0],
            sequence_number=seq,
            origin_uri=origin[1],
            destination_uri=dest[1],
            destination_title=dest[2],
            grouping=grouping,
            uri=uri,
            last_change=last_change,
        )

    # -- the package ------------------------------------------------------------------------
    def package(self, data: Any) -> CasePackage:
        if isinstance(data, dict) and "CFDocument" not in data and isinstance(data.get("CFPackage"), dict):
            data = data["CFPackage"]
        if not isinstance(data, dict):
            self.wrong("$", "a CFPackage object", data)
            raise self.error()
        doc = data.get("CFDocument")
        if not isinstance(doc, dict):
            if doc is None:
                self.fail("CFDocument", "expected a CFDocument object, found none (is this a CASE package?)")
            else:
                self.wrong("CFDocument", "a CFDocument object", doc)
            raise self.error()
        document = self.document(doc)
        items = [self.item(p, o) for p, o in self.objects(data, "CFItems")]
        by_uri = {it.uri: it.identifier for it in items if it is not None and it.uri}
        if document is not None and document.uri:
            by_uri[document.uri] = document.identifier
        assocs = [self.association(p, o, by_uri) for p, o in self.objects(data, "CFAssociations")]
        for key in ("CFRubrics",):
            if data.get(key):
                self.warnings.append(f"{self.source}:{key}: not imported yet")
        if self.problems or document is None:
            raise self.error()
        item_list = [it for it in items if it is not None]
        assoc_list = [a for a in assocs if a is not None]
        try:
            framework = Framework.build(document, item_list, assoc_list)
        except ValidationError as exc:
            for e in exc.errors:
                self.fail(_file_path(e.field), e.message)
            raise self.error() from exc
        return CasePackage(framework, self.shape(document, framework), self.source, self.finish(framework))

    def shape(self, document: FrameworkDocument, framework: Framework) -> Shape:
        if document.case_version == "1.1":
            return "1.1"
        ids = [document.identifier, *(it.identifier for it in framework.items)]
        if self.node_identifiers or not all(_UUID.match(i) for i in ids):
            return "draft"
        return "1.0"

    def finish(self, framework: Framework) -> tuple[str, ...]:
        ids = [
            framework.document.identifier,
            *(x.identifier for x in framework.items),
            *(x.identifier for x in framework.associations),
        ]
        not_uuid = [i for i in ids if not _UUID.match(i)]
        if not_uuid:
            self.warnings.append(
                f"{self.source}: {len(not_uuid)} identifier(s) are not UUIDs (e.g. {not_uuid[0]!r}); kept as given"
            )
        if self.naive_times:
            self.warnings.append(
                f"{self.source}: {self.naive_times} lastChangeDateTime value(s) have no time zone; read as UTC"
            )
        if self.draft_markers:
            self.warnings.append(
                f"{self.source}: pre-1.0 draft fields: {', '.join(sorted(self.draft_markers))}"
            )
        orphans = framework.orphans()
        if orphans:
            self.warnings.append(
                f"{self.source}: {len(orphans)} item(s) have no isChildOf (e.g. {orphans[0].label!r}); shown at the top"
            )
        return tuple(self.warnings)

    def error(self) -> ValidationError:
        first = self.problems[0]
        return ValidationError(
            f"{self.source}: not a valid CASE package ({len(self.problems)} problem(s); first: "
            f"{first.field}: {first.message})",
            self.problems,
        )


def _file_path(field: str) -> str:
    """Map a ``Framework.build`` field (``items[3].identifier``) to the JSON path in the package."""
    for ours, theirs in (("items[", "CFItems["), ("associations[", "CFAssociations[")):
        if field.startswith(ours):
            field = theirs + field[len(ours) :]
    return (
        field.replace(".origin", ".originNodeURI")
        .replace(".destination", ".destinationNodeURI")
        .replace(".association_type", ".associationType")
    )
