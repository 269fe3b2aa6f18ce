"""The life of a goal in a personal learning plan: its states, the moves between them, and when a goal is
agreed. Pure: the service layer loads the goal's history and asks here what may happen next.

::

    draft ──propose──▶ proposed ──(teacher and family approved)──▶ agreed ──▶ met
      ▲                   │                                          │
      └──request_change───┘◀─────────────── request_change ──────────┘
    draft, proposed, agreed ──drop──▶ dropped ──reopen──▶ draft          met ──reopen──▶ agreed

**Agreement (three-way).** The learner (or, for young learners, their teacher) drafts a goal and proposes
it. It is *agreed* once the school side (one of the learner's teachers, or an admin) and, when the learner
has a linked family, one family member have approved it since it was last proposed. A staff member who
proposes a goal approves it by doing so. A request for a change sends the goal back to draft, with the
comment, and every earlier approval lapses: the new proposal needs new approvals.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from learnpath.errors import PermissionDeniedError, ValidationError

__all__ = [
    "ACTIVE_STATES",
    "GOAL_STATES",
    "TRANSITIONS",
    "Approval",
    "GoalState",
    "check_transition",
    "is_agreed",
    "may_approve",
    "pending_approvers",
]

GoalState = Literal["draft", "proposed", "agreed", "met", "dropped"]
GOAL_STATES: tuple[GoalState, ...] = ("draft", "proposed", "agreed", "met", "dropped")
ACTIVE_STATES: tuple[GoalState, ...] = ("draft", "proposed", "agreed")

TRANSITIONS: dict[str, frozenset[str]] = {
    "draft": frozenset({"proposed", "dropped"}),
    "proposed": frozenset({"draft", "agreed", "dropped"}),
    "agreed": frozenset({"draft", "met", "dropped"}),
    "met": frozenset({"agreed"}),
    "dropped": frozenset({"draft"}),
}
"""Allowed moves: state -> states it may go to."""

STAFF = ("teacher", "admin")


@dataclass(frozen=True)
class Approval:
    """An approval given since the goal was last proposed: by whom (user id) in which role."""

    user_id: int
    role: str


def check_transition(current: str, target: str) -> None:
    """Raise ValidationError (field ``state``) unless a goal in ``current`` may move to ``target``."""
    if target not in TRANSITIONS:
        raise ValidationError.for_field("state", f"unknown goal state {target!r}; use one of {GOAL_STATES}")
    if current not in TRANSITIONS:
        raise ValidationError.for_field("state", f"the goal is in an unknown state {current!r}")
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(TRANSITIONS[current])) or "none"
        raise ValidationError.for_field(
            "state", f"a {current} goal cannot become {target} (it may become: {allowed})"
        )


def may_approve(role: str, state: str) -> None:
    """Only the school side and the family approve, and only a proposed goal."""
    if role not in (*STAFF, "family"):
        raise PermissionDeniedError("only the learner's teachers and family approve goals")
    if state != "proposed":
        raise ValidationError.for_field("state", f"only a proposed goal can be approved; this one is {state}")


def is_agreed(approvals: Iterable[Approval], has_family: bool) -> bool:
    """True when the school side and (if the learner has a linked family) a family member approved."""
    roles = {a.role for a in approvals}
    staff_ok = bool(roles & set(STAFF))
    family_ok = "family" in roles or not has_family
    return staff_ok and family_ok


def pending_approvers(approvals: Iterable[Approval], has_family: bool) -> list[str]:
    """Who still has to approve: ``'teacher'`` and/or ``'family'`` (empty when agreed)."""
    roles = {a.role for a in approvals}
    out = []
    if not roles & set(STAFF):
        out.append("teacher")
    if has_family and "family" not in roles:
        out.append("family")
    return out
