"""The words of plans and notifications, in the reader's language.

Notifications store a ``kind`` and ``params`` (``service/notifications.py``); :func:`notice_text` words them
for the notifications page. Unknown kinds get a plain "something new" sentence, so a new kind never breaks
the page. Strings are extracted into the gettext catalogs (``web/**.py`` in babel.cfg).
"""

from __future__ import annotations

from typing import Any

from learnpath.web.i18n import load_translations

__all__ = ["action_word", "notice_text", "state_word"]


class _Params(dict[str, Any]):
    """Params for %-formatting that never fail on a missing key."""

    def __missing__(self, key: str) -> str:
        return ""


def notice_text(kind: str, params: dict[str, Any], actor: str | None, locale: str) -> str:
    t = load_translations(locale)
    p = _Params(params)
    p["actor"] = actor or t.gettext("Someone")
    p.setdefault("learner", p.get("learner_name", ""))
    if locale == "es" and p.get("work_es"):
        p["work"] = p["work_es"]
    words = {
        "goal_proposed": t.gettext("%(actor)s asks to agree a goal for %(learner)s: “%(goal)s”."),
        "goal_approved": t.gettext("%(actor)s approved the goal “%(goal)s” of %(learner)s."),
        "goal_agreed": t.gettext("Everyone agreed the goal “%(goal)s” of %(learner)s."),
        "goal_change_requested": t.gettext(
            "%(actor)s asks for a change to the goal “%(goal)s” of %(learner)s: %(comment)s"
        ),
        "goal_comment": t.gettext("%(actor)s commented on the goal “%(goal)s” of %(learner)s: %(comment)s"),
        "goal_adjusted": t.gettext("%(actor)s changed the goal “%(goal)s” of %(learner)s."),
        "checkin_held": t.gettext("%(actor)s held a check-in with %(learner)s."),
        "weekly_digest": t.gettext("Your weekly summary is ready."),
        "portfolio_feedback": t.gettext("%(actor)s gave feedback on “%(title)s” by %(learner)s."),
        "assignment_given": (
            t.gettext("%(actor)s gave you work: “%(work)s”, due %(due)s.")
            if p.get("due")
            else t.gettext("%(actor)s gave you work: “%(work)s”.")
        ),
    }
    text = words.get(kind, t.gettext("Something new from %(actor)s."))
    return text % p


def state_word(state: str, locale: str) -> str:
    """A goal's state in plain words (learners from age 5 read these)."""
    t = load_translations(locale)
    return {
        "draft": t.gettext("Draft"),
        "proposed": t.gettext("Waiting for a yes"),
        "agreed": t.gettext("Agreed"),
        "met": t.gettext("Reached!"),
        "dropped": t.gettext("Stopped"),
    }.get(state, state)


def action_word(action: str, locale: str) -> str:
    """What someone did to a goal, for its history."""
    t = load_translations(locale)
    return {
        "draft": t.gettext("wrote the goal"),
        "propose": t.gettext("asked everyone to agree"),
        "approve": t.gettext("said yes"),
        "request_change": t.gettext("asked for a change"),
        "comment": t.gettext("commented"),
        "adjust": t.gettext("changed the goal"),
        "agree": t.gettext("everyone agreed"),
        "milestone": t.gettext("ticked off a step"),
        "drop": t.gettext("stopped the goal"),
        "reopen": t.gettext("started the goal again"),
        "revise": t.gettext("changed the draft"),
    }.get(action, action)
