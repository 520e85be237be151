"""The admin overview and the locations page (gemeenten en vestigingen)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Location
from tests.support.builders import World


def _location_names(world: World) -> list[str]:
    with Session(world.engine) as session:
        return [location.name for location in session.exec(select(Location))]


def test_the_admin_overview_links_to_every_section(login):
    page = login("admin").get("/beheer")
    assert page.status_code == 200
    for link in ("/beheer/gemeenten", "/beheer/medewerkers", "/beheer/teams", "/beheer/periodes"):
        assert f'href="{link}"' in page.text
    assert '<html lang="nl">' in page.text


def test_admin_pages_are_refused_to_non_admins_with_a_dutch_page(login, world: World):
    client = login("lead")
    for url in (
        "/beheer",
        "/beheer/gemeenten",
        "/beheer/medewerkers",
        "/beheer/teams",
        "/beheer/periodes",
        f"/beheer/periodes/{world.sprint.id}/afsluiten",
    ):
        page = client.get(url)
        assert page.status_code == 403, url
        assert "Dit mag je niet doen" in page.text
        assert "Alleen een beheerder kan dit doen." in page.text


def test_admin_pages_send_visitors_who_are_not_logged_in_to_the_login_page(app_for_pages, world):
    page = TestClient(app_for_pages).get("/beheer/gemeenten", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/beheer/gemeenten"


def test_the_locations_page_lists_locations_and_has_a_labelled_form(login):
    client = login("admin")
    client.post(
        "/beheer/gemeenten", data={"name": "Gemeente Oost", "csrf_token": client.csrf_token}
    )
    page = client.get("/beheer/gemeenten")
    assert page.status_code == 200
    assert "Gemeente Oost" in page.text
    assert '<label class="utrecht-form-label" for="veld-name">Naam</label>' in page.text
    assert "HX-Request" in page.headers["vary"]


def test_adding_a_location_with_a_plain_form_redirects_to_the_list(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/gemeenten",
        data={"name": "  Vestiging Noord  ", "csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/beheer/gemeenten"
    assert _location_names(world) == ["Vestiging Noord"]


def test_adding_a_location_with_htmx_answers_only_the_section_and_announces_it(login, world):
    response = login("admin").htmx("POST", "/beheer/gemeenten", data={"name": "Gemeente West"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="gemeenten"')
    assert "<html" not in response.text
    assert 'id="gemeente-' in response.text and "Gemeente West" in response.text
    melding = '<div id="meldingen" data-hx-swap-oob="innerHTML">Gemeente West is toegevoegd.</div>'
    assert melding in response.text
    assert "HX-Request" in response.headers["vary"]


def test_a_location_without_a_name_is_refused_with_a_message_at_the_field(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/gemeenten", data={"name": "  ", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 422
    assert 'id="fout-name">Vul een naam in.' in response.text
    assert 'aria-invalid="true"' in response.text and "<html" in response.text
    assert _location_names(world) == []


def test_a_too_long_location_name_is_refused_with_the_length_from_the_model(login, world):
    client = login("admin")
    response = client.post(
        "/beheer/gemeenten", data={"name": "x" * 101, "csrf_token": client.csrf_token}
    )
    assert response.status_code == 422
    assert 'id="fout-name">Maak de naam korter: hoogstens 100 tekens.' in response.text
    assert _location_names(world) == []


def test_a_duplicate_location_is_refused_and_htmx_gets_the_section_back(login, world: World):
    client = login("admin")
    client.htmx("POST", "/beheer/gemeenten", data={"name": "Gemeente Oost"})
    response = client.htmx("POST", "/beheer/gemeenten", data={"name": "Gemeente Oost"})
    assert response.status_code == 422
    assert response.text.lstrip().startswith('<div id="gemeenten"')
    assert "Deze gemeente of vestiging bestaat al." in response.text
    assert 'value="Gemeente Oost"' in response.text
    assert _location_names(world) == ["Gemeente Oost"]


def test_a_non_admin_cannot_add_a_location(login, world: World):
    client = login("lead")
    response = client.post(
        "/beheer/gemeenten", data={"name": "Stiekem", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 403
    assert _location_names(world) == []


def test_adding_a_location_without_the_csrf_token_is_refused(login, world: World):
    response = login("admin").post("/beheer/gemeenten", data={"name": "Zonder token"})
    assert response.status_code == 403
    assert _location_names(world) == []
