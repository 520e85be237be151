"""Dates the Dutch way, in one style (the year only when it is not this year's), the due date
called streefdatum everywhere, and an unusual streefdatum asked about once before it is saved."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest

from app import clock
from app.web import i18n
from tests.conftest import TODAY
from tests.support.builders import World
from tests.web.board_support import add_action, card_html, fetch

ASK_PAST = "Deze datum ligt in het verleden. Klopt dat?"
ASK_FAR = "Deze datum ligt meer dan twee jaar vooruit. Klopt dat?"
MEANT = "Ja, deze datum klopt"


@pytest.fixture(autouse=True)
def this_year_is_the_tests_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)  # 25 November 2026


@pytest.fixture
def english() -> Iterator[None]:
    token = i18n.current_locale.set("en")
    yield
    i18n.current_locale.reset(token)


# --- one style ---------------------------------------------------------------------------------


def test_a_day_this_year_has_no_year_and_another_year_has_one():
    assert i18n.short_date(date(2026, 12, 2)) == "wo 2 dec."
    assert i18n.short_date(date(2027, 12, 2)) == "do 2 dec. 2027"
    assert i18n.short_date(date(2025, 3, 1)) == "za 1 mrt. 2025"
    assert i18n.short_date(None) == ""


def test_a_moment_is_day_and_time_in_the_netherlands():
    assert i18n.date_time(datetime(2026, 12, 2, 13, 15, tzinfo=UTC)) == "2 dec. 14:15"
    assert i18n.date_time(datetime(2025, 6, 2, 12, 0, tzinfo=UTC)) == "2 jun. 2025 14:00"


def test_a_moment_in_a_time_element_is_iso_in_utc_to_the_second():
    # HTML allows at most three digits of a second (the Nu HTML Checker refuses Python's six)
    moment = datetime(2026, 12, 2, 13, 15, 7, 985770, tzinfo=UTC)
    assert i18n.iso_datetime(moment) == "2026-12-02T13:15:07+00:00"
    assert i18n.iso_datetime(moment.replace(tzinfo=None)) == "2026-12-02T13:15:07+00:00"
    assert i18n.iso_datetime(None) == ""


def test_english_follows_the_same_rule_with_english_names(english):
    assert i18n.short_date(date(2026, 12, 2)) == "Wed 2 Dec"
    assert i18n.short_date(date(2027, 12, 2)) == "Thu 2 Dec 2027"
    assert i18n.date_time(datetime(2026, 12, 2, 13, 15, tzinfo=UTC)) == "2 Dec 14:15"


# --- streefdatum on the pages ------------------------------------------------------------------


def test_a_card_says_streefdatum_with_the_year_when_it_is_another_year(login, world: World):
    late = add_action(world, title="Oud werk", due_date=date(2025, 1, 1))
    soon = add_action(world, title="Binnenkort", due_date=date(2026, 12, 2))
    board = login("member").get(f"/teams/{world.team.id}").text
    assert "streefdatum wo 1 jan. 2025 — " in card_html(board, late.id)
    assert "te laat" in card_html(board, late.id)
    assert "streefdatum wo 2 dec." in card_html(board, soon.id)
    assert "klaar op" not in board.lower()


def test_the_action_page_and_mijn_acties_say_streefdatum(login, world: World):
    action = add_action(world, due_date=date(2027, 1, 4), owner_id=world.ids["member"])
    client = login("member")
    page = client.get(f"/teams/{world.team.id}/acties/{action.id}").text
    assert "<dt>Streefdatum</dt><dd>ma 4 jan. 2027</dd>" in page
    mine = client.get("/mijn-acties").text
    assert "Streefdatum" in mine and "ma 4 jan. 2027" in mine and "Klaar op" not in mine


# --- an unusual streefdatum is asked about once ----------------------------------------------


def new_action_form(client, world: World, due: str, **extra: str) -> dict[str, str]:
    return {
        "csrf_token": client.csrf_token,
        "title": "Wijkavond voorbereiden",
        "owner_id": str(world.ids["member"]),
        "due_date": due,
        "doel": "",
        "description": "",
        **extra,
    }


def test_adding_an_action_with_a_past_date_asks_once_and_saves_when_confirmed(login, world: World):
    client = login("member")
    url = f"/teams/{world.team.id}/acties"

    asked = client.htmx("POST", url, data=new_action_form(client, world, "2025-11-20"))
    assert asked.status_code == 422
    assert ASK_PAST in asked.text and MEANT in asked.text
    assert 'name="due_date_ok" value="2025-11-20"' in asked.text
    assert 'value="2025-11-20"' in asked.text  # the date typed stays in the form

    saved = client.post(
        url,
        data=new_action_form(client, world, "2025-11-20", due_date_ok="2025-11-20"),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    board = client.get(f"/teams/{world.team.id}").text
    assert "streefdatum do 20 nov. 2025" in board


def test_a_date_more_than_two_years_ahead_is_asked_about_too(login, world: World):
    client = login("member")
    url = f"/teams/{world.team.id}/acties"
    asked = client.htmx("POST", url, data=new_action_form(client, world, "2029-01-01"))
    assert asked.status_code == 422 and ASK_FAR in asked.text
    # a confirmation of another date does not count for this one
    again = client.htmx(
        "POST", url, data=new_action_form(client, world, "2029-01-01", due_date_ok="2028-12-31")
    )
    assert again.status_code == 422 and ASK_FAR in again.text


def test_usual_dates_and_no_date_are_saved_at_once(login, world: World):
    client = login("member")
    url = f"/teams/{world.team.id}/acties"
    for due in ("", TODAY.isoformat(), "2028-11-25"):
        response = client.post(
            url, data=new_action_form(client, world, due), follow_redirects=False
        )
        assert response.status_code == 303, due


def edit_form(world: World, action_id: int, version: int, due: str, **extra: str):
    return {
        "version": str(version),
        "title": "Bel alle wijkteams",
        "owner_id": str(world.ids["member"]),
        "due_date": due,
        "doel": "",
        "description": "",
        **extra,
    }


def test_editing_asks_about_a_new_past_date_but_not_about_the_one_it_had(login, world: World):
    action = add_action(world, due_date=date(2026, 11, 1))  # already late
    assert action.id is not None
    client = login("member")
    url = f"/teams/{world.team.id}/acties/{action.id}"

    kept = client.htmx("POST", url, data=edit_form(world, action.id, 1, "2026-11-01"))
    assert kept.status_code == 200  # its own date, late or not, is not asked about again

    asked = client.htmx("POST", url, data=edit_form(world, action.id, 2, "2026-10-01"))
    assert asked.status_code == 422 and ASK_PAST in asked.text and MEANT in asked.text
    assert fetch(world, type(action), action.id).due_date == date(2026, 11, 1)

    confirmed = client.htmx(
        "POST", url, data=edit_form(world, action.id, 2, "2026-10-01", due_date_ok="2026-10-01")
    )
    assert confirmed.status_code == 200
    assert fetch(world, type(action), action.id).due_date == date(2026, 10, 1)
