"""Importing QTI items (a file, a folder or a content-package zip) and serving their media.

Every item of a supported interaction (choice, text entry, inline choice, extended text) is stored as
an item of kind ``qti``; every other item is listed with its interaction types and file. CASE
alignments (from the manifest or item metadata) tie items to skills: by the skill's CASE identifier,
by the last part of the alignment's URI, or through an ``exactMatchOf`` association of an imported
framework. An item with no alignment that resolves is stored without skills (it is not offered for
practice) unless ``skill`` names a skill to align it to.

Images and other media the items use are stored once each (by SHA-256) with a media type decided
from their bytes; a file that is not a known image, audio, video or PDF format is not stored (`core.media`).

A file that cannot be read is an error when it is the whole import; inside a folder or package it is
listed and skipped, or, with ``strict``, refuses the whole import. The import is one transaction.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from learnpath.core import media
from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.interop.qti import Alignment, ImportedItem, QtiImport, read_qti
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.curriculum import System, require_importer
from learnpath.storage.tables import FrameworkAssociation, ItemMedia, ItemRow, ItemSkill, MediaFile, SkillRow

__all__ = ["MediaContent", "QtiReport", "import_qti", "item_media", "media_urls", "sniff_media_type"]

MAX_MEDIA_BYTES = 20 * 1024 * 1024
CODE_LEN = 100


def sniff_media_type(data: bytes) -> str | None:
    """The media type of an item's file judged from its first bytes (SVG included); None when it is not one
    we serve."""
    return media.sniff_media_type(data, svg=True)


@dataclass(frozen=True)
class QtiReport:
    """What a QTI import did: items stored (added, changed, unchanged) and what was left out."""

    source: str
    imported: int
    added: tuple[str, ...]
    changed: tuple[str, ...]
    unchanged: int
    unsupported: tuple[dict[str, Any], ...]
    problems: tuple[str, ...]
    warnings: tuple[str, ...]
    aligned: int
    unaligned: int
    teacher_scored: int
    media: int
    skipped: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        """The ``--json`` object."""
        by_type: dict[str, int] = {}
        for u in self.unsupported:
            for kind in u["unsupported"]:
                by_type[kind] = by_type.get(kind, 0) + 1
        return {
            "kind": "qti",
            "source": self.source,
            "items": self.imported,
            "added": len(self.added),
            "changed": len(self.changed),
            "unchanged": self.unchanged,
            "removed": 0,
            "aligned": self.aligned,
            "unaligned": self.unaligned,
            "teacher_scored": self.teacher_scored,
            "media": self.media,
            "unsupported": list(self.unsupported),
            "unsupported_count": len(self.unsupported),
            "unsupported_by_interaction": dict(sorted(by_type.items())),
            "malformed": list(self.problems),
            "skipped": self.skipped,
            "warnings": len(self.warnings),
            "warning_messages": list(self.warnings),
        }


class _SkillIndex:
    """Resolve CASE alignments to skill ids."""

    def __init__(self, session: Session) -> None:
        rows = session.execute(select(SkillRow.id, SkillRow.identifier, SkillRow.code)).all()
        self.by_identifier = {ident: sid for sid, ident, _ in rows if ident}
        self.by_tail = {ident.rstrip("/").rsplit("/", 1)[-1]: sid for sid, ident, _ in rows if ident}
        self.by_code = {code: sid for sid, _, code in rows}
        self.codes = {sid: code for sid, _, code in rows}
        for a in session.scalars(
            select(FrameworkAssociation).where(FrameworkAssociation.association_type == "exactMatchOf")
        ):
            sid = self.by_identifier.get(a.origin)
            if sid is not None:
                self.by_identifier.setdefault(a.destination, sid)
                self.by_tail.setdefault(a.destination.rstrip("/").rsplit("/", 1)[-1], sid)

    def resolve(self, alignment: Alignment) -> int | None:
        for key in (alignment.identifier, alignment.uri):
            if key and key in self.by_identifier:
                return self.by_identifier[key]
        tail = (alignment.uri or alignment.identifier).rstrip("/").rsplit("/", 1)[-1]
        return self.by_tail.get(tail)


def _body(imported: ImportedItem, codes: tuple[str, ...], code: str) -> dict[str, Any]:
    item = imported.to_item(code=code, skills=codes or ("-",))
    body = item.to_dict()
    for key in ("code", "kind", "skills"):
        body.pop(key)
    return body


def _item_code(identifier: str, taken: set[str]) -> str:
    base = identifier.strip() or "qti-item"
    if len(base) > CODE_LEN:
        base = base[: CODE_LEN - 9] + "~" + hashlib.sha256(base.encode()).hexdigest()[:8]
    code, n = base, 2
    while code in taken:
        suffix = f"~{n}"
        code = base[: CODE_LEN - len(suffix)] + suffix
        n += 1
    return code


def _refuse_problems(result: QtiImport, path: Path, strict: bool) -> None:
    single = path.is_file() and path.suffix.lower() != ".zip"
    if not result.problems or not (single or strict):
        return

    def where(file: str) -> str:  # the reader names files relative to what it was given
        if single:
            return str(path)
        return f"{path}!/{file}" if path.suffix.lower() == ".zip" else str(path / file)

    fields = [
        FieldError(f"{where(p.file)}:{p.line}" if p.line else where(p.file), p.message)
        for p in result.problems
    ]
    raise ValidationError(
        f"{path}: {len(fields)} file(s) could not be read; nothing was imported "
        f"(first: {fields[0].field}: {fields[0].message})",
        fields,
    )


def import_qti(
    ctx: ServiceContext,
    actor: Actor | System,
    path: str | Path,
    *,
    skill: str | None = None,
    strict: bool = False,
    on_item: Callable[[int, int], None] | None = None,
) -> QtiReport:
    """Import the QTI items under ``path``; all in one transaction."""
    require_importer(actor)
    p = Path(path)
    if not p.exists():
        raise ValidationError.for_field(str(path), "no such file or folder")
    result = read_qti(p)
    _refuse_problems(result, p, strict)
    with ctx.unit() as session:
        index = _SkillIndex(session)
        fallback: int | None = None
        if skill is not None:
            fallback = index.by_code.get(skill)
            if fallback is None:
                raise NotFoundError(f"--skill: no skill with code {skill!r}")
        stored = list(session.scalars(select(ItemRow)))
        taken = {r.code for r in stored}
        by_key = {
            (
                str(r.body.get("qti", {}).get("source", "")),
                str(r.body.get("qti", {}).get("identifier", "")),
            ): r
            for r in stored
            if r.kind == "qti" and isinstance(r.body.get("qti"), dict)
        }
        media_by_hash = dict(session.execute(select(MediaFile.sha256, MediaFile.id)).all())
        added: list[str] = []
        changed: list[str] = []
        warnings: list[str] = [f"{i.file}: {w}" for i in result.items for w in i.warnings]
        unchanged = aligned = unaligned = 0
        media_new = 0
        total = len(result.items)
        for n, imported in enumerate(result.items, start=1):
            qti = imported.qti
            skill_ids: list[int] = []
            for alignment in imported.alignments:
                sid = index.resolve(alignment)
                if sid is None:
                    warnings.append(
                        f"{imported.file}: item {qti.identifier!r}: CASE alignment {alignment.identifier!r} "
                        "matches no imported skill"
                    )
                elif sid not in skill_ids:
                    skill_ids.append(sid)
            if not skill_ids and fallback is not None:
                skill_ids.append(fallback)
            aligned += bool(skill_ids)
            unaligned += not skill_ids
            codes = tuple(sorted(index.codes[s] for s in skill_ids))
            row = by_key.get((qti.source, qti.identifier))
            if row is None:
                code = _item_code(qti.identifier, taken)
                taken.add(code)
                row = ItemRow(code=code, kind="qti", body=_body(imported, codes, code), difficulty=0.0)
                session.add(row)
                session.flush()
                added.append(f"{imported.file}: {qti.identifier} as {code}")
                old_skills: set[int] = set()
            else:
                body = _body(imported, codes, row.code)
                if json.dumps(body, sort_keys=True) != json.dumps(row.body, sort_keys=True):
                    row.body = body
                    changed.append(f"{imported.file}: {qti.identifier} ({row.code})")
                else:
                    unchanged += 1
                old_skills = set(
                    session.scalars(select(ItemSkill.skill_id).where(ItemSkill.item_id == row.id))
                )
            if old_skills != set(skill_ids):
                session.execute(delete(ItemSkill).where(ItemSkill.item_id == row.id))
                session.add_all(ItemSkill(item_id=row.id, skill_id=s) for s in skill_ids)
            media_new += _store_media(session, result, imported, row.id, media_by_hash, warnings)
            if on_item is not None:
                on_item(n, total)
        session.flush()
        if unaligned:
            warnings.append(
                f"{unaligned} item(s) have no skill: they are stored but not offered for practice until aligned "
                "(align them with --skill CODE or CASE metadata)"
            )
        return QtiReport(
            str(path),
            len(result.items),
            tuple(added),
            tuple(changed),
            unchanged,
            tuple(
                {
                    "file": u.file,
                    "identifier": u.identifier,
                    "interactions": list(u.interactions),
                    "unsupported": list(u.unsupported),
                }
                for u in result.unsupported
            ),
            tuple(str(p) for p in result.problems),
            tuple(warnings),
            aligned,
            unaligned,
            sum(i.qti.teacher_scored for i in result.items),
            media_new,
            dict(sorted(result.skipped.items())),
        )


def _store_media(
    session: Session,
    result: QtiImport,
    imported: ImportedItem,
    item_id: int,
    media_by_hash: dict[str, int],
    warnings: list[str],
) -> int:
    """Store the item's media files and link them; returns how many new files were stored."""
    stored = {m.path: m for m in session.scalars(select(ItemMedia).where(ItemMedia.item_id == item_id))}
    new_files = 0
    for asset in imported.qti.assets:
        try:
            data = result.read_asset(asset)
        except (OSError, KeyError) as exc:
            warnings.append(f"{imported.file}: media {asset!r} could not be read ({exc}); not shown")
            continue
        media_type = sniff_media_type(data)
        if media_type is None or len(data) > MAX_MEDIA_BYTES:
            why = "is too large" if media_type else "is not a known image, audio or video format"
            warnings.append(f"{imported.file}: media {asset!r} {why}; not stored")
            continue
        digest = hashlib.sha256(data).hexdigest()
        media_id = media_by_hash.get(digest)
        if media_id is None:
            row = MediaFile(sha256=digest, media_type=media_type, size=len(data), content=data)
            session.add(row)
            session.flush()
            media_id = media_by_hash[digest] = row.id
            new_files += 1
        link = stored.pop(asset, None)
        if link is None:
            session.add(ItemMedia(item_id=item_id, path=asset, media_id=media_id))
        elif link.media_id != media_id:
            link.media_id = media_id
    for gone in stored.values():
        session.delete(gone)
    return new_files


# ---------------------------------------------------------------- serving media


@dataclass(frozen=True)
class MediaContent:
    media_type: str
    content: bytes
    sha256: str


def media_urls(ctx: ServiceContext, item_id: int, prefix: str) -> dict[str, str]:
    """``lp-asset`` path -> URL of the stored file, for rendering an item's body."""
    with ctx.unit() as session:
        rows = session.execute(select(ItemMedia.path, ItemMedia.media_id).where(ItemMedia.item_id == item_id))
        return {path: f"{prefix}/items/{item_id}/media/{media_id}" for path, media_id in rows}


def item_media(ctx: ServiceContext, actor: Actor, item_id: int, media_id: int) -> MediaContent:
    """A media file of an item. Every signed-in role may read items (answers aside), so the check is
    that the file belongs to that item; anything else is not found."""
    del actor  # items are readable by every signed-in role (see service/access.py)
    with ctx.unit() as session:
        row = session.execute(
            select(MediaFile)
            .join(ItemMedia, ItemMedia.media_id == MediaFile.id)
            .where(ItemMedia.item_id == item_id, ItemMedia.media_id == media_id)
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(f"no media {media_id} for item {item_id}")
        return MediaContent(row.media_type, row.content, row.sha256)
