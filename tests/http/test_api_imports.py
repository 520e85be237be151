"""POST /api/v1/teams/{id}/imports: a spreadsheet of actions as multipart; every row with its
messages per column, `imported` the number added; dry_run and skip_invalid as form flags."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http.helpers import API, Api, error_fields, expect
from tests.support.builders import World

GOOD = "titel;eigenaar;status;streefdatum\nWijkavond;Lead;bezig;4-12-2026\nFolder;;;\n"
BAD_ROW = "Kapot;Niemand;misschien;gisteren\n"


def _post(client: TestClient, world: World, text: str, who: str = "member", **flags: str):
    return client.post(
        f"{API}/teams/{world.team.id}/imports",
        headers=world.headers(who) | flags.pop("headers", {}),  # type: ignore[operator]
        files={"file": ("acties.csv", text.encode(), "text/csv")},
        data=flags,
    )


def test_a_good_file_is_imported(client: TestClient, world: World):
    body = expect(_post(client, world, GOOD))
    assert body["imported"] == 2
    assert [(row["row"], row["title"], row["errors"]) for row in body["rows"]] == [
        (2, "Wijkavond", {}),
        (3, "Folder", {}),
    ]
    first = Api(client, world).get(f"/actions/{body['rows'][0]['action_id']}")
    assert (first["owner_id"], first["status"], first["due_date"]) == (
        world.ids["lead"],
        "doing",
        "2026-12-04",
    )


def test_a_bad_row_imports_nothing_and_says_why_per_column(client: TestClient, world: World):
    body = expect(_post(client, world, GOOD + BAD_ROW))
    assert body["imported"] == 0
    bad = body["rows"][-1]
    assert bad["row"] == 4 and bad["action_id"] is None
    assert set(bad["errors"]) == {"eigenaar", "status", "streefdatum"}
    assert bad["errors"]["streefdatum"] == "Schrijf de datum als 2026-12-04 of 4-12-2026."
    assert Api(client, world).get("/actions")["total"] == 0


def test_skip_invalid_and_dry_run(client: TestClient, world: World):
    dry = expect(_post(client, world, GOOD + BAD_ROW, dry_run="true", skip_invalid="true"))
    assert dry["imported"] == 0
    assert Api(client, world).get("/actions")["total"] == 0
    done = expect(_post(client, world, GOOD + BAD_ROW, skip_invalid="true"))
    assert done["imported"] == 2
    assert Api(client, world).get("/actions")["total"] == 2


def test_personal_data_needs_confirm_personal_data(client: TestClient, world: World):
    text = "titel;omschrijving\nTerugbellen;Via 06-12345678\n"
    refused = expect(_post(client, world, text))
    assert refused["imported"] == 0
    assert "persoonsgegevens" in refused["rows"][0]["errors"]["omschrijving"]
    assert expect(_post(client, world, text, confirm_personal_data="true"))["imported"] == 1


def test_an_unreadable_file_is_a_422_on_file(client: TestClient, world: World):
    answer = _post(client, world, "naam;status\nx;bezig\n")
    assert error_fields(answer) == {"file"}
    missing = client.post(
        f"{API}/teams/{world.team.id}/imports", headers=world.headers("member"), data={}
    )
    assert error_fields(missing) == {"file"}


def test_only_the_teams_members_import(client: TestClient, world: World):
    assert _post(client, world, GOOD, who="outsider").status_code == 403
    assert Api(client, world).get("/actions")["total"] == 0
    missing_team = client.post(
        f"{API}/teams/99999/imports",
        headers=world.headers("admin"),
        files={"file": ("a.csv", GOOD.encode(), "text/csv")},
    )
    assert missing_team.status_code == 404


def test_row_messages_follow_accept_language(client: TestClient, world: World):
    answer = client.post(
        f"{API}/teams/{world.team.id}/imports",
        headers=world.headers("member") | {"Accept-Language": "en"},
        files={"file": ("acties.csv", (GOOD + BAD_ROW).encode(), "text/csv")},
    )
    bad = expect(answer)["rows"][-1]
    # translated by the API's translator (English once the catalogue has it), never empty
    assert all(message for message in bad["errors"].values())
