"""Admin pages for sprints (periodes): the list, planning one, and closing one after a
confirmation step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.deps import EngineDep, PathId, SessionDep, Today
from app.models import Sprint, SprintCreate
from app.queries import admin as queries_admin
from app.services import sprints
from app.services.access import get_or_404
from app.services.sprints import current_sprint
from app.translatable import N_
from app.web.admin.access import admin_pages
from app.web.deps import ViewerDep
from app.web.forms import parse, see_other, submit
from app.web.i18n import gettext as _
from app.web.i18n import long_date, ngettext, week_label
from app.web.templating import render

router = APIRouter(dependencies=[Depends(admin_pages)])

FormText = Annotated[str, Form(max_length=100)]

STATUS_LABELS = {
    "current": N_("huidige"),
    "closed": N_("afgesloten"),
    "closed_early": N_("vroeg afgesloten, loopt nog"),
    "planned": N_("gepland"),
}


@dataclass(frozen=True)
class SprintRow:
    sprint: Sprint
    status: str  # current, closed or planned
    status_label: str
    can_close: bool


def _rows(session: Session, engine: Engine, today: date) -> list[SprintRow]:
    current = current_sprint(session=session, engine=engine, today=today)
    rows = []
    for sprint in queries_admin.sprints_newest_first(session):
        if sprint.closed_at is not None:
            status = "closed_early" if sprint.id == current.id else "closed"
        elif sprint.id == current.id:
            status = "current"
        else:
            status = "planned"
        rows.append(
            SprintRow(
                sprint=sprint,
                status=status,
                status_label=_(STATUS_LABELS[status]),
                can_close=status == "current",
            )
        )
    return rows


def _sprints_page(
    request: Request,
    session: Session,
    engine: Engine,
    today: date,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    context = {
        "section": "sprints",
        "rows": _rows(session, engine, today),
        "sprint_days": sprints.Cadence.of(session).length_days,
        "form": form or {"start_date": "", "end_date": ""},
        "errors": errors or {},
        **(extra or {}),
    }
    return render(request, "admin/sprints.html", context)


@router.get("/beheer/periodes")
def sprints_page(
    request: Request, session: SessionDep, engine: EngineDep, today: Today
) -> Response:
    return _sprints_page(request, session, engine, today)


@router.post("/beheer/periodes")
def create_sprint(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    start_date: FormText = "",
    end_date: FormText = "",
) -> Response:
    form = {"start_date": start_date, "end_date": end_date}

    def save() -> Sprint:
        # an empty field is a missing date: the start is required, the end follows the cadence
        dates = {field: value.strip() for field, value in form.items() if value.strip()}
        data = parse(SprintCreate, **dates)
        return sprints.create_sprint(session=session, actor=viewer.access, data=data)

    return submit(
        session,
        save,
        refused=lambda errors: _sprints_page(
            request, session, engine, today, form=form, errors=errors
        ),
        saved=lambda _sprint: see_other("/beheer/periodes"),
    )


@router.get("/beheer/periodes/{sprint_id}/afsluiten")
def confirm_close(
    request: Request, sprint_id: PathId, session: SessionDep, today: Today
) -> Response:
    """What closing does, said before it happens: the days left, the open actions of how many
    teams and the period they go to, and that boards keep showing this period until it ends."""
    sprint = get_or_404(session, Sprint, sprint_id, "Periode")
    assert sprint.id is not None
    preview = sprints.close_preview(session=session, sprint=sprint, today=today)
    context = {
        "section": "sprints",
        "sprint": sprint,
        "already_closed": sprint.closed_at is not None,
        "preview": preview,
        "early": preview.days_left > 0,
        "next_label": week_label(preview.next_dates.start, preview.next_dates.end),
    }
    return render(request, "admin/sprint_close.html", context)


@router.post("/beheer/periodes/{sprint_id}/afsluiten")
def close_sprint(
    request: Request,
    sprint_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
) -> Response:
    result = sprints.close_sprint(
        session=session, actor=viewer.access, sprint_id=sprint_id, today=today
    )
    closed, following = result.closed, result.next_sprint
    early = [
        _("De borden tonen deze periode nog tot en met %(end)s; de teams werken in %(label)s.")
        % {
            "end": long_date(closed.end_date),
            "label": week_label(following.start_date, following.end_date),
        }
    ]
    message = " ".join(
        (
            _("Periode %(label)s is afgesloten.")
            % {"label": week_label(closed.start_date, closed.end_date)},
            ngettext(
                "%(num)d actie doorgeschoven naar %(label)s.",
                "%(num)d acties doorgeschoven naar %(label)s.",
                result.carried_over,
            )
            % {
                "num": result.carried_over,
                "label": week_label(following.start_date, following.end_date),
            },
            *(early if today <= closed.end_date else []),
        )
    )
    # the result is shown right here rather than after a redirect: closing again changes nothing
    return _sprints_page(request, session, engine, today, extra={"closed_message": message})
