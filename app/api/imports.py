"""Importing actions from a spreadsheet onto a team's board (POST /teams/{id}/imports)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from pydantic import BaseModel

from app.api.deps import AccessDep
from app.api.responses import errors
from app.deps import PathId, SessionDep, Today
from app.domain.imports import MAX_BYTES
from app.errors import dutch, say
from app.services import imports

router = APIRouter()


class ImportRow(BaseModel):
    """One row of the file and what became of it."""

    row: int
    """Its row number in the file; the header is row 1."""
    title: str
    errors: dict[str, str]
    """A message per column (by its Dutch name: `titel`, `eigenaar`, `status`, `streefdatum`,
    `ambitie`, `reden blokkade`, `omschrijving`; `rij` for the row as a whole); empty when the
    row is valid."""
    action_id: int | None
    """The new action, once imported."""


class ImportResult(BaseModel):
    """Every row with its messages, and how many actions were added."""

    rows: list[ImportRow]
    imported: int
    ignored_columns: list[str]
    """Headers that are no column of an action: left out."""


@router.post(
    "/teams/{team_id}/imports",
    response_model=ImportResult,
    tags=["imports"],
    responses=errors(403, 404, 422, 503),
)
def import_actions(
    request: Request,
    team_id: PathId,
    access: AccessDep,
    session: SessionDep,
    today: Today,
    file: Annotated[
        UploadFile | None, File(description="The spreadsheet: CSV (`;` or `,`) or XLSX, ≤ 1 MB.")
    ] = None,
    dry_run: Annotated[bool, Form()] = False,
    skip_invalid: Annotated[bool, Form()] = False,
    confirm_personal_data: Annotated[bool, Form()] = False,
) -> ImportResult:
    """Add actions to a team's board from a spreadsheet (members of the team): columns by their
    Dutch header (titel, omschrijving, eigenaar as name or e-mail address of a team member,
    status te doen/bezig/klaar/geblokkeerd, streefdatum 2026-12-04 or 4-12-2026, ambitie by its
    title, reden blokkade), at most 500 rows. Each row passes the same checks as a new action.
    Nothing is added while any row is invalid unless `skip_invalid`; `dry_run` only checks;
    `confirm_personal_data` says that text which looks like a citizen's personal data is not.
    A file that cannot be read is a 422 on `file`."""
    content = file.file.read(MAX_BYTES + 1) if file is not None else b""
    result = imports.import_actions(
        session=session,
        actor=access,
        team_id=team_id,
        filename=(file.filename if file is not None else None) or "",
        content=content,
        today=today,
        dry_run=dry_run,
        skip_invalid=skip_invalid,
        confirm_personal_data=confirm_personal_data,
    )
    translate = getattr(request.app.state, "api_language", dutch)
    return ImportResult(
        rows=[
            ImportRow(
                row=row.row,
                title=row.title,
                errors={
                    column: say(request, message, translate)
                    for column, message in row.errors.items()
                },
                action_id=row.action_id,
            )
            for row in result.rows
        ],
        imported=result.imported,
        ignored_columns=result.ignored_columns,
    )
