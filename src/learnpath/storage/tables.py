"""ORM tables. Rows only: no business rules here (those live in the core and the service).

Attempts are facts (append-only); ``mastery`` and ``learner_states`` are derived from them and can be
recomputed at any time.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    true,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

__all__ = [
    "ApiSession",
    "Assignment",
    "AttemptRow",
    "Base",
    "CheckinRow",
    "ClassCheckinRhythm",
    "ClassGroup",
    "ClassGroupMember",
    "ClassLearner",
    "ClassRow",
    "ClassTeacher",
    "ContentRow",
    "ContentSkill",
    "FamilyDigest",
    "FamilyLink",
    "Framework",
    "FrameworkAssociation",
    "GoalEvent",
    "GoalPart",
    "GoalRow",
    "GoalSkill",
    "ItemCalibration",
    "ItemMedia",
    "ItemRow",
    "ItemSkill",
    "LearnerCheckinRhythm",
    "LearnerInterest",
    "LearnerPairRule",
    "LearnerPlan",
    "LearnerStateRow",
    "LoginFailure",
    "MasteryHistory",
    "MasteryRow",
    "MediaFile",
    "ModelVersion",
    "NextStepPick",
    "Notification",
    "PlacementRow",
    "PortfolioEvidence",
    "PortfolioFeedback",
    "PortfolioGoal",
    "PortfolioItem",
    "PortfolioSkill",
    "School",
    "SkillEdge",
    "SkillInterest",
    "SkillMemory",
    "SkillRow",
    "TeacherScore",
    "UTCDateTime",
    "User",
]

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in and out, on every backend (SQLite keeps no zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError(f"refusing a naive datetime for storage: {value.isoformat()}")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dict[str, Any]: JSON, datetime: UTCDateTime()}  # noqa: RUF012


class School(Base):
    __tablename__ = "schools"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)


class User(Base):
    """Every account: admin, teacher, learner or family, each in exactly one school."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(200))
    locale: Mapped[str] = mapped_column(String(10), default="en")
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime]
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)
    """Where emails go (the family's weekly digest, issue 6); None: in-app only."""


class ClassRow(Base):
    __tablename__ = "classes"
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ClassTeacher(Base):
    __tablename__ = "class_teachers"
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    teacher_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class ClassLearner(Base):
    __tablename__ = "class_learners"
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class FamilyLink(Base):
    __tablename__ = "family_links"
    family_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class Framework(Base):
    """A standards document or our own skill set; skills belong to one."""

    __tablename__ = "frameworks"
    id: Mapped[int] = mapped_column(primary_key=True)
    identifier: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    # CASE imports (issue 4): the package shape ("draft", "1.0", "1.1"; "" for our own sets), the
    # CFDocument as read, and when it was last imported.
    shape: Mapped[str] = mapped_column(String(10), default="", server_default="")
    document: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    imported_at: Mapped[datetime | None] = mapped_column(nullable=True)


class SkillRow(Base):
    """A skill. Imported CASE items keep their ``identifier`` (unique in the framework), type, depth in
    the hierarchy and the whole CFItem in ``details``; ``position`` is the hierarchy's pre-order."""

    __tablename__ = "skills"
    __table_args__ = (Index("ix_skills_framework_identifier", "framework_id", "identifier", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    name_es: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    grade: Mapped[int | None] = mapped_column(Integer, nullable=True)
    domain: Mapped[str] = mapped_column(String(100), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    identifier: Mapped[str | None] = mapped_column(String(300), nullable=True)
    item_type: Mapped[str] = mapped_column(String(100), default="", server_default="")
    depth: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    details: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class SkillEdge(Base):
    """A prerequisite edge: ``prerequisite_id`` must come before ``skill_id``."""

    __tablename__ = "skill_edges"
    prerequisite_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)


class ItemRow(Base):
    __tablename__ = "items"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    difficulty: Mapped[float] = mapped_column(Float, default=0.0)


class ItemSkill(Base):
    __tablename__ = "item_skills"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class AttemptRow(Base):
    """A graded response. Append-only: never updated, never deleted except with its learner."""

    __tablename__ = "attempts"
    __table_args__ = (Index("ix_attempts_learner_at", "learner_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="RESTRICT"), index=True)
    response: Mapped[str] = mapped_column(Text)
    correct: Mapped[bool] = mapped_column(Boolean)
    score: Mapped[float] = mapped_column(Float)
    duration_ms: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hints_used: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime]


class LearnerStateRow(Base):
    """The learner model's JSON state for one learner (derived from attempts)."""

    __tablename__ = "learner_states"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    model_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("model_versions.id", ondelete="SET NULL"), nullable=True
    )
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime]


class MasteryRow(Base):
    """Per (learner, skill) mastery, derived from the learner state for fast class queries."""

    __tablename__ = "mastery"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    p_mastery: Mapped[float] = mapped_column(Float)
    low: Mapped[float] = mapped_column(Float)
    high: Mapped[float] = mapped_column(Float)
    n_attempts: Mapped[int] = mapped_column(Integer)
    n_correct: Mapped[int] = mapped_column(Integer)
    recent_wrong: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(nullable=True)


class ModelVersion(Base):
    """Fitted learner-model parameters, versioned; exactly one is active."""

    __tablename__ = "model_versions"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    # issue 3 (migration 0005): a refit that did not validate is kept, not activated, with the reason
    accepted: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())
    reason: Mapped[str | None] = mapped_column(Text, nullable=True)


class ApiSession(Base):
    """A login: a web session (cookie) or an API bearer token. Only the token's hash is stored."""

    __tablename__ = "auth_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """One failed login, for rate limiting by username and client address."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime]


# ---------------------------------------------------------------- curriculum (issue 4)


class FrameworkAssociation(Base):
    """A CASE association of an imported framework, kept verbatim: ``origin --type--> destination``.

    Endpoints are identifiers (an item, the document, or an external reference whose URI is in
    ``details``). ``source`` is "" for the framework's own package and ``progression:NAME`` for edges
    attached from a progression file. ``skill_edges`` of a CASE framework are derived from its
    ``precedes`` rows.
    """

    __tablename__ = "framework_associations"
    __table_args__ = (UniqueConstraint("framework_id", "source", "identifier"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    framework_id: Mapped[int] = mapped_column(ForeignKey("frameworks.id", ondelete="CASCADE"), index=True)
    source: Mapped[str] = mapped_column(String(300), default="")
    identifier: Mapped[str] = mapped_column(String(300))
    association_type: Mapped[str] = mapped_column(String(100))
    origin: Mapped[str] = mapped_column(Text)
    destination: Mapped[str] = mapped_column(Text)
    sequence_number: Mapped[int | None] = mapped_column(Integer, nullable=True)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class MediaFile(Base):
    """An image or other media file from an item package, stored once by content hash.

    ``media_type`` is decided from the bytes (magic numbers), never from the file name."""

    __tablename__ = "media_files"
    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    media_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)


class ItemMedia(Base):
    """An item's reference ``path`` (``lp-asset:PATH`` in its body) resolved to a stored file."""

    __tablename__ = "item_media"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    path: Mapped[str] = mapped_column(String(500), primary_key=True)
    media_id: Mapped[int] = mapped_column(ForeignKey("media_files.id", ondelete="RESTRICT"), index=True)


# ---------------------------------------------------------------- content (issue 4)


class ContentRow(Base):
    """A video, reading, activity or project of one school (rules in ``learnpath.core.content``).

    ``grade_low``/``grade_high`` are 0 (K) to 12. ``video_file`` names an uploaded file under the data
    directory (``media/videos``), empty for a link. ``difficulty`` starts at the author's
    ``author_difficulty`` (logits, as items) and is refined from the attempts on its skills' items.
    """

    __tablename__ = "content"
    __table_args__ = (Index("ix_content_school_code", "school_id", "code", unique=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    modality: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(300))
    title_es: Mapped[str] = mapped_column(String(300), default="")
    minutes: Mapped[int] = mapped_column(Integer)
    grade_low: Mapped[int] = mapped_column(Integer)
    grade_high: Mapped[int] = mapped_column(Integer)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(Text, default="")
    summary_es: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    body_es: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    video_file: Mapped[str] = mapped_column(String(200), default="")
    video_media_type: Mapped[str] = mapped_column(String(50), default="")
    video_size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    duration_s: Mapped[int | None] = mapped_column(Integer, nullable=True)
    rubric: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    author_difficulty: Mapped[float] = mapped_column(Float, default=0.0)
    difficulty: Mapped[float] = mapped_column(Float, default=0.0)
    difficulty_n: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ContentSkill(Base):
    """The skills a piece of content teaches."""

    __tablename__ = "content_skills"
    content_id: Mapped[int] = mapped_column(ForeignKey("content.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class ItemCalibration(Base):
    """An item's difficulty as its author gave it, and the attempts behind the refined ``items.difficulty``."""

    __tablename__ = "item_calibrations"
    item_id: Mapped[int] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    author_difficulty: Mapped[float] = mapped_column(Float)
    n_attempts: Mapped[int] = mapped_column(Integer)
    n_correct: Mapped[int] = mapped_column(Integer)
    refined_at: Mapped[datetime]


# --- adaptivity: next steps, spaced review, interests, assignments, placement (issue 5) ----------------------


class SkillMemory(Base):
    """A learner's FSRS memory of one skill (derived from attempts), and the highest mastery reached."""

    __tablename__ = "skill_memory"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    stability: Mapped[float] = mapped_column(Float)
    difficulty: Mapped[float] = mapped_column(Float)
    last_review_at: Mapped[datetime]
    due_at: Mapped[datetime]
    reps: Mapped[int] = mapped_column(Integer, default=1)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    peak_mastery: Mapped[float] = mapped_column(Float, default=0.0)


class LearnerInterest(Base):
    """An interest a learner picked (a tag such as ``space``)."""

    __tablename__ = "learner_interests"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)


class SkillInterest(Base):
    """An interest tag of a skill (its items talk about space, animals, ...)."""

    __tablename__ = "skill_interests"
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    tag: Mapped[str] = mapped_column(String(50), primary_key=True)


class Assignment(Base):
    """Must-do work a teacher gives to one learner or a whole class: a skill (or one item), a due date."""

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_learner_id", "learner_id"),
        Index("ix_assignments_class_id", "class_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("schools.id", ondelete="CASCADE"), index=True)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    learner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), nullable=True)
    class_id: Mapped[int | None] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), nullable=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="CASCADE"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20), default="must_do")
    due_at: Mapped[datetime | None] = mapped_column(nullable=True)
    created_at: Mapped[datetime]
    # issue 7 (flipped lessons, migration 0013): a group as target; the work itself
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("class_groups.id", ondelete="CASCADE"), nullable=True, index=True
    )
    """A small group of a class as the target (then ``class_id`` and ``learner_id`` are empty)."""
    work: Mapped[str] = mapped_column(String(20), default="practice", server_default="practice")
    """'practice' (the skill), 'flipped' (a video or reading before class, with a short check), 'project'."""
    content_id: Mapped[int | None] = mapped_column(
        ForeignKey("content.id", ondelete="CASCADE"), nullable=True, index=True
    )
    check_items: Mapped[list[int] | None] = mapped_column(JSON, nullable=True)
    """Flipped work: the ids of the check's items (fixed when assigned)."""


class NextStepPick(Base):
    """Which of the offered next steps a learner picked (and what was offered), for later study."""

    __tablename__ = "next_step_picks"
    __table_args__ = (Index("ix_next_step_picks_learner_at", "learner_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int | None] = mapped_column(Integer, nullable=True)
    offered: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class PlacementRow(Base):
    """One placement test of a learner: the test's JSON state while it runs, its result when done."""

    __tablename__ = "placements"
    __table_args__ = (Index("ix_placements_learner_started", "learner_id", "started_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(20))
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    n_questions: Mapped[int] = mapped_column(Integer, default=0)
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(nullable=True)


# ---------------------------------------------------------------- goals (issue 4; extended by plans, issue 6)


class GoalRow(Base):
    """What a learner aims for: a skill goal (skills in ``goal_skills``, a target mastery and date) or an
    interest/project goal (``kind='interest'``, free text in ``details``).

    ``state`` is one of draft, proposed, agreed, met, dropped; a goal a teacher picks starts ``proposed``.
    Plans (issue 6) add approvals, comments, milestones and history in their own tables keyed by goal id."""

    __tablename__ = "goals"
    __table_args__ = (Index("ix_goals_learner_state", "learner_id", "state"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="skill")
    title: Mapped[str] = mapped_column(String(300))
    details: Mapped[str] = mapped_column(Text, default="")
    target_mastery: Mapped[float | None] = mapped_column(Float, nullable=True)
    target_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    state: Mapped[str] = mapped_column(String(20), default="draft")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class GoalSkill(Base):
    """A skill of a skill goal."""

    __tablename__ = "goal_skills"
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)


# A learner's classes are looked up on every next-steps request (class-wide must-do work); the primary key
# (class_id, learner_id) cannot serve that lookup.
Index("ix_class_learners_learner_id", ClassLearner.learner_id)


# ---------------------------------------------------------------- teacher scoring of QTI extended text (issue 4)


class TeacherScore(Base):
    """A teacher's score of an answer that only a teacher can score (QTI extended text).

    An attempt on a teacher-scored item waits for a teacher while it has no row here; once scored its
    ``score`` and ``correct`` are set from these points and it counts as evidence at ``scored_at``."""

    __tablename__ = "teacher_scores"
    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    points: Mapped[float] = mapped_column(Float)
    max_points: Mapped[float] = mapped_column(Float)
    comment: Mapped[str] = mapped_column(Text, default="")
    scored_at: Mapped[datetime]


# ---------------------------------------------------------------- groups, pair rules, notifications (issues 6, 7)


class ClassGroup(Base):
    """A named set of learners of one class: a small group for a mini-lesson (``kind='group'``) or a
    collaborative team (``kind='team'``). ``reason`` says why it was suggested (empty when hand-made);
    ``details`` holds what the suggestion carried (shared next skill, error pattern, suggested content)."""

    __tablename__ = "class_groups"
    __table_args__ = (Index("ix_class_groups_class_kind", "class_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="group")
    name: Mapped[str] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class ClassGroupMember(Base):
    """A learner in a class group or team (a learner may be in several groups, of different kinds)."""

    __tablename__ = "class_group_members"
    group_id: Mapped[int] = mapped_column(ForeignKey("class_groups.id", ondelete="CASCADE"), primary_key=True)
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(String(30), default="")
    """Free role in the group: '' or e.g. 'tutor' / 'tutee' in a peer-tutor pair, 'expert:CODE' in a jigsaw."""


class LearnerPairRule(Base):
    """Two learners of a class the teacher wants kept apart (``rule='apart'``) or together (``'together'``)
    when learnpath forms groups, teams or station rotations. Stored with ``learner_a < learner_b``."""

    __tablename__ = "learner_pair_rules"
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    learner_a: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    learner_b: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    rule: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime]


class Notification(Base):
    """An in-app notice to one user (a comment on a goal, an approval asked for, a weekly digest...).

    ``kind`` names what happened; ``params`` holds what the page needs to word it in the reader's language
    (no pre-rendered text: the reader's locale decides); ``link`` is the app path it points to."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    params: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    link: Mapped[str] = mapped_column(String(300), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]
    read_at: Mapped[datetime | None] = mapped_column(nullable=True)


# -- flipped lessons and assignments (issue 7, migration 0013) -----------------------------------------


class ContentProgress(Base):
    """How far a learner got with one piece of content: opened (the page was viewed), the seconds of a local
    video the player reported as played, and when it counted as done (watched, read, or a project finished).
    One row per learner and content, updated in place (the player reports every few seconds)."""

    __tablename__ = "content_progress"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    content_id: Mapped[int] = mapped_column(
        ForeignKey("content.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    opens: Mapped[int] = mapped_column(Integer, default=0)
    seconds: Mapped[int] = mapped_column(Integer, default=0)
    opened_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    completed_at: Mapped[datetime | None] = mapped_column(nullable=True)


# ---------------------------------------------------------------- station rotations (issue 7)


class RotationStation(Base):
    """A station a class uses in its rotations (kept per class and reused): name, modality, seats, minutes.

    ``modality`` is one of teacher, practice, video, hands_on, collaborative, enrichment; a ``required``
    station is visited by every learner."""

    __tablename__ = "rotation_stations"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    modality: Mapped[str] = mapped_column(String(20))
    capacity: Mapped[int] = mapped_column(Integer)
    minutes: Mapped[int] = mapped_column(Integer)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str] = mapped_column(Text, default="")


class RotationPlanRow(Base):
    """A planned rotation of a class: the stations as they were (JSON snapshot), the period cut into slots,
    and how the solver did (``status`` optimal / feasible / adjusted, objective, bound, solve time)."""

    __tablename__ = "rotation_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    period_minutes: Mapped[int] = mapped_column(Integer)
    slot_minutes: Mapped[int] = mapped_column(Integer)
    stations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    skill_codes: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(20))
    objective: Mapped[int] = mapped_column(Integer)
    bound: Mapped[float] = mapped_column(Float)
    solve_ms: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class RotationPlanLearner(Base):
    """One learner's row of a rotation plan: their need (and why), their station index in each slot, and
    the slots the teacher set by hand (kept when the rest is re-planned)."""

    __tablename__ = "rotation_plan_learners"
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("rotation_plans.id", ondelete="CASCADE"), primary_key=True
    )
    learner_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    need: Mapped[str] = mapped_column(String(20))
    reason: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stations: Mapped[list[int]] = mapped_column(JSON)
    fixed_slots: Mapped[list[int]] = mapped_column(JSON, default=list)


# ---------------------------------------------------------------- check-ins and the family's weekly digest (issue 6)


class ClassCheckinRhythm(Base):
    """How often the teacher meets each learner of a class for a check-in (every ``every_days`` days)."""

    __tablename__ = "class_checkin_rhythms"
    class_id: Mapped[int] = mapped_column(ForeignKey("classes.id", ondelete="CASCADE"), primary_key=True)
    every_days: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    set_at: Mapped[datetime]


class LearnerCheckinRhythm(Base):
    """One learner's own check-in rhythm, overriding their classes' rhythms."""

    __tablename__ = "learner_checkin_rhythms"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    every_days: Mapped[int] = mapped_column(Integer)
    set_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    set_at: Mapped[datetime]


class CheckinRow(Base):
    """A check-in a teacher held with a learner: the prepared summary as it was shown (``summary``), the plan
    at that moment (``plan``, compared at the next check-in for the forecast change), notes for the learner
    and family (``notes``), notes only staff see (``private_notes``), the decisions taken and the next date."""

    __tablename__ = "checkins"
    __table_args__ = (Index("ix_checkins_learner_held", "learner_id", "held_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    teacher_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    held_at: Mapped[datetime]
    since: Mapped[datetime]
    summary: Mapped[dict[str, Any]] = mapped_column(JSON)
    plan: Mapped[dict[str, Any]] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    private_notes: Mapped[str] = mapped_column(Text, default="")
    decisions: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    next_due_on: Mapped[date | None] = mapped_column(Date, nullable=True)


class FamilyDigest(Base):
    """The weekly digest of one family member for the week starting ``week_start`` (a Monday): made once
    (in-app notice), emailed at most once (``emailed_at``)."""

    __tablename__ = "family_digests"
    __table_args__ = (UniqueConstraint("family_id", "week_start"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    family_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    week_start: Mapped[date] = mapped_column(Date)
    content: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]
    email_to: Mapped[str | None] = mapped_column(String(254), nullable=True)
    emailed_at: Mapped[datetime | None] = mapped_column(nullable=True)


# ---------------------------------------------------------------- portfolio of work (issue 6, migration 0010)


class PortfolioItem(Base):
    """A piece of a learner's work: a file (``kind='file'``, bytes in the file store under ``storage_key``,
    type read from the bytes), a link (``url``) or a text (``body``), each with the learner's reflection."""

    __tablename__ = "portfolio_items"
    __table_args__ = (Index("ix_portfolio_items_learner_created", "learner_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(10))
    title: Mapped[str] = mapped_column(String(200))
    reflection: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    url: Mapped[str] = mapped_column(String(2000), default="")
    storage_key: Mapped[str] = mapped_column(String(200), default="")
    media_type: Mapped[str] = mapped_column(String(100), default="")
    size: Mapped[int | None] = mapped_column(Integer, nullable=True)
    file_name: Mapped[str] = mapped_column(String(200), default="")
    created_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    created_at: Mapped[datetime]


class PortfolioGoal(Base):
    """A goal of the learner's plan that a piece of work shows progress toward."""

    __tablename__ = "portfolio_goals"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("portfolio_items.id", ondelete="CASCADE"), primary_key=True
    )
    goal_id: Mapped[int] = mapped_column(
        ForeignKey("goals.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PortfolioSkill(Base):
    """A skill a piece of work shows."""

    __tablename__ = "portfolio_skills"
    item_id: Mapped[int] = mapped_column(
        ForeignKey("portfolio_items.id", ondelete="CASCADE"), primary_key=True
    )
    skill_id: Mapped[int] = mapped_column(
        ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PortfolioFeedback(Base):
    """A teacher's feedback on a piece of work: a comment, and at most once per piece a score: points per
    criterion of a goal's rubric (``rubric``: [{"id", "points", "max_points"}], with ``goal_id``) or a
    judgement per linked skill (``judgements``: {skill code: "shows" | "not_yet"})."""

    __tablename__ = "portfolio_feedback"
    __table_args__ = (Index("ix_portfolio_feedback_item", "item_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("portfolio_items.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    goal_id: Mapped[int | None] = mapped_column(ForeignKey("goals.id", ondelete="SET NULL"), nullable=True)
    rubric: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, nullable=True)
    judgements: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    created_at: Mapped[datetime]


class PortfolioEvidence(Base):
    """One fact for the learner model from a scored piece of work: the skill and whether the work showed it
    (``correct``, from ``score`` in 0..1), at the moment it was scored. Kept when the work is removed
    (facts are append-only); replayed with the attempts (service/extra_evidence.py)."""

    __tablename__ = "portfolio_evidence"
    __table_args__ = (Index("ix_portfolio_evidence_learner_at", "learner_id", "at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"))
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("portfolio_items.id", ondelete="SET NULL"), nullable=True
    )
    feedback_id: Mapped[int | None] = mapped_column(
        ForeignKey("portfolio_feedback.id", ondelete="SET NULL"), nullable=True
    )
    score: Mapped[float] = mapped_column(Float)
    correct: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime]


# ---------------------------------------------------------------- personal learning plans (issue 6, migration 0008)


class LearnerPlan(Base):
    """Per-learner plan settings: whether the teacher drafts the goals (``teacher_drafts``; None: decided by
    grade, young learners' goals are drafted by their teacher)."""

    __tablename__ = "learner_plans"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    teacher_drafts: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    updated_at: Mapped[datetime]


class GoalEvent(Base):
    """One entry of a goal's history: who did what and when (drafted, proposed, approved, asked for a
    change, commented, adjusted, agreed, met, dropped), the state before and after, and the comment.

    ``role`` is the actor's role at the time (kept when the account is gone); ``details`` holds what changed
    (e.g. ``{"target_date": [old, new]}``)."""

    __tablename__ = "goal_events"
    __table_args__ = (Index("ix_goal_events_goal_at", "goal_id", "created_at"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True
    )
    role: Mapped[str] = mapped_column(String(20))
    action: Mapped[str] = mapped_column(String(20))
    from_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    to_state: Mapped[str | None] = mapped_column(String(20), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime]


class GoalPart(Base):
    """A part of an interest/project goal: a milestone (``kind='milestone'``, done when ``done_at`` is set),
    a rubric criterion (``'criterion'``, scored up to ``max_points``) or a checklist entry (``'check'``,
    one point)."""

    __tablename__ = "goal_parts"
    __table_args__ = (Index("ix_goal_parts_goal_kind", "goal_id", "kind"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    goal_id: Mapped[int] = mapped_column(ForeignKey("goals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(String(300))
    max_points: Mapped[int] = mapped_column(Integer, default=1)
    done_at: Mapped[datetime | None] = mapped_column(nullable=True)


# ---------------------------------------------------------------- class dashboard (issue 7)


class MasteryHistory(Base):
    """A learner's P(mastery) of a skill at the end of a day (UTC) on which evidence on it came in: derived,
    like ``mastery``, and rewritten when a refit replays the attempts. The dashboard's progress-over-time
    chart and its falling-mastery alerts read it (one indexed query per class)."""

    __tablename__ = "mastery_history"
    learner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    skill_id: Mapped[int] = mapped_column(ForeignKey("skills.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    p_mastery: Mapped[float] = mapped_column(Float)
    n_attempts: Mapped[int] = mapped_column(Integer)
