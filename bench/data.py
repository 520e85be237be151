"""The data sets of `make bench`: the large demo (or a smaller one) on SQLite or PostgreSQL, and
what the benchmark needs to know about it, as JSON.

    python -m bench.data --url sqlite:////tmp/x/verbeterbord.db --actions 500000 --out info.json

Run in a process of its own, so the time it prints is the time `verbeterbord demo --scale
large` takes for that size.
"""

from __future__ import annotations

import argparse
import json
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app import clock
from app.config import Settings
from app.db import create_db_engine
from app.demo import seed_demo
from app.demo.large import LargeScale
from app.migrate import migrate_to_head
from app.models import Action, Ambition, AuditEvent, Comment, Sprint, Team


def describe(session: Session, info: dict[str, Any]) -> dict[str, Any]:
    """Which teams, people and ambition the benchmark reads."""
    teams = [
        (int(team_id or 0), parent_id)
        for team_id, parent_id in session.exec(
            select(Team.id, Team.parent_id).order_by(col(Team.id))
        )
    ]
    children: dict[int, list[int]] = {}
    for team_id, parent_id in teams:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(team_id)
    parents = set(children)
    leaves = [team_id for team_id, parent in teams if team_id not in parents and parent]
    # the team of teams whose number of child teams is nearest 10
    tot = min(children, key=lambda team: (abs(len(children[team]) - 10), team))
    current = session.exec(
        select(Sprint.id)
        .where(col(Sprint.closed_at).is_(None))
        .order_by(col(Sprint.start_date).desc())
    ).first()

    def cards(team_id: int | None) -> int:
        return session.exec(
            select(func.count()).where(
                Action.team_id == team_id,
                Action.sprint_id == current,
                col(Action.status) != "dropped",
            )
        ).one()

    ambition = session.exec(
        select(Action.ambition_id, func.count())
        .where(col(Action.ambition_id).is_not(None))
        .group_by(col(Action.ambition_id))
        .order_by(func.count().desc())
    ).first()
    return {
        **info,
        "current_sprint": current,
        "busy_team": leaves[0],
        "busy_cards": cards(leaves[0]),
        "huge_team": leaves[1],
        "huge_cards": cards(leaves[1]),
        "tot_team": tot,
        "tot_children": len(children[tot]),
        "ambition": ambition[0] if ambition else session.exec(select(Ambition.id)).first(),
        "ambition_actions": ambition[1] if ambition else 0,
        "actions": session.exec(select(func.count()).select_from(Action)).one(),
        "comments": session.exec(select(func.count()).select_from(Comment)).one(),
        "audit_events": session.exec(select(func.count()).select_from(AuditEvent)).one(),
    }


def build(url: str, size: LargeScale, folder: Path) -> dict[str, Any]:
    migrate_to_head(url)
    engine = create_db_engine(Settings(data_dir=folder), url=url)
    try:
        started, cpu = time.perf_counter(), time.process_time()
        result = seed_demo(engine=engine, today=clock.today(), scale="large", size=size)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
        logins = {login.role: {"email": login.email, "password": login.password}
                  for login in result.logins}  # fmt: skip
        with Session(engine) as session:
            return describe(
                session,
                {"seconds": seconds, "cpu_seconds": cpu_seconds, "logins": logins, "url": url},
            )
    finally:
        engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--actions", type=int, default=LargeScale().actions)
    parser.add_argument("--current-actions", type=int, default=None)
    parser.add_argument("--huge-board", type=int, default=LargeScale().huge_board)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    size = replace(
        LargeScale(),
        actions=args.actions,
        current_actions=args.current_actions,
        huge_board=args.huge_board,
    )
    info = build(args.url, size, args.out.parent)
    args.out.write_text(json.dumps(info, indent=2))
    print(
        f"{info['actions']} actions, {info['audit_events']} audit events, "
        f"{info['comments']} comments in {info['seconds']:.1f} s ({info['cpu_seconds']:.1f} s CPU)"
    )


if __name__ == "__main__":
    main()
