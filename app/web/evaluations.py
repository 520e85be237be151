"""Evaluatie: a team's evaluation of a sprint (read by everyone, written by the team), the
evaluations of a team of teams' teams, and the wall of wins ("in het licht") on the team of
teams' board and on an ambition's page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form
from starlette.responses import Response

from app.deps import PathId, QueryId
from app.domain import evaluation as rules
from app.models import EVALUATION_TEXT_MAX, Ambition, Evaluation, EvaluationWrite, Sprint, Team
from app.queries.ambitions import ambition_details
from app.queries.boards import child_teams
from app.queries.evaluations import (
    Win,
    evaluation_of,
    evaluations_of,
    sprints_to_evaluate,
    wins_for_teams,
)
from app.services import evaluations
from app.services.access import get_or_404
from app.services.errors import StaleVersion
from app.services.sprints import current_sprint
from app.translatable import N_
from app.web.deps import PageDep, PageRequest
from app.web.forms import parse, see_other, shown_again_only_to_writers, submit
from app.web.i18n import gettext as _
from app.web.i18n import week_label
from app.web.templating import render

router = APIRouter()

PAGE = "evaluations/evaluation.html"
TEAMS = "evaluations/teams.html"
WINS = "evaluations/wins.html"
FormText = Annotated[str, Form()]
Periode = QueryId
STALE = N_(
    "Iemand anders heeft deze evaluatie intussen opgeslagen. Jouw tekst staat er nog. Vergelijk "
    "hem met de nieuwe versie en sla opnieuw op."
)


@dataclass(frozen=True)
class Part:
    """One part of the evaluation as the page shows it."""

    name: str
    heading: str
    text: str
    error: str | None = None


@dataclass(frozen=True)
class SprintChoice:
    id: int
    label: str
    selected: bool


def parts(texts: dict[str, str], errors: dict[str, str] | None = None) -> list[Part]:
    errors = errors or {}
    return [
        Part(name=name, heading=_(heading), text=texts.get(name, ""), error=errors.get(name))
        for name, heading, _noun in rules.PARTS
    ]


def texts_of(evaluation: Evaluation | None) -> dict[str, str]:
    if evaluation is None:
        return {name: "" for name in rules.FIELDS}
    return {name: getattr(evaluation, name) for name in rules.FIELDS}


def sprint_label(sprint: Sprint) -> str:
    return _("Periode %(weken)s") % {"weken": week_label(sprint.start_date, sprint.end_date)}


def chosen_sprint(page: PageRequest, periode: int | None) -> tuple[Sprint, list[SprintChoice]]:
    """The sprint asked for (default: today's) and the sprints one can choose, latest first."""
    current = current_sprint(session=page.session, engine=page.engine, today=page.today)
    sprint = current if periode is None else get_or_404(page.session, Sprint, periode, "Periode")
    shown = sprints_to_evaluate(page.session, today=page.today)
    if sprint not in shown:
        shown = sorted([*shown, sprint], key=lambda s: s.start_date, reverse=True)
    choices = [
        SprintChoice(
            id=s.id,  # type: ignore[arg-type]
            label=week_label(s.start_date, s.end_date)
            + (" " + _("(huidige periode)") if s.id == current.id else ""),
            selected=s.id == sprint.id,
        )
        for s in shown
    ]
    return sprint, choices


# --- one team's evaluation ------------------------------------------------------------------


def _page(
    page: PageRequest,
    team: Team,
    sprint: Sprint,
    choices: list[SprintChoice],
    *,
    texts: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    version: int | None = None,
    stale: Evaluation | None = None,
    saved: bool = False,
    status_code: int = 200,
) -> Response:
    assert team.id is not None and sprint.id is not None
    stored = evaluation_of(page.session, team_id=team.id, sprint_id=sprint.id)
    can_write = page.viewer.access.can_write_board(team.id)
    problem = rules.sprint_problem(start_date=sprint.start_date, today=page.today)
    parent = page.session.get(Team, team.parent_id) if team.parent_id else None
    context: dict[str, Any] = {
        "team": team,
        "parent": parent,
        "sprint": sprint,
        "sprint_label": sprint_label(sprint),
        "choices": choices,
        "stored": stored,
        "parts": parts(texts if texts is not None else texts_of(stored), errors),
        "wins": rules.wins(stored.highlights) if stored else [],
        "version": version if version is not None else (stored.version if stored else 0),
        "can_write": can_write and problem is None,
        "not_started": problem,
        "form_errors": errors or {},
        "stale": parts(texts_of(stale)) if stale is not None else None,
        "saved": saved,
        "max_length": EVALUATION_TEXT_MAX,
        "is_team_of_teams": bool(child_teams(page.session, team_id=team.id)),
    }
    return render(page.request, PAGE, context, status_code=status_code)


@router.get("/teams/{team_id}/evaluatie")
def evaluation_page(
    page: PageDep, team_id: PathId, periode: Periode = None, opgeslagen: int = 0
) -> Response:
    team = get_or_404(page.session, Team, team_id, "Team")
    sprint, choices = chosen_sprint(page, periode)
    return _page(page, team, sprint, choices, saved=bool(opgeslagen))


@router.post("/teams/{team_id}/evaluatie")
def save_evaluation(
    page: PageDep,
    team_id: PathId,
    periode: Periode = None,
    goes_well: FormText = "",
    vulnerable: FormText = "",
    notably_absent: FormText = "",
    highlights: FormText = "",
    version: FormText = "",
) -> Response:
    team = get_or_404(page.session, Team, team_id, "Team")
    sprint, choices = chosen_sprint(page, periode)
    assert sprint.id is not None
    texts = {
        "goes_well": goes_well,
        "vulnerable": vulnerable,
        "notably_absent": notably_absent,
        "highlights": highlights,
    }
    sent_version = int(version) if version.isdigit() and len(version) < 10 else None

    def save() -> Evaluation:
        data = parse(EvaluationWrite, **texts, version=sent_version)
        return evaluations.save_evaluation(
            session=page.session,
            actor=page.viewer.access,
            team_id=team_id,
            sprint_id=sprint.id,  # type: ignore[arg-type]
            data=data,
            today=page.today,
        )

    def refused(errors: dict[str, str]) -> Response:
        shown_again_only_to_writers(page.viewer.access.can_write_board(team_id))
        return _page(page, team, sprint, choices, texts=texts, errors=errors)

    try:
        return submit(
            page.session,
            save,
            refused=refused,
            saved=lambda _saved: see_other(
                f"/teams/{team_id}/evaluatie?periode={sprint.id}&opgeslagen=1#evaluatie"
            ),
        )
    except StaleVersion as exc:
        page.session.rollback()
        current = exc.current
        return _page(
            page,
            team,
            sprint,
            choices,
            texts=texts,
            errors={"form": _(STALE)},
            version=current.version if current is not None else 0,
            stale=current,
            status_code=409,
        )


# --- a team of teams: its teams' evaluations --------------------------------------------------


@dataclass(frozen=True)
class TeamEvaluation:
    team: Team
    parts: list[Part]
    wins: list[str]
    written: bool


@router.get("/teams/{team_id}/evaluaties")
def team_evaluations(page: PageDep, team_id: PathId, periode: Periode = None) -> Response:
    team = get_or_404(page.session, Team, team_id, "Team")
    sprint, choices = chosen_sprint(page, periode)
    assert sprint.id is not None
    children = child_teams(page.session, team_id=team_id)
    found = evaluations_of(
        page.session, team_ids=[c.id for c in children if c.id], sprint_id=sprint.id
    )
    rows = [
        TeamEvaluation(
            team=child,
            parts=parts(texts_of(found.get(child.id))),  # type: ignore[arg-type]
            wins=rules.wins(found[child.id].highlights) if child.id in found else [],
            written=child.id in found and not rules.is_empty(texts_of(found[child.id])),  # type: ignore[index]
        )
        for child in children
    ]
    context = {
        "team": team,
        "sprint": sprint,
        "sprint_label": sprint_label(sprint),
        "choices": choices,
        "rows": rows,
        "written": sum(1 for row in rows if row.written),
    }
    return render(page.request, TEAMS, context)


# --- the wall of wins -------------------------------------------------------------------------


def _wins(page: PageRequest, *, title: str, back_url: str, back: str, wins: list[Win]) -> Response:
    context = {"title": title, "back_url": back_url, "back": back, "wins": wins}
    return render(page.request, WINS, context, block="wins")


@router.get("/teams/{team_id}/in-het-licht")
def team_wins(page: PageDep, team_id: PathId) -> Response:
    """The wins of a team of teams' teams and its own."""
    team = get_or_404(page.session, Team, team_id, "Team")
    children = [c.id for c in child_teams(page.session, team_id=team_id) if c.id]
    found = wins_for_teams(page.session, team_ids=[team_id, *children])
    return _wins(
        page,
        title=_("In het licht bij %(team)s") % {"team": team.name},
        back_url=f"/teams/{team_id}",
        back=_("Naar het bord van %(team)s") % {"team": team.name},
        wins=found,
    )


@router.get("/ambities/{ambition_id}/in-het-licht")
def ambition_wins(page: PageDep, ambition_id: PathId) -> Response:
    """The wins of the teams that work on an ambition."""
    ambition = get_or_404(page.session, Ambition, ambition_id, "Ambitie")
    team_ids, _goals = ambition_details(page.session, [ambition])
    found = wins_for_teams(page.session, team_ids=team_ids[ambition_id])
    return _wins(
        page,
        title=_("In het licht bij %(ambitie)s") % {"ambitie": ambition.title},
        back_url=f"/ambities/{ambition_id}",
        back=_("Naar de ambitie"),
        wins=found,
    )
