"""The staff page (medewerkers): list, add (with a generated password shown once), deactivate."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import Location, User
from tests.support.builders import World


def _user(world: World, email: str) -> User | None:
    with Session(world.engine) as session:
        return session.exec(select(User).where(User.email == email)).first()


def _is_active(world: World, who: str) -> bool:
    with Session(world.engine) as session:
        return session.get_one(User, world.users[who].id).is_active


def _add_location(world: World, name: str) -> int:
    with Session(world.engine) as session:
        location = Location(name=name)
        session.add(location)
        session.commit()
        assert location.id is not None
        return location.id


def test_the_staff_page_lists_everyone_with_location_admin_and_active(login, world: World):
    page = login("admin").get("/beheer/medewerkers")
    assert page.status_code == 200
    row = re.search(rf'<tr[^>]*id="medewerker-{world.users["admin"].id}".*?</tr>', page.text, re.S)
    assert row is not None
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)
    assert cells[0] == "admin@example.org" and cells[2] == "ja" and cells[3] == "ja"
    assert "(jij)" in row.group(0) and "Deactiveren" not in row.group(0)
    for name in ("Member", "Lead", "Outsider", "Representative"):
        assert name in page.text
    assert 'for="veld-email">E-mailadres</label>' in page.text
    assert 'for="veld-location_id">Gemeente / vestiging</label>' in page.text
    assert 'for="veld-is_admin">Beheerder</label>' in page.text


def test_adding_a_user_without_a_password_shows_the_generated_one_once(login, world: World):
    client = login("admin")
    location_id = _add_location(world, "Gemeente Oost")
    response = client.post(
        "/beheer/medewerkers",
        data={
            "email": "Nieuw@Example.org",
            "name": "Nina Nieuw",
            "location_id": str(location_id),
            "is_admin": "ja",
            "password": "",
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    password = re.search(
        r'<code class="admin-secret__value" id="nieuw-wachtwoord">([^<]+)</code>', response.text
    )
    assert password is not None
    assert "Je ziet dit wachtwoord maar één keer." in response.text
    assert "Geef het veilig door aan Nina Nieuw" in response.text
    created = _user(world, "nieuw@example.org")
    assert created is not None and created.is_admin and created.location_id == location_id
    # the password works, and the list never shows it again
    fresh = TestClient(client.app)
    login_answer = fresh.post(
        "/login",
        data={"email": "nieuw@example.org", "password": password.group(1)},
        follow_redirects=False,
    )
    assert login_answer.status_code == 303
    assert password.group(1) not in client.get("/beheer/medewerkers").text


def test_adding_a_user_with_a_password_shows_no_password(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/medewerkers",
        data={
            "email": "eigen@example.org",
            "name": "Ed Eigen",
            "password": "paarse olifant danst 42",
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 200
    assert "admin-secret__value" not in response.text
    created = _user(world, "eigen@example.org")
    assert created is not None and not created.is_admin


def test_a_user_with_a_taken_email_and_no_name_is_refused_per_field(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/medewerkers",
        data={"email": "MEMBER@example.org", "name": "", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert 'id="fout-name">Vul een naam in.' in response.text
    response = client.post(
        "/beheer/medewerkers",
        data={"email": "MEMBER@example.org", "name": "Dubbel", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert "Er is al een medewerker met dit e-mailadres." in response.text
    assert 'value="Dubbel"' in response.text


def test_a_bad_email_address_and_a_weak_password_are_refused(login, world: World):
    client = login("admin")
    response = client.post(
        "/beheer/medewerkers",
        data={"email": "geen-adres", "name": "Iemand", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert 'id="fout-email">Vul een geldig e-mailadres in.' in response.text
    response = client.post(
        "/beheer/medewerkers",
        data={
            "email": "zwak@example.org",
            "name": "Iemand",
            "password": "kort",
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 422
    assert 'id="fout-password"' in response.text
    assert _user(world, "zwak@example.org") is None


def test_a_non_admin_cannot_add_a_user(login, world: World):
    client = login("lead")
    response = client.post(
        "/beheer/medewerkers",
        data={"email": "stiekem@example.org", "name": "Stiekem", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 403
    assert _user(world, "stiekem@example.org") is None


def test_adding_a_user_without_the_csrf_token_is_refused(login, world: World):
    response = login("admin").post(
        "/beheer/medewerkers", data={"email": "zonder@example.org", "name": "Zonder"}
    )
    assert response.status_code == 403
    assert _user(world, "zonder@example.org") is None


def test_deactivating_with_htmx_swaps_the_row_and_announces_it(login, world: World):
    member_id = world.users["member"].id
    response = login("admin").htmx("POST", f"/beheer/medewerkers/{member_id}/deactiveren")
    assert response.status_code == 200
    assert response.text.lstrip().startswith(
        f'<tr class="utrecht-table__row admin-table__row--inactive" id="medewerker-{member_id}"'
    )
    assert "Weer activeren" in response.text
    assert "Member is gedeactiveerd en overal uitgelogd." in response.text
    assert "HX-Request" in response.headers["vary"]
    assert not _is_active(world, "member")


def test_a_deactivated_users_token_and_page_session_stop_working(login, app_for_pages, world):
    member = login("member")
    assert member.get("/", follow_redirects=False).status_code == 200
    admin = login("admin")
    response = admin.post(
        f"/beheer/medewerkers/{world.users['member'].id}/deactiveren",
        data={"csrf_token": admin.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    api = TestClient(app_for_pages).get("/api/v1/me", headers=world.headers("member"))
    assert api.status_code == 401
    page = member.get("/profiel", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")


def test_a_deactivated_user_can_be_activated_again_with_a_plain_form(login, world: World):
    client = login("admin")
    member_id = world.users["member"].id
    client.post(
        f"/beheer/medewerkers/{member_id}/deactiveren", data={"csrf_token": client.csrf_token}
    )
    response = client.post(
        f"/beheer/medewerkers/{member_id}/activeren",
        data={"csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/beheer/medewerkers#medewerker-{member_id}"
    assert _is_active(world, "member")


def test_an_admin_deactivating_themselves_gets_a_message_and_stays_active(login, world: World):
    client = login("admin")
    admin_id = world.users["admin"].id
    response = client.htmx("POST", f"/beheer/medewerkers/{admin_id}/deactiveren")
    assert response.status_code == 422
    assert "Je kunt jezelf niet deactiveren." in response.text
    assert response.text.lstrip().startswith("<tr")
    plain = client.post(
        f"/beheer/medewerkers/{admin_id}/deactiveren", data={"csrf_token": client.csrf_token}
    )
    assert plain.status_code == 422 and "<html" in plain.text
    assert "Je kunt jezelf niet deactiveren." in plain.text
    assert _is_active(world, "admin")


def test_a_non_admin_cannot_deactivate_anyone(login, world: World):
    client = login("lead")
    response = client.htmx("POST", f"/beheer/medewerkers/{world.users['member'].id}/deactiveren")
    assert response.status_code == 403
    assert _is_active(world, "member")


def test_deactivating_without_the_csrf_token_is_refused(login, world: World):
    client = login("admin")
    response = client.post(f"/beheer/medewerkers/{world.users['member'].id}/deactiveren")
    assert response.status_code == 403
    assert _is_active(world, "member")


def test_deactivating_an_unknown_user_is_not_found(login):
    client = login("admin")
    response = client.htmx("POST", "/beheer/medewerkers/9999/deactiveren")
    assert response.status_code == 404
