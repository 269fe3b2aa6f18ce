"""The demo school's station rotation (issue 7): four stations for the grade 4 class and one planned rotation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.orm import Session

from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.rotations import ClassStation, RotationSpec, plan_rotation_in
from learnpath.storage.tables import RotationStation, User

__all__ = ["DEMO_STATIONS", "seed_demo_rotation"]


DEMO_STATIONS = (
    ClassStation("Teacher table", "teacher", 7, 15, notes="Fraction strips and the number line poster."),
    ClassStation("Practice", "practice", 8, 15, notes="Tablets: practise your next step in learnpath."),
    ClassStation("Video", "video", 7, 15, notes="Headphones: watch, then try the two questions."),
    ClassStation("Hands-on", "hands_on", 7, 15, notes="Pattern blocks: build each fraction twice."),
)


def seed_demo_rotation(
    session: Session, ctx: ServiceContext, class_id: int, teacher_id: int, skills: Sequence[str]
) -> None:
    """The demo class's four stations and one planned rotation on ``skills`` (the demo school's build)."""
    teacher = session.get(User, teacher_id)
    assert teacher is not None
    session.add_all(
        RotationStation(
            class_id=class_id,
            position=i,
            name=s.name,
            modality=s.modality,
            capacity=s.capacity,
            minutes=s.minutes,
            required=s.required,
            notes=s.notes,
        )
        for i, s in enumerate(DEMO_STATIONS)
    )
    session.flush()
    spec = RotationSpec(45, title="Grade 3 review (example)", skill_codes=tuple(skills))
    plan_rotation_in(session, ctx, Actor.of(teacher), class_id, spec, None, {})
