"""An admin's early close says what it will do before it does it; the organisation's rhythm is
set on its own admin page."""

from __future__ import annotations

from sqlmodel import Session

from app.models import ActionStatus, Organisation
from tests.support.builders import World
from tests.web.board_support import add_action, section


def test_an_early_close_first_says_days_left_actions_teams_next_period_and_boards(
    login, world: World
):
    add_action(world, title="Een")
    add_action(world, title="Twee", status=ActionStatus.doing)
    add_action(world, "outsider", title="Ander team", team_id=world.other_team.id)
    add_action(world, title="Klaar", status=ActionStatus.done)

    page = login("admin").get(f"/beheer/periodes/{world.sprint.id}/afsluiten")

    assert page.status_code == 200
    said = section(page.text, "afsluiten-gevolgen")
    # today is 25 November; the period runs until 6 December
    assert "Deze periode loopt nog 12 dagen, tot en met 6 december 2026." in said
    assert "3 acties zijn nog niet klaar (van 2 teams)." in said
    assert "volgende periode, week 50–51 (ma 7 dec. tot en met zo 20 dec.)" in said
    assert "Periode week 50–51 wordt daarvoor aangemaakt." in said
    assert "De borden tonen deze periode nog tot en met 6 december" in said
    assert "Toch nu afsluiten" in page.text


def test_after_an_early_close_the_message_says_the_boards_keep_the_period(login, world: World):
    add_action(world)
    client = login("admin")
    response = client.post(
        f"/beheer/periodes/{world.sprint.id}/afsluiten", data={"csrf_token": client.csrf_token}
    )
    assert "De borden tonen deze periode nog tot en met 6 december" in response.text
    assert "vroeg afgesloten, loopt nog" in response.text


def test_an_admin_sets_the_rhythm_on_the_organisation_page(login, world: World):
    client = login("admin")
    page = client.get("/beheer/organisatie")
    assert page.status_code == 200
    assert "Nu duurt een periode 14 dagen en begint op maandag." in page.text
    saved = client.post(
        "/beheer/organisatie",
        data={"csrf_token": client.csrf_token, "sprint_days": "21", "sprint_weekday": "2"},
    )
    assert saved.status_code == 200
    assert "Het ritme is opgeslagen." in saved.text
    assert "Nu duurt een periode 21 dagen en begint op woensdag." in saved.text
    with Session(world.engine) as session:
        row = session.get(Organisation, 1)
        assert (row.sprint_days, row.sprint_weekday) == (21, 2)


def test_the_rhythm_form_says_per_field_what_is_wrong(login, world: World):
    client = login("admin")
    refused = client.post(
        "/beheer/organisatie",
        data={"csrf_token": client.csrf_token, "sprint_days": "60", "sprint_weekday": "8"},
    )
    assert refused.status_code == 422
    assert 'id="fout-sprint_days">Een periode duurt minstens 7 en hoogstens 56 dagen.' in (
        refused.text
    )
    assert 'id="fout-sprint_weekday">Kies een dag van de week.' in refused.text
    assert 'value="60"' in refused.text
    words = client.post(
        "/beheer/organisatie",
        data={"csrf_token": client.csrf_token, "sprint_days": "twee weken", "sprint_weekday": ""},
    )
    assert words.status_code == 422
    assert 'id="fout-sprint_days">' in words.text and 'id="fout-sprint_weekday">' in words.text
    with Session(world.engine) as session:
        assert session.get(Organisation, 1) is None


def test_only_an_admin_reaches_the_organisation_page(login, world: World):
    client = login("lead")
    assert client.get("/beheer/organisatie").status_code == 403
    refused = client.post(
        "/beheer/organisatie",
        data={"csrf_token": client.csrf_token, "sprint_days": "7", "sprint_weekday": "0"},
    )
    assert refused.status_code == 403
