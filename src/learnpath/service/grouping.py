"""Suggested small groups and collaborative teams for a class, and saving the teacher's adjusted version.

- :func:`suggest_groups`: groups of a size the teacher picks around a shared **next skill** (each learner's
  next steps, as the learner would see them: must-do, re-teach, continue, ready...) or a shared **error
  pattern** (the same wrong answer to the same question, or repeated wrong answers on one skill, in the last
  :data:`ERROR_WINDOW_DAYS` days); each with why (a :class:`GroupReason` the adapters put into words) and
  what to teach with (content and questions on the group's skill). The placement is
  :func:`learnpath.orchestrate.grouping.form_groups`.
- :func:`suggest_teams`: teams with complementary mastery of the project's skills, peer tutors, pair rules
  and balance (:func:`learnpath.orchestrate.teams.form_teams`, CP-SAT with a time limit).
- :func:`save_groups`: the teacher's groups or teams (moved, renamed) stored in one transaction; with
  ``replace=True`` they become the class's whole set of that kind (kept ids keep their assignments).
- :func:`replace_pair_rules` and :func:`rule_breaks`: the pair rules as a set, and where saved groups break them.

Nothing here chooses for the teacher: suggestions are not stored until saved.
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from learnpath.core.mastery import MASTERED_AT
from learnpath.errors import FieldError, NotFoundError, ValidationError
from learnpath.orchestrate.grouping import GroupPlan, LearnerNeeds, form_groups
from learnpath.orchestrate.pairs import pair_blocks
from learnpath.orchestrate.teams import MAX_SKILLS as MAX_TEAM_SKILLS
from learnpath.orchestrate.teams import TeamLearner, describe_team, form_teams
from learnpath.service.access import Actor, require_class
from learnpath.service.context import ServiceContext
from learnpath.service.groups import (
    GROUP_KINDS,
    MAX_NAME,
    PAIR_RULES,
    GroupView,
    Member,
    PairRule,
    _views,
    check_members,
    pair_rules,
)
from learnpath.service.next_steps import POLICY, curriculum, snapshot
from learnpath.storage.tables import (
    Assignment,
    AttemptRow,
    ClassGroup,
    ClassGroupMember,
    ClassLearner,
    ContentRow,
    ContentSkill,
    ItemRow,
    ItemSkill,
    LearnerPairRule,
    MasteryRow,
    SkillRow,
    User,
)

__all__ = [
    "BASES",
    "ERROR_WINDOW_DAYS",
    "LETTERS",
    "ContentRef",
    "GroupDraft",
    "GroupReason",
    "RuleBreak",
    "SuggestedGroup",
    "SuggestedTeam",
    "TeamSuggestion",
    "groups_with_work",
    "pair_rules_of",
    "replace_pair_rules",
    "rule_breaks",
    "save_groups",
    "save_teams",
    "seed_demo_teams",
    "suggest_groups",
    "suggest_teams",
]

BASES = ("next_skill", "error_pattern")
ERROR_WINDOW_DAYS = 30
"""Wrong answers older than this say little about today's mini-lesson."""
MAX_GROUPS = 60
MAX_SUGGESTIONS = 3
LEARNING_KINDS = ("must_do", "reteach", "continue", "ready", "interest", "enrich")
TEAM_SKILLS = 4
"""Skills a team suggestion looks at when the teacher names none."""
MAX_ANSWER = 60
"""Longer answers (written text) are never "the same wrong answer"."""
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True)
class ContentRef:
    """Something to teach the mini-lesson with: a piece of content (``kind`` video, reading, activity,
    project) or a question (``kind`` item; ``id`` is the item id)."""

    kind: str
    id: int
    code: str
    title: str
    minutes: int | None = None
    modality: str = ""


@dataclass(frozen=True)
class GroupReason:
    """Why these learners sit together; adapters word it (``learnpath.web.group_words``).

    ``kind``: ``must_do`` (assigned work they have not done), ``reteach`` (wrong answers keep coming or
    mastery fell), ``next_skill`` (ready for it next), ``same_answer`` (gave the same wrong answer to
    ``item_code``: ``answer``), ``repeated_errors`` (several wrong answers on the skill lately),
    ``no_history`` (no answers yet), ``no_errors`` (no repeated errors lately), ``mixed`` (no shared topic
    fitted them better)."""

    kind: str
    count: int
    """Members who share it."""
    total: int
    """Members of the group."""
    skill_name: str = ""
    item_code: str = ""
    answer: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "count": self.count,
            "total": self.total,
            "skill_name": self.skill_name,
            "item_code": self.item_code,
            "answer": self.answer,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupReason | None:
        try:
            return cls(
                str(data["kind"]),
                int(data["count"]),
                int(data["total"]),
                str(data.get("skill_name", "")),
                str(data.get("item_code", "")),
                str(data.get("answer", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


@dataclass(frozen=True)
class SuggestedGroup:
    name: str
    reason: GroupReason
    learner_ids: list[int]
    skill_code: str | None
    content: list[ContentRef] = field(default_factory=list)
    """Content first (one per modality), then questions on the skill."""
    members: list[Member] = field(default_factory=list)
    """The learners with their names, by name."""
    matched: list[int] = field(default_factory=list)
    """The learners who share the reason (the others were placed here to keep sizes and pair rules)."""

    def details(self) -> dict[str, Any]:
        """What a saved group keeps of the suggestion."""
        return {
            "skill_code": self.skill_code,
            "reason": self.reason.to_dict(),
            "content": [{"kind": c.kind, "id": c.id, "code": c.code, "title": c.title} for c in self.content],
        }


@dataclass(frozen=True)
class GroupDraft:
    """A group as the teacher saves it; ``id`` names a saved group of the class to update in place."""

    name: str
    learner_ids: Sequence[int]
    reason: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    roles: dict[int, str] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class SuggestedTeam:
    name: str
    learner_ids: list[int]
    members: list[Member]
    """With roles: ``expert:CODE``, ``tutor``, ``tutee`` or ``""``."""
    covered: list[str]
    missing: list[str]
    pairs: list[tuple[int, int, str]]
    """(tutor, tutee, skill code)."""
    mean_mastery: float

    def draft(self) -> GroupDraft:
        return GroupDraft(
            self.name,
            self.learner_ids,
            details={
                "covered": self.covered,
                "missing": self.missing,
                "pairs": [list(p) for p in self.pairs],
                "mean_mastery": round(self.mean_mastery, 4),
            },
            roles={m.learner_id: m.role for m in self.members if m.role},
        )


@dataclass(frozen=True)
class TeamSuggestion:
    teams: list[SuggestedTeam]
    skills: list[tuple[str, str]]
    """(code, name) of the skills the teams were formed for."""
    uncoverable: list[str]
    status: str
    objective: int
    bound: int
    gap: float
    seconds: float
    skills_chosen: bool
    """True when learnpath chose the skills (the teacher named none)."""


@dataclass(frozen=True)
class RuleBreak:
    learner_a: int
    learner_b: int
    rule: str
    names: tuple[str, str]


# -- reading the class ----------------------------------------------------------------------------


def _learners(
    session: Session, class_id: int, learner_ids: Sequence[int] | None
) -> list[tuple[int, str, User]]:
    query = (
        select(User)
        .join(ClassLearner, ClassLearner.learner_id == User.id)
        .where(ClassLearner.class_id == class_id)
        .order_by(User.display_name, User.id)
    )
    if learner_ids is not None:
        wanted = set(check_members(session, class_id, learner_ids))
        return [(u.id, u.display_name, u) for u in session.scalars(query) if u.id in wanted]
    return [(u.id, u.display_name, u) for u in session.scalars(query)]


def _rules(session: Session, class_id: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    rules = pair_rules(session, class_id)
    return (
        [(r.learner_a, r.learner_b) for r in rules if r.rule == "apart"],
        [(r.learner_a, r.learner_b) for r in rules if r.rule == "together"],
    )


def _skill_names(session: Session, locale: str) -> dict[str, str]:
    return {
        code: (es if locale == "es" and es else en)
        for code, en, es in session.execute(select(SkillRow.code, SkillRow.name, SkillRow.name_es))
    }


def _next_skill_needs(
    ctx: ServiceContext, session: Session, learners: list[tuple[int, str, User]]
) -> tuple[list[LearnerNeeds], dict[tuple[int, str], str]]:
    """Each learner's learning next steps, best first, and the kind of each (learner, skill)."""
    cur = curriculum(session)
    now = ctx.clock()
    needs = []
    kinds: dict[tuple[int, str], str] = {}
    for lid, _, user in learners:
        result = POLICY.choose(cur.curriculum, snapshot(session, cur, user), now, None)
        topics = []
        for step in result.choices:
            if step.kind in LEARNING_KINDS and step.skill not in topics:
                topics.append(step.skill)
                kinds[(lid, step.skill)] = step.kind
        needs.append(LearnerNeeds(lid, tuple(topics)))
    return needs, kinds


def _norm(answer: str) -> str:
    return re.sub(r"\s+", " ", answer.strip().lower())


@dataclass
class _Errors:
    skill_of_item: dict[int, str]
    item_code: dict[int, str]
    answers: dict[str, tuple[int, str]]
    """Topic key -> (item id, the answer as first given)."""


def _error_needs(
    ctx: ServiceContext, session: Session, learners: list[tuple[int, str, User]]
) -> tuple[list[LearnerNeeds], _Errors]:
    """Each learner's error topics, best first: wrong answers shared with others in the set (most shared
    first), then skills with two or more wrong answers lately (most first)."""
    ids = [lid for lid, _, _ in learners]
    since = ctx.clock() - timedelta(days=ERROR_WINDOW_DAYS)
    rows = session.execute(
        select(AttemptRow.learner_id, AttemptRow.item_id, AttemptRow.response)
        .where(AttemptRow.learner_id.in_(ids), AttemptRow.correct.is_(False), AttemptRow.created_at >= since)
        .order_by(AttemptRow.created_at.desc(), AttemptRow.id.desc())
    ).all()
    items = {item for _, item, _ in rows}
    skill_of_item: dict[int, str] = {}
    codes: dict[int, str] = {}
    if items:
        for item_id, code, skill in session.execute(
            select(ItemRow.id, ItemRow.code, SkillRow.code)
            .join(ItemSkill, ItemSkill.item_id == ItemRow.id)
            .join(SkillRow, SkillRow.id == ItemSkill.skill_id)
            .where(ItemRow.id.in_(items))
            .order_by(ItemRow.id, SkillRow.position, SkillRow.id)
        ):
            skill_of_item.setdefault(item_id, skill)
            codes[item_id] = code
    answers: dict[str, tuple[int, str]] = {}
    per_learner: dict[int, Counter[str]] = {lid: Counter() for lid in ids}
    wrong_on_skill: dict[int, Counter[str]] = {lid: Counter() for lid in ids}
    for lid, item_id, response in rows:
        if item_id not in skill_of_item:
            continue
        wrong_on_skill[lid][skill_of_item[item_id]] += 1
        if 0 < len(response.strip()) <= MAX_ANSWER:
            key = f"answer:{item_id}:{_norm(response)}"
            answers.setdefault(key, (item_id, response.strip()))
            per_learner[lid][key] += 1
    sharing = Counter(key for counts in per_learner.values() for key in counts)
    needs = []
    for lid in ids:
        shared = sorted((k for k in per_learner[lid] if sharing[k] >= 2), key=lambda k: (-sharing[k], k))
        repeated = sorted(
            (s for s, n in wrong_on_skill[lid].items() if n >= 2), key=lambda s: (-wrong_on_skill[lid][s], s)
        )
        needs.append(LearnerNeeds(lid, (*shared, *(f"skill:{s}" for s in repeated))))
    return needs, _Errors(skill_of_item, codes, answers)


def _teaching(
    session: Session, actor: Actor, skill: str, item_first: int | None, grade: int | None
) -> list[ContentRef]:
    """Content on the skill (one per modality, grade band first, shortest first), then questions on it."""
    rows = session.scalars(
        select(ContentRow)
        .join(ContentSkill, ContentSkill.content_id == ContentRow.id)
        .join(SkillRow, SkillRow.id == ContentSkill.skill_id)
        .where(SkillRow.code == skill, ContentRow.school_id == actor.school_id)
        .order_by(ContentRow.code)
    ).all()
    rows = sorted(
        rows,
        key=lambda r: (
            grade is not None and not r.grade_low <= grade <= r.grade_high,
            r.minutes,
            r.id,
        ),
    )
    out: list[ContentRef] = []
    for r in rows:
        if all(o.modality != r.modality for o in out) and len(out) < MAX_SUGGESTIONS:
            title = r.title_es if actor.locale == "es" and r.title_es else r.title
            out.append(ContentRef(r.kind, r.id, r.code, title, r.minutes, r.modality))
    items = session.execute(
        select(ItemRow.id, ItemRow.code)
        .join(ItemSkill, ItemSkill.item_id == ItemRow.id)
        .join(SkillRow, SkillRow.id == ItemSkill.skill_id)
        .where(SkillRow.code == skill)
        .order_by(ItemRow.difficulty, ItemRow.id)
        .limit(MAX_SUGGESTIONS + 1)
    ).all()
    chosen = [(i, c) for i, c in items if i == item_first] + [(i, c) for i, c in items if i != item_first]
    if item_first is not None and all(i != item_first for i, _ in items):
        code = session.scalar(select(ItemRow.code).where(ItemRow.id == item_first))
        chosen.insert(0, (item_first, code or ""))
    out += [ContentRef("item", i, c, c) for i, c in chosen[:MAX_SUGGESTIONS]]
    return out


def _majority(kinds: Iterable[str]) -> tuple[str, int]:
    """The reason's kind and how many members it speaks for: assigned or failing work names the lesson
    when at least half of those who share the skill have it."""
    counts = Counter(kinds)
    for kind in ("must_do", "reteach"):
        if counts[kind] and counts[kind] * 2 >= counts.total():
            return kind, counts[kind]
    return "next_skill", counts.total()


def _name(base: str, used: Counter[str]) -> str:
    used[base] += 1
    return base if used[base] == 1 else f"{base} ({used[base]})"


def suggest_groups(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    *,
    size: int,
    basis: str = "next_skill",
    learner_ids: list[int] | None = None,
) -> list[SuggestedGroup]:
    """Groups of at most ``size`` learners of the class (or of ``learner_ids``, all in the class) around a
    shared next skill or error pattern, keeping the class's pair rules; not stored (see :func:`save_groups`).

    ValidationError: unknown basis, a size outside 1..200, a learner not in the class, pair rules that
    cannot be kept. NotFoundError: a class the actor may not open.
    """
    if basis not in BASES:
        raise ValidationError(
            f"unknown basis {basis!r}", [FieldError("basis", f"expected one of {', '.join(BASES)}")]
        )
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        learners = _learners(session, class_id, learner_ids)
        apart, together = _rules(session, class_id)
        names = {lid: name for lid, name, _ in learners}
        grades = Counter(u.grade for _, _, u in learners if u.grade is not None)
        grade = grades.most_common(1)[0][0] if grades else None
        skill_names = _skill_names(session, actor.locale)
        kinds: dict[tuple[int, str], str] = {}
        errors = _Errors({}, {}, {})
        if basis == "next_skill":
            needs, kinds = _next_skill_needs(ctx, session, learners)
        else:
            needs, errors = _error_needs(ctx, session, learners)
        plan = form_groups(needs, size, apart=apart, together=together)
        out = []
        used: Counter[str] = Counter()
        for number, g in enumerate(plan.groups):
            reason, skill, item = _reason(g, basis, kinds, errors, skill_names)
            base = skill_names.get(skill, skill) if skill else LETTERS[number % len(LETTERS)]
            members = sorted(
                (Member(i, names[i]) for i in g.learner_ids), key=lambda m: (m.name, m.learner_id)
            )
            out.append(
                SuggestedGroup(
                    _name(base, used)[:MAX_NAME],
                    reason,
                    list(g.learner_ids),
                    skill,
                    _teaching(session, actor, skill, item, grade) if skill else [],
                    members,
                    list(g.matched),
                )
            )
        return out


def _reason(
    g: GroupPlan,
    basis: str,
    kinds: dict[tuple[int, str], str],
    errors: _Errors,
    skill_names: dict[str, str],
) -> tuple[GroupReason, str | None, int | None]:
    """The group's reason, its skill code and the question it is about (error patterns)."""
    count, total = len(g.matched), len(g.learner_ids)
    if g.topic is None:
        kind = "no_history" if basis == "next_skill" else "no_errors"
        return GroupReason(kind if count else "mixed", count, total), None, None
    if basis == "next_skill":
        kind, count = _majority(kinds.get((m, g.topic), "next_skill") for m in g.matched)
        return GroupReason(kind, count, total, skill_names.get(g.topic, g.topic)), g.topic, None
    if g.topic.startswith("answer:"):
        item_id, answer = errors.answers[g.topic]
        skill = errors.skill_of_item[item_id]
        reason = GroupReason(
            "same_answer", count, total, skill_names.get(skill, skill), errors.item_code[item_id], answer
        )
        return reason, skill, item_id
    skill = g.topic.removeprefix("skill:")
    return GroupReason("repeated_errors", count, total, skill_names.get(skill, skill)), skill, None


# -- teams ----------------------------------------------------------------------------------------


def _team_skills(
    mastery: dict[int, dict[str, float]], order: dict[str, int], wanted: int = TEAM_SKILLS
) -> list[str]:
    """Skills with the most to share: many who have mastered them and many still learning them."""
    tried: Counter[str] = Counter()
    mastered: Counter[str] = Counter()
    for per_skill in mastery.values():
        for s, p in per_skill.items():
            tried[s] += 1
            mastered[s] += p >= MASTERED_AT
    scored = [
        (mastered[s] * (tried[s] - mastered[s]), tried[s], s) for s in tried if tried[s] > mastered[s] > 0
    ]
    scored.sort(key=lambda t: (-t[0], -t[1], order.get(t[2], 0)))
    chosen = [s for *_, s in scored[:wanted]]
    if not chosen:  # nobody has mastered anything yet: the skills most of them are learning
        chosen = sorted(tried, key=lambda s: (-tried[s], order.get(s, 0)))[:wanted]
    return sorted(chosen, key=lambda s: order.get(s, 0))


def suggest_teams(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    *,
    size: int,
    skill_codes: Sequence[str] | None = None,
    learner_ids: list[int] | None = None,
    time_limit_s: float = 1.0,
) -> TeamSuggestion:
    """Teams of at most ``size`` with complementary mastery of ``skill_codes`` (default: up to
    :data:`TEAM_SKILLS` skills of the class with the most to share), keeping the pair rules."""
    if not 0.1 <= time_limit_s <= 10:
        raise ValidationError("time limit out of range", [FieldError("time_limit_s", "0.1 to 10 seconds")])
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        return _suggest_teams(session, actor, class_id, size, skill_codes, learner_ids, time_limit_s)


def _suggest_teams(
    session: Session,
    actor: Actor,
    class_id: int,
    size: int,
    skill_codes: Sequence[str] | None,
    learner_ids: list[int] | None,
    time_limit_s: float,
) -> TeamSuggestion:
    learners = _learners(session, class_id, learner_ids)
    apart, together = _rules(session, class_id)
    skills = session.execute(select(SkillRow.id, SkillRow.code, SkillRow.position)).all()
    code_of = {sid: code for sid, code, _ in skills}
    order = {code: pos for _, code, pos in skills}
    ids = [lid for lid, _, _ in learners]
    mastery: dict[int, dict[str, float]] = {lid: {} for lid in ids}
    for lid, sid, p in session.execute(
        select(MasteryRow.learner_id, MasteryRow.skill_id, MasteryRow.p_mastery).where(
            MasteryRow.learner_id.in_(ids), MasteryRow.n_attempts > 0
        )
    ):
        mastery[lid][code_of[sid]] = p
    chosen = skill_codes is None or not list(skill_codes)
    if chosen:
        codes = _team_skills(mastery, order)
        if not codes:
            raise ValidationError(
                "nobody in these learners has answered anything yet: name the skills",
                [FieldError("skills", "no skill practised in this class")],
            )
    else:
        codes = list(dict.fromkeys(c.strip() for c in skill_codes or ()))
        unknown = [c for c in codes if c not in order]
        if unknown:
            raise ValidationError(
                "unknown skills", [FieldError("skills", f"no skill with code {c!r}") for c in unknown]
            )
    names = _skill_names(session, actor.locale)
    who = {lid: name for lid, name, _ in learners}
    started = time.perf_counter()
    plan = form_teams(
        [TeamLearner(lid, mastery[lid]) for lid in ids],
        size,
        codes,
        apart=apart,
        together=together,
        time_limit_s=time_limit_s,
        workers=2,
    )
    seconds = time.perf_counter() - started
    teams = [
        SuggestedTeam(
            LETTERS[n % len(LETTERS)] if n < len(LETTERS) else f"{LETTERS[n % 26]}{n // 26 + 1}",
            list(t.learner_ids),
            sorted(
                (Member(m, who[m], t.role_of(m)) for m in t.learner_ids),
                key=lambda m: (m.name, m.learner_id),
            ),
            list(t.covered),
            list(t.missing),
            [(p.tutor, p.tutee, p.skill) for p in t.pairs],
            t.mean_mastery,
        )
        for n, t in enumerate(plan.teams)
    ]
    return TeamSuggestion(
        teams,
        [(c, names.get(c, c)) for c in codes],
        list(plan.uncoverable),
        plan.status,
        plan.objective,
        plan.bound,
        plan.gap,
        seconds,
        chosen,
    )


def seed_demo_teams(
    session: Session, ctx: ServiceContext, class_id: int, teacher_id: int, ids: dict[str, int]
) -> None:
    """The demo class's pair rules (two kept apart, two kept together) and a saved set of project teams
    of four, formed as :func:`suggest_teams` forms them (the demo school's build, inside its transaction)."""
    now = ctx.clock()
    rules = [("learner3", "learner7", "apart"), ("learner5", "learner12", "together")]
    session.add_all(
        LearnerPairRule(
            class_id=class_id,
            learner_a=min(ids[a], ids[b]),
            learner_b=max(ids[a], ids[b]),
            rule=rule,
            created_at=now,
        )
        for a, b, rule in rules
    )
    session.flush()
    teacher = session.get(User, teacher_id)
    assert teacher is not None
    actor = Actor.of(teacher)
    found = _suggest_teams(session, actor, class_id, 4, None, None, 0.5)
    drafts = [
        GroupDraft(t.name, t.learner_ids, reason="Fraction museum project", details=t.draft().details)
        for t in found.teams
    ]
    codes = [c for c, _ in found.skills]
    described = _describe_teams(session, drafts, codes)
    _store(session, ctx, actor, class_id, described, [d.name for d in described], "team", True)


# -- saving ---------------------------------------------------------------------------------------


def _draft(g: GroupDraft | SuggestedGroup) -> GroupDraft:
    if isinstance(g, SuggestedGroup):
        return GroupDraft(g.name, g.learner_ids, details=g.details())
    return g


def _check_drafts(drafts: Sequence[GroupDraft]) -> list[str]:
    problems: list[FieldError] = []
    if len(drafts) > MAX_GROUPS:
        problems.append(FieldError("groups", f"at most {MAX_GROUPS} groups, got {len(drafts)}"))
    names: dict[str, int] = {}
    placed: dict[int, int] = {}
    clean = []
    for n, d in enumerate(drafts):
        name = d.name.strip()
        clean.append(name)
        if not name or len(name) > MAX_NAME:
            problems.append(FieldError(f"groups[{n}].name", f"1 to {MAX_NAME} characters, got {len(name)}"))
        elif name.casefold() in names:
            problems.append(
                FieldError(f"groups[{n}].name", f"{name!r} is the name of group {names[name.casefold()]}")
            )
        else:
            names[name.casefold()] = n
        if not d.learner_ids:
            problems.append(FieldError(f"groups[{n}].learner_ids", "a group needs at least one learner"))
        for lid in d.learner_ids:
            if lid in placed and placed[lid] != n:
                problems.append(
                    FieldError(f"groups[{n}].learner_ids", f"learner {lid} is also in group {placed[lid]}")
                )
            placed[lid] = n
        bad_roles = [lid for lid in d.roles if lid not in d.learner_ids]
        problems += [
            FieldError(f"groups[{n}].roles", f"learner {lid} is not in the group") for lid in bad_roles
        ]
        problems += [
            FieldError(f"groups[{n}].roles", f"role of learner {lid} is over 30 characters")
            for lid, role in d.roles.items()
            if len(role) > 30
        ]
        if len(d.reason) > 2000:
            problems.append(FieldError(f"groups[{n}].reason", "at most 2,000 characters"))
    if problems:
        raise ValidationError("the groups cannot be saved", problems)
    return clean


def save_groups(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    groups: Sequence[GroupDraft | SuggestedGroup],
    *,
    kind: str = "group",
    replace: bool = True,
) -> list[GroupView]:
    """Store the teacher's groups (or teams) of the class in one transaction and return them.

    A draft with an ``id`` updates that saved group (name, members, roles; its id and so its assignments
    stay); others are new. ``replace=True``: the class's saved groups of this kind not in ``groups`` are
    deleted, so the set saved is the whole set, except groups that have work assigned to them (deleting
    them would delete the work): those stay. ValidationError names every problem (empty or repeated
    names, a learner in two groups or not in the class, an unknown id) and nothing is written.
    """
    if kind not in GROUP_KINDS:
        raise ValidationError(
            f"unknown group kind {kind!r}", [FieldError("kind", f"expected one of {', '.join(GROUP_KINDS)}")]
        )
    drafts = [_draft(g) for g in groups]
    with ctx.unit() as session:
        require_class(session, actor, class_id)  # others' classes are 404 before any input is judged
        names = _check_drafts(drafts)
        return _store(session, ctx, actor, class_id, drafts, names, kind, replace)


def _store(
    session: Session,
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    drafts: Sequence[GroupDraft],
    names: Sequence[str],
    kind: str,
    replace: bool,
) -> list[GroupView]:
    now = ctx.clock()
    for n, d in enumerate(drafts):
        check_members(session, class_id, d.learner_ids, f"groups[{n}].learner_ids")
    existing = {
        g.id: g
        for g in session.scalars(
            select(ClassGroup).where(ClassGroup.class_id == class_id, ClassGroup.kind == kind)
        )
    }
    stray = [(n, d.id) for n, d in enumerate(drafts) if d.id is not None and d.id not in existing]
    if stray:
        raise NotFoundError(f"no {kind} with id {stray[0][1]} in class {class_id}")
    keep = {d.id for d in drafts if d.id is not None}
    if replace:
        gone = [gid for gid in existing if gid not in keep]
        # a group that has work assigned to it stays: deleting it would delete the work (and its results)
        busy = set(session.scalars(select(Assignment.group_id).where(Assignment.group_id.in_(gone))))
        gone = [gid for gid in gone if gid not in busy]
        if gone:
            session.execute(delete(ClassGroupMember).where(ClassGroupMember.group_id.in_(gone)))
            session.execute(delete(ClassGroup).where(ClassGroup.id.in_(gone)))
    rows = []
    for d, name in zip(drafts, names, strict=True):
        if d.id is not None:
            row = existing[d.id]
            row.name, row.updated_at = name, now
            if d.reason:
                row.reason = d.reason
            if d.details:
                row.details = dict(d.details)
            session.execute(delete(ClassGroupMember).where(ClassGroupMember.group_id == row.id))
        else:
            row = ClassGroup(
                class_id=class_id,
                kind=kind,
                name=name,
                reason=d.reason,
                details=dict(d.details),
                created_by=actor.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(row)
        session.flush()
        session.add_all(
            ClassGroupMember(group_id=row.id, learner_id=lid, role=d.roles.get(lid, ""))
            for lid in sorted(set(d.learner_ids))
        )
        rows.append(row)
    session.flush()
    return _views(session, rows)


def _describe_teams(session: Session, drafts: Sequence[GroupDraft], codes: list[str]) -> list[GroupDraft]:
    """The drafts with roles and details worked out from the members' mastery of ``codes``."""
    skills = dict(session.execute(select(SkillRow.code, SkillRow.id).where(SkillRow.code.in_(codes))).all())
    ids = sorted({lid for d in drafts for lid in d.learner_ids})
    code_of = {v: k for k, v in skills.items()}
    mastery: dict[int, dict[str, float]] = {lid: {} for lid in ids}
    for lid, sid, p in session.execute(
        select(MasteryRow.learner_id, MasteryRow.skill_id, MasteryRow.p_mastery).where(
            MasteryRow.learner_id.in_(ids), MasteryRow.skill_id.in_(skills.values())
        )
    ):
        mastery[lid][code_of[sid]] = p
    by_id = {lid: TeamLearner(lid, mastery[lid]) for lid in ids}
    described = []
    for d in drafts:
        team = describe_team(tuple(sorted(set(d.learner_ids))), by_id, codes)
        details = {
            **{
                k: v for k, v in d.details.items() if k not in ("covered", "missing", "pairs", "mean_mastery")
            },
            "skills": codes,
            "covered": list(team.covered),
            "missing": list(team.missing),
            "pairs": [[p.tutor, p.tutee, p.skill] for p in team.pairs],
            "mean_mastery": round(team.mean_mastery, 4),
        }
        roles = {m: team.role_of(m) for m in team.learner_ids if team.role_of(m)}
        described.append(GroupDraft(d.name, d.learner_ids, d.reason, details, roles, d.id))
    return described


def save_teams(
    ctx: ServiceContext,
    actor: Actor,
    class_id: int,
    teams: Sequence[GroupDraft],
    skill_codes: Sequence[str],
    *,
    replace: bool = True,
) -> list[GroupView]:
    """Store teams (as the teacher left them) with roles and coverage worked out again from mastery of
    ``skill_codes``: experts, tutor/tutee pairs, covered and missing skills (one transaction)."""
    codes = list(dict.fromkeys(c.strip() for c in skill_codes if c.strip()))
    drafts = list(teams)
    with ctx.unit() as session:
        require_class(session, actor, class_id)  # others' classes are 404 before any input is judged
        if not 1 <= len(codes) <= MAX_TEAM_SKILLS:
            raise ValidationError(
                "teams need the skills they are for",
                [FieldError("skills", f"1 to {MAX_TEAM_SKILLS} skill codes")],
            )
        names = _check_drafts(drafts)
        skills = dict(
            session.execute(select(SkillRow.code, SkillRow.id).where(SkillRow.code.in_(codes))).all()
        )
        unknown = [c for c in codes if c not in skills]
        if unknown:
            raise ValidationError(
                "unknown skills", [FieldError("skills", f"no skill with code {c!r}") for c in unknown]
            )
        described = _describe_teams(session, drafts, codes)
        return _store(session, ctx, actor, class_id, described, names, "team", replace)


def groups_with_work(ctx: ServiceContext, actor: Actor, class_id: int) -> set[int]:
    """Ids of the class's saved groups that have work assigned to them (a replace keeps those)."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        return set(
            session.scalars(
                select(Assignment.group_id)
                .join(ClassGroup, ClassGroup.id == Assignment.group_id)
                .where(ClassGroup.class_id == class_id)
            )
        )


def pair_rules_of(ctx: ServiceContext, actor: Actor, class_id: int) -> list[PairRule]:
    """The class's pair rules, for a teacher of the class or an admin of its school."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        return pair_rules(session, class_id)


# -- pair rules -----------------------------------------------------------------------------------


def replace_pair_rules(
    ctx: ServiceContext, actor: Actor, class_id: int, rules: Sequence[PairRule]
) -> list[PairRule]:
    """The class's pair rules become exactly ``rules`` (one transaction); ValidationError names every bad
    rule (unknown rule word, same learner twice, a learner not in the class, a pair listed twice, a
    together-chain that also holds an apart pair)."""
    problems = []
    seen: set[tuple[int, int]] = set()
    for n, r in enumerate(rules):
        pair = (min(r.learner_a, r.learner_b), max(r.learner_a, r.learner_b))
        if r.rule not in PAIR_RULES:
            problems.append(FieldError(f"rules[{n}].rule", f"expected one of {', '.join(PAIR_RULES)}"))
        if r.learner_a == r.learner_b:
            problems.append(FieldError(f"rules[{n}].learner_b", "same as learner_a"))
        if pair in seen:
            problems.append(
                FieldError(f"rules[{n}]", f"learners {pair[0]} and {pair[1]} have a rule already")
            )
        seen.add(pair)
    if problems:
        raise ValidationError("the pair rules cannot be saved", problems)
    ids = sorted({i for r in rules for i in (r.learner_a, r.learner_b)})
    pair_blocks(
        ids,
        [(r.learner_a, r.learner_b) for r in rules if r.rule == "apart"],
        [(r.learner_a, r.learner_b) for r in rules if r.rule == "together"],
        max(len(ids), 1),
    )
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        check_members(session, class_id, ids, "rules")
        session.execute(delete(LearnerPairRule).where(LearnerPairRule.class_id == class_id))
        now = ctx.clock()
        session.add_all(
            LearnerPairRule(
                class_id=class_id,
                learner_a=min(r.learner_a, r.learner_b),
                learner_b=max(r.learner_a, r.learner_b),
                rule=r.rule,
                created_at=now,
            )
            for r in rules
        )
        session.flush()
        return pair_rules(session, class_id)


def rule_breaks(ctx: ServiceContext, actor: Actor, class_id: int, kind: str = "group") -> list[RuleBreak]:
    """Where the class's saved groups of ``kind`` break its pair rules: an apart pair in one group, or a
    together pair split between groups (both grouped). The teacher decides; this only tells."""
    with ctx.unit() as session:
        require_class(session, actor, class_id)
        group_of: dict[int, set[int]] = {}
        for gid, lid in session.execute(
            select(ClassGroupMember.group_id, ClassGroupMember.learner_id)
            .join(ClassGroup, ClassGroup.id == ClassGroupMember.group_id)
            .where(ClassGroup.class_id == class_id, ClassGroup.kind == kind)
        ):
            group_of.setdefault(lid, set()).add(gid)
        rules = pair_rules(session, class_id)
        names = dict(
            session.execute(
                select(User.id, User.display_name).where(
                    User.id.in_({i for r in rules for i in (r.learner_a, r.learner_b)})
                )
            ).all()
        )
        out = []
        for r in rules:
            a, b = group_of.get(r.learner_a, set()), group_of.get(r.learner_b, set())
            broken = bool(a & b) if r.rule == "apart" else bool(a and b and not a & b)
            if broken:
                out.append(
                    RuleBreak(r.learner_a, r.learner_b, r.rule, (names[r.learner_a], names[r.learner_b]))
                )
        return out
