"""The demo school's portfolios (issue 6), small and deterministic: learner1's drawing of a house with three
rows of four windows (a PNG made by ``learnpath.demo.drawing``) with what they learned, and learner2's
writing about fractions with a comment from teacher1. Stored through the same checks and file store as an
upload, inside the demo's transaction."""

from __future__ import annotations

import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from learnpath.core.portfolio import MEDIA_TYPES, sniff_work
from learnpath.demo.drawing import drawing_png
from learnpath.service.access import Actor
from learnpath.service.context import ServiceContext
from learnpath.service.notifications import notify
from learnpath.service.portfolio import FEEDBACK_KIND, save_in
from learnpath.storage.tables import FamilyLink, PortfolioFeedback, User

__all__ = ["seed_demo_portfolio"]


def _actor(session: Session, user_id: int) -> Actor:
    user = session.get(User, user_id)
    assert user is not None
    return Actor.of(user)


def seed_demo_portfolio(session: Session, ctx: ServiceContext, ids: dict[str, int], now: datetime) -> None:
    """``ids`` maps usernames to user ids; learner1 and learner2 are in teacher1's class."""
    learner1 = _actor(session, ids["learner1"])
    data = drawing_png(192, 144)
    media_type = sniff_work(data)
    assert media_type is not None
    key = f"{learner1.user_id}/demo-house.{MEDIA_TYPES[media_type]}"
    folder = Path(ctx.settings.data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as f:
        f.write(data)
    try:
        ctx.files().put(key, Path(f.name), media_type)
    finally:
        Path(f.name).unlink(missing_ok=True)
    fields = {
        "kind": "file",
        "title": "My times-table house",
        "reflection": "I drew 3 rows of 4 windows. 3 x 4 = 12 windows!",
        "body": "",
        "url": "",
    }
    stored = {"key": key, "media_type": media_type, "size": str(len(data)), "file_name": "house.png"}
    save_in(
        session,
        ctx,
        learner1,
        learner1.user_id,
        fields,
        [],
        ["G3.MUL.MEANING"],
        stored,
        now - timedelta(days=2),
    )

    learner2 = _actor(session, ids["learner2"])
    fields = {
        "kind": "text",
        "title": "Halves and quarters",
        "reflection": "Two quarters make one half.",
        "body": "I folded a paper strip in half, then in half again. Each part is one quarter.",
        "url": "",
    }
    item = save_in(
        session, ctx, learner2, learner2.user_id, fields, [], ["G3.FRAC.UNIT"], None, now - timedelta(days=3)
    )
    at = now - timedelta(days=1)
    session.add(
        PortfolioFeedback(
            item_id=item.id,
            author_id=ids["teacher1"],
            comment="Great folding! Can you find an eighth the same way?",
            created_at=at,
        )
    )
    families = [
        f for (f,) in session.query(FamilyLink.family_id).filter(FamilyLink.learner_id == learner2.user_id)
    ]
    notify(
        session,
        [learner2.user_id, *families],
        FEEDBACK_KIND,
        {"title": item.title, "learner": learner2.display_name},
        link=f"/learners/{learner2.user_id}/portfolio#work-{item.id}",
        actor_id=ids["teacher1"],
        now=at,
    )
