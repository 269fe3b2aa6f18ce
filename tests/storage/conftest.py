"""Storage fixtures: a session factory over the migrated test database, and one row for every table."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from learnpath.storage import make_sessionmaker
from learnpath.storage.tables import (
    ApiSession,
    Assignment,
    AttemptRow,
    Base,
    CheckinRow,
    ClassCheckinRhythm,
    ClassGroup,
    ClassGroupMember,
    ClassLearner,
    ClassRow,
    ClassTeacher,
    ContentProgress,
    ContentRow,
    ContentSkill,
    FamilyDigest,
    FamilyLink,
    Framework,
    FrameworkAssociation,
    GoalEvent,
    GoalPart,
    GoalRow,
    GoalSkill,
    ItemCalibration,
    ItemMedia,
    ItemRow,
    ItemSkill,
    LearnerCheckinRhythm,
    LearnerInterest,
    LearnerPairRule,
    LearnerPlan,
    LearnerStateRow,
    LoginFailure,
    MasteryHistory,
    MasteryRow,
    MediaFile,
    ModelVersion,
    NextStepPick,
    Notification,
    PlacementRow,
    PortfolioEvidence,
    PortfolioFeedback,
    PortfolioGoal,
    PortfolioItem,
    PortfolioSkill,
    RotationPlanLearner,
    RotationPlanRow,
    RotationStation,
    School,
    SkillEdge,
    SkillInterest,
    SkillMemory,
    SkillRow,
    TeacherScore,
    User,
)

# Deliberately not UTC: what comes back must be the same instant, expressed in UTC.
T0 = datetime(2026, 9, 1, 8, 30, 15, 123456, tzinfo=timezone(timedelta(hours=-5)))
BODY: dict[str, Any] = {
    "prompt": "¿Cuánto es 7 × 8? 🍎",
    "choices": [{"key": "a", "text": "56"}, {"key": "b", "text": "54"}],
    "answer": "a",
    "tolerance": 0.001,
    "tags": [],
    "nested": {"flag": True, "none": None, "big": 2**53, "neg": -1.5e-7},
}


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def every_row() -> list[Base]:
    """One row per table, parents first. Ids are given so children can point at them before a flush."""
    return [
        School(id=1, name="Escuela Ñandú", is_demo=True),
        User(id=10, school_id=1, username="teacher1", display_name="Ms. O'Brien", role="teacher",
             password_hash="$argon2id$v=19$x", locale="es", grade=None, created_at=T0),
        User(id=11, school_id=1, username="learner1", display_name="Zoë", role="learner",
             password_hash="h", locale="en", grade=3, created_at=T0 + timedelta(days=1)),
        User(id=12, school_id=1, username="family1", display_name="Parent", role="family",
             password_hash="h", locale="en", grade=None, created_at=T0, email="padre.ñandú@example.org"),
        ClassRow(id=20, school_id=1, name="3B", grade=3),
        ClassTeacher(class_id=20, teacher_id=10),
        ClassLearner(class_id=20, learner_id=11),
        FamilyLink(family_id=12, learner_id=11),
        Framework(id=30, identifier="urn:learnpath:demo", title="Demo math"),
        SkillRow(id=40, framework_id=30, code="ADD", name="Adding", name_es="Sumar",
                 description="Add two numbers.", grade=3, domain="NBT", position=1, identifier="s-40",
                 item_type="Standard", depth=1, details={"identifier": "s-40", "education_levels": ["03"]}),
        SkillRow(id=41, framework_id=30, code="MUL", name="Multiplying", name_es="Multiplicar",
                 description="", grade=4, domain="OA", position=2),
        SkillEdge(prerequisite_id=40, skill_id=41),
        ItemRow(id=50, code="MUL-1", kind="choice", body=BODY, difficulty=-0.25),
        ItemSkill(item_id=50, skill_id=41),
        # curriculum (issue 4): a CASE association kept verbatim, an item's image stored by content
        FrameworkAssociation(id=31, framework_id=30, source="", identifier="a-1", association_type="precedes",
                             origin="s-40", destination="s-41", sequence_number=2,
                             details={"identifier": "a-1", "destination_uri": "https://example.org/x"}),
        MediaFile(id=32, sha256="a" * 64, media_type="image/png", size=12, content=b"\x89PNG\r\n\x1a\n\x00\xff\x00\x01"),
        ItemMedia(item_id=50, path="images/sign.png", media_id=32),
        # content (issue 4): a project with a rubric and tags, what it teaches, an item's calibration
        ContentRow(id=33, school_id=1, code="P-Ñ", kind="project", modality="do", title="Plant a garden",
                   title_es="Planta un huerto", minutes=90, grade_low=0, grade_high=12, tags=["jardín", "nature"],
                   summary="", summary_es="", body="Plan it.", body_es="Planéalo.", url="https://example.org/x",
                   video_file="33-ab.webm", video_media_type="video/webm", video_size=2**31 - 1, duration_s=None,
                   rubric={"levels": ["a", "b"], "criteria": [], "max_points": 0.0}, author_difficulty=0.5,
                   difficulty=0.625, difficulty_n=12, created_by=10, created_at=T0,
                   updated_at=T0 + timedelta(days=2)),
        ContentSkill(content_id=33, skill_id=41),
        ItemCalibration(item_id=50, author_difficulty=-0.25, n_attempts=3, n_correct=2,
                        refined_at=T0 + timedelta(hours=1)),
        ModelVersion(id=60, name="bkt", params={"p_init": 0.25, "skills": {"ADD": [0.1, 0.2]}},
                     metrics={"auc": 0.731}, active=True, created_at=T0),
        AttemptRow(id=70, learner_id=11, item_id=50, response="a", correct=True, score=1.0,
                   duration_ms=4321, hints_used=1, created_at=T0 + timedelta(minutes=3)),
        LearnerStateRow(learner_id=11, model_version_id=60, state={"ADD": {"p": 0.5, "n": 3}},
                        updated_at=T0 + timedelta(minutes=3)),
        MasteryRow(learner_id=11, skill_id=41, p_mastery=0.625, low=0.4, high=0.8, n_attempts=1,
                   n_correct=1, recent_wrong=0, last_attempt_at=T0 + timedelta(minutes=3)),
        ApiSession(id=80, token_hash="f" * 64, user_id=11, kind="api", csrf_token="c" * 64,
                   created_at=T0, expires_at=T0 + timedelta(hours=8)),
        LoginFailure(id=90, key="learner1|127.0.0.1", created_at=T0),
        # goals (issue 4): a skill goal a teacher proposed, with a target date and two skills in order
        GoalRow(id=95, learner_id=11, kind="skill", title="Multiplicar ✓", details="", target_mastery=0.9,
                target_date=date(2027, 2, 28), state="proposed", created_by=10, created_at=T0,
                updated_at=T0 + timedelta(days=1)),
        GoalSkill(goal_id=95, skill_id=41, position=0),
        GoalSkill(goal_id=95, skill_id=40, position=1),
        # personal learning plans (issue 6): who drafts, the goal's history (a comment that moved no state, an
        # adjustment with what changed), an interest goal's milestone (done) and rubric criterion
        LearnerPlan(learner_id=11, teacher_drafts=True, updated_at=T0),
        GoalEvent(id=191, goal_id=95, actor_id=12, role="family", action="comment", from_state="proposed",
                  to_state="proposed", comment="¡Ánimo! 💪", details={}, created_at=T0 + timedelta(hours=2)),
        GoalEvent(id=192, goal_id=95, actor_id=None, role="system", action="adjust", from_state="proposed",
                  to_state="agreed", comment="", details={"target_date": ["2027-02-28", "2027-03-01"]},
                  created_at=T0 + timedelta(days=2)),
        GoalPart(id=193, goal_id=95, kind="milestone", position=0, text="Leer dos libros", max_points=1,
                 done_at=T0 + timedelta(days=3)),
        GoalPart(id=194, goal_id=95, kind="criterion", position=1, text="Fuentes", max_points=4, done_at=None),
        # adaptivity (issue 5): an FSRS memory, interests, a class's must-do skill, a pick, a placement
        SkillMemory(learner_id=11, skill_id=41, stability=3.17, difficulty=5.5, last_review_at=T0 + timedelta(minutes=3),
                    due_at=T0 + timedelta(days=3), reps=1, lapses=0, peak_mastery=0.625),
        LearnerInterest(learner_id=11, tag="space"),
        SkillInterest(skill_id=41, tag="space"),
        Assignment(id=96, school_id=1, created_by=10, learner_id=None, class_id=20, skill_id=41, item_id=50,
                   kind="must_do", due_at=T0 + timedelta(days=7), created_at=T0),
        # flipped lessons (issue 7): content work with a check, and how far a learner got with the content
        Assignment(id=196, school_id=1, created_by=10, learner_id=11, class_id=None, skill_id=41, item_id=None,
                   kind="must_do", work="project", content_id=33, check_items=[50, 51], due_at=None, created_at=T0),
        ContentProgress(learner_id=11, content_id=33, opens=2, seconds=95, opened_at=T0,
                        last_seen_at=T0 + timedelta(minutes=2), completed_at=T0 + timedelta(minutes=2)),
        NextStepPick(id=97, learner_id=11, skill_id=41, kind="interest", position=2,
                     offered={"choices": [{"skill": "ADD", "kind": "review"}, {"skill": "MUL", "kind": "interest"}]},
                     created_at=T0 + timedelta(minutes=1)),
        PlacementRow(id=98, learner_id=11, status="done", state={"diagnostic": {"format": 1}, "used": [50]},
                     result={"questions": 1, "skills": {"MUL": {"p_known": 0.81, "known": True}}}, n_questions=1,
                     started_at=T0, finished_at=T0 + timedelta(minutes=2)),
        TeacherScore(attempt_id=70, teacher_id=10, points=1.5, max_points=2.0, comment="¡Muy bien!\nGood.",
                     scored_at=T0 + timedelta(hours=1)),
        # groups, pair rules, notifications (shared by issues 6 and 7): a team with a tutor, a rule, a read notice
        ClassGroup(id=290, class_id=20, kind="team", name="Equipo Ñ", reason="", details={"skills": ["MUL"]},
                   created_by=10, created_at=T0, updated_at=T0 + timedelta(hours=1)),
        ClassGroupMember(group_id=290, learner_id=11, role="tutor"),
        LearnerPairRule(class_id=20, learner_a=10, learner_b=11, rule="apart", created_at=T0),
        Notification(id=291, user_id=12, kind="goal_comment", params={"goal": 95, "title": "Multiplicar ✓"},
                     link="/learners/11/plan", actor_id=10, created_at=T0, read_at=T0 + timedelta(hours=3)),
        # check-ins and the weekly digest (issue 6): rhythms, a held check-in, a family member's emailed digest
        ClassCheckinRhythm(class_id=20, every_days=14, set_by=10, set_at=T0),
        LearnerCheckinRhythm(learner_id=11, every_days=7, set_by=10, set_at=T0 + timedelta(days=1)),
        CheckinRow(id=99, learner_id=11, teacher_id=10, held_at=T0 + timedelta(days=14), since=T0,
                   summary={"progress": {"attempts": 1, "mastered": []}, "mastered_now": ["ADD"]},
                   plan={"goals": [{"id": 95, "forecast": {"date": "2027-02-01", "status": "on_track"}}]},
                   notes="¡Muy bien!", private_notes="Staff only.",
                   decisions=[{"kind": "adjust_date", "goal_id": 95, "target_date": "2027-03-01"}],
                   next_due_on=date(2026, 9, 29)),
        FamilyDigest(id=99, family_id=12, week_start=date(2026, 8, 31), content={"children": [], "waiting": 2},
                     created_at=T0 + timedelta(days=7), email_to="padre.ñandú@example.org",
                     emailed_at=T0 + timedelta(days=7, minutes=1)),
        # the portfolio (issue 6): a drawing with a reflection, linked to a goal and a skill; a rubric score
        # and the evidence it gave
        PortfolioItem(id=101, learner_id=11, kind="file", title="Mi casa 🏠", reflection="3 × 4 = 12",
                      body="", url="", storage_key="11/abc.png", media_type="image/png", size=1234,
                      file_name="casa.png", created_by=11, created_at=T0),
        PortfolioGoal(item_id=101, goal_id=95),
        PortfolioSkill(item_id=101, skill_id=41),
        PortfolioFeedback(id=102, item_id=101, author_id=10, comment="¡Bien!", goal_id=95,
                          rubric=[{"id": "c1", "text": "Rows", "points": 3.0, "max_points": 4}], judgements=None,
                          created_at=T0 + timedelta(days=1)),
        PortfolioEvidence(id=103, learner_id=11, skill_id=41, item_id=101, feedback_id=102, score=0.75,
                          correct=True, at=T0 + timedelta(days=1)),
        # a station rotation (issue 7): a station of the class, a plan and one learner's row in it
        RotationStation(id=120, class_id=20, position=0, name="Mesa del maestro", modality="teacher", capacity=6,
                        minutes=15, required=True, notes="Tiras de fracciones"),
        RotationPlanRow(id=121, class_id=20, title="Lunes ✓", period_minutes=50, slot_minutes=15,
                        stations=[{"name": "Mesa del maestro", "modality": "teacher", "capacity": 6, "minutes": 15,
                                   "required": True, "notes": ""}],
                        skill_codes=["MUL"], status="optimal", objective=450, bound=450.0, solve_ms=12,
                        created_by=10, created_at=T0, updated_at=T0 + timedelta(minutes=5)),
        RotationPlanLearner(plan_id=121, learner_id=11, need="reteach",
                            reason={"skills": [{"code": "MUL", "name": "Multiplicar"}], "mastered": 0, "of": 1,
                                    "overridden": False},
                            stations=[0, 0, 0], fixed_slots=[1]),
        # the class dashboard (issue 7): a learner's mastery of a skill at the end of a day
        MasteryHistory(learner_id=11, skill_id=41, day=date(2026, 9, 1), p_mastery=0.625, n_attempts=1),
    ]  # fmt: skip


def columns(row: Base) -> dict[str, Any]:
    """The row's column values by attribute name."""
    return {attr.key: getattr(row, attr.key) for attr in row.__mapper__.column_attrs}


def insert_every_row(sessions: sessionmaker[Session]) -> list[Base]:
    rows = every_row()
    with sessions.begin() as s:
        for row in rows:  # no ORM relationships, so the flush order is ours: parents first
            s.add(row)
            s.flush()
    return rows
