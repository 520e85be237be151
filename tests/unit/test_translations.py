"""The English catalogue keeps up with the Dutch source text, and pages speak the reader's
language: their own choice on the profile first, else the browser's Accept-Language."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from fastapi import HTTPException
from fastapi.testclient import TestClient

from app.web.i18n import LOCALE_DIR
from tests.support.builders import PASSWORD, World
from tests.web import conftest as page_tests

# the page tests' fixtures (tests/web/conftest.py), for the pages at the end
app_for_pages = page_tests.app_for_pages
login = page_tests.login

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = LOCALE_DIR / "en" / "LC_MESSAGES" / "messages.po"
# the keywords of `make messages` (-k N_ -k _ -k ngettext:1,2) are among babel's defaults
KEYWORDS = {**DEFAULT_KEYWORDS, "_": None, "N_": None, "ngettext": (1, 2)}
# %(name)s, %(num)d, %s and %% alike
PLACEHOLDER = re.compile(r"%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[a-zA-Z%]")

Msgid = str | tuple[str, ...]


def extracted() -> dict[Msgid, list[str]]:
    """Every message in the code, with where it is, the way babel.cfg extracts them."""
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config, "babel.cfg")
    found: dict[Msgid, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else tuple(message)
        if msgid:
            found.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return found


@pytest.fixture(scope="module")
def catalogue() -> Catalog:
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="en")


@pytest.fixture(scope="module")
def messages() -> dict[Msgid, list[str]]:
    return extracted()


def _forms(string: str | tuple[str, ...] | None) -> list[str]:
    if isinstance(string, tuple | list):
        return list(string)
    return [string or ""]


def test_the_catalogue_is_english_with_plural_forms(catalogue: Catalog) -> None:
    assert str(catalogue.locale) == "en"
    assert catalogue.num_plurals == 2
    assert "Language: en" in CATALOGUE.read_text(encoding="utf-8")


def test_every_message_in_the_code_has_an_english_translation(
    catalogue: Catalog, messages: dict[Msgid, list[str]]
) -> None:
    assert len(messages) > 300, "extraction found next to nothing: check babel.cfg"
    missing = []
    for msgid, places in sorted(messages.items(), key=lambda item: str(item[0])):
        entry = catalogue.get(msgid)
        if entry is None or not all(form.strip() for form in _forms(entry.string)):
            missing.append(f"  {msgid!r}  ({places[0]})")
    assert not missing, (
        f"{len(missing)} Dutch message(s) without an English translation: run `make messages`"
        f" and translate them in {CATALOGUE.relative_to(ROOT)}:\n" + "\n".join(missing)
    )


def test_no_translation_is_fuzzy(catalogue: Catalog) -> None:
    assert not catalogue.fuzzy, "the catalogue's header is marked fuzzy"
    fuzzy = [entry.id for entry in catalogue if entry.id and entry.fuzzy]
    assert not fuzzy, f"check these translations and remove their fuzzy flag: {fuzzy}"


def test_every_translation_keeps_the_placeholders_of_its_message(catalogue: Catalog) -> None:
    wrong = []
    for entry in catalogue:
        if not entry.id:
            continue
        ids = list(entry.id) if isinstance(entry.id, tuple) else [entry.id]
        for number, string in enumerate(_forms(entry.string)):
            if not string:
                continue  # reported as missing
            # English: msgstr[0] goes with the singular, msgstr[1] with the plural
            source = ids[min(number, len(ids) - 1)]
            if Counter(PLACEHOLDER.findall(string)) != Counter(PLACEHOLDER.findall(source)):
                wrong.append(f"  {source!r}\n    → {string!r}")
    assert not wrong, "placeholders differ between message and translation:\n" + "\n".join(wrong)


def test_the_catalogue_holds_no_message_the_code_no_longer_uses(
    catalogue: Catalog, messages: dict[Msgid, list[str]]
) -> None:
    in_code = {msgid if isinstance(msgid, str) else msgid[0] for msgid in messages}
    stale = sorted(
        str(entry.id)
        for entry in catalogue
        if entry.id and (entry.id if isinstance(entry.id, str) else entry.id[0]) not in in_code
    )
    assert not stale, f"run `make messages` to drop these: {stale}"


# --- pages in the reader's language ---------------------------------------------------------


def test_a_logged_in_page_follows_accept_language_until_the_user_chooses(login) -> None:
    client = login("member")
    english = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"})
    assert english.status_code == 200
    assert '<html lang="en">' in english.text
    assert ">My actions</a>" in english.text and ">Log out</button>" in english.text
    assert "Mijn acties" not in english.text

    dutch = client.get("/")
    assert '<html lang="nl">' in dutch.text
    assert ">Mijn acties</a>" in dutch.text and ">Uitloggen</button>" in dutch.text


def test_a_language_chosen_on_the_profile_wins_over_the_browser(login) -> None:
    client = login("member")
    response = client.post(
        "/profiel/taal",
        data={"locale": "nl", "csrf_token": client.csrf_token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    page = client.get("/", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.text and ">Mijn acties</a>" in page.text


def test_the_profile_marks_the_language_the_page_is_in_until_one_is_chosen(login) -> None:
    page = login("member").get("/profiel", headers={"Accept-Language": "en"})
    assert re.search(r'id="taal-en" name="locale" value="en"\s+checked', page.text)
    assert not re.search(r'id="taal-nl" name="locale" value="nl"\s+checked', page.text)


def test_the_login_page_in_english_and_in_dutch(app_for_pages) -> None:
    with TestClient(app_for_pages) as client:
        english = client.get("/login", headers={"Accept-Language": "en"})
        assert '<html lang="en">' in english.text
        for words in ("Email address", "Password", "Log in"):
            assert words in english.text
        assert "Wachtwoord" not in english.text

        dutch = client.get("/login")
        assert '<html lang="nl">' in dutch.text
        for words in ("E-mailadres", "Wachtwoord", "Inloggen"):
            assert words in dutch.text


def test_a_refused_login_is_explained_in_english(app_for_pages, world: World) -> None:
    """The message comes from the login service, marked there with N_."""
    with TestClient(app_for_pages) as client:
        response = client.post(
            "/login",
            data={"email": world.users["member"].email, "password": PASSWORD + "x", "next": "/"},
            headers={"Accept-Language": "en"},
        )
    assert "The email address or the password is not correct." in response.text


def test_an_error_page_in_english_without_a_message_shows_none(app_for_pages) -> None:
    """gettext("") is the catalogue's header: an error without a message must not show it."""

    @app_for_pages.get("/teapot")
    def _teapot() -> None:
        raise HTTPException(status_code=418)

    with TestClient(app_for_pages) as client:
        missing = client.get("/bestaat-niet", headers={"Accept-Language": "en"})
        teapot = client.get("/teapot", headers={"Accept-Language": "en"})
    assert missing.status_code == 404
    assert "This page does not exist" in missing.text
    assert "Check the address, or go back to the start page." in missing.text
    assert teapot.status_code == 418 and "Something went wrong" in teapot.text
    assert "Project-Id-Version" not in teapot.text
