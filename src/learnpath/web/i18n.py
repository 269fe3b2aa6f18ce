"""UI languages: gettext catalogs compiled in memory from the committed ``.po`` files, and locale choice.

The source of every UI string is a template (``{{ _("...") }}`` or ``{% trans %}``). ``messages.pot`` is
extracted from them with ``pybabel extract`` and each language's ``messages.po`` holds the translations;
no binary ``.mo`` is committed: :func:`load_translations` compiles the ``.po`` at start-up.
"""

from __future__ import annotations

import gettext
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

__all__ = [
    "DEFAULT_LOCALE",
    "LANGUAGES",
    "LOCALE_DIR",
    "load_translations",
    "negotiate",
    "po_path",
]

LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES: dict[str, str] = {"en": "English", "es": "Español"}
"""Locale code -> the language's own name (shown as is in the switcher, never translated)."""
DEFAULT_LOCALE = "en"
SOURCE_LOCALE = "en"
"""Templates are written in English, so English needs no catalog."""


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"


@cache
def load_translations(locale: str) -> gettext.NullTranslations:
    """The compiled catalog of ``locale`` (the identity for English); fuzzy entries are left out."""
    if locale not in LANGUAGES:
        raise ValueError(f"unknown locale {locale!r}; expected one of {', '.join(LANGUAGES)}")
    if locale == SOURCE_LOCALE:
        return NullTranslations()
    with po_path(locale).open("rb") as f:
        catalog = read_po(f, locale=locale)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer)


def negotiate(accept_language: str, default: str = DEFAULT_LOCALE) -> str:
    """The best of our languages for an ``Accept-Language`` header (quality values respected)."""
    best, best_q = default, 0.0
    for part in accept_language.split(","):
        tag, _, params = part.strip().partition(";")
        lang = tag.strip().lower().split("-")[0]
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        if lang in LANGUAGES and q > best_q:
            best, best_q = lang, q
    return best
