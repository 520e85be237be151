"""An id, once given, is never given again: the history and the comments of a new action are its
own, however many actions were deleted before it, on SQLite as on PostgreSQL."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.db import metadata
from tests.http.helpers import Api, expect
from tests.support.builders import World


def test_every_table_with_an_id_never_reuses_one_on_sqlite():
    # SQLite without AUTOINCREMENT hands out max(id) + 1, so deleting the newest row frees its
    # id for the next one, and that row inherits the deleted one's audit events and URLs.
    reusing = [
        table.name
        for table in metadata.sorted_tables
        if "id" in table.primary_key.columns
        and not table.dialect_options["sqlite"]["autoincrement"]
    ]
    assert reusing == []


def test_an_action_created_after_deletions_holds_only_its_own_history_and_comments(
    client: TestClient, world: World
):
    api = Api(client, world)
    seen: set[int] = set()
    for n in range(3):
        action = api.edit(api.action(title=f"Actie {n}"), status="doing")
        api.post(f"/actions/{action['id']}/comments", {"body": f"Reactie {n}"}, who="member")
        expect(api.call("DELETE", f"/actions/{action['id']}?version={action['version']}"))
        seen.add(action["id"])
    fourth = api.action(title="De vierde")
    assert fourth["id"] not in seen
    history = api.history(fourth["id"])
    assert [(e["verb"], e["entity_id"]) for e in history] == [("created", fourth["id"])]
    assert api.get(f"/actions/{fourth['id']}/comments") == {"items": [], "total": 0}
    # the deleted actions keep their own history: created, updated, deleted
    for deleted in seen:
        assert [e["verb"] for e in api.history(deleted)] == ["created", "updated", "deleted"]


def test_audit_event_ids_only_grow(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    before = max(e["id"] for e in api.history(action["id"]))
    expect(api.call("DELETE", f"/actions/{action['id']}?version={action['version']}"))
    after = api.history(action["id"])
    assert [e["verb"] for e in after] == ["created", "deleted"]
    newer = api.action(title="Daarna")
    (created,) = api.history(newer["id"])
    assert before < after[-1]["id"] < created["id"]
