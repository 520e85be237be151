"""What a phone fetches for a team board: HTML bytes per card, plain and gzipped, and the CSS and
JS the page names, as sent (gzipped) and as files. A measurement, not a test.

    python -m bench.page_weight              # a 40-card board, Markdown on stdout
    python -m bench.page_weight --cards 200 --out bench/results/page-weight.md

The board is built the way benchmarks/ builds its boards (tests/support/builders.py plus bulk
inserts) on a new SQLite file, and read through the whole app in this process (TestClient), so
the bytes are the bytes uvicorn would send: the same middleware, gzip included.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from app import deps
from app.config import Settings
from app.db import create_db_engine
from app.main import create_app
from app.migrate import migrate_to_head
from app.services import auth
from benchmarks.conftest import bulk_actions
from tests.conftest import TODAY
from tests.support.builders import World, build_world
from tests.support.clients import page_client

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
STYLESHEET = re.compile(r'<link rel="stylesheet" href="([^"]+)"( media="print")?')
SCRIPT = re.compile(r'<script src="([^"]+)"')


@dataclass
class Sent:
    url: str
    plain: int  # bytes of the file or page
    wire: int  # bytes of the body as sent to a browser that accepts gzip
    note: str = ""


def sent(client: TestClient, url: str, note: str = "") -> Sent:
    plain = client.get(url, headers=IDENTITY)
    assert plain.status_code == 200, (url, plain.status_code)
    with client.stream("GET", url, headers=GZIP) as zipped:
        wire = sum(len(chunk) for chunk in zipped.iter_raw())
    return Sent(url=url, plain=len(plain.content), wire=wire, note=note)


@contextmanager
def board_app(folder: Path) -> Iterator[tuple[TestClient, World]]:
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)  # made-up users
    settings = Settings(data_dir=folder, secret_key="page-weight-secret-key")  # noqa: S106
    migrate_to_head(settings.resolved_database_url)
    engine = create_db_engine(settings)
    try:
        world = build_world(engine, today=TODAY)
        app = create_app(settings, engine=engine)
        app.dependency_overrides[deps.get_today] = lambda: TODAY
        client = page_client(app, world, "member")
        with client:
            yield client, world
    finally:
        engine.dispose()


def measure(cards: int) -> str:
    with tempfile.TemporaryDirectory() as folder, board_app(Path(folder)) as (client, world):
        assert world.team.id is not None
        url = f"/teams/{world.team.id}"
        empty = sent(client, url, "no cards")
        ids = world.ids
        owners = [ids["member"], ids["representative"], ids["lead"]]
        bulk_actions(client.app.state.engine, world, world.team.id, owners, cards)  # type: ignore[attr-defined]
        board = sent(client, url, f"{cards} cards")
        html = client.get(url).text
        assets = [
            sent(client, href, "print only" if media else "")
            for href, media in STYLESHEET.findall(html)
        ] + [sent(client, src) for src in SCRIPT.findall(html)]

    per_card_plain = (board.plain - empty.plain) / cards
    per_card_wire = (board.wire - empty.wire) / cards
    screen = [a for a in assets if a.note != "print only"]
    lines = [
        f"## Page weight of a team board with {cards} cards",
        "",
        "| what | plain bytes | gzipped, as sent | note |",
        "|---|---:|---:|---|",
        f"| board HTML, no cards | {empty.plain:,} | {empty.wire:,} | page chrome |",
        f"| board HTML, {cards} cards | {board.plain:,} | {board.wire:,} | |",
        f"| per card (difference / {cards}) | {per_card_plain:,.0f} | {per_card_wire:,.0f} "
        "| target ≤ 600 plain |",
    ]
    for asset in assets:
        lines.append(
            f"| {asset.url.split('?')[0]} | {asset.plain:,} | {asset.wire:,} | {asset.note} |"
        )
    lines += [
        f"| **CSS + JS for the screen** | {sum(a.plain for a in screen):,} "
        f"| **{sum(a.wire for a in screen):,}** | target ≤ 150 KB as sent |",
        f"| CSS + JS with print.css | {sum(a.plain for a in assets):,} "
        f"| {sum(a.wire for a in assets):,} | |",
        "",
        "Fonts (static/vendor/noto-sans, woff2, not compressed again) come on top: the browser "
        "fetches only the unicode ranges a page uses.",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--cards", type=int, default=40)
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    args = parser.parse_args(argv)
    table = measure(args.cards)
    sys.stdout.write(table)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(table, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
