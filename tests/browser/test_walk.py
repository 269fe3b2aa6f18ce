"""The product walked in a real browser (Debian's Chromium through Playwright), with axe-core on every page.

A learner signs in, answers an item and sees mastery change; the teacher then sees that answer on the class
page; a family member sees their child and gets 404 for another learner. Every page visited must have no
serious or critical axe-core violation and no Content-Security-Policy violation.

Needs /usr/bin/chromium (or LEARNPATH_CHROMIUM) and axe-core (`npm install --prefix .cache/axe axe-core@4`,
or LEARNPATH_AXE_JS). Without them the tests skip, unless LEARNPATH_REQUIRE_BROWSER=1 (CI), where they fail.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from learnpath.service.context import ServiceContext
from learnpath.storage import make_engine, make_sessionmaker
from learnpath.testing.school import fast_hasher

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("LEARNPATH_CHROMIUM", "/usr/bin/chromium")
AXE_JS = Path(os.environ.get("LEARNPATH_AXE_JS", ROOT / ".cache/axe/node_modules/axe-core/axe.min.js"))
REQUIRED = os.environ.get("LEARNPATH_REQUIRE_BROWSER") == "1"
SHOTS = Path(os.environ.get("LEARNPATH_SCREENSHOTS", "/tmp"))
AXE_ROUTE = "/__browser-test__/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _need(ok: bool, reason: str) -> None:
    if ok:
        return
    if REQUIRED:
        pytest.fail(f"{reason} (LEARNPATH_REQUIRE_BROWSER=1)")
    pytest.skip(reason)


@dataclass
class School:
    base_url: str
    password: str
    kind: str
    ctx: ServiceContext


def _right_answer(ctx: ServiceContext, item_id: int) -> tuple[str, str]:
    """(kind, a response scored right) of an item, read from storage as a teacher would."""
    from learnpath.service.catalog import load_catalog

    with ctx.unit() as session:
        catalog = load_catalog(session)
    code = next(c for c, i in catalog.item_ids.items() if i == item_id)
    item = catalog.items[code]
    return item.kind, item.answer or item.accepted[0]


@pytest.fixture(scope="module")
def school_server(demo_template: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[School]:
    """The app on 127.0.0.1 and a free port, served by uvicorn in a thread, on this module's own fresh copy
    of the run's demo school (``demo_template``, built once in tests/browser/conftest.py)."""
    import uvicorn

    from learnpath.api.app import create_app

    settings = demo_template.copy_to(tmp_path_factory.mktemp("browser") / "school")
    engine = make_engine(settings.database_url)
    ctx = ServiceContext(make_sessionmaker(engine), settings, hasher=fast_hasher())
    app = create_app(settings, ctx)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield School(f"http://127.0.0.1:{port}", demo_template.password, demo_template.kind, ctx)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        engine.dispose()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    _need(Path(CHROMIUM).exists(), f"no Chromium at {CHROMIUM} (apt-get install chromium)")
    _need(AXE_JS.exists(), f"no axe-core at {AXE_JS} (npm install --prefix .cache/axe axe-core@4)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - playwright is a dev dependency
        _need(False, "playwright is not installed (pip install playwright)")
        raise
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class Visit:
    """One person's browser tab, checking every page it lands on."""

    page: Any
    base_url: str
    csp_errors: list[str] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)

    def goto(self, path: str) -> Any:
        return self.page.goto(self.base_url + path)

    def sign_in(self, username: str, password: str) -> None:
        self.goto("/login")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(password)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, f"sign-in failed for {username}"

    def check_a11y(self, name: str) -> None:
        """axe-core on the current page: no serious or critical violation; no CSP violation so far."""
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.add_script_tag(url=self.base_url + AXE_ROUTE)
        result = self.page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        report = "\n".join(
            f"{v['impact']} {v['id']}: {v['help']} -> "
            + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
            for v in bad
        )
        if bad:
            print(f"axe violations on {name} ({self.page.url}):\n{report}")
        assert not bad, f"axe-core: serious/critical violations on {name}:\n{report}"
        assert not self.csp_errors, f"CSP violations on {name}: {self.csp_errors}"
        self.checked.append(name)


def _visit(browser: Any, base_url: str) -> Visit:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    page = context.new_page()
    visit = Visit(page, base_url)
    # axe is served from the app's own origin by the test, so the page's CSP (script-src 'self') stays on.
    page.route(
        f"**{AXE_ROUTE}", lambda route: route.fulfill(path=str(AXE_JS), content_type="text/javascript")
    )

    def on_console(msg: Any) -> None:
        if "Content Security Policy" in msg.text:
            visit.csp_errors.append(msg.text)

    page.on("console", on_console)
    return visit


def _pct(visit: Visit, skill: str) -> int:
    text = visit.page.locator(f'#mastery li[data-skill="{skill}"] .pct').inner_text()
    return int(re.sub(r"\D", "", text))


def test_learner_teacher_family_walk(school_server: School, chromium: Any) -> None:
    base, password = school_server.base_url, school_server.password

    # The learner signs in, answers the next item and sees mastery change.
    learner = _visit(chromium, base)
    learner.sign_in("learner1", password)
    page = learner.page
    assert page.url.endswith("/learn")
    assert page.locator("html").get_attribute("lang") == "en"
    if school_server.kind == "demo":
        assert page.locator(".demo-banner").is_visible()
    learner.check_a11y("learner home")
    form = page.locator("form.item-form")
    skill = form.get_attribute("data-skill")
    assert skill
    before = _pct(learner, skill)
    page.screenshot(path=str(SHOTS / "learnpath-learn.png"), full_page=True)
    page.wait_for_timeout(300)  # a measurable duration
    item_id = int(form.locator("input[name=item_id]").get_attribute("value") or 0)
    kind, answer = _right_answer(school_server.ctx, item_id)
    if kind == "choice":
        page.locator(f'button.choice[value="{answer}"]').click()
    else:
        page.get_by_label("Your answer").fill(answer)
        page.get_by_role("button", name="Check my answer").click()
    feedback = page.locator(".feedback")
    feedback.wait_for()
    assert "Yes, that is right!" in feedback.inner_text()
    assert page.url.endswith("/learn"), "the answer came back through htmx, without a page load"
    assert re.search(r"(first try: \d+% now)|(\d+% before, \d+% now)", feedback.inner_text())
    after = _pct(learner, skill)
    assert after != before, f"mastery of {skill} stayed at {before}%: {feedback.inner_text()!r}"
    now = re.search(r"(\d+)% now", feedback.inner_text())
    assert now and int(now.group(1)) == after
    assert page.evaluate("document.activeElement.classList.contains('feedback-title')")
    learner.check_a11y("learner feedback")
    page.screenshot(path=str(SHOTS / "learnpath-feedback.png"), full_page=True)

    page.get_by_role("link", name="My progress").click()
    page.wait_for_load_state()
    latest = page.locator(".recent tbody tr").first
    item_code = latest.locator("code").inner_text()
    seconds = latest.locator("td").nth(3).inner_text()
    assert re.fullmatch(r"\d+ s", seconds), f"the duration was not recorded: {seconds!r}"
    learner.check_a11y("learner progress")
    name = page.locator(".who-name").inner_text().removeprefix("Signed in as ")

    # The teacher sees that answer on the class page.
    teacher = _visit(chromium, base)
    teacher.sign_in("teacher1", password)
    assert teacher.page.url.endswith("/classes")
    teacher.check_a11y("class list")
    teacher.page.locator(".card-list a").first.click()  # the class dashboard (issue 7)
    teacher.page.wait_for_load_state()
    teacher.check_a11y("class dashboard")
    # the one heatmap of the class is the dashboard's (the class page links to it)
    heatmap = teacher.page.locator("#dashboard-heatmap tbody th a")
    assert heatmap.count() >= 2
    hrefs = [heatmap.nth(i).get_attribute("href") for i in range(heatmap.count())]
    own_href = teacher.page.locator("#dashboard-heatmap tbody th a", has_text=name).get_attribute("href")
    teacher.page.locator("#class-details-link").click()  # goals and latest answers
    teacher.page.wait_for_load_state()
    first = teacher.page.locator("#latest-attempts tbody tr").first
    assert name in first.inner_text() and item_code in first.inner_text()
    assert teacher.page.locator("table.heatmap").count() == 0
    assert teacher.page.locator("#class-heatmap-link").get_attribute("href").endswith("#dash-heatmap-title")  # type: ignore[union-attr]
    teacher.check_a11y("class page")
    teacher.page.screenshot(path=str(SHOTS / "learnpath-class.png"), full_page=True)

    # A family member sees their child, and 404 for a learner who is not theirs.
    family = _visit(chromium, base)
    family.sign_in("family1", password)
    children = {own_href}
    if not family.page.url.endswith(own_href or "?"):  # linked to several children (the demo): pick one
        assert family.page.url.endswith("/family")
        family.check_a11y("family children list")
        kids = family.page.locator(".card-list a")
        children |= {kids.nth(i).get_attribute("href") for i in range(kids.count())}
        family.page.locator(".card-list").get_by_role("link", name=name).click()
        family.page.wait_for_load_state()
    assert family.page.url.endswith(own_href or "?")
    assert name in family.page.locator("h1").inner_text()
    assert item_code in family.page.locator(".recent tbody tr").first.inner_text()
    family.check_a11y("family child page")
    family.page.screenshot(path=str(SHOTS / "learnpath-family.png"), full_page=True)
    other_href = next(h for h in hrefs if h not in children)
    response = family.goto(other_href or "/learners/0")
    assert response is not None and response.status == 404
    assert "We could not find that page" in family.page.content()
    family.check_a11y("family 404 page")


def test_spanish_login_and_language_switch(school_server: School, chromium: Any) -> None:
    visit = _visit(chromium, school_server.base_url)
    visit.goto("/login")
    visit.page.get_by_role("button", name="Español").click()
    visit.page.wait_for_load_state()
    assert visit.page.locator("html").get_attribute("lang") == "es"
    assert visit.page.get_by_role("heading", name="Iniciar sesión").is_visible()
    visit.check_a11y("login page (es)")
    visit.page.get_by_label("Usuario").fill("learner1")
    visit.page.get_by_label("Contraseña").fill("wrong password")
    visit.page.get_by_role("button", name="Iniciar sesión").click()
    visit.page.wait_for_load_state()
    assert "no coinciden" in visit.page.locator("[role=alert]").inner_text()
    visit.check_a11y("login error (es)")
    visit.page.get_by_label("Usuario").fill("learner2")
    visit.page.get_by_label("Contraseña").fill(school_server.password)
    visit.page.get_by_role("button", name="Iniciar sesión").click()
    visit.page.wait_for_load_state()
    assert visit.page.url.endswith("/learn")
    assert visit.page.locator("html").get_attribute("lang") == "es", "the choice made before sign-in is kept"
    hint_button = visit.page.get_by_role("button", name="Ver una pista")
    if hint_button.count():
        hint_button.click()
        visit.page.locator(".hint-list li").first.wait_for()
        assert visit.page.locator("input[name=hints_used]").get_attribute("value") == "1"
        assert visit.page.evaluate("document.activeElement.closest('.hint-list') !== null"), (
            "focus on the hint"
        )
    visit.check_a11y("learner home (es)")
    visit.page.screenshot(path=str(SHOTS / "learnpath-learn-es.png"), full_page=True)


def test_path_page_map_zoom_and_goals(school_server: School, chromium: Any) -> None:
    """Backward design (issue 4): the teacher opens a learner's path to a goal, zooms and pans the map with the
    buttons and the keyboard, sets the goal; the learner then sees their own path in plain words."""
    base, password = school_server.base_url, school_server.password
    teacher = _visit(chromium, base)
    teacher.sign_in("teacher1", password)
    page = teacher.page
    page.locator(".card-list a").first.click()  # the class dashboard (issue 7)
    page.wait_for_load_state()
    page.locator("#class-details-link").click()  # goals and latest answers
    page.wait_for_load_state()
    teacher.check_a11y("class page with the goal form")
    href = page.locator(".goal-picks a").first.get_attribute("href")
    assert href and href.endswith("/path")
    teacher.goto(href)
    select = page.locator("#goal-select")
    options = select.locator("option")
    select.select_option(index=options.count() - 1)  # the last skill: a long way up the web
    page.get_by_role("button", name="Show the path").click()
    page.wait_for_load_state()
    assert "goal=" in page.url
    svg = page.locator("svg.path-map")
    if page.locator(".path-steps li").count():
        assert page.locator(".map-node.on-path").count() == page.locator(".path-steps li").count()
    box = svg.get_attribute("viewBox")
    page.get_by_role("button", name="Zoom in").click()
    zoomed = svg.get_attribute("viewBox")
    assert zoomed != box
    page.get_by_role("button", name="Move right").click()
    assert svg.get_attribute("viewBox") != zoomed
    page.locator("[data-pathmap]").focus()
    page.keyboard.press("0")
    assert svg.get_attribute("viewBox") == box
    page.keyboard.press("+")
    assert svg.get_attribute("viewBox") != box
    teacher.check_a11y("path page (teacher)")
    page.screenshot(path=str(SHOTS / "learnpath-path-teacher.png"), full_page=True)
    page.get_by_role("button", name="Set goal").click()
    page.wait_for_load_state()
    assert page.locator("[role=status]", has_text="The goal is saved.").is_visible()
    teacher.check_a11y("path page after setting a goal")
    learner_id = href.split("/")[2]

    learner = _visit(chromium, base)
    learner.sign_in("learner1", password)
    learner.page.get_by_role("link", name="My path: the steps to my goal").click()
    learner.page.wait_for_load_state()
    assert learner.page.locator("h1").inner_text() == "My path"
    learner.check_a11y("path page (learner)")
    learner.page.screenshot(path=str(SHOTS / "learnpath-path-learner.png"), full_page=True)
    if learner.page.url.endswith(f"/learners/{learner_id}/path"):
        assert learner.page.get_by_text("the goals set for you").is_visible()


def test_content_pages_video_and_learner_card(school_server: School, chromium: Any) -> None:
    """Content (issue 4): the teacher's list and form (field errors in the page), a demo video played from the
    app itself; a learner opens content from the Watch / Read / Do card or its page."""
    base, password = school_server.base_url, school_server.password
    teacher = _visit(chromium, base)
    teacher.sign_in("teacher1", password)
    page = teacher.page
    page.get_by_role("link", name="Content", exact=True).click()
    page.wait_for_load_state()
    teacher.check_a11y("content list")
    page.get_by_role("link", name="New content").click()
    page.wait_for_load_state()
    page.fill("#f-code", "X-1")
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert page.locator("#form-errors").is_visible() and page.locator("#title-error").is_visible()
    teacher.check_a11y("content form with errors")
    if school_server.kind != "demo":
        return
    teacher.goto("/content?kind=video")
    page.get_by_role("link", name="Watch: 37 rounds to 40", exact=True).click()
    page.wait_for_load_state()
    page.wait_for_function("document.querySelector('video.video').readyState >= 1", timeout=10000)
    duration = page.evaluate("document.querySelector('video.video').duration")
    assert 5 <= duration <= 7, duration
    teacher.check_a11y("video page (teacher)")
    video_url = page.url

    learner = _visit(chromium, base)
    learner.sign_in("learner1", password)
    card = learner.page.locator(".content-choice")
    if card.count():
        card.first.click()
        learner.page.wait_for_load_state()
        learner.check_a11y("content page from the learner's card")
    learner.goto(video_url.removeprefix(base))
    assert learner.page.locator("video.video").count() == 1
    learner.check_a11y("video page (learner)")
    learner.page.screenshot(path=str(SHOTS / "learnpath-content-video.png"), full_page=True)


def test_next_steps_interests_must_do_and_placement(school_server: School, chromium: Any) -> None:
    """Next steps with choice (issue 5): the learner picks a card and practises it, picks interests and takes
    the placement test one question at a time (htmx); the teacher gives must-do work and sees placements."""
    base, password = school_server.base_url, school_server.password
    teacher = _visit(chromium, base)
    teacher.sign_in("teacher1", password)
    page = teacher.page
    page.locator("a[href^='/classes/']").first.click()
    page.wait_for_load_state()
    page.locator("a[href$='/assignments']").first.click()  # selectors, not words: any UI language
    page.wait_for_load_state()
    teacher.check_a11y("must-do work")
    page.locator("form[action$='/assignments'] button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("table tbody tr").count() >= 1
    teacher.goto(page.url.removeprefix(base).replace("/assignments", "/placement"))
    page.wait_for_load_state()
    teacher.check_a11y("class placement")

    learner = _visit(chromium, base)
    learner.sign_in("learner2", password)
    lp = learner.page
    cards = lp.locator(".step-button")
    assert 1 <= cards.count() <= 5
    learner.check_a11y("learner home with next steps")
    name = cards.first.locator(".step-name").inner_text()
    cards.first.click()
    lp.wait_for_load_state()
    assert "/learn?skill=" in lp.url and name in lp.locator("form.item-form .skill-name").inner_text()
    learner.check_a11y("practice of a picked skill")
    learner.goto("/learn/interests")
    learner.check_a11y("interests")
    lp.locator("input[name=interest][value=space]").check()
    lp.locator("form[action='/learn/interests'] button[type=submit]").click()
    lp.wait_for_load_state()
    assert lp.url.endswith("/learn")
    learner.goto("/learn/placement")
    learner.check_a11y("placement question")
    first = lp.locator("input[name='item_id']").get_attribute("value")
    lp.locator("button[name=dont_know]").click()
    lp.locator(f"input[name='item_id']:not([value='{first}']), a[href='/learn'].button-big").first.wait_for(
        state="attached"
    )
    assert lp.url.endswith("/learn/placement"), "the next question came through htmx, without a page load"
    learner.check_a11y("placement, second question")
