"""The teacher's small groups and teams pages: suggestions as cards, moving learners (drag and drop, or a
"Move to group" select for keyboards and screen readers), renaming, saving; and the class's pair rules.

The board works without JavaScript: every learner has a select naming their group, and the form posts the
whole set. ``static/groups.js`` adds drag and drop and keeps the cards in step with the selects.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request, Response
from fastapi.responses import RedirectResponse

from learnpath.errors import FieldError, ValidationError
from learnpath.service import classes, grouping
from learnpath.service.grouping import GroupDraft
from learnpath.service.groups import list_groups, set_pair_rule
from learnpath.web.deps import Ctx, SignedIn, check_csrf
from learnpath.web.group_words import reason_text, role_text, saved_reason_text
from learnpath.web.render import render

router = APIRouter(include_in_schema=False)

MAX_DETAILS = 20_000


@dataclass(frozen=True)
class Card:
    """One group or team on the board."""

    index: int
    id: int | None
    name: str
    reason: str
    details_json: str
    members: list[tuple[int, str, str]]
    """(learner id, name, role in words)."""
    content: list[grouping.ContentRef]
    covered: list[str]
    missing: list[str]


def _skill_names(overview: classes.ClassOverview) -> dict[str, str]:
    return dict(overview.skills)


def _saved_cards(
    ctx: Ctx, user: SignedIn, class_id: int, kind: str, skills: dict[str, str], busy: set[int]
) -> list[Card]:
    """The saved groups that the board edits (not those with work assigned: they stay as they are)."""
    locale = user.actor.locale
    seen: set[int] = set()

    def once(lid: int) -> bool:  # a learner in two saved groups (another tool may do that) shows in the first
        fresh = lid not in seen
        seen.add(lid)
        return fresh

    return [
        Card(
            n,
            g.id,
            g.name,
            saved_reason_text(g.details, g.reason, locale),
            json.dumps(g.details),
            [
                (m.learner_id, m.name, role_text(m.role, skills, locale))
                for m in g.members
                if once(m.learner_id)
            ],
            [
                grouping.ContentRef(
                    str(c.get("kind", "")),
                    int(c.get("id", 0)),
                    str(c.get("code", "")),
                    str(c.get("title", "")),
                )
                for c in g.details.get("content", [])
                if isinstance(c, dict)
            ],
            list(g.details.get("covered", [])),
            list(g.details.get("missing", [])),
        )
        for n, g in enumerate(g for g in list_groups(ctx, user.actor, class_id, kind) if g.id not in busy)
    ]


def _context(
    ctx: Ctx,
    user: SignedIn,
    overview: classes.ClassOverview,
    kind: str,
    cards: list[Card],
    suggested: bool,
) -> dict[str, Any]:
    class_id = overview.summary.id
    placed = {lid for c in cards for lid, _, _ in c.members}
    rules = grouping.pair_rules_of(ctx, user.actor, class_id)
    names = dict(overview.learners)
    busy = grouping.groups_with_work(ctx, user.actor, class_id)
    kept = [g for g in list_groups(ctx, user.actor, class_id, kind) if g.id in busy]
    return {
        "kept": kept,
        "overview": overview,
        "kind": kind,
        "cards": cards,
        "suggested": suggested,
        "unplaced": [(lid, name) for lid, name in overview.learners if lid not in placed],
        "rules": [(r, names.get(r.learner_a, "?"), names.get(r.learner_b, "?")) for r in rules],
        "breaks": grouping.rule_breaks(ctx, user.actor, class_id, kind),
        "spare_name": _spare_name(cards),
    }


def _spare_name(cards: list[Card]) -> str:
    used = {c.name for c in cards}
    spare: str = next(x for x in (*grouping.LETTERS, *map(str, range(1, 100))) if x not in used)
    return spare


@router.get("/classes/{class_id}/groups")
def groups_page(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    size: Annotated[int, Query(ge=1, le=200)] = 4,
    basis: Annotated[str, Query(max_length=20)] = "next_skill",
    suggest: int = 0,
    saved: int = 0,
) -> Response:
    """Saved groups on the board, or suggestions (``suggest=1``) of ``size`` around ``basis``."""
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    skills = _skill_names(overview)
    if suggest:
        found = grouping.suggest_groups(ctx, user.actor, class_id, size=size, basis=basis)
        cards = [
            Card(
                n,
                None,
                g.name,
                reason_text(g.reason, user.actor.locale),
                json.dumps(g.details()),
                [(m.learner_id, m.name, "") for m in g.members],
                g.content,
                [],
                [],
            )
            for n, g in enumerate(found)
        ]
    else:
        cards = _saved_cards(
            ctx, user, class_id, "group", skills, grouping.groups_with_work(ctx, user.actor, class_id)
        )
    context = _context(ctx, user, overview, "group", cards, bool(suggest))
    context.update(size=size, basis=basis, saved=saved > 0)
    return render(request, "groups.html", context, user=user)


@router.get("/classes/{class_id}/teams")
def teams_page(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    size: Annotated[int, Query(ge=2, le=200)] = 4,
    skills: Annotated[str, Query(max_length=500)] = "",
    suggest: int = 0,
    saved: int = 0,
) -> Response:
    """Saved teams on the board, or suggested teams (``suggest=1``) of ``size`` for ``skills``."""
    overview = classes.class_overview(ctx, user.actor, class_id, recent=0)
    names = _skill_names(overview)
    codes = [c.strip() for c in skills.split(",") if c.strip()]
    result = None
    if suggest:
        result = grouping.suggest_teams(ctx, user.actor, class_id, size=size, skill_codes=codes or None)
        codes = [c for c, _ in result.skills]
        cards = [
            Card(
                n,
                None,
                t.name,
                "",
                json.dumps(t.draft().details),
                [(m.learner_id, m.name, role_text(m.role, names, user.actor.locale)) for m in t.members],
                [],
                [names.get(c, c) for c in t.covered],
                [names.get(c, c) for c in t.missing],
            )
            for n, t in enumerate(result.teams)
        ]
    else:
        cards = _saved_cards(
            ctx, user, class_id, "team", names, grouping.groups_with_work(ctx, user.actor, class_id)
        )
        cards = [
            Card(
                c.index,
                c.id,
                c.name,
                "",
                c.details_json,
                c.members,
                [],
                [names.get(s, s) for s in c.covered],
                [names.get(s, s) for s in c.missing],
            )
            for c in cards
        ]
        if not codes:
            codes = sorted(
                {s for c in cards for s in json.loads(c.details_json).get("skills", [])},
                key=lambda s: list(names).index(s) if s in names else 0,
            )
    context = _context(ctx, user, overview, "team", cards, bool(suggest))
    context.update(
        size=size,
        skills=",".join(codes),
        skill_words=[(c, names.get(c, c)) for c in codes],
        result=result,
        gap_pct=round(100 * result.gap, 1) if result else 0.0,
        saved=saved > 0,
    )
    return render(request, "teams.html", context, user=user)


def _drafts(form: Any, what: str) -> list[GroupDraft]:
    """The board's groups from the posted form: names, ids, details and who sits where."""
    indexes = sorted(int(k.split("-", 1)[1]) for k in form if k.startswith("name-") and k[5:].isdigit())
    members: dict[int, list[int]] = {i: [] for i in indexes}
    problems = []
    for key, value in form.multi_items():
        if not key.startswith("learner-") or not isinstance(value, str) or not value.strip():
            continue
        try:
            lid, at = int(key[8:]), int(value)
        except ValueError:
            problems.append(FieldError(key, f"expected a group number, got {value!r}"))
            continue
        if at not in members:
            problems.append(FieldError(key, f"no group {at} on the board"))
            continue
        members[at].append(lid)
    drafts = []
    for i in indexes:
        if not members[i]:
            continue  # an emptied group is dropped
        raw_id = str(form.get(f"id-{i}", "")).strip()
        raw_details = str(form.get(f"details-{i}", "") or "{}")
        try:
            details = json.loads(raw_details) if len(raw_details) <= MAX_DETAILS else None
        except ValueError:
            details = None
        if not isinstance(details, dict):
            problems.append(FieldError(f"details-{i}", "not a JSON object"))
            continue
        drafts.append(
            GroupDraft(
                str(form.get(f"name-{i}", "")),
                members[i],
                details=details,
                id=int(raw_id) if raw_id.isdigit() else None,
            )
        )
    if problems:
        raise ValidationError(f"the {what} cannot be saved", problems)
    return drafts


@router.post("/classes/{class_id}/groups")
async def save_groups(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """Save the board as the class's groups (the whole set: groups left off are deleted)."""
    await check_csrf(request, user)
    form = await request.form()
    grouping.save_groups(ctx, user.actor, class_id, _drafts(form, "groups"), kind="group")
    return RedirectResponse(f"/classes/{class_id}/groups?saved=1", status_code=303)


@router.post("/classes/{class_id}/teams")
async def save_teams(request: Request, ctx: Ctx, user: SignedIn, class_id: int) -> Response:
    """Save the board as the class's teams; roles and coverage are worked out again for the final teams."""
    await check_csrf(request, user)
    form = await request.form()
    skills = [c.strip() for c in str(form.get("skills", "")).split(",") if c.strip()]
    grouping.save_teams(ctx, user.actor, class_id, _drafts(form, "teams"), skills)
    return RedirectResponse(f"/classes/{class_id}/teams?saved=1", status_code=303)


@router.post("/classes/{class_id}/pair-rules")
async def pair_rule(
    request: Request,
    ctx: Ctx,
    user: SignedIn,
    class_id: int,
    learner_a: Annotated[int, Form()] = 0,
    learner_b: Annotated[int, Form()] = 0,
    rule: Annotated[str, Form(max_length=10)] = "",
    back: Annotated[str, Form(max_length=10)] = "groups",
) -> Response:
    """Add, change (``rule`` apart/together) or remove (``rule`` none) the rule of two learners."""
    await check_csrf(request, user)
    grouping.pair_rules_of(ctx, user.actor, class_id)  # the class must be one the actor may open (404/403)
    set_pair_rule(ctx, user.actor, class_id, learner_a, learner_b, None if rule == "none" else rule)
    page = "teams" if back == "teams" else "groups"
    return RedirectResponse(f"/classes/{class_id}/{page}#pair-rules", status_code=303)
