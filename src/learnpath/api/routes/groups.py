"""Small groups, collaborative teams and pair rules of a class (issue 7): saved sets, suggestions, saving."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from learnpath.api.deps import ApiActor, Ctx
from learnpath.api.schemas import Strict
from learnpath.service import grouping
from learnpath.service.grouping import GroupDraft
from learnpath.service.groups import GroupView, PairRule, list_groups
from learnpath.web.group_words import reason_text, role_text, saved_reason_text

router = APIRouter(tags=["groups"])


class MemberPublic(BaseModel):
    learner_id: int
    name: str
    role: str = ""
    role_text: str = ""


class GroupPublic(BaseModel):
    id: int
    class_id: int
    kind: str
    name: str
    reason: str
    """The teacher's note, or the suggestion's reason in the caller's language."""
    details: dict[str, Any]
    members: list[MemberPublic]


class GroupList(BaseModel):
    data: list[GroupPublic]


class ContentRefPublic(BaseModel):
    kind: str
    id: int
    code: str
    title: str
    minutes: int | None
    modality: str


class SuggestedGroupPublic(BaseModel):
    name: str
    reason: str
    reason_kind: str
    skill_code: str | None
    learner_ids: list[int]
    matched: list[int]
    members: list[MemberPublic]
    content: list[ContentRefPublic]
    details: dict[str, Any]


class GroupSuggestionList(BaseModel):
    data: list[SuggestedGroupPublic]


class GroupSuggestCreate(Strict):
    size: int = Field(ge=1, le=200)
    basis: Literal["next_skill", "error_pattern"] = "next_skill"
    learner_ids: list[int] | None = Field(default=None, max_length=200)


class GroupDraftCreate(Strict):
    id: int | None = None
    name: str = Field(max_length=200)
    learner_ids: list[int] = Field(max_length=200)
    reason: str = Field(default="", max_length=2000)
    details: dict[str, Any] = Field(default_factory=dict)
    roles: dict[int, str] = Field(default_factory=dict)


class GroupsUpdate(Strict):
    kind: Literal["group", "team"] = "group"
    groups: list[GroupDraftCreate] = Field(max_length=60)
    skills: list[str] | None = Field(default=None, max_length=12)
    """Teams only: work roles and coverage out again from mastery of these skills."""
    replace: bool = True


class TeamSuggestCreate(Strict):
    size: int = Field(ge=2, le=200)
    skills: list[str] | None = Field(default=None, max_length=12)
    learner_ids: list[int] | None = Field(default=None, max_length=200)
    time_limit_s: float = Field(default=1.0, ge=0.1, le=10)


class SuggestedTeamPublic(BaseModel):
    name: str
    learner_ids: list[int]
    members: list[MemberPublic]
    covered: list[str]
    missing: list[str]
    pairs: list[dict[str, Any]]
    mean_mastery: float


class TeamSuggestionPublic(BaseModel):
    teams: list[SuggestedTeamPublic]
    skills: list[dict[str, str]]
    skills_chosen: bool
    uncoverable: list[str]
    status: str
    objective: int
    bound: int
    gap: float
    seconds: float


class PairRulePublic(BaseModel):
    learner_a: int
    learner_b: int
    rule: Literal["apart", "together"]


class PairRuleList(BaseModel):
    data: list[PairRulePublic]


class PairRulesUpdate(Strict):
    rules: list[PairRulePublic] = Field(max_length=500)


def _group(g: GroupView, locale: str) -> GroupPublic:
    return GroupPublic(
        id=g.id,
        class_id=g.class_id,
        kind=g.kind,
        name=g.name,
        reason=saved_reason_text(g.details, g.reason, locale),
        details=g.details,
        members=[
            MemberPublic(
                learner_id=m.learner_id, name=m.name, role=m.role, role_text=role_text(m.role, {}, locale)
            )
            for m in g.members
        ],
    )


@router.get("/classes/{class_id}/groups", response_model=GroupList)
def get_groups(
    class_id: int,
    ctx: Ctx,
    actor: ApiActor,
    kind: Annotated[Literal["group", "team"] | None, Query()] = None,
) -> GroupList:
    """The class's saved groups and teams (``?kind=group|team``), by name."""
    return GroupList(data=[_group(g, actor.locale) for g in list_groups(ctx, actor, class_id, kind)])


@router.post("/classes/{class_id}/groups/suggest", response_model=GroupSuggestionList)
def suggest_groups(class_id: int, body: GroupSuggestCreate, ctx: Ctx, actor: ApiActor) -> GroupSuggestionList:
    """Suggested groups around a shared next skill or error pattern; nothing is stored."""
    found = grouping.suggest_groups(
        ctx, actor, class_id, size=body.size, basis=body.basis, learner_ids=body.learner_ids
    )
    return GroupSuggestionList(
        data=[
            SuggestedGroupPublic(
                name=g.name,
                reason=reason_text(g.reason, actor.locale),
                reason_kind=g.reason.kind,
                skill_code=g.skill_code,
                learner_ids=g.learner_ids,
                matched=g.matched,
                members=[MemberPublic(learner_id=m.learner_id, name=m.name) for m in g.members],
                content=[ContentRefPublic(**c.__dict__) for c in g.content],
                details=g.details(),
            )
            for g in found
        ]
    )


@router.put("/classes/{class_id}/groups", response_model=GroupList)
def put_groups(class_id: int, body: GroupsUpdate, ctx: Ctx, actor: ApiActor) -> GroupList:
    """Save groups or teams; with ``replace`` (default) they become the class's whole set of that kind."""
    drafts = [GroupDraft(d.name, d.learner_ids, d.reason, d.details, d.roles, d.id) for d in body.groups]
    if body.kind == "team" and body.skills:
        saved = grouping.save_teams(ctx, actor, class_id, drafts, body.skills, replace=body.replace)
    else:
        saved = grouping.save_groups(ctx, actor, class_id, drafts, kind=body.kind, replace=body.replace)
    return GroupList(data=[_group(g, actor.locale) for g in saved])


@router.post("/classes/{class_id}/teams/suggest", response_model=TeamSuggestionPublic)
def suggest_teams(class_id: int, body: TeamSuggestCreate, ctx: Ctx, actor: ApiActor) -> TeamSuggestionPublic:
    """Teams with complementary mastery, peer tutors, pair rules and balance (CP-SAT); nothing is stored."""
    r = grouping.suggest_teams(
        ctx,
        actor,
        class_id,
        size=body.size,
        skill_codes=body.skills,
        learner_ids=body.learner_ids,
        time_limit_s=body.time_limit_s,
    )
    names = dict(r.skills)
    return TeamSuggestionPublic(
        teams=[
            SuggestedTeamPublic(
                name=t.name,
                learner_ids=t.learner_ids,
                members=[
                    MemberPublic(
                        learner_id=m.learner_id,
                        name=m.name,
                        role=m.role,
                        role_text=role_text(m.role, names, actor.locale),
                    )
                    for m in t.members
                ],
                covered=t.covered,
                missing=t.missing,
                pairs=[{"tutor": a, "tutee": b, "skill": s} for a, b, s in t.pairs],
                mean_mastery=round(t.mean_mastery, 4),
            )
            for t in r.teams
        ],
        skills=[{"code": c, "name": n} for c, n in r.skills],
        skills_chosen=r.skills_chosen,
        uncoverable=r.uncoverable,
        status=r.status,
        objective=r.objective,
        bound=r.bound,
        gap=round(r.gap, 4),
        seconds=round(r.seconds, 3),
    )


@router.get("/classes/{class_id}/pair-rules", response_model=PairRuleList)
def get_pair_rules(class_id: int, ctx: Ctx, actor: ApiActor) -> PairRuleList:
    """Who the teacher keeps apart or together (each pair once, ``learner_a < learner_b``)."""
    rules = grouping.pair_rules_of(ctx, actor, class_id)
    return PairRuleList(data=[PairRulePublic(**r.__dict__) for r in rules])


@router.put("/classes/{class_id}/pair-rules", response_model=PairRuleList)
def put_pair_rules(class_id: int, body: PairRulesUpdate, ctx: Ctx, actor: ApiActor) -> PairRuleList:
    """Replace the class's pair rules with ``rules`` (an empty list removes them all)."""
    rules = grouping.replace_pair_rules(
        ctx, actor, class_id, [PairRule(r.learner_a, r.learner_b, r.rule) for r in body.rules]
    )
    return PairRuleList(data=[PairRulePublic(**r.__dict__) for r in rules])
