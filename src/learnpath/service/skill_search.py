"""Find skills to add to a goal (issue 6 follow-up).

A school that imported a whole framework has hundreds of skills (703 after a Common Core import), too many
for one ``<select>`` per goal. The plan page asks this module instead: at most :data:`LIMIT` skills whose
code or name (English or Spanish) holds the words typed, those the goal already has left out. Codes that
match come first, then names that start with the words, then the rest, each in curriculum order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from learnpath.errors import ValidationError
from learnpath.service.access import Actor, require_learner
from learnpath.service.context import ServiceContext
from learnpath.service.goal_records import check_may_draft, find_goal
from learnpath.service.plans import _goal_skill_rows
from learnpath.service.progress_focus import MAX_QUERY
from learnpath.storage.tables import SkillRow, User

__all__ = ["LIMIT", "SkillMatches", "goal_skill_matches", "learner_skill_matches", "rank_matches"]

LIMIT = 20


@dataclass(frozen=True)
class SkillMatches:
    goal_id: int | None
    """The goal the skills would be added to; None: a new goal (the new-goal form)."""
    learner_id: int
    query: str
    skills: list[tuple[str, str, int | None]]
    """(code, name in the UI language, grade), at most :data:`LIMIT`."""
    more: bool
    """More skills matched than are listed."""
    kept: list[tuple[str, str, int | None]] = field(default_factory=list)
    """The ticked skills sent with the search (``skip`` of the caller) that the goal does not have yet,
    (code, name, grade) in curriculum order: the form keeps them ticked above the matches (it lists the
    goal's own skills itself)."""


def rank_matches(
    rows: list[tuple[str, str, str, int | None]], query: str, skip: frozenset[str], limit: int = LIMIT
) -> tuple[list[tuple[str, str, str, int | None]], bool]:
    """``rows`` (code, name, Spanish name, grade, in curriculum order) whose code or either name holds
    ``query`` (any case), best first: code equal, code starting with it, a name starting with it, the rest.
    An empty query matches nothing. Returns the first ``limit`` and whether more matched."""
    q = query.strip().casefold()
    if not q:
        return [], False
    ranked: list[tuple[int, int, tuple[str, str, str, int | None]]] = []
    for i, row in enumerate(rows):
        code, name, name_es = row[0].casefold(), row[1].casefold(), row[2].casefold()
        if row[0] in skip or not (q in code or q in name or q in name_es):
            continue
        rank = (
            0
            if code == q
            else 1
            if code.startswith(q)
            else 2
            if name.startswith(q) or name_es.startswith(q)
            else 3
        )
        ranked.append((rank, i, row))
    ranked.sort(key=lambda r: (r[0], r[1]))
    return [r[2] for r in ranked[:limit]], len(ranked) > limit


def goal_skill_matches(
    ctx: ServiceContext,
    actor: Actor,
    goal_id: int,
    query: str,
    locale: str | None = None,
    skip: frozenset[str] = frozenset(),
) -> SkillMatches:
    """Skills to add to goal ``goal_id`` (its own skills and those in ``skip``, already ticked, left out),
    for those who may change the learner's goals (others who may see the learner: PermissionDeniedError;
    anyone else: NotFoundError). A query over :data:`MAX_QUERY` characters: ValidationError naming ``q``."""
    q = _checked(query)
    with ctx.unit() as session:
        goal = find_goal(session, actor, goal_id)
        learner = session.get(User, goal.learner_id)
        assert learner is not None
        check_may_draft(session, actor, learner)
        own = frozenset(s.code for s in _goal_skill_rows(session, goal_id))
        skills, more, kept = _matches(session, q, skip | own, locale or actor.locale, skip - own)
    return SkillMatches(goal_id, goal.learner_id, q, skills, more, kept)


def learner_skill_matches(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    query: str,
    locale: str | None = None,
    skip: frozenset[str] = frozenset(),
) -> SkillMatches:
    """Skills for a new goal of learner ``learner_id`` (those in ``skip``, already ticked, left out), for
    those who may draft the learner's goals; access and ``q`` errors as :func:`goal_skill_matches`."""
    q = _checked(query)
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        check_may_draft(session, actor, learner)
        skills, more, kept = _matches(session, q, skip, locale or actor.locale, skip)
    return SkillMatches(None, learner_id, q, skills, more, kept)


def _checked(query: str) -> str:
    q = query.strip()
    if len(q) > MAX_QUERY:
        raise ValidationError.for_field("q", f"must be at most {MAX_QUERY} characters, got {len(q)}")
    return q


def _matches(
    session: Session, q: str, skip: frozenset[str], locale: str, keep: frozenset[str]
) -> tuple[list[tuple[str, str, int | None]], bool, list[tuple[str, str, int | None]]]:
    """The ranked matches, whether more matched, and the skills in ``keep`` (all from one read)."""
    rows = [
        (c, n, es, g)
        for c, n, es, g in session.execute(
            select(SkillRow.code, SkillRow.name, SkillRow.name_es, SkillRow.grade).order_by(
                SkillRow.position, SkillRow.id
            )
        )
    ]
    found, more = rank_matches(rows, q, skip)
    es = locale == "es"

    def shown(picked: list[tuple[str, str, str, int | None]]) -> list[tuple[str, str, int | None]]:
        return [(c, n_es if es and n_es else n, g) for c, n, n_es, g in picked]

    return shown(found), more, shown([r for r in rows if r[0] in keep])
