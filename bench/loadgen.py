"""A light load generator: HTTP/1.1 keep-alive on raw asyncio streams, one process.

httpx spends more CPU per request than the server it measures on a 2-core machine; this client
writes the request bytes once and parses only the status line, the headers and the body's length
(Content-Length or chunked). The bench runs it in a process of its own:

    python -m bench.loadgen spec.json       # results as JSON on stdout

A spec is {"mode": "load", ...} (concurrent clients for a while) or {"mode": "sse", ...} (open
many event streams, make one change, time its arrival at each).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import resource
import sys
import time
from dataclasses import dataclass, field
from typing import Any


def request_bytes(
    host: str, method: str, path: str, headers: dict[str, str], body: bytes = b""
) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body or method not in ("GET", "HEAD"):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


async def read_response(reader: asyncio.StreamReader) -> tuple[int, int, dict[str, str]]:
    """Status, body bytes and headers of one response (the body is read and dropped)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    size = 0
    if "content-length" in headers:
        size = int(headers["content-length"])
        await reader.readexactly(size)
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            chunk_head = await reader.readuntil(b"\r\n")
            length = int(chunk_head.split(b";")[0], 16)
            await reader.readexactly(length + 2)
            size += length
            if length == 0:
                break
    return status, size, headers


@dataclass
class Tally:
    latencies: list[float] = field(default_factory=list)
    answered: int = 0  # warm-up included
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0
    body_bytes: int = 0


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


async def one_client(
    spec: dict[str, Any], number: int, start: float, measure_from: float, stop: float, tally: Tally
) -> None:
    """One keep-alive connection sending its requests back to back until stop."""
    host, port = spec["host"], spec["port"]
    requests = spec["requests"]
    mine = requests[number % len(requests)]
    # a write cycles through its bodies (a card moved back and forth); {version} counts up
    bodies: list[str] = mine.get("bodies") or [""]
    version = mine.get("version", 0)
    reader, writer = await asyncio.open_connection(host, port)
    turn = 0
    try:
        while True:
            now = time.perf_counter()
            if now >= stop:
                return
            body = bodies[turn % len(bodies)].replace("{version}", str(version)).encode()
            data = request_bytes(
                f"{host}:{port}", mine["method"], mine["path"], mine.get("headers", {}), body
            )
            sent = time.perf_counter()
            writer.write(data)
            try:
                status, size, headers = await read_response(reader)
            except (asyncio.IncompleteReadError, ConnectionError):
                tally.errors += 1
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                continue
            done = time.perf_counter()
            turn += 1
            tally.answered += 1
            if status < 400:
                version += 1
            if sent >= measure_from:
                tally.latencies.append(done - sent)
                tally.statuses[status] = tally.statuses.get(status, 0) + 1
                tally.body_bytes += size
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


async def run_load(spec: dict[str, Any]) -> dict[str, Any]:
    clients, warmup, duration = spec["clients"], spec["warmup"], spec["duration"]
    tally = Tally()
    start = time.perf_counter()
    measure_from, stop = start + warmup, start + warmup + duration
    await asyncio.gather(
        *(one_client(spec, n, start, measure_from, stop, tally) for n in range(clients))
    )
    lat = tally.latencies
    return {
        "clients": clients,
        "requests": len(lat),
        "answered": tally.answered,
        "p50_ms": percentile(lat, 0.5) * 1000,
        "p99_ms": percentile(lat, 0.99) * 1000,
        "rps": len(lat) / duration,
        "statuses": tally.statuses,
        "errors": tally.errors,
        "bytes_per_response": tally.body_bytes / len(lat) if lat else 0,
    }


async def open_stream(
    spec: dict[str, Any], arrived: list[float], ready: asyncio.Event, opened: list[int]
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter] | None:
    """One stream, or None when the server refused it (counted, not fatal)."""
    host, port = spec["host"], spec["port"]
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(request_bytes(f"{host}:{port}", "GET", spec["stream"], spec.get("headers", {})))
    head = await reader.readuntil(b"\r\n\r\n")
    if b" 200 " not in head.split(b"\r\n", 1)[0]:
        writer.close()
        return None
    opened[0] += 1
    return reader, writer


async def watch(reader: asyncio.StreamReader, arrived: list[float], armed: asyncio.Event) -> None:
    """Wait for the first data line after the change was made (retry:, comments and the
    stream's opening messages before it do not count)."""
    while True:
        line = await reader.readline()
        if not line:
            return
        if armed.is_set() and line.startswith((b"data:", b"event:")):
            arrived.append(time.perf_counter())
            return


async def run_sse(spec: dict[str, Any]) -> dict[str, Any]:
    count = spec["clients"]
    arrived: list[float] = []
    opened = [0]
    armed = asyncio.Event()
    streams: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
    batch = 10  # opening a stream reads the database: a few at a time, as browsers arrive
    started = time.perf_counter()
    for first in range(0, count, batch):
        found = await asyncio.gather(
            *(
                open_stream(spec, arrived, armed, opened)
                for _ in range(first, min(count, first + batch))
            )
        )
        streams += [stream for stream in found if stream is not None]
    connect_s = time.perf_counter() - started
    watchers = [asyncio.ensure_future(watch(reader, arrived, armed)) for reader, _ in streams]
    await asyncio.sleep(spec.get("settle", 2.0))  # opening messages read, server settled
    rss = None
    if spec.get("server_pid"):
        rss = server_rss_kb(spec["server_pid"])
    trigger = spec["trigger"]
    host, port = spec["host"], spec["port"]
    reader, writer = await asyncio.open_connection(host, port)
    armed.set()
    sent = time.perf_counter()
    writer.write(
        request_bytes(
            f"{host}:{port}",
            trigger["method"],
            trigger["path"],
            trigger.get("headers", {}),
            trigger.get("body", "").encode(),
        )
    )
    status, _, _ = await read_response(reader)
    answered = time.perf_counter() - sent
    writer.close()
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*watchers), spec.get("timeout", 30))
    for _, stream_writer in streams:
        stream_writer.close()
    arrivals = sorted(moment - sent for moment in arrived)
    return {
        "clients": count,
        "opened": opened[0],
        "connect_s": connect_s,
        "trigger_status": status,
        "trigger_ms": answered * 1000,
        "received": len(arrivals),
        "first_ms": arrivals[0] * 1000 if arrivals else None,
        "p50_ms": percentile(arrivals, 0.5) * 1000 if arrivals else None,
        "last_ms": arrivals[-1] * 1000 if arrivals else None,
        "server_rss_kb": rss,
    }


def server_rss_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def main() -> None:
    spec = json.loads(open(sys.argv[1], encoding="utf-8").read())  # noqa: SIM115
    _soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    try:
        import uvloop

        runner: Any = uvloop.run
    except ImportError:  # pragma: no cover
        runner = asyncio.run
    work = run_sse(spec) if spec["mode"] == "sse" else run_load(spec)
    print(json.dumps(runner(work)))


if __name__ == "__main__":
    main()
