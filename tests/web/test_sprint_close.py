"""A team closes its own part of a period on its own page; the board links there, shows a period
closed early read-only with where the work went, and lets the team plan the next period."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session, select

from app.db import writer
from app.models import Action, ActionStatus, Sprint, SprintReview
from app.services import sprints
from tests.support.builders import World
from tests.web.board_support import add_action, fetch, section


def _url(world: World, sprint_id: int | None = None) -> str:
    return f"/teams/{world.team.id}/periodes/{sprint_id or world.sprint.id}/afsluiten"


def _close_early(world: World) -> Sprint:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return sprints.close_sprint(
            session=session,
            actor=world.access("admin"),
            sprint_id=world.sprint.id,
            today=world.today,
        ).next_sprint


def test_the_page_shows_the_numbers_and_a_choice_per_open_action(login, world: World):
    open_one = add_action(world, title="Nog bezig", status=ActionStatus.doing)
    add_action(world, title="Af", status=ActionStatus.done)
    page = login("member").get(_url(world))
    assert page.status_code == 200
    numbers = section(page.text, "periode-cijfers")
    assert "<dt>Gepland</dt><dd>2</dd>" in numbers and "<dt>Klaar</dt><dd>1</dd>" in numbers
    assert "<dt>Nog open</dt><dd>1</dd>" in numbers
    assert f'name="keuze-{open_one.id}" value="meenemen" checked' in page.text
    assert f'name="keuze-{open_one.id}" value="laten-vallen">' in page.text
    assert "Meenemen naar de volgende periode (week 50–51) is de standaard" in page.text


def test_the_board_links_to_closing_the_period(login, world: World):
    board = login("member").get(f"/teams/{world.team.id}")
    assert f'href="{_url(world)}">Periode afsluiten</a>' in board.text
    # someone outside the team reads the board without the link
    other = login("outsider").get(f"/teams/{world.team.id}")
    assert "Periode afsluiten" not in other.text


def test_closing_carries_over_drops_with_reason_and_shows_the_result(login, world: World):
    keep = add_action(world, title="Meenemen")
    drop = add_action(world, title="Weg")
    client = login("member")
    response = client.post(
        _url(world),
        data={
            "csrf_token": client.csrf_token,
            f"keuze-{keep.id}": "meenemen",
            f"keuze-{drop.id}": "laten-vallen",
            f"reden-{drop.id}": "Het college besloot anders",
        },
    )
    assert response.status_code == 200  # after the redirect
    assert "Dit team heeft deze periode afgesloten op" in response.text
    assert "<dt>Meegenomen</dt><dd>1</dd>" in response.text
    assert "<dt>Laten vallen</dt><dd>1</dd>" in response.text
    assert "Weg</a>: Het college besloot anders" in response.text
    assert 'name="keuze-' not in response.text
    assert fetch(world, Action, keep.id).carried_over == 1
    gone = fetch(world, Action, drop.id)
    assert (gone.status, gone.drop_reason) == (ActionStatus.dropped, "Het college besloot anders")

    again = client.post(_url(world), data={"csrf_token": client.csrf_token})
    assert again.status_code == 422
    assert "Dit team heeft deze periode al afgesloten." in again.text


def test_a_drop_without_reason_comes_back_at_that_action_and_writes_nothing(login, world: World):
    keep = add_action(world, title="Meenemen")
    drop = add_action(world, title="Zonder reden")
    client = login("member")
    response = client.post(
        _url(world),
        data={
            "csrf_token": client.csrf_token,
            f"keuze-{keep.id}": "meenemen",
            f"keuze-{drop.id}": "laten-vallen",
            f"reden-{drop.id}": "  ",
        },
    )
    assert response.status_code == 422
    assert f'id="reden-{drop.id}-fout">Schrijf op waarom je deze actie laat vallen.' in (
        response.text
    )
    assert f'name="keuze-{drop.id}" value="laten-vallen" checked' in response.text
    assert f'href="#reden-{drop.id}"' in response.text
    assert fetch(world, Action, keep.id).sprint_id == world.sprint.id
    with Session(world.engine) as session:
        assert session.exec(select(SprintReview)).first() is None


def test_someone_outside_the_team_reads_the_numbers_but_cannot_close(login, world: World):
    add_action(world)
    client = login("outsider")
    page = client.get(_url(world))
    assert page.status_code == 200 and 'name="keuze-' not in page.text
    refused = client.post(_url(world), data={"csrf_token": client.csrf_token})
    assert refused.status_code == 403


def test_a_period_closed_early_stays_on_the_board_read_only_with_where_the_work_went(
    login, world: World
):
    action = add_action(world, title="Loopt door")
    following = _close_early(world)
    board = login("member").get(f"/teams/{world.team.id}")
    assert "Periode week 48–49" in board.text and "alleen lezen" in board.text
    notice = section(board.text, "periode-vroeg-afgesloten")
    assert "vroeg afgesloten" in notice and "tot en met 6 december" in notice
    assert "volgende periode (week 50–51)" in notice
    assert f'href="/teams/{world.team.id}?sprint_id={following.id}"' in notice
    # the next period is where the team works: writable, with the carried card
    nxt = login("member").get(f"/teams/{world.team.id}?sprint_id={following.id}")
    assert "Actie toevoegen" in nxt.text and f'id="action-{action.id}"' in nxt.text
    assert "Het team werkt nu in deze periode." in nxt.text


def test_the_team_plans_the_next_period_when_none_exists_yet(login, world: World):
    client = login("member")
    board = client.get(f"/teams/{world.team.id}")
    assert "Volgende periode plannen" in board.text
    made = client.post(
        f"/teams/{world.team.id}/volgende-periode",
        data={"csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert made.status_code == 303
    with Session(world.engine) as session:
        following = session.exec(select(Sprint).order_by(Sprint.start_date.desc())).first()
    assert following.start_date == world.sprint.end_date + timedelta(days=1)
    assert made.headers["location"] == f"/teams/{world.team.id}?sprint_id={following.id}"
    page = client.get(made.headers["location"])
    assert "Actie toevoegen" in page.text and "alleen lezen" not in page.text
    assert "Volgende periode plannen" not in client.get(f"/teams/{world.team.id}").text
