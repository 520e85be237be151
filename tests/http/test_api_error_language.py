"""The API refuses in one language and one shape: Dutch messages per field (English when the
request asks for it), `{"detail": [{"loc", "msg", "type"}]}` for every 422, also for a body
that is no JSON or no UTF-8 text."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.http.helpers import API
from tests.support.builders import World

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9,nl;q=0.5"}
PYDANTIC_ENGLISH = ("Field required", "Extra inputs", "JSON decode", "Input should", "parsing")


def _problems(answer: Any) -> list[dict[str, Any]]:
    assert answer.status_code == 422, answer.text
    detail = answer.json()["detail"]
    assert isinstance(detail, list) and detail
    for problem in detail:
        assert set(problem) == {"loc", "msg", "type"}, problem
        assert not any(text in problem["msg"] for text in PYDANTIC_ENGLISH), problem
    return detail


def _post_action(client: TestClient, world: World, headers: dict[str, str] | None = None, **kw):
    return client.post(f"{API}/actions", headers=world.headers("member") | (headers or {}), **kw)


def test_a_missing_title_and_an_unknown_field_are_explained_in_dutch_per_field(
    client: TestClient, world: World
):
    answer = _post_action(client, world, json={"team_id": world.team.id, "is_admin": True})
    by_field = {problem["loc"][-1]: problem for problem in _problems(answer)}
    assert by_field["title"] == {
        "loc": ["body", "title"],
        "msg": "Vul een titel in.",
        "type": "missing",
    }
    assert by_field["is_admin"]["type"] == "extra_forbidden"
    assert by_field["is_admin"]["msg"] == "Dit veld bestaat hier niet of kun je niet zelf invullen."


def test_a_too_long_title_names_its_limit_in_the_language_asked_for(
    client: TestClient, world: World
):
    body = {"title": "x" * 201, "team_id": world.team.id}
    dutch = _problems(_post_action(client, world, json=body))
    assert dutch[0]["msg"] == "Maak de titel korter: hoogstens 200 tekens."
    english = _problems(_post_action(client, world, ENGLISH, json=body))
    assert english[0]["msg"] == "Make the title shorter: at most 200 characters."
    missing = _problems(_post_action(client, world, ENGLISH, json={"team_id": world.team.id}))
    assert missing[0]["msg"] == "Enter a title."


def test_a_body_that_is_no_json_or_no_utf8_is_a_422_in_the_same_shape(
    client: TestClient, world: World
):
    headers = {"content-type": "application/json"}
    not_json = _problems(_post_action(client, world, headers, content=b"{niet json"))
    assert not_json[0]["type"] == "json_invalid"
    assert not_json[0]["msg"] == "Stuur de gegevens als JSON."
    not_utf8 = _problems(_post_action(client, world, headers, content=b'{"title": "\xff"}'))
    assert not_utf8 == [
        {"loc": ["body"], "msg": "Stuur de gegevens als UTF-8-tekst.", "type": "body_unreadable"}
    ]
    not_an_object = _problems(_post_action(client, world, headers, content=b"[]"))
    assert not_an_object[0]["msg"] == "Stuur de gegevens als één JSON-object met velden."


def test_query_parameters_are_explained_in_dutch(client: TestClient, world: World):
    answer = client.get(
        f"{API}/locations", params={"limit": 0, "offset": "x"}, headers=world.headers("member")
    )
    by_field = {problem["loc"][-1]: problem["msg"] for problem in _problems(answer)}
    assert by_field == {
        "limit": "Vul een getal in van minstens 1.",
        "offset": "Vul een geheel getal in.",
    }


def test_other_refusals_answer_a_message_in_the_language_asked_for(
    client: TestClient, world: World
):
    other_board = {"title": "Niet van mij", "team_id": world.other_team.id}
    refused = _post_action(client, world, json=other_board)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "Alleen leden van dit team kunnen dit doen."}
    in_english = _post_action(client, world, ENGLISH, json=other_board)
    assert in_english.json() == {"detail": "Only members of this team can do this."}
    unknown = client.get(f"{API}/bestaat-niet", headers=world.headers("member"))
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "Bestaat niet (meer)."}
    anonymous = client.get(f"{API}/me")
    assert anonymous.json() == {"detail": "Niet ingelogd."}
