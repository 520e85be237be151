from fastapi.testclient import TestClient

from tests.support.builders import PASSWORD, World
from tests.support.clients import csrf_token_of


def test_the_login_page_has_the_labelled_fields_and_button(app_for_pages, world: World):
    page = TestClient(app_for_pages).get("/login")
    assert page.status_code == 200
    assert "E-mailadres" in page.text and "Wachtwoord" in page.text and "Inloggen" in page.text


def test_logging_in_starts_a_new_session_and_logging_out_ends_it(app_for_pages, world: World):
    client = TestClient(app_for_pages)
    client.cookies.set("verbeterbord", "planted-before-login")
    response = client.post(
        "/login",
        data={"email": "MEMBER@example.org", "password": PASSWORD},
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "planted-before-login" not in cookie
    start = client.get("/")
    assert start.status_code == 200
    token = csrf_token_of(start.text)
    assert (
        client.post("/logout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    assert client.get("/", follow_redirects=False).status_code == 303


def test_a_wrong_password_gets_one_generic_message(app_for_pages, world: World):
    client = TestClient(app_for_pages)
    response = client.post(
        "/login", data={"email": "member@example.org", "password": "wrong-password!"}
    )
    assert response.status_code == 401
    assert "Het e-mailadres of het wachtwoord klopt niet." in response.text


def test_logout_without_the_csrf_token_is_refused_and_changes_nothing(login):
    client = login("member")
    assert client.post("/logout", follow_redirects=False).status_code == 403
    assert client.get("/", follow_redirects=False).status_code == 200


def test_pages_carry_the_security_headers(login):
    response = login("member").get("/")
    policy = response.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["x-content-type-options"] == "nosniff"
