"""An action's history in words: one sentence about the work for each change an audit event
records ("Anna verplaatste de actie van Te doen naar Bezig"), never the database's field names.

The audit table keeps every field as it was; this is only how the page tells it. A sentence
per kind of change, each a pure function of names and values, so tests can call them without
a database. Changes that mean nothing to a reader (the place in a column, version numbers,
timestamps) are left out, and an event with nothing else in it is not shown at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.queries.boards import HistoryNames
from app.translatable import N_
from app.web.boards.view import status_label
from app.web.i18n import gettext as _
from app.web.i18n import short_date, week_label

CREATED = N_("%(name)s maakte de actie aan")
REMOVED = N_("%(name)s haalde de actie van dit bord")
MOVED = N_("%(name)s verplaatste de actie van %(old)s naar %(new)s")
BLOCKED = N_("%(name)s blokkeerde de actie: %(reason)s")
REASON = N_("%(name)s gaf een nieuwe reden voor de blokkade: %(reason)s")
GIVEN = N_("%(name)s gaf de actie aan %(owner)s")
RETITLED = N_("%(name)s veranderde de titel in „%(title)s”")
DESCRIBED = N_("%(name)s veranderde de beschrijving")
UNDESCRIBED = N_("%(name)s haalde de beschrijving weg")
DUE_SET = N_("%(name)s zette de streefdatum op %(date)s")
DUE_CLEARED = N_("%(name)s haalde de streefdatum weg")
AMBITION = N_("%(name)s koppelde de actie aan de ambitie „%(title)s”")
GOAL = N_("%(name)s koppelde de actie aan het kortetermijndoel „%(title)s”")
NO_AMBITION = N_("%(name)s haalde de actie los van haar ambitie")
NO_GOAL = N_("%(name)s haalde de actie los van het kortetermijndoel")
OTHER_TEAM = N_("%(name)s verplaatste de actie naar %(team)s")
OTHER_SPRINT = N_("%(name)s verplaatste de actie naar %(week)s")
CARRIED = N_("De actie is doorgeschoven naar %(week)s")
CHANGED = N_("%(name)s veranderde de actie")
DROPPED = N_("%(name)s liet de actie vallen bij het afsluiten van de periode. Reden: %(reason)s")

# what a reader does not need: where in the column, bookkeeping, what follows from a change
UNTOLD = {
    "id",
    "position",
    "version",
    "created_at",
    "updated_at",
    "created_by_id",
    "done_at",
    "carried_over",
}


def created(name: str) -> str:
    return _(CREATED) % {"name": name}


def removed(name: str) -> str:
    return _(REMOVED) % {"name": name}


def moved(name: str, old_status: str, new_status: str) -> str:
    return _(MOVED) % {
        "name": name,
        "old": status_label(old_status),
        "new": status_label(new_status),
    }


def blocked(name: str, reason: str) -> str:
    return _(BLOCKED) % {"name": name, "reason": reason}


def dropped(name: str, reason: str) -> str:
    """Let go of when the team closed the period, with its reason."""
    return _(DROPPED) % {"name": name, "reason": reason}


def new_reason(name: str, reason: str) -> str:
    return _(REASON) % {"name": name, "reason": reason}


def given(name: str, owner: str) -> str:
    return _(GIVEN) % {"name": name, "owner": owner}


def retitled(name: str, title: str) -> str:
    return _(RETITLED) % {"name": name, "title": title}


def described(name: str, description: str) -> str:
    return _(DESCRIBED if description else UNDESCRIBED) % {"name": name}


def due_set(name: str, due: date | None) -> str:
    if due is None:
        return _(DUE_CLEARED) % {"name": name}
    return _(DUE_SET) % {"name": name, "date": short_date(due)}


def linked_to_ambition(name: str, title: str | None) -> str:
    if title is None:
        return _(NO_AMBITION) % {"name": name}
    return _(AMBITION) % {"name": name, "title": title}


def linked_to_goal(name: str, title: str | None) -> str:
    if title is None:
        return _(NO_GOAL) % {"name": name}
    return _(GOAL) % {"name": name, "title": title}


def to_team(name: str, team: str) -> str:
    return _(OTHER_TEAM) % {"name": name, "team": team}


def to_sprint(name: str, week: str) -> str:
    return _(OTHER_SPRINT) % {"name": name, "week": week}


def carried(week: str) -> str:
    """Carried over by the sprint's close: nobody's own doing, so no name."""
    return _(CARRIED) % {"week": week}


def changed(name: str) -> str:
    return _(CHANGED) % {"name": name}


@dataclass(frozen=True)
class Names:
    """The names an action's history refers to (found once for all its events)."""

    found: HistoryNames

    def user(self, user_id: Any) -> str:
        return self.found.users.get(user_id, _("een verwijderde medewerker"))

    def actor(self, user_id: int | None) -> str:
        if user_id is None:
            return _("Het systeem")
        return self.found.users.get(user_id, _("Een verwijderde medewerker"))

    def week(self, sprint_id: Any) -> str:
        dates = self.found.sprints.get(sprint_id)
        return week_label(*dates) if dates else _("een verwijderde periode")

    def team(self, team_id: Any) -> str:
        return self.found.teams.get(team_id, _("een verwijderd team"))

    def ambition(self, ambition_id: Any) -> str | None:
        if ambition_id is None:
            return None
        return self.found.ambitions.get(ambition_id, _("(verwijderd)"))

    def goal(self, goal_id: Any) -> str | None:
        if goal_id is None:
            return None
        return self.found.goals.get(goal_id, _("(verwijderd)"))


def sentences(
    verb: str, changes: dict[str, list[Any]], actor_id: int | None, names: Names
) -> list[str]:
    """What one audit event of an action says, as sentences; none when it only moved the
    action within its column (or only told another board it left)."""
    name = names.actor(actor_id)
    if verb == "created":
        return [created(name)]
    if verb == "deleted":
        # a move to another team also tells the old board the card left: the "updated" event
        # of the same move already says where it went
        return [] if set(changes) == {"team_id"} else [removed(name)]
    told: list[str] = []
    old = {key: value[0] for key, value in changes.items()}
    new = {key: value[1] for key, value in changes.items()}
    if "status" in changes:
        if new["status"] == "blocked":
            told.append(blocked(name, new.get("blocked_reason") or ""))
        elif new["status"] == "dropped":
            told.append(dropped(name, new.get("drop_reason") or ""))
        else:
            told.append(moved(name, old["status"], new["status"]))
    elif "blocked_reason" in changes and new["blocked_reason"]:
        told.append(new_reason(name, new["blocked_reason"]))
    if "owner_id" in changes:
        told.append(given(name, names.user(new["owner_id"])))
    if "title" in changes:
        told.append(retitled(name, new["title"] or ""))
    if "description" in changes:
        told.append(described(name, new["description"] or ""))
    if "due_date" in changes:
        due = new["due_date"]
        told.append(due_set(name, date.fromisoformat(due) if due else None))
    if new.get("goal_id") is not None:
        told.append(linked_to_goal(name, names.goal(new["goal_id"])))
    elif "ambition_id" in changes:
        told.append(linked_to_ambition(name, names.ambition(new["ambition_id"])))
    elif "goal_id" in changes:
        told.append(linked_to_goal(name, None))
    if "team_id" in changes:
        told.append(to_team(name, names.team(new["team_id"])))
    if "sprint_id" in changes:
        week = names.week(new["sprint_id"])
        carried_over = changes.get("carried_over", [0, 0])
        if (carried_over[1] or 0) > (carried_over[0] or 0):
            told.append(carried(week))
        else:
            told.append(to_sprint(name, week))
    known = UNTOLD | {
        "status",
        "blocked_reason",
        "drop_reason",
        "owner_id",
        "title",
        "description",
        "due_date",
        "goal_id",
        "ambition_id",
        "team_id",
        "sprint_id",
    }
    if not told and set(changes) - known:
        told.append(changed(name))
    return told
