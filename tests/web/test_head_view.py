"""Stand van zaken: the department head's view of every ambition on one page."""

from __future__ import annotations

from sqlalchemy import event

from tests.integration.report_support import add_ambition, indicators_for, seed
from tests.support.builders import World


def test_the_view_shows_each_ambition_with_trend_indicators_knelpunten_and_wins(login, world):
    seeded = seed(world)
    html = login("member").get("/stand-van-zaken").text

    assert "Hoe staan onze ambities ervoor?" in html
    card = html[html.index(f'id="stand-{seeded.ambition.id}"') :]
    assert f'href="/ambities/{seeded.ambition.id}"' in card
    assert "1 van 2 behaald" in card
    # the trend: an image with its numbers as text
    assert 'role="img"' in card
    assert "week 46–47: 1 klaar, 1 doorgeschoven" in card
    # indicators against their targets
    assert "Deelnemers" in card and "42,5 personen" in card and "40 personen" in card
    assert "doel gehaald" in card and "doel nog niet gehaald" in card and "nog geen meting" in card
    assert "lager is beter" in card
    # open knelpunten with their age, and the wins of the linked teams
    assert "Budget voor de zaalhuur nodig" in card and "0 dagen open" in card
    assert "Eerste spreekuur: 14 bezoekers" in card and "Folder is af" in card


def test_the_view_is_in_the_menu_for_everyone_logged_in(login, world):
    html = login("outsider").get("/").text
    assert 'href="/stand-van-zaken"' in html
    page = login("outsider").get("/stand-van-zaken")
    assert page.status_code == 200
    assert 'href="/stand-van-zaken" aria-current="page"' in page.text


def test_the_view_without_ambitions_says_so(login, world):
    assert "Er zijn nog geen ambities." in login("member").get("/stand-van-zaken").text


def _statements(world: World, client) -> int:
    client.get("/stand-van-zaken")  # a first visit may write (the session's last use)
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(world.engine, "before_cursor_execute", count)
    try:
        assert client.get("/stand-van-zaken").status_code == 200
    finally:
        event.remove(world.engine, "before_cursor_execute", count)
    return len(statements)


def test_the_view_loads_8_ambitions_in_as_many_queries_as_2(login, world):
    seed(world)
    add_ambition(world, "Tweede", team_ids=[world.team.id, world.other_team.id])  # type: ignore[list-item]
    client = login("lead")
    few = _statements(world, client)
    for n in range(6):
        indicators_for(world, add_ambition(world, f"Ambitie {n}"))
    many = _statements(world, client)
    assert few == many, (few, many)


# --- the download links on the pages --------------------------------------------------------


def test_the_ambition_page_offers_its_report_and_the_session_downloads_it(login, world):
    seeded = seed(world)
    client = login("outsider")
    html = client.get(f"/ambities/{seeded.ambition.id}").text
    base = f"/api/v1/ambitions/{seeded.ambition.id}/report"
    for kind, label in (("pdf", "PDF"), ("xlsx", "Excel"), ("csv", "CSV")):
        assert f'<a href="{base}.{kind}" download>Download als {label}</a>' in html
    # the API takes the browser's session for a GET, so the link works as it is
    response = client.get(f"{base}.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_the_team_board_offers_the_report_of_the_sprint_it_shows(login, world):
    seeded = seed(world)
    client = login("member")
    html = client.get(f"/teams/{world.team.id}?sprint_id={seeded.earlier.id}").text
    base = f"/api/v1/teams/{world.team.id}/sprints/{seeded.earlier.id}/report"
    assert f'<a href="{base}.xlsx" download>Download als Excel</a>' in html
    response = client.get(f"{base}.csv")
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"


def test_the_trend_keeps_six_places_and_says_the_last_two_sprints_in_words(login, world):
    seeded = seed(world)
    html = login("member").get("/stand-van-zaken").text
    card = html[html.index(f'id="stand-{seeded.ambition.id}"') :]
    # two sprints so far, drawn in the last two of six places
    assert 'viewBox="0 0 204.0 54.0"' in card
    assert "vorige periode 1 klaar en 1 doorgeschoven; deze periode tot nu toe 0 klaar" in card
