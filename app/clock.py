"""The organisation's calendar day: sprints turn over at midnight in the Netherlands."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from app.config import get_settings

ORGANISATION_TZ = ZoneInfo("Europe/Amsterdam")


def today() -> date:
    """Today in the Netherlands, or the fixed day of a training environment
    (VERBETERBORD_TODAY)."""
    fixed = get_settings().today
    return fixed if fixed is not None else datetime.now(ORGANISATION_TZ).date()
