"""Staand overleg: a team of teams walks its own board and then each child team's, one at a
time, in large type on a shared screen, without the site's navigation.

The first screen holds the plan (order of the child teams, minutes per team); it travels from
screen to screen in the query (?volgorde=3&volgorde=2&minuten=4). The clocks (the meeting's
and each team's) run in static/js/standup.js and survive page changes in sessionStorage.
The open knelpunten sent to the team of teams are on every screen with their resolve form
(page.resolve_knelpunt answers HTMX with that block), so the meeting never leaves the stand-up.
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Query
from starlette.responses import Response

from app.deps import PathId
from app.domain import standup as plan
from app.models import Team
from app.queries.boards import child_teams
from app.services.access import get_or_404
from app.services.errors import Invalid
from app.services.sprints import working_sprint
from app.web.boards.page import Place, load
from app.web.boards.view import STANDUP, BoardView
from app.web.deps import PageDep
from app.web.templating import render

router = APIRouter()

TEMPLATE = "boards/standup.html"
DEFAULT_MINUTES = plan.DEFAULT_MINUTES


def clock_text(seconds: int) -> str:
    """ "02:00": minutes and seconds, as the countdown shows them."""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def whole_number(text: str, message: str) -> int:
    """A number from the query, or the Dutch message as a 422 page."""
    try:
        return int(text.strip())
    except ValueError:
        raise Invalid({"plan": message}) from None


def chosen_plan(
    children: list[Team], volgorde: list[str], minuten: str | None
) -> tuple[list[Team], int]:
    """The child teams in the order asked for and the minutes per team; 422 when they are bad."""
    minutes = DEFAULT_MINUTES if minuten is None else whole_number(minuten, plan.BAD_MINUTES)
    order = [whole_number(text, plan.BAD_ORDER) for text in volgorde]
    ids = [team.id for team in children if team.id is not None]
    problem = plan.minutes_problem(minutes) or plan.order_problem(children=ids, order=order)
    if problem:
        raise Invalid({"plan": problem})
    by_id = {team.id: team for team in children}
    return [by_id[team_id] for team_id in plan.walk(children=ids, order=order)], minutes


@router.get("/teams/{team_id}/staand-overleg")
def standup(
    page: PageDep,
    team_id: PathId,
    team: Annotated[int, Query(ge=0, le=10_000)] = 0,
    minuten: str | None = None,
    volgorde: Annotated[list[str] | None, Query()] = None,
) -> Response:
    request, viewer, session, engine, today = page
    root = get_or_404(session, Team, team_id, "Team")
    children = child_teams(session, team_id=team_id)
    walked, minutes = chosen_plan(children, volgorde or [], minuten)
    order = [root, *walked]
    index = min(team, len(order) - 1)
    sprint = working_sprint(session=session, engine=engine, today=today)

    def board(shown: Team) -> BoardView:
        place = Place(shown, sprint, sprint)
        return load(request, session, viewer.access, place, today, weergave=STANDUP)

    view = board(order[index])
    # The team of teams' own knelpunten (and its teams) are on every screen. Seam: resolving a
    # knelpunt is how the meeting records a decision for now; attendance and a list of
    # decisions of the meeting come with a later issue and belong here.
    meeting = view if index == 0 else board(root)

    def step(to: int) -> str | None:
        if not 0 <= to < len(order):
            return None
        query: list[tuple[str, str | int]] = [("team", to), ("minuten", minutes)]
        if volgorde:
            query += [("volgorde", t.id or 0) for t in walked]
        return f"/teams/{team_id}/staand-overleg?{urlencode(query)}"

    context = {
        "view": view,
        "meeting": meeting,
        "oob": (),
        "root": root,
        "order": order,
        "walked": walked,
        "index": index,
        "minutes": minutes,
        "minutes_min": plan.MINUTES_MIN,
        "minutes_max": plan.MINUTES_MAX,
        "planned": volgorde is not None or minuten is not None,
        "clock_key": f"{team_id}:{today.isoformat()}",
        "previous_url": step(index - 1),
        "next_url": step(index + 1),
        "previous_team": order[index - 1] if index > 0 else None,
        "next_team": order[index + 1] if index + 1 < len(order) else None,
        "seconds": minutes * 60,
        "clock": clock_text(minutes * 60),
    }
    return render(request, TEMPLATE, context)
