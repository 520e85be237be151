"""How the database reaches the big tables (action, audit_event, comment, escalation) for the
board, Mijn acties, an ambition's progress and an action's history: through an index, never a
full scan (issue 10, item 5), on SQLite and on PostgreSQL.

The statements are the ones the real pages and API answers send (captured while a request is
answered), explained with their own parameters on the same database:

- SQLite: `EXPLAIN QUERY PLAN`; a `SCAN` of a big table (with or without an index: a scan
  reads every entry) fails, only `SEARCH ... USING INDEX` / `USING INTEGER PRIMARY KEY` passes.
  No ANALYZE, as in production: the planner's own estimates.
- PostgreSQL: `EXPLAIN (FORMAT JSON)` after `SET enable_seqscan = off` and with hash and merge
  joins off. With a few hundred rows the planner rightly prefers a sequential scan, or a whole
  index read into a hash join; switched off, it still takes one only where no index can serve
  the statement (a nested loop looks rows up by index where there is one). So a `Seq Scan`, or
  an index scan without a condition, of a big table here proves a missing index, and its
  absence proves an index can serve every statement at scale. (With hash joins allowed the
  choice between the two followed the statistics of the moment: a test that passed and failed
  on the same code.)
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, event

from app.config import Settings
from tests.support.builders import World
from tests.support.clients import create_test_app, page_client
from tests.support.query_counts import Growth

# escalation_step too: it grows with every knelpunt's history
BIG = ("action", "audit_event", "comment", "escalation", "escalation_step")


@dataclass
class Issued:
    statement: str
    parameters: Any


def capture(engine: Engine) -> tuple[list[Issued], Any]:
    issued: list[Issued] = []

    def keep(_conn, _cursor, statement, parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not executemany and re.match(r"\s*(SELECT|WITH)\b", statement, re.IGNORECASE):
            issued.append(Issued(statement, parameters))

    event.listen(engine, "before_cursor_execute", keep)
    return issued, keep


def plans(engine: Engine, issued: list[Issued]) -> list[tuple[str, list[str]]]:
    """(statement, the plan's lines) for every statement."""
    out = []
    raw = engine.raw_connection()
    try:
        cursor = raw.cursor()
        if engine.dialect.name == "postgresql":
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_hashjoin = off")
            cursor.execute("SET enable_mergejoin = off")
        for item in issued:
            if engine.dialect.name == "sqlite":
                cursor.execute("EXPLAIN QUERY PLAN " + item.statement, item.parameters)
                lines = [row[3] for row in cursor.fetchall()]
            else:
                cursor.execute("EXPLAIN (FORMAT JSON) " + item.statement, item.parameters)
                (document,) = cursor.fetchone()
                if isinstance(document, str):
                    document = json.loads(document)
                lines = list(_pg_nodes(document[0]["Plan"]))
            out.append((item.statement, lines))
        raw.rollback()
    finally:
        raw.close()
    return out


def _pg_nodes(node: dict[str, Any]) -> Iterator[str]:
    """One line per plan node: its type, table, index and whether the index is searched."""
    parts = [node["Node Type"], node.get("Relation Name", ""), node.get("Index Name", "")]
    if "Index Cond" in node:
        parts.append("(searched)")
    yield " ".join(part for part in parts if part)
    for child in node.get("Plans", []):
        yield from _pg_nodes(child)


def full_scans(dialect: str, lines: list[str], statement: str = "") -> list[str]:
    """The plan lines that read a whole big table (or its whole index)."""
    # SQLite names a table by its alias in the statement ("action AS action_1")
    tables = {alias: table for table, alias in re.findall(r"\b(\w+) AS (\w+)\b", statement)}
    found = []
    for line in lines:
        words = line.split()
        if dialect == "sqlite":
            # "SCAN action", "SCAN action USING INDEX ..." read every row; "SEARCH ..." does not
            if words[:1] == ["SCAN"] and tables.get(words[1], words[1]) in BIG:
                found.append(line)
        elif any(table in BIG for table in words) and (
            # a Seq Scan, or an Index (Only) Scan that walks the whole index without a condition
            words[0] == "Seq" or (words[0] == "Index" and "(searched)" not in words)
        ):
            found.append(line)
    return found


def test_a_full_scan_is_seen_on_either_database(engine: Engine):
    """The check above is not blind: a statement no index serves is caught, also by alias."""
    scanning = [
        Issued("SELECT action.id FROM action WHERE action.title = 'Bel'", ()),
        Issued("SELECT a.id FROM comment AS a WHERE a.body = 'Goed'", ()),
    ]
    searching = [Issued("SELECT action.id FROM action WHERE action.id = 7", ())]
    dialect = engine.dialect.name
    for item, (statement, lines) in zip(scanning, plans(engine, scanning), strict=True):
        assert full_scans(dialect, lines, statement), (item.statement, lines)
    [(statement, lines)] = plans(engine, searching)
    assert not full_scans(dialect, lines, statement), lines


SUBJECTS = {
    "board": [
        "/teams/{team}",
        "/teams/{top}",
        "/teams/{team}/knelpunten",
        "/api/v1/teams/{team}/board",
        "/api/v1/teams/{top}/board",
    ],
    "mijn-acties": ["/mijn-acties", "/api/v1/actions?mine=true"],
    "ambition-progress": ["/ambities/{ambition}", "/api/v1/ambitions/{ambition}/progress"],
    "history": [
        "/teams/{team}/acties/{action}",
        "/api/v1/actions/{action}/history",
        "/api/v1/actions/{action}/comments",
    ],
    # beyond the four the issue names: the other pages a busy organisation opens every day
    "others": [
        "/teams/{top}/staand-overleg",
        "/knelpunten/{escalation}",
        "/overzicht",
        "/stand-van-zaken",
        "/ambities",
        "/api/v1/teams/{top}/escalations",
    ],
}


@pytest.mark.parametrize("subject", list(SUBJECTS))
def test_the_big_tables_are_reached_through_an_index(
    engine: Engine, settings: Settings, world: World, subject: str
):
    grown = Growth(world).to(200)
    names = {
        "team": world.team.id,
        "top": world.team_of_teams.id,
        "ambition": grown.ambition_id,
        "action": grown.action_id,
        "escalation": grown.escalation_id,
    }
    client = page_client(create_test_app(settings, engine), world, "member")
    found: list[str] = []
    with client:
        for address in SUBJECTS[subject]:
            url = address.format(**names)
            client.get(url, headers=world.headers("member"))  # a first visit may write
            issued, keep = capture(engine)
            try:
                response = client.get(url, headers=world.headers("member"))
            finally:
                event.remove(engine, "before_cursor_execute", keep)
            assert response.status_code == 200, url
            assert issued, url
            for statement, lines in plans(engine, issued):
                scans = full_scans(engine.dialect.name, lines, statement)
                if scans:
                    found.append(f"{url}: {scans} in {' '.join(statement.split())}\n{lines}")
    assert not found, "\n\n".join(found)
