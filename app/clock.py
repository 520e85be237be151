"""The organisation's calendar day: sprints turn over at midnight in the Netherlands."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

ORGANISATION_TZ = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    return datetime.now(ORGANISATION_TZ).date()
