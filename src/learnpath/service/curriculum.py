"""Importing standards: CASE frameworks and progression graphs, each import one transaction.

- ``import_case`` stores a CASE package (1.0, 1.1 or the older draft shape): every CFItem becomes a
  skill (keyed by its identifier within the framework), every association is kept verbatim in
  ``framework_associations`` (hierarchy, ordering and all other types), and ``precedes`` become
  prerequisite edges. A re-import of a newer version compares by identifier and updates in place:
  kept skills keep their row id, so learner mastery on them survives; removed skills go.
- ``import_progressions`` attaches an edge list (Coherence Map, Zimba, flywheel) to an imported
  framework by standard code. Unknown codes are warnings naming code, file and line; a cycle is
  refused with the cycle's skills and the lines its edges came from.
- ``dry_run=True`` runs the whole import, reports what would be added, changed and removed, and
  rolls it back, so a dry run and a real run never disagree.

Only admins import (or the system, from the command line: pass ``SYSTEM``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from learnpath.core.framework import (
    Association,
    Framework,
    FrameworkDocument,
    FrameworkItem,
    diff,
)
from learnpath.core.graph import SkillGraph
from learnpath.errors import ConflictError, FieldError, NotFoundError, ValidationError
from learnpath.interop.case import read_case
from learnpath.interop.progressions import (
    Progression,
    map_progression,
    progression_graph,
    read_progression,
)
from learnpath.service.access import Actor, require_role
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import (
    Framework as FrameworkRow,
)
from learnpath.storage.tables import (
    FrameworkAssociation,
    LearnerStateRow,
    MasteryRow,
    SkillEdge,
    SkillRow,
)

__all__ = [
    "SYSTEM",
    "ImportReport",
    "System",
    "import_case",
    "import_progressions",
    "require_importer",
]

Step = Callable[[str], None]
CODE_LEN = 100


class System:
    """The system itself acting (the command line run by whoever runs the server)."""

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = System()


def require_importer(actor: Actor | System) -> None:
    """Imports change the curriculum of every school: admins and the system only."""
    if not isinstance(actor, System):
        require_role(actor, "admin")


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a dry run, would do). Lists hold one line per object."""

    kind: str
    framework: str
    title: str
    dry_run: bool
    skills: int
    edges: int
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def counts(self) -> dict[str, Any]:
        """The ``--json`` object: counts, plus the framework and the warning texts."""
        return {
            "kind": self.kind,
            "framework": self.framework,
            "dry_run": self.dry_run,
            "skills": self.skills,
            "edges": self.edges,
            "added": len(self.added),
            "changed": len(self.changed),
            "removed": len(self.removed),
            "warnings": len(self.warnings),
            "warning_messages": list(self.warnings),
            **self.extra,
        }


class _DryRun(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__("dry run")
        self.report = report


def _noop(_: str) -> None:
    return None


# ---------------------------------------------------------------- reading back what is stored


def _framework_row(session: Session, identifier: str) -> FrameworkRow | None:
    return session.scalars(select(FrameworkRow).where(FrameworkRow.identifier == identifier)).first()


def _stored_framework(session: Session, row: FrameworkRow) -> Framework:
    """The framework as stored from its own package (progression associations left out)."""
    skills = session.scalars(
        select(SkillRow.details)
        .where(SkillRow.framework_id == row.id)
        .order_by(SkillRow.position, SkillRow.id)
    )
    items = [FrameworkItem.from_dict(details) for details in skills if details]
    assocs = session.scalars(
        select(FrameworkAssociation.details)
        .where(FrameworkAssociation.framework_id == row.id, FrameworkAssociation.source == "")
        .order_by(FrameworkAssociation.id)
    )
    return Framework.build(
        FrameworkDocument.from_dict(row.document or {"identifier": row.identifier, "title": row.title}),
        items,
        [Association.from_dict(details) for details in assocs],
    )


def _other_associations(
    session: Session, row: FrameworkRow, framework: Framework, but: str
) -> list[Association]:
    """Associations attached from progression files other than ``but``, once per identifier."""
    seen = {a.identifier for a in framework.associations}
    out: list[Association] = []
    rows = session.execute(
        select(
            FrameworkAssociation.identifier,
            FrameworkAssociation.origin,
            FrameworkAssociation.destination,
            FrameworkAssociation.details,
        )
        .where(
            FrameworkAssociation.framework_id == row.id,
            FrameworkAssociation.source != "",
            FrameworkAssociation.source != but,
        )
        .order_by(FrameworkAssociation.id)
    )
    for ident, origin, destination, details in rows:
        if ident not in seen and origin in framework and destination in framework:
            seen.add(ident)
            out.append(Association.from_dict(details))
    return out


# ---------------------------------------------------------------- skills from CFItems


def _grade(levels: Sequence[str]) -> int | None:
    grades = []
    for level in levels:
        text = level.strip().upper()
        if text in ("K", "KG", "00"):
            grades.append(0)
        elif text in ("PK", "PREK"):
            grades.append(-1)
        elif text.isdigit():
            grades.append(int(text))
    return min(grades) if grades else None


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _domains(framework: Framework) -> dict[str, str]:
    """Each item's nearest ancestor of type Domain (its statement), by identifier."""
    out: dict[str, str] = {}
    stack: list[tuple[str | None, str]] = [(None, "")]
    while stack:
        parent, domain = stack.pop()
        for child in framework.children(parent):
            if child.identifier in out:
                continue
            out[child.identifier] = domain
            own = domain
            if (child.item_type or "").lower() == "domain":
                own = _short(child.abbreviated_statement or child.full_statement, 100)
            stack.append((child.identifier, own))
    return out


def _unique_code(wanted: str, document: str, taken: set[str]) -> str:
    """``wanted`` if free, else ``wanted@HASH`` (of the framework) and then a counter."""
    base = wanted if len(wanted) <= CODE_LEN else wanted[: CODE_LEN - 9] + "~" + _hash(wanted, 8)
    if base not in taken:
        return base
    tag = "@" + _hash(document, 6)
    candidate = base[: CODE_LEN - len(tag)] + tag
    n = 2
    while candidate in taken:
        suffix = f"{tag}.{n}"
        candidate = base[: CODE_LEN - len(suffix)] + suffix
        n += 1
    return candidate


def _hash(text: str, n: int) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:n]


@dataclass
class _Changes:
    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _describe(obj: FrameworkItem | Association, labels: dict[str, str]) -> str:
    if isinstance(obj, FrameworkItem):
        return f"skill {obj.label} ({obj.identifier})"
    o, d = labels.get(obj.origin, obj.origin), labels.get(obj.destination, obj.destination)
    return f"{obj.association_type} {o} -> {d} ({obj.identifier})"


def _store_skills(
    session: Session, row: FrameworkRow, framework: Framework, changes: _Changes
) -> tuple[set[int], set[int]]:
    """Insert, update and delete the framework's skills; returns (removed ids, ids whose code changed)."""
    existing = {
        s.identifier: s
        for s in session.scalars(select(SkillRow).where(SkillRow.framework_id == row.id))
        if s.identifier
    }
    others = set(session.scalars(select(SkillRow.code).where(SkillRow.framework_id != row.id)))
    if existing:
        base = min(s.position for s in existing.values())
    else:
        base = (session.scalar(select(func.max(SkillRow.position))) or 0) + 1
    domains = _domains(framework)
    order = {item.identifier: (i, depth) for i, (depth, item) in enumerate(framework.walk())}
    gone = set(existing) - {it.identifier for it in framework.items}
    removed_ids = {existing.pop(i).id for i in gone}
    if removed_ids:
        session.execute(delete(SkillRow).where(SkillRow.id.in_(removed_ids)))
    taken = set(others)
    codes: dict[str, str] = {}
    for item in framework.items:  # a kept skill keeps its code while it still fits
        old = existing.get(item.identifier)
        wanted = _unique_code(item.code or item.identifier, "", set())
        if (
            old is not None
            and old.code not in taken
            and (old.code == wanted or old.code.startswith(wanted + "@"))
        ):
            codes[item.identifier] = old.code
            taken.add(old.code)
    for item in framework.items:
        if item.identifier in codes:
            continue
        wanted = item.code or item.identifier
        code = _unique_code(wanted, framework.document.identifier, taken)
        if code != wanted and item.code:
            changes.warnings.append(
                f"CFItems {item.identifier!r}: humanCodingScheme {item.code!r} is already used by another "
                f"skill; stored as {code!r}"
            )
        codes[item.identifier] = code
        taken.add(code)
    code_changed: set[int] = set()
    new_rows: list[dict[str, Any]] = []
    for item in framework.items:
        position, depth = order[item.identifier]
        values: dict[str, Any] = {
            "code": codes[item.identifier],
            "name": _short(item.abbreviated_statement or item.full_statement, 300),
            "description": item.full_statement,
            "grade": _grade(item.education_levels),
            "domain": domains.get(item.identifier, ""),
            "position": base + position,
            "item_type": _short(item.item_type or "", 100),
            "depth": depth,
            "details": item.to_dict(),
        }
        old = existing.get(item.identifier)
        if old is None:
            new_rows.append({"framework_id": row.id, "identifier": item.identifier, "name_es": "", **values})
            continue
        if old.code != values["code"]:
            code_changed.add(old.id)
        for key, value in values.items():
            if getattr(old, key) != value:
                setattr(old, key, value)
    session.flush()
    if new_rows:
        session.execute(insert(SkillRow), new_rows)
    return removed_ids, code_changed


def _store_associations(
    session: Session, row: FrameworkRow, source: str, associations: Iterable[Association]
) -> tuple[int, int, int]:
    """Make the stored associations of ``source`` exactly ``associations``; (added, changed, removed)."""
    stored = {
        ident: (aid, details)
        for aid, ident, details in session.execute(
            select(
                FrameworkAssociation.id, FrameworkAssociation.identifier, FrameworkAssociation.details
            ).where(FrameworkAssociation.framework_id == row.id, FrameworkAssociation.source == source)
        )
    }
    wanted = {a.identifier: a for a in associations}
    added = changed = 0
    new_rows: list[dict[str, Any]] = []
    for ident, a in wanted.items():
        details = a.to_dict()
        old = stored.get(ident)
        if old is None:
            added += 1
            new_rows.append(
                {
                    "framework_id": row.id,
                    "source": source,
                    "identifier": ident,
                    "association_type": a.association_type,
                    "origin": a.origin,
                    "destination": a.destination,
                    "sequence_number": a.sequence_number,
                    "details": details,
                }
            )
        elif old[1] != details:
            changed += 1
            session.execute(
                update(FrameworkAssociation)
                .where(FrameworkAssociation.id == old[0])
                .values(
                    association_type=a.association_type,
                    origin=a.origin,
                    destination=a.destination,
                    sequence_number=a.sequence_number,
                    details=details,
                )
            )
    gone = [stored[i][0] for i in stored if i not in wanted]
    if gone:
        session.execute(delete(FrameworkAssociation).where(FrameworkAssociation.id.in_(gone)))
    if new_rows:
        session.execute(insert(FrameworkAssociation), new_rows)
    session.flush()
    return added, changed, len(gone)


def _sync_edges(session: Session, row: FrameworkRow, framework: Framework) -> tuple[int, list[str]]:
    """Derive the framework's prerequisite edges from every stored ``precedes`` (package and
    progressions), check they form a DAG, and store them. Returns (edge count, warnings)."""
    full = framework.with_associations(_other_associations(session, row, framework, but=""))
    graph = full.skill_graph()  # GraphCycleError names the cycle by code
    ids = {
        ident: sid
        for sid, ident in session.execute(
            select(SkillRow.id, SkillRow.identifier).where(SkillRow.framework_id == row.id)
        )
        if ident
    }
    wanted = {(ids[a], ids[b]) for a, b in graph.edges}
    skill_ids = set(ids.values())
    stored = {
        (a, b)
        for a, b in session.execute(
            select(SkillEdge.prerequisite_id, SkillEdge.skill_id).where(
                SkillEdge.skill_id.in_(select(SkillRow.id).where(SkillRow.framework_id == row.id))
            )
        )
        if a in skill_ids
    }
    for a, b in stored - wanted:
        session.execute(delete(SkillEdge).where(SkillEdge.prerequisite_id == a, SkillEdge.skill_id == b))
    if wanted - stored:
        session.execute(
            insert(SkillEdge), [{"prerequisite_id": a, "skill_id": b} for a, b in sorted(wanted - stored)]
        )
    warnings = [
        f"precedes {a.identifier!r}: {a.origin} -> {a.destination} leaves the framework; kept, not an edge"
        for a in full.unresolved_prerequisites()
    ]
    return len(wanted), warnings


def _check_global_dag(session: Session) -> None:
    """Every skill edge stored, of every framework, must still form one DAG."""
    codes = dict(session.execute(select(SkillRow.id, SkillRow.code)).all())
    edges = session.execute(select(SkillEdge.prerequisite_id, SkillEdge.skill_id)).all()
    SkillGraph.build(list(codes), edges, names=codes)


def _forget_derived_states(session: Session, skill_ids: set[int]) -> None:
    """Learner states are keyed by skill code: drop (to replay from attempts) those touching ``skill_ids``."""
    if not skill_ids:
        return
    learners = select(MasteryRow.learner_id).where(MasteryRow.skill_id.in_(skill_ids)).distinct()
    session.execute(delete(LearnerStateRow).where(LearnerStateRow.learner_id.in_(learners)))


# ---------------------------------------------------------------- CASE


def import_case(
    ctx: ServiceContext,
    actor: Actor | System,
    path: str | Path,
    *,
    dry_run: bool = False,
    progressions: Sequence[str | Path] = (),
    on_step: Step = _noop,
) -> ImportReport:
    """Import (or re-import) a CASE package file, then attach ``progressions`` to it; all or nothing.

    Progression files are read as by ``import_progressions`` (unknown codes warned, list-made cycles
    dropped); the report counts the framework's and the progressions' changes together.
    """
    require_importer(actor)
    on_step(f"reading {path}")
    package = read_case(path)
    edge_lists = [(p, read_progression(p)) for p in progressions]
    new = package.framework
    doc = new.document
    try:
        with ctx.unit() as session:
            on_step("comparing with the stored framework")
            row = _framework_row(session, doc.identifier)
            if row is not None and not row.shape:
                raise ConflictError(
                    f"{path}: framework {doc.identifier!r} already exists and was not imported from CASE; "
                    "refusing to overwrite it"
                )
            if row is None:
                old = Framework.build(doc, ())
                row = FrameworkRow(identifier=doc.identifier, title=_short(doc.title, 300))
                session.add(row)
                session.flush()
            else:
                old = _stored_framework(session, row)
            change = diff(old, new)
            labels = {it.identifier: it.label for it in (*old.items, *new.items)}
            changes = _Changes(warnings=list(package.warnings))
            changes.added = [_describe(x, labels) for x in change.added]
            changes.changed = [_describe(n, labels) for _, n in change.changed]
            changes.removed = [_describe(x, labels) for x in change.removed]
            if change.document is not None and old.items:
                changes.changed.append(f"document {doc.identifier}")
            row.title, row.shape = _short(doc.title, 300), package.shape
            row.document, row.imported_at = doc.to_dict(), ctx.clock()
            on_step(f"storing {len(new.items)} skills")
            removed_ids, code_changed = _store_skills(session, row, new, changes)
            _forget_derived_states(session, removed_ids | code_changed)
            on_step(f"storing {len(new.associations)} associations")
            _store_associations(session, row, "", new.associations)
            dropped = _drop_dangling_progressions(session, row, new)
            changes.removed.extend(dropped)
            on_step("checking prerequisites")
            n_edges, warns = _sync_edges(session, row, new)
            changes.warnings.extend(warns)
            _check_global_dag(session)
            report = ImportReport(
                "case",
                doc.identifier,
                doc.title,
                dry_run,
                len(new.items),
                n_edges,
                tuple(changes.added),
                tuple(changes.changed),
                tuple(changes.removed),
                tuple(changes.warnings),
                {
                    "shape": package.shape,
                    "associations": len(new.associations),
                    "association_types": new.count_by_type(),
                },
            )
            for p, progression in edge_lists:
                attached = _attach(session, row, progression, p, True, False, dry_run, on_step)
                report = replace(
                    report,
                    edges=attached.edges,
                    added=report.added + attached.added,
                    changed=report.changed + attached.changed,
                    removed=report.removed + attached.removed,
                    warnings=report.warnings + attached.warnings,
                    extra={
                        **report.extra,
                        "progressions": [*report.extra.get("progressions", []), attached.extra],
                    },
                )
            if dry_run:
                raise _DryRun(report)
            return report
    except _DryRun as dry:
        return dry.report


def _drop_dangling_progressions(session: Session, row: FrameworkRow, framework: Framework) -> list[str]:
    """Progression associations whose skill a re-import removed go too (listed as removed)."""
    out: list[str] = []
    gone: list[int] = []
    for a in session.scalars(
        select(FrameworkAssociation).where(
            FrameworkAssociation.framework_id == row.id, FrameworkAssociation.source != ""
        )
    ):
        if a.origin not in framework or a.destination not in framework:
            gone.append(a.id)
            out.append(f"{a.association_type} {a.origin} -> {a.destination} ({a.source})")
    if gone:
        session.execute(delete(FrameworkAssociation).where(FrameworkAssociation.id.in_(gone)))
    return out


# ---------------------------------------------------------------- progressions


def _pick_framework(session: Session, identifier: str | None) -> FrameworkRow:
    rows = list(
        session.scalars(select(FrameworkRow).where(FrameworkRow.shape != "").order_by(FrameworkRow.id))
    )
    if identifier is not None:
        found = [r for r in rows if identifier in (r.identifier, r.title)]
        if not found:
            known = ", ".join(repr(r.identifier) for r in rows) or "none imported yet"
            raise NotFoundError(f"no imported CASE framework {identifier!r} (known: {known})")
        return found[0]
    if not rows:
        raise ValidationError.for_field(
            "framework", "no CASE framework is imported yet; import one first with `learnpath import case`"
        )
    if len(rows) > 1:
        raise ValidationError.for_field(
            "framework",
            "several frameworks are imported; pick one with --framework: "
            + ", ".join(repr(r.identifier) for r in rows),
        )
    return rows[0]


def import_progressions(
    ctx: ServiceContext,
    actor: Actor | System,
    path: str | Path,
    *,
    framework: str | None = None,
    dry_run: bool = False,
    break_group_cycles: bool = True,
    strict: bool = False,
    on_step: Step = _noop,
) -> ImportReport:
    """Attach a progression edge list to an imported framework by code; all or nothing.

    Unknown codes are warnings (``strict``: an error). With ``break_group_cycles`` a pair that only
    comes from expanding a code list (``K.G.1,2 -> K.G.3,4``) and would close a cycle is dropped, with
    a warning; a cycle among single-code edges is always refused.
    """
    require_importer(actor)
    on_step(f"reading {path}")
    progression = read_progression(path)
    try:
        with ctx.unit() as session:
            row = _pick_framework(session, framework)
            report = _attach(session, row, progression, path, break_group_cycles, strict, dry_run, on_step)
            if dry_run:
                raise _DryRun(report)
            return report
    except _DryRun as dry:
        return dry.report


def _attach(
    session: Session,
    row: FrameworkRow,
    progression: Progression,
    path: str | Path,
    break_group_cycles: bool,
    strict: bool,
    dry_run: bool,
    on_step: Step,
) -> ImportReport:
    """Store one progression's associations on ``row`` and derive the edges (inside the caller's unit)."""
    source = f"progression:{Path(path).name}"
    base = _stored_framework(session, row)
    with_others = base.with_associations(_other_associations(session, row, base, but=source))
    on_step(f"mapping {len(progression.edges)} edges onto {row.title}")
    mapping = map_progression(with_others, progression, break_group_cycles=break_group_cycles)
    if strict and mapping.unknown:
        raise ValidationError(
            f"{path}: {len(mapping.unknown)} code(s) match no skill of {row.identifier!r}",
            [_unknown_field(str(u)) for u in mapping.unknown],
        )
    progression_graph(with_others, mapping)  # GraphCycleError names the cycle and its lines
    before = {
        a.identifier: a
        for a in session.scalars(
            select(FrameworkAssociation).where(
                FrameworkAssociation.framework_id == row.id, FrameworkAssociation.source == source
            )
        )
    }
    labels = {it.identifier: it.label for it in base.items}
    wanted = {a.identifier: a for a in mapping.associations}
    added = [_describe(a, labels) for i, a in wanted.items() if i not in before]
    changed = [
        _describe(a, labels) for i, a in wanted.items() if i in before and before[i].details != a.to_dict()
    ]
    removed = [
        f"{b.association_type} {labels.get(b.origin, b.origin)} -> "
        f"{labels.get(b.destination, b.destination)} ({i})"
        for i, b in before.items()
        if i not in wanted
    ]
    on_step(f"storing {len(wanted)} associations")
    _store_associations(session, row, source, mapping.associations)
    on_step("checking prerequisites")
    n_edges, warns = _sync_edges(session, row, base)
    _check_global_dag(session)
    return ImportReport(
        "progressions",
        row.identifier,
        row.title,
        dry_run,
        session.scalar(select(func.count(SkillRow.id)).where(SkillRow.framework_id == row.id)) or 0,
        n_edges,
        tuple(added),
        tuple(changed),
        tuple(removed),
        tuple([*mapping.warnings(), *warns]),
        {
            "format": progression.format,
            "source": source,
            "edges_read": mapping.edges_read,
            "pairs": mapping.pairs,
            "association_types": mapping.count_by_type(),
            "unknown_codes": len(mapping.unknown),
            "dropped": len(mapping.dropped),
        },
    )


def _unknown_field(text: str) -> FieldError:
    where, _, message = text.partition(": ")
    return FieldError(where, message)
