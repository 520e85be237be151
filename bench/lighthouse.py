"""Lighthouse (mobile, its default preset) on a team board and Mijn acties, as a team member
sees them. A measurement, not a test; `make bench` runs it.

    python -m bench.lighthouse                    # Markdown table on stdout
    python -m bench.lighthouse --runs 3 --out bench/results/lighthouse.md

It makes a new data folder with the small demo organisation, starts the app in its own process
(uvicorn, as tests/support/server.py does), logs in as the demo team member through the login
form (the session cookie a browser gets) and runs npm's lighthouse (package.json, `npx
--no-install`) with Debian's Chromium (CHROME_PATH, default /usr/bin/chromium), passing that
cookie with --extra-headers. Per page it prints the performance score, FCP, LCP, TBT, CLS and
the bytes transferred (the median run by score when --runs > 1). Target: score ≥ 95 on both.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from statistics import median_low

import httpx

from app import clock
from app.config import Settings
from app.db import create_db_engine
from app.demo import seed_demo
from app.migrate import migrate_to_head
from tests.support.server import REPO, ServerProcess, start

SECRET = "lighthouse-bench-secret-key-0123456789"  # noqa: S105  (a throw-away demo server)
MEMBER_ROLE = "teamlid"
CHROME_FLAGS = "--headless=new --no-sandbox"
TEAM_LINK = re.compile(r'href="/teams/(\d+)"')


@dataclass
class Result:
    page: str
    url: str
    score: float
    fcp_ms: float
    lcp_ms: float
    tbt_ms: float
    cls: float
    bytes_total: int
    problems: list[str]


def demo_folder(folder: Path) -> tuple[str, str]:
    """A migrated database with the small demo in folder; the team member's e-mail and
    password."""
    settings = Settings(data_dir=folder, secret_key=SECRET)
    migrate_to_head(settings.resolved_database_url)
    engine = create_db_engine(settings)
    try:
        result = seed_demo(engine=engine, today=clock.today(), scale="small")
    finally:
        engine.dispose()
    member = next(login for login in result.logins if login.role == MEMBER_ROLE)
    return member.email, member.password


def session_cookie(server: ServerProcess, email: str, password: str) -> tuple[str, str]:
    """Log in through the form as a browser does; the Cookie header it then sends, and the
    team member's board (the first team on the start page)."""
    with httpx.Client(base_url=server.url, follow_redirects=False, timeout=30) as client:
        client.get("/login")
        answer = client.post(
            "/login", data={"email": email, "password": password, "next": "/mijn-acties"}
        )
        if answer.status_code != 303:
            raise SystemExit(f"logging in as {email} failed: {answer.status_code}")
        cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
        start_page = client.get("/").text
    team = TEAM_LINK.search(start_page)
    if team is None:
        raise SystemExit("the team member's start page links to no team board")
    return cookie, f"/teams/{team.group(1)}"


def lighthouse(url: str, cookie: str, chrome: str, out: Path) -> dict:
    """One lighthouse run (mobile: its default settings, simulated slow 4G and CPU); its JSON."""
    npx = shutil.which("npx")
    if npx is None:
        raise SystemExit("npx not found: install Node.js and run npm install")
    command = [
        npx,
        "--no-install",
        "lighthouse",
        url,
        "--only-categories=performance",
        "--output=json",
        f"--output-path={out}",
        f"--chrome-flags={CHROME_FLAGS}",
        f"--extra-headers={json.dumps({'Cookie': cookie})}",
        "--max-wait-for-load=20000",
        "--quiet",
    ]
    env = {**os.environ, "CHROME_PATH": chrome}
    error = ""
    for _ in range(3):  # on a busy machine a trace is sometimes lost (NO_NAVSTART): again
        out.unlink(missing_ok=True)
        done = subprocess.run(  # noqa: S603
            command, cwd=REPO, env=env, capture_output=True, text=True, check=False
        )
        if done.returncode == 0 and out.exists():
            return json.loads(out.read_text(encoding="utf-8"))
        error = done.stderr[-3000:]
    raise SystemExit(f"lighthouse failed on {url}:\n{error}")


def result_of(page: str, url: str, report: dict) -> Result:
    audits = report["audits"]

    def value(name: str) -> float:
        return float(audits[name].get("numericValue") or 0)

    problems = [
        f"{audit['title']}: {audit.get('displayValue', '')}".rstrip(": ")
        for audit in audits.values()
        if audit.get("details", {}).get("type") == "opportunity"
        and (audit.get("score") is not None and audit["score"] < 0.9)
    ]
    return Result(
        page=page,
        url=url,
        score=round(100 * (report["categories"]["performance"]["score"] or 0)),
        fcp_ms=value("first-contentful-paint"),
        lcp_ms=value("largest-contentful-paint"),
        tbt_ms=value("total-blocking-time"),
        cls=value("cumulative-layout-shift"),
        bytes_total=int(value("total-byte-weight")),
        problems=problems,
    )


def measure(runs: int, chrome: str, save: Path | None = None) -> list[Result]:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        email, password = demo_folder(folder)
        server = start(folder, secret_key=SECRET)
        try:
            server.wait_until_up(180)  # a busy 2-core machine can take a minute
            cookie, board = session_cookie(server, email, password)
            results = []
            for page, path in (("Teambord", board), ("Mijn acties", "/mijn-acties")):
                url = server.url + path
                tries = []
                for i in range(runs):
                    report = folder / f"{page.replace(' ', '-').lower()}-{i + 1}.json"
                    tries.append(result_of(page, path, lighthouse(url, cookie, chrome, report)))
                    if save:
                        save.mkdir(parents=True, exist_ok=True)
                        shutil.copy(report, save / report.name)
                middle = median_low(t.score for t in tries)
                results.append(next(t for t in tries if t.score == middle))
            return results
        finally:
            server.stop()


def table(results: list[Result], runs: int) -> str:
    lines = [
        f"## Lighthouse, mobile (median of {runs} run{'s' if runs > 1 else ''})",
        "",
        "| page | performance | FCP | LCP | TBT | CLS | bytes transferred |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        lines.append(
            f"| {r.page} (`{r.url}`) | **{r.score:.0f}** | {r.fcp_ms / 1000:.1f} s "
            f"| {r.lcp_ms / 1000:.1f} s | {r.tbt_ms:.0f} ms | {r.cls:.3f} | {r.bytes_total:,} |"
        )
    lines += ["", "Target: performance ≥ 95 on both pages."]
    for r in results:
        if r.problems:
            lines += ["", f"What Lighthouse suggests for {r.page}:"]
            lines += [f"- {problem}" for problem in r.problems]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=1, help="runs per page (the median counts)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--save", type=Path, help="keep lighthouse's JSON reports here")
    parser.add_argument(
        "--chrome", default=os.environ.get("CHROME_PATH", "/usr/bin/chromium"), help="Chromium"
    )
    args = parser.parse_args(argv)
    results = measure(max(1, args.runs), args.chrome, args.save)
    text = table(results, max(1, args.runs))
    sys.stdout.write(text)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
