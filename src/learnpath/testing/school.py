"""A small school for tests: two classes, their teachers, learners, families, a few skills and items.

Layout (usernames): admin; teacher1 teaches class A (learner1, learner2); teacher2 teaches class B
(learner3); family1 is linked to learner1, family3 to learner3. A second school holds admin_other and
learner_other, so cross-school access can be tested.
"""

from __future__ import annotations

from dataclasses import dataclass

from argon2 import PasswordHasher

from learnpath.core.content import Content, GradeBand
from learnpath.core.items import Choice, Item
from learnpath.service.content import SkillSpec, add_items, add_skills
from learnpath.service.context import ServiceContext
from learnpath.service.resources import add_content
from learnpath.service.roster import add_class, add_school, add_user, enrol, link_family

__all__ = ["PASSWORD", "TinySchool", "build_tiny_school", "fast_hasher"]

PASSWORD = "secret-pass"


def fast_hasher() -> PasswordHasher:
    """Argon2 with small costs, for tests only."""
    return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@dataclass(frozen=True)
class TinySchool:
    ids: dict[str, int]
    """User, class, item and content ids by name: usernames, 'classA', 'classB', item codes, 'C-ADD', 'C-OTHER'."""


SKILLS = [
    SkillSpec("ADD", "Adding", "Sumar", grade=1),
    SkillSpec("SUB", "Taking away", "Restar", grade=1),
    SkillSpec("MUL", "Times tables", "Tablas de multiplicar", grade=2),
]
EDGES = [("ADD", "SUB"), ("ADD", "MUL")]


def _items() -> list[Item]:
    items = []
    for i in range(3):
        items.append(Item(f"ADD-{i}", "numeric", f"What is {i} + 2?", ("ADD",), answer=str(i + 2)))
        items.append(Item(f"SUB-{i}", "numeric", f"What is {i + 5} - 1?", ("SUB",), answer=str(i + 4)))
        items.append(
            Item(
                f"MUL-{i}",
                "choice",
                f"What is {i + 2} x 3?",
                ("MUL",),
                choices=(Choice("a", str((i + 2) * 3)), Choice("b", str(i + 5)), Choice("c", "1")),
                answer="a",
            )
        )
    return items


def _reading(code: str, skill: str) -> Content:
    """A short reading (content beyond items); 'C-ADD' in Tiny School, 'C-OTHER' in Other School."""
    return Content(
        code, "reading", f"Reading {code}", "read", 5, GradeBand(1, 2), (skill,), ("animals",),
        body="Count on from the bigger number.",
    )  # fmt: skip


def build_tiny_school(ctx: ServiceContext) -> TinySchool:
    ids: dict[str, int] = {}
    with ctx.unit() as s:
        school = add_school(s, "Tiny School")
        other = add_school(s, "Other School")
        digest = ctx.hasher.hash(PASSWORD)

        def user(name: str, role: str, school_id: int = school.id) -> int:
            ids[name] = add_user(s, ctx, school_id, name, name.title(), role, password_hash=digest).id
            return ids[name]

        user("admin", "admin")
        for t in ("teacher1", "teacher2"):
            user(t, "teacher")
        for n in (1, 2, 3):
            user(f"learner{n}", "learner")
        user("family1", "family")
        user("family3", "family")
        user("admin_other", "admin", other.id)
        user("learner_other", "learner", other.id)
        a = add_class(s, school.id, "Class A", 4)
        b = add_class(s, school.id, "Class B", 4)
        ids["classA"], ids["classB"] = a.id, b.id
        c = add_class(s, other.id, "Other class", 4)
        ids["classOther"] = c.id
        enrol(s, a.id, [ids["learner1"], ids["learner2"]], [ids["teacher1"]])
        enrol(s, b.id, [ids["learner3"]], [ids["teacher2"]])
        enrol(s, c.id, [ids["learner_other"]], [])
        link_family(s, ids["family1"], ids["learner1"])
        link_family(s, ids["family3"], ids["learner3"])
        add_skills(s, "tiny", "Tiny skills", SKILLS, EDGES)
        ids.update(add_items(s, _items()))
        ids.update(add_content(s, school.id, [_reading("C-ADD", "ADD")], ctx.clock()))
        ids.update(add_content(s, other.id, [_reading("C-OTHER", "ADD")], ctx.clock()))
    return TinySchool(ids)
