"""Admin pages: the overview, locations (gemeenten / vestigingen) and staff (medewerkers).

Teams are in admin_teams.py, sprints in admin_sprints.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.models import Location, LocationCreate, User, UserCreate
from app.queries import admin as queries_admin
from app.services import org
from app.services.errors import Invalid
from app.web.admin_common import (
    N_,
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

LOCATION_MESSAGES = {"name": N_("Vul een naam in van hoogstens 100 tekens.")}
USER_MESSAGES = {
    "email": N_("Vul een geldig e-mailadres in."),
    "name": N_("Vul een naam in van hoogstens 100 tekens."),
    "password": N_("Een wachtwoord is hoogstens 200 tekens lang."),
}


@router.get("/beheer")
def overview(request: Request, viewer: PageViewer) -> Response:
    require_administrator(viewer)
    return render(request, "admin/overview.html", {"section": "overview"})


# --- Locations ----------------------------------------------------------------------------
def _locations_page(
    request: Request,
    session: SessionDep,
    *,
    name: str = "",
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    context = {
        "section": "locations",
        "locations": queries_admin.locations(session),
        "name": name,
        "errors": errors or {},
        **(extra or {}),
    }
    return render(
        request, "admin/locations.html", context, block="locations", status_code=status_code
    )


@router.get("/beheer/gemeenten")
def locations_page(request: Request, viewer: PageViewer, session: SessionDep) -> Response:
    require_administrator(viewer)
    return _locations_page(request, session)


@router.post("/beheer/gemeenten")
def create_location(
    request: Request, viewer: PageViewer, session: SessionDep, name: FormText = ""
) -> Response:
    require_administrator(viewer)
    try:
        data = build(LocationCreate, LOCATION_MESSAGES, name=name)
        location = org.create_location(session=session, actor=viewer.access, data=data)
    except (FormError, Invalid) as exc:
        return _locations_page(
            request,
            session,
            name=name,
            errors=exc.errors if isinstance(exc, FormError) else translated(exc.errors),
            status_code=UNPROCESSABLE,
            extra=notice(request, _("Controleer wat je hebt ingevuld.")),
        )
    if not is_htmx(request):
        return see_other("/beheer/gemeenten")
    message = _("%(name)s is toegevoegd.") % {"name": location.name}
    return _locations_page(request, session, extra=notice(request, message))


# --- Users --------------------------------------------------------------------------------
@dataclass(frozen=True)
class UserRow:
    user: User
    location_name: str
    is_self: bool
    error: str = ""


def _user_row(viewer: Viewer, user: User, location: Location | None, error: str = "") -> UserRow:
    return UserRow(
        user=user,
        location_name=location.name if location else "",
        is_self=user.id == viewer.user.id,
        error=error,
    )


def _users_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    row_errors: dict[int, str] | None = None,
    status_code: int = 200,
) -> Response:
    row_errors = row_errors or {}
    rows = [
        _user_row(viewer, user, location, row_errors.get(user.id or 0, ""))
        for user, location in queries_admin.users_with_locations(session)
    ]
    context = {
        "section": "users",
        "rows": rows,
        "locations": queries_admin.locations(session),
        "form": form or {"email": "", "name": "", "location_id": "", "is_admin": False},
        "errors": errors or {},
    }
    return render(request, "admin/users.html", context, status_code=status_code)


@router.get("/beheer/medewerkers")
def users_page(request: Request, viewer: PageViewer, session: SessionDep) -> Response:
    require_administrator(viewer)
    return _users_page(request, session, viewer)


@router.post("/beheer/medewerkers")
def create_user(
    request: Request,
    viewer: PageViewer,
    session: SessionDep,
    email: FormText = "",
    name: FormText = "",
    location_id: FormText = "",
    is_admin: FormText = "",
    password: FormText = "",
) -> Response:
    require_administrator(viewer)
    form = {"email": email, "name": name, "location_id": location_id, "is_admin": bool(is_admin)}
    try:
        data = build(
            UserCreate,
            USER_MESSAGES,
            email=email.strip(),
            name=name,
            location_id=optional_id(
                location_id, "location_id", N_("Kies een gemeente of vestiging uit de lijst.")
            ),
            is_admin=bool(is_admin),
            password=password or None,
        )
        created = org.create_user(session=session, actor=viewer.access, data=data)
    except (FormError, Invalid) as exc:
        errors = exc.errors if isinstance(exc, FormError) else translated(exc.errors)
        return _users_page(
            request, session, viewer, form=form, errors=errors, status_code=UNPROCESSABLE
        )
    # the generated password is in this answer only: no cache may keep it
    return render(
        request,
        "admin/user_created.html",
        {"section": "users", "created": created.user, "password": created.generated_password},
        headers={"Cache-Control": "no-store"},
    )


def _set_active(
    request: Request, viewer: Viewer, session: SessionDep, user_id: int, active: bool
) -> Response:
    require_administrator(viewer)
    try:
        user = org.set_user_active(
            session=session, actor=viewer.access, user_id=user_id, active=active
        )
    except Invalid as exc:
        error = " ".join(translated(exc.errors).values())
        return _user_row_or_page(request, session, viewer, user_id, error, UNPROCESSABLE)
    if active:
        message = _("%(name)s is weer actief.") % {"name": user.name}
    else:
        message = _("%(name)s is gedeactiveerd en overal uitgelogd.") % {"name": user.name}
    if not is_htmx(request):
        return see_other(f"/beheer/medewerkers#medewerker-{user_id}")
    return _user_row_or_page(request, session, viewer, user_id, "", 200, message)


def _user_row_or_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    user_id: int,
    error: str,
    status_code: int,
    message: str = "",
) -> Response:
    """For HTMX the one table row, otherwise the whole page with the row's message."""
    if not is_htmx(request):
        return _users_page(
            request, session, viewer, row_errors={user_id: error}, status_code=status_code
        )
    user = session.get(User, user_id)
    assert user is not None
    location = session.get(Location, user.location_id) if user.location_id else None
    context = {
        "row": _user_row(viewer, user, location, error),
        **notice(request, message or error),
    }
    return render(request, "admin/users.html", context, block="user_row", status_code=status_code)


@router.post("/beheer/medewerkers/{user_id}/deactiveren")
def deactivate_user(
    request: Request, user_id: PathId, viewer: PageViewer, session: SessionDep
) -> Response:
    return _set_active(request, viewer, session, user_id, active=False)


@router.post("/beheer/medewerkers/{user_id}/activeren")
def activate_user(
    request: Request, user_id: PathId, viewer: PageViewer, session: SessionDep
) -> Response:
    return _set_active(request, viewer, session, user_id, active=True)
