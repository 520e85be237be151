"""Pages that need no board: the start page, the teams overview and the accessibility statement."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from app.clock import ORGANISATION_TZ
from app.deps import SessionDep, Today
from app.domain.permissions import Access
from app.models import Escalation, Role, Team
from app.queries.boards import open_escalations_to
from app.queries.org import TeamNode, team_tree, teams_by_id
from app.queries.personal import OwnedAction, my_actions
from app.translatable import N_
from app.web.deps import OptionalViewerDep, ViewerDep
from app.web.forms import ROLE_LABELS
from app.web.i18n import gettext as _
from app.web.people import voor_mij
from app.web.personal import ActionView, action_view
from app.web.templating import render

router = APIRouter()


def role_in_words(role: Role) -> str:
    """A role inside a sentence ("jij: trekker"): the one label, lower-cased."""
    return _(ROLE_LABELS[role]).lower()


def greeting(hour: int) -> str:
    """Goedemorgen / goedemiddag / goedenavond by the clock in the Netherlands."""
    if 6 <= hour < 12:
        return N_("Goedemorgen")
    if 12 <= hour < 18:
        return N_("Goedemiddag")
    return N_("Goedenavond")


@dataclass(frozen=True)
class MyTeamView:
    team: Team
    role_label: str
    via: Team | None = None  # the team a representative sits in this team of teams for


def my_teams(access: Access, teams: dict[int, Team]) -> list[MyTeamView]:
    """The viewer's own teams with their role, then the teams of teams they sit in as
    representative."""
    own = [
        MyTeamView(team=teams[team_id], role_label=role_in_words(role))
        for team_id, role in access.roles.items()
        if team_id in teams
    ]
    above = [
        MyTeamView(
            team=teams[parent_id],
            role_label=role_in_words(access.roles[child_id]),  # representative or deputy
            via=teams[child_id],
        )
        for parent_id in access.board_teams() - set(access.roles)
        if parent_id in teams
        for child_id in access.represents_in(parent_id)
        if child_id in teams
    ]
    by_name = lambda view: (view.team.name.casefold(), view.team.id or 0)  # noqa: E731
    return sorted(own, key=by_name) + sorted(above, key=by_name)


@dataclass(frozen=True)
class EscalationView:
    escalation: Escalation
    from_team: Team | None
    to_team: Team | None


def escalation_views(escalations: list[Escalation], teams: dict[int, Team]) -> list[EscalationView]:
    return [
        EscalationView(
            escalation=escalation,
            from_team=teams.get(escalation.from_team_id),
            to_team=teams.get(escalation.to_team_id),
        )
        for escalation in escalations
    ]


def due_soon(owned: list[OwnedAction]) -> list[OwnedAction]:
    return [item for item in owned if item.is_due_soon]


@router.get("/")
def start(request: Request, viewer: ViewerDep, session: SessionDep, today: Today) -> Response:
    assert viewer.user.id is not None
    teams = teams_by_id(session)
    soon: list[ActionView] = [
        action_view(item, viewer.access)
        for item in due_soon(my_actions(session, user_id=viewer.user.id, today=today))
    ]
    knelpunten = open_escalations_to(session, team_ids=viewer.access.board_teams())
    return render(
        request,
        "pages/start.html",
        {
            "greeting": _(greeting(datetime.now(ORGANISATION_TZ).hour)),
            "my_teams": my_teams(viewer.access, teams),
            "due_soon": soon,
            "escalations": escalation_views(knelpunten, teams),
            "voor_mij": voor_mij(session, viewer),  # mentions of me not seen yet
        },
        block="start",
    )


@dataclass(frozen=True)
class TeamTreeView:
    """A node of the teams overview, with what the template shows about it."""

    team: Team
    is_team_of_teams: bool
    my_role: str | None
    children: list[TeamTreeView]


def role_label(access: Access, team_id: int | None) -> str | None:
    """The viewer's role in a team in words, a representative's seat in the team of teams
    included."""
    if team_id is None:
        return None
    if team_id in access.roles:
        return role_in_words(access.roles[team_id])
    seats = access.represents_in(team_id)
    return role_in_words(access.roles[seats[0]]) if seats else None


def tree_view(nodes: list[TeamNode], access: Access) -> list[TeamTreeView]:
    return [
        TeamTreeView(
            team=node.team,
            is_team_of_teams=bool(node.children),
            my_role=role_label(access, node.team.id),
            children=tree_view(node.children, access),
        )
        for node in nodes
    ]


@router.get("/teams")
def teams_overview(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    tree = team_tree(list(teams_by_id(session).values()))
    return render(
        request, "teams/index.html", {"tree": tree_view(tree, viewer.access)}, block="teams"
    )


@router.get("/toegankelijkheid")
def accessibility_statement(request: Request, viewer: OptionalViewerDep) -> Response:
    return render(request, "pages/accessibility.html", {})
