"""The ceiling for the board: this stack (uvicorn + Jinja2, the app's own template, context and
gzip) rendering the same board markup from objects already in memory. The board is read once
at start-up; every request only renders it. A page can be no faster than this.

    python -m bench.ceiling --team 12 --email a@b.nl --port 8123   # with VERBETERBORD_* set
"""

from __future__ import annotations

import argparse
import gc
from datetime import date
from typing import Any

import uvicorn
from sqlmodel import Session, select
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from app import clock
from app.config import get_settings
from app.db import create_db_engine
from app.main import NOT_COMPRESSED
from app.models import Team, User
from app.services import sprints
from app.services.access import access_for
from app.web.boards.view import build_board
from app.web.deps import Viewer
from app.web.templating import render

TEMPLATE = "boards/team.html"


def board_context(team_id: int, email: str, today: date) -> dict[str, Any]:
    """The board and the page context a signed-in viewer gets, read once."""
    engine = create_db_engine(get_settings())
    session = Session(engine)
    user = session.exec(select(User).where(User.email == email)).one()
    team = session.get(Team, team_id)
    assert team is not None and user.id is not None
    sprint = sprints.find_current(session=session, today=today)
    assert sprint is not None
    access = access_for(session, user)
    view = build_board(
        session, access=access, team=team, sprint=sprint, current=sprint, today=today
    )
    viewer = Viewer(user=user, access=access, csrf_token="c" * 43, session_id=1)
    return {
        "page": {"viewer": viewer, "csrf_token": viewer.csrf_token, "mention_people": None},
        "view": view,
    }


def make_app(team_id: int, email: str) -> Starlette:
    loaded = board_context(team_id, email, clock.today())
    settings = get_settings()

    async def board(request: Request) -> Response:
        request.state.page_context = loaded["page"]
        request.state.locale = "nl"
        return render(request, TEMPLATE, {"view": loaded["view"], "oob": ()}, block="board")

    app = Starlette(
        routes=[Route("/board", board)],
        middleware=[
            Middleware(
                GZipMiddleware,
                minimum_size=1024,
                compresslevel=6,
                exclude_content_types=NOT_COMPRESSED,
            )
        ],
    )
    app.state.settings = settings
    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--team", type=int, required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    app = make_app(args.team, args.email)
    gc.collect()
    gc.freeze()
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
