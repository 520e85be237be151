"""The profile page (/profiel): your details, your language, your API tokens (API-sleutels)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from app.cookies import clear_session_cookie
from app.deps import PathId, SessionDep
from app.domain import passwords
from app.models import ApiToken, Location, Role, utcnow
from app.queries import admin as queries_admin
from app.queries import privacy as queries_privacy
from app.services import auth, org
from app.web.deps import Viewer, ViewerDep
from app.web.forms import CHECK_FORM, FormError, notice, saved_answer, see_other, submit
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

# each language is named in itself, so everyone finds their own
LANGUAGES = (("nl", "Nederlands"), ("en", "English"))


@dataclass(frozen=True)
class TokenRow:
    id: int
    name: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


def _token_rows(tokens: list[ApiToken]) -> list[TokenRow]:
    return [
        TokenRow(
            id=token.id or 0,
            name=token.name,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )
        for token in tokens
    ]


def _tokens_context(session: Session, viewer: Viewer) -> dict[str, Any]:
    assert viewer.user.id is not None
    return {"tokens": _token_rows(queries_admin.tokens_of(session, user_id=viewer.user.id))}


def _profile_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    locale_error: str = "",
    token_name: str = "",
    token_errors: dict[str, str] | None = None,
    password_errors: dict[str, str] | None = None,
    new_token: str = "",
    block: str | None = None,
    message: str = "",
) -> Response:
    user = viewer.user
    location = session.get(Location, user.location_id) if user.location_id else None
    led = [team_id for team_id, role in viewer.access.roles.items() if role == Role.lead]
    context = {
        "user": user,
        "location_name": location.name if location else "",
        "languages": LANGUAGES,
        "locale_error": locale_error,
        "led_teams": queries_admin.teams_by_id(session, led),
        "token_name": token_name,
        "token_errors": token_errors or {},
        "password_errors": password_errors or {},
        "password_min_length": passwords.MIN_LENGTH,
        "new_token": new_token,
        **_tokens_context(session, viewer),
        **notice(request, message),
    }
    # a page that shows a new token once must not be kept by any cache
    headers = {"Cache-Control": "no-store"} if new_token else None
    return render(
        request,
        "profile/profile.html",
        context,
        block=block,
        headers=headers,
    )


@router.get("/profiel")
def profile_page(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    return _profile_page(request, session, viewer)


@router.post("/profiel/taal")
def choose_language(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    locale: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    return submit(
        session,
        lambda: org.set_locale(
            session=session, actor_id=viewer.user.id, user=viewer.user, locale=locale
        ),
        refused=lambda errors: _profile_page(
            request, session, viewer, locale_error=errors["locale"]
        ),
        # a full page load, so everything renders in the new language
        saved=lambda _user: see_other("/profiel"),
    )


@router.post("/profiel/api-sleutels")
def create_token(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    name: Annotated[str, Form(max_length=10_000)] = "",
) -> Response:
    """The name rule is the service's (app.domain.tokens): the page shows its refusal."""
    name = name.strip()
    return submit(
        session,
        lambda: auth.create_token(
            session=session, user=viewer.user, name=name, actor_id=viewer.user.id
        ),
        refused=lambda errors: _profile_page(
            request,
            session,
            viewer,
            token_name=name,
            token_errors=errors,
            block="tokens",
            message=_(CHECK_FORM),
        ),
        saved=lambda raw: _profile_page(
            request,
            session,
            viewer,
            new_token=raw,
            block="tokens",
            message=_("De API-sleutel %(name)s is gemaakt.") % {"name": name},
        ),
    )


@router.post("/profiel/api-sleutels/{token_id}/intrekken")
def revoke_token(
    request: Request, token_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    token = auth.revoke_own_token(session=session, user=viewer.user, token_id=token_id)
    return saved_answer(
        request,
        "/profiel#api-sleutels",
        lambda: _profile_page(
            request,
            session,
            viewer,
            block="tokens",
            message=_("De API-sleutel %(name)s is ingetrokken.") % {"name": token.name},
        ),
    )


@router.get("/profiel/gegevens.json")
def download_my_data(viewer: ViewerDep, session: SessionDep) -> Response:
    """Everything kept about the viewer, as a JSON download (AVG, the right of access)."""
    assert viewer.user.id is not None
    data = queries_privacy.my_data(session, user_id=viewer.user.id, now=utcnow())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={
            "Content-Disposition": 'attachment; filename="verbeterbord-mijn-gegevens.json"',
            "Cache-Control": "no-store",
        },
    )


PASSWORD_LENGTH = 200


@router.post("/profiel/wachtwoord")
def change_password(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    current_password: Annotated[str, Form(max_length=PASSWORD_LENGTH)] = "",
    new_password: Annotated[str, Form(max_length=PASSWORD_LENGTH)] = "",
    repeat_password: Annotated[str, Form(max_length=PASSWORD_LENGTH)] = "",
) -> Response:
    """A new password ends every session and API token of the user, this one too: they log in
    again with the new password."""

    def save() -> None:
        # what only this form asks (the repeat); the password rule is the service's
        errors: dict[str, str] = {}
        if not current_password:
            errors["current_password"] = _("Vul je huidige wachtwoord in.")
        if not new_password:
            errors["new_password"] = _("Vul een nieuw wachtwoord in.")
        elif new_password != repeat_password:
            errors["repeat_password"] = _("Het herhaalde wachtwoord is niet hetzelfde.")
        if errors:
            raise FormError(errors)
        org.change_password(
            session=session,
            user=viewer.user,
            current_password=current_password,
            new_password=new_password,
        )

    def logged_out(_saved: None) -> Response:
        response = see_other("/login?wachtwoord=gewijzigd")
        clear_session_cookie(response, request.app.state.settings)
        return response

    return submit(
        session,
        save,
        # the page never shows a password back, not even a wrong one
        refused=lambda errors: _profile_page(request, session, viewer, password_errors=errors),
        saved=logged_out,
    )
