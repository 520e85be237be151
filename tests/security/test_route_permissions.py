"""The permission matrix: every route of the app × every role, on objects of a team the role is
not in (DESIGN.md, "Who may do what").

The table below is data: which rule guards each route, and which roles each rule lets through
when the object belongs to another team. A route that is not in the table fails
`test_every_route_is_in_the_permission_table`, so a new route cannot slip through unchecked.

Every write runs on its own copy of the role's database, so an allowed write cannot disturb the
next request and a refused one can be proved to have changed nothing (a checksum of every
table before and after).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from app import deps
from app.config import Settings, get_settings
from app.db import create_db_engine, metadata, writer
from app.main import create_app
from app.models import (
    ActionCreate,
    AmbitionCreate,
    ApiToken,
    CommentCreate,
    EscalationCreate,
    GoalCreate,
    Role,
    StandupCreate,
    UserCreate,
)
from app.services import actions, ambitions, auth, escalations, org, standups
from app.services.access import access_for
from tests.conftest import TODAY, Templates, _copy, _load_world, _no_fsync
from tests.support.builders import PASSWORD, World

ROLES = ("outsider", "member", "representative", "deputy", "lead", "head", "admin")
# The deputy (plaatsvervangend vertegenwoordiger) is the world's representative made deputy of
# the same team instead: the same seat in the team of teams, through the other role.
PERSON = {"deputy": "representative"}
SECRET = "GEHEIM"  # in every text of the foreign objects; a refusal must never show it
# Ambitions and their goals are listed on every board (the "doel" picker of the action forms),
# so a form sent back with an error may show them; the other foreign texts never.
NOT_ON_OWN_BOARD = tuple(
    f"{SECRET} {what}"
    for what in ("actie", "beschrijving", "reactie", "knelpunt", "Vreemde", "sleutel")
)
SECURITY_LOGGER = "verbeterbord.security"

# --- the table -----------------------------------------------------------------------------

# Who a rule lets through when the object belongs to the role's *foreign* team (see
# `foreign_team`): for the outsider that is world.team, for everyone else world.other_team.
# The head of department is `lead` of world.team_of_teams, the parent of both teams.
RULES: dict[str, frozenset[str]] = {
    # reading is open inside the organisation
    "read": frozenset(ROLES),
    # the viewer's own things (language, their own new API key)
    "own": frozenset(ROLES),
    # writing on the foreign team's board: nobody but its members (none here) and admins
    "board": frozenset({"admin"}),
    # resolving a knelpunt the foreign team sent to the team of teams: members of the team of
    # teams, among them the representatives and deputies of its child teams and its lead (the
    # head)
    "escalation": frozenset({"representative", "deputy", "head", "admin"}),
    # managing the foreign team's members: its lead (none here) and admins
    "members": frozenset({"admin"}),
    # the foreign team's ambition and its goals: the owning team's lead (none here) and admins
    "ambition": frozenset({"admin"}),
    # locations, users, teams, sprints
    "admin": frozenset({"admin"}),
    # someone else's API key: not even an admin revokes it from their own profile
    "nobody": frozenset(),
}

# Routes that are not checked per role: the public pages and the event streams (which never
# end for a logged-in viewer; an anonymous request must still be refused, see below).
PUBLIC = {
    ("GET", "/login"),
    ("POST", "/login"),
    ("POST", "/logout"),
    # the second step of a password login and the round trip to the identity provider
    # (tests/web/test_two_factor_pages.py, tests/web/test_sso_login.py)
    ("GET", "/login/code"),
    ("POST", "/login/code"),
    ("GET", "/login/organisatie"),
    ("GET", "/login/organisatie/terug"),
    ("GET", "/toegankelijkheid"),
    # a calendar feed: no session, the secret in its URL is the key (tests/web/test_feeds.py)
    ("GET", "/agenda/{secret}.ics"),
    ("GET", "/sw.js"),  # the service worker: the same script for everyone, no data (pwa.py)
}
STREAMS = {
    ("GET", "/api/v1/events"),
    ("GET", "/teams/{team_id}/live"),
    ("GET", "/mijn-acties/live"),
    ("GET", "/ambities/{ambition_id}/live"),
}


@dataclass(frozen=True)
class Ids:
    """The ids one request is built from: the role's own and the foreign team's objects."""

    me: int
    own_team: int
    team: int  # the foreign team
    parent: int  # the team of teams above both teams
    action: int
    escalation: int
    ambition: int
    goal: int
    user: int  # a member of the foreign team
    token: int  # an API key of that member
    sprint: int
    own_action: int
    own_ambition: int
    own_goal: int
    # an action of the role's own team that a teammate owns and the admin made: only the
    # team's lead (and an admin) may delete it
    teammate_action: int
    standup: int = 0  # a stand-up record of the team of teams
    indicator: int = 0  # an indicator of the foreign team's ambition
    location: int = 0  # a municipality with a meeting on its calendar
    meeting: int = 0


Body = Callable[[Ids], dict[str, Any]]


def _none(_: Ids) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Entry:
    rule: str
    body: Body = _none
    path: dict[str, str] = field(default_factory=dict)  # path parameter → Ids attribute


def E(rule: str, body: Body = _none, **path: str) -> Entry:
    return Entry(rule, body, path)


TABLE: dict[tuple[str, str], Entry] = {
    # --- JSON API ---
    ("GET", "/api/v1/me"): E("read"),
    ("GET", "/api/v1/me/mail-settings"): E("own"),
    ("PUT", "/api/v1/me/mail-settings"): E(
        "own", lambda i: {"digest_weekday": 2, "mention_mail": False}
    ),
    # mentions of me: each person only ever sees and marks their own
    ("GET", "/api/v1/me/mentions"): E("own"),
    ("POST", "/api/v1/me/mentions/seen"): E("own"),
    ("GET", "/api/v1/locations"): E("read"),
    ("POST", "/api/v1/locations"): E("admin", lambda i: {"name": "Nieuwe gemeente"}),
    ("GET", "/api/v1/users"): E("read"),
    ("POST", "/api/v1/users"): E(
        "admin", lambda i: {"email": "nieuw@example.org", "name": "Nieuwe Medewerker"}
    ),
    ("GET", "/api/v1/teams"): E("read"),
    ("POST", "/api/v1/teams"): E("admin", lambda i: {"name": "Nieuw team"}),
    ("GET", "/api/v1/teams/{team_id}"): E("read"),
    ("PATCH", "/api/v1/users/{user_id}"): E("admin", lambda i: {"name": "Overgenomen"}),
    ("PATCH", "/api/v1/teams/{team_id}"): E("admin", lambda i: {"name": "Overgenomen"}),
    ("DELETE", "/api/v1/teams/{team_id}"): E("admin"),
    ("GET", "/api/v1/teams/{team_id}/members"): E("read"),
    # adding yourself to a team you don't lead
    ("PUT", "/api/v1/teams/{team_id}/members/{user_id}"): E(
        "members", lambda i: {"role": "lead"}, user_id="me"
    ),
    ("DELETE", "/api/v1/teams/{team_id}/members/{user_id}"): E("members"),
    ("GET", "/api/v1/teams/{team_id}/board"): E("read"),
    ("POST", "/api/v1/teams/{team_id}/imports"): E("board"),
    ("GET", "/api/v1/actions"): E("read"),
    ("POST", "/api/v1/actions"): E(
        "board", lambda i: {"title": "Ingebroken", "team_id": i.team, "owner_id": i.user}
    ),
    ("GET", "/api/v1/actions/{action_id}"): E("read"),
    ("PATCH", "/api/v1/actions/{action_id}"): E(
        "board", lambda i: {"version": 1, "title": "Overschreven"}
    ),
    ("DELETE", "/api/v1/actions/{action_id}"): E("board"),
    ("GET", "/api/v1/actions/{action_id}/history"): E("read"),
    ("GET", "/api/v1/actions/{action_id}/comments"): E("read"),
    ("POST", "/api/v1/actions/{action_id}/comments"): E("board", lambda i: {"body": "Ingebroken"}),
    ("POST", "/api/v1/actions/{action_id}/escalations"): E(
        "board", lambda i: {"note": "Ingebroken"}
    ),
    ("GET", "/api/v1/teams/{team_id}/escalations"): E("read"),
    ("POST", "/api/v1/escalations/{escalation_id}/resolve"): E(
        "escalation", lambda i: {"resolution": "Opgelost"}
    ),
    ("GET", "/api/v1/escalations/{escalation_id}"): E("read"),
    ("POST", "/api/v1/escalations/{escalation_id}/forward"): E(
        "escalation", lambda i: {"note": "Verder omhoog"}
    ),
    ("PUT", "/api/v1/escalations/{escalation_id}/owner"): E(
        "escalation", lambda i: {"owner_id": None}
    ),
    # reading the answer: the raising (foreign) team's members, none here, and admins
    ("POST", "/api/v1/escalations/{escalation_id}/acknowledge"): E("board"),
    ("GET", "/api/v1/ambitions"): E("read"),
    ("POST", "/api/v1/ambitions"): E(
        "ambition", lambda i: {"title": "Ingebroken", "owner_team_id": i.team}
    ),
    ("GET", "/api/v1/ambitions/{ambition_id}"): E("read"),
    ("PATCH", "/api/v1/ambitions/{ambition_id}"): E("ambition", lambda i: {"title": "Overgenomen"}),
    ("POST", "/api/v1/ambitions/{ambition_id}/goals"): E("ambition", lambda i: {"title": "Doel"}),
    ("GET", "/api/v1/ambitions/{ambition_id}/progress"): E("read"),
    ("PATCH", "/api/v1/goals/{goal_id}"): E(
        "ambition", lambda i: {"is_done": True}, goal_id="goal"
    ),
    ("GET", "/api/v1/ambitions/{ambition_id}/indicators"): E("read"),
    ("POST", "/api/v1/ambitions/{ambition_id}/indicators"): E(
        "ambition", lambda i: {"name": "Ingebroken", "target": 1}
    ),
    ("GET", "/api/v1/indicators/{indicator_id}/measurements"): E("read", indicator_id="indicator"),
    ("POST", "/api/v1/indicators/{indicator_id}/measurements"): E(
        "ambition", lambda i: {"date": "2026-11-01", "value": 1}, indicator_id="indicator"
    ),
    ("GET", "/api/v1/locations/{location_id}/meetings"): E("read", location_id="location"),
    ("POST", "/api/v1/locations/{location_id}/meetings"): E(
        "admin", lambda i: {"body": "college", "date": "2026-12-01"}, location_id="location"
    ),
    ("DELETE", "/api/v1/meetings/{meeting_id}"): E("admin", meeting_id="meeting"),
    # the reports: reading is open inside the organisation, as the board and ambition are
    ("GET", "/api/v1/ambitions/{ambition_id}/report.pdf"): E("read"),
    ("GET", "/api/v1/ambitions/{ambition_id}/report.xlsx"): E("read"),
    ("GET", "/api/v1/ambitions/{ambition_id}/report.csv"): E("read"),
    ("GET", "/api/v1/teams/{team_id}/sprints/{sprint_id}/report.pdf"): E("read"),
    ("GET", "/api/v1/teams/{team_id}/sprints/{sprint_id}/report.xlsx"): E("read"),
    ("GET", "/api/v1/teams/{team_id}/sprints/{sprint_id}/report.csv"): E("read"),
    ("GET", "/api/v1/teams/{team_id}/evaluations/{sprint_id}"): E("read"),
    ("PUT", "/api/v1/teams/{team_id}/evaluations/{sprint_id}"): E(
        "board", lambda i: {"goes_well": "Ingebroken"}
    ),
    ("GET", "/api/v1/teams/{team_id}/standups"): E("read"),
    # a stand-up is recorded by the team of teams' board writers
    ("POST", "/api/v1/teams/{team_id}/standups"): E(
        "escalation", lambda i: {"notes": "Ingebroken"}, team_id="parent"
    ),
    ("GET", "/api/v1/standups/{standup_id}"): E("read"),
    ("GET", "/api/v1/sprints"): E("read"),
    ("POST", "/api/v1/sprints"): E("admin", lambda i: {"start_date": "2027-06-07"}),
    ("GET", "/api/v1/sprints/current"): E("read"),
    ("POST", "/api/v1/sprints/{sprint_id}/close"): E("admin"),
    ("GET", "/api/v1/organisation"): E("admin"),
    ("PUT", "/api/v1/organisation"): E("admin", lambda i: {"sprint_days": 21, "sprint_weekday": 2}),
    # a team closes its own part of a sprint: its board writers
    ("POST", "/api/v1/teams/{team_id}/sprints/{sprint_id}/close"): E("board"),
    # --- pages and partials ---
    ("GET", "/"): E("read"),
    ("GET", "/teams"): E("read"),
    # a colleague's page and the @ suggestions: open inside the organisation, as boards are
    ("GET", "/mensen/{user_id}"): E("read"),
    ("GET", "/mensen/suggesties"): E("read"),
    ("POST", "/voor-mij/gelezen"): E("own"),
    ("GET", "/mijn-acties"): E("read"),
    ("GET", "/mijn-acties/agenda"): E("own"),
    ("POST", "/mijn-acties/agenda"): E("own"),
    ("GET", "/teams/{team_id}/agenda"): E("read"),
    # a link to a team's calendar feed: only its members make one, not even an admin
    ("POST", "/teams/{team_id}/agenda"): E("nobody"),
    ("GET", "/overzicht"): E("read"),
    ("POST", "/mijn-acties/{action_id}/status"): E(
        "board", lambda i: {"version": "1", "status": "doing"}
    ),
    ("GET", "/teams/{team_id}"): E("read"),
    ("GET", "/teams/{team_id}/periodes/{sprint_id}/afsluiten"): E("read"),
    ("POST", "/teams/{team_id}/periodes/{sprint_id}/afsluiten"): E("board"),
    ("POST", "/teams/{team_id}/volgende-periode"): E("board"),
    ("GET", "/teams/{team_id}/rijen/{lane}"): E("read"),
    ("GET", "/teams/{team_id}/teams"): E("read"),
    ("GET", "/teams/{team_id}/knelpunten"): E("read"),
    ("POST", "/teams/{team_id}/acties"): E(
        "board", lambda i: {"title": "Ingebroken", "owner_id": str(i.user)}
    ),
    ("POST", "/teams/{team_id}/knelpunten/{escalation_id}/oplossen"): E(
        "escalation", lambda i: {"resolution": "Opgelost"}, team_id="parent"
    ),
    ("POST", "/teams/{team_id}/knelpunten/{escalation_id}/eigenaar"): E(
        "escalation", lambda i: {"owner_id": ""}, team_id="parent"
    ),
    ("POST", "/teams/{team_id}/knelpunten/{escalation_id}/gelezen"): E("board"),
    ("GET", "/knelpunten/{escalation_id}"): E("read"),
    ("POST", "/knelpunten/{escalation_id}/eigenaar"): E("escalation", lambda i: {"owner_id": ""}),
    ("POST", "/knelpunten/{escalation_id}/beantwoorden"): E(
        "escalation", lambda i: {"resolution": "Opgelost"}
    ),
    ("POST", "/knelpunten/{escalation_id}/doorsturen"): E(
        "escalation", lambda i: {"note": "Verder omhoog"}
    ),
    ("POST", "/knelpunten/{escalation_id}/gelezen"): E("board"),
    ("GET", "/teams/{team_id}/acties/{action_id}/kaart"): E("read"),
    ("GET", "/teams/{team_id}/acties/{action_id}/opschalen"): E("board"),
    ("GET", "/teams/{team_id}/acties/{action_id}/verwijderen"): E("board"),
    ("GET", "/teams/{team_id}/acties/{action_id}/bewerken"): E("board"),
    ("GET", "/teams/{team_id}/acties/{action_id}/menu"): E("board"),
    ("GET", "/teams/{team_id}/acties/{action_id}/blokkeren"): E("board"),
    ("GET", "/teams/{team_id}/acties/{action_id}/verplaatsen"): E("board"),
    ("POST", "/teams/{team_id}/acties/{action_id}"): E(
        "board",
        lambda i: {"version": "1", "title": "Overschreven", "owner_id": str(i.user)},
    ),
    ("POST", "/teams/{team_id}/acties/{action_id}/verplaatsen"): E(
        "board", lambda i: {"version": "1", "status": "doing"}
    ),
    ("POST", "/teams/{team_id}/acties/{action_id}/verwijderen"): E(
        "board", lambda i: {"version": "1"}
    ),
    ("POST", "/teams/{team_id}/acties/{action_id}/opschalen"): E(
        "board", lambda i: {"note": "Ingebroken"}
    ),
    ("GET", "/teams/{team_id}/acties/{action_id}"): E("read"),
    ("POST", "/teams/{team_id}/acties/{action_id}/reacties"): E(
        "board", lambda i: {"body": "Ingebroken"}
    ),
    ("GET", "/teams/{team_id}/acties/{action_id}/reacties"): E("read"),
    ("GET", "/teams/{team_id}/importeren"): E("board"),
    ("POST", "/teams/{team_id}/importeren"): E("board"),
    ("GET", "/teams/{team_id}/staand-overleg"): E("read"),
    ("GET", "/teams/{team_id}/staand-overleg/aanwezig"): E("read"),
    ("GET", "/teams/{team_id}/evaluatie"): E("read"),
    ("POST", "/teams/{team_id}/evaluatie"): E("board", lambda i: {"goes_well": "Ingebroken"}),
    ("GET", "/teams/{team_id}/evaluaties"): E("read"),
    ("GET", "/teams/{team_id}/in-het-licht"): E("read"),
    ("GET", "/ambities/{ambition_id}/in-het-licht"): E("read"),
    ("GET", "/teams/{team_id}/staand-overleg/verslag"): E("escalation", team_id="parent"),
    ("POST", "/teams/{team_id}/staand-overleg/verslagen"): E(
        "escalation", lambda i: {"notes": "Ingebroken"}, team_id="parent"
    ),
    ("GET", "/teams/{team_id}/staand-overleg/verslagen"): E("read"),
    ("GET", "/teams/{team_id}/staand-overleg/verslagen/{standup_id}"): E("read", team_id="parent"),
    ("GET", "/ambities"): E("read"),
    ("GET", "/stand-van-zaken"): E("read"),
    ("GET", "/ambities/{ambition_id}"): E("read"),
    ("GET", "/ambities/{ambition_id}/deel/{part}"): E("read"),
    ("GET", "/ambities/{ambition_id}/indicatoren/{indicator_id}/metingen"): E(
        "read", indicator_id="indicator"
    ),
    ("POST", "/ambities/{ambition_id}"): E(
        "ambition", lambda i: {"title": "Overgenomen", "intent": "", "status": "active"}
    ),
    ("POST", "/ambities/{ambition_id}/doelen"): E("ambition", lambda i: {"title": "Doel"}),
    ("POST", "/ambities/{ambition_id}/doelen/{goal_id}/behaald"): E(
        "ambition", lambda i: {"is_done": "true"}, goal_id="goal"
    ),
    ("POST", "/ambities/{ambition_id}/indicatoren"): E(
        "ambition", lambda i: {"name": "Ingebroken", "target": "1", "direction": "up"}
    ),
    ("POST", "/ambities/{ambition_id}/indicatoren/{indicator_id}/verwijderen"): E(
        "ambition", indicator_id="indicator"
    ),
    ("POST", "/ambities/{ambition_id}/indicatoren/{indicator_id}/metingen"): E(
        "ambition", lambda i: {"date": "2026-11-01", "value": "1"}, indicator_id="indicator"
    ),
    ("POST", "/ambities/{ambition_id}/indicatoren/{indicator_id}/csv"): E(
        "ambition", indicator_id="indicator"
    ),
    ("POST", "/ambities/{ambition_id}/indicatoren/{indicator_id}/csv/opslaan"): E(
        "ambition", lambda i: {"csv_text": "2026-11-01;1"}, indicator_id="indicator"
    ),
    ("GET", "/beheer"): E("admin"),
    ("GET", "/beheer/gemeenten"): E("admin"),
    ("POST", "/beheer/gemeenten"): E("admin", lambda i: {"name": "Nieuwe gemeente"}),
    ("POST", "/beheer/gemeenten/{location_id}/inleverdagen"): E(
        "admin", lambda i: {"deadline_lead_days": "7"}, location_id="location"
    ),
    ("GET", "/beheer/vergaderingen"): E("admin"),
    ("POST", "/beheer/vergaderingen"): E(
        "admin",
        lambda i: {"location_id": str(i.location), "body": "college", "date": "2026-12-01"},
    ),
    ("POST", "/beheer/vergaderingen/{meeting_id}/verwijderen"): E("admin", meeting_id="meeting"),
    ("GET", "/beheer/medewerkers"): E("admin"),
    ("POST", "/beheer/medewerkers"): E(
        "admin", lambda i: {"email": "nieuw@example.org", "name": "Nieuwe Medewerker"}
    ),
    ("GET", "/beheer/medewerkers/{user_id}"): E("admin"),
    ("POST", "/beheer/medewerkers/{user_id}"): E(
        "admin", lambda i: {"email": "vreemde@example.org", "name": "Overgenomen"}
    ),
    ("POST", "/beheer/medewerkers/{user_id}/wachtwoord"): E("admin"),
    ("POST", "/beheer/medewerkers/{user_id}/deactiveren"): E("admin"),
    ("POST", "/beheer/medewerkers/{user_id}/activeren"): E("admin"),
    ("GET", "/beheer/teams"): E("admin"),
    ("POST", "/beheer/teams"): E("admin", lambda i: {"name": "Nieuw team"}),
    ("GET", "/beheer/teams/{team_id}"): E("members"),
    ("POST", "/beheer/teams/{team_id}"): E(
        "admin", lambda i: {"name": "Overgenomen", "description": ""}
    ),
    ("POST", "/beheer/teams/{team_id}/verwijderen"): E("admin"),
    # adding yourself to a team you don't lead, on the page
    ("POST", "/beheer/teams/{team_id}/leden"): E(
        "members", lambda i: {"user_id": str(i.me), "role": "lead"}
    ),
    ("POST", "/beheer/teams/{team_id}/leden/{user_id}"): E("members", lambda i: {"role": "lead"}),
    ("POST", "/beheer/teams/{team_id}/leden/{user_id}/verwijderen"): E("members"),
    ("GET", "/beheer/periodes"): E("admin"),
    ("POST", "/beheer/periodes"): E("admin", lambda i: {"start_date": "2027-06-07"}),
    ("GET", "/beheer/periodes/{sprint_id}/afsluiten"): E("admin"),
    ("POST", "/beheer/periodes/{sprint_id}/afsluiten"): E("admin"),
    ("GET", "/beheer/organisatie"): E("admin"),
    ("POST", "/beheer/organisatie"): E(
        "admin", lambda i: {"sprint_days": "21", "sprint_weekday": "2"}
    ),
    ("GET", "/profiel"): E("own"),
    ("GET", "/profiel/gegevens.json"): E("own"),
    ("POST", "/profiel/taal"): E("own", lambda i: {"locale": "en"}),
    ("POST", "/profiel/e-mail"): E("own", lambda i: {"digest_weekday": "2", "mention_mail": "1"}),
    ("POST", "/profiel/api-sleutels"): E("own", lambda i: {"name": "Mijn sleutel"}),
    ("POST", "/profiel/api-sleutels/{token_id}/intrekken"): E("nobody"),
    # two-factor: each person only ever sets up or switches off their own
    ("GET", "/profiel/tweestapsverificatie"): E("own"),
    ("POST", "/profiel/tweestapsverificatie"): E(
        "own", lambda i: {"secret_token": "onbekend", "code": "123456"}
    ),
    ("POST", "/profiel/tweestapsverificatie/uitzetten"): E("own", lambda i: {"code": "123456"}),
    ("POST", "/profiel/wachtwoord"): E(
        "own",
        lambda i: {
            "current_password": PASSWORD,
            "new_password": "een heel ander wachtwoord 42",
            "repeat_password": "een heel ander wachtwoord 42",
        },
    ),
}

# Foreign ids in the body of a request on the role's *own* objects: each is refused for every
# role but those listed as allowed (admins write on every board), and the refusal changes
# nothing. (method, path with the role's own objects, body, roles that may, refusal statuses)
BODY_CASES: list[tuple[str, str, str, Body, frozenset[str], frozenset[int]]] = [
    (
        "moving an action into another team",
        "PATCH",
        "/api/v1/actions/{own_action}",
        lambda i: {"version": 1, "team_id": i.team},
        frozenset({"admin"}),
        frozenset({403}),
    ),
    (
        "an owner from outside the team (API)",
        "POST",
        "/api/v1/actions",
        lambda i: {"title": "Van een ander", "team_id": i.own_team, "owner_id": i.user},
        frozenset(),
        frozenset({422}),
    ),
    (
        "giving an action an owner from outside the team (API)",
        "PATCH",
        "/api/v1/actions/{own_action}",
        lambda i: {"version": 1, "owner_id": i.user},
        frozenset(),
        frozenset({422}),
    ),
    (
        "linking a goal of another ambition",
        "PATCH",
        "/api/v1/actions/{own_action}",
        lambda i: {"version": 1, "ambition_id": i.own_ambition, "goal_id": i.goal},
        frozenset(),
        frozenset({422}),
    ),
    (
        "handing one's ambition to a team one doesn't lead",
        "PATCH",
        "/api/v1/ambitions/{own_ambition}",
        lambda i: {"owner_team_id": i.team},
        frozenset({"admin"}),
        frozenset({403}),
    ),
    (
        "an owner from outside the team (add form)",
        "POST",
        "/teams/{own_team}/acties",
        lambda i: {"title": "Van een ander", "owner_id": str(i.user)},
        frozenset(),
        frozenset({422}),
    ),
    (
        "an owner from outside the team (edit form)",
        "POST",
        "/teams/{own_team}/acties/{own_action}",
        lambda i: {"version": "1", "title": "Eigen actie", "owner_id": str(i.user)},
        frozenset(),
        frozenset({422}),
    ),
    (
        "another team's action under one's own team (edit form)",
        "POST",
        "/teams/{own_team}/acties/{action}",
        lambda i: {"version": "1", "title": "Overschreven", "owner_id": str(i.me)},
        frozenset(),
        frozenset({403, 404}),
    ),
    (
        "another team's action under one's own team (comment form)",
        "POST",
        "/teams/{own_team}/acties/{action}/reacties",
        lambda i: {"body": "Ingebroken"},
        frozenset(),
        frozenset({403, 404}),
    ),
    (
        "adding a member to a team one doesn't lead (API)",
        "PUT",
        "/api/v1/teams/{team}/members/{user}",
        lambda i: {"role": "lead"},
        frozenset({"admin"}),
        frozenset({403}),
    ),
    (
        "deleting a teammate's action one neither owns nor made (API)",
        "DELETE",
        "/api/v1/actions/{teammate_action}",
        _none,
        frozenset({"lead", "head", "admin"}),
        frozenset({403}),
    ),
    (
        "deleting a teammate's action one neither owns nor made (page)",
        "POST",
        "/teams/{own_team}/acties/{teammate_action}/verwijderen",
        lambda i: {"version": "1"},
        frozenset({"lead", "head", "admin"}),
        frozenset({403}),
    ),
]


# --- the routes of the app -----------------------------------------------------------------


def app_routes(app: FastAPI) -> list[tuple[str, str]]:
    """Every (method, path) the app answers, through FastAPI's included routers."""
    found: list[tuple[str, str]] = []

    def visit(route: Any, path: str) -> None:
        for method in sorted(getattr(route, "methods", None) or ()):
            if method != "HEAD":
                found.append((method, path))

    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:  # FastAPI ≥ 0.160 keeps included routers as one route
            for context in contexts():
                visit(context.original_route, context.path)
        elif getattr(route, "path", None) is not None:
            visit(route, route.path)
    return found


def checked_routes(app: FastAPI) -> list[tuple[str, str]]:
    skipped = ("/static", "/openapi.json", "/docs", "/redoc")
    return [
        (method, path)
        for method, path in app_routes(app)
        if not path.startswith(skipped) and (method, path) not in PUBLIC | STREAMS
    ]


# --- the organisation, one database per role ------------------------------------------------


@dataclass
class RoleWorld:
    role: str
    database: Path
    ids: Ids
    token: str
    cookies: dict[str, str]
    csrf_token: str


def foreign_team(world: World, role: str) -> int:
    team = world.team if role == "outsider" else world.other_team
    assert team.id is not None
    return team.id


def own_team(world: World, role: str) -> int:
    team = {
        "outsider": world.other_team,
        "head": world.team_of_teams,
    }.get(role, world.team)
    assert team.id is not None
    return team.id


def _build(engine: Engine, world: World, role: str, head_token: list[str]) -> Ids:
    """The head of department, and objects of the role's foreign team (every text holding
    SECRET) and of its own team."""
    with Session(writer(engine), expire_on_commit=False) as session:
        admin = access_for(session, world.users["admin"])
        head = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(email="head@example.org", name="Afdelingshoofd", password=PASSWORD),
        ).user
        assert head.id is not None and world.team_of_teams.id is not None
        org.put_member(
            session=session,
            actor=admin,
            team_id=world.team_of_teams.id,
            user_id=head.id,
            role=Role.lead,
        )
        head_token.append(auth.create_token(session=session, user=head, name="test", actor_id=None))
        me = head if role == "head" else world.users[PERSON.get(role, role)]
        assert me.id is not None
        if role == "deputy":
            assert world.team.id is not None
            org.put_member(
                session=session, actor=admin, team_id=world.team.id, user_id=me.id, role=Role.deputy
            )

        team = foreign_team(world, role)
        stranger = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(
                email="vreemde@example.org", name=f"{SECRET} Vreemde", password=PASSWORD
            ),
        ).user
        assert stranger.id is not None
        org.put_member(
            session=session, actor=admin, team_id=team, user_id=stranger.id, role=Role.member
        )
        auth.create_token(session=session, user=stranger, name=f"{SECRET} sleutel", actor_id=None)
        token = session.exec(select(ApiToken).where(ApiToken.user_id == stranger.id)).one()
        ambition = ambitions.create_ambition(
            session=session,
            actor=admin,
            data=AmbitionCreate(
                title=f"{SECRET} ambitie",
                intent=f"{SECRET} bedoeling",
                owner_team_id=team,
                team_ids=[team],
            ),
        )
        assert ambition.id is not None
        goal = ambitions.add_goal(
            session=session,
            actor=admin,
            ambition_id=ambition.id,
            data=GoalCreate(title=f"{SECRET} doel", team_id=team),
        )
        action = actions.create_action(
            session=session,
            actor=admin,
            data=ActionCreate(
                title=f"{SECRET} actie",
                description=f"{SECRET} beschrijving",
                team_id=team,
                owner_id=stranger.id,
                ambition_id=ambition.id,
                goal_id=goal.id,
            ),
            today=TODAY,
        )
        assert action.id is not None
        actions.add_comment(
            session=session,
            actor=admin,
            action_id=action.id,
            data=CommentCreate(body=f"{SECRET} reactie"),
        )
        escalation = escalations.raise_escalation(
            session=session,
            actor=admin,
            action_id=action.id,
            data=EscalationCreate(note=f"{SECRET} knelpunt"),
        )

        mine = own_team(world, role)
        own_ambition = ambitions.create_ambition(
            session=session,
            actor=admin,
            data=AmbitionCreate(title="Eigen ambitie", owner_team_id=mine, team_ids=[mine]),
        )
        assert own_ambition.id is not None
        own_goal = ambitions.add_goal(
            session=session,
            actor=admin,
            ambition_id=own_ambition.id,
            data=GoalCreate(title="Eigen doel"),
        )
        own_action = actions.create_action(
            session=session,
            actor=admin,
            data=ActionCreate(
                title="Eigen actie",
                team_id=mine,
                # an admin is in no team: the action is a member's
                owner_id=world.users["member"].id if role == "admin" else me.id,
            ),
            today=TODAY,
        )
        colleague = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(email="collega@example.org", name="Collega", password=PASSWORD),
        ).user
        assert colleague.id is not None
        org.put_member(
            session=session, actor=admin, team_id=mine, user_id=colleague.id, role=Role.member
        )
        teammate_action = actions.create_action(
            session=session,
            actor=admin,
            data=ActionCreate(title="Actie van een collega", team_id=mine, owner_id=colleague.id),
            today=TODAY,
        )
        assert world.sprint.id is not None
        return Ids(
            me=me.id,
            own_team=mine,
            team=team,
            parent=world.team_of_teams.id,
            action=action.id,
            escalation=escalation.id,  # type: ignore[arg-type]
            ambition=ambition.id,
            goal=goal.id,  # type: ignore[arg-type]
            user=stranger.id,
            token=token.id,  # type: ignore[arg-type]
            sprint=world.sprint.id,
            own_action=own_action.id,  # type: ignore[arg-type]
            own_ambition=own_ambition.id,
            own_goal=own_goal.id,  # type: ignore[arg-type]
            teammate_action=teammate_action.id,  # type: ignore[arg-type]
            **_indicator_and_meeting(session, admin, ambition.id),
            standup=standups.record_standup(
                session=session,
                actor=admin,
                team_id=world.team_of_teams.id,
                data=StandupCreate(notes="Overleg"),
                today=TODAY,
            ).id,  # type: ignore[arg-type]
        )


def _indicator_and_meeting(session: Session, admin: Any, ambition_id: int) -> dict[str, int]:
    """An indicator of the foreign ambition, and a municipality with one council meeting."""
    from datetime import date

    from app.models import IndicatorCreate, LocationCreate, MeetingCreate
    from app.services import indicators, meetings

    indicator = indicators.add_indicator(
        session=session,
        actor=admin,
        ambition_id=ambition_id,
        data=IndicatorCreate(name="Wachttijd", target=30),
    )
    location = org.create_location(
        session=session, actor=admin, data=LocationCreate(name="Vergaderplaats")
    )
    assert location.id is not None
    meeting = meetings.add_meeting(
        session=session,
        actor=admin,
        location_id=location.id,
        data=MeetingCreate(body="council", date=date(2026, 12, 10)),
    )
    return {"indicator": indicator.id, "location": location.id, "meeting": meeting.id}  # type: ignore[dict-item]


class Matrix:
    """One database per role (built once for the module), and a fresh copy for every write."""

    def __init__(self, folder: Path, templates: Templates) -> None:
        self.folder = folder
        self.templates = templates
        self.settings = Settings(data_dir=folder, secret_key="test-secret-key")
        self.worlds: dict[str, RoleWorld] = {}
        self._counter = 0
        self._app: FastAPI | None = None
        self._client: TestClient | None = None

    def app(self, engine: Engine) -> FastAPI:
        """One app for the module (building one costs a third of a second); each request
        points it at the database it is about."""
        if self._app is None:
            self._app = create_app(self.settings, engine=engine)
            self._app.dependency_overrides[deps.get_today] = lambda: TODAY
        self._app.state.engine = engine
        return self._app

    def client(self, engine: Engine) -> TestClient:
        app = self.app(engine)
        if self._client is None:
            self._client = TestClient(app, follow_redirects=False)
            self._client.__enter__()
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.__exit__(None, None, None)

    def engine(self, database: Path) -> Engine:
        engine = create_db_engine(self.settings, url=f"sqlite:///{database}")
        event.listen(engine, "connect", _no_fsync)
        return engine

    def world(self, role: str) -> RoleWorld:
        if role not in self.worlds:
            self.worlds[role] = self._make(role)
        return self.worlds[role]

    def _make(self, role: str) -> RoleWorld:
        database = self.folder / role / "verbeterbord.db"
        _copy(self.templates.world, database)
        engine = self.engine(database)
        try:
            world = _load_world(engine, self.templates.world_ids)
            head_token: list[str] = []
            ids = _build(engine, world, role, head_token)
            person = PERSON.get(role, role)
            email = "head@example.org" if role == "head" else world.users[person].email
            token = head_token[0] if role == "head" else world.tokens[person]
            with TestClient(self.app(engine)) as client:
                answer = client.post(
                    "/login",
                    data={"email": email, "password": PASSWORD, "next": "/"},
                    follow_redirects=False,
                )
                assert answer.status_code == 303, answer.text
                match = re.search(
                    r'<meta name="csrf-token" content="([^"]*)"', client.get("/").text
                )
                assert match
                cookies = dict(client.cookies.items())
        finally:
            engine.dispose()
        return RoleWorld(
            role=role,
            database=database,
            ids=ids,
            token=token,
            cookies=cookies,
            csrf_token=match.group(1),
        )

    def fresh_copy(self, role: str) -> Path:
        self._counter += 1
        target = self.folder / "copies" / f"{role}-{self._counter}.db"
        _copy(self.world(role).database, target)
        return target


@pytest.fixture(scope="module")
def matrix(tmp_path_factory: pytest.TempPathFactory, _templates: Templates) -> Iterator[Matrix]:
    folder = tmp_path_factory.mktemp("permissions")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VERBETERBORD_DATA_DIR", str(folder))
        env.setenv("VERBETERBORD_SECRET_KEY", "test-secret-key")
        env.delenv("VERBETERBORD_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        matrix = Matrix(folder, _templates)
        yield matrix
        matrix.close()
    get_settings.cache_clear()


# --- sending one request --------------------------------------------------------------------


def fill(path: str, ids: Ids, overrides: dict[str, str]) -> str:
    """The path with the foreign team's objects in it (or the role's own, where a case says)."""
    standard = {
        "team_id": "team",
        "action_id": "action",
        "escalation_id": "escalation",
        "ambition_id": "ambition",
        "user_id": "user",
        "token_id": "token",
        "sprint_id": "sprint",
        "standup_id": "standup",
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "lane":
            return f"a{ids.ambition}"
        if name == "part":  # a part of the ambition page
            return "voortgang"
        source = overrides.get(name) or standard.get(name) or name
        return str(getattr(ids, source))

    return re.sub(r"\{(\w+)\}", value, path)


def snapshot(database: Path) -> str:
    """A checksum of every row of every table (the session's last-seen time aside)."""
    digest = hashlib.sha256()
    with sqlite3.connect(database) as connection:
        for table in metadata.sorted_tables:
            columns = [c.name for c in table.columns if c.name != "last_seen_at"]
            quoted = ", ".join(f'"{c}"' for c in columns)
            rows = connection.execute(f'SELECT {quoted} FROM "{table.name}" ORDER BY 1').fetchall()
            digest.update(f"{table.name}:{len(rows)}:{rows!r}".encode())
    connection.close()
    return digest.hexdigest()


@dataclass
class Outcome:
    method: str
    url: str
    status: int
    body: str
    changed: bool | None  # None for reads
    logged: bool


class SecurityRecords(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def refusal_logged(records: list[logging.LogRecord], method: str, url: str) -> bool:
    """Whether the security log holds this refusal: the request, with its status 403."""
    for record in records:
        fields = getattr(record, "security", None) or {}
        if (
            fields.get("status") == 403
            and fields.get("method") == method
            and fields.get("path") == url.split("?")[0]
        ):
            return True
    return False


def send(matrix: Matrix, role: str, method: str, url: str, body: dict[str, Any]) -> Outcome:
    """One request as the role: bearer token for the API, session cookie and CSRF token for
    pages; a write on a fresh copy of the role's database."""
    world = matrix.world(role)
    write = method != "GET"
    database = matrix.fresh_copy(role) if write else world.database
    engine = matrix.engine(database)
    handler = SecurityRecords()
    logger = logging.getLogger(SECURITY_LOGGER)
    logger.addHandler(handler)
    try:
        before = snapshot(database) if write else ""
        client = matrix.client(engine)
        client.cookies.clear()
        if url.startswith("/api/"):
            headers = {"Authorization": f"Bearer {world.token}"}
            answer = client.request(method, url, headers=headers, json=body if write else None)
        else:
            client.cookies.update(world.cookies)
            data = {**body, "csrf_token": world.csrf_token} if write else None
            answer = client.request(method, url, data=data)
        changed = (snapshot(database) != before) if write else None
    finally:
        logger.removeHandler(handler)
        engine.dispose()
    return Outcome(
        method=method,
        url=url,
        status=answer.status_code,
        body=answer.text,
        changed=changed,
        logged=refusal_logged(handler.records, method, url),
    )


@dataclass
class RoleRun:
    routes: dict[tuple[str, str], Outcome]
    body_cases: dict[str, Outcome]


_runs: dict[str, RoleRun] = {}


def run_role(matrix: Matrix, role: str, routes: list[tuple[str, str]]) -> RoleRun:
    if role in _runs:
        return _runs[role]
    ids = matrix.world(role).ids
    outcomes = {}
    for method, path in routes:
        entry = TABLE.get((method, path))
        if entry is None:
            continue
        url = fill(path, ids, entry.path)
        outcomes[(method, path)] = send(matrix, role, method, url, entry.body(ids))
    cases = {}
    for name, method, path, body, _allowed, _statuses in BODY_CASES:
        url = re.sub(r"\{(\w+)\}", lambda m: str(getattr(ids, m.group(1))), path)
        cases[name] = send(matrix, role, method, url, body(ids))
    _runs[role] = RoleRun(outcomes, cases)
    return _runs[role]


@pytest.fixture(scope="module")
def routes() -> list[tuple[str, str]]:
    return checked_routes(create_app(Settings(secret_key="x")))


@pytest.fixture(scope="module", autouse=True)
def _forget_runs() -> Iterator[None]:
    yield
    _runs.clear()


def allowed(entry: Entry, role: str) -> bool:
    return role in RULES[entry.rule]


def refused_ok(outcome: Outcome) -> bool:
    return outcome.status in (403, 404)


def granted_ok(outcome: Outcome) -> bool:
    # allowed: not refused, and no server error (a 409/422 about the data itself is fine)
    return outcome.status not in (401, 403, 404) and outcome.status < 500


# --- the tests ------------------------------------------------------------------------------


def test_every_route_is_in_the_permission_table(routes: list[tuple[str, str]]) -> None:
    missing = [f"{method} {path}" for method, path in routes if (method, path) not in TABLE]
    assert not missing, f"add this route to the permission table: {missing}"
    stale = [f"{m} {p}" for m, p in TABLE if (m, p) not in routes]
    assert not stale, f"the permission table names routes the app no longer has: {stale}"
    for entry in TABLE.values():
        assert entry.rule in RULES


def test_every_route_refuses_a_request_without_login(matrix: Matrix) -> None:
    """Event streams included: without a session or token they answer at once."""
    world = matrix.world("member")
    engine = matrix.engine(world.database)
    client = matrix.client(engine)
    client.cookies.clear()
    every = [
        (m, p)
        for m, p in app_routes(matrix.app(engine))
        if not p.startswith(("/static", "/openapi.json", "/docs", "/redoc"))
        and (m, p) not in PUBLIC
    ]
    wrong = []
    try:
        for method, path in every:
            entry = TABLE.get((method, path), E("read"))
            url = fill(path, world.ids, entry.path)
            answer = client.request(method, url)
            if path.startswith("/api/"):
                ok = answer.status_code == 401
            else:
                ok = answer.status_code == 303 and answer.headers["location"].startswith("/login")
            if not ok:
                wrong.append(f"{method} {url} → {answer.status_code}")
    finally:
        engine.dispose()
    assert not wrong, wrong


@pytest.mark.parametrize("role", ROLES)
def test_each_role_is_let_through_exactly_where_the_table_says(
    matrix: Matrix, routes: list[tuple[str, str]], role: str
) -> None:
    run = run_role(matrix, role, routes)
    wrong = []
    for key, outcome in run.routes.items():
        entry = TABLE[key]
        if allowed(entry, role) and not granted_ok(outcome):
            wrong.append(
                f"{role} should be allowed {outcome.method} {outcome.url}: {outcome.status}"
            )
        if not allowed(entry, role) and not refused_ok(outcome):
            wrong.append(
                f"{role} should be refused {outcome.method} {outcome.url}: {outcome.status}"
            )
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_a_refusal_shows_nothing_of_the_foreign_object_and_changes_nothing(
    matrix: Matrix, routes: list[tuple[str, str]], role: str
) -> None:
    run = run_role(matrix, role, routes)
    wrong = []
    for key, outcome in run.routes.items():
        if allowed(TABLE[key], role):
            continue
        if SECRET in outcome.body:
            wrong.append(f"{outcome.method} {outcome.url} shows the foreign object")
        if outcome.changed:
            wrong.append(f"{outcome.method} {outcome.url} changed the database")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_foreign_ids_in_the_body_are_refused_and_change_nothing(
    matrix: Matrix, routes: list[tuple[str, str]], role: str
) -> None:
    run = run_role(matrix, role, routes)
    wrong = []
    for name, _method, _path, _body, may, statuses in BODY_CASES:
        outcome = run.body_cases[name]
        if role in may:
            if not granted_ok(outcome):
                wrong.append(f"{name}: {role} should be allowed, got {outcome.status}")
            continue
        if outcome.status not in statuses:
            wrong.append(f"{name}: {outcome.status} instead of {sorted(statuses)}")
        if outcome.changed:
            wrong.append(f"{name}: the database changed")
        # the head's own board is the team of teams, which shows the knelpunt the foreign
        # team sent up (with its action's title) by design
        hidden = [
            text
            for text in NOT_ON_OWN_BOARD
            if not (role == "head" and text.endswith(("actie", "knelpunt")))
        ]
        if any(text in outcome.body for text in hidden):
            wrong.append(f"{name}: the answer shows the foreign object")
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_every_refused_write_is_logged(
    matrix: Matrix, routes: list[tuple[str, str]], role: str
) -> None:
    run = run_role(matrix, role, routes)
    refused = [
        outcome for key, outcome in run.routes.items() if key[0] != "GET" and outcome.status == 403
    ] + [outcome for outcome in run.body_cases.values() if outcome.status == 403]
    unlogged = [f"{o.method} {o.url}" for o in refused if not o.logged]
    assert not unlogged, f"no {SECURITY_LOGGER} record with status 403 for: {unlogged}"


def test_a_page_write_after_a_minute_without_requests_is_not_a_503(matrix: Matrix) -> None:
    """Found by this matrix: the once-a-minute "last seen" write of the session waited for the
    write lock its own request held, until the busy timeout, and the form answered 503."""
    world = matrix.world("member")
    database = matrix.fresh_copy("member")
    with sqlite3.connect(database) as connection:
        connection.execute(
            "UPDATE user_session SET last_seen_at = datetime(last_seen_at, '-5 minutes')"
        )
    connection.close()
    engine = matrix.engine(database)
    try:
        client = matrix.client(engine)
        client.cookies.clear()
        client.cookies.update(world.cookies)
        answer = client.post("/profiel/taal", data={"locale": "en", "csrf_token": world.csrf_token})
    finally:
        engine.dispose()
    assert answer.status_code == 303
