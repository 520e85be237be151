"""The installable app's server side: the service worker at /sw.js (root scope, never cached
stale, allowed by the CSP), the manifest and its icons, and the link every page carries."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

from fastapi.testclient import TestClient
from PIL import Image

from app.web.security import CONTENT_SECURITY_POLICY
from app.web.static_files import STATIC_DIR, static_url
from tests.web.conftest import PageClient

THEME = (Path(__file__).resolve().parents[2] / "static" / "css" / "theme.css").read_text()


def test_the_service_worker_is_served_from_the_root_without_login(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        answer = client.get("/sw.js")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/javascript")
    assert answer.headers["service-worker-allowed"] == "/"
    assert answer.headers["cache-control"] == "no-cache"
    # the worker runs under the app's own policy: its fetches go to this server only
    assert answer.headers["content-security-policy"] == CONTENT_SECURITY_POLICY
    assert answer.content == (STATIC_DIR / "sw.js").read_bytes()
    # it keeps Mijn acties and the boards, never the API or the live streams
    assert "mijn-acties" in answer.text and "/api/" not in answer.text


def test_the_manifest_names_the_app_in_dutch_and_opens_mijn_acties(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        answer = client.get(static_url("manifest.webmanifest"))
        manifest = json.loads(answer.content)
        assert answer.headers["content-type"].startswith("application/manifest+json")
        for icon in manifest["icons"]:
            assert client.get(icon["src"]).status_code == 200, icon["src"]
    assert manifest["name"] == manifest["short_name"] == "Verbeterbord"
    assert manifest["start_url"] == "/mijn-acties"
    assert manifest["display"] == "standalone"
    assert manifest["lang"] == "nl"
    # the colours are the design tokens' (static/css/theme.css)
    assert f"--verbeterbord-accent-dark: {manifest['theme_color']};" in THEME
    assert f"--verbeterbord-muted-surface: {manifest['background_color']};" in THEME
    sizes = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_the_icons_have_the_sizes_the_manifest_says() -> None:
    manifest = json.loads((STATIC_DIR / "manifest.webmanifest").read_text())
    for icon in manifest["icons"]:
        if icon["type"] == "image/png":
            with Image.open(STATIC_DIR / icon["src"].removeprefix("/static/")) as image:
                assert f"{image.width}x{image.height}" == icon["sizes"]


def test_every_page_links_the_manifest_and_the_offline_script(login) -> None:
    member: PageClient = login("member")
    page = member.get("/mijn-acties")
    assert page.status_code == 200
    assert f'<link rel="manifest" href="{static_url("manifest.webmanifest")}">' in page.text
    assert '<meta name="theme-color" content="#0b3c66">' in page.text
    script = re.search(r'<script src="/static/js/offline\.js[^"]*"[^>]*>', page.text, re.S)
    assert script is not None
    # who the kept pages belong to, and the texts in the person's language
    assert re.search(r'data-gebruiker="\d+"', script.group(0))
    texts = json.loads(unescape(re.search(r"data-teksten='([^']*)'", script.group(0)).group(1)))
    assert texts["offline"] == "Je bent offline. Laatst bijgewerkt om %(tijd)s."
    assert texts["in_wachtrij"] == "Wordt verstuurd zodra je weer online bent."


def test_a_page_without_login_names_no_user(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        page = client.get("/login")
    assert 'data-gebruiker=""' in page.text
