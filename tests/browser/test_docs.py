"""The API documentation works on a closed network: /docs (Swagger UI) and /redoc (Redoc) load
only from this server, under its own Content-Security-Policy (the harness fails on any violation
or console error), and list the operations."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.axe import WCAG_TAGS, assert_accessible, describe, inject_axe

pytestmark = pytest.mark.browser

# Swagger UI 5.35's own markup fails three axe rules we cannot fix from outside: its operation
# summaries nest buttons in a button (nested-interactive), its servers <select> has no label
# (select-name), and its method badges and links are too light (color-contrast, 2.0-3.8:1).
# Known, not fixed: /docs is for integrators, not part of the WCAG-bound product pages. Our
# markup is checked in full (before the bundle runs); Swagger UI's part is checked for every
# other rule, and a new kind of violation in it fails this test.
SWAGGER_UI_KNOWN = {"nested-interactive", "select-name", "color-contrast"}
RUN_AXE_ON = """
async ([tags, exclude]) => {
  const result = await axe.run({include: [['body']], exclude: exclude},
                               {runOnly: {type: 'tag', values: tags}});
  return result.violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(' '), summary: n.failureSummary,
                                html: n.html.slice(0, 200)}))}));
}
"""


def _offline(page: Any, server_url: str, held_back: set[str]) -> list[str]:
    """Block every request to another host, as a municipality's network does (and our own
    paths in `held_back`); returns the other hosts' addresses that were asked for."""
    ours = urlsplit(server_url).netloc
    blocked: list[str] = []

    def route(request_route: Any) -> None:
        address = urlsplit(request_route.request.url)
        if address.netloc != ours:
            blocked.append(request_route.request.url)
            request_route.abort()
        elif address.path in held_back:
            request_route.fulfill(status=200, content_type="text/javascript", body="")
        else:
            request_route.continue_()

    page.route("**/*", route)
    return blocked


def _tags(page: Any) -> set[str]:
    """The tags of the operations in the live schema."""
    schema = page.request.get("/openapi.json").json()
    return {
        tag
        for path in schema["paths"].values()
        for operation in path.values()
        for tag in operation.get("tags", [])
    }


def _violations(page: Any, exclude: list[list[str]]) -> list[dict[str, Any]]:
    inject_axe(page)
    return list(page.evaluate(RUN_AXE_ON, [WCAG_TAGS, exclude]))


def test_swagger_ui_lists_the_operations_with_other_hosts_blocked(open_page, live_server):
    page = open_page()
    held_back = {"/static/vendor/swagger-ui/swagger-ui-bundle.js"}
    blocked = _offline(page, live_server.url, held_back)

    # our own page, before Swagger UI replaces its content
    page.goto("/docs")
    expect(page.get_by_role("link", name="/openapi.json")).to_be_visible()
    assert_accessible(page, "docs-page")

    held_back.clear()
    page.reload()
    expect(page.locator("#operations-actions-update_action")).to_be_visible()
    expect(page.locator("#operations-events-stream_events")).to_be_attached()
    expect(page.locator(".opblock-tag-section")).to_have_count(len(_tags(page)))
    outside = _violations(page, [["#swagger-ui .swagger-ui"]])
    assert not outside, describe(outside)
    inside = _violations(page, [])
    assert {v["id"] for v in inside} <= SWAGGER_UI_KNOWN, describe(inside)
    assert blocked == []


# Redoc 2.5.4's markup fails one axe rule we cannot fix from outside either: its response
# samples are scrollable <pre> blocks that take no keyboard focus (scrollable-region-focusable).
# Known, not fixed, for the same reason as Swagger UI's; a new kind of violation fails the test.
REDOC_KNOWN = {"scrollable-region-focusable"}


def test_redoc_lists_the_operations_with_other_hosts_blocked(open_page, live_server):
    page = open_page()
    held_back = {"/static/vendor/redoc/redoc.standalone.js"}
    blocked = _offline(page, live_server.url, held_back)

    # our own page, before Redoc replaces its content
    page.goto("/redoc")
    expect(page.get_by_role("link", name="/openapi.json")).to_be_visible()
    assert_accessible(page, "redoc-page")

    held_back.clear()
    page.reload()
    # every tag drawn, and the operations with their summaries
    for tag in _tags(page):
        expect(page.locator(f"[id='tag/{tag}']")).to_be_attached()
    expect(page.locator("[id='operation/list_teams']")).to_be_attached()
    expect(page.locator("[id='operation/update_action'] h2")).to_be_visible()
    expect(page.locator("[id='operation/stream_events']")).to_be_attached()
    # the styles arrived (styled-components' rules through the CSSOM, by hash): the menu is
    # a fixed-width sidebar, not an unstyled list
    assert page.evaluate("getComputedStyle(document.querySelector('.menu-content')).position") in (
        "sticky",
        "fixed",
    )
    # Redocly's logo (cdn.redoc.ly) is left out of our copy of the bundle (Makefile)
    expect(page.locator("img[alt='redocly logo']")).to_have_count(0)
    violations = _violations(page, [])
    assert {v["id"] for v in violations} <= REDOC_KNOWN, describe(violations)
    assert blocked == []
