"""XSS in a real browser: the payloads of tests/security/test_xss.py as action titles,
descriptions, blocked reasons, comments and escalation notes, and no script runs (no dialog
opens) on the team board, the card detail or Mijn acties."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser.axe import assert_accessible
from tests.security.test_xss import PAYLOADS

pytestmark = pytest.mark.browser

INJECTED = (
    'img[src="x"], svg[onload], [onerror], [onfocus], meta[http-equiv], a[href^="javascript"]'
)


@pytest.fixture
def payload_actions(live_server) -> Iterator[list[int]]:
    """One blocked action per payload, with a comment and a knelpunt, made by a member through
    the API; removed again afterwards (every browser test shares the server's database)."""
    made: list[int] = []
    with live_server.api("member") as api:
        for payload in PAYLOADS:
            action = live_server.create_action(
                payload, description=payload, status="blocked", blocked_reason=payload
            )
            made.append(action["id"])
            comment = api.post(f"/actions/{action['id']}/comments", json={"body": payload})
            assert comment.status_code == 201, comment.text
            escalation = api.post(f"/actions/{action['id']}/escalations", json={"note": payload})
            assert escalation.status_code == 201, escalation.text
    yield made
    with live_server.api("admin") as api:
        for action_id in made:
            api.delete(f"/actions/{action_id}")


def watch_dialogs(page: Any) -> list[str]:
    opened: list[str] = []

    def record(dialog: Any) -> None:
        opened.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", record)
    return opened


def test_no_payload_runs_on_the_board_the_card_or_mijn_acties(
    open_page, live_server, payload_actions
) -> None:
    page = open_page("member")
    dialogs = watch_dialogs(page)
    team = live_server.team_id
    visits = [
        (f"/teams/{team}", "xss-teambord", PAYLOADS[0]),
        (f"/teams/{live_server.team_of_teams_id}", "xss-team-van-teams", PAYLOADS[0]),
        (f"/teams/{team}/acties/{payload_actions[0]}", "xss-actie", PAYLOADS[0]),
        (f"/teams/{team}/acties/{payload_actions[3]}", "xss-actie-svg", PAYLOADS[3]),
        ("/mijn-acties", "xss-mijn-acties", PAYLOADS[1]),
    ]
    for path, name, shown in visits:
        answer = page.goto(path)
        assert answer is not None and answer.status == 200, path
        page.wait_for_timeout(200)  # an onerror/onload handler would have fired by now
        assert page.locator(INJECTED).count() == 0, path
        assert page.get_by_text(shown).first.is_visible(), path  # shown, as text
        assert_accessible(page, name)
    assert not dialogs, dialogs
