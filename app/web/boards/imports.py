"""Importing actions from a spreadsheet: a page per team for its members.

Upload a file → a preview of every row with its messages (nothing stored) → import: all rows,
or with "Sla ongeldige rijen over" only the valid ones. Between preview and import the file's
content travels in a hidden field (base64), so the server keeps nothing; the size limit is the
same both ways. Plain forms (a file upload needs no JavaScript).
"""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from starlette.responses import Response

from app.deps import PathId
from app.domain.imports import COLUMN_NAMES, MAX_BYTES, MAX_ROWS
from app.models import Team
from app.services import imports
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid
from app.services.imports import ImportResult
from app.services.personal_data import is_personal_data
from app.web.deps import PageDep, PageRequest
from app.web.forms import in_reader_language, see_other
from app.web.templating import render

router = APIRouter()

PAGE = "boards/import.html"
# base64 of at most MAX_BYTES, and a little room
MAX_CARRIED = (MAX_BYTES + 2) // 3 * 4 + 16
# the columns the preview shows, in the file's usual order
SHOWN = ("title", "owner", "status", "due_date", "ambition")


@dataclass
class PreviewRow:
    row: int
    cells: list[str]
    errors: list[tuple[str, str]]  # (column, message in the reader's language)


@dataclass
class Preview:
    rows: list[PreviewRow]
    valid: int
    invalid: int
    ignored_columns: list[str]
    asks_personal_data: bool


def _preview(result: ImportResult) -> Preview:
    rows = [
        PreviewRow(
            row=row.row,
            cells=[row.values.get(name, "") for name in SHOWN],
            errors=[(column, in_reader_language(text)) for column, text in row.errors.items()],
        )
        for row in result.rows
    ]
    asks = any(is_personal_data(text) for row in result.rows for text in row.errors.values())
    return Preview(
        rows=rows,
        valid=len(result.rows) - result.invalid,
        invalid=result.invalid,
        ignored_columns=result.ignored_columns,
        asks_personal_data=asks,
    )


def _page(
    page: PageRequest,
    team: Team,
    *,
    preview: Preview | None = None,
    error: str = "",
    carried: str = "",
    filename: str = "",
    confirmed: bool = False,
    added: int | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "added": added,
        "team": team,
        "preview": preview,
        "error": error,
        "carried": carried,
        "filename": filename,
        "confirmed": confirmed,
        "columns": [COLUMN_NAMES[name] for name in SHOWN],
        "max_rows": MAX_ROWS,
    }
    return render(page.request, PAGE, context, status_code=status_code)


@router.get("/teams/{team_id}/importeren")
def import_page(page: PageDep, team_id: PathId, toegevoegd: int | None = None) -> Response:
    """The upload form; after an import (toegevoegd) how many actions were added."""
    team = get_or_404(page.session, Team, team_id, "Team")
    require_board_writer(page.viewer.access, team_id)
    added = toegevoegd if toegevoegd is not None and 0 < toegevoegd <= MAX_ROWS else None
    return _page(page, team, added=added)


@router.post("/teams/{team_id}/importeren")
def import_file(
    page: PageDep,
    team_id: PathId,
    file: Annotated[UploadFile | None, File()] = None,
    inhoud: Annotated[str, Form(max_length=MAX_CARRIED)] = "",
    bestandsnaam: Annotated[str, Form(max_length=255)] = "",
    stap: Annotated[str, Form()] = "controleren",
    confirm_personal_data: Annotated[str, Form()] = "",
) -> Response:
    """Check the file (a new upload, or the one carried from the preview) and show every row;
    stap "importeren" imports all rows, "overslaan" only the valid ones."""
    team = get_or_404(page.session, Team, team_id, "Team")
    require_board_writer(page.viewer.access, team_id)
    confirmed = bool(confirm_personal_data.strip())
    if file is not None and file.filename:
        content = file.file.read(MAX_BYTES + 1)
        filename = file.filename
        stap = "controleren"  # a new file is always shown first
    else:
        try:
            content = base64.b64decode(inhoud.encode("ascii"), validate=True)
        except (binascii.Error, UnicodeEncodeError):
            content = b""
        filename = bestandsnaam
    carried = base64.b64encode(content).decode("ascii") if len(content) <= MAX_BYTES else ""
    importing = stap in ("importeren", "overslaan")
    try:
        result = imports.import_actions(
            session=page.session,
            actor=page.viewer.access,
            team_id=team_id,
            filename=filename,
            content=content,
            today=page.today,
            dry_run=not importing,
            skip_invalid=stap == "overslaan",
            confirm_personal_data=confirmed,
        )
    except Invalid as refused:
        message = in_reader_language(
            refused.errors.get("file", next(iter(refused.errors.values())))
        )
        return _page(page, team, error=message, status_code=422)
    if result.imported:
        return see_other(f"/teams/{team_id}/importeren?toegevoegd={result.imported}")
    preview = _preview(result)
    return _page(
        page,
        team,
        preview=preview,
        carried=carried,
        filename=filename,
        confirmed=confirmed,
        status_code=422 if preview.invalid else 200,
    )
