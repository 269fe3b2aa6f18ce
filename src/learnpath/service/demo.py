"""The demo school: our own grade 3-5 math content, two classes of 25, families, and simulated histories.

Logins (demo database only): ``admin``, ``teacher1``, ``teacher2``, ``learner1``..``learner50``,
``family1``..``family50`` (family N is linked to learner N; family1 also to learner2), all with the password ``demo``.

Histories are simulated, not typed in: each learner has a hidden knowledge state over the skill graph
(some skills known at the start, a personal learning rate, guess and slip); they practise what the
recommender offers for a few sessions over the past weeks, and every answer goes through the same
recording path as a real one, so mastery, dashboards and charts are derived exactly as in use.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.items import Item
from learnpath.demo.content import PREREQUISITES, SKILLS, build_items
from learnpath.errors import ConflictError
from learnpath.recommend.next_item import LearnerView, NextItemPolicy
from learnpath.service.assignments import seed_demo
from learnpath.service.catalog import Catalog, load_catalog
from learnpath.service.checkin_demo import seed_demo_checkins
from learnpath.service.content import SkillSpec, add_items, add_skills
from learnpath.service.context import ServiceContext
from learnpath.service.flipped_demo import seed_demo_flipped
from learnpath.service.grouping import seed_demo_teams
from learnpath.service.learning import _record, _state_for
from learnpath.service.models import fit_model
from learnpath.service.plan_demo import seed_demo_plans
from learnpath.service.portfolio_demo import seed_demo_portfolio
from learnpath.service.resources import add_demo_content
from learnpath.service.roster import add_class, add_school, add_user, enrol, link_family
from learnpath.service.rotation_demo import seed_demo_rotation
from learnpath.storage.tables import School

__all__ = ["DEMO_PASSWORD", "DemoSummary", "build_demo_school"]

DEMO_PASSWORD = "demo"
DEMO_MODEL = "auto"
"""The demo fits like ``learnpath fit``: best and BKT, keeping the better on held-out learners (BKT, here)."""
N_LEARNERS = 50
STOPPED_DAYS_AGO = {7: 10, 33: 9}
"""Learners who stopped practising some days ago (the class dashboard shows them as inactive, issue 7)."""

FIRST_NAMES = (
    "Ava Ben Cleo Dev Ema Finn Gia Hugo Iris Jon Kai Lena Milo Nia Omar Pia Quinn Rosa Sam Tara Uma Vic "
    "Wren Xavi Yara Zane Alma Bruno Carla Dario Elsa Felix Greta Hana Ivan Julia Kofi Luz Mateo Noor Olga "
    "Pablo Rhea Sofia Teo Una Vera Will Ximena Yusuf"
).split()
LAST_INITIALS = "ABCDEFGHJKLMNOPRSTVW"

Progress = Callable[[str, int, int], None]
"""Called as progress(step, done, total) while building."""


@dataclass(frozen=True)
class DemoSummary:
    school_id: int
    n_skills: int
    n_items: int
    n_learners: int
    n_attempts: int
    model_version_id: int | None = None
    model_accepted: bool = False


def _answer(item: Item, correct: bool, rng: np.random.Generator) -> str:
    """A response that scores as ``correct`` says (a plausible wrong one otherwise)."""
    if correct:
        return item.answer or item.accepted[0]
    if item.kind == "choice":
        wrong = [c.key for c in item.choices if c.key != item.answer]
        return str(rng.choice(wrong))
    if item.kind == "numeric":
        try:
            value = float(item.answer) if "/" not in item.answer else None
        except ValueError:
            value = None
        if value is None:
            return "0"
        delta = max(item.tolerance * 3, 1.0) * float(rng.choice([-1, 1]))
        return f"{value + delta:g}"
    return "not sure"


def _simulate_learner(
    session: Session,
    ctx: ServiceContext,
    catalog: Catalog,
    learner_id: int,
    grade: int,
    rng: np.random.Generator,
    stopped_days_ago: int = 0,
) -> int:
    """Simulate a learner's practice sessions over the last three weeks (ending ``stopped_days_ago`` days
    ago: a learner who stopped practising); returns attempts made."""
    graph = catalog.graph
    ability = float(rng.normal(0.0, 1.0))
    learn_rate = float(np.clip(0.18 + 0.08 * ability, 0.04, 0.4))
    known: set[str] = set()
    for code in graph.topological_order():
        skill_grade = catalog.skills[code].grade or grade
        p_known = 0.85 if skill_grade < grade else (0.35 + 0.1 * ability if skill_grade == grade else 0.05)
        if all(p in known for p in graph.prerequisites(code)) and rng.random() < p_known:
            known.add(code)
    policy = NextItemPolicy(items_by_skill=catalog.items_by_skill)
    start = ctx.clock() - timedelta(days=21)
    n_sessions = int(rng.integers(3, 7))
    made = 0
    recent: list[str] = []
    for session_no in range(n_sessions):
        span = 21 - stopped_days_ago
        at = start + timedelta(days=float(session_no * span / n_sessions + rng.uniform(0, 2)), hours=9)
        for _ in range(int(rng.integers(6, 14))):
            state, model = _state_for(session, ctx, learner_id)
            mastery = model.mastery(state)
            view = LearnerView(
                {k: v.p_mastery for k, v in mastery.items()},
                {k: v.n_attempts for k, v in mastery.items()},
                recent,
            )
            choice = policy.choose(graph, view, rng)
            if choice is None:
                return made
            skills = choice.item.skills
            knows = all(s in known for s in skills)
            p = 0.9 if knows else 0.2 + 0.05 * max(ability, 0)
            p = float(np.clip(p - 0.05 * choice.item.difficulty, 0.05, 0.97))
            correct = bool(rng.random() < p)
            hints = 0 if knows or rng.random() < 0.6 else 1
            duration = int(rng.lognormal(np.log(18000 if knows else 32000), 0.4))
            _record(
                session,
                ctx,
                learner_id,
                catalog.item_ids[choice.item.code],
                _answer(choice.item, correct, rng),
                duration,
                hints,
                at,
                catalog=catalog,
            )
            made += 1
            recent = [*recent, choice.item.code][-20:]
            at += timedelta(milliseconds=duration + 5000)
            ready_to_learn = all(p in known for s in skills for p in catalog.graph.prerequisites(s))
            if not knows and ready_to_learn and rng.random() < learn_rate:
                known.update(skills)
    return made


def build_demo_school(ctx: ServiceContext, seed: int = 2026, progress: Progress | None = None) -> DemoSummary:
    """Create the demo school in an empty database (ConflictError if one exists already)."""
    report = progress or (lambda step, done, total: None)
    rng = np.random.default_rng(seed)
    with ctx.unit() as s:
        if s.scalar(select(School.id).where(School.is_demo.is_(True))) is not None:
            raise ConflictError("this database already holds the demo school")
        school = add_school(s, "Maple Grove Elementary (demo)", is_demo=True)
        add_skills(
            s,
            "learnpath-demo-math-3-5",
            "learnpath demo: elementary math, grades 3 to 5",
            [SkillSpec(k.code, k.name, k.name_es, k.description, k.grade, k.domain) for k in SKILLS],
            PREREQUISITES,
        )
        add_items(s, build_items())
        add_demo_content(s, ctx, school.id)
        digest = ctx.hasher.hash(DEMO_PASSWORD)
        total_users = 3 + 2 * N_LEARNERS
        report("accounts", 0, total_users)
        ids: dict[str, int] = {}

        def user(name: str, display: str, role: str, grade: int | None = None) -> int:
            ids[name] = add_user(s, ctx, school.id, name, display, role, password_hash=digest, grade=grade).id
            report("accounts", len(ids), total_users)
            return ids[name]

        user("admin", "Dana Admin", "admin")
        user("teacher1", "Ms. Rivera", "teacher")
        user("teacher2", "Mr. Okafor", "teacher")
        for n in range(1, N_LEARNERS + 1):
            first = FIRST_NAMES[n - 1]
            initial = LAST_INITIALS[(n * 7) % len(LAST_INITIALS)]
            user(f"learner{n}", f"{first} {initial}.", "learner", grade=4 if n <= 25 else 5)
            user(f"family{n}", f"{first}'s family", "family")
            link_family(s, ids[f"family{n}"], ids[f"learner{n}"])
        class1 = add_class(s, school.id, "Grade 4 – Ms. Rivera", grade=4)
        class2 = add_class(s, school.id, "Grade 5 – Mr. Okafor", grade=5)
        enrol(s, class1.id, [ids[f"learner{n}"] for n in range(1, 26)], [ids["teacher1"]])
        enrol(s, class2.id, [ids[f"learner{n}"] for n in range(26, N_LEARNERS + 1)], [ids["teacher2"]])
        catalog = load_catalog(s)
        n_attempts = 0
        report("histories", 0, N_LEARNERS)
        for n in range(1, N_LEARNERS + 1):
            stopped = STOPPED_DAYS_AGO.get(n, 0)
            n_attempts += _simulate_learner(
                s, ctx, catalog, ids[f"learner{n}"], 4 if n <= 25 else 5, rng, stopped
            )
            report("histories", n, N_LEARNERS)
        learner_ids = [ids[f"learner{n}"] for n in range(1, N_LEARNERS + 1)]
        seed_demo(s, ctx, school.id, class1.id, ids["teacher1"], learner_ids, "G4.FRAC.EQUIV")  # issue 5
        seed_demo_plans(s, ids, ctx.clock())  # personal learning plans, issue 6
        seed_demo_portfolio(s, ctx, ids, ctx.clock())  # portfolios of work, issue 6
        seed_demo_teams(s, ctx, class1.id, ids["teacher1"], ids)  # pair rules and project teams, issue 7
        grade3 = [k.code for k in SKILLS if k.grade == 3]
        seed_demo_rotation(s, ctx, class1.id, ids["teacher1"], grade3)  # a station rotation, issue 7
        seed_demo_flipped(s, ctx, school.id, class1.id, ids["teacher1"], ids)  # a flipped lesson, issue 7
        seed_demo_checkins(s, ids, {class1.id: ids["teacher1"], class2.id: ids["teacher2"]}, ctx.clock())
        summary = DemoSummary(school.id, len(catalog.skills), len(catalog.items), N_LEARNERS, n_attempts)
    # the demo school runs on a fitted, validated model version (issue 3), chosen as `learnpath fit` chooses
    report("model", 0, 1)
    fitted = fit_model(ctx, DEMO_MODEL)
    report("model", 1, 1)
    return replace(summary, model_version_id=fitted.version_id, model_accepted=fitted.accepted)
