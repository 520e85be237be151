"""Every list of the API answers in as many SQL statements for 10 items as for 500 (issue 10,
item 5), and so do the single things that carry lists (an action's history, an escalation's
steps, a stand-up, a report). Counted on SQLite: the statements a request sends are the same
on PostgreSQL (tests/integration/test_query_plans.py looks at how each database runs them).
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.query_counts import Counted, Growth, count_twice, site_on_copy

L = "limit=500"  # the largest page: every item counted
# (who asks, the address with {names} of the grown world's rows)
LISTS = [
    ("member", "/api/v1/me"),
    ("member", f"/api/v1/locations?{L}"),
    ("member", f"/api/v1/users?{L}"),
    ("member", f"/api/v1/teams?{L}"),
    ("member", "/api/v1/teams/{team}"),
    ("member", f"/api/v1/teams/{{team}}/members?{L}"),
    ("member", "/api/v1/teams/{team}/board"),
    ("member", "/api/v1/teams/{top}/board"),
    ("member", "/api/v1/teams/{team}/board?sprint_id={past}"),
    ("member", f"/api/v1/actions?{L}"),
    ("member", f"/api/v1/actions?mine=true&{L}"),
    ("member", f"/api/v1/actions?team_id={{team}}&status=blocked&{L}"),
    ("member", f"/api/v1/actions?ambition_id={{ambition}}&{L}"),
    ("member", "/api/v1/actions/{action}"),
    ("member", "/api/v1/actions/{action}/history"),
    ("member", f"/api/v1/actions/{{action}}/comments?{L}"),
    ("member", f"/api/v1/teams/{{team}}/escalations?{L}"),
    ("member", f"/api/v1/teams/{{top}}/escalations?{L}"),
    ("member", "/api/v1/escalations/{escalation}"),
    ("member", f"/api/v1/ambitions?{L}"),
    ("member", "/api/v1/ambitions/{ambition}"),
    ("member", "/api/v1/ambitions/{ambition}/progress"),
    ("member", "/api/v1/ambitions/{ambition}/indicators"),
    ("member", f"/api/v1/indicators/{{indicator}}/measurements?{L}"),
    ("member", f"/api/v1/locations/{{location}}/meetings?{L}"),
    ("member", "/api/v1/teams/{team}/evaluations/{past}"),
    ("member", f"/api/v1/teams/{{top}}/standups?{L}"),
    ("member", "/api/v1/standups/{standup}"),
    ("member", f"/api/v1/sprints?{L}"),
    ("member", "/api/v1/sprints/current"),
    ("admin", "/api/v1/organisation"),
    ("member", "/api/v1/ambitions/{ambition}/report.csv"),
    ("member", "/api/v1/ambitions/{ambition}/report.xlsx"),
    ("member", "/api/v1/ambitions/{ambition}/report.pdf"),
    ("member", "/api/v1/teams/{team}/sprints/{sprint}/report.csv"),
    ("member", "/api/v1/teams/{team}/sprints/{sprint}/report.xlsx"),
    ("member", "/api/v1/teams/{team}/sprints/{sprint}/report.pdf"),
]


@pytest.fixture(scope="module")
def counted(_templates, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counted]:
    """Every address counted at 10 and at 500 on one shared database."""
    with site_on_copy(_templates, tmp_path_factory.mktemp("api-counts")) as (world, app):
        grown = Growth(world).to(10)
        ids = {
            "team": world.team.id,
            "top": world.team_of_teams.id,
            "sprint": world.sprint.id,
            "past": grown.past_sprint_ids[0],
            "ambition": grown.ambition_id,
            "action": grown.action_id,
            "escalation": grown.escalation_id,
            "standup": grown.standup_id,
            "indicator": grown.indicator_id,
            "location": grown.location_id,
        }
        urls = {address: address.format(**ids) for _, address in LISTS}
        who = {address: name for name, address in LISTS}
        headers = {name: world.headers(name) for name in set(who.values())}
        with TestClient(app) as client:
            clients = {name: client for name in headers}
            return count_twice(grown, urls, clients, who, headers)  # type: ignore[arg-type]


@pytest.mark.parametrize("address", [item[1] for item in LISTS])
def test_the_api_answers_in_as_many_queries_for_500_items_as_for_10(
    counted: dict[str, Counted], address: str
):
    counted[address].check()
