"""Staand overleg: a team of teams walks its own board and then each child team's, one at a
time, in large type on a shared screen, with a countdown per team."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import PathId
from app.models import Team
from app.queries.boards import child_teams
from app.services.access import get_or_404
from app.services.sprints import current_sprint
from app.web.boards.page import Place, load
from app.web.boards.view import STANDUP
from app.web.deps import PageDep
from app.web.templating import render

router = APIRouter()

TEMPLATE = "boards/standup.html"
DEFAULT_MINUTES = 2


def clock_text(seconds: int) -> str:
    """ "02:00": minutes and seconds, as the countdown shows them."""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


@router.get("/teams/{team_id}/staand-overleg")
def standup(
    page: PageDep,
    team_id: PathId,
    team: Annotated[int, Query(ge=0, le=10_000)] = 0,
    minuten: Annotated[int, Query(ge=1, le=60)] = DEFAULT_MINUTES,
) -> Response:
    request, viewer, session, engine, today = page
    root = get_or_404(session, Team, team_id, "Team")
    order = [root, *child_teams(session, team_id=team_id)]
    index = min(team, len(order) - 1)
    sprint = current_sprint(session=session, engine=engine, today=today)
    view = load(
        request,
        session,
        viewer.access,
        Place(order[index], sprint, sprint),
        today,
        weergave=STANDUP,
    )

    def step(to: int) -> str | None:
        if not 0 <= to < len(order):
            return None
        return f"/teams/{team_id}/staand-overleg?team={to}&minuten={minuten}"

    context = {
        "view": view,
        "oob": (),
        "root": root,
        "order": order,
        "index": index,
        "previous_url": step(index - 1),
        "next_url": step(index + 1),
        "previous_team": order[index - 1] if index > 0 else None,
        "next_team": order[index + 1] if index + 1 < len(order) else None,
        "seconds": minuten * 60,
        "clock": clock_text(minuten * 60),
    }
    return render(request, TEMPLATE, context)
