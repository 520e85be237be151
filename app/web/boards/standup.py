"""Staand overleg: a team of teams walks its own board and then each child team's, one at a
time, in large type on a shared screen, without the site's navigation.

The first screen holds the plan (order of the child teams, minutes per team); it travels from
screen to screen in the query (?volgorde=3&volgorde=2&minuten=4). The clocks (the meeting's
and each team's) run in static/js/standup.js and survive page changes in sessionStorage.
The open knelpunten sent to the team of teams are on every screen with their resolve form
(page.resolve_knelpunt answers HTMX with that block), so the meeting never leaves the stand-up.
Every screen also lists who has the board open, per office (presence: app/web/boards/live.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId
from app.domain import standup as plan
from app.models import STANDUP_TEXT_MAX, StandupCreate, StandupRecord, Team
from app.queries.boards import child_teams
from app.queries.standups import (
    answered_on,
    by_office,
    candidates,
    details,
    open_escalations,
    records_of,
)
from app.services import standups
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid, NotFound
from app.services.sprints import working_sprint
from app.web.boards.forms import confirmed
from app.web.boards.live import presence
from app.web.boards.page import Place, load
from app.web.boards.view import STANDUP, BoardView
from app.web.deps import PageDep, PageRequest
from app.web.forms import FormError, parse, see_other, shown_again_only_to_writers, submit
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

TEMPLATE = "boards/standup.html"
DEFAULT_MINUTES = plan.DEFAULT_MINUTES


def clock_text(seconds: int) -> str:
    """ "02:00": minutes and seconds, as the countdown shows them."""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


def whole_number(text: str, message: str) -> int:
    """A number from the query, or the Dutch message as a 422 page."""
    try:
        return int(text.strip())
    except ValueError:
        raise Invalid({"plan": message}) from None


def chosen_plan(
    children: list[Team], volgorde: list[str], minuten: str | None
) -> tuple[list[Team], int]:
    """The child teams in the order asked for and the minutes per team; 422 when they are bad."""
    minutes = DEFAULT_MINUTES if minuten is None else whole_number(minuten, plan.BAD_MINUTES)
    order = [whole_number(text, plan.BAD_ORDER) for text in volgorde]
    ids = [team.id for team in children if team.id is not None]
    problem = plan.minutes_problem(minutes) or plan.order_problem(children=ids, order=order)
    if problem:
        raise Invalid({"plan": problem})
    by_id = {team.id: team for team in children}
    return [by_id[team_id] for team_id in plan.walk(children=ids, order=order)], minutes


def record_url(team_id: int, walked: list[Team]) -> str:
    query = urlencode([("volgorde", team.id or 0) for team in walked])
    return f"/teams/{team_id}/staand-overleg/verslag?{query}"


@router.get("/teams/{team_id}/staand-overleg")
def standup(
    page: PageDep,
    team_id: PathId,
    team: Annotated[int, Query(ge=0, le=10_000)] = 0,
    minuten: str | None = None,
    volgorde: Annotated[list[str] | None, Query()] = None,
) -> Response:
    request, viewer, session, engine, today = page
    root = get_or_404(session, Team, team_id, "Team")
    children = child_teams(session, team_id=team_id)
    walked, minutes = chosen_plan(children, volgorde or [], minuten)
    order = [root, *walked]
    index = min(team, len(order) - 1)
    sprint = working_sprint(session=session, engine=engine, today=today)

    def board(shown: Team) -> BoardView:
        place = Place(shown, sprint, sprint)
        return load(request, session, viewer.access, place, today, weergave=STANDUP)

    view = board(order[index])
    # The team of teams' own knelpunten (and its teams) are on every screen. Seam: resolving a
    # knelpunt is how the meeting records a decision for now; attendance and a list of
    # decisions of the meeting come with a later issue and belong here.
    meeting = view if index == 0 else board(root)

    def step(to: int) -> str | None:
        if not 0 <= to < len(order):
            return None
        query: list[tuple[str, str | int]] = [("team", to), ("minuten", minutes)]
        if volgorde:
            query += [("volgorde", t.id or 0) for t in walked]
        return f"/teams/{team_id}/staand-overleg?{urlencode(query)}"

    context = {
        "view": view,
        "meeting": meeting,
        "oob": (),
        "root": root,
        "order": order,
        "walked": walked,
        "index": index,
        "minutes": minutes,
        "minutes_min": plan.MINUTES_MIN,
        "minutes_max": plan.MINUTES_MAX,
        "planned": volgorde is not None or minuten is not None,
        "clock_key": f"{team_id}:{today.isoformat()}",
        "previous_url": step(index - 1),
        "next_url": step(index + 1),
        "previous_team": order[index - 1] if index > 0 else None,
        "next_team": order[index + 1] if index + 1 < len(order) else None,
        "seconds": minutes * 60,
        "clock": clock_text(minutes * 60),
        # the record of this meeting, with the teams in the order walked
        "record_url": record_url(team_id, walked)
        if viewer.access.can_write_board(team_id)
        else None,
        # who has the board of the team of teams open (its streams; this screen's own follows)
        "present": presence.of(team_id),
    }
    return render(request, TEMPLATE, context)


@router.get("/teams/{team_id}/staand-overleg/aanwezig")
def present(page: PageDep, team_id: PathId) -> Response:
    """Who has the board open, per office (the stand-up screen fetches it on "aanwezig")."""
    root = get_or_404(page.session, Team, team_id, "Team")
    return render(
        page.request, "boards/_presence.html", {"root": root, "present": presence.of(team_id)}
    )


# --- the record of a stand-up ---------------------------------------------------------------
RECORD_FORM = "standups/form.html"
RECORD_LIST = "standups/list.html"
RECORD_PAGE = "standups/record.html"
DECISION_ROWS = 5  # empty rows for decisions on the form (a row left empty is no decision)
FormList = Annotated[list[str], Form()]
FormText = Annotated[str, Form()]


@dataclass
class DecisionRow:
    """One decision line of the form: its text and what it becomes ("" only written down,
    "eigenaar:<id>" an action with that owner, "knelpunt:<id>" the answer to that knelpunt)."""

    text: str = ""
    target: str = ""
    error: str | None = None


@dataclass
class TurnRow:
    team: Team
    time: str = ""
    error: str | None = None


@dataclass
class RecordForm:
    held_on: str
    attendee_ids: set[int] = field(default_factory=set)
    turns: list[TurnRow] = field(default_factory=list)
    decisions: list[DecisionRow] = field(default_factory=list)
    notes: str = ""
    confirm_personal_data: bool = False


def _team_of_teams(session: Session, team_id: int) -> tuple[Team, list[Team]]:
    root = get_or_404(session, Team, team_id, "Team")
    children = child_teams(session, team_id=team_id)
    if not children:
        raise NotFound("Team van teams")
    return root, children


def _form_page(
    page: PageRequest,
    root: Team,
    form: RecordForm,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    assert root.id is not None
    session = page.session
    people = candidates(session, team_id=root.id)
    escalations = open_escalations(session, team_id=root.id)
    context = {
        "root": root,
        "form": form,
        "offices": by_office(people),
        "owners": people,
        "escalations": escalations,
        "answered_today": answered_on(session, team_id=root.id, day=page.today),
        "errors": errors or {},
        "clock_key": f"{root.id}:{page.today.isoformat()}",
        "max_length": STANDUP_TEXT_MAX,
    }
    return render(page.request, RECORD_FORM, context, status_code=status_code)


@router.get("/teams/{team_id}/staand-overleg/verslag")
def record_form(
    page: PageDep,
    team_id: PathId,
    volgorde: Annotated[list[str] | None, Query()] = None,
) -> Response:
    """The form to record today's stand-up, the teams in the order walked (from the stand-up's
    plan); the times come from the stand-up's clocks (JavaScript) or are typed."""
    root, children = _team_of_teams(page.session, team_id)
    require_board_writer(page.viewer.access, team_id)
    walked, _minutes = chosen_plan(children, volgorde or [], None)
    form = RecordForm(
        held_on=page.today.isoformat(),
        turns=[TurnRow(team) for team in [root, *walked]],
        decisions=[DecisionRow() for _ in range(DECISION_ROWS)],
    )
    return _form_page(page, root, form)


def _decision(text: str, target: str) -> dict[str, Any]:
    kind, _sep, number = target.partition(":")
    chosen = int(number) if number.isdigit() and len(number) < 10 else None
    if kind == "eigenaar" and chosen:
        return {"text": text, "owner_id": chosen}
    if kind == "knelpunt" and chosen:
        return {"text": text, "escalation_id": chosen}
    if target:
        raise FormError({"decisions": _(plan.CHOOSE_TARGET)})
    return {"text": text}


@router.post("/teams/{team_id}/staand-overleg/verslagen")
def save_record(
    page: PageDep,
    team_id: PathId,
    held_on: FormText = "",
    attendee_ids: FormList = [],  # noqa: B006 (FastAPI copies defaults)
    turn_team: FormList = [],  # noqa: B006
    turn_time: FormList = [],  # noqa: B006
    decision_text: FormList = [],  # noqa: B006
    decision_target: FormList = [],  # noqa: B006
    notes: FormText = "",
    confirm_personal_data: FormText = "",
) -> Response:
    session = page.session
    root, children = _team_of_teams(session, team_id)
    teams = {team.id: team for team in [root, *children]}
    turn_ids = [int(t) for t in turn_team if t.isdigit() and int(t) in teams]
    times = [*turn_time, *([""] * len(turn_ids))][: len(turn_ids)]
    texts = [*decision_text]
    targets = [*decision_target, *([""] * len(texts))][: len(texts)]
    form = RecordForm(
        held_on=held_on,
        attendee_ids={int(a) for a in attendee_ids if a.isdigit() and len(a) < 10},
        turns=[TurnRow(teams[t], time) for t, time in zip(turn_ids, times, strict=True)],
        decisions=[DecisionRow(text, target) for text, target in zip(texts, targets, strict=True)],
        notes=notes,
        confirm_personal_data=confirmed(confirm_personal_data),
    )

    def save() -> StandupRecord:
        problems: dict[str, str] = {}
        turns = []
        for row in form.turns:
            if not row.time.strip():
                continue  # not walked
            seconds = plan.parse_clock(row.time)
            if seconds is None:
                row.error = _(plan.BAD_TIME)
                problems["turns"] = row.error
            else:
                turns.append({"team_id": row.team.id, "seconds": seconds})
        decisions = []
        kept: list[DecisionRow] = []
        for line in form.decisions:
            if not line.text.strip():
                continue
            kept.append(line)
            try:
                decisions.append(_decision(line.text, line.target))
            except FormError as exc:
                line.error = exc.errors["decisions"]
                problems["decisions"] = line.error
        form.decisions = kept
        if problems:
            raise FormError(problems)
        data = parse(
            StandupCreate,
            held_on=held_on or None,
            attendee_ids=sorted(form.attendee_ids),
            turns=turns,
            decisions=decisions,
            notes=notes,
            confirm_personal_data=form.confirm_personal_data,
        )
        return standups.record_standup(
            session=session, actor=page.viewer.access, team_id=team_id, data=data, today=page.today
        )

    def refused(errors: dict[str, str]) -> Response:
        shown_again_only_to_writers(page.viewer.access.can_write_board(team_id))
        for key, message in errors.items():
            parts = key.split(".")
            if parts[0] == "decisions" and len(parts) > 1 and parts[1].isdigit():
                index = int(parts[1])
                if index < len(form.decisions):
                    form.decisions[index].error = message
        while len(form.decisions) < DECISION_ROWS:
            form.decisions.append(DecisionRow())
        fresh_root = get_or_404(session, Team, team_id, "Team")
        return _form_page(page, fresh_root, form, errors, status_code=422)

    return submit(
        session,
        save,
        refused=refused,
        saved=lambda record: see_other(
            f"/teams/{team_id}/staand-overleg/verslagen/{record.id}?opgeslagen=1"
        ),
    )


@router.get("/teams/{team_id}/staand-overleg/verslagen")
def record_list(page: PageDep, team_id: PathId) -> Response:
    root = get_or_404(page.session, Team, team_id, "Team")
    found = details(page.session, records_of(page.session, team_id=team_id))
    context = {
        "root": root,
        "records": found,
        "can_write": page.viewer.access.can_write_board(team_id)
        and bool(child_teams(page.session, team_id=team_id)),
        "clock": plan.clock,
    }
    return render(page.request, RECORD_LIST, context)


@router.get("/teams/{team_id}/staand-overleg/verslagen/{standup_id}")
def record_page(
    page: PageDep, team_id: PathId, standup_id: PathId, opgeslagen: int = 0
) -> Response:
    root = get_or_404(page.session, Team, team_id, "Team")
    record = get_or_404(page.session, StandupRecord, standup_id, "Verslag")
    if record.team_id != team_id:
        raise NotFound("Verslag")
    found = details(page.session, [record])[0]
    context = {
        "root": root,
        "found": found,
        "offices": by_office(found.attendees),
        "answered": [d for d in found.decisions if d.escalation_id],
        "clock": plan.clock,
        "saved": bool(opgeslagen),
    }
    return render(page.request, RECORD_PAGE, context)
