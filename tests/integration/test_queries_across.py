"""The page across teams: what needs attention in every team, its filters and the search over
titles and descriptions (FTS5 on SQLite, Dutch full-text search on PostgreSQL)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session

from app.db import writer
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    Escalation,
    EscalationStatus,
    Location,
    Sprint,
    User,
    utcnow,
)
from app.queries.across import Filters, Overview, across_teams, filter_choices, fts5_query
from tests.support.builders import World
from tests.support.query_counts import counting_statements

LATE = date(2026, 11, 20)  # before TODAY (2026-11-25)


def add(world: World, title: str = "Actie", **fields: Any) -> Action:
    """An action of the member in the current sprint of world.team, stored as it is."""
    fields.setdefault("team_id", world.team.id)
    fields.setdefault("owner_id", world.users["member"].id)
    fields.setdefault("sprint_id", world.sprint.id)
    if fields.get("status") == ActionStatus.blocked:
        fields.setdefault("blocked_reason", "Wacht op budget")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        action = Action(title=title, **fields)
        session.add(action)
        session.commit()
        return action


def escalate(world: World, action: Action, *, status: str = EscalationStatus.open) -> Escalation:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        escalation = Escalation(
            action_id=action.id,
            from_team_id=action.team_id,
            to_team_id=world.team_of_teams.id,
            note="Besluit nodig",
            status=status,
            raised_by_id=world.users["member"].id,
        )
        session.add(escalation)
        session.commit()
        return escalation


def overview(world: World, **filters: Any) -> Overview:
    with Session(world.engine) as session:
        assert world.sprint.id is not None
        return across_teams(
            session, sprint_id=world.sprint.id, today=world.today, filters=Filters(**filters)
        )


def titles(world: World, **filters: Any) -> list[str]:
    return [item.action.title for item in overview(world, **filters).items]


def test_blocked_escalated_and_late_actions_of_every_team_are_listed_and_nothing_else(
    world: World,
):
    add(world, "Geblokkeerd", status=ActionStatus.blocked)
    add(world, "Te laat", status=ActionStatus.doing, due_date=LATE, team_id=world.other_team.id)
    escalate(world, add(world, "Opgeschaald", status=ActionStatus.todo))
    escalate(world, add(world, "Knelpunt opgelost"), status=EscalationStatus.resolved)
    add(world, "Gewoon bezig", status=ActionStatus.doing)
    add(world, "Klaar en te laat", status=ActionStatus.done, due_date=LATE)
    add(world, "Nog niet te laat", due_date=world.today)

    found = overview(world)

    assert [item.action.title for item in found.items] == [
        "Te laat",  # by due date first, then the ones without a date by team and id
        "Geblokkeerd",
        "Opgeschaald",
    ]
    late, blocked, escalated = found.items
    assert (late.is_overdue, late.is_blocked, late.escalations) == (True, False, [])
    assert late.team.name == "Werk" and late.owner.name == "Member"
    assert (blocked.is_blocked, blocked.is_overdue) == (True, False)
    assert [e.escalation.note for e in escalated.escalations] == ["Besluit nodig"]
    assert escalated.escalations[0].to_team.name == "Team van teams"
    assert not found.more


def test_late_actions_of_an_earlier_open_sprint_count_but_not_those_of_a_closed_one(
    world: World,
):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        still_open = Sprint(start_date=date(2026, 11, 9), end_date=date(2026, 11, 22))
        closed = Sprint(
            start_date=date(2026, 10, 26),
            end_date=date(2026, 11, 8),
            closed_at=utcnow(),
        )
        session.add_all([still_open, closed])
        session.commit()
    add(world, "Uit de vorige periode", sprint_id=still_open.id, due_date=LATE)
    add(world, "Uit een gesloten periode", sprint_id=closed.id, due_date=LATE)
    add(world, "Geblokkeerd in de vorige periode", sprint_id=still_open.id, status="blocked")

    assert titles(world) == ["Uit de vorige periode"]


def test_each_filter_narrows_the_list(world: World):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        north = Location(name="Gemeente Noord")
        ambition = Ambition(title="Iedereen doet mee", owner_team_id=world.team.id)
        session.add_all([north, ambition])
        session.flush()
        outsider = session.get_one(User, world.users["outsider"].id)
        outsider.location_id = north.id
        session.commit()
    add(world, "Van het andere team", status="blocked", team_id=world.other_team.id)
    add(world, "Van de buitenstaander", status="blocked", owner_id=outsider.id)
    add(world, "Bij de ambitie", status="blocked", ambition_id=ambition.id)
    add(world, "Te laat en bezig", status="doing", due_date=LATE)

    assert titles(world, team_id=world.other_team.id) == ["Van het andere team"]
    assert titles(world, owner_id=outsider.id) == ["Van de buitenstaander"]
    assert titles(world, location_id=north.id) == ["Van de buitenstaander"]
    assert titles(world, ambition_id=ambition.id) == ["Bij de ambitie"]
    assert titles(world, status=ActionStatus.doing) == ["Te laat en bezig"]
    assert titles(world, status=ActionStatus.blocked, team_id=world.other_team.id) == [
        "Van het andere team"
    ]
    assert titles(world, status=ActionStatus.todo) == []


def test_the_filter_lists_hold_every_team_person_ambition_and_location_by_name(world: World):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        session.add_all([Location(name="Zuid"), Location(name="Noord")])
        session.commit()
        choices = filter_choices(session)
    assert [team.name for team in choices.teams] == ["Jeugd", "Team van teams", "Werk"]
    assert [location.name for location in choices.locations] == ["Noord", "Zuid"]
    assert len(choices.owners) == len(world.users)


# --- search ----------------------------------------------------------------------------------


def test_search_finds_words_in_the_title_and_the_description_whatever_their_case(
    engine: Engine, world: World
):
    add(world, "Woningen voor statushouders", status="blocked")
    add(world, "Bel de wijkteams", status="blocked", description="Over de WACHTLIJST jeugdzorg")
    add(world, "Iets anders", status="blocked")

    assert titles(world, search="woningen") == ["Woningen voor statushouders"]
    assert titles(world, search="wachtlijst") == ["Bel de wijkteams"]
    assert titles(world, search="wachtlijst jeugdzorg") == ["Bel de wijkteams"]
    # every word must be found
    assert titles(world, search="wachtlijst woningen") == []


def test_search_finds_plurals_and_ignores_diacritics(engine: Engine, world: World):
    # PostgreSQL stems Dutch; SQLite has no Dutch stemmer, so every word is a prefix there
    add(world, "Woningen voor statushouders", status="blocked")
    add(world, "Vergaderingen plannen", status="blocked")
    add(world, "Rapportage financiën", status="blocked")

    assert titles(world, search="woning") == ["Woningen voor statushouders"]
    assert titles(world, search="vergadering") == ["Vergaderingen plannen"]
    assert titles(world, search="financien") == ["Rapportage financiën"]


def test_dutch_stemming_on_postgresql_also_finds_the_singular_of_a_plural(
    engine: Engine, world: World
):
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no Dutch stemmer: a prefix finds longer words only")
    add(world, "Een nieuwe woning", status="blocked")
    assert titles(world, search="woningen") == ["Een nieuwe woning"]


@pytest.mark.parametrize(
    "typed",
    [
        '"',
        'woning"',
        "woning*",
        "NEAR(woning bel)",
        "title:woning",
        "-woning",
        "woning OR bel",
        "AND",
        "'; DROP TABLE action; --",
        "^woning",
        "{title}: x",
        "(",
        "!!! ???",
        "a" * 200,
    ],
)
def test_search_text_is_never_read_as_query_syntax(engine: Engine, world: World, typed: str):
    add(world, "Woningen voor statushouders", status="blocked")
    overview(world, search=typed)  # no error, whatever was typed
    with Session(world.engine) as session:
        assert session.exec(text("SELECT count(*) FROM action")).one()[0] == 1  # type: ignore[call-overload]


def test_the_fts5_expression_quotes_every_word_as_a_prefix():
    assert fts5_query(["woning", "bel"]) == '"woning"* "bel"*'


def test_the_search_follows_changes_and_deletions(engine: Engine, world: World):
    action = add(world, "Woningen voor statushouders", status="blocked")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        stored = session.get_one(Action, action.id)
        stored.title = "Kamers voor jongeren"
        stored.description = "Met de corporaties"
        session.commit()
    assert titles(world, search="woningen") == []
    assert titles(world, search="kamers") == ["Kamers voor jongeren"]
    assert titles(world, search="corporaties") == ["Kamers voor jongeren"]
    with Session(writer(world.engine), expire_on_commit=False) as session:
        session.delete(session.get_one(Action, action.id))
        session.commit()
    assert titles(world, search="kamers") == []


def test_postgresql_searches_through_the_gin_index(engine: Engine, world: World):
    if engine.dialect.name != "postgresql":
        pytest.skip("the GIN index is PostgreSQL's")
    add(world, "Woningen voor statushouders", status="blocked")
    with engine.connect() as connection:
        connection.execute(text("SET enable_seqscan = off"))
        plan = "\n".join(
            row[0]
            for row in connection.execute(
                text(
                    "EXPLAIN SELECT id FROM action WHERE "
                    "to_tsvector('dutch'::regconfig, (action.title || ' ') || action.description)"
                    " @@ plainto_tsquery('dutch'::regconfig, 'woning')"
                )
            )
        )
    assert "ix_action_search" in plan, plan


# --- a fixed number of queries ------------------------------------------------------------------


def fill(world: World, count: int) -> None:
    """Blocked, late and escalated actions across the three teams, with an ambition each."""
    teams = [world.team.id, world.other_team.id, world.team_of_teams.id]
    owners = [world.users["member"].id, world.users["outsider"].id, world.users["admin"].id]
    with Session(writer(world.engine), expire_on_commit=False) as session:
        ambition = Ambition(title="Iedereen doet mee", owner_team_id=world.team.id)
        location = Location(name=f"Gemeente {count}")
        session.add_all([ambition, location])
        session.flush()
        for user_id in owners:
            session.get_one(User, user_id).location_id = location.id
        made = []
        for number in range(count):
            kind = number % 3
            made.append(
                Action(
                    title=f"Woning {number}",
                    team_id=teams[number % 3],
                    owner_id=owners[number % 3],
                    sprint_id=world.sprint.id,
                    ambition_id=ambition.id,
                    status=ActionStatus.blocked if kind == 0 else ActionStatus.doing,
                    blocked_reason="Wacht" if kind == 0 else None,
                    due_date=LATE if kind == 1 else None,
                )
            )
        session.add_all(made)
        session.flush()
        for action in made[2::3]:
            session.add(
                Escalation(
                    action_id=action.id,
                    from_team_id=action.team_id,
                    to_team_id=world.team_of_teams.id,
                    note="Hulp nodig",
                    raised_by_id=world.users["admin"].id,
                )
            )
        session.commit()


def statements_for_overview(world: World, **filters: Any) -> tuple[int, Overview]:
    with Session(world.engine) as session, counting_statements(world.engine) as statements:
        filter_choices(session)
        assert world.sprint.id is not None
        found = across_teams(
            session, sprint_id=world.sprint.id, today=world.today, filters=Filters(**filters)
        )
        for item in found.items:  # touching what the page shows loads nothing more
            shown = [item.team.name, item.owner.name, item.location, item.ambition]
            shown += [(e.escalation.note, e.to_team.name) for e in item.escalations]
    return len(statements), found


def test_the_overview_loads_in_the_same_number_of_queries_for_5_or_50_actions(
    engine: Engine, world: World
):
    fill(world, 5)
    small, found = statements_for_overview(world)
    small_searched, _ = statements_for_overview(world, search="woning", status="doing")
    assert len(found.items) == 5
    fill(world, 45)
    large, found = statements_for_overview(world)
    large_searched, searched = statements_for_overview(world, search="woning", status="doing")

    assert len(found.items) == 50 and len(searched.items) == 33
    assert sum(1 for item in found.items if item.escalations) == 16
    assert (large, large_searched) == (small, small_searched)
    assert large <= 7, large  # BEGIN, four filter lists, the actions, their escalations


def test_more_than_can_be_shown_says_so(world: World):
    for number in range(4):
        add(world, f"Geblokkeerd {number}", status="blocked")
    with Session(world.engine) as session:
        assert world.sprint.id is not None
        found = across_teams(
            session, sprint_id=world.sprint.id, today=world.today, filters=Filters(), shown=3
        )
    assert len(found.items) == 3 and found.more


def test_an_action_without_a_due_date_is_never_late(world: World):
    add(world, "Zonder datum", status="doing")
    with Session(world.engine) as session:
        assert world.sprint.id is not None
        later = world.today + timedelta(days=7)
        found = across_teams(session, sprint_id=world.sprint.id, today=later, filters=Filters())
    assert found.items == []
