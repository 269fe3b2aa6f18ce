"""The demo school's check-ins (issue 6): a rhythm for each class and one check-in held with learner1 ten
days ago, small and deterministic, stored as a held check-in is (summary, plan, notes, notices)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from learnpath.service.checkin_summary import plan_now, prepare_summary
from learnpath.service.notifications import notify
from learnpath.storage.tables import CheckinRow, ClassCheckinRhythm, User

__all__ = ["seed_demo_checkins"]

DEMO_NOTES = (
    "Great start this term! We talked about what you enjoy: you would like a goal beyond grade 4. "
    "Draft one on your plan and we will agree it with your family."
)


def seed_demo_checkins(
    session: Session, ids: dict[str, int], class_teachers: dict[int, int], now: datetime
) -> None:
    """``ids`` maps usernames to user ids; ``class_teachers`` maps each demo class to its teacher."""
    for n, (class_id, teacher_id) in enumerate(sorted(class_teachers.items())):
        session.add(
            ClassCheckinRhythm(class_id=class_id, every_days=14 + 7 * n, set_by=teacher_id, set_at=now)
        )
    session.flush()
    learner, teacher = ids["learner1"], ids["teacher1"]
    user = session.get(User, learner)
    name = user.display_name if user is not None else ""
    held = now - timedelta(days=10)
    summary, _ = prepare_summary(session, learner, held, None, 14)
    row = CheckinRow(
        learner_id=learner,
        teacher_id=teacher,
        held_at=held,
        since=held - timedelta(days=14),
        summary=summary,
        plan=plan_now(session, learner, held),
        notes=DEMO_NOTES,
        private_notes="Ask the family about practice at home.",
        decisions=[],
        next_due_on=(held + timedelta(days=14)).date(),
    )
    session.add(row)
    session.flush()
    notify(
        session,
        [learner, ids["family1"]],
        "checkin_held",
        {"learner_id": learner, "learner_name": name, "checkin_id": row.id},
        link=f"/learners/{learner}/checkins#checkin-{row.id}",
        actor_id=teacher,
        now=held,
    )
