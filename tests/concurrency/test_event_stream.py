"""/api/v1/events on a real server process: live within a second, filtered by team, and a client
that reconnects with Last-Event-ID gets what it missed."""

from __future__ import annotations

import contextlib
import json
import queue
import socket
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
import pytest

from tests.concurrency.conftest import LiveServer

pytestmark = pytest.mark.slow

WAIT = 5.0  # seconds a test waits for an event before it fails (not the latency it demands)


@dataclass
class Event:
    id: int
    data: dict[str, Any]
    received: float  # time.monotonic() when its blank line arrived


class EventStream:
    """Reads the stream in a thread, so a server that sends nothing can't hang the test."""

    def __init__(
        self,
        server: LiveServer,
        who: str,
        *,
        team_id: int | None = None,
        last_event_id: int | None = None,
    ) -> None:
        headers = {"Accept": "text/event-stream"}
        if last_event_id is not None:
            headers["Last-Event-ID"] = str(last_event_id)
        self._client = server.client(who, timeout=httpx.Timeout(5.0, read=30.0))
        self._params = {"team_id": team_id} if team_id is not None else {}
        self._headers = headers
        self._events: queue.Queue[Event | BaseException] = queue.Queue()
        self._subscribed = threading.Event()
        self._closing = False
        self._socket: socket.socket | None = None
        self.status_code: int | None = None
        self.content_type = ""
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> EventStream:
        self._thread.start()
        # the server subscribes, then sends "retry:" first: after that nothing is missed
        assert self._subscribed.wait(WAIT), "the stream did not start"
        assert self.status_code == 200, self.status_code
        return self

    def __exit__(self, *_: object) -> None:
        self._closing = True
        # closing the client doesn't wake a thread blocked in recv(); shutting the socket does
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
        self._client.close()

    def _read(self) -> None:
        try:
            with self._client.stream(
                "GET", "/api/v1/events", params=self._params, headers=self._headers
            ) as response:
                self._socket = response.extensions["network_stream"].get_extra_info("socket")
                self.status_code = response.status_code
                self.content_type = response.headers.get("content-type", "")
                fields: dict[str, str] = {}
                for line in response.iter_lines():
                    if line.startswith("retry:"):
                        self._subscribed.set()
                    elif line.startswith(":"):  # a comment: keep-alive
                        continue
                    elif line:
                        name, _, value = line.partition(":")
                        fields[name] = value.removeprefix(" ")
                    elif "data" in fields:
                        self._events.put(
                            Event(
                                id=int(fields["id"]),
                                data=json.loads(fields["data"]),
                                received=time.monotonic(),
                            )
                        )
                        fields = {}
        except BaseException as error:
            if not self._closing:
                self._events.put(error)
        finally:
            self._subscribed.set()

    def next(self, timeout: float = WAIT) -> Event:
        try:
            item = self._events.get(timeout=timeout)
        except queue.Empty:
            raise AssertionError(f"no event within {timeout} s") from None
        if isinstance(item, BaseException):
            raise AssertionError(f"the stream broke: {item!r}") from item
        return item

    def until(self, predicate: Any, timeout: float = WAIT) -> list[Event]:
        """The events received up to and including the first one the predicate accepts."""
        deadline = time.monotonic() + timeout
        seen: list[Event] = []
        while True:
            event = self.next(max(0.0, deadline - time.monotonic()))
            seen.append(event)
            if predicate(event):
                return seen

    def quiet(self, seconds: float) -> list[Event]:
        """Whatever arrives within seconds (usually nothing)."""
        seen = []
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            try:
                seen.append(self.next(left))
            except AssertionError as error:
                if "no event" in str(error):
                    break
                raise
        return seen


def create_action(server: LiveServer, who: str, team_id: int | None, title: str) -> dict[str, Any]:
    with server.client(who) as client:
        response = client.post("/api/v1/actions", json={"title": title, "team_id": team_id})
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


def is_created(action: dict[str, Any]) -> Any:
    return lambda event: (
        event.data
        == {
            "type": "action.created",
            "id": action["id"],
            "team_id": action["team_id"],
            "version": 1,
        }
    )


def test_the_stream_needs_a_login(live_server: LiveServer) -> None:
    response = httpx.get(f"{live_server.url}/api/v1/events", timeout=5.0)
    assert response.status_code == 401


def test_a_new_action_reaches_an_open_stream_within_a_second(live_server: LiveServer) -> None:
    world = live_server.world
    with EventStream(live_server, "outsider") as stream:  # reading is open to everyone
        assert stream.content_type.startswith("text/event-stream")
        action = create_action(live_server, "member", world.team.id, "Live op het bord")
        created_at = time.monotonic()
        events = stream.until(is_created(action))
    event = events[-1]
    assert event.id > 0
    assert event.received - created_at < 1.0, f"{event.received - created_at:.2f} s"


def test_a_stream_for_one_team_leaves_out_the_other_teams(live_server: LiveServer) -> None:
    world = live_server.world
    with EventStream(live_server, "member", team_id=world.other_team.id) as stream:
        elsewhere = create_action(live_server, "member", world.team.id, "Niet voor Werk")
        here = create_action(live_server, "outsider", world.other_team.id, "Voor Werk")
        events = stream.until(is_created(here))
        events += stream.quiet(0.3)
    assert {event.data["team_id"] for event in events} <= {world.other_team.id, None}
    assert elsewhere["id"] not in {
        e.data["id"] for e in events if e.data["type"] == "action.created"
    }


def test_reconnecting_with_last_event_id_replays_what_was_missed(live_server: LiveServer) -> None:
    world = live_server.world
    with EventStream(live_server, "member") as stream:
        first = create_action(live_server, "member", world.team.id, "Voor de onderbreking")
        last_seen = stream.until(is_created(first))[-1].id

    # while nobody listens: two new actions, and one of them is moved
    second = create_action(live_server, "member", world.team.id, "Gemist 1")
    third = create_action(live_server, "lead", world.team.id, "Gemist 2")
    with live_server.client("member") as client:
        moved = client.patch(
            f"/api/v1/actions/{second['id']}", json={"status": "doing", "version": 1}
        )
    assert moved.status_code == 200, moved.text

    with EventStream(live_server, "member", last_event_id=last_seen) as stream:
        replayed = stream.until(
            lambda event: (
                event.data["type"] == "action.updated" and event.data["id"] == second["id"]
            )
        )
        fourth = create_action(live_server, "member", world.team.id, "Weer live")
        live = stream.until(is_created(fourth))

    assert [(e.data["type"], e.data["id"], e.data["version"]) for e in replayed] == [
        ("action.created", second["id"], 1),
        ("action.created", third["id"], 1),
        ("action.updated", second["id"], 2),
    ]
    ids = [event.id for event in replayed + live]
    assert ids == sorted(set(ids)), "events out of order or sent twice"
    assert ids[0] > last_seen
    assert [e.data["id"] for e in live] == [fourth["id"]]
