"""The profile page: your details, your language, your API tokens."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import ApiToken, User
from tests.support.builders import World


def _locale(world: World, who: str) -> str:
    with Session(world.engine) as session:
        return session.get_one(User, world.users[who].id).locale


def _tokens(world: World, who: str) -> list[ApiToken]:
    with Session(world.engine) as session:
        return list(
            session.exec(
                select(ApiToken)
                .where(ApiToken.user_id == world.users[who].id)
                .order_by(col(ApiToken.id))
            )
        )


def test_the_profile_shows_name_email_language_and_tokens(login, world: World):
    page = login("member").get("/profiel")
    assert page.status_code == 200
    assert "<dd>Member</dd>" in page.text and "<dd>member@example.org</dd>" in page.text
    assert 'lang="en">English</label>' in page.text
    assert re.search(r'id="taal-nl" name="locale" value="nl"\s+checked', page.text)
    token = _tokens(world, "member")[0]
    assert f'id="api-sleutel-{token.id}"' in page.text
    assert 'for="veld-name">Naam van de sleutel</label>' in page.text
    assert "HX-Request" in page.headers["vary"]


def test_a_lead_finds_the_members_page_of_their_team_on_the_profile(login, world: World):
    page = login("lead").get("/profiel")
    assert f'href="/beheer/teams/{world.team.id}">Leden van Jeugd beheren</a>' in page.text
    assert "/beheer/teams/" not in login("member").get("/profiel").text


def test_choosing_english_saves_it_and_pages_then_render_in_english(login, world: World):
    client = login("member")
    response = client.post(
        "/profiel/taal",
        data={"locale": "en", "csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303 and response.headers["location"] == "/profiel"
    assert _locale(world, "member") == "en"
    page = client.get("/profiel", headers={"Accept-Language": "nl"})
    assert '<html lang="en">' in page.text
    assert re.search(r'id="taal-en" name="locale" value="en"\s+checked', page.text)


def test_an_unknown_language_is_refused_with_a_message(login, world: World):
    client = login("member")
    response = client.post("/profiel/taal", data={"locale": "de", "csrf_token": client.csrf_token})
    assert response.status_code == 422
    assert 'id="fout-locale">Kies Nederlands of English.' in response.text
    assert _locale(world, "member") == "nl"


def test_choosing_a_language_without_the_csrf_token_is_refused(login, world: World):
    response = login("member").post("/profiel/taal", data={"locale": "en"})
    assert response.status_code == 403
    assert _locale(world, "member") == "nl"


def test_the_profile_is_for_logged_in_users_only(app_for_pages, world):
    response = TestClient(app_for_pages).get("/profiel", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/profiel"


def test_creating_a_token_shows_it_once_and_it_works(login, app_for_pages, world: World):
    client = login("member")
    response = client.post(
        "/profiel/api-sleutels", data={"name": "Power BI", "csrf_token": client.csrf_token}
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    raw = re.search(r'<code class="admin-secret__value">(vb_[^<]+)</code>', response.text)
    assert raw is not None
    assert "Hij wordt hierna niet meer getoond." in response.text
    me = TestClient(app_for_pages).get(
        "/api/v1/me", headers={"Authorization": f"Bearer {raw.group(1)}"}
    )
    assert me.status_code == 200 and me.json()["email"] == "member@example.org"
    page = client.get("/profiel")
    assert "Power BI" in page.text and raw.group(1) not in page.text


def test_creating_a_token_with_htmx_answers_only_the_tokens_block(login, world: World):
    response = login("member").htmx("POST", "/profiel/api-sleutels", data={"name": "Script"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="api-sleutels"')
    assert "<html" not in response.text
    assert "De API-sleutel Script is gemaakt." in response.text
    assert "HX-Request" in response.headers["vary"]
    assert [token.name for token in _tokens(world, "member")] == ["test", "Script"]


def test_a_token_without_a_name_is_refused_with_a_message(login, world: World):
    client = login("member")
    response = client.htmx("POST", "/profiel/api-sleutels", data={"name": "  "})
    assert response.status_code == 422
    assert "Geef de sleutel een naam" in response.text
    assert response.text.lstrip().startswith('<section id="api-sleutels"')
    plain = client.post(
        "/profiel/api-sleutels", data={"name": "x" * 101, "csrf_token": client.csrf_token}
    )
    assert plain.status_code == 422 and "<html" in plain.text
    assert "Maak de naam korter: hoogstens 100 tekens." in plain.text
    assert len(_tokens(world, "member")) == 1


def test_creating_a_token_without_the_csrf_token_is_refused(login, world: World):
    response = login("member").post("/profiel/api-sleutels", data={"name": "Zonder"})
    assert response.status_code == 403
    assert len(_tokens(world, "member")) == 1


def test_revoking_your_own_token_stops_it(login, app_for_pages, world: World):
    client = login("member")
    token = _tokens(world, "member")[0]
    response = client.htmx("POST", f"/profiel/api-sleutels/{token.id}/intrekken")
    assert response.status_code == 200
    assert "De API-sleutel test is ingetrokken." in response.text
    assert _tokens(world, "member")[0].revoked_at is not None
    me = TestClient(app_for_pages).get("/api/v1/me", headers=world.headers("member"))
    assert me.status_code == 401


def test_revoking_with_a_plain_form_returns_to_the_profile(login, world: World):
    client = login("member")
    token = _tokens(world, "member")[0]
    response = client.post(
        f"/profiel/api-sleutels/{token.id}/intrekken",
        data={"csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/profiel#api-sleutels"
    row = re.search(rf'id="api-sleutel-{token.id}".*?</tr>', client.get("/profiel").text, re.S)
    assert row is not None and "Intrekken" not in row.group(0).split("</th>", 1)[1]


def test_someone_elses_token_is_not_found_and_stays_valid(login, world: World):
    lead_token = _tokens(world, "lead")[0]
    client = login("member")
    response = client.htmx("POST", f"/profiel/api-sleutels/{lead_token.id}/intrekken")
    assert response.status_code == 404
    assert _tokens(world, "lead")[0].revoked_at is None


def test_revoking_without_the_csrf_token_is_refused(login, world: World):
    token = _tokens(world, "member")[0]
    response = login("member").post(f"/profiel/api-sleutels/{token.id}/intrekken")
    assert response.status_code == 403
    assert _tokens(world, "member")[0].revoked_at is None
