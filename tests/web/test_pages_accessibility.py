"""The accessibility statement: public, linked from every page, in the government's shape."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_the_statement_is_readable_without_logging_in(app_for_pages, world):
    page = TestClient(app_for_pages).get("/toegankelijkheid")
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    for part in (
        "Toegankelijkheidsverklaring",
        "WCAG 2.1",
        "EN 301 549",
        "voldoet gedeeltelijk",
        "axe-core",
        "toetsenbord",
        "Verplaats naar …",
        "tabel",
        "functioneel beheerder",
        "22 november 2026",
    ):
        assert part in page.text, part


def test_every_page_links_to_the_statement_from_its_footer(login, world, app_for_pages):
    client = login("member")
    for path in ("/", "/mijn-acties", "/teams", "/ambities", "/toegankelijkheid"):
        html = client.get(path).text
        footer = html[html.index("<footer") :]
        assert 'href="/toegankelijkheid"' in footer, path
    login_page = TestClient(app_for_pages).get("/login").text
    assert 'href="/toegankelijkheid"' in login_page[login_page.index("<footer") :]


def test_the_statement_has_one_h1_and_headings_in_order(app_for_pages, world):
    html = TestClient(app_for_pages).get("/toegankelijkheid").text
    assert html.count("<h1") == 1
    assert "<h3" not in html  # straight from h1 to h2, nothing skipped
