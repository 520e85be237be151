"""Reports as files: an ambition report and a team's sprint report, as PDF, XLSX or CSV.

Readable by everyone logged in, as ambitions and boards are; the browser's session counts, so
the pages link here for their downloads.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Response

from app.api.deps import CurrentUser
from app.api.responses import errors
from app.deps import PathId, SessionDep, Today
from app.services import reports
from app.services.reports import Format, Rendered

router = APIRouter(tags=["reports"])

FILE_ANSWERS: dict[int | str, Any] = errors(404, 422)


def _file(kind: Format, description: str) -> dict[int | str, Any]:
    return {
        200: {
            "description": description,
            "content": {
                reports.MEDIA_TYPES[kind].split(";")[0]: {
                    "schema": {"type": "string", "format": "binary"}
                }
            },
            "headers": {
                "Content-Disposition": {
                    "description": "`attachment` with the file's name.",
                    "schema": {"type": "string"},
                }
            },
        },
        **FILE_ANSWERS,
    }


def download(rendered: Rendered) -> Response:
    """The file, saved under its own name (ASCII, and as UTF-8 for names with accents)."""
    name = rendered.filename
    disposition = f"attachment; filename=\"{name}\"; filename*=UTF-8''{quote(name)}"
    return Response(
        content=rendered.body,
        media_type=rendered.media_type,
        headers={"Content-Disposition": disposition, "Cache-Control": "no-store"},
    )


AMBITION_PDF = "Het rapport van de ambitie als PDF (A4, voor het college)."
AMBITION_XLSX = "Het rapport van de ambitie als Excel-werkmap, één blad per onderdeel."
AMBITION_CSV = "Het rapport van de ambitie als CSV (`;`, UTF-8 met BOM), per onderdeel een blok."
SPRINT_PDF = "Het rapport van een periode van een team als PDF (A4)."
SPRINT_XLSX = "Het rapport van een periode van een team als Excel-werkmap."
SPRINT_CSV = "Het rapport van een periode van een team als CSV (`;`, UTF-8 met BOM)."


def _ambition(session: SessionDep, ambition_id: int, today: Any, kind: Format) -> Response:
    report = reports.load_ambition_report(session=session, ambition_id=ambition_id, today=today)
    return download(reports.render_ambition_report(report, kind))


def _sprint(
    session: SessionDep, team_id: int, sprint_id: int, today: Any, kind: Format
) -> Response:
    report = reports.load_sprint_report(
        session=session, team_id=team_id, sprint_id=sprint_id, today=today
    )
    return download(reports.render_sprint_report(report, kind))


@router.get(
    "/ambitions/{ambition_id}/report.pdf",
    response_class=Response,
    responses=_file(Format.pdf, AMBITION_PDF),
)
def ambition_report_pdf(
    ambition_id: PathId, _: CurrentUser, session: SessionDep, today: Today
) -> Response:
    """The ambition report as PDF: title page, progress per sprint, goals, indicators against
    their targets, open escalations with their age, and the teams' wins."""
    return _ambition(session, ambition_id, today, Format.pdf)


@router.get(
    "/ambitions/{ambition_id}/report.xlsx",
    response_class=Response,
    responses=_file(Format.xlsx, AMBITION_XLSX),
)
def ambition_report_xlsx(
    ambition_id: PathId, _: CurrentUser, session: SessionDep, today: Today
) -> Response:
    """The ambition report as an Excel workbook: one sheet per section, real dates and
    numbers."""
    return _ambition(session, ambition_id, today, Format.xlsx)


@router.get(
    "/ambitions/{ambition_id}/report.csv",
    response_class=Response,
    responses=_file(Format.csv, AMBITION_CSV),
)
def ambition_report_csv(
    ambition_id: PathId, _: CurrentUser, session: SessionDep, today: Today
) -> Response:
    """The ambition report as CSV for Excel in Dutch: `;`-separated UTF-8 with a byte-order
    mark; each section is a line with its name, a header line and its rows."""
    return _ambition(session, ambition_id, today, Format.csv)


@router.get(
    "/teams/{team_id}/sprints/{sprint_id}/report.pdf",
    response_class=Response,
    responses=_file(Format.pdf, SPRINT_PDF),
)
def sprint_report_pdf(
    team_id: PathId, sprint_id: PathId, _: CurrentUser, session: SessionDep, today: Today
) -> Response:
    """A team's sprint report as PDF: planned, done, carried over and dropped; every action
    with its owner and status; the team's evaluation."""
    return _sprint(session, team_id, sprint_id, today, Format.pdf)


@router.get(
    "/teams/{team_id}/sprints/{sprint_id}/report.xlsx",
    response_class=Response,
    responses=_file(Format.xlsx, SPRINT_XLSX),
)
def sprint_report_xlsx(
    team_id: PathId, sprint_id: PathId, _: CurrentUser, session: SessionDep, today: Today
) -> Response:
    """A team's sprint report as an Excel workbook: overview, actions and evaluation sheets."""
    return _sprint(session, team_id, sprint_id, today, Format.xlsx)


@router.get(
    "/teams/{team_id}/sprints/{sprint_id}/report.csv",
    response_class=Response,
    responses=_file(Format.csv, SPRINT_CSV),
)
def sprint_report_csv(
    team_id: PathId, sprint_id: PathId, _: CurrentUser, session: SessionDep, today: Today
) -> Response:
    """A team's sprint report as CSV (`;`-separated UTF-8 with a byte-order mark)."""
    return _sprint(session, team_id, sprint_id, today, Format.csv)
