"""The team tree: every team reports to at most one team of teams, at any depth, without cycles;
and a team holding work or other teams stays."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from app.translatable import N_

Parents = Mapping[int, int | None]


def ancestors(team_id: int, parents: Parents) -> Iterator[int]:
    """The teams of teams above a team, nearest first."""
    seen = {team_id}
    current = parents.get(team_id)
    while current is not None and current not in seen:
        yield current
        seen.add(current)
        current = parents.get(current)


def would_create_cycle(team_id: int, new_parent_id: int | None, parents: Parents) -> bool:
    """True when hanging the team under new_parent_id would make it its own ancestor."""
    if new_parent_id is None:
        return False
    if new_parent_id == team_id:
        return True
    return team_id in ancestors(new_parent_id, parents)


NOT_EMPTY = N_(
    "Dit team heeft nog acties, knelpunten of subteams en kan daarom niet weg. "
    "Verplaats of verwijder die eerst."
)


def removal_problem(*, subteams: int, actions: int, escalations: int) -> str | None:
    """Why a team cannot be removed: it still holds work or other teams. None when it can."""
    if subteams or actions or escalations:
        return NOT_EMPTY
    return None
