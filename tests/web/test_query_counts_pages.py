"""Every page that lists things answers in as many SQL statements for 10 cards as for 500
(issue 10, item 5): what a page costs grows with the rows it reads, not with round trips.

The world grows by bulk inserts (tests/support/query_counts.py): about 10, then about 500 of
every kind of listed thing — cards, comments, history, knelpunten, people, child teams,
ambitions, goals, measurements, stand-up records, meetings, closed sprints.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from app.db import writer
from app.services import feeds
from tests.support.clients import page_client
from tests.support.query_counts import Counted, Growth, count_twice, site_on_copy

# (who looks, the address with {names} of the grown world's rows)
PAGES = [
    ("member", "/"),
    ("member", "/teams"),
    ("member", "/teams/{team}"),
    ("member", "/teams/{team}?sprint_id={past}"),
    ("member", "/teams/{team}/rijen/a{ambition}"),
    ("member", "/teams/{team}/rijen/zonder"),
    ("member", "/teams/{top}"),
    ("member", "/teams/{top}/teams"),
    ("member", "/teams/{team}/knelpunten"),
    ("member", "/teams/{top}/knelpunten"),
    ("representative", "/teams/{top}/staand-overleg"),
    ("representative", "/teams/{top}/staand-overleg/aanwezig"),
    ("admin", "/teams/{top}/staand-overleg/verslag"),
    ("member", "/teams/{top}/staand-overleg/verslagen"),
    ("member", "/teams/{top}/staand-overleg/verslagen/{standup}"),
    ("member", "/mijn-acties"),
    ("member", "/mijn-acties/agenda"),
    ("member", "/teams/{team}/agenda"),
    ("member", "/agenda/{secret}.ics"),
    ("member", "/ambities"),
    ("member", "/ambities/{ambition}"),
    ("member", "/ambities/{ambition}/in-het-licht"),
    ("member", "/stand-van-zaken"),
    ("member", "/overzicht"),
    ("member", "/overzicht?zoek=woning"),
    ("member", "/teams/{team}/acties/{action}"),
    ("member", "/teams/{team}/acties/{action}/reacties"),
    ("member", "/teams/{team}/acties/{action}/kaart"),
    ("member", "/teams/{team}/acties/{action}/bewerken"),
    ("member", "/teams/{team}/acties/{action}/verplaatsen?naar=done"),
    ("member", "/teams/{team}/acties/{action}/opschalen"),
    ("member", "/knelpunten/{escalation}"),
    ("member", "/teams/{team}/evaluatie"),
    ("member", "/teams/{team}/evaluaties"),
    ("member", "/teams/{team}/in-het-licht"),
    ("lead", "/teams/{team}/periodes/{sprint}/afsluiten"),
    ("member", "/profiel"),
    ("member", "/profiel/gegevens.json"),
    ("admin", "/beheer"),
    ("admin", "/beheer/gemeenten"),
    ("admin", "/beheer/vergaderingen"),
    ("admin", "/beheer/medewerkers"),
    ("admin", "/beheer/medewerkers/{member}"),
    ("admin", "/beheer/teams"),
    ("admin", "/beheer/teams/{team}"),
    ("admin", "/beheer/teams/{top}"),
    ("admin", "/beheer/periodes"),
    ("admin", "/beheer/periodes/{sprint}/afsluiten"),
    ("admin", "/beheer/organisatie"),
]


def names(grown: Growth, secret: str) -> dict[str, object]:
    world = grown.world
    return {
        "team": world.team.id,
        "top": world.team_of_teams.id,
        "sprint": world.sprint.id,
        "past": grown.past_sprint_ids[0],
        "ambition": grown.ambition_id,
        "action": grown.action_id,
        "escalation": grown.escalation_id,
        "standup": grown.standup_id,
        "member": world.ids["member"],
        "secret": secret,
    }


@pytest.fixture(scope="module")
def counted(_templates, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counted]:
    """Every page counted at 10 and at 500 on one shared database (growing it once is much
    cheaper than once per page)."""
    with site_on_copy(_templates, tmp_path_factory.mktemp("counts")) as (world, app):
        with Session(writer(world.engine), expire_on_commit=False) as session:
            secret = feeds.new_personal_feed(session=session, user=world.users["member"])
        grown = Growth(world).to(10)
        urls = {address: address.format(**names(grown, secret)) for _, address in PAGES}
        clients = {who: page_client(app, world, who) for who in {who for who, _ in PAGES}}
        try:
            return count_twice(grown, urls, clients, {address: who for who, address in PAGES})
        finally:
            for client in clients.values():
                client.close()


@pytest.mark.parametrize("address", [page[1] for page in PAGES])
def test_the_page_answers_in_as_many_queries_for_500_cards_as_for_10(
    counted: dict[str, Counted], address: str
):
    counted[address].check()
