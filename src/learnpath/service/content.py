"""Curriculum use cases: skills with their prerequisites, items (answers hidden from learners)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.graph import SkillGraph
from learnpath.core.items import Item
from learnpath.errors import NotFoundError
from learnpath.service.access import Actor
from learnpath.service.catalog import item_from_row
from learnpath.service.context import ServiceContext
from learnpath.storage.tables import Framework, ItemRow, ItemSkill, SkillEdge, SkillRow

__all__ = ["SkillInfo", "SkillSpec", "add_items", "add_skills", "get_item", "list_skills"]


@dataclass(frozen=True)
class SkillSpec:
    """A skill to store: our code, names in English and Spanish, grade and domain."""

    code: str
    name: str
    name_es: str = ""
    description: str = ""
    grade: int | None = None
    domain: str = ""


@dataclass(frozen=True)
class SkillInfo:
    id: int
    code: str
    name: str
    grade: int | None
    domain: str
    prerequisites: list[str]
    n_items: int


def add_skills(
    session: Session,
    framework_identifier: str,
    framework_title: str,
    skills: Iterable[SkillSpec],
    prerequisites: Iterable[tuple[str, str]],
) -> dict[str, int]:
    """Store a framework's skills and prerequisite edges; the whole graph is checked as a DAG first."""
    specs = list(skills)
    edges = list(prerequisites)
    existing = {s.code: s for s in session.scalars(select(SkillRow))}
    old_edges = [(e.prerequisite_id, e.skill_id) for e in session.scalars(select(SkillEdge))]
    by_id = {s.id: s.code for s in existing.values()}
    SkillGraph.build(
        [*existing, *(s.code for s in specs)],
        [*((by_id[a], by_id[b]) for a, b in old_edges), *edges],
        {s.code: f"{s.code} ({s.name})" for s in specs},
    )
    framework = session.scalars(select(Framework).where(Framework.identifier == framework_identifier)).first()
    if framework is None:
        framework = Framework(identifier=framework_identifier, title=framework_title)
        session.add(framework)
        session.flush()
    ids: dict[str, int] = {k: v.id for k, v in existing.items()}
    for position, spec in enumerate(specs, start=len(existing)):
        row = SkillRow(
            framework_id=framework.id,
            code=spec.code,
            name=spec.name,
            name_es=spec.name_es,
            description=spec.description,
            grade=spec.grade,
            domain=spec.domain,
            position=position,
        )
        session.add(row)
        session.flush()
        ids[spec.code] = row.id
    session.add_all(SkillEdge(prerequisite_id=ids[a], skill_id=ids[b]) for a, b in edges)
    session.flush()
    return ids


def add_items(session: Session, items: Iterable[Item]) -> dict[str, int]:
    """Store items and their skill tags; every tagged skill must exist."""
    skill_ids = {s.code: s.id for s in session.scalars(select(SkillRow))}
    out: dict[str, int] = {}
    for item in items:
        missing = [c for c in item.skills if c not in skill_ids]
        if missing:
            raise NotFoundError(f"item {item.code!r} names unknown skills: {', '.join(missing)}")
        body = item.to_dict()
        for key in ("code", "kind", "skills"):
            body.pop(key)
        row = ItemRow(code=item.code, kind=item.kind, body=body, difficulty=item.difficulty)
        session.add(row)
        session.flush()
        session.add_all(ItemSkill(item_id=row.id, skill_id=skill_ids[c]) for c in item.skills)
        out[item.code] = row.id
    session.flush()
    return out


def list_skills(ctx: ServiceContext, actor: Actor) -> list[SkillInfo]:
    """Every skill with its prerequisites (codes) and how many items practise it."""
    del actor  # every signed-in role may read the curriculum
    with ctx.unit() as session:
        skills = list(session.scalars(select(SkillRow).order_by(SkillRow.position, SkillRow.id)))
        code = {s.id: s.code for s in skills}
        prereqs: dict[int, list[str]] = {s.id: [] for s in skills}
        for e in session.scalars(select(SkillEdge)):
            prereqs[e.skill_id].append(code[e.prerequisite_id])
        counts: dict[int, int] = {}
        for t in session.scalars(select(ItemSkill)):
            counts[t.skill_id] = counts.get(t.skill_id, 0) + 1
        return [
            SkillInfo(s.id, s.code, s.name, s.grade, s.domain, sorted(prereqs[s.id]), counts.get(s.id, 0))
            for s in skills
        ]


def get_item(ctx: ServiceContext, actor: Actor, item_id: int) -> tuple[int, Item, bool]:
    """An item and whether the actor may see its answer (teachers and admins only)."""
    with ctx.unit() as session:
        row = session.get(ItemRow, item_id)
        if row is None:
            raise NotFoundError(f"no item with id {item_id}")
        codes = tuple(
            sorted(
                session.scalars(
                    select(SkillRow.code)
                    .join(ItemSkill, ItemSkill.skill_id == SkillRow.id)
                    .where(ItemSkill.item_id == row.id)
                )
            )
        )
        return row.id, item_from_row(row, codes), actor.role in ("teacher", "admin")
