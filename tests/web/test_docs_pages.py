"""/docs and /redoc work on a closed network: they reference only this server's /static files
and carry the app's Content-Security-Policy (no unsafe-inline; /redoc lets two <style> texts
through by hash, nothing else)."""

from __future__ import annotations

import base64
import hashlib
import re

import pytest
from fastapi.testclient import TestClient

from app.web.security import CONTENT_SECURITY_POLICY, REDOC_STYLE_HASHES, content_security_policy
from app.web.static_files import static_url


@pytest.fixture
def client(app_for_pages) -> TestClient:
    return TestClient(app_for_pages)


def _assets_only_from_static(client: TestClient, path: str) -> list[str]:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assets = [url for url in sources if url not in ("/openapi.json", "/docs", "/redoc")]
    assert assets and all(url.startswith("/static/") for url in assets), sources
    assert "<script>" not in page.text and "<style" not in page.text and "style=" not in page.text
    for asset in assets:
        assert client.get(asset).status_code == 200, asset
    return assets


def test_the_docs_page_loads_only_static_files_under_the_normal_policy(client: TestClient):
    _assets_only_from_static(client, "/docs")
    assert client.get("/docs").headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY


def test_redoc_loads_only_static_files_under_the_policy_with_two_style_hashes(
    client: TestClient,
):
    assets = _assets_only_from_static(client, "/redoc")
    assert static_url("vendor/redoc/redoc.standalone.js") in assets
    policy = client.get("/redoc").headers["content-security-policy"]
    assert policy == content_security_policy(style_hashes=REDOC_STYLE_HASHES)
    assert "unsafe-inline" not in policy and "nonce-" not in policy and "blob:" not in policy
    # the same directives as every page, only style-src longer
    normal = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    redoc = dict(d.split(" ", 1) for d in policy.split("; "))
    assert {k: v for k, v in redoc.items() if k != "style-src"} == {
        k: v for k, v in normal.items() if k != "style-src"
    }
    assert redoc["style-src"] == "'self' " + " ".join(REDOC_STYLE_HASHES)


def test_the_style_hashes_are_for_redoc_only(client: TestClient):
    for path in ("/docs", "/openapi.json", "/login", "/redoc/", "/static/js/redoc.js"):
        answer = client.get(path, follow_redirects=False)
        assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY, path


def test_the_first_hash_is_the_empty_style_element_of_styled_components():
    empty = base64.b64encode(hashlib.sha256(b"").digest()).decode()
    assert f"'sha256-{empty}'" in REDOC_STYLE_HASHES


def test_our_copy_of_redoc_names_no_other_host_to_load_from(client: TestClient):
    bundle = client.get("/static/vendor/redoc/redoc.standalone.js")
    assert bundle.status_code == 200
    # Redocly's logo would be the only request to another host (see the Makefile)
    assert "cdn.redoc.ly" not in bundle.text
    assert 'src:"data:,"' in bundle.text
