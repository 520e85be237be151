"""An action's history in words: a sentence about the work per change, never field names, and
nothing about a card's place in its column."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from sqlmodel import Session

from app import clock
from app.db import writer
from app.queries.boards import HistoryNames
from app.services import sprints
from app.web.boards import history as words
from app.web.boards.history import Names, sentences
from tests.support.builders import World
from tests.web.board_support import add_action, change_action, section

ANNA, PIET = 1, 2
NAMES = Names(
    HistoryNames(
        users={ANNA: "Anna", PIET: "Piet"},
        ambitions={7: "Zorg dichtbij"},
        goals={8: "Wachtlijst halveren"},
        teams={3: "Wijkteam Noord"},
        sprints={5: (date(2026, 12, 7), date(2026, 12, 20))},
    )
)


@pytest.fixture(autouse=True)
def in_2026(monkeypatch: pytest.MonkeyPatch) -> None:
    # the date style names the year only when it is not this year's
    monkeypatch.setattr(clock, "today", lambda: date(2026, 11, 25))


def told(
    changes: dict[str, list[Any]], actor: int | None = ANNA, verb: str = "updated"
) -> list[str]:
    return sentences(verb, changes, actor, NAMES)


# --- one sentence per kind of change ---------------------------------------------------------


def test_making_and_removing_an_action_name_who_did_it():
    assert told({"title": [None, "Bel"], "position": [None, 0]}, verb="created") == [
        "Anna maakte de actie aan"
    ]
    assert told({}, verb="deleted") == ["Anna haalde de actie van dit bord"]


def test_a_move_to_another_column_names_both_columns():
    assert told({"status": ["todo", "doing"], "position": [2, 0]}) == [
        "Anna verplaatste de actie van Te doen naar Bezig"
    ]
    assert told({"status": ["doing", "done"], "done_at": [None, "2026-11-25T10:00:00"]}) == [
        "Anna verplaatste de actie van Bezig naar Klaar"
    ]


def test_blocking_an_action_gives_the_reason():
    changes = {"status": ["doing", "blocked"], "blocked_reason": [None, "Wacht op IT"]}
    assert told(changes) == ["Anna blokkeerde de actie: Wacht op IT"]
    assert told({"blocked_reason": ["Wacht op IT", "Wacht op de leverancier"]}) == [
        "Anna gaf een nieuwe reden voor de blokkade: Wacht op de leverancier"
    ]


def test_a_new_owner_is_named():
    assert told({"owner_id": [ANNA, PIET]}) == ["Anna gaf de actie aan Piet"]


def test_a_new_title_and_description():
    assert told({"title": ["Bel", "Bel alle wijkteams"]}) == [
        "Anna veranderde de titel in „Bel alle wijkteams”"
    ]
    assert told({"description": ["", "Eerst de lijst"]}) == ["Anna veranderde de beschrijving"]
    assert told({"description": ["Eerst de lijst", ""]}) == ["Anna haalde de beschrijving weg"]


def test_a_streefdatum_in_the_one_date_style():
    assert told({"due_date": [None, "2026-12-03"]}) == ["Anna zette de streefdatum op do 3 dec."]
    assert told({"due_date": [None, "2027-01-04"]}) == [
        "Anna zette de streefdatum op ma 4 jan. 2027"
    ]
    assert told({"due_date": ["2026-12-03", None]}) == ["Anna haalde de streefdatum weg"]


def test_linking_to_an_ambition_or_goal():
    assert told({"ambition_id": [None, 7]}) == [
        "Anna koppelde de actie aan de ambitie „Zorg dichtbij”"
    ]
    assert told({"ambition_id": [None, 7], "goal_id": [None, 8]}) == [
        "Anna koppelde de actie aan het kortetermijndoel „Wachtlijst halveren”"
    ]
    assert told({"ambition_id": [7, None]}) == ["Anna haalde de actie los van haar ambitie"]


def test_a_move_to_another_team_or_sprint():
    assert told({"team_id": [1, 3], "position": [0, 4]}) == [
        "Anna verplaatste de actie naar Wijkteam Noord"
    ]
    assert told({"sprint_id": [4, 5]}) == ["Anna verplaatste de actie naar week 50–51"]


def test_a_carry_over_by_the_rollover_is_told_without_a_name():
    changes = {"sprint_id": [4, 5], "carried_over": [0, 1], "position": [3, 0]}
    assert told(changes, actor=None) == ["De actie is doorgeschoven naar week 50–51"]
    assert told(changes, actor=ANNA) == ["De actie is doorgeschoven naar week 50–51"]


def test_a_change_without_a_known_person_is_told_by_the_system():
    assert told({"title": ["Bel", "Mail"]}, actor=None) == [
        "Het systeem veranderde de titel in „Mail”"
    ]


def test_one_event_with_several_changes_tells_each():
    changes = {"status": ["todo", "doing"], "owner_id": [ANNA, PIET], "position": [1, 0]}
    assert told(changes) == [
        "Anna verplaatste de actie van Te doen naar Bezig",
        "Anna gaf de actie aan Piet",
    ]


def test_a_change_of_place_in_the_column_alone_tells_nothing():
    assert told({"position": [2, 1]}) == []
    # the old board's notice of a move to another team repeats the move itself
    assert told({"team_id": [1, 3]}, verb="deleted") == []


def test_the_sentence_functions_need_no_database():
    assert words.carried("week 50–51") == "De actie is doorgeschoven naar week 50–51"
    assert words.given("Anna", "Piet") == "Anna gaf de actie aan Piet"
    assert words.due_set("Anna", date(2026, 12, 3)) == "Anna zette de streefdatum op do 3 dec."


# --- on the page -----------------------------------------------------------------------------


def test_the_page_tells_the_history_in_sentences_and_hides_reordering(login, world: World):
    first = add_action(world, title="Eerste")
    second = add_action(world, title="Tweede")
    change_action(world, second, who="lead", position=0)
    change_action(world, second, who="lead", title="Bel alle wijkteams")

    text = login("member").get(f"/teams/{world.team.id}/acties/{second.id}").text
    history = section(text, f"geschiedenis-{second.id}")

    assert first.id != second.id
    assert history.count('class="history__entry"') == 2
    assert "Member maakte de actie aan." in history
    assert "Lead veranderde de titel in „Bel alle wijkteams”." in history
    for database_talk in ("Plaats in de kolom", "position", "(leeg)", "→", "werd"):
        assert database_talk not in history


def test_the_page_tells_a_carry_over_in_the_passive(login, world: World):
    action = add_action(world, title="Doorschuiven")
    with Session(writer(world.engine)) as session:
        sprints.close_sprint(
            session=session,
            actor=world.access("admin"),
            sprint_id=action.sprint_id,
            today=world.today,
        )
    text = login("member").get(f"/teams/{world.team.id}/acties/{action.id}").text
    history = section(text, f"geschiedenis-{action.id}")
    assert "De actie is doorgeschoven naar week 50–51." in history
