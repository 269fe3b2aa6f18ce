"""Use cases of the placement test in the app: a learner takes it one question at a time (its state kept
server-side, in ``placements``, as the diagnostic's JSON), the result seeds their mastery, and teachers see
each learner's result and a class summary. The diagnostic itself is :mod:`learnpath.recommend.placement`.

Questions are real items of the asked skill; each answer is stored as an attempt (a fact like any other).
"I don't know yet" counts as a wrong answer for the diagnostic but stores no attempt. When the test stops,
every skill gets the diagnostic's P(known): the ``mastery`` rows, and the learner model's state when it is
BKT (so that practice goes on from there).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.core.items import Item
from learnpath.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.learner.base import mastery_interval
from learnpath.recommend import placement as diagnostic
from learnpath.service.access import Actor, require_class, require_learner
from learnpath.service.catalog import Catalog, load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.learning import _record, _state_for
from learnpath.storage.tables import (
    ClassLearner,
    LearnerStateRow,
    MasteryRow,
    PlacementRow,
    User,
)

__all__ = [
    "ClassPlacement",
    "LearnerPlacement",
    "PlacementView",
    "answer_placement",
    "class_placements",
    "current_placement",
]

MAX_QUESTIONS = 20


@dataclass(frozen=True)
class PlacementQuestion:
    item_id: int
    item: Item
    skill_code: str
    skill_name: str


@dataclass(frozen=True)
class PlacementView:
    id: int
    status: str
    """running or done."""
    n_questions: int
    max_questions: int
    question: PlacementQuestion | None
    known: list[str]
    """done: names of the skills placed as known, in curriculum order."""
    expected_accuracy: float


@dataclass(frozen=True)
class LearnerPlacement:
    learner_id: int
    name: str
    status: str
    """none, running or done."""
    n_questions: int
    n_known: int
    known: list[str]
    finished_at: datetime | None


@dataclass(frozen=True)
class ClassPlacement:
    class_id: int
    class_name: str
    learners: list[LearnerPlacement]
    n_done: int
    median_known: float | None
    skills: list[tuple[str, str, float]]
    """(code, name, share of placed learners known), for skills with items, in curriculum order."""


def _levels(catalog: Catalog) -> dict[str, float] | None:
    grades = {c: s.grade for c, s in catalog.skills.items()}
    return {c: float(g) for c, g in grades.items() if g is not None} or None


def _rebuild(row: PlacementRow, catalog: Catalog) -> diagnostic.PlacementState:
    return diagnostic.PlacementState.from_dict(row.state["diagnostic"], catalog.graph, _levels(catalog))


def _ask(
    session: Session, row: PlacementRow, state: diagnostic.PlacementState, catalog: Catalog, locale: str
) -> PlacementQuestion | None:
    """Choose the next question (an unused item of the most informative skill) and remember it."""
    q = diagnostic.next_question(state)
    if q is None:
        return None
    used = set(row.state.get("used", []))
    items = catalog.items_by_skill.get(q.skill, ())
    plain = [i for i in items if i.kind != "qti"] or list(items)  # QTI bodies need the practice page
    fresh = [i for i in plain if catalog.item_ids[i.code] not in used] or plain
    item = fresh[(row.state["seed"] + len(used)) % len(fresh)]
    iid = catalog.item_ids[item.code]
    row.state = {
        **row.state,
        "question": {"skill": q.skill, "guess": q.guess, "slip": q.slip, "p": q.p_correct, "item_id": iid},
    }
    return PlacementQuestion(iid, item, q.skill, catalog.skill_name(q.skill, locale))


def _view(
    row: PlacementRow, catalog: Catalog, question: PlacementQuestion | None, locale: str
) -> PlacementView:
    result = row.result or {}
    known = [
        catalog.skill_name(c, locale)
        for c in catalog.graph.topological_order()
        if result.get("skills", {}).get(c, {}).get("known")
    ]
    return PlacementView(
        row.id,
        row.status,
        row.n_questions,
        row.state.get("max_questions", MAX_QUESTIONS),
        question,
        known,
        float(result.get("expected_accuracy", 0.0)),
    )


def _question_of(row: PlacementRow, catalog: Catalog, locale: str) -> PlacementQuestion | None:
    q = row.state.get("question")
    if row.status != "running" or not q:
        return None
    iid = int(q["item_id"])
    code = next(c for c, i in catalog.item_ids.items() if i == iid)
    return PlacementQuestion(iid, catalog.items[code], q["skill"], catalog.skill_name(q["skill"], locale))


def _learner_only(actor: Actor) -> None:
    if actor.role != "learner":
        raise PermissionDeniedError("only the learner takes their own placement test")


def current_placement(
    ctx: ServiceContext, actor: Actor, learner_id: int, rng: np.random.Generator
) -> PlacementView:
    """The learner's placement: the running one, else the last finished one, else a new one started."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        _learner_only(actor)
        catalog = load_catalog(session)
        row = session.scalars(
            select(PlacementRow)
            .where(PlacementRow.learner_id == learner_id)
            .order_by(PlacementRow.started_at.desc(), PlacementRow.id.desc())
        ).first()
        if row is not None:
            return _view(row, catalog, _question_of(row, catalog, actor.locale), actor.locale)
        focus = [c for c in catalog.graph.skills if catalog.items_by_skill.get(c)]
        if not focus:
            raise ValidationError.for_field(
                "skills", "there are no questions yet: ask your teacher to add some"
            )
        seed = int(rng.integers(0, 2**31 - 1))
        config = diagnostic.PlacementConfig(max_questions=MAX_QUESTIONS, seed=seed)
        state = diagnostic.start(catalog.graph, _levels(catalog), config, focus=focus)
        row = PlacementRow(
            learner_id=learner_id,
            status="running",
            state={"diagnostic": state.to_dict(), "seed": seed, "used": [], "max_questions": MAX_QUESTIONS},
            result=None,
            n_questions=0,
            started_at=ctx.clock(),
        )
        session.add(row)
        question = _ask(session, row, state, catalog, actor.locale)
        session.flush()
        return _view(row, catalog, question, actor.locale)


def answer_placement(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    placement_id: int,
    item_id: int,
    response: str | None,
) -> PlacementView:
    """Answer the placement's current question (``response`` None: "I don't know yet")."""
    if response is not None and not response.strip():
        raise ValidationError.for_field("response", "must not be empty (or choose 'I don't know yet')")
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        _learner_only(actor)
        row = session.get(PlacementRow, placement_id)
        if row is None or row.learner_id != learner_id:
            raise NotFoundError(f"no placement with id {placement_id}")
        q = row.state.get("question")
        if row.status != "running" or not q or int(q["item_id"]) != item_id:
            raise ConflictError("this question was answered already; open the placement page again")
        catalog = load_catalog(session)
        now = ctx.clock()
        if response is None:
            correct = False
        else:
            correct = _record(
                session, ctx, learner_id, item_id, response, None, 0, now, catalog, actor.locale
            ).correct
        state = _rebuild(row, catalog)
        asked = diagnostic.Question(q["skill"], float(q["guess"]), float(q["slip"]), float(q["p"]), 0.0)
        state = diagnostic.answer(state, asked, correct)
        row.state = {
            **row.state,
            "diagnostic": state.to_dict(),
            "used": [*row.state.get("used", []), item_id],
            "question": None,
        }
        row.n_questions += 1
        question = _ask(session, row, state, catalog, actor.locale)
        if question is None:
            _finish(session, ctx, row, state, catalog, now)
        return _view(row, catalog, question, actor.locale)


def _finish(
    session: Session,
    ctx: ServiceContext,
    row: PlacementRow,
    state: diagnostic.PlacementState,
    catalog: Catalog,
    now: datetime,
) -> None:
    """Store the result and seed the learner's mastery with it."""
    result = diagnostic.result(state)
    row.status, row.finished_at, row.result = "done", now, result.to_dict()
    p_known = {c: min(max(p, 0.01), 0.99) for c, p in result.p_known().items()}
    learner_id = row.learner_id
    existing = {
        m.skill_id: m for m in session.scalars(select(MasteryRow).where(MasteryRow.learner_id == learner_id))
    }
    for code, p in p_known.items():
        sid = catalog.skills[code].id
        m = existing.get(sid)
        if m is None:
            m = MasteryRow(learner_id=learner_id, skill_id=sid, n_attempts=0, n_correct=0, recent_wrong=0)
            session.add(m)
        m.p_mastery = p
        m.low, m.high = mastery_interval(p, max(m.n_attempts or 0, 1))
    model_state, model = _state_for(session, ctx, learner_id)
    if getattr(model, "name", "") == "bkt" and isinstance(model_state.get("skills"), dict):
        skills: dict[str, Any] = dict(model_state["skills"])
        for code, p in p_known.items():
            old = skills.get(code) or {"n": 0, "c": 0}
            skills[code] = {**old, "p": p, "last_at": old.get("last_at") or now.isoformat()}
        version, _ = ctx.active_model(session)
        srow = session.get(LearnerStateRow, learner_id)
        new_state = {**model_state, "skills": skills}
        if srow is None:
            session.add(
                LearnerStateRow(
                    learner_id=learner_id, model_version_id=version, state=new_state, updated_at=now
                )
            )
        else:
            srow.state, srow.model_version_id, srow.updated_at = new_state, version, now


def class_placements(ctx: ServiceContext, actor: Actor, class_id: int) -> ClassPlacement:
    """Each learner's latest placement in a class the actor may see, and a summary."""
    with ctx.unit() as session:
        cls = require_class(session, actor, class_id)
        catalog = load_catalog(session)
        learners = session.execute(
            select(User.id, User.display_name)
            .join(ClassLearner, ClassLearner.learner_id == User.id)
            .where(ClassLearner.class_id == class_id)
            .order_by(User.display_name, User.id)
        ).all()
        latest: dict[int, PlacementRow] = {}
        for pr in session.scalars(
            select(PlacementRow)
            .where(PlacementRow.learner_id.in_([lid for lid, _ in learners]))
            .order_by(PlacementRow.started_at, PlacementRow.id)
        ):
            latest[pr.learner_id] = pr
        order = catalog.graph.topological_order()
        rows: list[LearnerPlacement] = []
        known_counts: dict[str, int] = {}
        for lid, name in learners:
            r = latest.get(lid)
            if r is None:
                rows.append(LearnerPlacement(lid, name, "none", 0, 0, [], None))
                continue
            skills = (r.result or {}).get("skills", {})
            known = [c for c in order if skills.get(c, {}).get("known")]
            for c in known:
                known_counts[c] = known_counts.get(c, 0) + 1
            names = [catalog.skill_name(c, actor.locale) for c in known]
            rows.append(
                LearnerPlacement(lid, name, r.status, r.n_questions, len(known), names, r.finished_at)
            )
        done = [r for r in rows if r.status == "done"]
        median = float(np.median([r.n_known for r in done])) if done else None
        summary = [
            (c, catalog.skill_name(c, actor.locale), known_counts.get(c, 0) / len(done))
            for c in order
            if done and catalog.items_by_skill.get(c)
        ]
        return ClassPlacement(class_id, cls.name, rows, len(done), median, summary)
