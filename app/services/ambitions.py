"""Ambitions and their short-term goals, edited by admins and the leads of the owning team."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.domain.permissions import Access
from app.models import (
    Ambition,
    AmbitionCreate,
    AmbitionTeam,
    AmbitionUpdate,
    Goal,
    GoalCreate,
    GoalUpdate,
    Team,
    utcnow,
)
from app.services import audit
from app.services.access import get_or_404
from app.services.errors import Forbidden, Invalid, check
from app.services.meetings import deadline_of
from app.translatable import N_

NOT_ALLOWED = N_(
    "Alleen een beheerder of de trekker van het eigenaarsteam kan deze ambitie wijzigen."
)


def editable(*, session: Session, actor: Access, ambition_id: int) -> Ambition:
    """The ambition, when the actor may change it (an admin, or a lead of the owning team);
    Forbidden otherwise."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    if not actor.can_edit_ambition(ambition.owner_team_id):
        raise Forbidden(NOT_ALLOWED)
    return ambition


def _unknown_teams(session: Session, team_ids: list[int]) -> bool:
    found = set(session.exec(select(Team.id).where(col(Team.id).in_(team_ids))))
    return bool(set(team_ids) - found)


def _set_teams(session: Session, ambition_id: int, team_ids: list[int]) -> None:
    for link in session.exec(select(AmbitionTeam).where(AmbitionTeam.ambition_id == ambition_id)):
        session.delete(link)
    session.flush()
    for team_id in dict.fromkeys(team_ids):
        session.add(AmbitionTeam(ambition_id=ambition_id, team_id=team_id))


def team_ids_of(session: Session, ambition_id: int) -> list[int]:
    return sorted(
        session.exec(select(AmbitionTeam.team_id).where(AmbitionTeam.ambition_id == ambition_id))
    )


def create_ambition(*, session: Session, actor: Access, data: AmbitionCreate) -> Ambition:
    """Add an ambition; a lead may add one only for a team they lead."""
    errors: dict[str, str] = {}
    if data.owner_team_id is not None and session.get(Team, data.owner_team_id) is None:
        errors["owner_team_id"] = N_("Dit team bestaat niet.")
    if _unknown_teams(session, data.team_ids):
        errors["team_ids"] = N_("Een of meer teams bestaan niet.")
    check(errors)
    if not actor.can_edit_ambition(data.owner_team_id):
        raise Forbidden(NOT_ALLOWED)
    ambition = Ambition(
        title=data.title,
        intent=data.intent,
        horizon=data.horizon,
        owner_team_id=data.owner_team_id,
    )
    session.add(ambition)
    session.flush()
    assert ambition.id is not None
    _set_teams(session, ambition.id, data.team_ids)
    changes = audit.diff({}, audit.snapshot(ambition, exclude=("created_at", "updated_at")))
    changes["team_ids"] = [None, sorted(set(data.team_ids))]
    audit.store(session, ambition, "created", actor_id=actor.user_id, changes=changes)
    session.commit()
    return ambition


def update_ambition(
    *, session: Session, actor: Access, ambition_id: int, data: AmbitionUpdate
) -> Ambition:
    """Change an ambition; handing it to another team needs the lead of that team too."""
    ambition = editable(session=session, actor=actor, ambition_id=ambition_id)
    changes = data.model_dump(exclude_unset=True)
    errors: dict[str, str] = {}
    for required in ("title", "status"):
        if required in changes and changes[required] is None:
            errors[required] = N_("Dit veld mag niet leeg zijn.")
    if changes.get("intent", "") is None:
        changes["intent"] = ""
    new_owner = changes.get("owner_team_id")
    if new_owner is not None and session.get(Team, new_owner) is None:
        errors["owner_team_id"] = N_("Dit team bestaat niet.")
    if changes.get("team_ids") and _unknown_teams(session, changes["team_ids"]):
        errors["team_ids"] = N_("Een of meer teams bestaan niet.")
    check(errors)
    if "owner_team_id" in changes and not actor.can_edit_ambition(changes["owner_team_id"]):
        raise Forbidden(N_("Je kunt een ambitie alleen overdragen aan een team dat je trekt."))
    assert ambition.id is not None
    before = audit.snapshot(ambition)
    before_teams = team_ids_of(session, ambition.id)
    team_ids = changes.pop("team_ids", None)
    for key, value in changes.items():
        setattr(ambition, key, value)
    ambition.updated_at = utcnow()
    session.add(ambition)
    record = audit.diff(before, audit.snapshot(ambition))
    if team_ids is not None:
        _set_teams(session, ambition.id, team_ids)
        if sorted(set(team_ids)) != before_teams:
            record["team_ids"] = [before_teams, sorted(set(team_ids))]
    audit.store(session, ambition, "updated", actor_id=actor.user_id, changes=record)
    session.commit()
    return ambition


def add_goal(*, session: Session, actor: Access, ambition_id: int, data: GoalCreate) -> Goal:
    """Add a short-term goal to an ambition."""
    editable(session=session, actor=actor, ambition_id=ambition_id)
    if data.team_id is not None and session.get(Team, data.team_id) is None:
        raise Invalid({"team_id": N_("Dit team bestaat niet.")})
    goal = Goal(ambition_id=ambition_id, title=data.title, due=data.due, team_id=data.team_id)
    if data.meeting_id is not None:
        goal.meeting_id = data.meeting_id
        goal.due = deadline_of(session, data.meeting_id)
    audit.store(
        session,
        goal,
        "created",
        actor_id=actor.user_id,
        changes=audit.diff({}, audit.snapshot(goal, exclude=("created_at",))),
        live={"ambition_ids": [ambition_id]},
    )
    session.commit()
    return goal


def update_goal(*, session: Session, actor: Access, goal_id: int, data: GoalUpdate) -> Goal:
    """Mark a goal achieved or not, or tie it to a meeting (its due date becomes the meeting's
    document deadline) or untie it (the due date stays)."""
    goal = get_or_404(session, Goal, goal_id, "Kortetermijndoel")
    editable(session=session, actor=actor, ambition_id=goal.ambition_id)
    changes = data.model_dump(exclude_unset=True)
    if "is_done" in changes and changes["is_done"] is None:
        raise Invalid({"is_done": N_("Dit veld mag niet leeg zijn.")})
    before = audit.snapshot(goal)
    if "is_done" in changes:
        goal.is_done = changes["is_done"]
    if "meeting_id" in changes and changes["meeting_id"] != goal.meeting_id:
        if changes["meeting_id"] is not None:
            goal.due = deadline_of(session, changes["meeting_id"])
        goal.meeting_id = changes["meeting_id"]
    audit.store(
        session,
        goal,
        "updated",
        actor_id=actor.user_id,
        changes=audit.diff(before, audit.snapshot(goal)),
        live={"ambition_ids": [goal.ambition_id]},
    )
    session.commit()
    return goal
