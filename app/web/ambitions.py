"""Ambities: the overview, and one ambition's page with its goals, knelpunten and progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.domain.permissions import Access
from app.models import (
    Ambition,
    AmbitionStatus,
    AmbitionUpdate,
    Escalation,
    Goal,
    GoalCreate,
    SprintProgress,
    Team,
)
from app.queries.ambitions import (
    ambition_details,
    ambition_progress,
    ambition_summaries,
    open_escalations_for_ambition,
)
from app.queries.org import teams_by_id
from app.services import ambitions
from app.services.access import get_or_404
from app.services.ambitions import NOT_ALLOWED
from app.services.errors import Forbidden, Invalid
from app.web.charts import BarChart, grouped_bars
from app.web.deps import ViewerDep
from app.web.i18n import gettext as _
from app.web.i18n import week_label
from app.web.personal import N_, StatusChoice
from app.web.templating import is_htmx, render

router = APIRouter()

OVERVIEW = "ambitions/index.html"
PAGE = "ambitions/ambition.html"
CHART_SPRINTS = 13  # half a year in the chart; the table below it holds every sprint

STATUS_LABELS = {
    AmbitionStatus.active: N_("Actief"),
    AmbitionStatus.achieved: N_("Bereikt"),
    AmbitionStatus.dropped: N_("Losgelaten"),
}
SERIES = ("planned", "done", "carried_over", "blocked")
SERIES_LABELS = {
    "planned": N_("Gepland"),
    "done": N_("Klaar"),
    "carried_over": N_("Doorgeschoven"),
    "blocked": N_("Geblokkeerd"),
}
# One message per field and kind of mistake, for what the form's own validation refuses.
FIELD_MESSAGES = {
    ("title", "string_too_short"): N_("Vul een titel in."),
    ("title", "string_too_long"): N_("De titel mag hoogstens 200 tekens lang zijn."),
    ("title", "*"): N_("Vul een titel in."),
    ("intent", "*"): N_("De bedoeling mag hoogstens 5000 tekens lang zijn."),
    ("horizon", "*"): N_("Vul een geldige datum in, bijvoorbeeld 31-12-2027."),
    ("due", "*"): N_("Vul een geldige datum in, bijvoorbeeld 31-12-2027."),
    ("status", "*"): N_("Kies een status."),
    ("team_id", "*"): N_("Kies een team uit de lijst."),
}


def dutch_errors(error: ValidationError) -> dict[str, str]:
    """The form's validation errors as one Dutch message per field."""
    messages: dict[str, str] = {}
    for problem in error.errors():
        name = str(problem["loc"][0]) if problem["loc"] else "form"
        message = FIELD_MESSAGES.get((name, problem["type"])) or FIELD_MESSAGES.get((name, "*"))
        messages.setdefault(name, _(message or "Controleer wat je hebt ingevuld."))
    return messages


def refusal_messages(refused: ValidationError | Invalid) -> dict[str, str]:
    if isinstance(refused, ValidationError):
        return dutch_errors(refused)
    return {key: _(message) for key, message in refused.errors.items()}


# --- Overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmbitionRow:
    ambition: Ambition
    status_label: str
    teams: list[Team]
    open_escalations: int


@router.get("/ambities")
def overview(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    teams = teams_by_id(session)
    rows = [
        AmbitionRow(
            ambition=summary.ambition,
            status_label=_(STATUS_LABELS[AmbitionStatus(summary.ambition.status)]),
            teams=[teams[team_id] for team_id in summary.team_ids if team_id in teams],
            open_escalations=summary.open_escalations,
        )
        for summary in ambition_summaries(session)
    ]
    return render(request, OVERVIEW, {"rows": rows}, block="ambities")


# --- One ambition ---------------------------------------------------------------------------


@dataclass(frozen=True)
class GoalView:
    goal: Goal
    team: Team | None
    done_label: str


@dataclass(frozen=True)
class KnelpuntView:
    escalation: Escalation
    from_team: Team | None


@dataclass(frozen=True)
class ProgressRow:
    label: str
    planned: int
    done: int
    carried_over: int
    blocked: int


@dataclass(frozen=True)
class LegendItem:
    series: str
    label: str


@dataclass
class AmbitionForm:
    """What the edit form shows: the stored values, or what was just sent."""

    title: str
    intent: str
    horizon: str
    status: str


@dataclass
class GoalForm:
    title: str = ""
    due: str = ""
    team_id: str = ""


@dataclass(frozen=True)
class TeamChoice:
    value: str
    label: str
    selected: bool


def progress_rows(progress: list[SprintProgress]) -> list[ProgressRow]:
    return [
        ProgressRow(
            label=week_label(sprint.start_date, sprint.end_date),
            planned=sprint.planned,
            done=sprint.done,
            carried_over=sprint.carried_over,
            blocked=sprint.blocked,
        )
        for sprint in progress
    ]


def progress_chart(rows: list[ProgressRow]) -> BarChart | None:
    """The chart of the latest sprints, or None when there is nothing to draw."""
    shown = rows[-CHART_SPRINTS:]
    if not shown:
        return None
    return grouped_bars(
        [(row.label, [getattr(row, name) for name in SERIES]) for row in shown], SERIES
    )


def _page_context(
    session: Session,
    access: Access,
    ambition: Ambition,
    *,
    form: AmbitionForm | None = None,
    form_errors: dict[str, str] | None = None,
    goal_form: GoalForm | None = None,
    goal_errors: dict[str, str] | None = None,
) -> dict[str, Any]:
    assert ambition.id is not None
    teams = teams_by_id(session)
    team_ids, goals = ambition_details(session, [ambition])
    rows = progress_rows(ambition_progress(session, ambition_id=ambition.id))
    form = form or AmbitionForm(
        title=ambition.title,
        intent=ambition.intent,
        horizon=ambition.horizon.isoformat() if ambition.horizon else "",
        status=ambition.status,
    )
    goal_form = goal_form or GoalForm()
    return {
        "ambition": ambition,
        "status_label": _(STATUS_LABELS[AmbitionStatus(ambition.status)]),
        "owner_team": teams.get(ambition.owner_team_id) if ambition.owner_team_id else None,
        "teams": [teams[team_id] for team_id in team_ids[ambition.id] if team_id in teams],
        "goals": [
            GoalView(
                goal=goal,
                team=teams.get(goal.team_id) if goal.team_id else None,
                done_label=_("behaald") if goal.is_done else _("nog niet behaald"),
            )
            for goal in goals[ambition.id]
        ],
        "knelpunten": [
            KnelpuntView(escalation=escalation, from_team=teams.get(escalation.from_team_id))
            for escalation in open_escalations_for_ambition(session, ambition_id=ambition.id)
        ],
        "progress": rows,
        "chart": progress_chart(rows),
        "chart_is_partial": len(rows) > CHART_SPRINTS,
        "chart_sprints": CHART_SPRINTS,
        "legend": [LegendItem(series=name, label=_(SERIES_LABELS[name])) for name in SERIES],
        "can_edit": access.can_edit_ambition(ambition.owner_team_id),
        "form": form,
        "form_errors": form_errors or {},
        "status_choices": [
            StatusChoice(value=value, label=_(label), selected=value == form.status)
            for value, label in STATUS_LABELS.items()
        ],
        "goal_form": goal_form,
        "goal_errors": goal_errors or {},
        "team_choices": [
            TeamChoice(
                value=str(team.id), label=team.name, selected=str(team.id) == goal_form.team_id
            )
            for team in sorted(teams.values(), key=lambda team: team.name.casefold())
        ],
    }


@router.get("/ambities/{ambition_id}")
def ambition_page(
    request: Request, ambition_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    return render(request, PAGE, _page_context(session, viewer.access, ambition), block="ambitie")


def _editable(session: Session, access: Access, ambition_id: int) -> Ambition:
    """The ambition, when this viewer may change it (checked before the form is read, so a
    refusal never depends on what was filled in)."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    if not access.can_edit_ambition(ambition.owner_team_id):
        raise Forbidden(NOT_ALLOWED)
    return ambition


def _saved(
    request: Request, session: Session, access: Access, ambition: Ambition, message: str
) -> Response:
    """After a change: back to the page for a plain form; for HTMX the page block again."""
    if not is_htmx(request):
        return RedirectResponse(f"/ambities/{ambition.id}", status_code=status.HTTP_303_SEE_OTHER)
    context = _page_context(session, access, ambition)
    context["message"] = message
    return render(request, PAGE, context, block="ambitie")


@router.post("/ambities/{ambition_id}")
def edit_ambition(
    request: Request,
    ambition_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    title: Annotated[str, Form()] = "",
    intent: Annotated[str, Form()] = "",
    horizon: Annotated[str, Form()] = "",
    new_status: Annotated[str, Form(alias="status")] = "",
) -> Response:
    ambition = _editable(session, viewer.access, ambition_id)
    sent = AmbitionForm(title=title, intent=intent, horizon=horizon, status=new_status)
    try:
        data = AmbitionUpdate.model_validate(
            {"title": title, "intent": intent, "horizon": horizon or None, "status": new_status}
        )
        ambition = ambitions.update_ambition(
            session=session, actor=viewer.access, ambition_id=ambition_id, data=data
        )
    except (ValidationError, Invalid) as refused:
        session.rollback()
        errors = refusal_messages(refused)
        context = _page_context(session, viewer.access, ambition, form=sent, form_errors=errors)
        return render(request, PAGE, context, block="ambitie", status_code=422)
    return _saved(request, session, viewer.access, ambition, _("De ambitie is opgeslagen."))


@router.post("/ambities/{ambition_id}/doelen")
def add_goal(
    request: Request,
    ambition_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    title: Annotated[str, Form()] = "",
    due: Annotated[str, Form()] = "",
    team_id: Annotated[str, Form()] = "",
) -> Response:
    ambition = _editable(session, viewer.access, ambition_id)
    sent = GoalForm(title=title, due=due, team_id=team_id)
    try:
        data = GoalCreate.model_validate(
            {"title": title, "due": due or None, "team_id": team_id or None}
        )
        goal = ambitions.add_goal(
            session=session, actor=viewer.access, ambition_id=ambition_id, data=data
        )
    except (ValidationError, Invalid) as refused:
        session.rollback()
        errors = refusal_messages(refused)
        context = _page_context(
            session, viewer.access, ambition, goal_form=sent, goal_errors=errors
        )
        return render(request, PAGE, context, block="ambitie", status_code=422)
    message = _("Kortetermijndoel „%(titel)s” is toegevoegd.") % {"titel": goal.title}
    return _saved(request, session, viewer.access, ambition, message)
