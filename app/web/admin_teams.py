"""Admin pages for teams: the team tree, one team's details, and its members.

Admins manage everything here; the lead (trekker) of a team may reach its page to manage its
members, and sees only that."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.domain.teams import would_create_cycle
from app.models import Role, Team, TeamCreate, TeamUpdate, User
from app.queries import admin as queries_admin
from app.services import org
from app.services.access import get_or_404, team_parents
from app.services.errors import Forbidden, Invalid
from app.web.admin_common import (
    N_,
    ROLE_LABELS,
    UNPROCESSABLE,
    FormError,
    PageViewer,
    build,
    notice,
    optional_id,
    require_administrator,
    see_other,
    translated,
)
from app.web.deps import Viewer
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

router = APIRouter()

FormText = Annotated[str, Form(max_length=10_000)]

TEAM_MESSAGES = {
    "name": N_("Geef het team een naam van hoogstens 100 tekens."),
    "description": N_("Een beschrijving is hoogstens 2000 tekens lang."),
}
PARENT_UNKNOWN = N_("Kies een team van teams uit de lijst.")
NOT_EMPTY = N_(
    "Dit team heeft nog acties, knelpunten of subteams en kan daarom niet weg. "
    "Verplaats of verwijder die eerst."
)


def _team_data(name: str, description: str, parent_id: str, model: type[Any]) -> Any:
    return build(
        model,
        TEAM_MESSAGES,
        name=name,
        description=description,
        parent_id=optional_id(parent_id, "parent_id", PARENT_UNKNOWN),
    )


# --- The tree -----------------------------------------------------------------------------
def _teams_page(
    request: Request,
    session: Session,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "section": "teams",
        "tree": queries_admin.team_tree(session),
        "parent_choices": queries_admin.teams(session),
        "form": form or {"name": "", "description": "", "parent_id": ""},
        "errors": errors or {},
    }
    return render(request, "admin/teams.html", context, status_code=status_code)


@router.get("/beheer/teams")
def teams_page(request: Request, viewer: PageViewer, session: SessionDep) -> Response:
    require_administrator(viewer)
    return _teams_page(request, session)


@router.post("/beheer/teams")
def create_team(
    request: Request,
    viewer: PageViewer,
    session: SessionDep,
    name: FormText = "",
    description: FormText = "",
    parent_id: FormText = "",
) -> Response:
    require_administrator(viewer)
    form = {"name": name, "description": description, "parent_id": parent_id}
    try:
        data = _team_data(name, description, parent_id, TeamCreate)
        team = org.create_team(session=session, actor=viewer.access, data=data)
    except (FormError, Invalid) as exc:
        errors = exc.errors if isinstance(exc, FormError) else translated(exc.errors)
        return _teams_page(request, session, form=form, errors=errors, status_code=UNPROCESSABLE)
    return see_other(f"/beheer/teams/{team.id}")


# --- One team -----------------------------------------------------------------------------
@dataclass(frozen=True)
class MemberRow:
    user_id: int
    name: str
    email: str
    role: str
    role_label: str
    choices: list[tuple[str, str]]
    error: str = ""


@dataclass
class TeamPage:
    """What the team page shows, and what the viewer may do there."""

    team: Team
    can_edit: bool
    form: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    delete_error: str = ""
    row_errors: dict[int, str] = field(default_factory=dict)
    add_form: dict[str, str] = field(default_factory=lambda: {"user_id": "", "role": "member"})
    add_errors: dict[str, str] = field(default_factory=dict)


def _require_member_manager(viewer: Viewer, team_id: int) -> None:
    if not viewer.access.can_manage_members(team_id):
        raise Forbidden("Alleen de trekker van dit team of een beheerder beheert de leden.")


def _load_team(session: Session, viewer: Viewer, team_id: int) -> TeamPage:
    team = get_or_404(session, Team, team_id, "Team")
    _require_member_manager(viewer, team_id)
    return TeamPage(
        team=team,
        can_edit=viewer.access.can_administer(),
        form={
            "name": team.name,
            "description": team.description,
            "parent_id": str(team.parent_id or ""),
        },
    )


def _role_choices(team: Team) -> list[tuple[str, str]]:
    # a team without a team of teams above it has nobody to represent it there
    roles = [role for role in Role if team.parent_id is not None or role != Role.representative]
    return [(role.value, _(ROLE_LABELS[role])) for role in roles]


def _members_context(session: Session, page: TeamPage) -> dict[str, Any]:
    team = page.team
    assert team.id is not None
    choices = _role_choices(team)
    rows = []
    members = queries_admin.team_members(session, team_id=team.id)
    for membership, user in members:
        assert user.id is not None
        role = Role(membership.role)
        row_choices = choices if role.value in dict(choices) else [*choices, (role.value, "")]
        rows.append(
            MemberRow(
                user_id=user.id,
                name=user.name,
                email=user.email,
                role=role.value,
                role_label=_(ROLE_LABELS[role]),
                choices=[(value, label or _(ROLE_LABELS[role])) for value, label in row_choices],
                error=page.row_errors.get(user.id, ""),
            )
        )
    in_team = {row.user_id for row in rows}
    return {
        "team": team,
        "rows": rows,
        "represented": queries_admin.represented_members(session, team_id=team.id),
        "candidates": [u for u in queries_admin.active_users(session) if u.id not in in_team],
        "role_choices": choices,
        "add_form": page.add_form,
        "add_errors": page.add_errors,
    }


def _render_team(
    request: Request,
    session: Session,
    page: TeamPage,
    *,
    block: str | None = None,
    status_code: int = 200,
    message: str = "",
) -> Response:
    team = page.team
    assert team.id is not None
    team_id = team.id
    parents = team_parents(session)
    context = {
        "section": "teams",
        "page": page,
        "parent_choices": [
            other
            for other in queries_admin.teams(session)
            if other.id is not None and not would_create_cycle(team_id, other.id, parents)
        ],
        **_members_context(session, page),
        **notice(request, message),
    }
    return render(request, "admin/team.html", context, block=block, status_code=status_code)


@router.get("/beheer/teams/{team_id}")
def team_page(
    request: Request, team_id: PathId, viewer: PageViewer, session: SessionDep
) -> Response:
    return _render_team(request, session, _load_team(session, viewer, team_id))


@router.post("/beheer/teams/{team_id}")
def update_team(
    request: Request,
    team_id: PathId,
    viewer: PageViewer,
    session: SessionDep,
    name: FormText = "",
    description: FormText = "",
    parent_id: FormText = "",
) -> Response:
    page = _load_team(session, viewer, team_id)
    require_administrator(viewer)
    try:
        data = _team_data(name, description, parent_id, TeamUpdate)
        org.update_team(session=session, actor=viewer.access, team_id=team_id, data=data)
    except (FormError, Invalid) as exc:
        session.rollback()
        page.team = get_or_404(session, Team, team_id, "Team")
        page.form = {"name": name, "description": description, "parent_id": parent_id}
        page.errors = exc.errors if isinstance(exc, FormError) else translated(exc.errors)
        return _render_team(request, session, page, status_code=UNPROCESSABLE)
    return see_other(f"/beheer/teams/{team_id}")


@router.post("/beheer/teams/{team_id}/verwijderen")
def delete_team(
    request: Request, team_id: PathId, viewer: PageViewer, session: SessionDep
) -> Response:
    page = _load_team(session, viewer, team_id)
    require_administrator(viewer)
    try:
        org.delete_team(session=session, actor=viewer.access, team_id=team_id)
    except org.TeamNotEmpty:
        session.rollback()
        page.delete_error = _(NOT_EMPTY)
        return _render_team(request, session, page, status_code=409)
    return see_other("/beheer/teams")


# --- Members ------------------------------------------------------------------------------
def _parse_role(value: str, field: str = "role") -> Role:
    try:
        return Role(value)
    except ValueError:
        raise FormError({field: _("Kies een rol uit de lijst.")}) from None


def _after_member_change(
    request: Request, session: Session, page: TeamPage, message: str
) -> Response:
    if not is_htmx(request):
        return see_other(f"/beheer/teams/{page.team.id}#team-{page.team.id}-leden")
    return _render_team(request, session, page, block="members", message=message)


def _member_refused(request: Request, session: Session, page: TeamPage, message: str) -> Response:
    session.rollback()
    return _render_team(
        request, session, page, block="members", status_code=UNPROCESSABLE, message=message
    )


@router.post("/beheer/teams/{team_id}/leden")
def add_member(
    request: Request,
    team_id: PathId,
    viewer: PageViewer,
    session: SessionDep,
    user_id: FormText = "",
    role: FormText = "",
) -> Response:
    page = _load_team(session, viewer, team_id)
    try:
        chosen = optional_id(user_id, "user_id", N_("Kies een medewerker uit de lijst."))
        if chosen is None:
            raise FormError({"user_id": _("Kies een medewerker uit de lijst.")})
        membership = org.put_member(
            session=session,
            actor=viewer.access,
            team_id=team_id,
            user_id=chosen,
            role=_parse_role(role),
        )
    except (FormError, Invalid) as exc:
        page.add_form = {"user_id": user_id, "role": role}
        page.add_errors = exc.errors if isinstance(exc, FormError) else translated(exc.errors)
        return _member_refused(request, session, page, _("Controleer wat je hebt ingevuld."))
    member = _member_name(session, membership.user_id)
    message = _("%(name)s is toegevoegd als %(role)s.") % {
        "name": member,
        "role": _(ROLE_LABELS[Role(membership.role)]).lower(),
    }
    return _after_member_change(request, session, page, message)


def _member_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.name if user else ""


@router.post("/beheer/teams/{team_id}/leden/{user_id}")
def change_role(
    request: Request,
    team_id: PathId,
    user_id: PathId,
    viewer: PageViewer,
    session: SessionDep,
    role: FormText = "",
) -> Response:
    page = _load_team(session, viewer, team_id)
    try:
        membership = org.put_member(
            session=session,
            actor=viewer.access,
            team_id=team_id,
            user_id=user_id,
            role=_parse_role(role),
        )
    except (FormError, Invalid) as exc:
        errors = exc.errors if isinstance(exc, FormError) else translated(exc.errors)
        page.row_errors = {user_id: " ".join(errors.values())}
        return _member_refused(request, session, page, page.row_errors[user_id])
    message = _("%(name)s is nu %(role)s.") % {
        "name": _member_name(session, user_id),
        "role": _(ROLE_LABELS[Role(membership.role)]).lower(),
    }
    return _after_member_change(request, session, page, message)


@router.post("/beheer/teams/{team_id}/leden/{user_id}/verwijderen")
def remove_member(
    request: Request, team_id: PathId, user_id: PathId, viewer: PageViewer, session: SessionDep
) -> Response:
    page = _load_team(session, viewer, team_id)
    org.remove_member(session=session, actor=viewer.access, team_id=team_id, user_id=user_id)
    message = _("%(name)s is uit het team gehaald.") % {"name": _member_name(session, user_id)}
    return _after_member_change(request, session, page, message)
