"""A team closes its own part of a period (sprint): planned vs done vs carried over, and per open
action a choice: meenemen (carry over, the default) or laten vallen (drop) with a reason. Also
"Volgende periode plannen": the next period made on request, so the team can plan in it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId
from app.domain.messages import Message
from app.domain.permissions import Access
from app.models import (
    Action,
    ActionStatus,
    DropChoice,
    Sprint,
    SprintReview,
    Team,
    TeamSprintClose,
)
from app.queries import rhythm as queries_rhythm
from app.queries.common import user_names
from app.services import rhythm, sprints
from app.services.access import get_or_404
from app.services.rhythm import TeamClose
from app.translatable import N_
from app.web.deps import PageDep
from app.web.forms import STATUS_LABELS, FormError, in_reader_language, see_other, submit
from app.web.i18n import gettext as _
from app.web.i18n import week_label
from app.web.templating import render

router = APIRouter()

TEMPLATE = "boards/close.html"
CARRY, DROP = "meenemen", "laten-vallen"
REASON_MAX = 1000
REASON_TOO_LONG = N_("Schrijf de reden in hoogstens %(max)d tekens.")


async def posted_form(request: Request) -> dict[str, str]:
    """Every text field of the posted form (the choices are named after their action)."""
    form = await request.form()
    return {key: value for key, value in form.items() if isinstance(value, str)}


FormDep = Annotated[dict[str, str], Depends(posted_form)]


@dataclass
class ActionChoice:
    action: Action
    owner_name: str
    status_label: str
    drop: bool = False
    reason: str = ""
    error: str = ""

    @property
    def id(self) -> int:
        assert self.action.id is not None
        return self.action.id


@dataclass
class ClosePage:
    team: Team
    sprint: Sprint
    numbers: queries_rhythm.TeamSprintNumbers
    choices: list[ActionChoice]
    dropped: list[Action]
    next_label: str
    problem: str | None  # why the team cannot close now (already closed, not begun, ...)
    can_write: bool
    review: SprintReview | None
    closed_by: str
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return week_label(self.sprint.start_date, self.sprint.end_date)

    @property
    def board_url(self) -> str:
        return f"/teams/{self.team.id}?sprint_id={self.sprint.id}"

    @property
    def action_url(self) -> str:
        return f"/teams/{self.team.id}/periodes/{self.sprint.id}/afsluiten"

    @property
    def can_close(self) -> bool:
        return self.problem is None and self.can_write


def close_page(
    session: Session,
    access: Access,
    team: Team,
    sprint: Sprint,
    today: date,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
) -> ClosePage:
    assert team.id is not None and sprint.id is not None
    values = values or {}
    errors = errors or {}
    found = queries_rhythm.open_actions(session, team_id=team.id, sprint_id=sprint.id)
    review = rhythm.review_of(session, team_id=team.id, sprint_id=sprint.id)
    names = user_names(
        session, [a.owner_id for a in found] + [review.closed_by_id if review else None]
    )
    choices = [
        ActionChoice(
            action=action,
            owner_name=names.get(action.owner_id, _("verwijderde gebruiker")),
            status_label=_(STATUS_LABELS[ActionStatus(action.status)]),
            drop=values.get(f"keuze-{action.id}") == DROP,
            reason=values.get(f"reden-{action.id}", ""),
            error=errors.get(f"reden-{action.id}", ""),
        )
        for action in found
    ]
    preview = sprints.close_preview(session=session, sprint=sprint, today=today)
    problem = rhythm.close_problem(session, team_id=team.id, sprint=sprint, today=today)
    return ClosePage(
        team=team,
        sprint=sprint,
        numbers=queries_rhythm.team_sprint_numbers(session, team_id=team.id, sprint_id=sprint.id),
        choices=choices,
        dropped=queries_rhythm.dropped_actions(session, team_id=team.id, sprint_id=sprint.id),
        next_label=week_label(preview.next_dates.start, preview.next_dates.end),
        problem=in_reader_language(problem) if problem else None,
        can_write=access.can_write_board(team.id),
        review=review,
        closed_by=names.get(review.closed_by_id or 0, "") if review else "",
        errors=errors,
    )


def _place(session: Session, team_id: int, sprint_id: int) -> tuple[Team, Sprint]:
    return (
        get_or_404(session, Team, team_id, "Team"),
        get_or_404(session, Sprint, sprint_id, "Periode"),
    )


@router.get("/teams/{team_id}/periodes/{sprint_id}/afsluiten")
def close_period_page(page: PageDep, team_id: PathId, sprint_id: PathId) -> Response:
    team, sprint = _place(page.session, team_id, sprint_id)
    view = close_page(page.session, page.viewer.access, team, sprint, page.today)
    return render(page.request, TEMPLATE, {"view": view})


def _drops(form: dict[str, str]) -> tuple[list[DropChoice], list[int]]:
    """The actions chosen to drop, with their reasons, and their ids in the same order."""
    drops: list[DropChoice] = []
    order: list[int] = []
    problems: dict[str, str] = {}
    for key, value in form.items():
        if not key.startswith("keuze-") or value != DROP:
            continue
        number = key.removeprefix("keuze-")
        if not (number.isascii() and number.isdigit() and len(number) <= 9):
            continue
        action_id = int(number)
        reason = form.get(f"reden-{action_id}", "").strip()
        if len(reason) > REASON_MAX:
            problems[f"reden-{action_id}"] = in_reader_language(
                Message(REASON_TOO_LONG, max=REASON_MAX)
            )
            continue
        drops.append(DropChoice(action_id=action_id, reason=reason))
        order.append(action_id)
    if problems:
        raise FormError(problems)
    return drops, order


@router.post("/teams/{team_id}/periodes/{sprint_id}/afsluiten")
def close_period(page: PageDep, team_id: PathId, sprint_id: PathId, form: FormDep) -> Response:
    request, viewer, session, today = page.request, page.viewer, page.session, page.today
    team, sprint = _place(session, team_id, sprint_id)
    order: list[int] = []

    def save() -> TeamClose:
        drops, ids = _drops(form)
        order.extend(ids)
        return rhythm.close_team_sprint(
            session=session,
            actor=viewer.access,
            team_id=team_id,
            sprint_id=sprint_id,
            data=TeamSprintClose(drop=drops),
            today=today,
        )

    def refused(errors: dict[str, str]) -> Response:
        shown: dict[str, str] = {}
        for key, message in errors.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "drop" and parts[2] == "reason":
                shown[f"reden-{order[int(parts[1])]}"] = message
            elif key.startswith("reden-"):
                shown[key] = message
            else:
                shown["form"] = message
        here, period = _place(session, team_id, sprint_id)
        view = close_page(session, viewer.access, here, period, today, values=form, errors=shown)
        return render(request, TEMPLATE, {"view": view})

    return submit(
        session,
        save,
        refused=refused,
        saved=lambda _closed: see_other(f"/teams/{team.id}/periodes/{sprint.id}/afsluiten"),
    )


@router.post("/teams/{team_id}/volgende-periode")
def plan_next_period(page: PageDep, team_id: PathId) -> Response:
    """Make the next period (when it does not exist yet) and show it on the team's board."""
    following = rhythm.plan_next(
        session=page.session, actor=page.viewer.access, team_id=team_id, today=page.today
    )
    return see_other(f"/teams/{team_id}?sprint_id={following.id}")
