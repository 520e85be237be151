"""In a real browser: the board loads every fingerprinted stylesheet, script and font (the fonts
through relative url(...) in a fingerprinted stylesheet) without a 404, gzipped where it is
text, and the next page takes them from the browser's cache without asking the server."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from app.web.static_files import CACHE_FOREVER
from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

RESOURCES = """() => performance.getEntriesByType('resource')
  .filter((entry) => new URL(entry.name).pathname.startsWith('/static/'))
  .map((entry) => ({url: entry.name, transferSize: entry.transferSize}))"""


def test_the_board_loads_its_fingerprinted_files_and_fonts_then_keeps_them(
    open_page, live_server
) -> None:
    page = open_page("member")
    answers: list[Any] = []
    page.on("response", lambda answer: answers.append(answer))
    document = page.goto(f"/teams/{live_server.team_id}")
    assert document is not None and document.status == 200
    assert document.header_value("content-encoding") == "gzip"
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.fonts.ready.then(() => document.fonts.status)") == "loaded"
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Variable\"')")
    assert_accessible(page, "bord-statische-bestanden")

    static = [a for a in answers if "/static/" in a.url]
    assert static and all(a.status == 200 for a in static), [(a.status, a.url) for a in static]
    fonts = [a for a in static if a.url.endswith(".woff2")]
    assert fonts, "no font was fetched"  # through the stylesheet's relative url(./files/...)
    for answer in static:
        if "?v=" in answer.url:
            assert answer.header_value("cache-control") == CACHE_FOREVER, answer.url
    stylesheets = [a for a in static if ".css?v=" in a.url]
    assert stylesheets
    assert all(a.header_value("content-encoding") == "gzip" for a in stylesheets if a.ok)

    # another page: the fingerprinted files come from the cache, nothing goes over the wire
    page.goto("/mijn-acties")
    expect(page.get_by_role("heading", level=1, name="Mijn acties")).to_be_visible()
    assert_accessible(page, "mijn-acties-uit-de-cache")
    again = [r for r in page.evaluate(RESOURCES) if "?v=" in r["url"] and "/vendor/" in r["url"]]
    assert again, "the second page names no fingerprinted vendor files"
    assert all(r["transferSize"] == 0 for r in again), again
