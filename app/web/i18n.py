"""Dutch by default, English as a second locale; Dutch text is the source of every message."""

from __future__ import annotations

import gettext as gettext_module
import io
from contextvars import ContextVar
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app import clock
from app.clock import ORGANISATION_TZ

LOCALES = ("nl", "en")
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
current_locale: ContextVar[str] = ContextVar("current_locale", default="nl")


@cache
def translations(locale: str) -> gettext_module.NullTranslations:
    """The catalogue for a locale, compiled in memory from its .po file (no build step)."""
    po_file = LOCALE_DIR / locale / "LC_MESSAGES" / "messages.po"
    if locale == "nl" or not po_file.exists():
        return gettext_module.NullTranslations()
    with po_file.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext_module.GNUTranslations(buffer)


def gettext(message: str) -> str:
    return translations(current_locale.get()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current_locale.get()).ngettext(singular, plural, n)


_ = gettext


def pick_locale(*, user_locale: str | None, accept_language: str | None, default: str) -> str:
    """The user's own choice first, then the browser's preference, then the default."""
    if user_locale in LOCALES:
        return user_locale  # type: ignore[return-value]
    weighted = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        language = tag.split("-")[0].lower()
        if language in LOCALES:
            weighted.append((quality, language))
    if weighted:
        return max(weighted, key=lambda item: item[0])[1]
    return default if default in LOCALES else "nl"


# The way Dutch government writes short dates ("ma 24 nov."), which CLDR does not give.
DUTCH_WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
DUTCH_MONTHS = (
    "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."
)  # fmt: skip


def _this_year() -> int:
    return clock.today().year


def day(value: date, *, weekday: bool = True) -> str:
    """The one way a day is written: "wo 2 dec." this year, "wo 2 dec. 2027" in another year
    ("Wed 2 Dec", "Wed 2 Dec 2027" in English)."""
    locale = current_locale.get()
    if locale == "nl":
        parts = [str(value.day), DUTCH_MONTHS[value.month - 1]]
        if weekday:
            parts.insert(0, DUTCH_WEEKDAYS[value.weekday()])
        text = " ".join(parts)
    else:
        text = format_date(value, "EEE d MMM" if weekday else "d MMM", locale=locale)
    return text if value.year == _this_year() else f"{text} {value.year}"


def short_date(value: date | None) -> str:
    """A day in the one date style (see day); "" for none."""
    return "" if value is None else day(value)


def long_date(value: date | None) -> str:
    """ "24 november 2026": only for dated documents (the accessibility statement); pages show
    days with short_date."""
    if value is None:
        return ""
    return format_date(value, "d MMMM y", locale=current_locale.get())


def date_time(value: datetime | None) -> str:
    """ "2 dec. 14:15" this year, "2 dec. 2025 14:15" another year; in the organisation's time
    zone, 24-hour clock."""
    if value is None:
        return ""
    local = (
        value.astimezone(ORGANISATION_TZ)
        if value.tzinfo
        else value.replace(tzinfo=UTC).astimezone(ORGANISATION_TZ)
    )
    return f"{day(local.date(), weekday=False)} {local:%H:%M}"


def iso_datetime(value: datetime | None) -> str:
    """ "2026-12-02T13:15:07+00:00" for <time datetime>: ISO 8601 in UTC (a stored naive value is
    UTC), whole seconds; HTML allows at most three digits of a second, Python writes six."""
    if value is None:
        return ""
    utc = value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
    return utc.isoformat(timespec="seconds")


def week_label(start: date, end: date) -> str:
    """ "week 47–48" (ISO weeks) for a sprint."""
    first, last = start.isocalendar().week, end.isocalendar().week
    word = gettext("week")
    return f"{word} {first}" if first == last else f"{word} {first}–{last}"
