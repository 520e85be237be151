"""A real server process (uvicorn) on a migrated, seeded SQLite file, shared by these tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session

from app import clock
from app.config import Settings
from app.db import create_db_engine, writer
from app.migrate import migrate_to_head
from app.models import Role, UserCreate
from app.services import auth, org
from app.services.access import access_for
from tests.builders import World, build_world

REPO = Path(__file__).resolve().parents[2]
SECRET_KEY = "concurrency-test-secret-key"
EXTRA_MEMBERS = 7  # with the builder's member, representative and lead: 10 writers


@dataclass
class LiveServer:
    url: str
    database_url: str
    world: World
    log: Path
    writers: list[str]  # names in world.tokens of users who may write on world.team's board

    def client(self, who: str = "member", timeout: httpx.Timeout | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers=self.world.headers(who),
            timeout=timeout or httpx.Timeout(10.0),
        )

    def log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-40:])
        except OSError:
            return "(no server log)"


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _seed(database_url: str) -> tuple[World, list[str]]:
    """The builder's organisation on the server's clock, plus more members for `team`."""
    engine = create_db_engine(Settings(), url=database_url)
    try:
        world = build_world(engine, today=clock.today())
        writers = ["member", "representative", "lead"]
        with Session(writer(engine), expire_on_commit=False) as session:
            admin = access_for(session, world.users["admin"])
            for n in range(EXTRA_MEMBERS):
                name = f"extra{n}"
                user = org.create_user(
                    session=session,
                    actor=admin,
                    data=UserCreate(email=f"{name}@example.org", name=f"Extra {n}"),
                ).user
                assert world.team.id is not None and user.id is not None
                org.put_member(
                    session=session,
                    actor=admin,
                    team_id=world.team.id,
                    user_id=user.id,
                    role=Role.member,
                )
                world.users[name] = user
                world.tokens[name] = auth.create_token(
                    session=session, user=user, name="test", actor_id=None
                )
                writers.append(name)
        return world, writers
    finally:
        engine.dispose()


def _wait_until_up(process: subprocess.Popen[bytes], url: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"the server stopped (exit {process.returncode}):\n{log.read_text()}"
            )
        try:
            # any answer will do (a 401 here); /openapi.json would first build the whole schema
            httpx.get(f"{url}/api/v1/me", timeout=1.0)
            return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"the server did not answer within 60 s:\n{log.read_text()}")


def start_server(data_dir: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """uvicorn serving the app on data_dir's database (already migrated), output in log."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("VERBETERBORD_")}
    env |= {"VERBETERBORD_DATA_DIR": str(data_dir), "VERBETERBORD_SECRET_KEY": SECRET_KEY}
    with log.open("ab") as log_file:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "app.main:create_app",
                "--factory",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
                "--no-access-log",
                # an event stream left open would otherwise keep the server from stopping
                "--timeout-graceful-shutdown",
                "2",
            ],
            cwd=REPO,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_up(process, f"http://127.0.0.1:{port}", log)
    except BaseException:
        stop_server(process)
        raise
    return process


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def seeded_data_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, str]:
    """A new folder with a migrated database; returns the folder and the database's URL."""
    data_dir = tmp_path_factory.mktemp(name)
    database_url = f"sqlite:///{data_dir / 'verbeterbord.db'}"
    migrate_to_head(database_url)
    return data_dir, database_url


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir, database_url = seeded_data_dir(tmp_path_factory, "live-server")
    world, writers = _seed(database_url)
    port = _free_port()
    log = data_dir / "server.log"
    process = start_server(data_dir, port, log)
    try:
        url = f"http://127.0.0.1:{port}"
        yield LiveServer(url=url, database_url=database_url, world=world, log=log, writers=writers)
    finally:
        stop_server(process)
