"""The profile's E-mail section: the day of the weekly digest or none, and whether mentions and
knelpunt news are mailed; as a plain form and with HTMX. The same two choices in the API at
/api/v1/me/mail-settings."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import User
from tests.support.builders import World


def _choices(world: World, who: str) -> tuple[int | None, bool]:
    with Session(world.engine) as session:
        user = session.get_one(User, world.users[who].id)
        return user.digest_weekday, user.mention_mail


def test_the_profile_shows_monday_and_messages_on_by_default(login, world: World) -> None:
    page = login("member").get("/profiel")

    assert page.status_code == 200
    assert 'id="e-mail-kop">E-mail</h2>' in page.text
    assert re.search(r'id="weekoverzicht-0" name="digest_weekday" value="0"\s+checked', page.text)
    assert re.search(r'id="berichten-mailen" name="mention_mail" value="1"\s+checked', page.text)
    assert page.text.count('id="meldingen"') == 1  # the page's own live region only


def test_a_plain_form_saves_another_day_and_messages_off(login, world: World) -> None:
    client = login("member")

    answer = client.post(
        "/profiel/e-mail",
        data={"digest_weekday": "3", "csrf_token": client.csrf_token},
        follow_redirects=False,
    )

    assert answer.status_code == 303
    assert answer.headers["location"] == "/profiel#e-mail"
    assert _choices(world, "member") == (3, False)
    page = client.get("/profiel")
    assert re.search(r'id="weekoverzicht-3" name="digest_weekday" value="3"\s+checked', page.text)


def test_htmx_saves_no_digest_and_answers_the_section_with_a_notice(login, world: World) -> None:
    client = login("member")

    answer = client.htmx(
        "POST", "/profiel/e-mail", data={"digest_weekday": "", "mention_mail": "1"}
    )

    assert answer.status_code == 200
    assert '<section id="e-mail"' in answer.text
    assert re.search(
        r'id="weekoverzicht-geen" name="digest_weekday" value=""\s+checked', answer.text
    )
    assert "Je keuzes voor e-mail zijn opgeslagen." in answer.text
    assert _choices(world, "member") == (None, True)


def test_a_day_that_does_not_exist_is_refused_and_nothing_changes(login, world: World) -> None:
    client = login("member")

    plain = client.post(
        "/profiel/e-mail",
        data={"digest_weekday": "7", "mention_mail": "1", "csrf_token": client.csrf_token},
    )
    htmx = client.htmx("POST", "/profiel/e-mail", data={"digest_weekday": "maandag"})

    assert plain.status_code == htmx.status_code == 422
    assert "Kies een dag van de week, of geen weekoverzicht." in plain.text
    assert "<h1" in plain.text  # a page of its own, not a bare fragment
    assert 'aria-describedby="fout-digest_weekday"' in htmx.text
    assert _choices(world, "member") == (0, True)


def test_the_api_reads_and_changes_my_mail_settings(app_for_pages, world: World) -> None:
    with TestClient(app_for_pages) as client:
        before = client.get("/api/v1/me/mail-settings", headers=world.headers("lead"))
        changed = client.put(
            "/api/v1/me/mail-settings",
            json={"digest_weekday": 4, "mention_mail": False},
            headers=world.headers("lead"),
        )
        refused = client.put(
            "/api/v1/me/mail-settings",
            json={"digest_weekday": 7, "mention_mail": True},
            headers=world.headers("lead"),
        )
        incomplete = client.put(
            "/api/v1/me/mail-settings", json={"mention_mail": True}, headers=world.headers("lead")
        )

    assert before.json() == {"digest_weekday": 0, "mention_mail": True}
    assert changed.status_code == 200
    assert changed.json() == {"digest_weekday": 4, "mention_mail": False}
    assert refused.status_code == incomplete.status_code == 422
    assert _choices(world, "lead") == (4, False)
    assert _choices(world, "member") == (0, True)
