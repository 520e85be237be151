"""Admin page for the organisation's rhythm: how many days a period (sprint) lasts and the
weekday it starts on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from app.deps import SessionDep
from app.domain.messages import Message
from app.domain.sprints import MAX_SETTING_DAYS, MIN_SPRINT_DAYS, NOT_A_WEEKDAY, SPRINT_DAYS_RANGE
from app.models import OrganisationPublic, OrganisationUpdate
from app.services import rhythm
from app.translatable import N_
from app.web.admin.access import admin_pages
from app.web.deps import ViewerDep
from app.web.forms import FormError, in_reader_language, see_other, submit
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter(dependencies=[Depends(admin_pages)])

PAGE = "admin/organisation.html"
FormText = Annotated[str, Form(max_length=20)]
WEEKDAYS = (
    N_("maandag"),
    N_("dinsdag"),
    N_("woensdag"),
    N_("donderdag"),
    N_("vrijdag"),
    N_("zaterdag"),
    N_("zondag"),
)


@dataclass(frozen=True)
class Choice:
    value: str
    label: str
    selected: bool


def _page(
    request: Request,
    session: Session,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    saved: bool = False,
) -> Response:
    current: OrganisationPublic = rhythm.organisation_settings(session)
    form = form or {
        "sprint_days": str(current.sprint_days),
        "sprint_weekday": str(current.sprint_weekday),
    }
    context = {
        "section": "organisation",
        "current": current,
        "current_weekday": _(WEEKDAYS[current.sprint_weekday]),
        "form": form,
        "errors": errors or {},
        "weekdays": [
            Choice(str(n), _(label), form["sprint_weekday"] == str(n))
            for n, label in enumerate(WEEKDAYS)
        ],
        "min_days": MIN_SPRINT_DAYS,
        "max_days": MAX_SETTING_DAYS,
        "saved": saved,
    }
    status_code = 422 if errors else 200
    return render(request, PAGE, context, status_code=status_code)


@router.get("/beheer/organisatie")
def organisation_page(request: Request, session: SessionDep, opgeslagen: str = "") -> Response:
    return _page(request, session, saved=opgeslagen == "1")


def _whole(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 9 else None


@router.post("/beheer/organisatie")
def update_organisation(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    sprint_days: FormText = "",
    sprint_weekday: FormText = "",
) -> Response:
    form = {"sprint_days": sprint_days, "sprint_weekday": sprint_weekday}

    def save() -> OrganisationPublic:
        days, weekday = _whole(sprint_days), _whole(sprint_weekday)
        problems: dict[str, str] = {}
        if days is None:
            problems["sprint_days"] = in_reader_language(
                Message(SPRINT_DAYS_RANGE, min=MIN_SPRINT_DAYS, max=MAX_SETTING_DAYS)
            )
        if weekday is None:
            problems["sprint_weekday"] = _(NOT_A_WEEKDAY)
        if problems:
            raise FormError(problems)
        assert days is not None and weekday is not None
        return rhythm.update_organisation(
            session=session,
            actor=viewer.access,
            data=OrganisationUpdate(sprint_days=days, sprint_weekday=weekday),
        )

    return submit(
        session,
        save,
        refused=lambda errors: _page(request, session, form=form, errors=errors),
        saved=lambda _settings: see_other("/beheer/organisatie?opgeslagen=1"),
    )
