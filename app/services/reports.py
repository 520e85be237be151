"""The reports: an ambition report and a team's sprint report, as PDF, XLSX and CSV.

Written in Dutch for the college and the council, whatever the reader's language: a document
that is passed on should read the same for everyone. The PDF is HTML from templates/reports
rendered by WeasyPrint, with fonts from the machine and no fetch from any other host.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import Environment, FileSystemLoader
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from app.clock import ORGANISATION_TZ
from app.models import (
    ActionStatus,
    Ambition,
    AmbitionStatus,
    EscalationType,
    IndicatorDirection,
    Sprint,
    Team,
)
from app.queries.reports import (
    CARRIED,
    AmbitionReport,
    SprintReport,
    ambition_report,
    sprint_report,
)
from app.services.access import get_or_404

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"


class Format(StrEnum):
    pdf = "pdf"
    xlsx = "xlsx"
    csv = "csv"


MEDIA_TYPES = {
    Format.pdf: "application/pdf",
    Format.xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    Format.csv: "text/csv; charset=utf-8",
}

STATUS = {
    ActionStatus.todo: "Te doen",
    ActionStatus.doing: "Bezig",
    ActionStatus.done: "Klaar",
    ActionStatus.blocked: "Geblokkeerd",
    ActionStatus.dropped: "Geschrapt",
    CARRIED: "Doorgeschoven",
}
AMBITION_STATUS = {
    AmbitionStatus.active: "Actief",
    AmbitionStatus.achieved: "Bereikt",
    AmbitionStatus.dropped: "Losgelaten",
}
DIRECTION = {IndicatorDirection.up: "hoger is beter", IndicatorDirection.down: "lager is beter"}
ESCALATION_TYPE = {
    EscalationType.help: "hulp nodig",
    EscalationType.decision: "besluit nodig",
    EscalationType.capacity: "capaciteit",
}


@dataclass(frozen=True)
class Rendered:
    body: bytes
    media_type: str
    filename: str


# --- words and numbers ----------------------------------------------------------------------


def long_date(value: date | None) -> str:
    return "" if value is None else format_date(value, "d MMMM y", locale="nl")


def weeks(start: date, end: date) -> str:
    first, last = start.isocalendar().week, end.isocalendar().week
    return f"week {first}" if first == last else f"week {first}–{last}"


def sprint_label(sprint: Any) -> str:
    """ "week 47–48 (16 november – 29 november 2026)" for a Sprint or a SprintProgress."""
    return (
        f"{weeks(sprint.start_date, sprint.end_date)} "
        f"({long_date(sprint.start_date)} – {long_date(sprint.end_date)})"
    )


def number(value: float | None) -> str:
    """ "12", "12,5": Dutch, without thousands separator, so a spreadsheet reads it back."""
    if value is None:
        return ""
    return format_decimal(value, format="0.##", locale="nl")


def local_day(value: datetime) -> date:
    return value.astimezone(ORGANISATION_TZ).date() if value.tzinfo else value.date()


def slug(text: str) -> str:
    dashed = text.replace("–", "-").replace("—", "-")
    plain = unicodedata.normalize("NFKD", dashed).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:60] or "rapport"


def verdict(on_target: bool | None) -> str:
    if on_target is None:
        return "nog geen meting"
    return "gehaald" if on_target else "nog niet gehaald"


# --- loading --------------------------------------------------------------------------------


def load_ambition_report(*, session: Session, ambition_id: int, today: date) -> AmbitionReport:
    """Everything the ambition report shows (404 for an ambition that does not exist)."""
    ambition = get_or_404(session, Ambition, ambition_id, "Ambitie")
    return ambition_report(session, ambition=ambition, today=today)


def load_sprint_report(
    *, session: Session, team_id: int, sprint_id: int, today: date
) -> SprintReport:
    """Everything a team's sprint report shows (404 for a team or sprint that does not exist)."""
    team = get_or_404(session, Team, team_id, "Team")
    sprint = get_or_404(session, Sprint, sprint_id, "Periode")
    return sprint_report(session, team=team, sprint=sprint, today=today)


# --- the sections, as rows: the XLSX and the CSV are made from the same lists ----------------


@dataclass(frozen=True)
class Section:
    title: str  # also the name of its sheet (at most 31 characters)
    header: list[str]
    rows: list[list[Any]]


def ambition_sections(report: AmbitionReport) -> list[Section]:
    ambition = report.ambition
    return [
        Section(
            "Overzicht",
            ["Gegeven", "Waarde"],
            [
                ["Organisatie", report.organisation],
                ["Ambitie", ambition.title],
                ["Status", AMBITION_STATUS[AmbitionStatus(ambition.status)]],
                ["Horizon", ambition.horizon],
                ["Eigenaar", report.owner_team.name if report.owner_team else ""],
                ["Teams", ", ".join(team.name for team in report.teams)],
                ["Doelen behaald", f"{report.goals_met} van {len(report.goals)}"],
                ["Open knelpunten", len(report.escalations)],
                ["Gemaakt op", report.made_on],
            ],
        ),
        Section(
            "Voortgang",
            ["Periode", "Begin", "Einde", "Gepland", "Klaar", "Doorgeschoven", "Geblokkeerd"],
            [
                [
                    weeks(row.start_date, row.end_date),
                    row.start_date,
                    row.end_date,
                    row.planned,
                    row.done,
                    row.carried_over,
                    row.blocked,
                ]
                for row in report.progress
            ],
        ),
        Section(
            "Doelen",
            ["Kortetermijndoel", "Streefdatum", "Team", "Behaald"],
            [
                [
                    row.goal.title,
                    row.goal.due,
                    row.team.name if row.team else "",
                    "ja" if row.goal.is_done else "nee",
                ]
                for row in report.goals
            ],
        ),
        Section(
            "Indicatoren",
            ["Indicator", "Eenheid", "Laatste waarde", "Gemeten op", "Doel", "Richting", "Stand"],
            [
                [
                    item.indicator.name,
                    item.indicator.unit,
                    item.latest.value if item.latest else None,
                    item.latest.measured_on if item.latest else None,
                    item.indicator.target,
                    DIRECTION[IndicatorDirection(item.indicator.direction)],
                    verdict(item.on_target),
                ]
                for item in report.indicators
            ],
        ),
        Section(
            "Knelpunten",
            ["Knelpunt", "Soort", "Van team", "Sinds", "Dagen open"],
            [
                [
                    item.escalation.note,
                    ESCALATION_TYPE.get(EscalationType(item.escalation.type), ""),
                    item.from_team.name if item.from_team else "",
                    local_day(item.escalation.created_at),
                    item.age_days,
                ]
                for item in report.escalations
            ],
        ),
        Section(
            "In het licht",
            ["Wat ging goed", "Team", "Periode"],
            [
                [
                    item.text,
                    item.team.name if item.team else "",
                    weeks(item.sprint.start_date, item.sprint.end_date),
                ]
                for item in report.wins
            ],
        ),
    ]


def sprint_sections(report: SprintReport) -> list[Section]:
    evaluation = report.evaluation
    texts = [
        ("Wat gaat goed", evaluation.goes_well if evaluation else ""),
        ("Wat is kwetsbaar", evaluation.vulnerable if evaluation else ""),
        ("Wat is opvallend afwezig", evaluation.notably_absent if evaluation else ""),
        ("In het licht", evaluation.highlights if evaluation else ""),
    ]
    return [
        Section(
            "Overzicht",
            ["Gegeven", "Waarde"],
            [
                ["Organisatie", report.organisation],
                ["Team", report.team.name],
                ["Periode", weeks(report.sprint.start_date, report.sprint.end_date)],
                ["Begin", report.sprint.start_date],
                ["Einde", report.sprint.end_date],
                ["Gepland", report.planned],
                ["Klaar", report.done],
                ["Doorgeschoven", report.carried_over],
                ["Geschrapt", report.dropped],
                ["Gemaakt op", report.made_on],
            ],
        ),
        Section(
            "Acties",
            [
                "Actie",
                "Eigenaar",
                "Status",
                "Ambitie",
                "Streefdatum",
                "Keer doorgeschoven",
                "Toelichting",
            ],
            [
                [
                    row.action.title,
                    row.owner,
                    STATUS.get(row.status, row.status),
                    row.ambition,
                    row.action.due_date,
                    row.action.carried_over,
                    row.action.drop_reason or row.action.blocked_reason or "",
                ]
                for row in report.actions
            ],
        ),
        Section("Evaluatie", ["Vraag", "Antwoord"], [[label, text] for label, text in texts]),
    ]


# --- XLSX -----------------------------------------------------------------------------------

BOLD = Font(bold=True)
DATE_FORMAT = "d-m-yyyy"
MAX_WIDTH = 60


def xlsx(sections: Sequence[Section], *, title: str, organisation: str) -> bytes:
    """One sheet per section: a bold header row that stays in view, real dates and numbers."""
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    book.properties.title = title
    book.properties.creator = organisation
    book.properties.language = "nl-NL"
    for section in sections:
        sheet = book.create_sheet(section.title[:31])
        sheet.append(section.header)
        for cell in sheet[1]:
            cell.font = BOLD
        sheet.freeze_panes = "A2"
        widths = [len(name) for name in section.header]
        for row in section.rows:
            sheet.append(row)
            for index, value in enumerate(row):
                shown = value.strftime("%d-%m-%Y") if isinstance(value, date) else str(value or "")
                widths[index] = max(widths[index], min(MAX_WIDTH, len(shown)))
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    # text typed by people stays text: "=…" is never a formula here
                    cell.data_type = "s"
                if isinstance(cell.value, datetime | date):
                    cell.number_format = DATE_FORMAT
                elif isinstance(cell.value, str) and "\n" in cell.value:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width + 2
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- CSV ------------------------------------------------------------------------------------


# a spreadsheet reads a cell that starts with one of these as a formula
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return number(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    # text typed by people is shown, never run (OWASP: CSV injection)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_bytes(sections: Sequence[Section]) -> bytes:
    """`;`-separated UTF-8 with a byte-order mark, as Excel in Dutch opens it: per section a
    line with its name, its header, its rows and an empty line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    for section in sections:
        writer.writerow([section.title])
        writer.writerow(section.header)
        writer.writerows([_csv_value(value) for value in row] for row in section.rows)
        writer.writerow([])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- PDF ------------------------------------------------------------------------------------


@functools.cache
def _weasyprint() -> tuple[Any, type]:
    """WeasyPrint's HTML and our URL fetcher. Importing WeasyPrint takes over a second of CPU,
    so only a process that makes a PDF pays it (not every server start)."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    class NoRemoteFetches(URLFetcher):  # type: ignore[misc]
        """The report is built from what it holds: a data: URL at most, never another host
        (nor a file on the server)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if not url.startswith("data:"):
                raise ValueError(f"Het rapport haalt niets op van buiten: {url}")
            return super().fetch(url, headers)

    return HTML, NoRemoteFetches


def no_remote_fetches() -> Any:
    return _weasyprint()[1]()


def laid_out(html: str) -> Any:
    """The report's pages as WeasyPrint lays them out (a weasyprint Document)."""
    make_html, _fetcher = _weasyprint()
    return make_html(string=html, base_url="about:blank", url_fetcher=no_remote_fetches()).render()


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(datum=long_date, getal=number, dag=local_day)
    env.globals.update(
        weken=weeks,
        periode=sprint_label,
        status=lambda code: STATUS.get(code, code),
        ambitiestatus=lambda code: AMBITION_STATUS.get(code, code),
        richting=lambda code: DIRECTION.get(code, code),
        soort=lambda code: ESCALATION_TYPE.get(code, code),
        oordeel=verdict,
    )
    return env


ENVIRONMENT = _environment()


def report_html(template: str, **context: Any) -> str:
    return ENVIRONMENT.get_template(template).render(**context)


def pdf(html: str) -> bytes:
    return laid_out(html).write_pdf()  # type: ignore[no-any-return]


def page_count(html: str) -> int:
    """How many A4 pages the report HTML lays out to (for tests and checks)."""
    return len(laid_out(html).pages)


# --- the two reports ------------------------------------------------------------------------


def ambition_html(report: AmbitionReport) -> str:
    return report_html("reports/ambition.html", report=report)


def sprint_html(report: SprintReport) -> str:
    return report_html("reports/sprint.html", report=report)


def _render(
    kind: Format,
    *,
    stem: str,
    title: str,
    organisation: str,
    html: Callable[[], str],
    sections: Callable[[], Iterable[Section]],
) -> Rendered:
    if kind == Format.pdf:
        body = pdf(html())
    elif kind == Format.xlsx:
        body = xlsx(list(sections()), title=title, organisation=organisation)
    else:
        body = csv_bytes(list(sections()))
    return Rendered(body=body, media_type=MEDIA_TYPES[kind], filename=f"{stem}.{kind.value}")


def render_ambition_report(report: AmbitionReport, kind: Format) -> Rendered:
    """The ambition report as a file: progress per sprint, goals, indicators, knelpunten, wins."""
    ambition = report.ambition
    return _render(
        kind,
        stem=f"ambitie-{ambition.id}-{slug(ambition.title)}-{report.made_on.isoformat()}",
        title=f"Ambitie: {ambition.title}",
        organisation=report.organisation,
        html=lambda: ambition_html(report),
        sections=lambda: ambition_sections(report),
    )


def render_sprint_report(report: SprintReport, kind: Format) -> Rendered:
    """A team's sprint report as a file: counts, every action with owner and status, and the
    team's evaluation."""
    sprint = report.sprint
    return _render(
        kind,
        stem=f"periode-{slug(weeks(sprint.start_date, sprint.end_date))}-{sprint.start_date.year}"
        f"-{slug(report.team.name)}",
        title=f"Periode {weeks(sprint.start_date, sprint.end_date)}: {report.team.name}",
        organisation=report.organisation,
        html=lambda: sprint_html(report),
        sections=lambda: sprint_sections(report),
    )
