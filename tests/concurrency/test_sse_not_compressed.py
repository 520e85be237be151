"""The live streams stay live with compression on: a browser that accepts gzip still gets every
event stream uncompressed, and an event arrives within a second of the change (a compressor
would hold the bytes back until its buffer fills). On a real uvicorn process."""

from __future__ import annotations

import contextlib
import queue
import socket
import threading
import time

import httpx
import pytest

from tests.concurrency.conftest import LiveServer
from tests.support.clients import log_in

pytestmark = pytest.mark.slow

WAIT = 5.0


class RawStream:
    """The undecoded bytes of one event stream, read in a thread, with the time they came."""

    def __init__(self, client: httpx.Client, url: str) -> None:
        self._client = client
        self._url = url
        self.chunks: queue.Queue[tuple[float, bytes] | BaseException] = queue.Queue()
        self.headers: httpx.Headers | None = None
        self.status_code: int | None = None
        self._started = threading.Event()
        self._closing = False
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> RawStream:
        self._thread.start()
        assert self._started.wait(WAIT), "the stream did not start"
        return self

    def __exit__(self, *_: object) -> None:
        self._closing = True
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)

    def _read(self) -> None:
        headers = {"Accept": "text/event-stream", "Accept-Encoding": "gzip"}
        try:
            with self._client.stream("GET", self._url, headers=headers) as response:
                self._socket = response.extensions["network_stream"].get_extra_info("socket")
                self.status_code = response.status_code
                self.headers = response.headers
                self._started.set()
                for chunk in response.iter_raw():  # as sent: not decompressed by httpx
                    self.chunks.put((time.monotonic(), chunk))
        except BaseException as error:
            if not self._closing:
                self.chunks.put(error)
        finally:
            self._started.set()

    def until(self, text: bytes, timeout: float = WAIT) -> float:
        """When the bytes seen so far first contained `text` (plain, as it would be unzipped)."""
        seen = b""
        deadline = time.monotonic() + timeout
        while True:
            try:
                item = self.chunks.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no {text!r} within {timeout} s; got {seen!r}") from None
            if isinstance(item, BaseException):
                raise AssertionError(f"the stream broke: {item!r}") from item
            received, chunk = item
            seen += chunk
            if text in seen:
                return received


def _assert_uncompressed_event_stream(stream: RawStream) -> None:
    assert stream.status_code == 200, stream.status_code
    assert stream.headers is not None
    assert stream.headers["content-type"].startswith("text/event-stream")
    assert "content-encoding" not in stream.headers, stream.headers


def _create_action(server: LiveServer, title: str) -> float:
    world = server.world
    assert world.team.id is not None
    with server.client("member") as client:
        response = client.post(
            "/api/v1/actions",
            json={"title": title, "team_id": world.team.id, "owner_id": world.users["member"].id},
        )
    assert response.status_code == 201, response.text
    return time.monotonic()


def test_the_event_api_is_not_compressed_and_delivers_within_a_second(
    live_server: LiveServer,
) -> None:
    with (
        live_server.client("member", timeout=httpx.Timeout(5.0, read=30.0)) as client,
        RawStream(client, "/api/v1/events") as stream,
    ):
        _assert_uncompressed_event_stream(stream)
        stream.until(b"retry:")  # subscribed
        created = _create_action(live_server, "Gzip houdt dit niet tegen")
        received = stream.until(b"action.created")
    assert received - created < 1.0, f"{received - created:.2f} s"


@pytest.mark.parametrize("page", ["board", "my_actions"])
def test_the_live_pages_are_not_compressed_and_deliver_within_a_second(
    live_server: LiveServer, page: str
) -> None:
    world = live_server.world
    url = f"/teams/{world.team.id}/live" if page == "board" else "/mijn-acties/live"
    with httpx.Client(base_url=live_server.url, timeout=httpx.Timeout(5.0, read=30.0)) as client:
        log_in(client, world.users["member"].email)
        with RawStream(client, url) as stream:
            _assert_uncompressed_event_stream(stream)
            stream.until(b"retry:")
            created = _create_action(live_server, f"Live op {page}, ook met gzip")
            received = stream.until(b"data:")
    assert received - created < 1.0, f"{received - created:.2f} s"


def test_a_page_of_the_same_server_is_compressed(live_server: LiveServer) -> None:
    """The other half: the server does compress, so the streams above were left out on purpose."""
    with httpx.Client(base_url=live_server.url, timeout=10.0) as client:
        log_in(client, live_server.world.users["member"].email)
        page = client.get(
            f"/teams/{live_server.world.team.id}", headers={"Accept-Encoding": "gzip"}
        )
    assert page.status_code == 200
    assert page.headers["content-encoding"] == "gzip"
