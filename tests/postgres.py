"""A throwaway PostgreSQL server for the test session.

Usage (in ``tests/conftest.py``)::

    pytest_plugins = ["tests.postgres"]

That registers the fixtures below and the ``postgres`` marker's behaviour. (It needs
``tests`` to be importable: a ``tests/__init__.py``, or ``pythonpath = ["."]`` in
``[tool.pytest.ini_options]``.)

Fixtures:

``postgres_server`` (session)
    Starts one PostgreSQL server for the whole session (under pytest-xdist: one per
    worker, each with its own data directory), on 127.0.0.1 and a free port,
    with trust authentication, and yields its base SQLAlchemy URL,
    ``postgresql+psycopg://postgres@127.0.0.1:PORT/``. The server is stopped and its
    data directory removed at the end of the session, also after failures.
``postgres_url`` (function)
    A fresh, empty database for one test; yields its URL and drops it afterwards.
``postgres_module_url`` (module)
    The same, shared by the tests of one module.

Helpers, for databases with other lifetimes:

``create_database(server_url, name=None) -> str``
    Creates database ``name`` (a unique ``test_...`` name when None) and returns its
    SQLAlchemy URL. Raises when it exists already.
``drop_database(server_url, name) -> None``
    Drops it (``IF EXISTS``, ``WITH (FORCE)``: open connections are terminated).

Marker: a test marked ``@pytest.mark.postgres`` gets the server started even when it
uses none of these fixtures, and any test that uses them is given the marker, so
``pytest -m "not postgres"`` leaves out everything that needs PostgreSQL.

Where the server binaries are not found (``/usr/lib/postgresql/*/bin``, the newest
version; else ``pg_config --bindir``; else ``PATH``) the tests that need them are
skipped, or fail when the environment variable ``CI`` is ``true``.

Set ``PYTEST_POSTGRES_URL`` (a SQLAlchemy URL of a server whose user may create
databases) to use an existing server instead of starting one.

As root, ``initdb`` and ``postgres`` refuse to run, so they are run as the ``postgres``
OS user through ``runuser``; otherwise as the current user.
"""

from __future__ import annotations

import atexit
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from psycopg import sql
from sqlalchemy.engine import make_url

from tests.support.server import free_port

__all__ = [
    "create_database",
    "drop_database",
    "postgres_module_url",
    "postgres_server",
    "postgres_url",
]

ENV_URL = "PYTEST_POSTGRES_URL"
SEARCHED = "/usr/lib/postgresql/*/bin, `pg_config --bindir` and PATH"
RUN_AS = "postgres"  # OS user that runs the server when we are root


# --- finding the binaries ------------------------------------------------------------


def _version_key(path: str) -> tuple[int, ...]:
    version = Path(path).parent.name  # /usr/lib/postgresql/<version>/bin
    return tuple(int(part) for part in version.split(".") if part.isdigit())


def find_bindir() -> Path | None:
    """The directory holding ``initdb`` and ``pg_ctl``, or None."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version_key, reverse=True)
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            out = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=10
            )
            candidates.append(out.stdout.strip())
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl:
        candidates.append(str(Path(pg_ctl).parent))
    for candidate in candidates:
        bindir = Path(candidate)
        if (bindir / "initdb").is_file() and (bindir / "pg_ctl").is_file():
            return bindir
    return None


def _unavailable(message: str) -> None:
    """Skip, or fail on CI: there a skipped PostgreSQL test would hide a broken set-up."""
    if os.environ.get("CI") == "true":
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


# --- the server ----------------------------------------------------------------------


@dataclass
class _Server:
    bindir: Path
    basedir: Path
    port: int = 0
    as_root: bool = field(default_factory=lambda: os.geteuid() == 0)
    running: bool = False

    @property
    def datadir(self) -> Path:
        return self.basedir / "data"

    @property
    def logfile(self) -> Path:
        return self.basedir / "server.log"

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        command = list(args)
        if self.as_root:
            command = ["runuser", "-u", RUN_AS, "--", *command]
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.basedir,
            check=False,
            stdin=subprocess.DEVNULL,
        )

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.logfile.read_text(errors="replace").splitlines()[-30:])
        except OSError:
            return "(no server log)"

    def initdb(self) -> None:
        if self.as_root:
            shutil.chown(self.basedir, user=RUN_AS, group=None)
        base = [str(self.bindir / "initdb"), "-D", str(self.datadir), "-U", "postgres"]
        base += ["--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions"]
        # C.UTF-8 so that lower()/upper() know non-ASCII letters; plain C where it's absent.
        result = self._run(*base, "--locale=C.UTF-8")
        if result.returncode != 0:
            shutil.rmtree(self.datadir, ignore_errors=True)
            result = self._run(*base, "--no-locale")
        if result.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{result.stdout}\n{result.stderr}")

    def start(self) -> None:
        options = " ".join(
            [
                "-p {port}",
                f"-k {self.basedir}",
                "-c listen_addresses=127.0.0.1",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        last = ""
        for _attempt in range(3):  # the free port may be taken before the server binds it
            self.port = free_port()
            result = self._run(
                str(self.bindir / "pg_ctl"),
                "-D",
                str(self.datadir),
                "-l",
                str(self.logfile),
                "-o",
                options.format(port=self.port),
                "-w",
                "-t",
                "60",
                "start",
            )
            if result.returncode == 0:
                self.running = True
                return
            last = f"{result.stdout}\n{result.stderr}\n{self._log_tail()}"
            self.stop()
        raise RuntimeError(f"PostgreSQL did not start:\n{last}")

    def stop(self) -> None:
        if (self.datadir / "postmaster.pid").exists():
            pg_ctl = str(self.bindir / "pg_ctl")
            self._run(pg_ctl, "-D", str(self.datadir), "-m", "immediate", "-w", "stop")
        self.running = False

    def destroy(self) -> None:
        with contextlib.suppress(Exception):
            self.stop()
        shutil.rmtree(self.basedir, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True


def _start_server() -> _Server:
    bindir = find_bindir()
    if bindir is None:
        _unavailable(
            f"PostgreSQL binaries not found in {SEARCHED}: install postgresql to run these tests"
        )
        raise AssertionError("unreachable")  # pragma: no cover
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            _unavailable("running as root, starting PostgreSQL needs runuser (util-linux)")
        if not _user_exists(RUN_AS):
            _unavailable(f"running as root, starting PostgreSQL needs the OS user {RUN_AS!r}")
    server = _Server(bindir=bindir, basedir=Path(tempfile.mkdtemp(prefix="verbeterbord-pg-")))
    atexit.register(server.destroy)  # in case the session dies before its teardown
    try:
        server.initdb()
        server.start()
    except BaseException:
        server.destroy()
        raise
    return server


# --- databases -----------------------------------------------------------------------


def _admin_conninfo(server_url: str) -> str:
    """libpq URI of the maintenance database ``postgres`` on the server of ``server_url``."""
    url = make_url(server_url).set(drivername="postgresql", database="postgres")
    return url.render_as_string(hide_password=False)


def create_database(server_url: str, name: str | None = None) -> str:
    """Create an empty database on the server and return its SQLAlchemy URL."""
    name = name or f"test_{uuid.uuid4().hex[:16]}"
    with psycopg.connect(_admin_conninfo(server_url), autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return make_url(server_url).set(database=name).render_as_string(hide_password=False)


def drop_database(server_url: str, name: str) -> None:
    """Drop the database, closing whatever connections to it are still open."""
    with psycopg.connect(_admin_conninfo(server_url), autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


# --- fixtures and marker -------------------------------------------------------------

POSTGRES_FIXTURES = frozenset({"postgres_server", "postgres_url", "postgres_module_url"})


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """Base SQLAlchemy URL of the session's PostgreSQL server (no database in it)."""
    external = os.environ.get(ENV_URL)
    if external:
        yield make_url(external).set(database=None).render_as_string(hide_password=False)
        return
    started = time.monotonic()
    server = _start_server()
    print(f"\nPostgreSQL started in {time.monotonic() - started:.1f}s: {server.url}")
    try:
        yield server.url
    finally:
        server.destroy()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """URL of a fresh database for this test, dropped afterwards."""
    url = create_database(postgres_server)
    try:
        yield url
    finally:
        drop_database(postgres_server, str(make_url(url).database))


@pytest.fixture(scope="module")
def postgres_module_url(postgres_server: str) -> Iterator[str]:
    """URL of a fresh database shared by the tests of one module, dropped afterwards."""
    url = create_database(postgres_server)
    try:
        yield url
    finally:
        drop_database(postgres_server, str(make_url(url).database))


@pytest.fixture(autouse=True)
def _postgres_marker(request: pytest.FixtureRequest) -> None:
    """Tests marked ``postgres`` get the server (or are skipped/failed without one)."""
    if request.node.get_closest_marker("postgres") is not None:
        request.getfixturevalue("postgres_server")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses a PostgreSQL fixture, for ``-m "not postgres"``."""
    for item in items:
        if POSTGRES_FIXTURES.intersection(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
