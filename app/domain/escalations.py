"""Rules for a knelpunt's loop: up one level, further up by the team of teams it lies with,
answered there, and read by the team that raised it. Pure: values in, messages out."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime

from app.clock import ORGANISATION_TZ
from app.models.common import EscalationStatus, EscalationStep, EscalationType
from app.translatable import N_

TYPE_LABELS = {
    EscalationType.help: N_("Hulp nodig"),
    EscalationType.decision: N_("Besluit nodig"),
    EscalationType.capacity: N_("Capaciteit"),
}

NOTE_REQUIRED = N_("Schrijf op wat er nodig is om verder te kunnen.")
FORWARD_NOTE_REQUIRED = N_("Schrijf op waarom je het knelpunt doorstuurt.")
NEEDED_BY_PAST = N_("Kies een datum vanaf vandaag.")
NO_HIGHER_TIER = N_("Boven dit team van teams is geen team van teams meer om naar door te sturen.")
ALREADY_ANSWERED = N_("Dit knelpunt is al beantwoord.")
NOT_ANSWERED_YET = N_("Dit knelpunt heeft nog geen antwoord.")
ALREADY_READ = N_("Het antwoord op dit knelpunt is al gelezen.")
OWNER_NOT_A_MEMBER = N_("Kies iemand uit het team van teams waar het knelpunt ligt.")


def day_of(moment: datetime) -> date:
    """The organisation's calendar day of a stored moment (stored in UTC)."""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ORGANISATION_TZ).date()


def days_waited(since: datetime, today: date) -> int:
    """Whole days from a moment to today; never negative."""
    return max((today - day_of(since)).days, 0)


def needed_by_problem(needed_by: date | None, today: date) -> str | None:
    """The answer cannot be needed on a day that has passed."""
    if needed_by is not None and needed_by < today:
        return NEEDED_BY_PAST
    return None


def forward_problem(*, status: EscalationStatus, has_parent: bool) -> str | None:
    """Why the team of teams it lies with cannot pass it one level further up (None: it can)."""
    if status != EscalationStatus.open:
        return ALREADY_ANSWERED
    if not has_parent:
        return NO_HIGHER_TIER
    return None


def answer_problem(status: EscalationStatus) -> str | None:
    return ALREADY_ANSWERED if status != EscalationStatus.open else None


def acknowledge_problem(*, status: EscalationStatus, acknowledged: bool) -> str | None:
    """The raising team reads the answer once, and only when there is one."""
    if status != EscalationStatus.resolved:
        return NOT_ANSWERED_YET
    if acknowledged:
        return ALREADY_READ
    return None


def awaits_reading(*, status: EscalationStatus, acknowledged: bool) -> bool:
    """An answer the raising team has not read yet: shown on its card and board."""
    return status == EscalationStatus.resolved and not acknowledged


def path(
    steps: Iterable[tuple[str, int]],
) -> list[int]:
    """The teams of teams it lay with, in order, from its steps (kind, team_id): where it was
    raised to and each team it was forwarded to."""
    teams: list[int] = []
    for kind, team_id in steps:
        if kind in (EscalationStep.raised, EscalationStep.forwarded) and team_id not in teams:
            teams.append(team_id)
    return teams


def arrived(steps: Sequence[tuple[str, datetime, int]], team_id: int) -> datetime | None:
    """When it arrived at a team of teams: the last raised/forwarded step to that team."""
    moments = [
        moment
        for kind, moment, to in steps
        if to == team_id and kind in (EscalationStep.raised, EscalationStep.forwarded)
    ]
    return moments[-1] if moments else None


def open_too_long(*, raised_on: date, today: date, sprint_days: int) -> bool:
    """Open longer than one sprint: a bottleneck for the team of teams."""
    return (today - raised_on).days > sprint_days
