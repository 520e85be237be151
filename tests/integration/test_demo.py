"""The demo organisation: seeded through the services, idempotent, and rich enough that every
board, dashboard and history page has something to show."""

from __future__ import annotations

import functools
import re
import sqlite3
from collections import Counter
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Literal

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

import app.demo as demo_package
from app import clock
from app.cli import main
from app.config import Settings, get_settings
from app.db import create_db_engine, write_session
from app.demo import DEMO_ADMIN_EMAIL, DemoLogin, DemoRefused, DemoResult, counts, seed_demo
from app.demo.content import LOCATIONS
from app.demo.large import LargeScale
from app.demo.small import SmallDemo
from app.domain.due import is_overdue
from app.migrate import migrate_to_head
from app.models import (
    Action,
    ActionCreate,
    Ambition,
    AmbitionTeam,
    AuditEvent,
    Comment,
    Escalation,
    Goal,
    Location,
    Membership,
    Role,
    Sprint,
    SprintReview,
    Team,
    User,
    UserCreate,
)
from app.queries.org import board_member_ids
from app.services import actions, auth, org, sessions, sprints
from app.services.access import access_for

TODAY = date(2026, 11, 25)  # a Wednesday in the sprint of 23 November – 6 December 2026


@pytest.fixture
def database(settings: Settings) -> Iterator[Engine]:
    migrate_to_head()
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, DemoResult]:
    """The small demo seeded once at TODAY, and what seeding answered."""
    folder = tmp_path_factory.mktemp("demo")
    url = f"sqlite:///{folder / 'verbeterbord.db'}"
    migrate_to_head(url)
    engine = create_db_engine(Settings(data_dir=folder), url=url)
    try:
        result = seed_demo(engine=engine, today=TODAY)
    finally:
        engine.dispose()
    return folder / "verbeterbord.db", result


@pytest.fixture
def demo_template(seeded: tuple[Path, DemoResult]) -> Path:
    return seeded[0]


@pytest.fixture
def logins(seeded: tuple[Path, DemoResult]) -> dict[str, DemoLogin]:
    return {login.role: login for login in seeded[1].logins}


@pytest.fixture
def session(settings: Settings, demo_template: Path) -> Iterator[Session]:
    """A session on this test's own copy of the seeded demo."""
    target = settings.data_dir / "verbeterbord.db"
    with sqlite3.connect(demo_template) as source, sqlite3.connect(target) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    engine = create_db_engine(settings)
    with Session(engine) as session:
        yield session
    engine.dispose()


def run_demo(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return CliRunner().invoke(main, ["demo", *args], catch_exceptions=False)


ROLES = ["teamlid", "vertegenwoordiger", "afdelingshoofd", "beheerder"]


def logins_from(output: str) -> dict[str, tuple[str, str]]:
    """role -> (e-mail, password), from the table under "Log in op … als:"."""
    assert re.search(r"^Log in op http://127\.0\.0\.1:8000 als:$", output, re.MULTILINE), output
    rows = re.findall(r"^  (\S+) +(\S+@\S+) +wachtwoord (\S+)$", output, re.MULTILINE)
    assert [role for role, _, _ in rows] == ROLES, output
    return {role: (email, password) for role, email, password in rows}


def user_by_email(engine: Engine, email: str) -> User:
    with Session(engine) as session:
        return session.exec(select(User).where(User.email == email)).one()


def log_in(engine: Engine, settings: Settings, email: str, password: str) -> tuple[str, bool]:
    """Log in through the real login service, as the login page does: (e-mail, is admin)."""
    with Session(engine) as session:
        user = sessions.log_in(
            session=session, settings=settings, email=email, password=password, client="test"
        ).user
        return user.email, user.is_admin


def current_sprint(session: Session) -> Sprint:
    sprint = sprints.find_current(session=session, today=TODAY)
    assert sprint is not None
    return sprint


# --- seeding and idempotency --------------------------------------------------------------
def test_the_demo_prints_four_logins_that_work(
    database: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = run_demo(monkeypatch)

    assert result.exit_code == 0, result.output
    # the team of teams with its four teams, and Schuldhulp below Werk en inkomen (the
    # escalation loop two levels up, app/demo/cycle_escalations.py)
    assert "Demo-organisatie aangemaakt: 3 gemeenten, 6 teams" in result.output
    found = logins_from(result.output)
    assert found["teamlid"][0] == "fatima.elamrani@demo.verbeterbord.nl"
    assert found["beheerder"][0] == DEMO_ADMIN_EMAIL
    for role, (email, password) in found.items():
        assert log_in(database, settings, email, password) == (email, role == "beheerder")


def test_running_the_demo_again_only_renews_the_four_passwords(
    database: Engine, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = run_demo(monkeypatch)
    with Session(database) as session:
        before = counts(session)
        history = session.exec(select(func.count()).select_from(AuditEvent)).one()

    second = run_demo(monkeypatch)

    assert second.exit_code == 0, second.output
    assert "bestond al" in second.output
    with Session(database) as session:
        assert counts(session) == before
        # the only new history is one password change for each login
        assert session.exec(select(func.count()).select_from(AuditEvent)).one() == history + 4
    old, new = logins_from(first.output), logins_from(second.output)
    for role in ROLES:
        (email, old_password), (same_email, new_password) = old[role], new[role]
        assert same_email == email and new_password != old_password, role
        user = user_by_email(database, email)
        assert not auth.verify_password(user.password_hash, old_password), role
        assert log_in(database, settings, email, new_password)[0] == email


def test_the_demo_refuses_a_database_that_holds_another_organisation(
    database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    with write_session(database) as session:
        org.create_user(
            session=session, actor=None, data=UserCreate(email="ann@gemeente.nl", name="Ann")
        )

    result = run_demo(monkeypatch)

    assert result.exit_code == 1
    assert "geen demo-organisatie" in result.output
    with Session(database) as session:
        assert counts(session)["users"] == 1
        assert counts(session)["teams"] == 0


def test_a_demo_that_fails_halfway_leaves_the_database_empty(
    database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fail(self: SmallDemo) -> None:
        raise RuntimeError("stroomstoring")

    monkeypatch.setattr(SmallDemo, "seed_escalations_and_comments", fail)

    with pytest.raises(RuntimeError):
        seed_demo(engine=database, today=TODAY)

    with Session(database) as session:
        assert set(counts(session).values()) == {0}
        assert session.exec(select(AuditEvent)).first() is None


def test_seeding_refuses_rather_than_mixing_into_another_organisation(database: Engine) -> None:
    with write_session(database) as session:
        org.create_user(
            session=session, actor=None, data=UserCreate(email="ann@gemeente.nl", name="Ann")
        )

    with pytest.raises(DemoRefused):
        seed_demo(engine=database, today=TODAY)


# --- what the small demo holds ------------------------------------------------------------
def test_the_demo_is_the_three_municipalities_and_a_team_of_four_teams(
    session: Session,
) -> None:
    teams = session.exec(select(Team)).all()
    heads = [team for team in teams if team.parent_id is None]

    assert (
        sorted(session.exec(select(Location.name)))
        == sorted(LOCATIONS)
        == [
            "Alphen (Alphen-Chaam)",
            "Baarle-Nassau",
            "Rijen (Gilze en Rijen)",
        ]
    )
    assert [team.name for team in heads] == ["Team van teams Sociaal Domein"]
    assert sorted(team.name for team in teams if team.parent_id == heads[0].id) == [
        "Jeugd en gezin",
        "Voordeur",
        "Werk en inkomen",
        "Wonen en zorg",
    ]
    # everyone has a home location, the demo admin too, and every office has people
    assert session.exec(select(User).where(col(User.location_id).is_(None))).first() is None
    assert len(set(session.exec(select(User.location_id)))) == 3
    assert all(user.email.endswith("@demo.verbeterbord.nl") for user in session.exec(select(User)))


def test_every_team_has_one_lead_one_representative_and_some_members(session: Session) -> None:
    head = session.exec(select(Team).where(col(Team.parent_id).is_(None))).one()
    for team in session.exec(select(Team).where(Team.parent_id == head.id)):
        roles = Counter(
            session.exec(select(Membership.role).where(Membership.team_id == team.id)).all()
        )
        assert roles[Role.representative] == 1, team.name
        assert roles[Role.lead] == 1, team.name
        assert 3 <= sum(roles.values()) <= 5, team.name


def test_the_department_head_leads_the_team_of_teams_and_is_no_admin(session: Session) -> None:
    head = session.exec(select(Team).where(col(Team.parent_id).is_(None))).one()
    lead = session.exec(
        select(User)
        .join(Membership, col(Membership.user_id) == User.id)
        .where(Membership.team_id == head.id, Membership.role == Role.lead)
    ).one()

    assert not lead.is_admin
    assert session.exec(select(User).where(col(User.is_admin))).one().email == DEMO_ADMIN_EMAIL


def test_the_four_logins_are_a_member_a_representative_the_department_head_and_the_admin(
    session: Session, logins: dict[str, DemoLogin]
) -> None:
    def roles_of(role: str) -> set[tuple[str, str]]:
        user = session.exec(select(User).where(User.email == logins[role].email)).one()
        found = session.exec(
            select(Team.name, Membership.role)
            .join(Membership, col(Membership.team_id) == Team.id)
            .where(Membership.user_id == user.id)
        ).all()
        return set(found)

    assert list(logins) == ["teamlid", "vertegenwoordiger", "afdelingshoofd", "beheerder"]
    assert roles_of("teamlid") == {("Jeugd en gezin", Role.member)}
    assert roles_of("vertegenwoordiger") == {("Jeugd en gezin", Role.representative)}
    assert roles_of("afdelingshoofd") == {("Team van teams Sociaal Domein", Role.lead)}
    assert logins["beheerder"].email == DEMO_ADMIN_EMAIL
    for login in logins.values():
        user = session.exec(select(User).where(User.email == login.email)).one()
        assert auth.verify_password(user.password_hash, login.password), login.role


def test_four_ambitions_with_intent_horizon_goals_and_teams(session: Session) -> None:
    head = session.exec(select(Team).where(col(Team.parent_id).is_(None))).one()
    ambitions = session.exec(select(Ambition)).all()

    assert len(ambitions) == 4
    for ambition in ambitions:
        goals = session.exec(select(Goal).where(Goal.ambition_id == ambition.id)).all()
        teams = session.exec(
            select(AmbitionTeam).where(AmbitionTeam.ambition_id == ambition.id)
        ).all()
        assert ambition.intent and ambition.horizon and ambition.horizon > TODAY
        assert ambition.owner_team_id == head.id
        assert 2 <= len(goals) <= 3 and all(goal.team_id for goal in goals)
        assert teams


def test_the_current_sprint_has_actions_in_every_status(session: Session) -> None:
    sprint = current_sprint(session)
    statuses = set(session.exec(select(Action.status).where(Action.sprint_id == sprint.id)))

    assert statuses == {"todo", "doing", "done", "blocked"}


def test_every_blocked_action_says_why(session: Session) -> None:
    blocked = session.exec(select(Action).where(Action.status == "blocked")).all()

    assert blocked
    assert all(action.blocked_reason for action in blocked)


def test_the_previous_sprint_is_closed_and_its_open_work_carried_over(session: Session) -> None:
    previous, current = session.exec(select(Sprint).order_by(col(Sprint.start_date))).all()
    carried = session.exec(select(Action).where(col(Action.carried_over) > 0)).all()

    assert previous.closed_at is not None and current.closed_at is None
    assert previous.end_date < TODAY <= current.end_date
    assert carried and all(action.sprint_id == current.id for action in carried)
    # the rollover left only finished work behind, and what a team let go of
    left = session.exec(select(Action.status).where(Action.sprint_id == previous.id)).all()
    assert left and set(left) == {"done", "dropped"}
    # and the history shows the rollover moving each of them
    moves = session.exec(
        select(AuditEvent).where(
            AuditEvent.entity == "action", col(AuditEvent.entity_id).in_([a.id for a in carried])
        )
    ).all()
    assert {a.id for a in carried} <= {
        event.entity_id for event in moves if "carried_over" in event.changes
    }


def test_some_open_actions_are_overdue_and_some_are_not(session: Session) -> None:
    sprint = current_sprint(session)
    open_actions = session.exec(
        select(Action).where(Action.sprint_id == sprint.id, Action.status != "done")
    ).all()
    overdue = [
        a for a in open_actions if is_overdue(status=a.status, due_date=a.due_date, today=TODAY)
    ]

    # carried actions keep the due date they had, so the board shows what slipped
    assert overdue and all(action.carried_over for action in overdue)
    assert len(overdue) < len(open_actions)


def test_there_are_open_and_resolved_escalations_to_the_team_of_teams(session: Session) -> None:
    head = session.exec(select(Team).where(col(Team.parent_id).is_(None))).one()
    found = session.exec(select(Escalation)).all()

    assert {escalation.status for escalation in found} == {"open", "resolved"}
    assert all(escalation.to_team_id == head.id for escalation in found)
    resolved = [escalation for escalation in found if escalation.status == "resolved"]
    assert all(e.resolution and e.resolved_by_id and e.resolved_at for e in resolved)


def test_every_action_is_owned_by_someone_on_its_board(session: Session) -> None:
    for action in session.exec(select(Action)):
        assert action.owner_id in board_member_ids(session, team_id=action.team_id), action.title
        assert (
            action.ambition_id is None
            or action.goal_id is None
            or (
                session.get(Goal, action.goal_id).ambition_id == action.ambition_id  # type: ignore[union-attr]
            )
        )


def test_every_action_and_comment_has_its_history(session: Session) -> None:
    created = set(
        session.exec(
            select(AuditEvent.entity_id).where(
                AuditEvent.entity == "action", AuditEvent.verb == "created"
            )
        )
    )
    comments = session.exec(select(Comment)).all()

    assert set(session.exec(select(Action.id))) == created
    assert comments
    commented = set(
        session.exec(select(AuditEvent.entity_id).where(AuditEvent.entity == "comment"))
    )
    assert {comment.id for comment in comments} == commented


@pytest.mark.parametrize(
    "today",
    [date(2026, 11, 23), date(2026, 12, 6), date(2027, 1, 1)],
    ids=["first day of a sprint", "last day of a sprint", "new year's day"],
)
def test_after_seeding_on_any_day_new_work_lands_in_the_seeded_current_sprint(
    database: Engine, today: date
) -> None:
    seed_demo(engine=database, today=today)

    with write_session(database) as session:
        sprint = sprints.find_current(session=session, today=today)
        assert sprint is not None  # no rollover pending, nothing left to create
        assert sprint.start_date <= today <= sprint.end_date
        admin = session.exec(select(User).where(User.email == DEMO_ADMIN_EMAIL)).one()
        team = session.exec(select(Team).where(Team.name == "Wonen en zorg")).one()
        member = session.exec(
            select(Membership).where(Membership.team_id == team.id, Membership.role == Role.member)
        ).first()
        assert member is not None and team.id is not None
        action = actions.create_action(
            session=session,
            actor=access_for(session, admin),
            data=ActionCreate(title="Nieuw", team_id=team.id, owner_id=member.user_id),
            today=today,
        )
        assert action.sprint_id == sprint.id
        assert len(session.exec(select(Sprint)).all()) == 2


# --- the large demo -----------------------------------------------------------------------
SMALL_LARGE = LargeScale(teams=9, clusters=2, users=40, ambitions=3, past_sprints=3, actions=400)


def test_the_large_demo_builds_a_three_level_tree_with_a_history_of_sprints(
    database: Engine,
) -> None:
    # the benchmark size (40 teams, 10,000 actions) takes too long for the test suite; the
    # same code at a tenth of the size
    result = seed_demo(engine=database, today=TODAY, scale="large", size=SMALL_LARGE)

    assert result.seeded and result.shared_password
    assert result.counts["teams"] == 9 and result.counts["actions"] == 400
    with Session(database) as session:
        parents = dict(session.exec(select(Team.id, Team.parent_id)).all())
        depth = {
            team: 1 + (parent is not None) + (parents.get(parent) is not None)
            for team, parent in parents.items()
        }
        assert Counter(depth.values()) == {1: 1, 2: 2, 3: 6}
        closed = session.exec(select(Sprint).where(col(Sprint.closed_at).is_not(None))).all()
        assert len(closed) == 3
        assert sprints.find_current(session=session, today=TODAY) is not None
        assert session.exec(select(Action).where(col(Action.carried_over) > 1)).first()
        statuses = set(session.exec(select(Action.status)))
        assert statuses == {"todo", "doing", "done", "blocked"}
        created = session.exec(
            select(func.count()).where(AuditEvent.entity == "action", AuditEvent.verb == "created")
        ).one()
        assert created == 400
        for action in session.exec(select(Action)):
            assert action.owner_id in board_member_ids(session, team_id=action.team_id)
        # the four logins have their own password; everyone else has the shared one
        logins = {login.email: login.password for login in result.logins}
        assert len(logins) == 4
        for user in session.exec(select(User)):
            password = logins.get(user.email, result.shared_password)
            assert auth.verify_password(user.password_hash, password), user.email


def test_the_demo_command_at_large_scale_prints_both_passwords(
    database: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        demo_package, "LargeScale", functools.partial(LargeScale, **vars(SMALL_LARGE))
    )

    result = run_demo(monkeypatch, "--scale", "large")

    assert result.exit_code == 0, result.output
    assert "9 teams" in result.output and "400 acties" in result.output
    assert "Alle andere demo-medewerkers hebben wachtwoord" in result.output


# --- PostgreSQL ---------------------------------------------------------------------------
@pytest.mark.parametrize("scale", ["small", "large"])
def test_the_demo_seeds_and_renews_its_password_on_postgresql(
    postgres_url: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    scale: Literal["small", "large"],
) -> None:
    monkeypatch.setenv("VERBETERBORD_DATABASE_URL", postgres_url)
    get_settings.cache_clear()
    migrate_to_head()
    engine = create_db_engine(get_settings())
    try:
        first = seed_demo(engine=engine, today=TODAY, scale=scale, size=SMALL_LARGE)
        again = seed_demo(engine=engine, today=TODAY, scale=scale, size=SMALL_LARGE)

        assert first.seeded and not again.seeded
        with Session(engine) as session:
            assert counts(session) == first.counts
            assert sprints.find_current(session=session, today=TODAY) is not None
            assert session.exec(select(Action).where(col(Action.carried_over) > 0)).first()
        assert [login.role for login in again.logins] == [login.role for login in first.logins]
        for login in again.logins:
            user = user_by_email(engine, login.email)
            assert auth.verify_password(user.password_hash, login.password), login.role
    finally:
        engine.dispose()


def test_one_team_closed_its_own_part_of_the_previous_sprint(session: Session) -> None:
    previous = session.exec(select(Sprint).order_by(col(Sprint.start_date))).first()
    reviews = session.exec(select(SprintReview)).all()
    assert [r.sprint_id for r in reviews] == [previous.id]
    dropped = session.exec(select(Action).where(Action.status == "dropped")).one()
    assert dropped.sprint_id == previous.id and dropped.drop_reason
    assert dropped.team_id == reviews[0].team_id


def test_the_demo_member_finds_a_mention_under_voor_mij(session: Session) -> None:
    from app.models import Mention

    fatima = session.exec(select(User).where(User.name == "Fatima El Amrani")).one()
    mentions = session.exec(select(Mention).where(Mention.user_id == fatima.id)).all()
    assert len(mentions) == 1 and mentions[0].seen_at is None
    assert mentions[0].comment_id is not None
