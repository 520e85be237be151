"""Admin pages for teams: the team tree, one team's details, and its members.

Admins manage everything here; the lead (trekker) of a team may reach its page to manage its
members, and sees only that."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request, status
from pydantic import BaseModel, Field
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.domain.permissions import SEATED_ROLES
from app.domain.teams import would_create_cycle
from app.models import Membership, MembershipWrite, Role, Team, TeamCreate, TeamUpdate, User
from app.queries import admin as queries_admin
from app.services import org
from app.services.access import get_or_404, team_parents
from app.translatable import N_
from app.web.admin.access import admin_pages, member_managers
from app.web.deps import Viewer, ViewerDep
from app.web.forms import (
    CHECK_FORM,
    REQUIRED,
    ROLE_LABELS,
    FormError,
    form_id,
    notice,
    parse,
    required,
    saved_answer,
    see_other,
    submit,
)
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()
# each route below says who may reach it, once: the services check their writes again
ADMINS = [Depends(admin_pages)]
MEMBER_MANAGERS = [Depends(member_managers)]

FormText = Annotated[str, Form(max_length=10_000)]
T = TypeVar("T")

PARENT_UNKNOWN = N_("Kies een team van teams uit de lijst.")


class TeamForm(BaseModel):
    """The team form as typed."""

    name: str = Field(default="", max_length=10_000)
    description: str = Field(default="", max_length=10_000)
    parent_id: str = Field(default="", max_length=10_000)

    def data(self, model: type[T]) -> T:
        """The write model the API uses (TeamCreate or TeamUpdate)."""
        parent_id = form_id(self.parent_id, "parent_id", PARENT_UNKNOWN)
        return parse(model, name=self.name, description=self.description, parent_id=parent_id)


# --- The tree -----------------------------------------------------------------------------
def _teams_page(
    request: Request,
    session: Session,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    context = {
        "section": "teams",
        "tree": queries_admin.team_tree(session),
        "parent_choices": queries_admin.teams(session),
        "form": form or {"name": "", "description": "", "parent_id": ""},
        "errors": errors or {},
    }
    return render(request, "admin/teams.html", context)


@router.get("/beheer/teams", dependencies=ADMINS)
def teams_page(request: Request, session: SessionDep) -> Response:
    return _teams_page(request, session)


@router.post("/beheer/teams", dependencies=ADMINS)
def create_team(
    request: Request, viewer: ViewerDep, session: SessionDep, form: Annotated[TeamForm, Form()]
) -> Response:
    return submit(
        session,
        lambda: org.create_team(session=session, actor=viewer.access, data=form.data(TeamCreate)),
        refused=lambda errors: _teams_page(request, session, form=form.model_dump(), errors=errors),
        saved=lambda team: see_other(f"/beheer/teams/{team.id}"),
    )


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


def _load_team(session: Session, viewer: Viewer, team_id: int) -> TeamPage:
    team = get_or_404(session, Team, team_id, "Team")
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
    # a team without a team of teams above it has nobody to represent it there, nor a deputy
    roles = [role for role in Role if team.parent_id is not None or role not in SEATED_ROLES]
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


@router.get("/beheer/teams/{team_id}", dependencies=MEMBER_MANAGERS)
def team_page(
    request: Request, team_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    return _render_team(request, session, _load_team(session, viewer, team_id))


@router.post("/beheer/teams/{team_id}", dependencies=ADMINS)
def update_team(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    form: Annotated[TeamForm, Form()],
) -> Response:
    def refused(errors: dict[str, str]) -> Response:
        page = _load_team(session, viewer, team_id)
        page.form = form.model_dump()
        page.errors = errors
        return _render_team(request, session, page)

    return submit(
        session,
        lambda: org.update_team(
            session=session,
            actor=viewer.access,
            team_id=team_id,
            data=form.data(TeamUpdate),
        ),
        refused=refused,
        saved=lambda _team: see_other(f"/beheer/teams/{team_id}"),
    )


@router.post("/beheer/teams/{team_id}/verwijderen", dependencies=ADMINS)
def delete_team(
    request: Request, team_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    try:
        org.delete_team(session=session, actor=viewer.access, team_id=team_id)
    except org.TeamNotEmpty as exc:
        session.rollback()
        page = _load_team(session, viewer, team_id)
        page.delete_error = _(exc.message)
        return _render_team(request, session, page, status_code=status.HTTP_409_CONFLICT)
    return see_other("/beheer/teams")


# --- Members ------------------------------------------------------------------------------
def _member_name(session: Session, user_id: int) -> str:
    user = session.get(User, user_id)
    return user.name if user else ""


def _role_in_words(membership: Membership) -> str:
    """The role inside a sentence ("… is toegevoegd als trekker.")."""
    return _(ROLE_LABELS[Role(membership.role)]).lower()


def _members_block(
    request: Request,
    session: Session,
    viewer: Viewer,
    team_id: int,
    *,
    message: str = "",
    add_form: dict[str, str] | None = None,
    add_errors: dict[str, str] | None = None,
    row_errors: dict[int, str] | None = None,
) -> Response:
    """The members block again, after a change (HTMX) or with a refused form's messages."""
    page = _load_team(session, viewer, team_id)
    page.add_form = add_form or page.add_form
    page.add_errors = add_errors or {}
    page.row_errors = row_errors or {}
    return _render_team(request, session, page, block="members", message=message)


def _after_member_change(
    request: Request, session: Session, viewer: Viewer, team_id: int, message: str
) -> Response:
    return saved_answer(
        request,
        f"/beheer/teams/{team_id}#team-{team_id}-leden",
        lambda: _members_block(request, session, viewer, team_id, message=message),
    )


@router.post("/beheer/teams/{team_id}/leden", dependencies=MEMBER_MANAGERS)
def add_member(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    user_id: FormText = "",
    role: FormText = "",
) -> Response:
    def save() -> Membership:
        chosen = form_id(user_id, "user_id", REQUIRED["user_id"])
        if chosen is None:
            raise FormError({"user_id": required("user_id")})
        return org.put_member(
            session=session,
            actor=viewer.access,
            team_id=team_id,
            user_id=chosen,
            role=parse(MembershipWrite, role=role).role,
        )

    def added(membership: Membership) -> Response:
        message = _("%(name)s is toegevoegd als %(role)s.") % {
            "name": _member_name(session, membership.user_id),
            "role": _role_in_words(membership),
        }
        return _after_member_change(request, session, viewer, team_id, message)

    return submit(
        session,
        save,
        refused=lambda errors: _members_block(
            request,
            session,
            viewer,
            team_id,
            add_form={"user_id": user_id, "role": role},
            add_errors=errors,
            message=_(CHECK_FORM),
        ),
        saved=added,
    )


@router.post("/beheer/teams/{team_id}/leden/{user_id}", dependencies=MEMBER_MANAGERS)
def change_role(
    request: Request,
    team_id: PathId,
    user_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    role: FormText = "",
) -> Response:
    def changed(membership: Membership) -> Response:
        message = _("%(name)s is nu %(role)s.") % {
            "name": _member_name(session, user_id),
            "role": _role_in_words(membership),
        }
        return _after_member_change(request, session, viewer, team_id, message)

    def refused(errors: dict[str, str]) -> Response:
        error = " ".join(errors.values())
        return _members_block(
            request, session, viewer, team_id, row_errors={user_id: error}, message=error
        )

    return submit(
        session,
        lambda: org.put_member(
            session=session,
            actor=viewer.access,
            team_id=team_id,
            user_id=user_id,
            role=parse(MembershipWrite, role=role).role,
        ),
        refused=refused,
        saved=changed,
    )


@router.post("/beheer/teams/{team_id}/leden/{user_id}/verwijderen", dependencies=MEMBER_MANAGERS)
def remove_member(
    request: Request, team_id: PathId, user_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    org.remove_member(session=session, actor=viewer.access, team_id=team_id, user_id=user_id)
    message = _("%(name)s is uit het team gehaald.") % {"name": _member_name(session, user_id)}
    return _after_member_change(request, session, viewer, team_id, message)
