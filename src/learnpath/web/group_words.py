"""The words of suggested groups and teams: why a group was formed, and a team member's role.

Used by the groups and teams pages and the API, so both say the same thing in the reader's language. The
strings are extracted into the gettext catalogs like the templates' (``web/**.py`` in babel.cfg).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from learnpath.service.grouping import GroupReason
from learnpath.web.i18n import load_translations

__all__ = ["reason_text", "role_text", "saved_reason_text"]


def reason_text(reason: GroupReason, locale: str) -> str:
    """Why these learners were put together, in plain words."""
    t = load_translations(locale)
    n = {"count": reason.count, "total": reason.total, "skill": reason.skill_name}
    if reason.kind == "must_do":
        return t.gettext("%(count)s of %(total)s have this work to do: %(skill)s") % n
    if reason.kind == "reteach":
        return t.gettext("%(count)s of %(total)s need this taught again: %(skill)s") % n
    if reason.kind == "next_skill":
        return t.gettext("%(count)s of %(total)s are ready to learn this next: %(skill)s") % n
    if reason.kind == "same_answer":
        return t.gettext(
            '%(count)s of %(total)s gave the same wrong answer "%(answer)s" to question %(item)s (%(skill)s)'
        ) % {**n, "answer": reason.answer, "item": reason.item_code}
    if reason.kind == "repeated_errors":
        return t.gettext("%(count)s of %(total)s keep making mistakes on %(skill)s") % n
    if reason.kind == "no_history":
        return t.gettext("%(count)s of %(total)s have not answered anything yet: start with placement") % n
    if reason.kind == "no_errors":
        return t.gettext("%(count)s of %(total)s have made no repeated mistakes lately") % n
    return t.gettext("Placed here to keep the groups the same size and the pair rules")


def saved_reason_text(details: Mapping[str, Any], reason: str, locale: str) -> str:
    """A saved group's reason: the teacher's note if any, else the suggestion's reason in ``locale``."""
    if reason:
        return reason
    raw = details.get("reason")
    parsed = GroupReason.from_dict(raw) if isinstance(raw, dict) else None
    return reason_text(parsed, locale) if parsed else ""


def role_text(role: str, skill_names: Mapping[str, str], locale: str) -> str:
    """A team member's role: expert on a skill, tutor, tutee, or nothing."""
    t = load_translations(locale)
    if role.startswith("expert:"):
        code = role.removeprefix("expert:")
        return t.gettext("Expert: %(skill)s") % {"skill": skill_names.get(code, code)}
    if role == "tutor":
        return t.gettext("Peer tutor")
    if role == "tutee":
        return t.gettext("Learns from a peer")
    return ""
