"""Reading evaluations: one team's, the child teams' of a team of teams, and their wins."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.domain.evaluation import wins
from app.models import Evaluation, Sprint, Team

WINS_SHOWN = 12  # a wall of wins, not an archive: the latest ones


def evaluation_of(session: Session, *, team_id: int, sprint_id: int) -> Evaluation | None:
    return session.exec(
        select(Evaluation).where(Evaluation.team_id == team_id, Evaluation.sprint_id == sprint_id)
    ).first()


def evaluations_of(
    session: Session, *, team_ids: Collection[int], sprint_id: int
) -> dict[int, Evaluation]:
    """The evaluations of these teams for one sprint, by team, in one query."""
    if not team_ids:
        return {}
    rows = session.exec(
        select(Evaluation).where(
            col(Evaluation.team_id).in_(sorted(team_ids)), Evaluation.sprint_id == sprint_id
        )
    )
    return {evaluation.team_id: evaluation for evaluation in rows}


def sprints_to_evaluate(session: Session, *, today: date, limit: int = 26) -> list[Sprint]:
    """The sprints that have begun, latest first: the current one and the ones before it."""
    return list(
        session.exec(
            select(Sprint)
            .where(Sprint.start_date <= today)
            .order_by(col(Sprint.start_date).desc())
            .limit(limit)
        ).all()
    )


@dataclass(frozen=True)
class Win:
    """One success "in het licht": what, which team, which sprint."""

    text: str
    team_id: int
    team_name: str
    sprint_id: int
    start_date: date
    end_date: date


def wins_for_teams(
    session: Session, *, team_ids: Collection[int], limit: int = WINS_SHOWN
) -> list[Win]:
    """The successes of these teams, latest sprints first (within a sprint by team name, then
    as written), at most `limit`; one query."""
    if not team_ids:
        return []
    rows = session.exec(
        select(Evaluation, Team, Sprint)
        .join(Team, col(Team.id) == Evaluation.team_id)
        .join(Sprint, col(Sprint.id) == Evaluation.sprint_id)
        .where(col(Evaluation.team_id).in_(sorted(team_ids)), Evaluation.highlights != "")
        .order_by(col(Sprint.start_date).desc(), col(Team.name), col(Team.id))
    )
    found: list[Win] = []
    for evaluation, team, sprint in rows:
        assert team.id is not None and sprint.id is not None
        for text in wins(evaluation.highlights):
            if len(found) == limit:
                return found
            found.append(
                Win(
                    text=text,
                    team_id=team.id,
                    team_name=team.name,
                    sprint_id=sprint.id,
                    start_date=sprint.start_date,
                    end_date=sprint.end_date,
                )
            )
    return found
