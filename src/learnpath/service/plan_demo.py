"""The demo school's personal learning plans (issue 6): a few goals in different states, small and
deterministic, made through the same use cases as in the app (so each has its whole history and its
notifications). family1 is also linked to learner2, so the child switcher has two children to switch."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from learnpath.service.access import Actor
from learnpath.service.plans import add_goal_in, adjust_goal, comment_in, decide_in
from learnpath.service.roster import link_family
from learnpath.storage.tables import User

__all__ = ["seed_demo_plans"]


def seed_demo_plans(session: Session, ids: dict[str, int], now: datetime) -> None:
    """Goals for learners 2 to 5 of class 1 (taught by teacher1); ``ids`` maps usernames to user ids."""

    def who(name: str) -> Actor:
        user = session.get(User, ids[name])
        assert user is not None
        return Actor.of(user)

    link_family(session, ids["family1"], ids["learner2"])
    teacher = who("teacher1")
    day = timedelta(days=1)
    # learner2: a skill goal above grade level, agreed by all three, with a comment
    l2 = who("learner2")
    g = add_goal_in(session, l2, l2.user_id, skills=["G5.FRAC.ADDSUB"], title="Fractions like the big kids",
                    target_date=(now + 42 * day).date(), now=now - 6 * day)  # fmt: skip
    decide_in(session, teacher, g, "approve", "A stretch, and you are ready for it.", now - 5 * day)
    decide_in(session, who("family2"), g, "approve", "", now - 5 * day)
    comment_in(session, who("family1"), g, "We will practise at home too.", now - 4 * day)
    comment_in(session, l2, g, "I did my first practice!", now - 3 * day)
    # learner3: an interest project, proposed, one step done
    l3 = who("learner3")
    add_goal_in(
        session, l3, l3.user_id, kind="interest", title="How do bridges stand up?",
        details="Build a paper bridge that holds a book.",
        milestones=["Read about three kinds of bridges", "Draw my bridge", "Build and test it"],
        checklist=["Explains which shapes are strong", "Measures how much it holds"],
        target_date=(now + 30 * day).date(), now=now - 2 * day,
    )  # fmt: skip
    # learner4: a goal the teacher drafted, agreed, then marked met
    l4 = ids["learner4"]
    g = add_goal_in(session, teacher, l4, skills=["G4.NBT.ROUND"], target_date=(now + 7 * day).date(),
                    now=now - 14 * day)  # fmt: skip
    decide_in(session, who("family4"), g, "approve", "", now - 13 * day)
    adjust_goal(session, teacher, g, state="met", note="Rounded every number right this week.", now=now - day)
    # learner5: the teacher asked for a change; back to draft
    l5 = who("learner5")
    g = add_goal_in(session, l5, l5.user_id, skills=["G4.FRAC.EQUIV", "G4.FRAC.ADDSUB"],
                    target_date=(now + 10 * day).date(), now=now - 3 * day)  # fmt: skip
    decide_in(session, teacher, g, "request_change", "Two skills in ten days is a lot: pick a later date?",
              now - 2 * day)  # fmt: skip
