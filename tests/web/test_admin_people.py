"""One person on the staff page: edit their details, give a locked-out colleague a temporary
password (shown once)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import Location, User
from app.queries.boards import history
from tests.support.builders import PASSWORD, World


def _person(world: World, who: str) -> User:
    with Session(world.engine) as session:
        return session.get_one(User, world.users[who].id)


def _add_location(world: World, name: str) -> int:
    with Session(world.engine) as session:
        location = Location(name=name)
        session.add(location)
        session.commit()
        assert location.id is not None
        return location.id


def _logs_in(client: TestClient, email: str, password: str) -> bool:
    fresh = TestClient(client.app)
    answer = fresh.post(
        "/login", data={"email": email, "password": password}, follow_redirects=False
    )
    return answer.status_code == 303


# --- edit -----------------------------------------------------------------------------------
def test_every_row_links_to_the_persons_own_edit_page(login, world: World):
    member_id = world.users["member"].id
    page = login("admin").get("/beheer/medewerkers")
    assert f'href="/beheer/medewerkers/{member_id}" id="medewerker-{member_id}-wijzigen">' in (
        page.text
    )
    edit = login("admin").get(f"/beheer/medewerkers/{member_id}")
    assert edit.status_code == 200
    assert '<h1 class="utrecht-heading-1">Member wijzigen</h1>' in edit.text
    assert 'value="member@example.org"' in edit.text
    assert 'for="veld-is_admin">Beheerder</label>' in edit.text
    assert "Tijdelijk wachtwoord maken" in edit.text


def test_an_admin_changes_name_email_location_and_admin_flag(login, world: World):
    client = login("admin")
    member_id = world.users["member"].id
    location_id = _add_location(world, "Gemeente West")
    response = client.post(
        f"/beheer/medewerkers/{member_id}",
        data={
            "name": "Mia Member",
            "email": "Mia@Example.org",
            "location_id": str(location_id),
            "is_admin": "ja",
            "csrf_token": client.csrf_token,
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/beheer/medewerkers#medewerker-{member_id}"
    person = _person(world, "member")
    assert (person.name, person.email, person.location_id, person.is_admin) == (
        "Mia Member",
        "mia@example.org",
        location_id,
        True,
    )
    with Session(world.engine) as session:
        last = history(session, entity="user", entity_id=member_id)[-1]
    assert last.verb == "updated" and last.actor_id == world.users["admin"].id
    assert last.changes["email"] == ["member@example.org", "mia@example.org"]
    assert last.changes["is_admin"] == [False, True]


def test_an_email_address_of_someone_else_is_refused_in_any_case(login, world: World):
    client = login("admin")
    response = client.post(
        f"/beheer/medewerkers/{world.users['member'].id}",
        data={"name": "Member", "email": "LEAD@example.org", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert 'id="fout-email">Er is al een medewerker met dit e-mailadres.' in response.text
    assert 'value="LEAD@example.org"' in response.text
    assert _person(world, "member").email == "member@example.org"


def test_an_empty_name_is_refused_and_changes_nothing(login, world: World):
    client = login("admin")
    response = client.post(
        f"/beheer/medewerkers/{world.users['member'].id}",
        data={"name": "", "email": "member@example.org", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert 'id="fout-name">Vul een naam in.' in response.text
    assert _person(world, "member").name == "Member"


def test_an_admin_editing_themselves_keeps_their_admin_flag(login, world: World):
    client = login("admin")
    admin_id = world.users["admin"].id
    page = client.get(f"/beheer/medewerkers/{admin_id}")
    assert 'id="veld-is_admin"' not in page.text
    assert "Je eigen beheerrechten kun je niet intrekken." in page.text
    assert "Tijdelijk wachtwoord maken" not in page.text
    # a hand-made form without the flag is refused by the service
    response = client.post(
        f"/beheer/medewerkers/{admin_id}",
        data={"name": "Admin", "email": "admin@example.org", "csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert _person(world, "admin").is_admin


def test_only_admins_see_or_save_the_edit_page(login, world: World):
    client = login("lead")
    member_id = world.users["member"].id
    assert client.get(f"/beheer/medewerkers/{member_id}").status_code == 403
    response = client.post(
        f"/beheer/medewerkers/{member_id}",
        data={
            "name": "Overgenomen",
            "email": "member@example.org",
            "csrf_token": client.csrf_token,
        },
    )
    assert response.status_code == 403
    assert _person(world, "member").name == "Member"


def test_the_edit_page_of_an_unknown_person_is_not_found(login):
    assert login("admin").get("/beheer/medewerkers/9999").status_code == 404


# --- temporary password ---------------------------------------------------------------------
def test_a_temporary_password_is_shown_once_and_lets_the_colleague_back_in(
    login, app_for_pages, world: World
):
    member = login("member")
    client = login("admin")
    response = client.post(
        f"/beheer/medewerkers/{world.users['member'].id}/wachtwoord",
        data={"csrf_token": client.csrf_token},
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "Member is overal uitgelogd en kan nu inloggen met dit wachtwoord." in response.text
    assert "Je ziet dit wachtwoord maar één keer." in response.text
    found = re.search(r'<code class="admin-secret__value" id="nieuw-wachtwoord">([^<]+)</code>',
                      response.text)  # fmt: skip
    assert found is not None
    password = found.group(1)
    assert _logs_in(client, "member@example.org", password)
    assert not _logs_in(client, "member@example.org", PASSWORD)
    # every session and API token of theirs has ended
    page = member.get("/profiel", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    api = TestClient(app_for_pages).get("/api/v1/me", headers=world.headers("member"))
    assert api.status_code == 401
    assert password not in client.get(f"/beheer/medewerkers/{world.users['member'].id}").text


def test_an_admin_gets_no_temporary_password_for_themselves(login, world: World):
    client = login("admin")
    response = client.post(
        f"/beheer/medewerkers/{world.users['admin'].id}/wachtwoord",
        data={"csrf_token": client.csrf_token},
    )
    assert response.status_code == 422
    assert "Je eigen wachtwoord wijzig je op je profiel." in response.text
    assert "admin-secret__value" not in response.text
    assert _logs_in(client, "admin@example.org", PASSWORD)


def test_a_deactivated_colleague_gets_no_temporary_password(login, world: World):
    client = login("admin")
    member_id = world.users["member"].id
    client.post(
        f"/beheer/medewerkers/{member_id}/deactiveren", data={"csrf_token": client.csrf_token}
    )
    assert "Tijdelijk wachtwoord maken" not in client.get(f"/beheer/medewerkers/{member_id}").text
    response = client.post(
        f"/beheer/medewerkers/{member_id}/wachtwoord", data={"csrf_token": client.csrf_token}
    )
    assert response.status_code == 422
    assert "Activeer deze medewerker eerst weer." in response.text


def test_only_admins_set_a_temporary_password(login, world: World):
    client = login("lead")
    response = client.post(
        f"/beheer/medewerkers/{world.users['member'].id}/wachtwoord",
        data={"csrf_token": client.csrf_token},
    )
    assert response.status_code == 403
    assert _logs_in(client, "member@example.org", PASSWORD)
