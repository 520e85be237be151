"""Admin pages: the overview, locations (gemeenten / vestigingen) and staff (medewerkers):
add, edit, give a temporary password, deactivate and activate again.

Teams are in teams.py, sprints in sprints.py."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.models import Location, LocationCreate, User, UserCreate, UserUpdate
from app.queries import admin as queries_admin
from app.services import org
from app.services.access import get_or_404
from app.translatable import N_
from app.web.admin.access import admin_pages
from app.web.deps import Viewer, ViewerDep
from app.web.forms import (
    CHECK_FORM,
    form_id,
    notice,
    parse,
    saved_answer,
    see_other,
    submit,
)
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

router = APIRouter(dependencies=[Depends(admin_pages)])

FormText = Annotated[str, Form(max_length=10_000)]

LOCATION_UNKNOWN = N_("Kies een gemeente of vestiging uit de lijst.")


@router.get("/beheer")
def overview(request: Request) -> Response:
    return render(request, "admin/overview.html", {"section": "overview"})


# --- Locations ----------------------------------------------------------------------------
def _locations_page(
    request: Request,
    session: SessionDep,
    *,
    name: str = "",
    errors: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    context = {
        "section": "locations",
        "locations": queries_admin.locations(session),
        "name": name,
        "errors": errors or {},
        **(extra or {}),
    }
    return render(request, "admin/locations.html", context, block="locations")


@router.get("/beheer/gemeenten")
def locations_page(request: Request, session: SessionDep) -> Response:
    return _locations_page(request, session)


@router.post("/beheer/gemeenten")
def create_location(
    request: Request, viewer: ViewerDep, session: SessionDep, name: FormText = ""
) -> Response:
    def save() -> Location:
        data = parse(LocationCreate, name=name)
        return org.create_location(session=session, actor=viewer.access, data=data)

    def added(location: Location) -> Response:
        message = _("%(name)s is toegevoegd.") % {"name": location.name}
        return _locations_page(request, session, extra=notice(request, message))

    return submit(
        session,
        save,
        refused=lambda errors: _locations_page(
            request, session, name=name, errors=errors, extra=notice(request, _(CHECK_FORM))
        ),
        saved=lambda location: saved_answer(request, "/beheer/gemeenten", lambda: added(location)),
    )


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
    return render(request, "admin/users.html", context)


@router.get("/beheer/medewerkers")
def users_page(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    return _users_page(request, session, viewer)


@router.post("/beheer/medewerkers")
def create_user(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    email: FormText = "",
    name: FormText = "",
    location_id: FormText = "",
    is_admin: FormText = "",
    password: FormText = "",
) -> Response:
    form = {"email": email, "name": name, "location_id": location_id, "is_admin": bool(is_admin)}

    def save() -> org.CreatedUser:
        data = parse(
            UserCreate,
            email=email.strip(),
            name=name,
            location_id=form_id(location_id, "location_id", LOCATION_UNKNOWN),
            is_admin=bool(is_admin),
            password=password or None,
        )
        return org.create_user(session=session, actor=viewer.access, data=data)

    def created(result: org.CreatedUser) -> Response:
        context = {"created": result.user, "password": result.generated_password}
        return _password_shown_once(request, "admin/user_created.html", context)

    return submit(
        session,
        save,
        refused=lambda errors: _users_page(request, session, viewer, form=form, errors=errors),
        saved=created,
    )


def _set_active(
    request: Request, viewer: Viewer, session: SessionDep, user_id: int, active: bool
) -> Response:
    def changed(user: User) -> Response:
        if active:
            message = _("%(name)s is weer actief.") % {"name": user.name}
        else:
            message = _("%(name)s is gedeactiveerd en overal uitgelogd.") % {"name": user.name}
        return _user_row_or_page(request, session, viewer, user_id, "", message)

    return submit(
        session,
        lambda: org.set_user_active(
            session=session, actor=viewer.access, user_id=user_id, active=active
        ),
        refused=lambda errors: _user_row_or_page(
            request, session, viewer, user_id, " ".join(errors.values())
        ),
        saved=lambda user: saved_answer(
            request, f"/beheer/medewerkers#medewerker-{user_id}", lambda: changed(user)
        ),
    )


def _user_row_or_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    user_id: int,
    error: str,
    message: str = "",
) -> Response:
    """For HTMX the one table row, otherwise the whole page with the row's message."""
    if not is_htmx(request):
        return _users_page(request, session, viewer, row_errors={user_id: error})
    user = session.get(User, user_id)
    assert user is not None
    location = session.get(Location, user.location_id) if user.location_id else None
    context = {
        "row": _user_row(viewer, user, location, error),
        **notice(request, message or error),
    }
    return render(request, "admin/users.html", context, block="user_row")


@router.post("/beheer/medewerkers/{user_id}/deactiveren")
def deactivate_user(
    request: Request, user_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    return _set_active(request, viewer, session, user_id, active=False)


@router.post("/beheer/medewerkers/{user_id}/activeren")
def activate_user(
    request: Request, user_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    return _set_active(request, viewer, session, user_id, active=True)


# --- One person: edit, temporary password ---------------------------------------------------
def _user_page(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    user_id: int,
    *,
    form: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    user = get_or_404(session, User, user_id, "Medewerker")
    is_self = user_id == viewer.user.id
    context = {
        "section": "users",
        "person": user,
        "is_self": is_self,
        # a temporary password is for someone else who can log in again once they have it
        "may_reset": not is_self and user.is_active,
        "locations": queries_admin.locations(session),
        "form": form
        or {
            "email": user.email,
            "name": user.name,
            "location_id": str(user.location_id or ""),
            "is_admin": user.is_admin,
        },
        "errors": errors or {},
    }
    return render(request, "admin/user.html", context)


@router.get("/beheer/medewerkers/{user_id}")
def user_page(
    request: Request, user_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    return _user_page(request, session, viewer, user_id)


@router.post("/beheer/medewerkers/{user_id}")
def update_user(
    request: Request,
    user_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    email: FormText = "",
    name: FormText = "",
    location_id: FormText = "",
    is_admin: FormText = "",
) -> Response:
    form = {"email": email, "name": name, "location_id": location_id, "is_admin": bool(is_admin)}

    def save() -> User:
        data = parse(
            UserUpdate,
            email=email.strip(),
            name=name,
            location_id=form_id(location_id, "location_id", LOCATION_UNKNOWN),
            is_admin=bool(is_admin),
        )
        return org.update_user(session=session, actor=viewer.access, user_id=user_id, data=data)

    return submit(
        session,
        save,
        refused=lambda errors: _user_page(
            request, session, viewer, user_id, form=form, errors=errors
        ),
        saved=lambda user: see_other(f"/beheer/medewerkers#medewerker-{user.id}"),
    )


def _password_shown_once(request: Request, template: str, context: dict[str, Any]) -> Response:
    """A page with a password on it: it is in this answer only, so no cache may keep it."""
    return render(
        request, template, {"section": "users", **context}, headers={"Cache-Control": "no-store"}
    )


@router.post("/beheer/medewerkers/{user_id}/wachtwoord")
def reset_password(
    request: Request, user_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    def shown_once(result: org.PasswordReset) -> Response:
        context = {"person": result.user, "password": result.password}
        return _password_shown_once(request, "admin/password_reset.html", context)

    return submit(
        session,
        lambda: org.reset_password(session=session, actor=viewer.access, user_id=user_id),
        refused=lambda errors: _user_page(request, session, viewer, user_id, errors=errors),
        saved=shown_once,
    )
