"""HEAD answers like GET on every page and API route: the same status and headers, no body."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.support.builders import World
from tests.web.conftest import PageClient

# headers that differ between any two answers, HEAD or not
PER_ANSWER = {"date", "set-cookie", "content-length", "content-security-policy"}


def assert_head_like_get(
    client: TestClient, url: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    get = client.get(url, headers=headers, follow_redirects=False)
    head = client.head(url, headers=headers, follow_redirects=False)
    assert head.status_code == get.status_code, url
    assert head.content == b"", url
    same = {k: v for k, v in get.headers.items() if k not in PER_ANSWER}
    assert {k: v for k, v in head.headers.items() if k not in PER_ANSWER} == same, url
    return head


@pytest.mark.parametrize("url", ["/", "/login", "/static/favicon.svg", "/api/v1/me"])
def test_head_answers_like_get_without_logging_in(app_for_pages, world: World, url: str):
    with TestClient(app_for_pages) as client:
        assert_head_like_get(client, url)


def test_head_on_a_board_page_answers_like_get_for_someone_logged_in(login, world: World) -> None:
    client: PageClient = login("member")
    head = assert_head_like_get(client, f"/teams/{world.team.id}")
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/html")


def test_head_on_the_api_gives_the_length_of_the_get(app_for_pages, world: World) -> None:
    with TestClient(app_for_pages) as client:
        headers = world.headers("member")
        get = client.get("/api/v1/me", headers=headers)
        head = assert_head_like_get(client, "/api/v1/me", headers=headers)
    assert head.status_code == 200
    assert int(head.headers["content-length"]) == len(get.content) > 0


def test_head_on_an_event_stream_answers_with_its_headers_and_ends(login, world: World) -> None:
    client: PageClient = login("member")
    head = client.head(f"/teams/{world.team.id}/live")
    assert head.status_code == 200
    assert head.headers["content-type"].startswith("text/event-stream")
    assert head.content == b""


def test_head_on_a_route_without_get_is_still_refused(login) -> None:
    client: PageClient = login("member")
    assert client.get("/logout").status_code == 405
    assert client.head("/logout").status_code == 405
