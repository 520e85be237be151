"""The sprints page (periodes): the list, planning a sprint, closing one after confirming."""

from __future__ import annotations

import re

from sqlalchemy import func
from sqlmodel import Session, select

from app.models import Action, Sprint
from tests.support.builders import World


def _sprint_count(world: World) -> int:
    with Session(world.engine) as session:
        return session.exec(select(func.count()).select_from(Sprint)).one()


def _closed(world: World) -> bool:
    with Session(world.engine) as session:
        return session.get_one(Sprint, world.sprint.id).closed_at is not None


def _add_open_action(world: World) -> None:
    with Session(world.engine) as session:
        session.add(
            Action(
                title="Nog niet klaar",
                team_id=world.team.id,
                owner_id=world.users["member"].id,
                sprint_id=world.sprint.id,
            )
        )
        session.commit()


def _row(html: str, sprint_id: int) -> str:
    match = re.search(rf'<tr[^>]*id="periode-{sprint_id}".*?</tr>', html, re.S)
    assert match is not None
    return match.group(0)


def test_the_sprints_page_shows_week_label_dates_and_status(login, world: World):
    page = login("admin").get("/beheer/periodes")
    assert page.status_code == 200
    row = _row(page.text, world.sprint.id)
    assert "week 48–49" in row
    assert "ma 23 nov." in row and "zo 6 dec." in row
    assert "huidige" in row
    assert f'href="/beheer/periodes/{world.sprint.id}/afsluiten"' in row
    assert 'for="veld-start_date">Begindatum</label>' in page.text


def test_planning_a_sprint_without_an_end_date_takes_two_weeks(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/periodes",
        data={"start_date": "2026-12-07", "end_date": "", "csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/beheer/periodes"
    with Session(world.engine) as session:
        planned = session.exec(select(Sprint).where(Sprint.start_date > world.today)).one()
    assert planned.end_date.isoformat() == "2026-12-20"
    row = _row(client.get("/beheer/periodes").text, planned.id or 0)
    assert "gepland" in row and "afsluiten" not in row


def test_an_overlapping_sprint_is_refused_with_a_message(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/periodes",
        data={"start_date": "2026-11-30", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert "Deze periode overlapt met" in response.text
    assert 'value="2026-11-30"' in response.text
    assert _sprint_count(world) == 1


def test_an_end_before_the_start_is_refused_at_the_end_date(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/periodes",
        data={
            "start_date": "2026-12-07",
            "end_date": "2026-12-01",
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 422
    assert 'id="fout-end_date">De einddatum ligt voor de begindatum.' in response.text
    assert _sprint_count(world) == 1


def test_a_missing_or_unreadable_date_is_refused_per_field(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/periodes",
        data={"start_date": "", "end_date": "morgen", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert 'id="fout-start_date">Vul een begindatum in.' in response.text
    assert 'id="fout-end_date">Vul een geldige datum in, bijvoorbeeld 2026-11-24.' in response.text
    assert _sprint_count(world) == 1


def test_a_non_admin_cannot_plan_a_sprint(login, world: World):
    client = login("lead")
    response = client.post(
        "/beheer/periodes", data={"start_date": "2026-12-07", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 403
    assert _sprint_count(world) == 1


def test_planning_without_the_csrf_token_is_refused(login, world: World):
    response = login("admin").post("/beheer/periodes", data={"start_date": "2026-12-07"})
    assert response.status_code == 403
    assert _sprint_count(world) == 1


def test_closing_asks_for_confirmation_first_and_says_what_moves(login, world: World):
    _add_open_action(world)
    page = login("admin").get(f"/beheer/periodes/{world.sprint.id}/afsluiten")
    assert page.status_code == 200
    assert "Periode week 48–49 afsluiten" in page.text
    assert "1 actie is nog niet klaar (van 1 team)." in page.text
    assert f'action="/beheer/periodes/{world.sprint.id}/afsluiten"' in page.text
    assert 'href="/beheer/periodes">Annuleren</a>' in page.text
    assert not _closed(world)


def test_closing_a_sprint_carries_open_actions_and_says_how_many(login, world: World):
    _add_open_action(world)
    client = login("admin")
    response = client.post(
        f"/beheer/periodes/{world.sprint.id}/afsluiten", data={"csrf_token": client.csrf_token}
    )
    assert response.status_code == 200
    assert "Periode week 48–49 is afgesloten. 1 actie doorgeschoven naar week 50–51." in (
        response.text
    )
    assert "afgesloten" in _row(response.text, world.sprint.id)
    assert _closed(world)
    with Session(world.engine) as session:
        action = session.exec(select(Action)).one()
        assert action.carried_over == 1 and action.sprint_id != world.sprint.id


def test_closing_a_closed_sprint_again_moves_nothing(login, world: World):
    client = login("admin")
    client.post(
        f"/beheer/periodes/{world.sprint.id}/afsluiten", data={"csrf_token": client.csrf_token}
    )
    confirm = client.get(f"/beheer/periodes/{world.sprint.id}/afsluiten")
    assert "Deze periode is al afgesloten." in confirm.text
    again = client.post(
        f"/beheer/periodes/{world.sprint.id}/afsluiten", data={"csrf_token": client.csrf_token}
    )
    assert again.status_code == 200
    assert "0 acties doorgeschoven" in again.text


def test_a_non_admin_cannot_close_a_sprint(login, world: World):
    client = login("lead")
    response = client.post(
        f"/beheer/periodes/{world.sprint.id}/afsluiten", data={"csrf_token": client.csrf_token}
    )
    assert response.status_code == 403
    assert not _closed(world)


def test_closing_without_the_csrf_token_is_refused(login, world: World):
    response = login("admin").post(f"/beheer/periodes/{world.sprint.id}/afsluiten")
    assert response.status_code == 403
    assert not _closed(world)


def test_closing_an_unknown_sprint_is_not_found(login):
    assert login("admin").get("/beheer/periodes/9999/afsluiten").status_code == 404
