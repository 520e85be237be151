"""Actions on a team's board: create, edit, move, delete, and comments on them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain.actions import blocked_reason_problem, insert_at, reason_after_move
from app.domain.permissions import Access
from app.domain.sprints import status_problem, write_problem
from app.models import (
    Action,
    ActionCreate,
    ActionStatus,
    ActionUpdate,
    Ambition,
    Comment,
    CommentCreate,
    Goal,
    Sprint,
    Team,
    User,
    utcnow,
)
from app.queries.org import board_member_ids
from app.services import audit, sprints
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Forbidden, Invalid, NotFound, StaleVersion, check
from app.services.meetings import deadline_of
from app.services.mentions import record_mentions
from app.services.personal_data import check_texts, refused_texts
from app.translatable import N_


def live_details(*states: dict[str, Any]) -> dict[str, Any]:
    """Which columns and owners a change touched, for the live pages to redraw."""
    return {
        "action_ids": sorted({state["id"] for state in states if state.get("id")}),
        "statuses": sorted({state["status"] for state in states if state.get("status")}),
        "owner_ids": sorted({state["owner_id"] for state in states if state.get("owner_id")}),
        "sprint_ids": sorted({state["sprint_id"] for state in states if state.get("sprint_id")}),
        # the board rows (one per ambition, 0 for "zonder ambitie") the change touched
        "ambition_ids": sorted({state.get("ambition_id") or 0 for state in states if state}),
    }


def _column_end(
    session: Session, *, team_id: int, sprint_id: int, status: str, moving: int | None = None
) -> int:
    """The position below the last card of a column, not counting the card being moved."""
    top = session.exec(
        select(func.max(Action.position)).where(
            Action.team_id == team_id,
            Action.sprint_id == sprint_id,
            Action.status == status,
            Action.id != moving,
        )
    ).one()
    return 0 if top is None else top + 1


def _check_links(
    session: Session,
    *,
    team_id: int,
    owner_id: int,
    ambition_id: int | None,
    goal_id: int | None,
    members: set[int] | None = None,
) -> tuple[dict[str, str], int | None]:
    """Messages for an owner outside the team or a goal outside the ambition, and the ambition
    to store (a goal alone implies its ambition). members: the team's board members, when the
    caller read them already (an import, once for all its rows)."""
    errors: dict[str, str] = {}
    owner = session.get(User, owner_id)
    if owner is None or not owner.is_active:
        errors["owner_id"] = N_("Deze medewerker bestaat niet of is niet actief.")
    elif owner_id not in (
        members if members is not None else board_member_ids(session, team_id=team_id)
    ):
        errors["owner_id"] = N_("De eigenaar moet lid zijn van het team.")
    if ambition_id is not None and session.get(Ambition, ambition_id) is None:
        errors["ambition_id"] = N_("Deze ambitie bestaat niet.")
    if goal_id is not None:
        goal = session.get(Goal, goal_id)
        if goal is None:
            errors["goal_id"] = N_("Dit kortetermijndoel bestaat niet.")
        elif ambition_id is None:
            ambition_id = goal.ambition_id
        elif goal.ambition_id != ambition_id:
            errors["goal_id"] = N_("Dit kortetermijndoel hoort bij een andere ambitie.")
    return errors, ambition_id


def _open_sprint(session: Session, sprint_id: int) -> Sprint:
    sprint = session.get(Sprint, sprint_id)
    if sprint is None:
        raise Invalid({"sprint_id": N_("Deze periode bestaat niet.")})
    check_sprint_writable(sprint)
    return sprint


def check_sprint_writable(sprint: Sprint) -> None:
    problem = write_problem(closed_at=sprint.closed_at)
    if problem is not None:
        raise Invalid({"sprint_id": problem})


def create_action(*, session: Session, actor: Access, data: ActionCreate, today: date) -> Action:
    """Add an action at the bottom of its column; version 1."""
    action = add_action(session=session, actor=actor, data=data, today=today)
    session.commit()
    return action


def add_action(
    *,
    session: Session,
    actor: Access,
    data: ActionCreate,
    today: date,
    members: set[int] | None = None,
) -> Action:
    """The create rule without the commit: checks, stores and audits one new action in the
    caller's transaction (an import adds many in one, reading the team's members once)."""
    if session.get(Team, data.team_id) is None:
        raise Invalid({"team_id": N_("Dit team bestaat niet.")})
    require_board_writer(actor, data.team_id)
    if data.sprint_id is None:
        sprint = sprints.ensure_working(session=session, today=today, actor_id=actor.user_id)
    else:
        sprint = _open_sprint(session, data.sprint_id)
    assert sprint.id is not None
    owner_id = data.owner_id or actor.user_id
    errors, ambition_id = _check_links(
        session,
        team_id=data.team_id,
        owner_id=owner_id,
        ambition_id=data.ambition_id,
        goal_id=data.goal_id,
        members=members,
    )
    if problem := blocked_reason_problem(data.status, data.blocked_reason):
        errors["blocked_reason"] = problem
    if problem := status_problem(data.status):
        errors["status"] = problem
    texts: dict[str, str | None] = {"title": data.title, "description": data.description}
    texts["blocked_reason"] = data.blocked_reason
    errors = {**refused_texts(texts, confirmed=data.confirm_personal_data), **errors}
    check(errors)
    due_date = deadline_of(session, data.meeting_id) if data.meeting_id else data.due_date
    now = utcnow()
    action = Action(
        title=data.title,
        description=data.description,
        team_id=data.team_id,
        owner_id=owner_id,
        sprint_id=sprint.id,
        ambition_id=ambition_id,
        goal_id=data.goal_id,
        status=data.status,
        blocked_reason=reason_after_move(data.status, data.blocked_reason),
        due_date=due_date,
        meeting_id=data.meeting_id,
        position=_column_end(
            session, team_id=data.team_id, sprint_id=sprint.id, status=data.status
        ),
        created_at=now,
        updated_at=now,
        done_at=now if data.status == ActionStatus.done else None,
        created_by_id=actor.user_id,
    )
    audit.store(
        session,
        action,
        "created",
        actor_id=actor.user_id,
        team_id=action.team_id,
        changes=audit.diff({}, audit.snapshot(action, exclude=("created_at", "updated_at"))),
        live=live_details(audit.snapshot(action)),
    )
    session.flush()
    return action


def _locked_action(session: Session, action_id: int) -> Action:
    # FOR UPDATE (a no-op on SQLite, where BEGIN IMMEDIATE already serialises writers) makes a
    # concurrent PATCH wait and then see the new version instead of overwriting it.
    action = session.exec(select(Action).where(Action.id == action_id).with_for_update()).first()
    if action is None:
        raise NotFound("Actie")
    return action


def _reorder(session: Session, action: Action, index: int | None) -> None:
    """Place the action at index within its column and renumber that column."""
    column = session.exec(
        select(Action.id)
        .where(
            Action.team_id == action.team_id,
            Action.sprint_id == action.sprint_id,
            Action.status == action.status,
        )
        .order_by(col(Action.position), col(Action.id))
    ).all()
    assert action.id is not None
    order = insert_at([i for i in column if i is not None], action.id, index)
    positions = {action_id: position for position, action_id in enumerate(order)}
    siblings = session.exec(
        select(Action).where(col(Action.id).in_(order), Action.id != action.id)
    ).all()
    for sibling in siblings:
        assert sibling.id is not None
        if sibling.position != positions[sibling.id]:
            # renumbering is bookkeeping, not an edit: no new version, so nobody's open copy
            # of a neighbouring card becomes stale
            sibling.position = positions[sibling.id]
            session.add(sibling)
    action.position = positions[action.id]


def update_action(*, session: Session, actor: Access, action_id: int, data: ActionUpdate) -> Action:
    """Edit or move an action made on the current version; version + 1, or StaleVersion."""
    action = _locked_action(session, action_id)
    require_board_writer(actor, action.team_id)
    if data.version != action.version:
        raise StaleVersion(action)
    check_sprint_writable(session.get(Sprint, action.sprint_id))  # type: ignore[arg-type]
    changes: dict[str, Any] = data.model_dump(
        exclude_unset=True, exclude={"version", "confirm_personal_data"}
    )
    for required in ("title", "team_id", "owner_id", "sprint_id", "status"):
        if required in changes and changes[required] is None:
            raise Invalid({required: N_("Dit veld mag niet leeg zijn.")})
    if changes.get("description", "") is None:
        changes["description"] = ""

    target_team = changes.get("team_id", action.team_id)
    if target_team != action.team_id:
        if session.get(Team, target_team) is None:
            raise Invalid({"team_id": N_("Dit team bestaat niet.")})
        if not actor.can_write_board(target_team):
            raise Forbidden(
                N_("Je kunt een actie alleen naar een team verplaatsen waar je lid van bent.")
            )
    if changes.get("sprint_id", action.sprint_id) != action.sprint_id:
        _open_sprint(session, changes["sprint_id"])

    status = ActionStatus(changes.get("status", action.status))
    reason = changes.get("blocked_reason", action.blocked_reason)
    errors, ambition_id = _check_links(
        session,
        team_id=target_team,
        owner_id=changes.get("owner_id", action.owner_id),
        ambition_id=changes.get("ambition_id", action.ambition_id),
        goal_id=changes.get("goal_id", action.goal_id),
    )
    if "owner_id" not in changes and target_team == action.team_id:
        errors.pop("owner_id", None)  # an owner who left the team keeps their open actions
    if problem := blocked_reason_problem(status, reason):
        errors["blocked_reason"] = problem
    if problem := status_problem(changes.get("status"), was=action.status):
        errors["status"] = problem
    # only text that changes is looked at: what was confirmed before is not asked about again
    texts: dict[str, str | None] = {
        key: changes[key]
        for key in ("title", "description", "blocked_reason")
        if key in changes and changes[key] != getattr(action, key)
    }
    errors = {**refused_texts(texts, confirmed=data.confirm_personal_data), **errors}
    check(errors)

    before = audit.snapshot(action)
    column_changed = any(
        changes.get(key, getattr(action, key)) != getattr(action, key)
        for key in ("team_id", "sprint_id", "status")
    )
    for key in ("title", "description", "team_id", "owner_id", "sprint_id", "due_date"):
        if key in changes:
            setattr(action, key, changes[key])
    if "goal_id" in changes:
        action.goal_id = changes["goal_id"]
    if changes.get("meeting_id", action.meeting_id) != action.meeting_id:
        # tying to a meeting sets the due date to its document deadline; untying keeps it
        if changes["meeting_id"] is not None:
            action.due_date = deadline_of(session, changes["meeting_id"])
        action.meeting_id = changes["meeting_id"]
    action.ambition_id = ambition_id
    if status != action.status:
        action.done_at = utcnow() if status == ActionStatus.done else None
    action.status = status
    action.blocked_reason = reason_after_move(status, reason)
    if column_changed and "position" not in changes:
        action.position = _column_end(
            session,
            team_id=action.team_id,
            sprint_id=action.sprint_id,
            status=action.status,
            moving=action.id,
        )
    elif "position" in changes:
        _reorder(session, action, changes["position"])
    action.version += 1
    action.updated_at = utcnow()
    after = audit.snapshot(action)
    audit.store(
        session,
        action,
        "updated",
        actor_id=actor.user_id,
        team_id=action.team_id,
        changes=audit.diff(before, after),
        live=live_details(before, after),
    )
    if target_team != before["team_id"]:
        # the old board loses the card: tell its viewers too
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="action",
            entity_id=action_id,
            verb="deleted",
            team_id=before["team_id"],
            version=action.version,
            changes={"team_id": [before["team_id"], target_team]},
            live=live_details(before),
        )
    session.commit()
    return action


DELETE_REFUSED = N_(
    "Alleen de eigenaar, de maker of de trekker van het team kan deze actie verwijderen."
)


def delete_action(
    *, session: Session, actor: Access, action_id: int, version: int | None = None
) -> Action:
    """Remove an action; its history stays. Only its owner, its creator or a lead of its team
    (or an admin) does: other team members are refused."""
    action = _locked_action(session, action_id)
    require_board_writer(actor, action.team_id)
    if not actor.can_delete_action(
        team_id=action.team_id, owner_id=action.owner_id, created_by_id=action.created_by_id
    ):
        raise Forbidden(DELETE_REFUSED)
    if version is not None and version != action.version:
        raise StaleVersion(action)
    before = audit.snapshot(action)
    audit.store(
        session,
        action,
        "deleted",
        actor_id=actor.user_id,
        team_id=action.team_id,
        live=live_details(before),
    )
    session.commit()
    return action


def add_comment(*, session: Session, actor: Access, action_id: int, data: CommentCreate) -> Comment:
    """React on an action; members of its team only."""
    action = get_or_404(session, Action, action_id, "Actie")
    require_board_writer(actor, action.team_id)
    check_texts({"body": data.body}, confirmed=data.confirm_personal_data)
    comment = Comment(action_id=action_id, author_id=actor.user_id, body=data.body)
    audit.store(
        session,
        comment,
        "created",
        actor_id=actor.user_id,
        team_id=action.team_id,
        changes={"action_id": [None, action_id], "body": [None, comment.body]},
        live={"action_ids": [action_id]},
    )
    session.flush()
    # `@Naam` in the text: a mention per colleague named, in this transaction
    record_mentions(
        session,
        text=comment.body,
        author_id=actor.user_id,
        action_id=action_id,
        comment_id=comment.id,
    )
    session.commit()
    return comment
