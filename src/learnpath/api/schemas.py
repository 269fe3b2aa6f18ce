"""Request and response shapes of the JSON API (XCreate / XPublic / XList)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from learnpath.core.items import Item


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class LoginCreate(Strict):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


class ActorPublic(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    school_id: int
    locale: str


class TokenPublic(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_at: datetime
    user: ActorPublic


class LearnerPublic(BaseModel):
    id: int
    username: str
    display_name: str
    grade: int | None


class LearnerList(BaseModel):
    data: list[LearnerPublic]


class SkillMasteryPublic(BaseModel):
    code: str
    name: str
    grade: int | None
    p_mastery: float
    low: float
    high: float
    n_attempts: int
    n_correct: int
    level: str
    last_attempt_at: datetime | None


class ProgressPublic(BaseModel):
    learner_id: int
    display_name: str
    grade: int | None
    n_attempts: int
    n_correct: int
    skills: list[SkillMasteryPublic]
    recent: list[dict[str, Any]]


class ChoicePublic(BaseModel):
    key: str
    text: str


class ItemPublic(BaseModel):
    """An item as a learner sees it: no answer, no explanation."""

    id: int
    code: str
    kind: str
    prompt: str
    choices: list[ChoicePublic]
    hints: list[str]
    skills: list[str]
    difficulty: float
    answer: str | None = None
    accepted: list[str] | None = None
    tolerance: float | None = None
    explanation: str | None = None

    @classmethod
    def of(cls, item_id: int, item: Item, with_answer: bool) -> ItemPublic:
        return cls(
            id=item_id,
            code=item.code,
            kind=item.kind,
            prompt=item.prompt,
            choices=[ChoicePublic(key=c.key, text=c.text) for c in item.choices],
            hints=list(item.hints),
            skills=list(item.skills),
            difficulty=item.difficulty,
            answer=item.answer if with_answer else None,
            accepted=list(item.accepted) if with_answer else None,
            tolerance=item.tolerance if with_answer else None,
            explanation=item.explanation if with_answer else None,
        )


class NextItemPublic(BaseModel):
    item: ItemPublic | None
    skill_code: str | None
    skill_name: str | None
    reason: str | None
    p_correct: float | None


class AttemptCreate(Strict):
    item_id: int
    response: str = Field(max_length=2000)
    duration_ms: int | None = Field(default=None, ge=0)
    hints_used: int = Field(default=0, ge=0, le=100)


class SkillChangePublic(BaseModel):
    skill: SkillMasteryPublic
    p_mastery_before: float | None


class AttemptResultPublic(BaseModel):
    attempt_id: int
    correct: bool
    score: float
    correct_answer: str
    explanation: str
    skills: list[SkillChangePublic]


class ClassPublic(BaseModel):
    id: int
    name: str
    grade: int | None
    n_learners: int
    teachers: list[str]


class ClassList(BaseModel):
    data: list[ClassPublic]


class HeatCellPublic(BaseModel):
    learner_id: int
    skill_code: str
    p_mastery: float | None
    n_attempts: int
    level: str


class StrugglePublic(BaseModel):
    learner_id: int
    learner_name: str
    skill_code: str
    skill_name: str
    p_mastery: float
    wrong_in_a_row: int
    since: datetime | None


class ClassMasteryPublic(BaseModel):
    class_: ClassPublic = Field(alias="class")
    learners: list[LearnerPublic]
    skills: list[dict[str, str]]
    cells: list[HeatCellPublic]
    struggling: list[StrugglePublic]

    model_config = ConfigDict(populate_by_name=True)


class SkillPublic(BaseModel):
    id: int
    code: str
    name: str
    grade: int | None
    domain: str
    prerequisites: list[str]
    n_items: int


class SkillList(BaseModel):
    data: list[SkillPublic]


class SchoolPublic(BaseModel):
    id: int
    name: str
    is_demo: bool
    counts: dict[str, int]
    n_classes: int
    n_attempts: int


# --- next steps with choice (issue 5) ------------------------------------------------------------------------


class NextStepPublic(BaseModel):
    """One next step: the skill, its kind and the reason in the caller's language."""

    position: int
    skill_code: str
    skill_name: str
    grade: int | None
    kind: str
    reason: str
    days_since: int | None
    interest: str | None
    due_at: datetime | None
    assignment_id: int | None
    content_id: int | None = None
    """must-do work on content (a video or reading before class, a project): open it rather than practise."""
    content_title: str | None = None
    repeated_answer: str | None = None
    """reteach: the wrong answer the learner gave more than once on this skill."""


class SkillRefPublic(BaseModel):
    code: str
    name: str


class NextStepsPublic(BaseModel):
    learner_id: int
    choices: list[NextStepPublic]
    notice: str | None
    notice_text: str
    blocked_by: list[SkillRefPublic]
    placement_offered: bool


class PickCreate(Strict):
    skill_code: str = Field(min_length=1, max_length=100)


class InterestOptionPublic(BaseModel):
    tag: str
    label: str
    """The tag's name in the caller's language."""


class InterestsPublic(BaseModel):
    """A learner's interests (tags), and every tag they may pick with its name."""

    learner_id: int
    interests: list[str]
    options: list[InterestOptionPublic]


class InterestsUpdate(Strict):
    interests: list[str] = Field(max_length=20)
