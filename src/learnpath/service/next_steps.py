"""Use cases of next steps with choice: the 3 to 5 choices for a learner, recording the pick, and the
practice item of a chosen skill. One engine (``learnpath.recommend.choices``) for web, API and CLI.

The curriculum part (graph, grades, interest tags, which skills have items) is read once and kept while
the content does not change (a cheap fingerprint query tells); per request only the learner's own rows
are read: mastery, FSRS memories, interests, open assignments.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import BindParameter, Integer, bindparam, func, select, union_all
from sqlalchemy.orm import Session

from learnpath.core.graph import SkillGraph
from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import FieldError, NotFoundError, PermissionDeniedError, ValidationError
from learnpath.recommend.choices import (
    ChoicePolicy,
    Curriculum,
    Kind,
    LearnerSnapshot,
    MustDo,
    NextStep,
    SkillFacts,
)
from learnpath.recommend.next_item import LearnerView, NextItemPolicy, Reason
from learnpath.recommend.patterns import AnswerRecord, repeated_wrong_answers
from learnpath.recommend.review import Memory
from learnpath.service.access import Actor, require_learner
from learnpath.service.catalog import item_from_row
from learnpath.service.context import ServiceContext
from learnpath.service.learning import NextItem
from learnpath.storage.tables import (
    Assignment,
    AttemptRow,
    ClassGroupMember,
    ClassLearner,
    ContentProgress,
    ContentRow,
    ItemRow,
    ItemSkill,
    LearnerInterest,
    MasteryRow,
    NextStepPick,
    PlacementRow,
    SkillEdge,
    SkillInterest,
    SkillMemory,
    SkillRow,
    User,
)

__all__ = [
    "ASSIGNMENT_DONE_AFTER",
    "Choice",
    "NextStepsView",
    "SkillRef",
    "curriculum",
    "next_steps",
    "next_steps_for_username",
    "practice_item",
    "record_pick",
]

POLICY = ChoicePolicy()
ASSIGNMENT_DONE_AFTER = 3
"""A must-do skill counts as done after this many answers on it since it was assigned (1 for an item)."""


@dataclass(frozen=True)
class SkillRef:
    code: str
    name: str


@dataclass(frozen=True)
class Choice:
    """One next step as the adapters show it (the reason's words come from ``kind`` and the details)."""

    position: int
    skill_code: str
    skill_name: str
    grade: int | None
    kind: Kind
    days_since: int | None = None
    interest: str | None = None
    fell: bool = False
    due: datetime | None = None
    assignment_id: int | None = None
    content_id: int | None = None
    """must_do work on content: open ``/content/{content_id}`` rather than practise the skill."""
    content_title: str | None = None
    content_kind: str | None = None
    repeated: str | None = None
    """reteach: the wrong answer the learner gave more than once."""


@dataclass(frozen=True)
class NextStepsView:
    learner_id: int
    choices: list[Choice]
    notice: str | None
    """no_history, goal_mastered, no_path, nothing_to_do, or None."""
    blocked_by: list[SkillRef]
    placement_offered: bool
    locale: str = "en"
    """The language of the names (the actor's)."""


@dataclass(frozen=True)
class CurriculumCache:
    curriculum: Curriculum
    id_of: dict[str, int]
    code_of: dict[int, str]
    names: dict[str, tuple[str, str]]
    grades: dict[str, int | None]

    def name(self, code: str, locale: str) -> str:
        en, es = self.names[code]
        return es if locale == "es" and es else en


_CACHE: OrderedDict[tuple[str, tuple[Any, ...]], CurriculumCache] = OrderedDict()
_CACHE_SIZE = 8


# Statements built once (building a select costs more than running it on these small per-learner sets).
_FINGERPRINT = select(
    select(func.count()).select_from(SkillRow).scalar_subquery(),
    select(func.max(SkillRow.id)).scalar_subquery(),
    select(func.count()).select_from(SkillEdge).scalar_subquery(),
    select(func.count()).select_from(ItemSkill).scalar_subquery(),
    select(func.count()).select_from(SkillInterest).scalar_subquery(),
)
_LID: BindParameter[int] = bindparam("lid", type_=Integer)
_MASTERY = select(
    MasteryRow.skill_id, MasteryRow.p_mastery, MasteryRow.n_attempts, MasteryRow.recent_wrong
).where(MasteryRow.learner_id == _LID)
_MEMORY = select(
    SkillMemory.skill_id,
    SkillMemory.stability,
    SkillMemory.difficulty,
    SkillMemory.last_review_at,
    SkillMemory.due_at,
    SkillMemory.reps,
    SkillMemory.lapses,
    SkillMemory.peak_mastery,
).where(SkillMemory.learner_id == _LID)
_INTERESTS = select(LearnerInterest.tag).where(LearnerInterest.learner_id == _LID)
_ASSIGNED_COLUMNS = (
    Assignment.id,
    Assignment.skill_id,
    Assignment.item_id,
    Assignment.due_at,
    Assignment.created_at,
    Assignment.content_id,
    Assignment.check_items,
)
_ASSIGNED = union_all(  # index lookups (an OR over them would scan the table)
    select(*_ASSIGNED_COLUMNS).where(Assignment.learner_id == _LID, Assignment.kind == "must_do"),
    select(*_ASSIGNED_COLUMNS)
    .join(ClassLearner, ClassLearner.class_id == Assignment.class_id)
    .where(ClassLearner.learner_id == _LID, Assignment.kind == "must_do"),
    select(*_ASSIGNED_COLUMNS)
    .join(ClassGroupMember, ClassGroupMember.group_id == Assignment.group_id)
    .where(ClassGroupMember.learner_id == _LID, Assignment.kind == "must_do"),
)
_COMPLETED = select(ContentProgress.completed_at).where(
    ContentProgress.learner_id == _LID, ContentProgress.content_id == bindparam("content")
)
_CHECKED = select(func.count(func.distinct(AttemptRow.item_id))).where(
    AttemptRow.learner_id == _LID,
    AttemptRow.created_at >= bindparam("since"),
    AttemptRow.item_id.in_(bindparam("items", expanding=True)),
)
_ANSWERED = select(func.count(AttemptRow.id)).where(
    AttemptRow.learner_id == _LID, AttemptRow.created_at >= bindparam("since")
)
_DONE_ITEM = _ANSWERED.where(AttemptRow.item_id == bindparam("item"))
_DONE_SKILL = _ANSWERED.where(
    AttemptRow.item_id.in_(select(ItemSkill.item_id).where(ItemSkill.skill_id == bindparam("skill")))
)
_PLACED = select(PlacementRow.id).where(PlacementRow.learner_id == _LID).limit(1)
RECENT_ANSWERS = 60
"""How many of a learner's latest (answer, skill) pairs the repeated-wrong-answer rule reads."""
CHALLENGE_AT = 1.0
"""An item this hard (difficulty in logits) or harder is a challenge: a mastered skill with one is offered
``deepen`` ("You know this! Try a harder one"), and picking that step serves the challenge items."""
_RECENT = (  # one index range scan on (learner_id, created_at), newest first
    select(ItemSkill.skill_id, AttemptRow.item_id, AttemptRow.response, AttemptRow.correct)
    .join(ItemSkill, ItemSkill.item_id == AttemptRow.item_id)
    .where(AttemptRow.learner_id == _LID)
    .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
    .limit(RECENT_ANSWERS)
)


def _fingerprint(session: Session) -> tuple[Any, ...]:
    return tuple(session.connection().execute(_FINGERPRINT).one())


def curriculum(session: Session) -> CurriculumCache:
    """The recommender's view of the curriculum, rebuilt only when skills, edges, tags or items change."""
    engine = session.get_bind().engine
    key = (f"{engine.url}#{id(engine)}", _fingerprint(session))
    cached = _CACHE.get(key)
    if cached is not None:
        _CACHE.move_to_end(key)
        return cached
    skills = session.execute(
        select(SkillRow.id, SkillRow.code, SkillRow.name, SkillRow.name_es, SkillRow.grade).order_by(
            SkillRow.position, SkillRow.id
        )
    ).all()
    code_of = {r.id: r.code for r in skills}
    edges = [
        (code_of[a], code_of[b])
        for a, b in session.execute(select(SkillEdge.prerequisite_id, SkillEdge.skill_id))
    ]
    with_items = {code_of[s] for s in session.scalars(select(ItemSkill.skill_id).distinct())}
    challenge = {
        code_of[s]
        for s in session.scalars(
            select(ItemSkill.skill_id)
            .join(ItemRow, ItemRow.id == ItemSkill.item_id)
            .where(ItemRow.difficulty >= CHALLENGE_AT)
            .distinct()
        )
    }
    tags: dict[str, set[str]] = {}
    for sid, tag in session.execute(select(SkillInterest.skill_id, SkillInterest.tag)):
        tags.setdefault(code_of[sid], set()).add(tag)
    graph = SkillGraph.build([r.code for r in skills], edges)
    facts = [
        SkillFacts(
            r.code, r.grade, frozenset(tags.get(r.code, ())), r.code in with_items, r.code in challenge
        )
        for r in skills
    ]
    cached = CurriculumCache(
        Curriculum.build(graph, facts),
        {r.code: r.id for r in skills},
        code_of,
        {r.code: (r.name, r.name_es) for r in skills},
        {r.code: r.grade for r in skills},
    )
    _CACHE[key] = cached
    while len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return cached


def _must_do(session: Session, cur: CurriculumCache, learner_id: int) -> list[MustDo]:
    """Open must-do assignments: to the learner, their class or group; practice not yet answered enough since
    given; content work not yet watched (read, finished) or whose check is not answered."""
    out = []
    conn = session.connection()  # Core statements: no ORM layer on the hot path
    seen: set[int] = set()
    for aid, skill_id, item_id, due, since, content_id, check in conn.execute(_ASSIGNED, {"lid": learner_id}):
        if skill_id not in cur.code_of or aid in seen:
            continue
        seen.add(aid)
        if content_id is not None:
            completed = conn.scalar(_COMPLETED, {"lid": learner_id, "content": content_id})
            items = list(check or ())
            checked = (
                conn.scalar(_CHECKED, {"lid": learner_id, "since": since, "items": items}) or 0
                if items
                else 0
            )
            if completed is None or checked < len(items):
                out.append(MustDo(cur.code_of[skill_id], aid, due, content_id))
            continue
        if item_id is not None:
            done = conn.scalar(_DONE_ITEM, {"lid": learner_id, "since": since, "item": item_id}) or 0
            need = 1
        else:
            done = conn.scalar(_DONE_SKILL, {"lid": learner_id, "since": since, "skill": skill_id}) or 0
            need = ASSIGNMENT_DONE_AFTER
        if done < need:
            out.append(MustDo(cur.code_of[skill_id], aid, due))
    return out


def snapshot(session: Session, cur: CurriculumCache, learner: User) -> LearnerSnapshot:
    """What the recommender may know about ``learner``: their own rows only."""
    code_of = cur.code_of
    params = {"lid": learner.id}
    p: dict[str, float] = {}
    n: dict[str, int] = {}
    wrong: dict[str, int] = {}
    conn = session.connection()  # Core statements: no ORM layer on the hot path
    for sid, pm, na, rw in conn.execute(_MASTERY, params):
        code = code_of.get(sid)
        if code is not None:
            p[code], n[code], wrong[code] = pm, na, rw
    memories: dict[str, Memory] = {}
    peaks: dict[str, float] = {}
    for sid, stability, difficulty, last, due, reps, lapses, peak in conn.execute(_MEMORY, params):
        code = code_of.get(sid)
        if code is not None:
            memories[code] = Memory(stability, difficulty, last, due, reps, lapses)
            peaks[code] = peak
    interests = frozenset(conn.scalars(_INTERESTS, params))
    recent = conn.execute(_RECENT, params).all()
    repeated = repeated_wrong_answers(
        AnswerRecord(code_of[sid], str(iid), response or "", bool(correct))
        for sid, iid, response, correct in reversed(recent)
        if sid in code_of
    )
    return LearnerSnapshot(
        learner.grade,
        p,
        n,
        wrong,
        peaks,
        memories,
        interests,
        _must_do(session, cur, learner.id),
        repeated_wrong=repeated,
    )


def _choice(
    cur: CurriculumCache,
    step: NextStep,
    position: int,
    locale: str,
    content: dict[int, tuple[str, str, str]] | None = None,
) -> Choice:
    title = kind = None
    if step.content_id is not None and content and step.content_id in content:
        en, es, kind = content[step.content_id]
        title = es if locale == "es" and es else en
    return Choice(
        position,
        step.skill,
        cur.name(step.skill, locale),
        cur.grades[step.skill],
        step.kind,
        step.days_since,
        step.interest,
        step.fell,
        step.due,
        step.assignment_id,
        step.content_id,
        title,
        kind,
        step.repeated,
    )


def _steps(session: Session, actor: Actor, learner: User, now: datetime, goal: str | None) -> NextStepsView:
    cur = curriculum(session)
    snap = snapshot(session, cur, learner)
    result = POLICY.choose(cur.curriculum, snap, now, goal)
    content_ids = [s.content_id for s in result.choices if s.content_id is not None]
    content = (
        {
            cid: (title, title_es, kind)
            for cid, title, title_es, kind in session.execute(
                select(ContentRow.id, ContentRow.title, ContentRow.title_es, ContentRow.kind).where(
                    ContentRow.id.in_(content_ids)
                )
            )
        }
        if content_ids
        else {}
    )
    placed = (
        result.notice == "no_history"
        and session.connection().scalar(_PLACED, {"lid": learner.id}) is not None
    )
    return NextStepsView(
        learner.id,
        [_choice(cur, s, i + 1, actor.locale, content) for i, s in enumerate(result.choices)],
        result.notice,
        [SkillRef(c, cur.name(c, actor.locale)) for c in result.blocked_by],
        result.notice == "no_history" and not placed,
        actor.locale,
    )


def next_steps(ctx: ServiceContext, actor: Actor, learner_id: int, goal: str | None = None) -> NextStepsView:
    """The next-step choices for a learner the actor may see (must-do first, a balanced mix).

    ``goal`` (a skill code) aims the learning choices at it: unknown is NotFoundError; mastered, or
    blocked by skills with nothing to practise, gives the general choices with a notice.
    """
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        return _steps(session, actor, learner, ctx.clock(), goal)


def _require_practice_skill(session: Session, cur: CurriculumCache, code: str) -> int:
    code = code.strip()
    if code not in cur.id_of:
        raise NotFoundError(f"no skill with code {code!r}")
    if not cur.curriculum.facts[code].has_items:
        raise ValidationError(
            f"skill {code!r} has nothing to practise yet",
            [FieldError("skill_code", "no items for this skill")],
        )
    return cur.id_of[code]


def _item_for(
    session: Session,
    cur: CurriculumCache,
    learner_id: int,
    code: str,
    locale: str,
    rng: np.random.Generator,
    challenge: bool = False,
) -> NextItem:
    """An item of fitting difficulty on ``code``; with ``challenge`` (a ``deepen`` pick), among its
    challenge items (difficulty >= CHALLENGE_AT) when it has any."""
    skill_id = cur.id_of[code]
    rows = session.scalars(
        select(ItemRow)
        .join(ItemSkill, ItemSkill.item_id == ItemRow.id)
        .where(ItemSkill.skill_id == skill_id)
        .order_by(ItemRow.id)
    ).all()
    if challenge:
        rows = [r for r in rows if r.difficulty >= CHALLENGE_AT] or rows
    tags: dict[int, list[str]] = {}
    for iid, sid in session.execute(
        select(ItemSkill.item_id, ItemSkill.skill_id).where(ItemSkill.item_id.in_([r.id for r in rows]))
    ):
        if sid in cur.code_of:
            tags.setdefault(iid, []).append(cur.code_of[sid])
    items = {r.code: (r.id, item_from_row(r, tuple(sorted(tags.get(r.id, [code]))))) for r in rows}
    mastery = session.get(MasteryRow, (learner_id, skill_id))
    recent = session.scalars(
        select(ItemRow.code)
        .join(AttemptRow, AttemptRow.item_id == ItemRow.id)
        .where(AttemptRow.learner_id == learner_id)
        .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
        .limit(20)
    ).all()
    policy = NextItemPolicy(items_by_skill={code: tuple(i for _, i in items.values())})
    view = LearnerView(
        {code: mastery.p_mastery if mastery else 0.0},
        {code: mastery.n_attempts if mastery else 0},
        recent[::-1],
    )
    pick = policy.choose(SkillGraph.build([code], []), view, rng)
    assert pick is not None  # the skill has items
    item_id, item = items[pick.item.code]
    reason: Reason = "continue" if mastery and mastery.n_attempts else "ready"
    if mastery and mastery.p_mastery >= MASTERED_AT:
        reason = "review"
    return NextItem(item_id, item, code, cur.name(code, locale), reason, pick.p_correct)


def practice_item(
    ctx: ServiceContext, actor: Actor, learner_id: int, skill_code: str, rng: np.random.Generator
) -> NextItem:
    """A practice item on ``skill_code`` for a learner the actor may see."""
    with ctx.unit() as session:
        require_learner(session, actor, learner_id)
        cur = curriculum(session)
        _require_practice_skill(session, cur, skill_code)
        return _item_for(session, cur, learner_id, skill_code.strip(), actor.locale, rng)


def record_pick(
    ctx: ServiceContext, actor: Actor, learner_id: int, skill_code: str, rng: np.random.Generator
) -> NextItem:
    """The learner picks a next step: stored with what was offered; returns the first item to practise.

    Only the learner picks (others: 403). A skill that was not offered may still be picked (kind
    ``own``); an unknown skill is 404, one with nothing to practise 422.
    """
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        if actor.role != "learner":
            raise PermissionDeniedError("only the learner can pick their own next step")
        cur = curriculum(session)
        skill_id = _require_practice_skill(session, cur, skill_code)
        code = skill_code.strip()
        now = ctx.clock()
        view = _steps(session, actor, learner, now, None)
        offered = {c.skill_code: c for c in view.choices}
        picked = offered.get(code)
        session.add(
            NextStepPick(
                learner_id=learner.id,
                skill_id=skill_id,
                kind=picked.kind if picked else "own",
                position=picked.position if picked else None,
                offered={"choices": [{"skill": c.skill_code, "kind": c.kind} for c in view.choices]},
                created_at=now,
            )
        )
        deepen = picked is not None and picked.kind == "deepen"
        return _item_for(session, cur, learner.id, code, actor.locale, rng, challenge=deepen)


def next_steps_for_username(ctx: ServiceContext, username: str, goal: str | None = None) -> NextStepsView:
    """The choices of the learner ``username``, as they see them (for the operator's command line)."""
    with ctx.unit() as session:
        user = session.scalars(select(User).where(User.username == username.strip())).first()
        if user is None or user.role != "learner":
            raise NotFoundError(f"no learner with username {username.strip()!r}")
        actor = Actor.of(user)
    return next_steps(ctx, actor, user.id, goal)
