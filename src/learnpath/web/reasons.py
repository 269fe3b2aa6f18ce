"""The words of next steps: why each choice is offered, in words a child understands, and interest names.

Used by the web pages, the API (``reason_text``) and the CLI, so every adapter says the same thing. The
strings are extracted into the gettext catalogs like the templates' (``web/**.py`` in babel.cfg).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable

from learnpath.service.next_steps import Choice
from learnpath.web.i18n import load_translations

__all__ = ["interest_label", "interest_labels", "notice_text", "reason_text"]


def _interest_words(t: gettext.NullTranslations) -> dict[str, str]:
    return {
        "animals": t.gettext("animals"),
        "art": t.gettext("art"),
        "building": t.gettext("building things"),
        "cooking": t.gettext("cooking"),
        "games": t.gettext("games and puzzles"),
        "money": t.gettext("money and shopping"),
        "music": t.gettext("music"),
        "nature": t.gettext("nature"),
        "space": t.gettext("space"),
        "sports": t.gettext("sports"),
    }


def interest_labels(locale: str) -> dict[str, str]:
    """Interest tag -> its name in ``locale`` (lower case, to sit inside a sentence)."""
    return _interest_words(load_translations(locale))


def interest_label(tag: str, locale: str) -> str:
    return interest_labels(locale).get(tag, tag)


def _review(t: gettext.NullTranslations, days: int) -> str:
    if days >= 14:
        weeks = days // 7
        return t.ngettext(
            "Let's refresh this: it has been %(num)s week",
            "Let's refresh this: it has been %(num)s weeks",
            weeks,
        ) % {"num": weeks}
    if days >= 1:
        return t.ngettext(
            "Let's refresh this: it has been %(num)s day",
            "Let's refresh this: it has been %(num)s days",
            days,
        ) % {"num": days}
    return t.gettext("Let's refresh this")


def reason_text(choice: Choice, locale: str) -> str:
    """Why ``choice`` is offered, in ``locale``."""
    t = load_translations(locale)
    texts: dict[str, Callable[[], str]] = {
        "must_do": lambda: {
            "video": t.gettext("Watch this before class"),
            "reading": t.gettext("Read this before class"),
            "project": t.gettext("Your teacher asked for this project"),
        }.get(choice.content_kind or "", t.gettext("Your teacher asked for this")),
        "reteach": lambda: (
            t.gettext("You knew this before. Let's make it strong again")
            if choice.fell
            else t.gettext("The same answer came up again. Let's look at it another way")
            if choice.repeated
            else t.gettext("Let's try this again, step by step")
        ),
        "review": lambda: _review(t, choice.days_since or 0),
        "continue": lambda: t.gettext("Keep going: you started this"),
        "ready": lambda: t.gettext("You are ready for this"),
        "interest": lambda: (
            t.gettext("Because you like %(interest)s")
            % {"interest": _interest_words(t).get(choice.interest or "", choice.interest or "")}
        ),
        "enrich": lambda: t.gettext("A challenge above your grade"),
        "practice": lambda: t.gettext("Keep it strong: practise what you know"),
        "deepen": lambda: t.gettext("You know this! Try a harder one"),
    }
    return texts[choice.kind]()


def notice_text(notice: str | None, locale: str) -> str:
    """A plain sentence for a notice of the next steps ("" for none)."""
    t = load_translations(locale)
    return {
        "no_history": t.gettext("Welcome! Pick something to start with."),
        "goal_mastered": t.gettext("You already know this goal. Pick another goal or one of these."),
        "no_path": t.gettext("The way to this goal needs skills with no practice yet. Try one of these."),
        "nothing_to_do": t.gettext("There is nothing to practise yet. Ask your teacher."),
    }.get(notice or "", "")
