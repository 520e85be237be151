"""A team's evaluation of a sprint: written by the team (its board writers), whole at once."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.domain import evaluation as rules
from app.domain.permissions import Access
from app.models import EVALUATION_TEXT_MAX, Evaluation, EvaluationWrite, Sprint, Team, utcnow
from app.services import audit
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid, StaleVersion, check


def save_evaluation(
    *,
    session: Session,
    actor: Access,
    team_id: int,
    sprint_id: int,
    data: EvaluationWrite,
    today: date,
) -> Evaluation:
    """Write the team's evaluation of the sprint (made on first save, version 1; each save
    + 1). A `version` that is not the current one (0 before the first save) is StaleVersion."""
    get_or_404(session, Team, team_id, "Team")
    sprint = get_or_404(session, Sprint, sprint_id, "Periode")
    require_board_writer(actor, team_id)
    if problem := rules.sprint_problem(start_date=sprint.start_date, today=today):
        raise Invalid({"sprint_id": problem})
    texts = data.model_dump(include=set(rules.FIELDS))
    check(dict(rules.too_long(texts, EVALUATION_TEXT_MAX)))
    # FOR UPDATE: two saves at once wait for each other instead of one overwriting the other
    current = session.exec(
        select(Evaluation)
        .where(Evaluation.team_id == team_id, Evaluation.sprint_id == sprint_id)
        .with_for_update()
    ).first()
    if data.version is not None and data.version != (current.version if current else 0):
        raise StaleVersion(current)
    if current is None:
        evaluation = Evaluation(
            team_id=team_id, sprint_id=sprint_id, updated_by_id=actor.user_id, **texts
        )
        audit.store(
            session,
            evaluation,
            "created",
            actor_id=actor.user_id,
            team_id=team_id,
            changes=audit.diff({}, audit.snapshot(evaluation, exclude=("updated_at",))),
        )
    else:
        before = audit.snapshot(current)
        for name, text in texts.items():
            setattr(current, name, text)
        changes = audit.diff(before, audit.snapshot(current))
        if changes:
            current.version += 1
            current.updated_at = utcnow()
            current.updated_by_id = actor.user_id
            audit.store(
                session,
                current,
                "updated",
                actor_id=actor.user_id,
                team_id=team_id,
                changes=changes,
            )
        evaluation = current
    session.commit()
    return evaluation
