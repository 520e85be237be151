"""Static files are fingerprinted (`?v=` the hash of their contents) by one template helper and
kept a year when the fingerprint is current; anything else gets a short cache; pages don't."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.web.static_files import CACHE_FOREVER, CACHE_SHORT, STATIC_DIR, static_url
from tests.support.builders import World
from tests.web.conftest import PageClient

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
ASSET = re.compile(r'(?:src|href)="(/static/[^"]*)"')


def test_the_url_carries_the_hash_of_the_contents() -> None:
    expected = hashlib.sha256((STATIC_DIR / "css/app.css").read_bytes()).hexdigest()[:12]
    assert static_url("css/app.css") == f"/static/css/app.css?v={expected}"
    assert static_url("/css/app.css") == static_url("css/app.css")


def test_a_file_that_is_not_there_fails_when_the_page_renders() -> None:
    with pytest.raises(LookupError):
        static_url("css/bestaat-niet.css")


def test_every_template_writes_static_urls_with_the_helper() -> None:
    """No literal /static/ left in a template: each would miss the year-long cache."""
    literal = [
        f"{path.relative_to(TEMPLATES)}: {line.strip()}"
        for path in sorted(TEMPLATES.rglob("*.html"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if "/static/" in line
    ]
    assert literal == []


def test_a_current_fingerprint_is_cached_a_year(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        answer = client.get(static_url("css/app.css"))
        again = client.get(
            static_url("css/app.css"), headers={"If-None-Match": answer.headers["etag"]}
        )
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == CACHE_FOREVER
    assert CACHE_FOREVER == "public, max-age=31536000, immutable"
    assert again.status_code == 304
    assert again.headers["cache-control"] == CACHE_FOREVER


@pytest.mark.parametrize(
    "url",
    [
        "/static/css/app.css",  # no fingerprint
        "/static/css/app.css?v=000000000000",  # an old one: this is not that file
        "/static/css/app.css?v=",
        "/static/vendor/noto-sans/files/noto-sans-latin-wght-normal.woff2",  # from a stylesheet
    ],
)
def test_anything_else_gets_a_short_cache(app_for_pages, url: str) -> None:
    with TestClient(app_for_pages) as client:
        answer = client.get(url)
    assert answer.status_code == 200
    assert answer.headers["cache-control"] == CACHE_SHORT
    assert "immutable" not in CACHE_SHORT


def test_a_missing_file_is_still_a_404(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        answer = client.get("/static/css/bestaat-niet.css?v=abc")
    assert answer.status_code == 404
    assert "immutable" not in answer.headers.get("cache-control", "")


def _assets(html: str) -> list[str]:
    return ASSET.findall(html)


@pytest.mark.parametrize("path", ["/login", "/docs", "/redoc"])
def test_pages_without_login_reference_only_current_fingerprints(app_for_pages, path: str):
    with TestClient(app_for_pages) as client:
        page = client.get(path)
        assets = _assets(page.text)
        assert assets
        for url in assets:
            assert "?v=" in url, url
            answer = client.get(url)
            assert answer.status_code == 200, url
            assert answer.headers["cache-control"] == CACHE_FOREVER, url
    assert "immutable" not in page.headers.get("cache-control", "")


def test_the_board_references_only_current_fingerprints_and_is_not_cached(
    login, world: World
) -> None:
    client: PageClient = login("member")
    page = client.get(f"/teams/{world.team.id}")
    assert page.status_code == 200
    assets = _assets(page.text)
    assert static_url("css/board.css") in assets and static_url("js/app.js") in assets
    for url in assets:
        assert client.get(url).headers["cache-control"] == CACHE_FOREVER, url
    assert "max-age" not in page.headers.get("cache-control", "")
