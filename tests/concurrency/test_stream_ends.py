"""A live stream ends once its user is logged out, deactivated or its API token revoked, on a
real server: the board stream (/teams/{id}/live), Mijn acties (/mijn-acties/live) and the API
(/api/v1/events).

In the server's own process the logout's audit event reaches the stream through the broker and
it ends at once (here: within ENDS_WITHIN, while the periodic recheck is 15 s). A logout written
by another process (here: the test itself, straight into the database) is seen at the stream's
next recheck (stream_recheck_seconds, 1 s on the second server). On PostgreSQL the logout's
event travels to every process (LISTEN/NOTIFY, app.notify): a logout through one process ends
a stream on the other at once too."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from sqlmodel import Session

from app import clock
from app.config import Settings
from app.db import create_db_engine, writer
from app.events import Broker, ChangeEvent, Credential, event_stream
from app.migrate import migrate_to_head
from app.models import UserSession, utcnow
from app.services import auth, sessions
from tests.support.builders import World, build_world
from tests.support.clients import log_in
from tests.support.server import ServerProcess, migrated_data_dir, serve

pytestmark = pytest.mark.slow

SECRET_KEY = "stream-ends-test-secret-key"
ENDS_WITHIN = 3.0  # seconds: far below the 15 s recheck, so only the broker's signal can do it
START = 5.0


@dataclass
class Served:
    server: ServerProcess
    world: World
    database_url: str

    @property
    def url(self) -> str:
        return self.server.url


# --- the stream itself (no server) -------------------------------------------------------------


def ended(change_type: str, entity_id: int) -> ChangeEvent:
    return ChangeEvent(id=9, type=change_type, entity_id=entity_id, team_id=None, version=2)


def test_a_credential_is_touched_by_the_end_of_its_own_session_token_or_user_only():
    browser_session = Credential(user_id=7, session_id=3)
    token = Credential(user_id=7, token_id=4)
    assert browser_session.touched_by(ended("user_session.updated", 3))
    assert not browser_session.touched_by(ended("user_session.updated", 4))
    assert not browser_session.touched_by(ended("api_token.updated", 3))
    assert token.touched_by(ended("api_token.updated", 4))
    assert not token.touched_by(ended("user_session.updated", 4))
    assert token.touched_by(ended("user.updated", 7)) and browser_session.touched_by(
        ended("user.updated", 7)
    )
    assert not token.touched_by(ended("user.updated", 8))
    assert not token.touched_by(ended("action.updated", 4))


def test_the_heartbeat_keeps_its_rhythm_between_rechecks_and_a_failed_recheck_ends_the_stream():
    checks: list[float] = []

    def still_valid() -> bool:
        checks.append(time.monotonic())
        return len(checks) < 6  # the sixth check finds the user logged out

    async def scenario() -> list[str]:
        stream = event_stream(
            lambda: asyncio.sleep(0, result=False),
            lambda change: [],
            source=Broker(),
            keepalive=0.1,
            still_valid=still_valid,
            recheck=0.03,
        )
        return [message async for message in stream]

    started = time.monotonic()
    messages = asyncio.run(asyncio.wait_for(scenario(), 5))
    took = time.monotonic() - started
    assert messages[0] == "retry: 1000\n\n"
    assert set(messages[1:]) == {": keep-alive\n\n"}
    # six rechecks of 0.03 s: about 0.18 s, one keep-alive per 0.1 s meanwhile, not one per check
    keepalives = len(messages) - 1
    assert 1 <= keepalives <= took / 0.1 + 1, (keepalives, took)
    assert keepalives < len(checks) == 6 and took < 1.0


def test_a_change_that_touches_the_credential_is_checked_at_once_others_are_not():
    checks: list[int] = []
    own = Broker()
    credential = Credential(user_id=7, session_id=3)

    async def scenario() -> list[str]:
        stream = event_stream(
            lambda: asyncio.sleep(0, result=False),
            lambda change: [f"data: {change.type}\n\n"],
            source=own,
            keepalive=60,
            credential=credential,
            still_valid=lambda: (checks.append(1), False)[1],
            recheck=60,  # never, in this test: only the change can end it
        )
        received = [await anext(stream)]
        own.publish(ended("user_session.updated", 4))  # someone else's session
        received.append(await asyncio.wait_for(anext(stream), 1))
        assert checks == []
        own.publish(ended("user_session.updated", 3))  # this one
        received += [message async for message in stream]
        return received

    messages = asyncio.run(asyncio.wait_for(scenario(), 5))
    assert messages == ["retry: 1000\n\n", "data: user_session.updated\n\n"]
    assert checks == [1]


def test_the_recheck_follows_the_rules_of_a_request(world: World) -> None:
    member, lead = world.users["member"], world.users["lead"]
    assert member.id is not None and lead.id is not None
    with Session(world.engine, expire_on_commit=False) as session:
        record = sessions.start_session(session=session, user=member).record
        token_id = sessions.token_id_for(session, world.tokens["member"])
    assert record.id is not None and token_id is not None

    def check(credential: Credential, **settings: int) -> bool:
        return sessions.stream_guard(world.engine, Settings(**settings), credential)()

    own = Credential(user_id=member.id, session_id=record.id)
    assert check(own) and check(Credential(user_id=member.id, token_id=token_id))
    assert not check(Credential(user_id=lead.id, session_id=record.id))  # not theirs
    assert not check(Credential(user_id=member.id, token_id=token_id + 100))  # unknown
    with Session(writer(world.engine)) as session:
        stored = session.get(UserSession, record.id)
        assert stored is not None
        stored.last_seen_at = utcnow() - timedelta(hours=2)
        session.commit()
    assert check(own)  # idle for 2 hours of the 8 allowed
    assert not check(own, session_idle_minutes=60)  # expired while the stream was open


# --- on a real server ---------------------------------------------------------------------------


def _served(
    tmp_path_factory: pytest.TempPathFactory, name: str, env: dict[str, str]
) -> Iterator[Served]:
    data_dir, database_url = migrated_data_dir(tmp_path_factory, name)
    engine = create_db_engine(Settings(), url=database_url)
    try:
        world = build_world(engine, today=clock.today())
    finally:
        engine.dispose()
    with serve(data_dir, secret_key=SECRET_KEY, env=env) as server:
        yield Served(server=server, world=world, database_url=database_url)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _served(tmp_path_factory, "stream-ends", {})


@pytest.fixture(scope="module")
def quick_recheck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    yield from _served(
        tmp_path_factory, "stream-ends-recheck", {"VERBETERBORD_STREAM_RECHECK_SECONDS": "1"}
    )


class OpenStream:
    """One open stream read in a thread; `ended` is set when the server closes it."""

    def __init__(self, client: httpx.Client, path: str) -> None:
        self.client = client
        self.path = path
        self.started = threading.Event()
        self.ended = threading.Event()
        self.ended_at = 0.0
        self.error: BaseException | None = None
        self.events: list[str] = []
        self._closing = False
        self._socket: socket.socket | None = None
        self._thread = threading.Thread(target=self._read, daemon=True)

    def __enter__(self) -> OpenStream:
        self._thread.start()
        assert self.started.wait(START), f"{self.path} did not start"
        assert self.error is None, self.error
        return self

    def __exit__(self, *_: object) -> None:
        self._closing = True
        if self._socket is not None:
            with contextlib.suppress(OSError):
                self._socket.shutdown(socket.SHUT_RDWR)
        self._thread.join(timeout=5)
        self.client.close()

    def _read(self) -> None:
        try:
            with self.client.stream("GET", self.path, headers={"Accept": "text/event-stream"}) as r:
                self._socket = r.extensions["network_stream"].get_extra_info("socket")
                assert r.status_code == 200, f"{self.path}: {r.status_code}"
                for line in r.iter_lines():
                    if line.startswith("retry:"):
                        self.started.set()
                    elif line.startswith(("event:", "data:")):
                        self.events.append(line)
            self.ended_at = time.monotonic()
            self.ended.set()
        except BaseException as error:
            if not self._closing:
                self.error = error
        finally:
            self.started.set()

    def ends_within(self, seconds: float, since: float) -> float:
        assert self.ended.wait(seconds), f"{self.path} still open after {seconds} s"
        assert self.error is None, self.error
        return self.ended_at - since

    def still_open(self) -> bool:
        return not self.ended.is_set() and self.error is None


def browser(served: Served, who: str) -> tuple[httpx.Client, str]:
    """A logged-in browser (cookie) and its CSRF token."""
    client = httpx.Client(base_url=served.url, timeout=httpx.Timeout(5.0, read=60.0))
    token = log_in(client, served.world.users[who].email)
    return client, token


def same_browser(client: httpx.Client) -> httpx.Client:
    """Another connection with the same session cookie (a second tab of that browser)."""
    return httpx.Client(
        base_url=str(client.base_url),
        cookies=client.cookies,
        timeout=httpx.Timeout(5.0, read=60.0),
    )


def api(served: Served, token: str) -> httpx.Client:
    return httpx.Client(
        base_url=served.url,
        headers={"Authorization": f"Bearer {token}"},
        timeout=httpx.Timeout(5.0, read=60.0),
    )


def test_logging_out_ends_the_users_streams_and_no_one_elses(served: Served) -> None:
    world = served.world
    board = f"/teams/{world.team.id}/live?sprint_id={world.sprint.id}"
    member, _ = browser(served, "member")
    elsewhere, token = browser(served, "member")  # the same person in another browser
    lead, _ = browser(served, "lead")
    with (
        OpenStream(same_browser(member), board) as on_board,
        OpenStream(same_browser(member), "/mijn-acties/live") as mine,
        OpenStream(api(served, world.tokens["member"]), "/api/v1/events") as api_stream,
        OpenStream(same_browser(lead), board) as lead_board,
    ):
        at = time.monotonic()  # from sending the logout, its request included
        out = elsewhere.post("/logout", data={"csrf_token": token}, follow_redirects=False)
        assert out.status_code == 303
        took = [stream.ends_within(ENDS_WITHIN, at) for stream in (on_board, mine, api_stream)]
        print(
            f"\nstreams ended after the logout in {', '.join(f'{t * 1000:.0f} ms' for t in took)}"
        )
        assert max(took) < ENDS_WITHIN, took
        time.sleep(0.5)
        assert lead_board.still_open(), "another user's stream ended too"
    # and the browser that was logged out cannot open it again
    again = same_browser(member).get(board, follow_redirects=False)
    assert again.status_code == 303 and again.headers["location"].startswith("/login")
    for client in (member, elsewhere, lead):
        client.close()


def test_deactivating_a_user_ends_their_streams(served: Served) -> None:
    world = served.world
    who = world.users["representative"]
    rep, _ = browser(served, "representative")
    admin, admin_token = browser(served, "admin")
    with (
        OpenStream(same_browser(rep), f"/teams/{world.team.id}/live") as on_board,
        OpenStream(api(served, world.tokens["representative"]), "/api/v1/events") as api_stream,
    ):
        at = time.monotonic()
        done = admin.post(
            f"/beheer/medewerkers/{who.id}/deactiveren",
            data={"csrf_token": admin_token},
            follow_redirects=False,
        )
        assert done.status_code in (200, 303), done.status_code
        assert on_board.ends_within(ENDS_WITHIN, at) < ENDS_WITHIN
        assert api_stream.ends_within(ENDS_WITHIN, at) < ENDS_WITHIN
    rep.close()
    admin.close()


def test_revoking_an_api_key_ends_only_the_stream_opened_with_it(served: Served) -> None:
    world = served.world
    lead = world.users["lead"]
    with Session(writer(world.engine)) as session:
        spare = auth.create_token(session=session, user=lead, name="reserve", actor_id=None)
        revoked_id = sessions.token_id_for(session, world.tokens["lead"])
    assert revoked_id is not None
    browser_client, token = browser(served, "lead")
    with (
        OpenStream(api(served, world.tokens["lead"]), "/api/v1/events") as revoked,
        OpenStream(api(served, spare), "/api/v1/events") as kept,
    ):
        at = time.monotonic()
        done = browser_client.post(
            f"/profiel/api-sleutels/{revoked_id}/intrekken",
            data={"csrf_token": token},
            follow_redirects=False,
        )
        assert done.status_code in (200, 303), done.status_code
        assert revoked.ends_within(ENDS_WITHIN, at) < ENDS_WITHIN
        time.sleep(0.5)
        assert kept.still_open(), "the stream of the other API key ended too"
    browser_client.close()


def test_a_logout_written_by_another_process_ends_the_stream_at_the_next_recheck(
    quick_recheck: Served,
) -> None:
    world = quick_recheck.world
    outsider = world.users["outsider"]
    assert outsider.id is not None
    client, _ = browser(quick_recheck, "outsider")
    with (
        OpenStream(same_browser(client), f"/teams/{world.team.id}/live") as on_board,
        OpenStream(api(quick_recheck, world.tokens["outsider"]), "/api/v1/events") as api_stream,
    ):
        time.sleep(1.5)  # a few rechecks pass while the user is still signed in
        assert on_board.still_open() and api_stream.still_open()
        # the server process hears nothing of this: only its recheck can find it
        engine = create_db_engine(Settings(), url=quick_recheck.database_url)
        try:
            with Session(writer(engine)) as session:
                sessions.end_all_for_user(session, outsider.id)
                session.commit()
        finally:
            engine.dispose()
        at = time.monotonic()
        bound = 1.0 + 1.5  # the recheck interval and some slack
        took = [on_board.ends_within(bound, at), api_stream.ends_within(bound, at)]
        print(f"\nstreams ended at the recheck in {', '.join(f'{t * 1000:.0f} ms' for t in took)}")
        assert max(took) < bound, took
    client.close()


@pytest.mark.postgres
def test_on_postgresql_a_logout_through_one_process_ends_the_stream_on_the_other(
    postgres_module_url: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    migrate_to_head(postgres_module_url)
    engine = create_db_engine(Settings(), url=postgres_module_url)
    try:
        world = build_world(engine, today=clock.today())
    finally:
        engine.dispose()
    env = {"VERBETERBORD_DATABASE_URL": postgres_module_url}  # the recheck stays at 15 s
    with (
        serve(tmp_path_factory.mktemp("pg-a"), secret_key=SECRET_KEY, env=env) as a,
        serve(tmp_path_factory.mktemp("pg-b"), secret_key=SECRET_KEY, env=env) as b,
    ):
        on_a = Served(server=a, world=world, database_url=postgres_module_url)
        on_b = Served(server=b, world=world, database_url=postgres_module_url)
        viewer, _ = browser(on_b, "member")
        elsewhere, token = browser(on_a, "member")
        with (
            OpenStream(same_browser(viewer), f"/teams/{world.team.id}/live") as board,
            OpenStream(api(on_b, world.tokens["member"]), "/api/v1/events") as api_stream,
        ):
            at = time.monotonic()
            out = elsewhere.post("/logout", data={"csrf_token": token}, follow_redirects=False)
            assert out.status_code == 303
            took = [board.ends_within(ENDS_WITHIN, at), api_stream.ends_within(ENDS_WITHIN, at)]
            print(f"\nstreams on the other process ended in {[f'{t * 1000:.0f} ms' for t in took]}")
            assert max(took) < ENDS_WITHIN, took
        viewer.close()
        elsewhere.close()


def test_other_peoples_logins_and_keys_are_not_on_the_api_stream(served: Served) -> None:
    world = served.world
    with OpenStream(api(served, world.tokens["outsider"]), "/api/v1/events") as stream:
        lead, token = browser(served, "lead")  # a login: a user_session is created …
        assert lead.post("/logout", data={"csrf_token": token}).status_code in (200, 303)
        with Session(writer(world.engine)) as session:  # … and an API key made
            key = auth.create_token(
                session=session, user=world.users["member"], name="koppeling", actor_id=None
            )
        with api(served, key) as member:  # (other tests here end member's login and lead's key)
            made = member.post(
                "/api/v1/actions", json={"title": "Wel live", "team_id": world.team.id}
            )
        assert made.status_code == 201, made.text
        deadline = time.monotonic() + ENDS_WITHIN
        while time.monotonic() < deadline and not any(
            '"action.created"' in e for e in stream.events
        ):
            time.sleep(0.05)
        lead.close()
    data = [event for event in stream.events if event.startswith("data:")]
    assert any('"action.created"' in event for event in data), data
    assert not [e for e in data if "user_session" in e or "api_token" in e], data
