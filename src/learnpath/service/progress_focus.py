"""Which skills a learner's progress page shows (issue 6 follow-up).

A school that imported a whole framework has hundreds of skills (703 after a Common Core import); listing
them all buries what matters. By default the page shows the skills the learner has *practised* and those on
the *paths to their goals* (each active goal's skills and the unmastered prerequisites on the way, as
``service/paths.py`` plans them). ``show="all"`` lists every skill; a search (``query``) looks through every
skill by name or code, whatever ``show`` says.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from sqlalchemy.orm import Session

from learnpath.errors import ValidationError
from learnpath.service.access import Actor, require_learner
from learnpath.service.context import ServiceContext
from learnpath.service.learning import LearnerProgress, SkillProgress, _learner_progress
from learnpath.service.paths import _learner_path
from learnpath.storage.tables import User

__all__ = ["MAX_QUERY", "SHOWS", "ProgressSkills", "Show", "focus_codes", "pick_skills", "progress_skills"]

Show = Literal["focus", "all"]
SHOWS: tuple[Show, ...] = ("focus", "all")
MAX_QUERY = 100


@dataclass(frozen=True)
class ProgressSkills:
    progress: LearnerProgress
    """The learner's progress, ``skills`` cut down to those shown."""
    total: int
    """How many skills the school has."""
    n_mastered: int
    """How many of all the skills (shown or not) the learner has mastered."""
    show: Show
    query: str
    on_path: frozenset[str]
    """Codes of the skills on the paths to the learner's goals."""


def focus_codes(session: Session, learner: User, locale: str) -> frozenset[str]:
    """Codes of the skills on the paths to the learner's active goals: the goal skills and the unmastered
    prerequisites on the way (empty without goals). No access check: the caller has checked."""
    path = _learner_path(session, learner, (), locale)[0]
    return frozenset({g.code for g in path.goals} | {s.code for s in path.steps})


def pick_skills(
    skills: Sequence[SkillProgress], on_path: frozenset[str], show: str, query: str = ""
) -> list[SkillProgress]:
    """The skills to show, in their order: with a ``query``, every skill whose name or code holds it (any
    case); else all (``show="all"``) or those practised or on a goal's path (``show="focus"``)."""
    if show not in SHOWS:
        raise ValidationError.for_field("show", f"must be one of {', '.join(SHOWS)}, got {show!r}")
    q = query.strip().casefold()
    if len(q) > MAX_QUERY:
        raise ValidationError.for_field("q", f"must be at most {MAX_QUERY} characters, got {len(q)}")
    if q:
        return [s for s in skills if q in s.name.casefold() or q in s.code.casefold()]
    if show == "all":
        return list(skills)
    return [s for s in skills if s.n_attempts > 0 or s.code in on_path]


def progress_skills(
    ctx: ServiceContext,
    actor: Actor,
    learner_id: int,
    *,
    show: str = "focus",
    query: str = "",
    recent: int = 10,
) -> ProgressSkills:
    """The learner's progress (for anyone who may see the learner) with only the skills :func:`pick_skills`
    keeps. Bad ``show`` or ``query``: ValidationError naming the field."""
    pick_skills([], frozenset(), show, query)  # check the input before reading anything
    with ctx.unit() as session:
        learner = require_learner(session, actor, learner_id)
        progress = _learner_progress(session, learner, actor.locale, recent)
        on_path = focus_codes(session, learner, actor.locale)
    shown = pick_skills(progress.skills, on_path, show, query)
    return ProgressSkills(
        replace(progress, skills=shown),
        len(progress.skills),
        sum(1 for s in progress.skills if s.level == "mastered"),
        "all" if show == "all" else "focus",
        query.strip(),
        on_path,
    )
