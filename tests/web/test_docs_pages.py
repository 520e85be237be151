"""/docs works on a closed network: it references only this server's /static files and
carries the same Content-Security-Policy as every page (no unsafe-inline, no exception)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from app.web.security import CONTENT_SECURITY_POLICY


@pytest.fixture
def client(app_for_pages) -> TestClient:
    return TestClient(app_for_pages)


def test_the_docs_page_loads_only_static_files_under_the_normal_policy(client: TestClient):
    page = client.get("/docs")
    assert page.status_code == 200
    assert page.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assets = [url for url in sources if not url.startswith("/openapi.json")]
    assert assets and all(url.startswith("/static/") for url in assets), sources
    assert "<script>" not in page.text and "<style" not in page.text and "style=" not in page.text
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_redoc_leads_to_the_same_page(client: TestClient):
    answer = client.get("/redoc", follow_redirects=False)
    assert answer.status_code in (302, 307)
    assert answer.headers["location"] == "/docs"
