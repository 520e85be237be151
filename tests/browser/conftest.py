"""Browser tests: one real server and one headless Chromium per session, a new context per test.

The server is uvicorn in a subprocess (tests/support/server.py) on a migrated SQLite file seeded
with tests.support.builders' organisation. Chromium is Debian's (/usr/bin/chromium), driven by
Playwright's sync API. Every page a test opens is watched for console errors, uncaught exceptions
and Content-Security-Policy violations (see BrowserPage.assert_clean); axe-core checks it with
assert_accessible (tests/browser/axe.py), and the Nu HTML Checker validates it there too (one local
checker service per session, started by the first check, stopped in pytest_sessionfinish).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from app import clock
from app.config import Settings
from app.db import create_db_engine
from tests.browser.axe import AXE, NU_CHECKER, VNU, checked_paths, page_path
from tests.support.builders import PASSWORD, World, build_world
from tests.support.server import ServerProcess, migrated_data_dir, serve

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
VENDOR = REPO / "static" / "vendor"
SECRET_KEY = "browser-test-secret-key"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


def _missing_or_fail(reason: str) -> None:
    """Skip on a developer's machine; under CI a missing prerequisite is a failure."""
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(reason)


# --- the server ----------------------------------------------------------------


@dataclass
class LiveServer:
    server: ServerProcess
    world: World
    ambition_id: int = 0

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def team_id(self) -> int:
        return self.world.team.id  # type: ignore[return-value]

    @property
    def team_of_teams_id(self) -> int:
        return self.world.team_of_teams.id  # type: ignore[return-value]

    def create_action(self, title: str, who: str = "member", **fields: Any) -> dict[str, Any]:
        """An action on `team` (or fields["team_id"]) in the current sprint, owned by `who`."""
        body = {"title": title, "team_id": self.team_id, "owner_id": self.world.ids[who]}
        with self.api(who) as api:
            answer = api.post("/actions", json=body | fields)
        assert answer.status_code == 201, answer.text
        return dict(answer.json())

    def action(self, action_id: int) -> dict[str, Any]:
        with self.api("admin") as api:
            answer = api.get(f"/actions/{action_id}")
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    def api(self, who: str = "member") -> httpx.Client:
        """A JSON API client with that user's bearer token, to set the scene quickly."""
        return httpx.Client(
            base_url=f"{self.url}/api/v1", headers=self.world.headers(who), timeout=10.0
        )

    def log_tail(self) -> str:
        return self.server.log_tail()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    if not (VENDOR / "htmx.min.js").exists():
        _missing_or_fail(f"{VENDOR} has no front-end packages: run `make install` first")
    data_dir, database_url = migrated_data_dir(tmp_path_factory, "browser-server")
    with serve(data_dir, secret_key=SECRET_KEY, wait=False) as process:
        # seeding overlaps the server's start-up (it only needs the migrated schema)
        engine = create_db_engine(Settings(), url=database_url)
        try:
            world = build_world(engine, today=clock.today())
        finally:
            engine.dispose()
        process.wait_until_up()
        server = LiveServer(server=process, world=world)
        _add_an_ambition(server)
        yield server


def _add_an_ambition(server: LiveServer) -> None:
    with server.api("admin") as api:
        answer = api.post(
            "/ambitions",
            json={
                "title": "Iedereen doet mee",
                "intent": "Inwoners vinden sneller werk dat bij ze past.",
                "team_ids": [server.team_id],
                "owner_team_id": server.team_id,
            },
        )
        assert answer.status_code == 201, answer.text
        server.ambition_id = answer.json()["id"]
        goal = api.post(
            f"/ambitions/{server.ambition_id}/goals",
            json={"title": "Tien werkplekken erbij", "team_id": server.team_id},
        )
        assert goal.status_code == 201, goal.text


# --- the browser ---------------------------------------------------------------


class Chromium:
    """Headless Chromium under Playwright, started by the first browser test of a run of them and
    stopped after the last (see pytest_runtest_teardown): Playwright's sync API keeps an event
    loop running in the main thread, and asyncio.run() in a later test of the same process (a
    parallel worker runs other tests after these) would fail."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.browser: Any = None

    def start(self) -> Any:
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            try:
                self.browser = self.playwright.chromium.launch(
                    executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
                )
            except BaseException:
                self.stop()
                raise
        return self.browser

    def stop(self) -> None:
        if self.browser is not None:
            self.browser.close()
            self.browser = None
        if self.playwright is not None:
            self.playwright.stop()
            self.playwright = None


CHROMIUM_RUN = Chromium()


@pytest.fixture
def browser() -> Any:
    if not CHROMIUM.exists():
        _missing_or_fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    if not AXE.exists():
        _missing_or_fail(f"{AXE} is missing: run `make install` (npm ci) first")
    if not VNU.exists():
        _missing_or_fail(f"{VNU} is missing: run `make install` (npm ci) first")
    if NU_CHECKER.java() is None:
        _missing_or_fail("java is missing: install Debian's default-jre-headless (make install)")
    return CHROMIUM_RUN.start()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    try:
        return (yield)  # the test's own fixtures first: they close their browser contexts
    finally:
        if nextitem is None or nextitem.get_closest_marker("browser") is None:
            CHROMIUM_RUN.stop()


def pytest_sessionfinish() -> None:
    CHROMIUM_RUN.stop()
    NU_CHECKER.stop()


@dataclass
class Problems:
    """What went wrong in the browser while a test ran: console errors, exceptions, CSP."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    csp_events: list[str] = field(default_factory=list)
    http_errors: list[str] = field(default_factory=list)
    # statuses a test expects from requests made by the page (e.g. 422 for a refused form)
    expected_statuses: set[int] = field(default_factory=set)

    def watch(self, page: Any) -> None:
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.page_errors.append(f"{page.url}: {error}"))
        page.on("response", self._on_response)

    def _on_response(self, response: Any) -> None:
        # Documents are the test's own business (it asserts what it navigated to); a failing
        # stylesheet, script, font or HTMX request is a problem of the page.
        request = response.request
        if (
            response.status >= 400
            and request.resource_type != "document"
            and response.status not in self.expected_statuses
            and not request.url.endswith("/favicon.ico")
        ):
            self.http_errors.append(f"{response.status} {request.method} {request.url}")

    def _on_console(self, message: Any) -> None:
        url = message.location.get("url", "")
        # "Failed to load resource" repeats an HTTP status: _on_response judges those.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            self.console_errors.append(f"{url}: {message.text}")

    def report_csp(self, text: str) -> None:
        self.csp_events.append(text)

    @property
    def csp_violations(self) -> list[str]:
        return [
            text
            for text in self.console_errors
            if "Content Security Policy" in text or "Content-Security-Policy" in text
        ]

    def assert_clean(self) -> None:
        csp = self.csp_violations + self.csp_events
        assert not csp, "Content-Security-Policy violations:\n" + "\n".join(csp)
        assert not self.console_errors, "console errors:\n" + "\n".join(self.console_errors)
        assert not self.page_errors, "uncaught errors:\n" + "\n".join(self.page_errors)
        assert not self.http_errors, "failed requests:\n" + "\n".join(self.http_errors)


# Reports securitypolicyviolation events to the test, in case one never reaches the console.
CSP_LISTENER = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.__reportCspViolation(event.violatedDirective + ' blocked ' + (event.blockedURI || 'inline')
    + ' at ' + (event.sourceFile || document.location.href) + ':' + event.lineNumber);
});
"""


class Browsing:
    """A test's browser contexts; every page opened in them is watched for problems."""

    def __init__(self, browser: Any, server: LiveServer) -> None:
        self.browser = browser
        self.server = server
        self.problems = Problems()
        self.contexts: list[Any] = []
        self.loaded: list[tuple[Any, str]] = []  # (page, address) of every document loaded

    def new_page(self, who: str | None = None, *, viewport: dict[str, int] | None = None) -> Any:
        """A page in a fresh context; logged in as `who` (via the login form's POST) if given."""
        context = self.browser.new_context(
            base_url=self.server.url,
            viewport=viewport or DESKTOP,
            locale="nl-NL",
            timezone_id="Europe/Amsterdam",
        )
        context.set_default_timeout(5000)
        context.expose_function("__reportCspViolation", self.problems.report_csp)
        context.add_init_script(CSP_LISTENER)
        self.contexts.append(context)
        if who is not None:
            answer = context.request.post(
                "/login",
                form={"email": self.server.world.users[who].email, "password": PASSWORD},
                max_redirects=0,
            )
            assert answer.status == 303, f"logging in as {who} failed: {answer.status}"
        page = context.new_page()
        self.problems.watch(page)
        page.on("load", lambda loaded: self.loaded.append((loaded, loaded.url)))
        return page

    def unchecked(self) -> list[str]:
        """Pages the test loaded but never ran axe-core on."""
        return sorted(
            {
                url
                for page, url in self.loaded
                if url != "about:blank" and page_path(url) not in checked_paths(page)
            }
        )

    def close(self) -> None:
        for context in self.contexts:
            context.close()


CALL_FAILED = pytest.StashKey[bool]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call":
        item.stash[CALL_FAILED] = report.failed
    return report


@pytest.fixture
def browsing(
    request: pytest.FixtureRequest, browser: Any, live_server: LiveServer
) -> Iterator[Browsing]:
    session = Browsing(browser, live_server)
    try:
        yield session
        if request.node.stash.get(CALL_FAILED, False):
            request.node.add_report_section("teardown", "server log", live_server.log_tail())
        else:
            unchecked = session.unchecked()
            assert not unchecked, (
                "pages loaded without assert_accessible (tests/browser/axe.py):\n"
                + "\n".join(unchecked)
            )
        session.problems.assert_clean()
    finally:
        session.close()


@pytest.fixture
def open_page(browsing: Browsing) -> Callable[..., Any]:
    """open_page("member") → a logged-in page at desktop size; open_page() → logged out."""
    return browsing.new_page
