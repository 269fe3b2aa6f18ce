"""Reading the curriculum (skills, prerequisite graph, items) out of storage into core objects."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.graph import SkillGraph
from learnpath.core.items import Item
from learnpath.storage.tables import ItemRow, ItemSkill, SkillEdge, SkillRow

__all__ = ["Catalog", "item_from_row", "load_catalog"]


@dataclass(frozen=True)
class Catalog:
    """Skills by code, the prerequisite graph, and items (by code and by skill)."""

    skills: dict[str, SkillRow]
    graph: SkillGraph[str]
    items: dict[str, Item]
    item_ids: dict[str, int]
    items_by_skill: dict[str, tuple[Item, ...]] = field(default_factory=dict)

    def skill_name(self, code: str, locale: str) -> str:
        row = self.skills[code]
        return row.name_es if locale == "es" and row.name_es else row.name


def item_from_row(row: ItemRow, skill_codes: tuple[str, ...]) -> Item:
    return Item.from_dict({**row.body, "code": row.code, "kind": row.kind, "skills": list(skill_codes)})


def load_catalog(session: Session) -> Catalog:
    skills = list(session.scalars(select(SkillRow).order_by(SkillRow.position, SkillRow.id)))
    by_id = {s.id: s for s in skills}
    edges = [
        (by_id[e.prerequisite_id].code, by_id[e.skill_id].code) for e in session.scalars(select(SkillEdge))
    ]
    graph = SkillGraph.build([s.code for s in skills], edges)
    tags: dict[int, list[str]] = defaultdict(list)
    for t in session.scalars(select(ItemSkill)):
        tags[t.item_id].append(by_id[t.skill_id].code)
    items: dict[str, Item] = {}
    item_ids: dict[str, int] = {}
    by_skill: dict[str, list[Item]] = defaultdict(list)
    for row in session.scalars(select(ItemRow).order_by(ItemRow.id)):
        codes = tuple(sorted(tags.get(row.id, [])))
        if not codes:
            continue
        item = item_from_row(row, codes)
        items[row.code] = item
        item_ids[row.code] = row.id
        for c in codes:
            by_skill[c].append(item)
    return Catalog(
        {s.code: s for s in skills}, graph, items, item_ids, {k: tuple(v) for k, v in by_skill.items()}
    )
