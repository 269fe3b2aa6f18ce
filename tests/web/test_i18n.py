"""English and Spanish: no hard-coded UI text, a complete Spanish catalog, a fresh .pot, a working switch."""

from __future__ import annotations

import re
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

import learnpath
from learnpath.service.context import ServiceContext
from learnpath.testing.school import TinySchool
from learnpath.web.i18n import LANGUAGES, LOCALE_DIR, load_translations, negotiate, po_path
from learnpath.web.render import TEMPLATES

PACKAGE = Path(learnpath.__file__).resolve().parent
JINJA = re.compile(r"\{#.*?#\}|\{%-?\s*trans\b.*?\{%-?\s*endtrans\s*-?%\}|\{\{.*?\}\}|\{%.*?%\}", re.S)
VISIBLE_ATTRS = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}


class _TextFinder(HTMLParser):
    """Collects text nodes and visible attribute values that contain letters."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in VISIBLE_ATTRS and value and any(c.isalpha() for c in value):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        if any(c.isalpha() for c in data):
            self.found.append(data.strip())


def untranslated_text(source: str) -> list[str]:
    """Visible text in a template that is not inside a translation call or a ``{{ }}`` expression."""
    finder = _TextFinder()
    finder.feed(JINJA.sub(" ", source))
    finder.close()
    return finder.found


def test_the_text_finder_catches_plain_text_and_passes_translated_text() -> None:
    assert untranslated_text("<p>Hello</p>") == ["Hello"]
    assert untranslated_text('<a title="Open it">{{ _("x") }}</a>') == ["<a title='Open it'>"]
    assert untranslated_text('<p>{{ _("Hello") }} · {{ name }}</p>') == []
    assert untranslated_text("<p>{% trans n=1 %}{{ n }} apple{% pluralize %}apples{% endtrans %}</p>") == []
    assert untranslated_text("{# a comment #}<p>✓ 42%</p>") == []


@pytest.mark.parametrize("template", sorted(p.name for p in TEMPLATES.glob("*.html")))
def test_templates_have_no_untranslated_text(template: str) -> None:
    found = untranslated_text((TEMPLATES / template).read_text(encoding="utf-8"))
    assert not found, f"{template}: wrap these in _() or {{% trans %}}: {found}"


def _extracted() -> set[str | tuple[str, ...]]:
    with (LOCALE_DIR / "babel.cfg").open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f)
    ids: set[str | tuple[str, ...]] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(PACKAGE, method_map, options_map):
        ids.add(message if isinstance(message, str) else tuple(message))
    return ids


def _ids(catalog: Catalog) -> set[str | tuple[str, ...]]:
    return {m.id if isinstance(m.id, str) else tuple(m.id) for m in catalog if m.id}


@pytest.fixture(scope="module")
def extracted() -> set[str | tuple[str, ...]]:
    ids = _extracted()
    assert len(ids) > 50, "the extraction found almost nothing: is babel.cfg right?"
    return ids


def test_the_pot_file_is_up_to_date(extracted: set[str | tuple[str, ...]]) -> None:
    with (LOCALE_DIR / "messages.pot").open("rb") as f:
        pot = _ids(read_po(f))
    assert extracted - pot == set(), "run the pybabel extract command in docs/ui.md: the .pot lacks these"
    assert pot - extracted == set(), "run the pybabel extract command in docs/ui.md: the .pot has stale ids"


@pytest.mark.parametrize("locale", [code for code in LANGUAGES if code != "en"])
def test_every_message_is_translated(locale: str, extracted: set[str | tuple[str, ...]]) -> None:
    with po_path(locale).open("rb") as f:
        catalog = read_po(f, locale=locale)
    translated = {
        (m.id if isinstance(m.id, str) else tuple(m.id))
        for m in catalog
        if m.id and not m.fuzzy and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    missing = extracted - translated
    assert not missing, f"{locale}: translate these (see docs/ui.md): {sorted(map(str, missing))}"
    problems = [(m.id, [str(e) for e in errors]) for m, errors in catalog.check() if errors]
    assert not problems, f"{locale}: placeholders differ from the English: {problems}"


def test_spanish_catalog_compiles_in_memory() -> None:
    es = load_translations("es")
    assert es.gettext("Sign in") == "Iniciar sesión"
    assert es.ngettext("%(count)s learner", "%(count)s learners", 2) == "%(count)s estudiantes"
    assert load_translations("en").gettext("Sign in") == "Sign in"
    assert not list(LOCALE_DIR.rglob("*.mo")), "no compiled .mo files are kept in the repository"


@pytest.mark.parametrize(
    ("header", "want"),
    [("es-MX,es;q=0.9,en;q=0.8", "es"), ("en-US,en;q=0.9,es;q=0.5", "en"), ("fr, de", "en"), ("", "en")],
)
def test_accept_language_negotiation(header: str, want: str) -> None:
    assert negotiate(header) == want


def _switch(client: TestClient, lang: str, page: str, web: Any, next_url: str | None = None) -> Any:
    token = web.csrf_of(client.get(page).text)
    data = {"lang": lang, "next": page if next_url is None else next_url, "csrf_token": token}
    return client.post("/lang", data=data, follow_redirects=False)


def test_anonymous_language_switch_sets_a_cookie(client: TestClient, school: TinySchool, web: Any) -> None:
    r = _switch(client, "es", "/login", web)
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert "lp_lang=es" in r.headers["set-cookie"]
    page = client.get("/login")
    assert '<html lang="es">' in page.text and "Iniciar sesión" in page.text
    assert page.headers["content-language"] == "es"
    assert 'lang="en"' in page.text and "English" in page.text, (
        "the other language is offered in its own name"
    )


def test_browser_language_is_used_until_one_is_chosen(client: TestClient, school: TinySchool) -> None:
    assert "Iniciar sesión" in client.get("/login", headers={"Accept-Language": "es-ES,es;q=0.9"}).text


def test_language_switch_needs_csrf_and_a_known_language(
    client: TestClient, school: TinySchool, web: Any
) -> None:
    client.get("/login")
    assert client.post("/lang", data={"lang": "es"}, follow_redirects=False).status_code == 403
    assert _switch(client, "xx", "/login", web).status_code == 422
    assert _switch(client, "es", "/login", web, "https://evil.example/").headers["location"] == "/"


def test_signed_in_switch_is_saved_on_the_account(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("learner1")
    r = _switch(c, "es", "/learn", web)
    assert r.headers["location"] == "/learn"
    page = c.get("/learn").text
    assert '<html lang="es">' in page
    assert "¡Hola, Learner1!" in page and "Sumar" in page, "skill names come localized from the service"
    assert "¡Ya puedes con esto!" in page and "Comprobar mi respuesta" in page
    # the choice follows the account to another browser
    other = browser_for("learner1")
    assert '<html lang="es">' in other.get("/learn").text


def test_language_chosen_before_login_is_kept(client: TestClient, school: TinySchool, web: Any) -> None:
    _switch(client, "es", "/login", web)
    web.sign_in(client, "teacher1")
    page = client.get("/classes").text
    assert "Clases" in page and '<html lang="es">' in page


def test_error_pages_are_localized(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any
) -> None:
    c = browser_for("family1")
    _switch(c, "es", "/family", web)
    r = c.get(f"/learners/{school.ids['learner3']}")
    assert r.status_code == 404 and "No encontramos esa página" in r.text


@pytest.fixture
def spanish_item(ctx: ServiceContext, school: TinySchool) -> int:
    from learnpath.core.items import Choice, Item
    from learnpath.service.content import add_items

    item = Item(
        "ADD-ES",
        "choice",
        "Which is 2 + 2?",
        ("ADD",),
        choices=(Choice("a", "four"), Choice("b", "five")),
        answer="a",
        hints=("Count on your fingers.",),
        explanation="Two and two make four.",
        extra={
            "prompt_es": "¿Cuánto es 2 + 2?",
            "hints_es": ["Cuenta con los dedos."],
            "explanation_es": "Dos y dos son cuatro.",
            "choices_es": {"a": "cuatro", "b": "cinco"},
        },
    )
    with ctx.unit() as s:
        return add_items(s, [item])["ADD-ES"]


def test_items_show_their_spanish_text_in_spanish(
    browser_for: Callable[[str], TestClient], school: TinySchool, web: Any, spanish_item: int
) -> None:
    c = browser_for("learner1")
    _switch(c, "es", "/learn", web)
    hint = c.get(f"/learn/hint?item_id={spanish_item}&shown=0", headers={"HX-Request": "true"}).text
    assert "Cuenta con los dedos." in hint and "Count on" not in hint
    token = web.csrf_of(c.get("/learn").text)
    r = c.post(
        "/learn/answer",
        data={"item_id": str(spanish_item), "response": "b", "csrf_token": token},
        headers={"HX-Request": "true"},
    )
    assert (
        "No del todo." in r.text and "La respuesta es: cuatro" in r.text and "Dos y dos son cuatro." in r.text
    )


def test_items_without_spanish_text_fall_back_to_english(school: TinySchool) -> None:
    from learnpath.core.items import Item
    from learnpath.web.present import item_view

    item = Item("X", "numeric", "What is 1 + 1?", ("ADD",), answer="2", hints=("One more.",), extra={})
    es = item_view(1, item, "es")
    assert (es.prompt, es.hints) == ("What is 1 + 1?", ["One more."])
    full = Item("Y", "numeric", "What is 1 + 1?", ("ADD",), answer="2", extra={"prompt_es": "¿1 + 1?"})
    assert (
        item_view(2, full, "es").prompt == "¿1 + 1?" and item_view(2, full, "en").prompt == "What is 1 + 1?"
    )
