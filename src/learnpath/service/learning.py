"""Use cases of practice: the next item, answering it, and a learner's progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from learnpath.core.evidence import Attempt
from learnpath.core.items import Item, score_response
from learnpath.core.mastery import MasteryLevel, MasteryRules
from learnpath.core.qti import QtiItem
from learnpath.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.learner.base import LearnerModel, LearnerState
from learnpath.recommend.next_item import LearnerView, NextItemPolicy, Reason
from learnpath.service import history, memory
from learnpath.service.access import Actor, require_learner
from learnpath.service.catalog import Catalog, load_catalog
from learnpath.service.context import ServiceContext
from learnpath.service.extra_evidence import merge_facts, portfolio_facts
from learnpath.service.models import refresh_mastery
from learnpath.storage.tables import (
    AttemptRow,
    ItemRow,
    LearnerStateRow,
    MasteryRow,
    SkillRow,
    TeacherScore,
    User,
)

__all__ = [
    "AttemptResult",
    "LearnerProgress",
    "NextItem",
    "SkillProgress",
    "learner_progress",
    "next_item",
    "record_attempt",
]

MAX_RESPONSE_CHARS = 2000
MAX_DURATION_MS = 6 * 3600 * 1000


@dataclass(frozen=True)
class NextItem:
    item_id: int
    item: Item
    skill_code: str
    skill_name: str
    reason: Reason
    p_correct: float


@dataclass(frozen=True)
class SkillProgress:
    code: str
    name: str
    grade: int | None
    p_mastery: float
    low: float
    high: float
    n_attempts: int
    n_correct: int
    level: MasteryLevel
    last_attempt_at: datetime | None


@dataclass(frozen=True)
class AttemptResult:
    attempt_id: int
    correct: bool
    score: float
    correct_answer: str
    explanation: str
    skills: list[tuple[SkillProgress, float | None]]
    """Each skill of the item after the attempt, with its P(mastery) before (None: first attempt)."""
    needs_teacher: bool = False
    """An answer only a teacher can score (QTI extended text): stored, not yet evidence of mastery."""


@dataclass(frozen=True)
class LearnerProgress:
    learner_id: int
    display_name: str
    grade: int | None
    skills: list[SkillProgress]
    n_attempts: int
    n_correct: int
    recent: list[dict[str, Any]]


def _learner_view(session: Session, learner_id: int, model: LearnerModel, state: LearnerState) -> LearnerView:
    mastery = model.mastery(state)
    recent = session.execute(
        select(ItemRow.code)
        .join(AttemptRow, AttemptRow.item_id == ItemRow.id)
        .where(AttemptRow.learner_id == learner_id)
        .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
        .limit(20)
    ).scalars()
    return LearnerView(
        {k: v.p_mastery for k, v in mastery.items()},
        {k: v.n_attempts for k, v in mastery.items()},
        list(recent)[::-1],
    )


def _state_for(session: Session, ctx: ServiceContext, learner_id: int) -> tuple[LearnerState, LearnerModel]:
    """The learner's state in the active model; replayed from attempts if the model version changed."""
    version, model = ctx.active_model(session)
    row = session.get(LearnerStateRow, learner_id)
    if row is not None and row.model_version_id == version:
        return row.state, model
    catalog = load_catalog(session)
    state = model.init_state()
    rows = session.scalars(
        select(AttemptRow)
        .where(AttemptRow.learner_id == learner_id)
        .order_by(AttemptRow.created_at, AttemptRow.id)
    )
    code_by_id = {v: k for k, v in catalog.item_ids.items()}
    scored = teacher_scored_at(session, learner_id)
    facts: list[tuple[datetime, int, Attempt]] = []
    for a in rows:
        code = code_by_id.get(a.item_id)
        if code is None:
            continue
        at = a.created_at
        if catalog.items[code].teacher_scored:
            if a.id not in scored:
                continue
            at = scored[a.id]  # a teacher's score is evidence from the moment it is given
        facts.append((at, a.id, _attempt_fact(learner_id, catalog.items[code], a, at)))
    ordered = [fact for _, _, fact in sorted(facts, key=lambda f: (f[0], f[1]))]
    extra = portfolio_facts(session, learner_id).get(learner_id, [])  # teachers' scores of work (issue 6)
    for fact in merge_facts(ordered, extra):
        state = model.update(state, fact)
    return state, model


def state_for(session: Session, ctx: ServiceContext, learner_id: int) -> tuple[LearnerState, LearnerModel]:
    """The learner's state in the active model (for other use cases of this package)."""
    return _state_for(session, ctx, learner_id)


def teacher_scored_at(session: Session, learner_id: int | None = None) -> dict[int, datetime]:
    """When each teacher-scored attempt (of one learner, or of all) was scored, by attempt id."""
    query = select(TeacherScore.attempt_id, TeacherScore.scored_at)
    if learner_id is not None:
        query = query.join(AttemptRow, AttemptRow.id == TeacherScore.attempt_id).where(
            AttemptRow.learner_id == learner_id
        )
    return {attempt_id: at for attempt_id, at in session.execute(query)}


def _body_teacher_scored(body: dict[str, Any]) -> bool:
    """Whether a stored item body is teacher-scored (for lists that read item rows, not the catalog)."""
    qti = body.get("qti")
    return isinstance(qti, dict) and QtiItem.from_dict(qti).teacher_scored


def _attempt_fact(learner_id: int, item: Item, row: AttemptRow, at: datetime | None = None) -> Attempt:
    return Attempt(
        learner=learner_id,
        item=item.code,
        skills=item.skills,
        correct=row.correct,
        at=row.created_at if at is None else at,
        response=row.response,
        duration_ms=row.duration_ms,
        hints_used=row.hints_used,
    )


def next_item(
    ctx: ServiceContext, actor: Actor, learner_id: int, rng: np.random.Generator
) -> NextItem | None:
    """The next practice item for a learner the actor may see; None when there is no content."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        catalog = load_catalog(session)
        state, model = _state_for(session, ctx, learner_id)
        policy = NextItemPolicy(items_by_skill=catalog.items_by_skill)
        choice = policy.choose(catalog.graph, _learner_view(session, learner_id, model, state), rng)
        if choice is None:
            return None
        return NextItem(
            catalog.item_ids[choice.item.code],
            choice.item,
            choice.skill,
            catalog.skill_name(choice.skill, actor.locale),
            choice.reason,
            choice.p_correct,
        )


_CONTROL_CHARS = frozenset(chr(c) for c in range(32)) - {"\n", "\r", "\t"}


def _validate_answer(response: str, duration_ms: int | None, hints_used: int) -> None:
    problems = []
    if len(response) > MAX_RESPONSE_CHARS:
        problems.append(FieldError("response", f"must be at most {MAX_RESPONSE_CHARS} characters"))
    if not response.strip():
        problems.append(FieldError("response", "must not be empty"))
    if any(ch in response for ch in _CONTROL_CHARS):
        problems.append(FieldError("response", "must not contain control characters (such as NUL)"))
    if duration_ms is not None and not 0 <= duration_ms <= MAX_DURATION_MS:
        problems.append(
            FieldError("duration_ms", f"must be between 0 and {MAX_DURATION_MS}, got {duration_ms}")
        )
    if not 0 <= hints_used <= 100:
        problems.append(FieldError("hints_used", f"must be between 0 and 100, got {hints_used}"))
    if problems:
        raise ValidationError("the answer cannot be recorded", problems)


def record_attempt(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    item_id: int,
    response: str,
    duration_ms: int | None = None,
    hints_used: int = 0,
) -> AttemptResult:
    """Score an answer, store the attempt and update mastery, all in one transaction."""
    _validate_answer(response, duration_ms, hints_used)
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        if actor.role != "learner":
            raise PermissionDeniedError("only the learner can answer their own items")
        return _record(
            session,
            ctx,
            learner_id,
            item_id,
            response,
            duration_ms,
            hints_used,
            ctx.clock(),
            locale=actor.locale,
        )


def _record(
    session: Session,
    ctx: ServiceContext,
    learner_id: int,
    item_id: int,
    response: str,
    duration_ms: int | None,
    hints_used: int,
    at: datetime,
    catalog: Catalog | None = None,
    locale: str = "en",
) -> AttemptResult:
    """Record without access checks (callers check); also used to build the demo's histories."""
    catalog = catalog or load_catalog(session)
    item_row = session.get(ItemRow, item_id)
    if item_row is None or item_row.code not in catalog.items:
        raise NotFoundError(f"no item with id {item_id}")
    item = catalog.items[item_row.code]
    scored = score_response(item, response)
    if scored.needs_teacher:
        return _record_for_teacher(
            session, learner_id, item_id, item, catalog, response, duration_ms, hints_used, at, locale
        )
    state, model = _state_for(session, ctx, learner_id)
    row = AttemptRow(
        learner_id=learner_id,
        item_id=item_id,
        response=response,
        correct=scored.correct,
        score=scored.score,
        duration_ms=duration_ms,
        hints_used=hints_used,
        created_at=at,
    )
    session.add(row)
    session.flush()
    skills_out = apply_evidence(session, ctx, catalog, learner_id, item, row, state, model, at, locale)
    answer = item.answer
    if item.kind == "choice":
        answer = next((f"{c.key}) {c.text}" for c in item.choices if c.key == item.answer), item.answer)
    return AttemptResult(row.id, scored.correct, scored.score, answer, item.explanation, skills_out)


def apply_evidence(
    session: Session,
    ctx: ServiceContext,
    catalog: Catalog,
    learner_id: int,
    item: Item,
    row: AttemptRow,
    state: LearnerState,
    model: LearnerModel,
    at: datetime,
    locale: str = "en",
) -> list[tuple[SkillProgress, float | None]]:
    """Fold a scored attempt (evidence at ``at``) into the learner state, mastery rows and spaced review.

    ``state`` is the learner's state before it (from ``_state_for``); used for answers scored on submit and
    for answers a teacher scores later (service/scoring.py)."""
    fact = _attempt_fact(learner_id, item, row, at)
    return apply_fact(session, ctx, catalog, learner_id, fact, state, model, at, locale)


def apply_fact(
    session: Session,
    ctx: ServiceContext,
    catalog: Catalog,
    learner_id: int,
    fact: Attempt,
    state: LearnerState,
    model: LearnerModel,
    at: datetime,
    locale: str = "en",
) -> list[tuple[SkillProgress, float | None]]:
    """Fold one fact (an answer, or a teacher's score of portfolio work) into the learner state, mastery
    rows and spaced review; ``state`` is the learner's state before it."""
    correct = bool(fact.correct)
    before = model.mastery(state)
    state = model.update(state, fact)
    version, _ = ctx.active_model(session)
    srow = session.get(LearnerStateRow, learner_id)
    replayed = srow is None or srow.model_version_id != version
    if srow is None:
        session.add(
            LearnerStateRow(learner_id=learner_id, model_version_id=version, state=state, updated_at=at)
        )
    else:
        srow.state, srow.model_version_id, srow.updated_at = state, version, at
    after = model.mastery(state)
    rules = MasteryRules()
    skills_out: list[tuple[SkillProgress, float | None]] = []
    for code in fact.skills:
        skill = catalog.skills[code]
        m = after[code]
        mrow = session.get(MasteryRow, (learner_id, skill.id))
        if mrow is None:
            mrow = MasteryRow(learner_id=learner_id, skill_id=skill.id, n_correct=0, recent_wrong=0)
            session.add(mrow)
        mrow.p_mastery, mrow.low, mrow.high, mrow.n_attempts = m.p_mastery, m.low, m.high, m.n_attempts
        mrow.n_correct = (mrow.n_correct or 0) + int(correct)
        mrow.recent_wrong = 0 if correct else (mrow.recent_wrong or 0) + 1
        mrow.last_attempt_at = at
        history.note_mastery(session, learner_id, skill.id, at, m.p_mastery, m.n_attempts)  # issue 7
        prev = before.get(code)
        skills_out.append((_progress(skill, mrow, rules, locale), prev.p_mastery if prev else None))
    # IRT and the logistic models move every skill with an answer; a replay under a new version too
    refresh_mastery(
        session, catalog, learner_id, after, skip=fact.skills, before=None if replayed else before
    )
    memory.after_attempt(  # spaced review (issue 5)
        session,
        catalog,
        learner_id,
        fact.skills,
        correct,
        at,
        {c: after[c].p_mastery for c in fact.skills},
    )
    return skills_out


def _record_for_teacher(
    session: Session,
    learner_id: int,
    item_id: int,
    item: Item,
    catalog: Catalog,
    response: str,
    duration_ms: int | None,
    hints_used: int,
    at: datetime,
    locale: str,
) -> AttemptResult:
    """Store an answer that waits for a teacher's score; mastery is left as it is."""
    row = AttemptRow(
        learner_id=learner_id,
        item_id=item_id,
        response=response,
        correct=False,
        score=0.0,
        duration_ms=duration_ms,
        hints_used=hints_used,
        created_at=at,
    )
    session.add(row)
    session.flush()
    rules = MasteryRules()
    skills_out: list[tuple[SkillProgress, float | None]] = []
    for code in item.skills:
        skill = catalog.skills[code]
        m = session.get(MasteryRow, (learner_id, skill.id))
        progress = _progress(skill, m, rules, locale)
        skills_out.append((progress, progress.p_mastery if m is not None else None))
    return AttemptResult(row.id, False, 0.0, "", item.explanation, skills_out, needs_teacher=True)


def _progress(skill: SkillRow, m: MasteryRow | None, rules: MasteryRules, locale: str) -> SkillProgress:
    name = skill.name_es if locale == "es" and skill.name_es else skill.name
    if m is None:
        return SkillProgress(skill.code, name, skill.grade, 0.0, 0.0, 1.0, 0, 0, "not_started", None)
    return SkillProgress(
        skill.code,
        name,
        skill.grade,
        m.p_mastery,
        m.low,
        m.high,
        m.n_attempts,
        m.n_correct,
        rules.level(m.p_mastery, m.n_attempts, m.recent_wrong),
        m.last_attempt_at,
    )


def learner_progress(ctx: ServiceContext, actor: Actor, learner_id: int, recent: int = 10) -> LearnerProgress:
    """Mastery of every skill and the latest attempts of a learner the actor may see."""
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        return _learner_progress(session, learner, actor.locale, recent)


def _learner_progress(session: Session, learner: User, locale: str, recent: int) -> LearnerProgress:
    rules = MasteryRules()
    skills = list(session.scalars(select(SkillRow).order_by(SkillRow.position, SkillRow.id)))
    rows = {
        m.skill_id: m for m in session.scalars(select(MasteryRow).where(MasteryRow.learner_id == learner.id))
    }
    progress = [_progress(s, rows.get(s.id), rules, locale) for s in skills]
    latest = session.execute(
        select(AttemptRow, ItemRow.code, ItemRow.kind, ItemRow.body, TeacherScore.attempt_id)
        .join(ItemRow, ItemRow.id == AttemptRow.item_id)
        .outerjoin(TeacherScore, TeacherScore.attempt_id == AttemptRow.id)
        .where(AttemptRow.learner_id == learner.id)
        .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
        .limit(recent)
    ).all()
    n_attempts, n_correct = session.execute(
        select(
            func.count(AttemptRow.id), func.coalesce(func.sum(case((AttemptRow.correct, 1), else_=0)), 0)
        ).where(AttemptRow.learner_id == learner.id)
    ).one()
    return LearnerProgress(
        learner.id,
        learner.display_name,
        learner.grade,
        progress,
        n_attempts,
        n_correct,
        [
            {
                "item": code,
                "correct": a.correct,
                "at": a.created_at,
                "duration_ms": a.duration_ms,
                "hints_used": a.hints_used,
                "waiting_for_teacher": kind == "qti" and marked is None and _body_teacher_scored(body),
            }
            for a, code, kind, body, marked in latest
        ],
    )
