"""Importing actions from a spreadsheet (CSV or XLSX) onto a team's board.

Every row passes the same create rule as an action added by hand (actions.add_action: the owner
must be on the team, a blocked action needs a reason, the privacy guard, ...), all in one
transaction. Nothing is stored while any row is invalid, unless the importer chose to skip the
invalid rows; a dry run only checks. The answer lists every row with its messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError
from sqlmodel import Session, select

from app.domain import imports
from app.domain.permissions import Access
from app.domain.validation import constraint_message
from app.models import ActionCreate, Ambition, Team, User
from app.queries.org import board_member_ids
from app.services import actions, sprints
from app.services.access import require_board_writer
from app.services.errors import Invalid, NotFound
from app.translatable import N_

UNKNOWN_OWNER = N_("Geen lid van dit team heet zo of heeft dit e-mailadres.")
TWO_OWNERS = N_("Twee leden van dit team heten zo. Gebruik het e-mailadres.")
UNKNOWN_AMBITION = N_("Er is geen ambitie met deze titel.")
TWO_AMBITIONS = N_("Er zijn twee ambities met deze titel. Pas de titel in het bestand aan.")
NO_FILE = N_("Kies een bestand om te importeren.")

# a model's or the create rule's field → the row's field (whose column shows the message)
ROW_FIELDS = {
    "title": "title",
    "description": "description",
    "owner_id": "owner",
    "status": "status",
    "due_date": "due_date",
    "ambition_id": "ambition",
    "goal_id": "ambition",
    "blocked_reason": "blocked_reason",
}


@dataclass
class RowResult:
    """One row of the file: its number (the header is row 1), what it says, its messages by
    column name (Dutch, e.g. "eigenaar"), and the new action's id once imported."""

    row: int
    title: str
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    action_id: int | None = None

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class ImportResult:
    rows: list[RowResult]
    imported: int
    ignored_columns: list[str]

    @property
    def invalid(self) -> int:
        return sum(1 for row in self.rows if not row.valid)


def _names(session: Session, ids: set[int]) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """The team's board members by e-mail address and by name (lower case)."""
    by_email: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    if ids:
        users = session.exec(select(User).where(User.id.in_(ids))).all()  # type: ignore[union-attr]
        for user in users:
            assert user.id is not None
            by_email.setdefault(user.email.lower(), []).append(user.id)
            by_name.setdefault(imports.header_key(user.name), []).append(user.id)
    return by_email, by_name


def _ambitions(session: Session) -> dict[str, list[int]]:
    by_title: dict[str, list[int]] = {}
    for ambition in session.exec(select(Ambition)).all():
        assert ambition.id is not None
        by_title.setdefault(imports.header_key(ambition.title), []).append(ambition.id)
    return by_title


def _one(found: list[int] | None, unknown: str, two: str) -> tuple[int | None, str | None]:
    if not found:
        return None, unknown
    if len(found) > 1:
        return None, two
    return found[0], None


def import_actions(
    *,
    session: Session,
    actor: Access,
    team_id: int,
    filename: str,
    content: bytes,
    today: date,
    dry_run: bool = False,
    skip_invalid: bool = False,
    confirm_personal_data: bool = False,
) -> ImportResult:
    """Check every row of the file and, unless this is a dry run, add its actions to the team's
    working sprint in one transaction: all rows, or with skip_invalid only the valid ones; none
    while any row is invalid otherwise. A file that cannot be read is Invalid on "file"."""
    if session.get(Team, team_id) is None:
        raise NotFound("Team")
    require_board_writer(actor, team_id)
    if not content:
        raise Invalid({"file": NO_FILE})
    try:
        table = imports.read(filename, content)
    except imports.FileProblem as unreadable:
        raise Invalid({"file": unreadable.message}) from unreadable

    sprint = sprints.ensure_working(session=session, today=today, actor_id=actor.user_id)
    members = board_member_ids(session, team_id=team_id)
    by_email, by_name = _names(session, members)
    by_title = _ambitions(session)
    results: list[RowResult] = []
    for row in table.rows:
        fields: dict[str, Any] = imports.typed_fields(row)
        fields.update(
            title=row.get("title"),
            description=row.get("description"),
            blocked_reason=row.get("blocked_reason") or None,
            team_id=team_id,
            sprint_id=sprint.id,
            confirm_personal_data=confirm_personal_data,
        )
        if owner := row.get("owner"):
            key = owner.lower() if "@" in owner else imports.header_key(owner)
            found = (by_email if "@" in owner else by_name).get(key)
            fields["owner_id"], problem = _one(found, UNKNOWN_OWNER, TWO_OWNERS)
            if problem:
                row.errors["owner"] = problem
        if ambition := row.get("ambition"):
            found = by_title.get(imports.header_key(ambition))
            fields["ambition_id"], problem = _one(found, UNKNOWN_AMBITION, TWO_AMBITIONS)
            if problem:
                row.errors["ambition"] = problem
        result = RowResult(row=row.number, title=row.get("title"), values=dict(row.values))
        results.append(result)
        errors, result.action_id = _added(session, actor, fields, today, members, row.errors)
        result.errors = {
            imports.COLUMN_NAMES.get(name, "rij"): message for name, message in errors.items()
        }

    imported = [result for result in results if result.action_id is not None]
    if dry_run or not imported or (len(imported) < len(results) and not skip_invalid):
        session.rollback()
        for result in results:
            result.action_id = None
        return ImportResult(rows=results, imported=0, ignored_columns=table.ignored)
    session.commit()
    return ImportResult(rows=results, imported=len(imported), ignored_columns=table.ignored)


def _added(
    session: Session,
    actor: Access,
    fields: dict[str, Any],
    today: date,
    members: set[int],
    known: dict[str, str],
) -> tuple[dict[str, str], int | None]:
    """Run the create rule on the row within a savepoint, and keep its action only when the
    row is valid: the row's messages by field (those already known first, then the model's and
    the rule's, so one look shows all), and the new action's id."""
    messages = dict(known)
    try:
        data = ActionCreate(**fields)
    except ValidationError as exc:
        for problem in exc.errors():
            name = str(problem["loc"][0]) if problem["loc"] else "title"
            said: str = constraint_message(name, problem["type"], problem.get("ctx") or {})
            messages.setdefault(ROW_FIELDS.get(name, name), said)
        return messages, None
    savepoint = session.begin_nested()
    try:
        action = actions.add_action(
            session=session, actor=actor, data=data, today=today, members=members
        )
    except Invalid as refused:
        savepoint.rollback()
        for name, message in refused.errors.items():
            messages.setdefault(ROW_FIELDS.get(name, name), message)
        return messages, None
    if messages:  # refused before (an owner or a date that means nothing): not kept
        savepoint.rollback()
        return messages, None
    savepoint.commit()
    return {}, action.id
