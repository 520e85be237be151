"""`make bench`: the read paths and a write on the large data set, one process on SQLite, then two
processes on PostgreSQL, against the ceiling of the same markup rendered from memory, and the
time one change takes to reach many open event streams. A benchmark, not a test: it writes a
Markdown table to bench/results/<date>.md with the targets of issue 10 (item 7), met or not.

Settings (environment), for a quick run make them small:

    BENCH_ACTIONS=500000     actions in the large data set (the 200-card board is in it)
    BENCH_SMALL_ACTIONS=1000 actions in the data set the same board is compared with
    BENCH_CLIENTS=1,10,50    concurrent clients per measurement
    BENCH_DURATION=5         seconds measured per point (after BENCH_WARMUP=1)
    BENCH_SSE=1000,5000      open event streams for the fan-out
    BENCH_POSTGRES=auto      auto (when the server binaries are there), 1 or 0
    BENCH_DIR=/tmp/verbeterbord-bench   data sets; kept, and reused when their size matches
    BENCH_OUT=bench/results/<date>.md

    BENCH_ACTIONS=20000 BENCH_DURATION=2 BENCH_SSE=200 BENCH_POSTGRES=0 make bench   # ~3 min

The load generator (bench/loadgen.py) runs in a process of its own: raw asyncio streams,
HTTP/1.1 keep-alive, gzip accepted like a browser.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import re
import resource
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
SECRET = "bench-secret-key-0123456789abcdef0123456789"  # noqa: S105  (a throwaway server)


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[int]:
    return [int(part) for part in os.environ.get(name, default).split(",") if part.strip()]


@dataclass(frozen=True)
class Config:
    actions: int = field(default_factory=lambda: env_int("BENCH_ACTIONS", 500_000))
    small_actions: int = field(default_factory=lambda: env_int("BENCH_SMALL_ACTIONS", 1_000))
    clients: list[int] = field(default_factory=lambda: env_list("BENCH_CLIENTS", "1,10,50"))
    duration: float = field(default_factory=lambda: float(os.environ.get("BENCH_DURATION", 5)))
    warmup: float = field(default_factory=lambda: float(os.environ.get("BENCH_WARMUP", 1)))
    sse: list[int] = field(default_factory=lambda: env_list("BENCH_SSE", "1000,5000"))
    postgres: str = field(default_factory=lambda: os.environ.get("BENCH_POSTGRES", "auto"))
    folder: Path = field(
        default_factory=lambda: Path(os.environ.get("BENCH_DIR", "/tmp/verbeterbord-bench"))  # noqa: S108
    )
    out: str = field(default_factory=lambda: os.environ.get("BENCH_OUT", ""))


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def raise_open_files() -> None:
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))


# --- data sets ---------------------------------------------------------------------------
def data_set(
    config: Config, name: str, url: str, actions: int, extra: list[str] | None = None
) -> dict[str, Any]:
    """Build a data set in a process of its own (or reuse the one built before)."""
    info_file = config.folder / f"{name}.json"
    if info_file.exists():
        info = json.loads(info_file.read_text())
        if info.get("requested_actions") == actions and info.get("url") == url:
            log(f"{name}: reusing {info['actions']} actions ({info_file})")
            return dict(info)
    log(f"{name}: building {actions} actions")
    command = [PYTHON, "-m", "bench.data", "--url", url, "--actions", str(actions)]
    subprocess.run([*command, *(extra or []), "--out", str(info_file)], check=True, cwd=ROOT)  # noqa: S603
    info = json.loads(info_file.read_text())
    info["requested_actions"] = actions
    info_file.write_text(json.dumps(info, indent=2))
    log(f"{name}: {info['actions']} actions in {info['seconds']:.1f} s")
    return dict(info)


def sqlite_set(config: Config, name: str, actions: int, extra: list[str] | None = None) -> Any:
    folder = config.folder / name
    database = folder / "verbeterbord.db"
    info_file = config.folder / f"{name}.json"
    url = f"sqlite:///{database}"
    if info_file.exists() and database.exists():
        info = json.loads(info_file.read_text())
        if info.get("requested_actions") == actions:
            log(f"{name}: reusing {info['actions']} actions")
            return info
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    info_file.unlink(missing_ok=True)
    return data_set(config, name, url, actions, extra)


# --- PostgreSQL --------------------------------------------------------------------------
class Postgres:
    """A throwaway PostgreSQL server (tests/postgres.py's, with durable defaults: fsync on)."""

    def __init__(self) -> None:
        from tests.postgres import _Server, find_bindir

        bindir = find_bindir()
        if bindir is None:
            raise RuntimeError("PostgreSQL server binaries not found")
        self.server = _Server(bindir=bindir, basedir=Path(tempfile.mkdtemp(prefix="bench-pg-")))
        self.server.initdb()
        self.server.port = free_port()
        options = (
            f"-p {self.server.port} -k {self.server.basedir} -c listen_addresses=127.0.0.1 "
            "-c max_connections=300 -c shared_buffers=512MB"
        )
        result = self.server._run(
            str(bindir / "pg_ctl"), "-D", str(self.server.datadir), "-l",
            str(self.server.logfile), "-o", options, "-w", "-t", "60", "start",
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(result.stdout + result.stderr)
        self.server.running = True
        self.version = subprocess.run(  # noqa: S603
            [str(bindir / "postgres"), "--version"], capture_output=True, text=True, check=False
        ).stdout.strip()

    def database(self, name: str) -> str:
        from tests.postgres import create_database

        return create_database(self.server.url, name)

    def stop(self) -> None:
        self.server.destroy()


# --- servers -----------------------------------------------------------------------------
@contextlib.contextmanager
def server(env: dict[str, str], *command: str, port: int) -> Iterator[subprocess.Popen[bytes]]:
    log_file = tempfile.NamedTemporaryFile(prefix="bench-server-", suffix=".log", delete=False)  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        list(command),
        env={**os.environ, **env},
        cwd=ROOT,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        preexec_fn=raise_open_files,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                raise RuntimeError(Path(log_file.name).read_text())
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            if time.monotonic() > deadline:
                raise RuntimeError("server did not start: " + Path(log_file.name).read_text())
            time.sleep(0.2)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log_file.close()


def app_env(info: dict[str, Any], folder: Path) -> dict[str, str]:
    env = {
        "VERBETERBORD_SECRET_KEY": SECRET,
        "VERBETERBORD_DATA_DIR": str(folder),
        "VERBETERBORD_LOG_LEVEL": "WARNING",
    }
    if not info["url"].startswith("sqlite"):
        env["VERBETERBORD_DATABASE_URL"] = info["url"]
    return env


@dataclass
class Login:
    cookie: str
    csrf: str


def log_in(port: int, email: str, password: str, board: str) -> Login:
    base = f"http://127.0.0.1:{port}"
    with httpx.Client(base_url=base, follow_redirects=False, timeout=60) as client:
        response = client.post("/login", data={"email": email, "password": password, "next": "/"})
        if response.status_code != 303:
            raise RuntimeError(f"login failed: {response.status_code} {response.text[:300]}")
        cookie = "; ".join(
            header.split(";", 1)[0] for header in response.headers.get_list("set-cookie")
        )
        page = client.get(board, headers={"Cookie": cookie})
        found = re.search(r'<meta name="csrf-token" content="([^"]+)"', page.text)
        if page.status_code != 200 or found is None:
            raise RuntimeError(f"no board for the benchmark: {page.status_code}")
        return Login(cookie=cookie, csrf=found.group(1))


CARD = re.compile(r'<li id="action-\d+".*?</li>', re.S)


def page_bytes(port: int, login: Login, path: str) -> tuple[int, int, int]:
    """The page's HTML as the app makes it, as sent to a browser that accepts gzip, and the
    bytes of its cards alone."""
    base = f"http://127.0.0.1:{port}"
    headers = {"Cookie": login.cookie}
    with httpx.Client(base_url=base, timeout=60) as client:
        plain = client.get(path, headers={**headers, "Accept-Encoding": "identity"})
        with client.stream("GET", path, headers={**headers, "Accept-Encoding": "gzip"}) as zipped:
            wire = sum(len(chunk) for chunk in zipped.iter_raw())
    cards = sum(len(card.encode()) for card in CARD.findall(plain.text))
    return len(plain.content), wire, cards


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and every process under it (uvicorn's workers):
    what a request costs, whatever else the machine is doing."""
    ticks = os.sysconf("SC_CLK_TCK")
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                todo += [int(child) for child in children]
    return total


def loadgen(spec: dict[str, Any], server_pid: int | None = None) -> dict[str, Any]:
    """Run the load generator; with server_pid, also the server's CPU time per answer."""
    cpu = tree_cpu_seconds(server_pid) if server_pid else 0.0
    result = _loadgen(spec)
    if server_pid and result.get("answered"):
        result["cpu_ms"] = (tree_cpu_seconds(server_pid) - cpu) / result["answered"] * 1000
    return result


def _loadgen(spec: dict[str, Any]) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as file:
        json.dump(spec, file)
    try:
        result = subprocess.run(  # noqa: S603
            [PYTHON, "-m", "bench.loadgen", file.name],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
            preexec_fn=raise_open_files,
        )
    except subprocess.CalledProcessError as failed:
        raise RuntimeError(failed.stderr) from failed
    finally:
        os.unlink(file.name)
    return dict(json.loads(result.stdout.strip().splitlines()[-1]))


BROWSER = {"Accept": "text/html", "Accept-Encoding": "gzip", "Connection": "keep-alive"}


def get_spec(port: int, path: str, login: Login | None) -> dict[str, Any]:
    headers = dict(BROWSER)
    if login is not None:
        headers["Cookie"] = login.cookie
    return {"method": "GET", "path": path, "headers": headers}


def move_specs(
    port: int, login: Login, info: dict[str, Any], database: str
) -> list[dict[str, Any]]:
    """One card each: clients move their own card between Te doen and Bezig (version counted
    by the client), as a drag on the board does (HTMX, the row comes back)."""
    cards = open_cards(info, database)
    headers = {
        **BROWSER,
        "Cookie": login.cookie,
        "X-CSRF-Token": login.csrf,
        "HX-Request": "true",
        "Content-Type": "application/x-www-form-urlencoded",
    }
    specs = []
    for action_id, status, version in cards:
        other = "doing" if status == "todo" else "todo"
        specs.append(
            {
                "method": "POST",
                "path": f"/teams/{info['busy_team']}/acties/{action_id}/verplaatsen",
                "headers": headers,
                "bodies": [
                    f"version={{version}}&status={other}",
                    f"version={{version}}&status={status}",
                ],
                "version": version,
            }
        )  # fmt: skip
    return specs


def open_cards(info: dict[str, Any], database: str) -> list[tuple[int, str, int]]:
    query = (  # noqa: S608  (two integers)
        "SELECT id, status, version FROM action WHERE team_id = {team} AND status IN "
        "('todo', 'doing') AND sprint_id = {sprint} ORDER BY id"
    ).format(team=int(info["busy_team"]), sprint=int(info["current_sprint"]))
    if database.startswith("sqlite"):
        with contextlib.closing(sqlite3.connect(database.split("///", 1)[1])) as connection:
            return [tuple(row) for row in connection.execute(query)]  # type: ignore[misc]
    import psycopg

    conninfo = database.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo) as connection:
        return [tuple(row) for row in connection.execute(query)]  # type: ignore[misc]


# --- one configuration -------------------------------------------------------------------
@dataclass
class Results:
    rows: list[dict[str, Any]] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def add(self, setup: str, page: str, result: dict[str, Any]) -> dict[str, Any]:
        row = {"setup": setup, "page": page, **result}
        self.rows.append(row)
        log(
            f"{setup:<22} {page:<28} c={result.get('clients')!s:<3} "
            f"p50 {result['p50_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms  "
            f"{result['rps']:.1f}/s  CPU {result.get('cpu_ms', 0):.1f} ms  {result.get('statuses')}"
        )
        return row

    def find(self, setup: str, page: str, clients: int) -> dict[str, Any] | None:
        return next(
            (
                row
                for row in self.rows
                if row["setup"] == setup and row["page"] == page and row["clients"] == clients
            ),
            None,
        )


def measure_pages(
    config: Config,
    results: Results,
    setup: str,
    port: int,
    info: dict[str, Any],
    login: Login | None,
    pages: dict[str, str],
    clients: list[int],
    pid: int,
) -> None:
    for page, path in pages.items():
        for count in clients:
            spec = {
                "mode": "load", "host": "127.0.0.1", "port": port, "clients": count,
                "warmup": config.warmup, "duration": config.duration,
                "requests": [get_spec(port, path, login)],
            }  # fmt: skip
            results.add(setup, page, loadgen(spec, pid))


def measure_moves(
    config: Config,
    results: Results,
    setup: str,
    port: int,
    info: dict[str, Any],
    login: Login,
    pid: int,
) -> None:
    specs = move_specs(port, login, info, info["url"])
    for count in config.clients:
        if count > len(specs):
            log(f"only {len(specs)} open cards on the board: {count} movers share them")
        spec = {
            "mode": "load", "host": "127.0.0.1", "port": port, "clients": count,
            "warmup": config.warmup, "duration": config.duration, "requests": specs,
        }  # fmt: skip
        results.add(setup, "card move (write)", loadgen(spec, pid))
        # versions moved on: read them again for the next round
        specs = move_specs(port, login, info, info["url"])


def pages_of(info: dict[str, Any]) -> dict[str, str]:
    return {
        f"team board, {info['busy_cards']} cards": f"/teams/{info['busy_team']}",
        f"team of teams, {info['tot_children']} teams": f"/teams/{info['tot_team']}",
        "Mijn acties": "/mijn-acties",
        "ambition page": f"/ambities/{info['ambition']}",
    }


def run_setup(
    config: Config,
    results: Results,
    setup: str,
    info: dict[str, Any],
    folder: Path,
    workers: int,
    *,
    extras: bool,
) -> None:
    port = free_port()
    command = [str(Path(PYTHON).parent / "verbeterbord"), "serve", "--port", str(port)]
    if workers > 1:
        command += ["--workers", str(workers)]
    env = app_env(info, folder)
    with server(env, *command, port=port) as process:
        member = info["logins"]["teamlid"]
        board = f"/teams/{info['busy_team']}"
        login = log_in(port, member["email"], member["password"], board)
        plain, wire, card_bytes = page_bytes(port, login, board)
        results.facts[f"{setup} board bytes"] = (plain, wire, info["busy_cards"], card_bytes)
        pid = process.pid
        pages = pages_of(info)
        measure_pages(config, results, setup, port, info, login, pages, config.clients, pid)
        measure_moves(config, results, setup, port, info, login, pid)
        if not extras:
            return
        huge = {f"big board, {info['huge_cards']} cards": f"/teams/{info['huge_team']}"}
        measure_pages(config, results, setup, port, info, login, huge, [1], pid)
    if extras:
        # each fan-out on a fresh server: its memory per stream is measured from a quiet start
        for count in config.sse:
            port = free_port()
            command[command.index("--port") + 1] = str(port)
            try:
                with server(env, *command, port=port) as process:
                    member = info["logins"]["teamlid"]
                    board = f"/teams/{info['busy_team']}"
                    login = log_in(port, member["email"], member["password"], board)
                    time.sleep(2)
                    fan = fan_out(port, process.pid, login, info, count)
                    results.facts[f"sse {count}"] = fan
            except Exception as failed:
                results.errors.append(f"SSE {count}: {str(failed)[-300:]}")
    if extras:
        command = [PYTHON, "-m", "bench.profile_board", "--team", str(info["busy_team"])]
        command += ["--email", info["logins"]["teamlid"]["email"]]
        found = subprocess.run(  # noqa: S603
            command, env={**os.environ, **env}, cwd=ROOT, capture_output=True, text=True
        )
        results.facts["profile"] = found.stdout if found.returncode == 0 else found.stderr
    # the ceiling: the same board's markup from memory, same stack, same data
    port = free_port()
    ceiling = [PYTHON, "-m", "bench.ceiling", "--team", str(info["busy_team"])]
    ceiling += ["--email", info["logins"]["teamlid"]["email"], "--port", str(port)]
    with server(env, *ceiling, port=port) as process:
        spec_pages = {"ceiling: board from memory": "/board"}
        clients = config.clients[:2]
        measure_pages(config, results, setup, port, info, None, spec_pages, clients, process.pid)


def fan_out(port: int, pid: int, login: Login, info: dict[str, Any], count: int) -> dict[str, Any]:
    """Open `count` event streams of the board's team, move one card, time its arrival at
    each."""
    cards = open_cards(info, info["url"])
    action_id, status, version = cards[0]
    other = "doing" if status == "todo" else "todo"
    spec = {
        "mode": "sse",
        "host": "127.0.0.1",
        "port": port,
        "clients": count,
        # the event stream of DESIGN.md for the board's team; the board's own stream also
        # tells every open copy of the board who arrived (presence), which is not measured here
        "stream": f"/api/v1/events?team_id={info['busy_team']}",
        "headers": {"Cookie": login.cookie, "Accept": "text/event-stream"},
        "server_pid": pid,
        "baseline_rss_kb": None,
        "trigger": {
            "method": "POST",
            "path": f"/teams/{info['busy_team']}/acties/{action_id}/verplaatsen",
            "headers": {
                "Cookie": login.cookie,
                "X-CSRF-Token": login.csrf,
                "HX-Request": "true",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            "body": f"version={version}&status={other}",
        },
    }
    before = rss_kb(pid)
    result = loadgen(spec)
    result["rss_before_kb"] = before
    if result.get("server_rss_kb"):
        result["kb_per_stream"] = (result["server_rss_kb"] - before) / count
    log(f"SSE {count}: {result}")
    return result


def rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def history_comparison(
    config: Config, results: Results, small: dict[str, Any], folder: Path
) -> None:
    """The same 200-card board with only `small_actions` actions in the database."""
    port = free_port()
    command = [str(Path(PYTHON).parent / "verbeterbord"), "serve", "--port", str(port)]
    with server(app_env(small, folder), *command, port=port) as process:
        member = small["logins"]["teamlid"]
        board = f"/teams/{small['busy_team']}"
        login = log_in(port, member["email"], member["password"], board)
        pages = {f"team board, {small['busy_cards']} cards, small history": board}
        setup = "SQLite, 1 process"
        measure_pages(config, results, setup, port, small, login, pages, [1], process.pid)


# --- the report --------------------------------------------------------------------------
def versions(postgres: str | None) -> dict[str, str]:
    found = {"Python": platform.python_version(), "SQLite": sqlite3.sqlite_version}
    for package in ("uvicorn", "uvloop", "httptools", "starlette", "fastapi", "jinja2",
                    "sqlalchemy", "sqlmodel", "psycopg"):  # fmt: skip
        with contextlib.suppress(metadata.PackageNotFoundError):
            found[package] = metadata.version(package)
    if postgres:
        found["PostgreSQL"] = postgres
    return found


def machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    load = os.getloadavg()
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory:.0f} GB RAM, {platform.system()} "
        f"{platform.release()}; load average at the end "
        f"{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}"
    )


def verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("met" if ok else "not met")


def targets(results: Results, large: dict[str, Any], small: dict[str, Any] | None) -> list[str]:
    sqlite_setup = "SQLite, 1 process"
    board = f"team board, {large['busy_cards']} cards"
    lines = ["| Target (issue 10, item 7) | Measured | Ratio | |", "|---|---|---|---|"]

    def row(target: str, measured: str, ratio: float | None, ok: bool | None) -> None:
        shown = f"{ratio:.2f}" if ratio is not None else ""
        lines.append(f"| {target} | {measured} | {shown} | {verdict(ok)} |")

    one = results.find(sqlite_setup, board, 1)
    ceiling = results.find(sqlite_setup, "ceiling: board from memory", 1)
    if one and ceiling:
        ratio = one["p50_ms"] / ceiling["p50_ms"]
        cpu = ""
        if one.get("cpu_ms") and ceiling.get("cpu_ms"):
            cpu = (
                f"; server CPU per answer {one['cpu_ms']:.1f} vs {ceiling['cpu_ms']:.1f} ms "
                f"({one['cpu_ms'] / ceiling['cpu_ms']:.2f}×)"
            )
        row(
            "200-card board, 1 client: p50 ≤ 2× the in-memory ceiling",
            f"{one['p50_ms']:.1f} ms vs ceiling {ceiling['p50_ms']:.1f} ms{cpu}",
            ratio,
            ratio <= 2,
        )
    ten = results.find(sqlite_setup, board, 10)
    if ten:
        capacity = f" (server CPU {ten['cpu_ms']:.1f} ms per answer)" if ten.get("cpu_ms") else ""
        row(
            "200-card board, 10 clients: ≥ 100 requests/s, one process",
            f"{ten['rps']:.0f} requests/s{capacity}",
            ten["rps"] / 100,
            ten["rps"] >= 100,
        )
    huge = results.find(sqlite_setup, f"big board, {large['huge_cards']} cards", 1)
    if huge:
        row(
            f"{large['huge_cards']}-card board: p50 ≤ 150 ms",
            f"{huge['p50_ms']:.1f} ms",
            huge["p50_ms"] / 150,
            huge["p50_ms"] <= 150,
        )
    sizes = results.facts.get(f"{sqlite_setup} board bytes")
    if sizes:
        plain, wire, cards, card_bytes = sizes
        per_card = card_bytes / max(cards, 1)
        row(
            "board HTML ≤ 600 bytes per card, compressed on the wire",
            f"{per_card:.0f} bytes per card; the page {plain / 1024:.0f} KB "
            f"({plain / max(cards, 1):.0f} bytes a card with the page around them), "
            f"{wire / 1024:.0f} KB sent",
            per_card / 600,
            per_card <= 600 and wire < plain,
        )
    if small:
        few = results.find(
            sqlite_setup, f"team board, {small['busy_cards']} cards, small history", 1
        )
        if one and few:
            ratio = one["p50_ms"] / few["p50_ms"]
            row(
                f"same board: p50 with {large['actions']:,} actions ≤ 1.2× with "
                f"{small['actions']:,}",
                f"{one['p50_ms']:.1f} ms vs {few['p50_ms']:.1f} ms",
                ratio,
                ratio <= 1.2,
            )
    for page in ("Mijn acties", "ambition page"):
        found = results.find(sqlite_setup, page, 1)
        if found:
            row(
                f"{page}, 1 client: p50 ≤ 50 ms",
                f"{found['p50_ms']:.1f} ms",
                found["p50_ms"] / 50,
                found["p50_ms"] <= 50,
            )
    move = results.find(sqlite_setup, "card move (write)", 10)
    if move:
        refused = sum(n for status, n in move["statuses"].items() if int(status) >= 400)
        row(
            "card move, 10 clients on SQLite: p99 ≤ 100 ms",
            f"{move['p99_ms']:.1f} ms ({refused} refused)",
            move["p99_ms"] / 100,
            move["p99_ms"] <= 100 and refused == 0,
        )
    for count, limit in ((1000, 200), (5000, 500)):
        fan = results.facts.get(f"sse {count}")
        if fan and fan.get("last_ms") is not None:
            all_there = fan["received"] == count
            row(
                f"one change reaches all of {count:,} streams ≤ {limit} ms",
                f"{fan['last_ms']:.0f} ms from the write to the last stream, "
                f"{fan['last_ms'] - fan['first_ms']:.0f} ms from the first to the last "
                f"({fan['received']}/{count} received)",
                fan["last_ms"] / limit,
                all_there and fan["last_ms"] <= limit,
            )
        if fan and fan.get("kb_per_stream") is not None:
            row(
                f"server memory per open stream ≤ 60 KB ({count:,} streams)",
                f"{fan['kb_per_stream']:.1f} KB",
                fan["kb_per_stream"] / 60,
                fan["kb_per_stream"] <= 60,
            )
    return lines


def report(
    config: Config,
    results: Results,
    large: dict[str, Any],
    small: dict[str, Any] | None,
    pg: dict[str, Any] | None,
    postgres_version: str | None,
    started: float,
) -> str:
    now = datetime.now(UTC)
    lines = [
        f"# Benchmark {now:%Y-%m-%d %H:%M} UTC",
        "",
        f"- Machine: {machine()}",
        "- Versions: " + ", ".join(f"{k} {v}" for k, v in versions(postgres_version).items()),
        f"- Data: {large['actions']:,} actions, {large['audit_events']:,} audit events, "
        f"{large['comments']:,} comments (`verbeterbord demo --scale large`: "
        f"{large['seconds']:.0f} s, {large['cpu_seconds']:.0f} s CPU, on SQLite)"
        + (f"; on PostgreSQL {pg['seconds']:.0f} s" if pg else ""),
        f"- Each point: {config.warmup:g} s warm-up, {config.duration:g} s measured; "
        "load generator bench/loadgen.py in its own process (asyncio, HTTP/1.1 keep-alive, "
        "gzip accepted)",
        f"- Whole run: {(time.monotonic() - started) / 60:.1f} min",
        "",
        "## Targets",
        "",
        *targets(results, large, small),
        "",
        "## Every measurement",
        "",
        "| Set-up | Page | Clients | p50 ms | p99 ms | requests/s | server CPU ms per answer "
        "| KB sent | answers |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in results.rows:
        statuses = ", ".join(f"{code}×{n}" for code, n in sorted(row["statuses"].items()))
        lines.append(
            f"| {row['setup']} | {row['page']} | {row['clients']} | {row['p50_ms']:.1f} | "
            f"{row['p99_ms']:.1f} | {row['rps']:.1f} | {row.get('cpu_ms', 0):.1f} | "
            f"{row['bytes_per_response'] / 1024:.1f} | "
            f"{statuses} |"
        )
    fans = [(key, value) for key, value in results.facts.items() if key.startswith("sse ")]
    if fans:
        lines += [
            "",
            "## One change to many open streams (SQLite, 1 process, /api/v1/events of the team)",
            "",
            "| Streams | opened | received | first ms | p50 ms | last ms | KB per stream | "
            "the move's answer ms |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for _, fan in fans:
            kb = fan.get("kb_per_stream")
            lines.append(
                f"| {fan['clients']} | {fan['opened']} | {fan['received']} | "
                f"{fan['first_ms'] or 0:.0f} | {fan['p50_ms'] or 0:.0f} | "
                f"{fan['last_ms'] or 0:.0f} | "
                f"{kb if kb is None else f'{kb:.1f}'} | {fan['trigger_ms']:.0f} |"
            )
    if results.errors:
        lines += ["", "## What failed in this run", ""]
        lines += [
            f"- {error.splitlines()[-1] if error.splitlines() else error}"
            for error in results.errors
        ]
    if results.facts.get("profile"):
        lines += [
            "",
            "## Profile of the 200-card board (SQLite, in one process, without HTTP)",
            "",
            results.facts["profile"].replace(str(ROOT) + "/", "").replace(sys.prefix, "<venv>"),
        ]
    return "\n".join(lines) + "\n"


def use_postgres(config: Config) -> bool:
    if config.postgres == "auto":
        from tests.postgres import find_bindir

        return find_bindir() is not None
    return config.postgres == "1"


def main() -> None:
    config = Config()
    started = time.monotonic()
    config.folder.mkdir(parents=True, exist_ok=True)
    raise_open_files()
    results = Results()
    large = sqlite_set(config, "sqlite-large", config.actions)
    small = sqlite_set(
        config,
        "sqlite-small",
        config.small_actions,
        ["--current-actions", str(min(config.small_actions, 260)), "--huge-board", "0"],
    )
    try:
        run_setup(
            config, results, "SQLite, 1 process", large,
            config.folder / "sqlite-large", 1, extras=True,
        )  # fmt: skip
        history_comparison(config, results, small, config.folder / "sqlite-small")
    except Exception as failed:
        results.errors.append(f"SQLite: {str(failed)[-300:]}")
    pg_info, pg_version = None, None
    if use_postgres(config):
        postgres = Postgres()
        try:
            pg_version = postgres.version
            url = postgres.database("bench_large")
            (config.folder / "pg-large.json").unlink(missing_ok=True)
            pg_info = data_set(config, "pg-large", url, config.actions)
            folder = config.folder / "pg"
            folder.mkdir(exist_ok=True)
            run_setup(config, results, "PostgreSQL, 2 processes", pg_info, folder, 2, extras=False)
        except Exception as failed:
            results.errors.append(f"PostgreSQL: {str(failed)[-300:]}")
        finally:
            postgres.stop()
    text = report(config, results, large, small, pg_info, pg_version, started)
    out = (
        Path(config.out)
        if config.out
        else ROOT / "bench" / "results" / f"{datetime.now(UTC):%Y-%m-%d}.md"
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    log(f"written to {out}")
    print(text)


if __name__ == "__main__":
    main()
