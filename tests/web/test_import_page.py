"""The import page of a team: upload, a preview of every row with its messages (nothing stored),
then import all rows or, with "Sla ongeldige rijen over", only the valid ones. Plain forms; the
file travels from preview to import in a hidden field."""

from __future__ import annotations

import base64
import re

import pytest

from app import clock
from app.models import Action
from app.web.static_files import static_url
from tests.conftest import TODAY
from tests.support.builders import World
from tests.web.board_support import count

GOOD = "titel;eigenaar;status;streefdatum\nWijkavond;Lead;bezig;4-12-2026\nFolder;;;\n"
BAD_ROW = "Kapot;Niemand;misschien;gisteren\n"


@pytest.fixture(autouse=True)
def this_year_is_the_tests_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _upload(client, world: World, text: str, name: str = "acties.csv"):
    return client.post(
        f"/teams/{world.team.id}/importeren",
        data={"csrf_token": client.csrf_token},
        files={"file": (name, text.encode("utf-8"), "text/csv")},
        follow_redirects=False,
    )


def _carried(html: str) -> str:
    found = re.search(r'name="inhoud" value="([^"]*)"', html)
    assert found is not None
    return found.group(1)


def test_the_board_links_to_the_import_page_for_its_writers_only(login, world: World):
    board = login("member").get(f"/teams/{world.team.id}").text
    assert f'href="/teams/{world.team.id}/importeren"' in board
    outsider = login("outsider")
    assert (
        f'href="/teams/{world.team.id}/importeren"'
        not in outsider.get(f"/teams/{world.team.id}").text
    )
    assert outsider.get(f"/teams/{world.team.id}/importeren").status_code == 403


def test_the_page_explains_the_columns_and_has_a_labelled_file_field(login, world: World):
    page = login("member").get(f"/teams/{world.team.id}/importeren")
    assert page.status_code == 200
    assert '<label class="utrecht-form-label" for="import-bestand">' in page.text
    assert 'enctype="multipart/form-data"' in page.text
    assert "titel (verplicht), omschrijving, eigenaar, status, streefdatum" in page.text


def test_a_good_file_is_previewed_first_then_imported(login, world: World):
    client = login("member")
    preview = _upload(client, world, GOOD)
    assert preview.status_code == 200
    assert "Alle 2 rijen kloppen. Er is nog niets geïmporteerd." in preview.text
    assert "Importeer 2 acties" in preview.text
    assert count(world, Action) == 0
    carried = _carried(preview.text)
    assert base64.b64decode(carried).decode() == GOOD

    done = client.post(
        f"/teams/{world.team.id}/importeren",
        data={
            "csrf_token": client.csrf_token,
            "inhoud": carried,
            "bestandsnaam": "acties.csv",
            "stap": "importeren",
        },
        follow_redirects=False,
    )
    assert done.status_code == 303
    assert done.headers["location"] == f"/teams/{world.team.id}/importeren?toegevoegd=2"
    assert count(world, Action) == 2
    after = client.get(done.headers["location"]).text
    assert "2 acties zijn toegevoegd aan het bord." in after
    board = client.get(f"/teams/{world.team.id}").text
    assert "Wijkavond" in board and "Folder" in board


def test_a_bad_row_shows_its_messages_and_the_choice_to_skip_it(login, world: World):
    client = login("member")
    preview = _upload(client, world, GOOD + BAD_ROW)
    assert preview.status_code == 422
    assert "Er is nog niets geïmporteerd. 1 rij klopt niet." in preview.text
    row = preview.text[preview.text.index('id="rij-4"') :]
    row = row[: row.index("</tr>")]
    assert "<strong>eigenaar:</strong> Geen lid van dit team heet zo" in row
    assert "<strong>status:</strong> Kies als status te doen" in row
    assert "<strong>streefdatum:</strong> Schrijf de datum als 2026-12-04" in row
    assert "Importeer 2 acties" not in preview.text
    assert "Sla ongeldige rijen over en importeer 2 acties" in preview.text

    # the import button without skipping (a stale form) still imports nothing
    data = {
        "csrf_token": client.csrf_token,
        "inhoud": _carried(preview.text),
        "bestandsnaam": "acties.csv",
    }
    again = client.post(f"/teams/{world.team.id}/importeren", data=data | {"stap": "importeren"})
    assert again.status_code == 422 and count(world, Action) == 0

    skipped = client.post(
        f"/teams/{world.team.id}/importeren",
        data=data | {"stap": "overslaan"},
        follow_redirects=False,
    )
    assert skipped.status_code == 303 and count(world, Action) == 2


def test_personal_data_is_confirmed_for_the_whole_import(login, world: World):
    client = login("member")
    text = "titel;omschrijving\nTerugbellen;Mevrouw via 06-12345678\n"
    preview = _upload(client, world, text)
    assert preview.status_code == 422
    assert "Ik weet zeker dat dit geen gegevens van een inwoner zijn" in preview.text
    assert "Opnieuw controleren" in preview.text
    data = {
        "csrf_token": client.csrf_token,
        "inhoud": _carried(preview.text),
        "bestandsnaam": "acties.csv",
        "confirm_personal_data": "1",
    }
    checked = client.post(f"/teams/{world.team.id}/importeren", data=data | {"stap": "controleren"})
    assert checked.status_code == 200 and "Importeer 1 actie" in checked.text
    assert 'name="confirm_personal_data" value="1"' in checked.text and " checked>" in checked.text
    done = client.post(
        f"/teams/{world.team.id}/importeren",
        data=data | {"stap": "importeren"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and count(world, Action) == 1


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("naam;status\nx;bezig\n", "De kolom „titel” ontbreekt"),
        ("titel\n" + "actie\n" * 501, "Het bestand heeft 501 rijen met acties; hoogstens 500"),
    ],
)
def test_a_file_that_cannot_be_used_is_refused_at_the_file_field(
    login, world: World, text: str, says: str
):
    response = _upload(login("member"), world, text)
    assert response.status_code == 422
    assert 'id="import-bestand-fout"' in response.text and says in response.text
    assert 'aria-invalid="true" aria-describedby="import-bestand-fout"' in response.text


def test_no_file_and_a_broken_hidden_field_ask_for_a_file(login, world: World):
    client = login("member")
    for data in ({}, {"inhoud": "%%%niet-base64", "stap": "importeren"}):
        response = client.post(
            f"/teams/{world.team.id}/importeren", data={"csrf_token": client.csrf_token, **data}
        )
        assert response.status_code == 422
        assert "Kies een bestand om te importeren." in response.text
    assert count(world, Action) == 0


def test_the_example_file_linked_from_the_page_is_read_without_a_message(login, world: World):
    client = login("member")
    page = client.get(f"/teams/{world.team.id}/importeren").text
    assert f'href="{static_url("voorbeelden/acties-voorbeeld.csv")}"' in page
    example = client.get("/static/voorbeelden/acties-voorbeeld.csv")
    assert example.status_code == 200
    preview = client.post(
        f"/teams/{world.team.id}/importeren",
        data={"csrf_token": client.csrf_token},
        files={"file": ("acties-voorbeeld.csv", example.content, "text/csv")},
    )
    assert preview.status_code == 200 and "Alle 3 rijen kloppen." in preview.text
