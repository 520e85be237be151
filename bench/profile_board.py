"""Where a board's time goes: cProfile of reading the 200-card board (build_board, as the page
does) and of rendering its template, in this process, without HTTP. For the benchmark's report.

    python -m bench.profile_board --team 12 --email a@b.nl   # with VERBETERBORD_* set
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import time
from typing import Any

from sqlmodel import Session, select
from starlette.requests import Request

from app import clock
from app.config import get_settings
from app.db import create_db_engine
from app.models import Team, User
from app.services import sprints
from app.services.access import access_for
from app.web.boards.view import BoardView, build_board
from app.web.deps import Viewer
from app.web.templating import templates

TEMPLATE = "boards/team.html"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--team", type=int, required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    engine = create_db_engine(get_settings())
    today = clock.today()
    viewer: dict[str, Any] = {}

    def read() -> BoardView:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.email == args.email)).one()
            team = session.get(Team, args.team)
            sprint = sprints.find_current(session=session, today=today)
            assert team is not None and sprint is not None
            access = access_for(session, user)
            viewer["viewer"] = Viewer(user=user, access=access, csrf_token="c" * 43, session_id=1)
            return build_board(
                session, access=access, team=team, sprint=sprint, current=sprint, today=today
            )

    template = templates.env.get_template(TEMPLATE)
    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}

    def render(view: BoardView) -> str:
        return template.render(
            request=Request(scope),
            viewer=viewer["viewer"],
            csrf_token="c" * 43,
            locale="nl",
            path="/",
            mention_people=None,
            view=view,
            oob=(),
        )

    view = read()
    render(view)
    out = io.StringIO()
    for name, work in (("reading the board", read), ("rendering it", lambda: render(view))):
        started = time.perf_counter()
        for _ in range(args.rounds):
            work()
        plain = (time.perf_counter() - started) / args.rounds * 1000
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.rounds):
            work()
        profile.disable()
        out.write(f"### {name}: {plain:.1f} ms (mean of {args.rounds}, without the profiler)\n\n")
        out.write("```\n")
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats("tottime").print_stats(15)
        out.write("```\n\n")
    text = out.getvalue()
    # keep the table, drop pstats' preamble lines that name this machine's paths
    print(text.replace(str(get_settings().data_dir), "<data>"))


if __name__ == "__main__":
    main()
