"""Overzicht: everything blocked, late or escalated across every team, with filters and search.

The filters are plain GET parameters of an ordinary form (it works without JavaScript). A value
the lists do not offer answers 422 with the page and a Dutch message at that field, never 500."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import QueryParams
from starlette.responses import Response

from app.deps import EngineDep, SessionDep, Today
from app.models import MAX_ID, ActionStatus
from app.queries.across import (
    Choices,
    Concern,
    Filters,
    across_teams,
    filter_choices,
    search_words,
)
from app.services.sprints import working_sprint
from app.translatable import N_
from app.web.deps import ViewerDep
from app.web.forms import SHOWN_STATUS_LABELS, STATUS_LABELS, UNPROCESSABLE
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

TEMPLATE = "across/overview.html"
SEARCH_MAX = 200

# the query parameter of each filter, and what to do when its value is not one of the list's
STATUS_UNKNOWN = N_("Kies een status uit de lijst.")
CHOICE_MESSAGES = {
    "team": N_("Kies een team uit de lijst."),
    "eigenaar": N_("Kies een eigenaar uit de lijst."),
    "ambitie": N_("Kies een ambitie uit de lijst."),
    "gemeente": N_("Kies een gemeente of vestiging uit de lijst."),
    "status": STATUS_UNKNOWN,
}
SEARCH_TOO_LONG = N_("Zoek met hoogstens %(n)s tekens.")
SEARCH_NO_WORDS = N_("Zoek op een woord of een getal.")


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class Select:
    name: str
    label: str
    options: list[Option]
    error: str = ""


@dataclass
class Form:
    """The filters as typed, the ones that were understood, and a message per refused field."""

    typed: dict[str, str]
    filters: Filters = field(default_factory=Filters)
    errors: dict[str, str] = field(default_factory=dict)


def _ids(rows: list[Any]) -> set[int]:
    return {row.id for row in rows}


def read_filters(params: QueryParams, choices: Choices) -> Form:
    """The filters from the query string; an id must be one the lists offer."""
    typed = {name: params.get(name, "").strip() for name in (*CHOICE_MESSAGES, "zoek")}
    form = Form(typed=typed)
    known = {
        "team": _ids(choices.teams),
        "eigenaar": _ids(choices.owners),
        "ambitie": _ids(choices.ambitions),
        "gemeente": _ids(choices.locations),
    }
    picked: dict[str, int | None] = {}
    for name, ids in known.items():
        value = typed[name]
        number = int(value) if value.isascii() and value.isdigit() and len(value) <= 10 else None
        if value and (number is None or not 1 <= number <= MAX_ID or number not in ids):
            form.errors[name] = _(CHOICE_MESSAGES[name])
        picked[name] = number if value and name not in form.errors else None
    status = None
    if typed["status"]:
        if typed["status"] in set(ActionStatus):
            status = ActionStatus(typed["status"])
        else:
            form.errors["status"] = _(STATUS_UNKNOWN)
    search = typed["zoek"]
    if len(search) > SEARCH_MAX:
        form.errors["zoek"] = _(SEARCH_TOO_LONG) % {"n": SEARCH_MAX}
    elif search and not search_words(search):
        form.errors["zoek"] = _(SEARCH_NO_WORDS)
    form.filters = Filters(
        team_id=picked["team"],
        owner_id=picked["eigenaar"],
        ambition_id=picked["ambitie"],
        location_id=picked["gemeente"],
        status=status,
        search=search if "zoek" not in form.errors else "",
    )
    return form


def _select(name: str, label: str, pairs: list[tuple[Any, str]], form: Form) -> Select:
    chosen = form.typed[name]
    everything = Option(value="", label=_("Alle"), selected=not chosen)
    return Select(
        name=name,
        label=label,
        options=[everything]
        + [Option(str(value), text, str(value) == chosen) for value, text in pairs],
        error=form.errors.get(name, ""),
    )


def selects(choices: Choices, form: Form) -> list[Select]:
    return [
        _select("team", _("Team"), [(t.id, t.name) for t in choices.teams], form),
        _select("eigenaar", _("Eigenaar"), [(u.id, u.name) for u in choices.owners], form),
        _select("ambitie", _("Ambitie"), [(a.id, a.title) for a in choices.ambitions], form),
        _select(
            "gemeente",
            _("Gemeente / vestiging"),
            [(loc.id, loc.name) for loc in choices.locations],
            form,
        ),
        _select("status", _("Status"), [(s.value, _(t)) for s, t in STATUS_LABELS.items()], form),
    ]


@dataclass(frozen=True)
class ConcernView:
    item: Concern
    status_label: str


@router.get("/overzicht")
def overview(
    request: Request, viewer: ViewerDep, session: SessionDep, engine: EngineDep, today: Today
) -> Response:
    choices = filter_choices(session)
    form = read_filters(request.query_params, choices)
    context: dict[str, Any] = {
        "selects": selects(choices, form),
        "search": form.typed["zoek"],
        "search_error": form.errors.get("zoek", ""),
        "search_max": SEARCH_MAX,
        "errors": form.errors,
        "filtered": any(form.typed.values()),
    }
    if form.errors:
        return render(request, TEMPLATE, context, status_code=UNPROCESSABLE)
    sprint = working_sprint(session=session, engine=engine, today=today)
    assert sprint.id is not None
    found = across_teams(session, sprint_id=sprint.id, today=today, filters=form.filters)
    context["items"] = [
        ConcernView(item, _(SHOWN_STATUS_LABELS[ActionStatus(item.action.status)]))
        for item in found.items
    ]
    context["more"] = found.more
    return render(request, TEMPLATE, context)
