"""Reading a spreadsheet of actions (CSV or XLSX) for a team moving off spreadsheets.

Pure: bytes in, rows of text out, with a Dutch message per cell that cannot mean anything (a
status or a date). Whether an owner or an ambition exists, and every rule of a new action, is
the services' business: an imported action passes the same create rule as any other.

Columns go by their Dutch header (any case, extra spaces ignored): titel, omschrijving, eigenaar,
status, streefdatum, ambitie, reden blokkade. A CSV is separated by `;` or `,` (whichever the
header line uses most), UTF-8 with or without BOM, else Windows-1252.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from app.domain.messages import Message
from app.models.common import ActionStatus
from app.translatable import N_

MAX_BYTES = 1_000_000
MAX_ROWS = 500

# header (lower case, single spaces) → what it holds
COLUMNS = {
    "titel": "title",
    "omschrijving": "description",
    "beschrijving": "description",
    "eigenaar": "owner",
    "status": "status",
    "streefdatum": "due_date",
    "ambitie": "ambition",
    "reden blokkade": "blocked_reason",
    "reden": "blocked_reason",
}
# what each field is called in messages and in the preview: the header the person typed
COLUMN_NAMES = {
    "title": "titel",
    "description": "omschrijving",
    "owner": "eigenaar",
    "status": "status",
    "due_date": "streefdatum",
    "ambition": "ambitie",
    "blocked_reason": "reden blokkade",
}
STATUSES = {
    "te doen": ActionStatus.todo,
    "todo": ActionStatus.todo,
    "bezig": ActionStatus.doing,
    "doing": ActionStatus.doing,
    "klaar": ActionStatus.done,
    "done": ActionStatus.done,
    "geblokkeerd": ActionStatus.blocked,
    "blocked": ActionStatus.blocked,
}

TOO_BIG = N_("Het bestand is te groot: hoogstens 1 MB. Splits het in kleinere bestanden.")
TOO_MANY_ROWS = N_(
    "Het bestand heeft %(rows)d rijen met acties; hoogstens %(max)d per keer. "
    "Splits het in kleinere bestanden."
)
EMPTY = N_("Het bestand is leeg. Zet de kolomnamen in de eerste rij en daaronder de acties.")
NO_TITLE_COLUMN = N_(
    "De kolom „titel” ontbreekt. Zet de kolomnamen in de eerste rij: titel, omschrijving, "
    "eigenaar, status, streefdatum, ambitie, reden blokkade."
)
DOUBLE_COLUMN = N_("De kolom „%(kolom)s” staat er twee keer in. Houd er één over.")
NOT_A_SPREADSHEET = N_("Dit bestand kunnen we niet lezen. Kies een CSV- of Excel-bestand (.xlsx).")
NO_ROWS = N_("Er staan geen acties in het bestand, alleen kolomnamen.")
CELL_TOO_LONG = N_(
    'Een cel in het bestand is te lang. Staat er ergens een aanhalingsteken (") dat niet '
    "wordt afgesloten?"
)
BAD_STATUS = N_("Kies als status te doen, bezig, klaar of geblokkeerd.")
BAD_DATE = N_("Schrijf de datum als 2026-12-04 of 4-12-2026.")

_SPACES = re.compile(r"\s+")
_DUTCH_DATE = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
# a workbook's date cell may come with a time of day (00:00:00)
_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")


class FileProblem(Exception):
    """The file as a whole cannot be read as actions; message says why (Dutch)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Row:
    """One row of actions as text, by field; number is its row in the file (the header is 1)."""

    number: int
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)  # by field, Dutch

    def get(self, name: str) -> str:
        return self.values.get(name, "")


@dataclass
class Table:
    rows: list[Row]
    ignored: list[str]  # headers that are no column we know


def is_xlsx(filename: str, content: bytes) -> bool:
    """An Excel workbook (a zip) rather than text."""
    return content[:4] == b"PK\x03\x04" or filename.lower().endswith(".xlsx")


def decode(content: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252."""
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def csv_cells(text: str) -> list[list[str]]:
    """The cells of a CSV text, separated by `;` or `,`: whichever the first line has most."""
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    try:
        return [
            list(line) for line in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ]
    except csv.Error as exc:  # a cell beyond the csv module's field limit (an open quote)
        raise FileProblem(CELL_TOO_LONG) from exc


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def xlsx_cells(content: bytes) -> list[list[str]]:
    """The cells of the first sheet of a workbook, as text (a date cell as 2026-12-04)."""
    from openpyxl import load_workbook  # only when a workbook comes in

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a broken zip or no workbook: openpyxl raises many kinds
        raise FileProblem(NOT_A_SPREADSHEET) from exc
    try:
        cells: list[list[str]] = []
        filled = 0
        for row in workbook.worksheets[0].iter_rows(values_only=True):
            line = [_cell_text(value) for value in row]
            filled += any(line)
            cells.append(line)
            if filled > MAX_ROWS + 1:  # enough to say there are too many
                break
        return cells
    finally:
        workbook.close()


def cells_of(filename: str, content: bytes) -> list[list[str]]:
    if len(content) > MAX_BYTES:
        raise FileProblem(TOO_BIG)
    if is_xlsx(filename, content):
        return xlsx_cells(content)
    return csv_cells(decode(content))


def header_key(text: str) -> str:
    return _SPACES.sub(" ", text.strip().lower())


def table(cells: list[list[str]]) -> Table:
    """The rows of actions under the header row; empty rows are left out."""
    lines = [line for line in cells if any(cell.strip() for cell in line)]
    if not lines:
        raise FileProblem(EMPTY)
    header, *body = lines
    fields: list[str | None] = []
    ignored: list[str] = []
    for text in header:
        name = COLUMNS.get(header_key(text))
        if name is not None and name in fields:
            raise FileProblem(Message(DOUBLE_COLUMN, kolom=header_key(text)))
        fields.append(name)
        if name is None and text.strip():
            ignored.append(text.strip())
    if "title" not in fields:
        raise FileProblem(NO_TITLE_COLUMN)
    if not body:
        raise FileProblem(NO_ROWS)
    if len(body) > MAX_ROWS:
        raise FileProblem(Message(TOO_MANY_ROWS, rows=len(body), max=MAX_ROWS))
    number_of = {id(line): index + 1 for index, line in enumerate(cells)}
    rows = []
    for line in body:
        values = {
            name: cell.strip() for name, cell in zip(fields, line, strict=False) if name is not None
        }
        rows.append(Row(number=number_of[id(line)], values=values))
    return Table(rows=rows, ignored=ignored)


def read(filename: str, content: bytes) -> Table:
    """The file's rows of actions, or FileProblem."""
    return table(cells_of(filename, content))


def parse_status(text: str) -> ActionStatus | None:
    """te doen, bezig, klaar, geblokkeerd (any case; empty is te doen); None when unknown."""
    key = header_key(text)
    return ActionStatus.todo if not key else STATUSES.get(key)


def parse_date(text: str) -> date | None:
    """2026-12-04 or 4-12-2026 (also with / or .); ValueError when it is no date."""
    text = text.strip()
    if not text:
        return None
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DUTCH_DATE.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise ValueError(text)
    return date(year, month, day)


def typed_fields(row: Row) -> dict[str, object]:
    """The row's status and streefdatum as values; a message in row.errors for each that means
    nothing. Text fields stay text."""
    fields: dict[str, object] = {}
    status = parse_status(row.get("status"))
    if status is None:
        row.errors["status"] = BAD_STATUS
    else:
        fields["status"] = status
    try:
        fields["due_date"] = parse_date(row.get("due_date"))
    except ValueError:
        row.errors["due_date"] = BAD_DATE
    return fields
