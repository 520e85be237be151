"""One way to run the app for real in a test: uvicorn in its own process, on a migrated database.

    data_dir, database_url = migrated_data_dir(tmp_path_factory, "live-server")
    with serve(data_dir, secret_key="...") as server:
        httpx.get(f"{server.url}/api/v1/me")

`serve` starts the process, waits until it answers HTTP, and stops it when the block ends (also
after a failure). `serve_in_thread` runs an app object inside the test process instead, for
the few tests that must see the process's own state (the live broker's subscriptions).
`free_port()` is the one way to pick a port for anything else (tests/postgres.py).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.migrate import migrate_to_head

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 60


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def migrated_data_dir(tmp_path_factory: pytest.TempPathFactory, name: str) -> tuple[Path, str]:
    """A new folder with a database migrated to head; returns the folder and the database URL."""
    data_dir = tmp_path_factory.mktemp(name)
    database_url = f"sqlite:///{data_dir / 'verbeterbord.db'}"
    migrate_to_head(database_url)
    return data_dir, database_url


@dataclass
class ServerProcess:
    """A running uvicorn process serving the app; its output goes to `log`."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        return self.process.pid

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def wait_until_up(self, seconds: float = START_SECONDS) -> None:
        """Return once the server answers HTTP; fail with its log when it stops or never does."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped (exit {self.process.returncode}):\n{self.log_tail()}"
                )
            try:
                # any answer will do (a 401 here); /openapi.json would first build the whole schema
                httpx.get(f"{self.url}/api/v1/me", timeout=1.0)
                return
            except httpx.TransportError:
                time.sleep(0.1)
        raise RuntimeError(f"the server did not answer within {seconds:.0f} s:\n{self.log_tail()}")

    def kill(self) -> None:
        """kill -9: no shutdown, no checkpoint, requests in flight."""
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def start(
    data_dir: Path,
    *,
    secret_key: str,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
) -> ServerProcess:
    """uvicorn serving the app on data_dir's (already migrated) database, not yet waited for.

    The process gets the test run's environment without any VERBETERBORD_ setting, then
    VERBETERBORD_DATA_DIR, VERBETERBORD_SECRET_KEY and `env` (e.g. VERBETERBORD_DATABASE_URL).
    Its output is appended to `log` (default data_dir/server.log), so a restart keeps the first
    run's lines."""
    log = log or data_dir / "server.log"
    variables = {k: v for k, v in os.environ.items() if not k.startswith("VERBETERBORD_")}
    variables |= {"VERBETERBORD_DATA_DIR": str(data_dir), "VERBETERBORD_SECRET_KEY": secret_key}
    # as in the test process (tests/conftest.py); a test that wants the rule passes it in env
    variables["VERBETERBORD_ADMIN_TWO_FACTOR_REQUIRED"] = "false"
    variables |= dict(env or {})
    # The port is bound here and the listening socket handed to the child: with parallel test
    # workers a port that is merely free now could be taken by another server before the child
    # binds it, and then the wrong server would answer.
    with socket.create_server(("127.0.0.1", 0)) as listener, log.open("ab") as log_file:
        port = int(listener.getsockname()[1])
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.support.server", str(listener.fileno())],
            cwd=REPO,
            env=variables,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            pass_fds=[listener.fileno()],
        )
    return ServerProcess(process=process, port=port, log=log)


@contextmanager
def serve(
    data_dir: Path,
    *,
    secret_key: str,
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    wait: bool = True,
) -> Iterator[ServerProcess]:
    """A server for the block: started, answering (unless wait=False: then call
    wait_until_up() yourself, e.g. after seeding the database meanwhile), stopped at the end."""
    server = start(data_dir, secret_key=secret_key, env=env, log=log)
    try:
        if wait:
            server.wait_until_up()
        yield server
    finally:
        server.stop()


@contextmanager
def serve_in_thread(app: Any) -> Iterator[str]:
    """uvicorn serving `app` in a thread of this process for the block; yields the base URL."""
    import uvicorn

    listener = socket.create_server(("127.0.0.1", 0))
    port = int(listener.getsockname()[1])
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=2)
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, kwargs={"sockets": [listener]}, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not running.started:
            assert thread.is_alive() and time.monotonic() < deadline, "server did not start"
            time.sleep(0.05)
        yield f"http://127.0.0.1:{port}"
    finally:
        running.should_exit = True
        thread.join(timeout=10)
        listener.close()


def _serve_on(fd: int) -> None:
    """In the child: uvicorn serving the app on the listening socket it inherited."""
    import uvicorn

    listener = socket.socket(fileno=fd)  # family and type read from the descriptor
    config = uvicorn.Config(
        "app.main:create_app",
        factory=True,
        log_level="warning",
        access_log=False,
        # an event stream left open would otherwise keep the server from stopping
        timeout_graceful_shutdown=2,
    )
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    _serve_on(int(sys.argv[1]))
