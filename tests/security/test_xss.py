"""Injection and XSS: every text a user can type goes through every page, partial, API answer,
live event and export that shows it, and comes out as text, never as markup.

Descriptions are plain text everywhere (no markdown filter in any template), so there is no
HTML to sanitise and no need for nh3.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import deps
from app.api import events as api_events
from app.config import Settings
from app.db import writer
from app.main import create_app
from app.models import (
    ActionCreate,
    ActionStatus,
    AmbitionCreate,
    CommentCreate,
    EscalationCreate,
    EscalationResolve,
    EvaluationWrite,
    GoalCreate,
    IndicatorCreate,
    LocationCreate,
    MeasurementCreate,
    MeetingCreate,
    Role,
    StandupCreate,
    StandupDecisionWrite,
    TeamCreate,
    UserCreate,
)
from app.services import (
    actions,
    ambitions,
    auth,
    escalations,
    evaluations,
    indicators,
    meetings,
    org,
    standups,
)
from app.services.access import access_for
from app.web.boards import live
from app.web.templating import TEMPLATES_DIR, templates
from tests.conftest import TODAY
from tests.support.builders import PASSWORD, World

PAYLOADS = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<meta http-equiv="refresh" content="0;url=https://example.org">',
    '"><svg onload=alert(1)>',
    "' autofocus onfocus=alert(1) x='",
    "javascript:alert(1)",
    "{{7*7}}",
)

STREAMS = {
    "/api/v1/events",
    "/teams/{team_id}/live",
    "/mijn-acties/live",
    "/ambities/{ambition_id}/live",
}
# the calendar feed answers only its secret (tests/web/test_feeds.py: a payload stays text)
PUBLIC = {
    "/login",
    "/logout",
    "/login/code",  # the second step of a password login
    "/login/organisatie",  # off to the identity provider and back (single sign-on)
    "/login/organisatie/terug",
    "/toegankelijkheid",
    "/agenda/{secret}.ics",
    "/sw.js",
}


@dataclass
class Planted:
    """Where the payloads went."""

    teams: list[int]
    actions: list[int]
    ambitions: list[int]
    users: list[int]
    payload_users: list[str]  # e-mail addresses, to log in as one
    escalations: list[int] = field(default_factory=list)
    indicators: list[int] = field(default_factory=list)
    locations: list[int] = field(default_factory=list)
    standups: list[int] = field(default_factory=list)


def plant(world: World) -> Planted:
    """Every user-supplied text field, once per payload, through the services."""
    with Session(writer(world.engine), expire_on_commit=False) as session:
        admin = access_for(session, world.users["admin"])
        team_id, parent_id = world.team.id, world.team_of_teams.id
        assert team_id is not None and parent_id is not None
        planted = Planted([], [], [], [], [])
        for number, payload in enumerate(PAYLOADS):
            location = org.create_location(
                session=session, actor=admin, data=LocationCreate(name=payload)
            )
            email = f"xss{number}@example.org"
            user = org.create_user(
                session=session,
                actor=admin,
                data=UserCreate(
                    email=email, name=payload, password=PASSWORD, location_id=location.id
                ),
            ).user
            assert user.id is not None
            org.put_member(
                session=session, actor=admin, team_id=team_id, user_id=user.id, role=Role.member
            )
            auth.create_token(session=session, user=user, name=payload, actor_id=None)
            team = org.create_team(
                session=session,
                actor=admin,
                data=TeamCreate(name=payload, description=payload, parent_id=parent_id),
            )
            ambition = ambitions.create_ambition(
                session=session,
                actor=admin,
                data=AmbitionCreate(
                    title=payload, intent=payload, owner_team_id=team_id, team_ids=[team_id]
                ),
            )
            assert ambition.id is not None
            goal = ambitions.add_goal(
                session=session,
                actor=admin,
                ambition_id=ambition.id,
                data=GoalCreate(title=payload, team_id=team_id),
            )
            member_id = world.users["member"].id
            for status, owner in ((ActionStatus.blocked, member_id), (ActionStatus.todo, user.id)):
                action = actions.create_action(
                    session=session,
                    actor=admin,
                    data=ActionCreate(
                        title=payload,
                        description=payload,
                        team_id=team_id,
                        owner_id=owner,
                        ambition_id=ambition.id,
                        goal_id=goal.id,
                        status=status,
                        blocked_reason=payload if status == ActionStatus.blocked else None,
                        due_date=TODAY,
                    ),
                    today=TODAY,
                )
                assert action.id is not None
                actions.add_comment(
                    session=session,
                    actor=admin,
                    action_id=action.id,
                    data=CommentCreate(body=payload),
                )
                if status == ActionStatus.todo:
                    # mentions: the payload user named in a comment (a link with their name) and
                    # naming the admin (Voor mij shows them as its author)
                    actions.add_comment(
                        session=session,
                        actor=admin,
                        action_id=action.id,
                        data=CommentCreate(body=f"{payload} @{payload}, {payload}"),
                    )
                    actions.add_comment(
                        session=session,
                        actor=access_for(session, user),
                        action_id=action.id,
                        data=CommentCreate(body=f"@Ada Beheer {payload}"),
                    )
                escalation = escalations.raise_escalation(
                    session=session,
                    actor=admin,
                    action_id=action.id,
                    data=EscalationCreate(note=payload),
                )
                if status == ActionStatus.todo:
                    assert escalation.id is not None
                    escalations.resolve_escalation(
                        session=session,
                        actor=admin,
                        escalation_id=escalation.id,
                        data=EscalationResolve(resolution=payload),
                    )
                assert escalation.id is not None
                planted.escalations.append(escalation.id)
                planted.actions.append(action.id)
            assert team.id is not None and location.id is not None
            evaluations.save_evaluation(
                session=session,
                actor=admin,
                team_id=team.id,
                sprint_id=world.sprint.id,
                data=EvaluationWrite(
                    goes_well=payload,
                    vulnerable=payload,
                    notably_absent=payload,
                    highlights=payload,
                ),
                today=TODAY,
            )
            indicator = indicators.add_indicator(
                session=session,
                actor=admin,
                ambition_id=ambition.id,
                data=IndicatorCreate(name=payload, unit=payload[:30], target=10),
            )
            assert indicator.id is not None
            indicators.add_measurement(
                session=session,
                actor=admin,
                indicator_id=indicator.id,
                data=MeasurementCreate(date=TODAY, value=7, note=payload),
            )
            meetings.add_meeting(
                session=session,
                actor=admin,
                location_id=location.id,
                data=MeetingCreate(body="council", date=TODAY, title=payload),
            )
            standup = standups.record_standup(
                session=session,
                actor=admin,
                team_id=parent_id,
                data=StandupCreate(
                    held_on=TODAY,
                    notes=payload,
                    decisions=[StandupDecisionWrite(text=payload)],
                ),
                today=TODAY,
            )
            assert standup.id is not None
            planted.indicators.append(indicator.id)
            planted.locations.append(location.id)
            planted.standups.append(standup.id)
            planted.teams.append(team.id)
            planted.ambitions.append(ambition.id)
            planted.users.append(user.id)
            planted.payload_users.append(email)
        return planted


# --- what must never be in an HTML answer ---------------------------------------------------


class Markup(HTMLParser):
    """The tags and attributes a browser would build from the page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = {name for name, _ in attrs}
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>: an inline event handler")
            if name in ("href", "src", "action", "formaction") and value.startswith("javascript:"):
                self.problems.append(f'<{tag} {name}="javascript:…">')
        if tag == "meta" and "http-equiv" in names:
            self.problems.append("<meta http-equiv>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img> from a payload")
        if "autofocus" in names and "x" in names:
            self.problems.append(f"<{tag}> broken out of its attribute")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(1)" in data:
            self.problems.append("<script> with a payload")


def html_problems(body: str) -> list[str]:
    parser = Markup()
    parser.feed(body)
    parser.close()
    problems = parser.problems
    for raw in ("<script>alert(1)", "<img src=x", "<svg onload", "<meta http-equiv"):
        if raw in body:
            problems.append(f"unescaped {raw!r}")
    if re.search(r"""href\s*=\s*["']?\s*javascript:""", body, re.IGNORECASE):
        problems.append("href=javascript:")
    return problems


# --- the app, the payloads and the pages ----------------------------------------------------


@pytest.fixture
def planted_app(
    sqlite_engine, settings: Settings, world: World
) -> Iterator[tuple[TestClient, Planted]]:
    planted = plant(world)
    app = create_app(settings, engine=sqlite_engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    with TestClient(app, follow_redirects=False) as client:
        yield client, planted


def log_in(client: TestClient, email: str) -> None:
    client.cookies.clear()
    answer = client.post("/login", data={"email": email, "password": PASSWORD, "next": "/"})
    assert answer.status_code == 303, answer.text


def get_routes(client: TestClient) -> list[str]:
    from tests.security.test_route_permissions import app_routes

    return sorted(
        {
            path
            for method, path in app_routes(client.app)  # type: ignore[arg-type]
            if method == "GET"
            and not path.startswith(("/static", "/openapi.json", "/docs", "/redoc"))
            and path not in STREAMS | PUBLIC
        }
    )


DOWNLOADS = (
    "text/csv",
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def urls_for(path: str, world: World, planted: Planted) -> list[str]:
    """The path with every object holding a payload in it (and the teams they live on)."""
    names = re.findall(r"\{(\w+)\}", path)
    if "action_id" in names or "lane" in names:
        teams = [world.team.id]  # every payload action (and ambition row) is on world.team
    else:
        teams = [world.team.id, world.team_of_teams.id, *planted.teams]
    choices = {
        "team_id": teams,
        "action_id": planted.actions,
        "ambition_id": planted.ambitions,
        "sprint_id": [world.sprint.id],
        "lane": [f"a{ambition}" for ambition in planted.ambitions],
        "user_id": planted.users,
        "escalation_id": planted.escalations,
        "indicator_id": planted.indicators,
        "location_id": planted.locations,
        "standup_id": planted.standups,
        "part": ["doelen", "knelpunten", "voortgang"],
    }
    urls = []
    for values in itertools.product(*(choices[name] for name in names)):
        url = path
        for name, value in zip(names, values, strict=True):
            url = url.replace("{" + name + "}", str(value))
        urls.append(url)
    return urls


def check_pages(client: TestClient, world: World, planted: Planted) -> tuple[int, list[str]]:
    """Fetch every GET route (and for pages, the HTMX partial too); what went wrong."""
    wrong: list[str] = []
    shown = 0
    for path in get_routes(client):
        for url in urls_for(path, world, planted):
            # the two boards also answer HTMX with their partials (the card partials are the
            # same whatever asks)
            boards = (f"/teams/{world.team.id}", f"/teams/{world.team_of_teams.id}")
            partials = (url.startswith(boards) and "/acties/" not in url) or url.startswith(
                "/ambities/"
            )
            variants = [{}, {"HX-Request": "true"}] if partials else [{}]
            for headers in variants:
                answer = client.get(url, headers=headers)
                assert answer.status_code < 500, f"{url}: {answer.status_code}"
                kind = answer.headers.get("content-type", "")
                if answer.status_code >= 300:
                    continue
                if "{{7*7}}" in answer.text:
                    shown += 1
                if kind.startswith("application/json"):
                    # JSON is data, not markup: it must never be served as HTML
                    assert answer.headers.get("x-content-type-options") == "nosniff", url
                    json.loads(answer.text)
                    continue
                if kind.startswith(DOWNLOADS):
                    # a report: saved as a file, never shown (or sniffed) as a page
                    disposition = answer.headers.get("content-disposition", "")
                    assert disposition.startswith("attachment"), url
                    assert answer.headers.get("x-content-type-options") == "nosniff", url
                    continue
                assert kind.startswith("text/html"), f"{url}: {kind}"
                wrong += [f"{url} {headers}: {problem}" for problem in html_problems(answer.text)]
    return shown, wrong


def test_every_payload_is_text_on_every_page_for_an_admin(planted_app, world: World) -> None:
    client, planted = planted_app
    log_in(client, world.users["admin"].email)
    shown, wrong = check_pages(client, world, planted)
    assert not wrong, "\n".join(wrong)
    assert shown > 50  # the payloads did reach the pages (and {{7*7}} stayed itself)


def test_every_payload_is_text_on_every_page_for_a_member(planted_app, world: World) -> None:
    client, planted = planted_app
    log_in(client, world.users["member"].email)
    answer = client.get("/mijn-acties")
    assert answer.text.count("{{7*7}}") >= 2  # title and blocked reason
    wrong = []
    team = world.team.id
    for url in ("/", "/mijn-acties", f"/teams/{team}", f"/teams/{world.team_of_teams.id}"):
        for headers in ({}, {"HX-Request": "true"}):
            answer = client.get(url, headers=headers)
            assert answer.status_code == 200, url
            wrong += [f"{url}: {problem}" for problem in html_problems(answer.text)]
    for action in planted.actions:
        for part in ("", "/kaart", "/bewerken", "/opschalen", "/verwijderen", "/reacties"):
            url = f"/teams/{team}/acties/{action}{part}"
            answer = client.get(url, headers={"HX-Request": "true"})
            assert answer.status_code == 200, url
            wrong += [f"{url}: {problem}" for problem in html_problems(answer.text)]
    assert not wrong, "\n".join(wrong)


def test_the_payload_user_sees_their_own_name_profile_and_data_export_as_text(
    planted_app, world: World
) -> None:
    client, planted = planted_app
    for email in planted.payload_users:
        log_in(client, email)
        for url in ("/", "/profiel", "/mijn-acties"):
            answer = client.get(url)
            assert answer.status_code == 200
            assert not html_problems(answer.text), url
        export = client.get("/profiel/gegevens.json")
        if export.status_code != 404:  # the AVG export
            assert export.headers["content-type"].startswith("application/json")
            assert export.headers.get("x-content-type-options") == "nosniff"
            json.loads(export.text)


def test_the_live_streams_carry_ids_never_text(planted_app, world: World) -> None:
    """The data lines of /api/v1/events and of the pages' live streams, for every change the
    payloads made: small JSON objects of ids and types, no user text."""
    changes = api_events.missed_since(world.engine, 0, None)
    assert len(changes) > len(PAYLOADS) * 5
    for change in changes:
        for line in (api_events.format_event(change), live.format_event("kaart", change)):
            data = [part for part in line.splitlines() if part.startswith("data: ")]
            assert len(data) == 1
            fields = json.loads(data[0].removeprefix("data: "))
            assert set(fields) <= {"type", "id", "team_id", "version"}
            assert all(
                value is None or isinstance(value, int)
                for key, value in fields.items()
                if key != "type"
            )
            assert re.fullmatch(r"[a-z_]+\.(created|updated|deleted)", fields["type"])


def test_the_check_finds_every_payload_when_it_is_not_escaped() -> None:
    for payload in PAYLOADS[:5]:
        unescaped = f"<p title=\"{payload}\">{payload}</p><p title='{payload}'></p>"
        assert html_problems(unescaped), payload
    assert html_problems('<a href="javascript:alert(1)">x</a>')


def test_every_template_is_autoescaped_whatever_its_extension() -> None:
    env = templates.env
    names = [
        str(path.relative_to(TEMPLATES_DIR)) for path in TEMPLATES_DIR.rglob("*") if path.is_file()
    ]
    assert names
    for name in [*names, "any.txt", "any.svg", "any.xml", "any.ics", "any"]:
        escaping = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        assert escaping is True, name
    rendered = env.from_string("{{ value }}").render(value=PAYLOADS[0])
    assert rendered == "&lt;script&gt;alert(1)&lt;/script&gt;"


def test_no_template_marks_text_as_safe_or_renders_markdown() -> None:
    for path in Path(TEMPLATES_DIR).rglob("*"):
        if path.is_file():
            text = path.read_text()
            assert "|safe" not in text.replace(" ", ""), path
            assert "autoescape false" not in text, path
            assert "markdown" not in text.lower(), path
