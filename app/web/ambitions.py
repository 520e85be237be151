"""Ambities: the overview, and one ambition's page with its goals, knelpunten and progress."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
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
from app.translatable import N_
from app.web.charts import BarChart, grouped_bars
from app.web.deps import ViewerDep
from app.web.forms import form_id, parse, saved_answer, shown_again_only_to_writers, submit
from app.web.i18n import gettext as _
from app.web.i18n import week_label
from app.web.personal import StatusChoice
from app.web.templating import render

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
TEAM_UNKNOWN = N_("Kies een team uit de lijst.")


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


def _saved(
    request: Request, session: Session, access: Access, ambition: Ambition, message: str
) -> Response:
    """After a change: back to the page for a plain form; for HTMX the page block again."""

    def block() -> Response:
        context = _page_context(session, access, ambition)
        context["message"] = message
        return render(request, PAGE, context, block="ambitie")

    return saved_answer(request, f"/ambities/{ambition.id}", block)


def _refused(
    request: Request, session: Session, access: Access, ambition_id: int, **form: Any
) -> Response:
    """The page block again with what was sent and a message per field (submit answers 422)."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    shown_again_only_to_writers(access.can_edit_ambition(ambition.owner_team_id))
    return render(request, PAGE, _page_context(session, access, ambition, **form), block="ambitie")


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
    sent = AmbitionForm(title=title, intent=intent, horizon=horizon, status=new_status)
    return submit(
        session,
        lambda: ambitions.update_ambition(
            session=session,
            actor=viewer.access,
            ambition_id=ambition_id,
            data=parse(
                AmbitionUpdate,
                title=title,
                intent=intent,
                horizon=horizon or None,
                status=new_status,
            ),
        ),
        refused=lambda errors: _refused(
            request, session, viewer.access, ambition_id, form=sent, form_errors=errors
        ),
        saved=lambda ambition: _saved(
            request, session, viewer.access, ambition, _("De ambitie is opgeslagen.")
        ),
    )


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
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    sent = GoalForm(title=title, due=due, team_id=team_id)

    def added(goal: Goal) -> Response:
        message = _("Kortetermijndoel „%(titel)s” is toegevoegd.") % {"titel": goal.title}
        return _saved(request, session, viewer.access, ambition, message)

    return submit(
        session,
        lambda: ambitions.add_goal(
            session=session,
            actor=viewer.access,
            ambition_id=ambition_id,
            data=parse(
                GoalCreate,
                title=title,
                due=due or None,
                team_id=form_id(team_id, "team_id", TEAM_UNKNOWN),
            ),
        ),
        refused=lambda errors: _refused(
            request, session, viewer.access, ambition_id, goal_form=sent, goal_errors=errors
        ),
        saved=added,
    )
