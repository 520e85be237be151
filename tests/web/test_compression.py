"""Pages, JSON, stylesheets and scripts go gzipped to a browser that accepts it; event streams,
fonts and the PDF and XLSX downloads never (a stream would wait for the compressor, the others
are compressed already); small answers stay as they are."""

from __future__ import annotations

import gzip
from typing import Any

import pytest
from fastapi.responses import StreamingResponse
from fastapi.testclient import TestClient

from app.main import create_app
from tests.security.test_route_permissions import STREAMS
from tests.support.builders import World
from tests.web.conftest import PageClient
from tests.web.test_ambitions_pages import make_ambition

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}


def test_a_board_page_is_gzipped_for_a_browser_that_accepts_it(login, world: World) -> None:
    client: PageClient = login("member")
    url = f"/teams/{world.team.id}"
    zipped = client.get(url, headers=GZIP)
    plain = client.get(url, headers=IDENTITY)
    assert zipped.status_code == plain.status_code == 200
    assert zipped.headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain.headers
    # caches keep the two apart, and HTMX's partial apart from the page
    vary = {v.strip().lower() for v in zipped.headers["vary"].split(",")}
    assert {"accept-encoding", "hx-request"} <= vary
    assert int(zipped.headers["content-length"]) < len(plain.content) / 3
    assert zipped.text == plain.text  # httpx unzipped it: the same page
    assert "no-store" not in zipped.headers.get("cache-control", "")  # as before: no change


def test_the_wire_bytes_are_gzip(app_for_pages) -> None:
    with (
        TestClient(app_for_pages) as client,
        client.stream("GET", "/openapi.json", headers=GZIP) as response,
    ):
        raw = b"".join(response.iter_raw())
    assert response.headers["content-encoding"] == "gzip"
    assert gzip.decompress(raw).startswith(b'{"openapi"')


@pytest.mark.parametrize(
    ("path", "media"),
    [
        ("/static/vendor/utrecht.css", "text/css"),
        ("/static/vendor/htmx.min.js", "javascript"),
        ("/openapi.json", "application/json"),
        ("/login", "text/html"),
    ],
)
def test_text_answers_are_gzipped(app_for_pages, path: str, media: str) -> None:
    with TestClient(app_for_pages) as client:
        response = client.get(path, headers=GZIP)
    assert response.status_code == 200
    assert media in response.headers["content-type"]
    assert response.headers["content-encoding"] == "gzip"


def test_small_answers_and_fonts_are_sent_as_they_are(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        small = client.get("/static/favicon.svg", headers=GZIP)  # 207 bytes
        font = client.get(
            "/static/vendor/noto-sans/files/noto-sans-latin-wght-normal.woff2", headers=GZIP
        )
        refused = client.get("/api/v1/me", headers=GZIP)
    assert small.status_code == font.status_code == 200
    assert refused.status_code == 401
    for response in (small, font, refused):
        assert "content-encoding" not in response.headers, response.url


def test_pdf_and_xlsx_downloads_are_not_gzipped(login, world: World) -> None:
    client: PageClient = login("member")
    base = f"/api/v1/teams/{world.team.id}/sprints/{world.sprint.id}/report"
    for kind, media in (
        ("pdf", "application/pdf"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ):
        response = client.get(f"{base}.{kind}", headers=GZIP)
        assert response.status_code == 200, (kind, response.text[:200])
        assert response.headers["content-type"].startswith(media)
        assert "content-encoding" not in response.headers, kind
    csv = client.get(f"{base}.csv", headers=GZIP)
    assert csv.status_code == 200


def _stream_paths(app: Any) -> set[str]:
    """Paths of the routes that answer with a StreamingResponse."""
    found = set()
    for route in app.routes:
        for context in getattr(route, "effective_route_contexts", list)():
            if getattr(context.original_route, "response_class", None) is StreamingResponse:
                found.add(context.path)
    return found


def test_every_event_stream_is_known_to_the_permission_table(settings, sqlite_engine) -> None:
    app = create_app(settings, engine=sqlite_engine)
    found = _stream_paths(app)
    assert found and found <= {path for _, path in STREAMS}, found


@pytest.mark.parametrize("path", sorted(path for _, path in STREAMS))
def test_no_event_stream_is_gzipped(login, world: World, path: str) -> None:
    """HEAD runs the stream's GET through the same middleware and ends after its headers."""
    client: PageClient = login("member")
    url = path.replace("{team_id}", str(world.team.id))
    if "{ambition_id}" in url:
        url = url.replace("{ambition_id}", str(make_ambition(world).id))
    assert "{" not in url, f"fill in the path parameters of {path} here"
    response = client.head(url, headers={**GZIP, **world.headers("member")})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert "content-encoding" not in response.headers
