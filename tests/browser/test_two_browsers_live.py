"""Two browsers on the same board see each other's changes without a reload: on SQLite with
one server process, and on PostgreSQL with each browser on a process of its own (the change
travels through LISTEN/NOTIFY, app/notify.py)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from itertools import count
from typing import Any

import pytest
from playwright.sync_api import expect

from app.migrate import migrate_to_head
from tests.browser.axe import assert_accessible
from tests.browser.conftest import SECRET_KEY, Browsing, LiveServer
from tests.browser.test_boards import open_board
from tests.concurrency.conftest import seed
from tests.support.server import serve

pytestmark = pytest.mark.browser

# the issue asks for one second; a browser on a loaded two-core test machine gets some slack,
# and the measured time is printed
LIVE_WITHIN_MS = 3000
_numbers = count(1)


def listening(page: Any) -> None:
    """From the next page load on, window.verbeterbordLive turns true once the stream is open
    (a change made before that would not be heard)."""
    page.add_init_script(
        "document.addEventListener('htmx:sseOpen', () => { window.verbeterbordLive = true })"
    )


def wait_until_live(page: Any, seconds: float = 5.0) -> None:
    """Until the page's stream is open. Polled from here: page.wait_for_function may evaluate
    its predicate as a string in the page, which the app's CSP (no unsafe-eval) refuses."""
    deadline = time.monotonic() + seconds
    while not page.evaluate("() => window.verbeterbordLive === true"):
        assert time.monotonic() < deadline, "the page's live stream did not open"
        page.wait_for_timeout(50)


def open_live_board(page: Any, team_id: int, name: str) -> None:
    listening(page)
    open_board(page, team_id)
    wait_until_live(page)
    assert_accessible(page, name)


def add_through_the_board(page: Any, title: str, owner: str) -> None:
    page.locator("summary", has_text="Actie toevoegen").click()
    form = page.locator("#actie-toevoegen form")
    form.get_by_label("Titel").fill(title)
    form.get_by_label("Eigenaar").select_option(label=owner)
    form.get_by_role("button", name="Actie toevoegen").click()
    expect(page.locator('li[data-status="todo"]', has_text=title)).to_be_visible()


def seen_by_the_other(adding: Any, watching: Any, title: str, owner: str) -> float:
    """Seconds from the adding browser showing its new card to the other browser showing it."""
    add_through_the_board(adding, title, owner)
    saved = time.monotonic()
    expect(watching.locator('li[data-status="todo"]', has_text=title)).to_be_visible(
        timeout=LIVE_WITHIN_MS
    )
    return time.monotonic() - saved


def test_two_browsers_on_one_board_see_each_others_new_actions(browsing, live_server):
    member = browsing.new_page("member")
    lead = browsing.new_page("lead")
    open_live_board(member, live_server.team_id, "two browsers: member")
    open_live_board(lead, live_server.team_id, "two browsers: lead")

    took = [
        seen_by_the_other(member, lead, f"Samen zichtbaar {next(_numbers)}", "Member"),
        seen_by_the_other(lead, member, f"Ook andersom {next(_numbers)}", "Lead"),
    ]
    print(f"\nseen in the other browser after {', '.join(f'{t * 1000:.0f} ms' for t in took)}")


@pytest.fixture(scope="module")
def two_processes(
    postgres_module_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[LiveServer, LiveServer]]:
    migrate_to_head(postgres_module_url)
    world, _writers = seed(postgres_module_url)
    env = {"VERBETERBORD_DATABASE_URL": postgres_module_url}
    with (
        serve(tmp_path_factory.mktemp("browser-a"), secret_key=SECRET_KEY, env=env) as a,
        serve(tmp_path_factory.mktemp("browser-b"), secret_key=SECRET_KEY, env=env) as b,
    ):
        yield LiveServer(server=a, world=world), LiveServer(server=b, world=world)


@pytest.mark.postgres
@pytest.mark.slow
def test_two_browsers_on_two_processes_see_each_others_new_actions(browser, two_processes):
    a, b = two_processes
    on_a, on_b = Browsing(browser, a), Browsing(browser, b)
    try:
        member = on_a.new_page("member")
        lead = on_b.new_page("lead")
        assert member.context.request.get("/").url.startswith(a.url)
        open_live_board(member, a.team_id, "two processes: member on A")
        open_live_board(lead, b.team_id, "two processes: lead on B")

        took = [
            seen_by_the_other(member, lead, f"Via proces A {next(_numbers)}", "Member"),
            seen_by_the_other(lead, member, f"Via proces B {next(_numbers)}", "Lead"),
        ]
        print(f"\nseen on the other process after {', '.join(f'{t * 1000:.0f} ms' for t in took)}")
        on_a.problems.assert_clean()
        on_b.problems.assert_clean()
    finally:
        for context in on_a.contexts + on_b.contexts:
            context.close()
