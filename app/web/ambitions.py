"""Ambities: the overview, and one ambition's page with its goals (marked achieved, tied to a
meeting), indicators with their measurements (by hand or from a CSV file), knelpunten and
progress."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from sqlmodel import Session
from starlette.responses import RedirectResponse, Response

from app.deps import PathId, SessionDep, Today
from app.domain.indicators import (
    MAX_INDICATORS,
    TOO_MANY,
    UNREADABLE,
    CsvResult,
    format_value,
    on_target,
    parse_csv,
    parse_value,
)
from app.domain.permissions import Access
from app.models import (
    Ambition,
    AmbitionStatus,
    AmbitionUpdate,
    Escalation,
    Goal,
    GoalCreate,
    GoalUpdate,
    Indicator,
    IndicatorCreate,
    IndicatorDirection,
    Measurement,
    MeasurementCreate,
    SprintProgress,
    Team,
)
from app.queries.ambitions import (
    ambition_details,
    ambition_progress,
    ambition_summaries,
    open_escalations_for_ambition,
)
from app.queries.indicators import indicators_of, measurements_of
from app.queries.meetings import meetings_named, upcoming
from app.queries.org import teams_by_id
from app.services import ambitions, indicators
from app.services.access import get_or_404
from app.services.errors import NotFound
from app.translatable import N_
from app.web.charts import BarChart, LineChart, grouped_bars, line_chart
from app.web.deps import ViewerDep
from app.web.forms import (
    FormError,
    form_id,
    parse,
    saved_answer,
    shown_again_only_to_writers,
    submit,
)
from app.web.i18n import gettext as _
from app.web.i18n import ngettext, short_date, week_label
from app.web.meetings import UNKNOWN_MEETING, MeetingGroup, meeting_groups, named_label
from app.web.personal import StatusChoice
from app.web.templating import is_htmx, render

router = APIRouter()

OVERVIEW = "ambitions/index.html"
PAGE = "ambitions/ambition.html"
INDICATORS = "ambitions/_indicators.html"
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
DIRECTION_LABELS = {
    IndicatorDirection.up: N_("hoger is beter"),
    IndicatorDirection.down: N_("lager is beter"),
}
CHART_MEASUREMENTS = 24  # the chart shows the latest values; the table below it every one
MAX_UPLOAD = 200_000  # bytes: a thousand rows of measurements fit easily
NOT_A_NUMBER = N_("Dit is geen getal. Schrijf bijvoorbeeld 12,5.")
NO_FILE = N_("Kies een CSV-bestand.")


# --- Overview -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AmbitionRow:
    ambition: Ambition
    status_label: str
    teams: list[Team]
    open_escalations: int
    goals_summary: str = ""  # "2 van 5 doelen behaald", or "" without goals


def goals_met(goals: list[Goal]) -> str:
    """ "2 van 5 doelen behaald"; "" for an ambition without goals."""
    if not goals:
        return ""
    return ngettext(
        "%(done)d van %(num)d doel behaald", "%(done)d van %(num)d doelen behaald", len(goals)
    ) % {"done": sum(1 for goal in goals if goal.is_done), "num": len(goals)}


@router.get("/ambities")
def overview(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    teams = teams_by_id(session)
    rows = [
        AmbitionRow(
            ambition=summary.ambition,
            status_label=_(STATUS_LABELS[AmbitionStatus(summary.ambition.status)]),
            teams=[teams[team_id] for team_id in summary.team_ids if team_id in teams],
            open_escalations=summary.open_escalations,
            goals_summary=goals_met(summary.goals),
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
    meeting_label: str = ""


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
    meeting_id: str = ""


@dataclass
class IndicatorForm:
    name: str = ""
    unit: str = ""
    target: str = ""
    direction: str = IndicatorDirection.up


@dataclass
class MeasurementForm:
    date: str = ""
    value: str = ""
    note: str = ""


@dataclass(frozen=True)
class MeasurementRow:
    label: str
    value: str
    note: str
    on_target_label: str


@dataclass
class IndicatorView:
    indicator: Indicator
    direction_label: str
    target_text: str
    latest: str  # the latest value with its unit, or ""
    latest_on_target: bool | None
    status_label: str
    rows: list[MeasurementRow]
    chart: LineChart | None
    chart_is_partial: bool
    form: MeasurementForm = field(default_factory=MeasurementForm)
    errors: dict[str, str] = field(default_factory=dict)
    csv: CsvResult | None = None  # the preview of an uploaded file
    csv_text: str = ""
    csv_errors: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class DirectionChoice:
    value: str
    label: str
    selected: bool


def with_unit(value: float, unit: str) -> str:
    text = format_value(value)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def indicator_view(
    indicator: Indicator,
    measurements: list[Measurement],
    sent: dict[str, Any] | None = None,
) -> IndicatorView:
    """An indicator with its values (table and chart); sent holds a refused form or a CSV
    preview for this indicator."""
    target, direction = indicator.target, indicator.direction
    ok_label, off_label = _("op streefwaarde"), _("nog niet op streefwaarde")
    rows = [
        MeasurementRow(
            label=short_date(m.measured_on),
            value=with_unit(m.value, indicator.unit),
            note=m.note,
            on_target_label=ok_label
            if on_target(m.value, target=target, direction=direction)
            else off_label,
        )
        for m in measurements
    ]
    shown = measurements[-CHART_MEASUREMENTS:]
    chart = (
        line_chart(
            [
                (
                    short_date(m.measured_on),
                    m.value,
                    format_value(m.value),
                    on_target(m.value, target=target, direction=direction),
                )
                for m in shown
            ],
            target=target,
            target_text=_("streefwaarde %(waarde)s")
            % {"waarde": with_unit(target, indicator.unit)},
            value_text=format_value,
        )
        if shown
        else None
    )
    latest = measurements[-1] if measurements else None
    latest_ok = on_target(latest.value, target=target, direction=direction) if latest else None
    view = IndicatorView(
        indicator=indicator,
        direction_label=_(DIRECTION_LABELS[IndicatorDirection(direction)]),
        target_text=with_unit(target, indicator.unit),
        latest=with_unit(latest.value, indicator.unit) if latest else "",
        latest_on_target=latest_ok,
        status_label="" if latest is None else ok_label if latest_ok else off_label,
        rows=rows,
        chart=chart,
        chart_is_partial=len(measurements) > CHART_MEASUREMENTS,
    )
    for key, value in (sent or {}).items():
        setattr(view, key, value)
    return view


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
    today: date,
    form: AmbitionForm | None = None,
    form_errors: dict[str, str] | None = None,
    goal_form: GoalForm | None = None,
    goal_errors: dict[str, str] | None = None,
    indicator_form: IndicatorForm | None = None,
    indicator_errors: dict[str, str] | None = None,
    sent: dict[int, dict[str, Any]] | None = None,
) -> dict[str, Any]:
    assert ambition.id is not None
    teams = teams_by_id(session)
    team_ids, goals = ambition_details(session, [ambition])
    own_goals = goals[ambition.id]
    tied = meetings_named(session, {g.meeting_id for g in own_goals if g.meeting_id})
    found = indicators_of(session, ambition_id=ambition.id)
    values = measurements_of(session, [i.id for i in found if i.id is not None])
    indicator_form = indicator_form or IndicatorForm()
    rows = progress_rows(ambition_progress(session, ambition_id=ambition.id))
    form = form or AmbitionForm(
        title=ambition.title,
        intent=ambition.intent,
        horizon=ambition.horizon.isoformat() if ambition.horizon else "",
        status=ambition.status,
    )
    goal_form = goal_form or GoalForm()
    can_edit = access.can_edit_ambition(ambition.owner_team_id)
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
                meeting_label=named_label(tied[goal.meeting_id]) if goal.meeting_id in tied else "",
            )
            for goal in own_goals
        ],
        "goals_summary": goals_met(own_goals),
        "indicators": [
            indicator_view(i, values[i.id or 0], (sent or {}).get(i.id or 0)) for i in found
        ],
        "indicators_full": len(found) >= MAX_INDICATORS,
        "indicators_full_message": _(TOO_MANY),
        "indicator_form": indicator_form,
        "indicator_errors": indicator_errors or {},
        "direction_choices": [
            DirectionChoice(value=value, label=_(label), selected=value == indicator_form.direction)
            for value, label in DIRECTION_LABELS.items()
        ],
        "meeting_groups": meeting_groups(
            upcoming(session, today=today) if can_edit else [], goal_form.meeting_id
        ),
        "knelpunten": [
            KnelpuntView(escalation=escalation, from_team=teams.get(escalation.from_team_id))
            for escalation in open_escalations_for_ambition(session, ambition_id=ambition.id)
        ],
        "progress": rows,
        "chart": progress_chart(rows),
        "chart_is_partial": len(rows) > CHART_SPRINTS,
        "chart_sprints": CHART_SPRINTS,
        "legend": [LegendItem(series=name, label=_(SERIES_LABELS[name])) for name in SERIES],
        "can_edit": can_edit,
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
    request: Request, ambition_id: PathId, viewer: ViewerDep, session: SessionDep, today: Today
) -> Response:
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    context = _page_context(session, viewer.access, ambition, today=today)
    return render(request, PAGE, context, block="ambitie")


# the parts of the page a live update fetches again (app/web/ambitions_live.py)
LIVE_PARTS = Literal["doelen", "knelpunten", "voortgang"]


@router.get("/ambities/{ambition_id}/deel/{part}")
def ambition_part(
    request: Request,
    ambition_id: PathId,
    part: LIVE_PARTS,
    viewer: ViewerDep,
    session: SessionDep,
    today: Today,
) -> Response:
    if not is_htmx(request):  # a part alone is no page: the whole page instead
        return RedirectResponse(f"/ambities/{ambition_id}", status_code=303)
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    context = _page_context(session, viewer.access, ambition, today=today)
    return render(request, PAGE, context, block=part)


@router.get("/ambities/{ambition_id}/indicatoren/{indicator_id}/metingen")
def indicator_measurements(
    request: Request,
    ambition_id: PathId,
    indicator_id: PathId,
    session: SessionDep,
    viewer: ViewerDep,
) -> Response:
    """One indicator's latest value, chart and table (a live update fetches it again)."""
    if not is_htmx(request):
        return RedirectResponse(f"/ambities/{ambition_id}#indicator-{indicator_id}", 303)
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    indicator = _indicator_of(session, ambition_id, indicator_id)
    row = indicator_view(indicator, measurements_of(session, [indicator_id])[indicator_id])
    context = {"ambition": ambition, "row": row, "ind": indicator}
    return render(request, INDICATORS, context, block="metingen")


@dataclass(frozen=True)
class AmbitionForms:
    """How every form on one ambition's page answers: the page again after a change (the page
    block for HTMX), or the block with what was sent and a message per field (422)."""

    request: Request
    session: Session
    access: Access
    ambition_id: int
    today: date

    def saved(self, ambition: Ambition, message: str, *, anchor: str = "") -> Response:
        def block() -> Response:
            context = _page_context(self.session, self.access, ambition, today=self.today)
            context["message"] = message
            return render(self.request, PAGE, context, block="ambitie")

        return saved_answer(self.request, f"/ambities/{ambition.id}{anchor}", block)

    def refused(self, **form: Any) -> Response:
        ambition = get_or_404(self.session, Ambition, self.ambition_id, "Ambitie")
        shown_again_only_to_writers(self.access.can_edit_ambition(ambition.owner_team_id))
        context = _page_context(self.session, self.access, ambition, today=self.today, **form)
        return render(self.request, PAGE, context, block="ambitie")


def ambition_forms(
    request: Request, ambition_id: PathId, viewer: ViewerDep, session: SessionDep, today: Today
) -> AmbitionForms:
    return AmbitionForms(request, session, viewer.access, ambition_id, today)


AmbitionFormsDep = Annotated[AmbitionForms, Depends(ambition_forms)]


@router.post("/ambities/{ambition_id}")
def edit_ambition(
    ambition_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
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
        refused=lambda errors: page.refused(form=sent, form_errors=errors),
        saved=lambda ambition: page.saved(ambition, _("De ambitie is opgeslagen.")),
    )


@router.post("/ambities/{ambition_id}/doelen")
def add_goal(
    ambition_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
    session: SessionDep,
    title: Annotated[str, Form()] = "",
    due: Annotated[str, Form()] = "",
    team_id: Annotated[str, Form()] = "",
    meeting_id: Annotated[str, Form()] = "",
) -> Response:
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    sent = GoalForm(title=title, due=due, team_id=team_id, meeting_id=meeting_id)

    def added(goal: Goal) -> Response:
        message = _("Kortetermijndoel „%(titel)s” is toegevoegd.") % {"titel": goal.title}
        return page.saved(ambition, message)

    def save() -> Goal:
        problems: dict[str, str] = {}
        chosen_team = chosen_meeting = None
        try:
            chosen_team = form_id(team_id, "team_id", TEAM_UNKNOWN)
        except FormError as exc:
            problems.update(exc.errors)
        try:
            chosen_meeting = form_id(meeting_id, "meeting_id", UNKNOWN_MEETING)
        except FormError as exc:
            problems.update(exc.errors)
        if problems:
            raise FormError(problems)
        return ambitions.add_goal(
            session=session,
            actor=viewer.access,
            ambition_id=ambition_id,
            data=parse(
                GoalCreate,
                title=title,
                due=due or None,
                team_id=chosen_team,
                meeting_id=chosen_meeting,
            ),
        )

    return submit(
        session,
        save,
        refused=lambda errors: page.refused(goal_form=sent, goal_errors=errors),
        saved=added,
    )


def _goal_of(session: Session, ambition_id: int, goal_id: int) -> Goal:
    goal = get_or_404(session, Goal, goal_id, "Kortetermijndoel")
    if goal.ambition_id != ambition_id:
        raise NotFound("Kortetermijndoel")
    return goal


@router.post("/ambities/{ambition_id}/doelen/{goal_id}/behaald")
def mark_goal(
    ambition_id: PathId,
    goal_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
    session: SessionDep,
    is_done: Annotated[str, Form()] = "",
) -> Response:
    """Mark a goal achieved ("true") or not yet achieved ("false")."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    _goal_of(session, ambition_id, goal_id)

    def saved(goal: Goal) -> Response:
        template = (
            _("„%(titel)s” is behaald.") if goal.is_done else _("„%(titel)s” is nog niet behaald.")
        )
        return page.saved(ambition, template % {"titel": goal.title}, anchor=f"#doel-{goal_id}")

    return submit(
        session,
        lambda: ambitions.update_goal(
            session=session,
            actor=viewer.access,
            goal_id=goal_id,
            data=parse(GoalUpdate, is_done=is_done.strip() or None),
        ),
        refused=lambda errors: page.refused(goal_errors=errors),
        saved=saved,
    )


# --- Indicators -----------------------------------------------------------------------------


def _indicator_of(session: Session, ambition_id: int, indicator_id: int) -> Indicator:
    indicator = get_or_404(session, Indicator, indicator_id, "Indicator")
    if indicator.ambition_id != ambition_id:
        raise NotFound("Indicator")
    return indicator


def _number(text: str, field_name: str) -> float | str | None:
    """A typed number the Dutch way; what cannot be read goes to the model as text, so the
    message is the usual one for that field."""
    if not text.strip():
        return None
    value = parse_value(text)
    if value is None:
        raise FormError({field_name: _(NOT_A_NUMBER)})
    return value


@router.post("/ambities/{ambition_id}/indicatoren")
def add_indicator(
    ambition_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
    session: SessionDep,
    name: Annotated[str, Form()] = "",
    unit: Annotated[str, Form()] = "",
    target: Annotated[str, Form()] = "",
    direction: Annotated[str, Form()] = "",
) -> Response:
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    sent = IndicatorForm(name=name, unit=unit, target=target, direction=direction)

    def added(indicator: Indicator) -> Response:
        message = _("Indicator „%(naam)s” is toegevoegd.") % {"naam": indicator.name}
        return page.saved(ambition, message, anchor=f"#indicator-{indicator.id}")

    return submit(
        session,
        lambda: indicators.add_indicator(
            session=session,
            actor=viewer.access,
            ambition_id=ambition_id,
            data=parse(
                IndicatorCreate,
                name=name,
                unit=unit,
                target=_number(target, "target"),
                direction=direction or IndicatorDirection.up,
            ),
        ),
        refused=lambda errors: page.refused(indicator_form=sent, indicator_errors=errors),
        saved=added,
    )


@router.post("/ambities/{ambition_id}/indicatoren/{indicator_id}/verwijderen")
def remove_indicator(
    ambition_id: PathId,
    indicator_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
    session: SessionDep,
) -> Response:
    indicator = _indicator_of(session, ambition_id, indicator_id)
    name = indicator.name
    ambition = indicators.remove_indicator(
        session=session, actor=viewer.access, indicator_id=indicator_id
    )
    message = _("Indicator „%(naam)s” is verwijderd.") % {"naam": name}
    return page.saved(ambition, message, anchor="#kop-indicatoren")


@router.post("/ambities/{ambition_id}/indicatoren/{indicator_id}/metingen")
def add_measurement(
    request: Request,
    ambition_id: PathId,
    indicator_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
    session: SessionDep,
    today: Today,
    measured_on: Annotated[str, Form(alias="date")] = "",
    value: Annotated[str, Form()] = "",
    note: Annotated[str, Form()] = "",
) -> Response:
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    indicator = _indicator_of(session, ambition_id, indicator_id)
    sent = MeasurementForm(date=measured_on, value=value, note=note)

    def added(measurement: Measurement) -> Response:
        message = _("Meting van %(datum)s is opgeslagen voor „%(naam)s”.") % {
            "datum": short_date(measurement.measured_on),
            "naam": indicator.name,
        }
        return page.saved(ambition, message, anchor=f"#indicator-{indicator_id}")

    return submit(
        session,
        lambda: indicators.add_measurement(
            session=session,
            actor=viewer.access,
            indicator_id=indicator_id,
            data=parse(
                MeasurementCreate,
                date=measured_on or None,
                value=_number(value, "value"),
                note=note,
            ),
        ),
        refused=lambda errors: page.refused(sent={indicator_id: {"form": sent, "errors": errors}}),
        saved=added,
    )


async def _read_upload(upload: UploadFile | None) -> str:
    if upload is None or not upload.filename:
        raise FormError({"file": _(NO_FILE)})
    content = await upload.read(MAX_UPLOAD + 1)
    if len(content) > MAX_UPLOAD:
        raise FormError({"file": _("Het bestand is te groot (hoogstens 200 kB).")})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FormError({"file": _(UNREADABLE)})


def _preview(
    request: Request,
    session: Session,
    access: Access,
    ambition: Ambition,
    indicator_id: int,
    *,
    today: date,
    text: str,
    errors: dict[str, str],
) -> Response:
    """The page with the file's rows checked under the indicator: 200 when every row can be
    stored (a button stores them), 422 with a message per row otherwise."""
    assert ambition.id is not None
    shown_again_only_to_writers(access.can_edit_ambition(ambition.owner_team_id))
    result = parse_csv(text) if text else None
    if result is not None and result.problem:
        errors = {"file": _(result.problem), **errors}
    elif result is not None and not result.valid:
        errors = {"file": _("Niet alle regels kloppen. Er is niets opgeslagen."), **errors}
    context = _page_context(
        session,
        access,
        ambition,
        today=today,
        sent={indicator_id: {"csv": result, "csv_text": text, "csv_errors": errors}},
    )
    response = render(request, PAGE, context, block="ambitie")
    if errors:
        response.status_code = 422
    return response


@router.post("/ambities/{ambition_id}/indicatoren/{indicator_id}/csv")
async def preview_csv(
    request: Request,
    ambition_id: PathId,
    indicator_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    today: Today,
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Check an uploaded CSV row by row and show what would be stored; nothing is stored."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    _indicator_of(session, ambition_id, indicator_id)
    indicators.editable_indicator(session=session, actor=viewer.access, indicator_id=indicator_id)
    try:
        text = await _read_upload(file)
    except FormError as exc:
        return _preview(
            request,
            session,
            viewer.access,
            ambition,
            indicator_id,
            today=today,
            text="",
            errors=exc.errors,
        )
    return _preview(
        request, session, viewer.access, ambition, indicator_id, today=today, text=text, errors={}
    )


@router.post("/ambities/{ambition_id}/indicatoren/{indicator_id}/csv/opslaan")
def store_csv(
    request: Request,
    ambition_id: PathId,
    indicator_id: PathId,
    viewer: ViewerDep,
    page: AmbitionFormsDep,
    session: SessionDep,
    today: Today,
    csv_text: Annotated[str, Form(max_length=MAX_UPLOAD)] = "",
) -> Response:
    """Store the rows of a previewed file, all or none (they are checked again)."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    indicator = _indicator_of(session, ambition_id, indicator_id)
    result = parse_csv(csv_text)
    if not result.valid:
        indicators.editable_indicator(
            session=session, actor=viewer.access, indicator_id=indicator_id
        )
        return _preview(
            request,
            session,
            viewer.access,
            ambition,
            indicator_id,
            today=today,
            text=csv_text,
            errors={},
        )
    stored = indicators.import_measurements(
        session=session, actor=viewer.access, indicator_id=indicator_id, rows=result.rows
    )
    message = ngettext(
        "%(num)d meting opgeslagen voor „%(naam)s”.",
        "%(num)d metingen opgeslagen voor „%(naam)s”.",
        stored,
    ) % {"num": stored, "naam": indicator.name}
    return page.saved(ambition, message, anchor=f"#indicator-{indicator_id}")


__all__ = ["MeetingGroup", "router"]
