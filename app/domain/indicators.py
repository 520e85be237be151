"""Pure rules for indicators and their measurements: at most five per ambition, reading a
value the Dutch way, reading a CSV of measurements, and whether a value meets its target."""

from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from app.domain.messages import Message
from app.translatable import N_

MAX_INDICATORS = 5
TOO_MANY = N_(
    "Een ambitie heeft hoogstens vijf indicatoren. Verwijder er eerst een of kies de "
    "belangrijkste vijf."
)
MAX_CSV_ROWS = 1000
MAX_NOTE = 1000

NO_DATE = N_("Vul een datum in, zoals 25-11-2026 of 2026-11-25.")
BAD_DATE = N_("Dit is geen datum. Schrijf hem als 25-11-2026 of 2026-11-25.")
NO_VALUE = N_("Vul een waarde in.")
BAD_VALUE = N_("Dit is geen getal. Schrijf bijvoorbeeld 12,5.")
NOTE_TOO_LONG = N_("De toelichting is te lang (hoogstens 1000 tekens).")
TOO_MANY_COLUMNS = N_("Deze regel heeft meer dan drie kolommen: datum, waarde en toelichting.")
SAME_DATE = N_("Deze datum staat ook in regel %(regel)s. Laat er één over.")
EMPTY_FILE = N_("Het bestand bevat geen metingen.")
TOO_MANY_ROWS = N_("Het bestand heeft te veel regels (hoogstens 1000).")
ROWS_INVALID = N_("Niet alle regels kloppen. Er is niets opgeslagen; verbeter het bestand.")
UNREADABLE = N_(
    "Dit bestand kan niet gelezen worden. Sla het op als CSV (UTF-8) en probeer opnieuw."
)

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DUTCH = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+|\d{1,3}(\.\d{3})+)(,\d+)?$|^[+-]?\d*\.\d+$|^[+-]?\d+$")
HEADER_WORDS = {"datum", "date"}


def too_many(count: int) -> bool:
    """Whether an ambition that has count indicators is full."""
    return count >= MAX_INDICATORS


def parse_date(text: str) -> date | None:
    """A date written 2026-11-25 or 25-11-2026 (also with / or .), or None."""
    text = text.strip()
    match = _ISO.match(text)
    try:
        if match:
            return date(int(match[1]), int(match[2]), int(match[3]))
        match = _DUTCH.match(text)
        if match:
            return date(int(match[3]), int(match[2]), int(match[1]))
    except ValueError:
        return None
    return None


def parse_value(text: str) -> float | None:
    """A number written the Dutch way (12,5 or 1.234,5) or with a decimal point (12.5)."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if not text or not _NUMBER.match(text):
        return None
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif re.match(r"^[+-]?\d{1,3}(\.\d{3})+$", text):
        text = text.replace(".", "")  # 1.234 is a thousand two hundred and thirty-four
    value = float(text)
    return value if math.isfinite(value) else None


def format_value(value: float) -> str:
    """A value the Dutch way: a decimal comma, no needless zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if text != "-0" else "0"


@dataclass
class CsvRow:
    """One line of an uploaded file: what it says, and what is wrong with it."""

    line: int
    date_text: str
    value_text: str
    note: str
    measured_on: date | None = None
    value: float | None = None
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors


@dataclass
class CsvResult:
    rows: list[CsvRow]
    problem: str | None = None  # about the file as a whole

    @property
    def valid(self) -> bool:
        return self.problem is None and all(row.valid for row in self.rows)


def _separator(first_line: str) -> str:
    return ";" if ";" in first_line or "," not in first_line else ","


def parse_csv(text: str) -> CsvResult:
    """The rows of a CSV of measurements: datum;waarde;toelichting (`;` or `,` between the
    columns, a header line optional). Every row is checked; none is stored by this rule."""
    text = text.lstrip("\ufeff")
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return CsvResult(rows=[], problem=EMPTY_FILE)
    if len(lines) > MAX_CSV_ROWS + 1:
        return CsvResult(rows=[], problem=TOO_MANY_ROWS)
    separator = _separator(lines[0])
    try:
        records = list(csv.reader(io.StringIO(text), delimiter=separator))
    except csv.Error:
        return CsvResult(rows=[], problem=UNREADABLE)
    rows: list[CsvRow] = []
    seen: dict[date, int] = {}
    for number, record in enumerate(records, start=1):
        cells = [cell.strip() for cell in record]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if not rows and cells[0].casefold() in HEADER_WORDS:
            continue
        row = CsvRow(
            line=number,
            date_text=cells[0],
            value_text=cells[1] if len(cells) > 1 else "",
            note=cells[2] if len(cells) > 2 else "",
        )
        if len(cells) > 3:
            row.errors["form"] = TOO_MANY_COLUMNS
        if not row.date_text:
            row.errors["date"] = NO_DATE
        else:
            row.measured_on = parse_date(row.date_text)
            if row.measured_on is None:
                row.errors["date"] = BAD_DATE
            elif row.measured_on in seen:
                row.errors["date"] = Message(SAME_DATE, regel=seen[row.measured_on])
            else:
                seen[row.measured_on] = number
        if not row.value_text:
            row.errors["value"] = NO_VALUE
        else:
            row.value = parse_value(row.value_text)
            if row.value is None:
                row.errors["value"] = BAD_VALUE
        if len(row.note) > MAX_NOTE:
            row.errors["note"] = NOTE_TOO_LONG
        rows.append(row)
    if not rows:
        return CsvResult(rows=[], problem=EMPTY_FILE)
    if len(rows) > MAX_CSV_ROWS:
        return CsvResult(rows=[], problem=TOO_MANY_ROWS)
    return CsvResult(rows=rows)


def on_target(value: float, *, target: float, direction: str) -> bool:
    """Whether a value meets the target: at or above it when higher is better, at or below
    it when lower is better."""
    return value >= target if direction == "up" else value <= target


def document_deadline(held_on: date, lead_days: int) -> date:
    """The day documents for a meeting are due: lead_days before it."""
    return held_on - timedelta(days=lead_days)
