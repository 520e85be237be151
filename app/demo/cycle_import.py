"""The demo's import: the Voordeur kept its loose ends in a shared spreadsheet and moved them
onto its board with Acties importeren (the same check and create rule as the page and the API),
as its lead Willem Dekker."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import TYPE_CHECKING

from app.demo.common import email_for
from app.services import imports

if TYPE_CHECKING:
    from app.demo.small import SmallDemo

FILENAME = "losse-eindjes-voordeur.csv"
AMBITION = "Eén voordeur voor elke vraag"
# (titel, omschrijving, eigenaar, status, days until the streefdatum or None, ambitie?, reden)
ROWS = (
    (
        "Veelgestelde vragen over de energietoeslag op de website",
        "Antwoorden van de klantcontactmedewerkers bundelen; de webredactie zet ze online.",
        "Sarah Koster",
        "bezig",
        9,
        True,
        "",
    ),
    (
        "Terugbelafspraken in één agenda voor Alphen, Baarle-Nassau en Rijen",
        "Nu staat elke gemeente in een eigen lijst; één agenda voorkomt dubbel bellen.",
        email_for("Ingrid Smit"),
        "te doen",
        16,
        True,
        "",
    ),
    (
        "Werkinstructie warme overdracht naar het sociaal team",
        "",
        "Willem Dekker",
        "geblokkeerd",
        None,
        False,
        "Wacht op het nieuwe privacyprotocol van de drie gemeenten",
    ),
)


def seed_imported_actions(demo: SmallDemo) -> None:
    text = io.StringIO()
    sheet = csv.writer(text, delimiter=";")  # quotes a cell that holds a ";"
    sheet.writerow(
        ("titel", "omschrijving", "eigenaar", "status", "streefdatum", "ambitie", "reden blokkade")
    )
    for title, description, owner, status, days, with_ambition, reason in ROWS:
        due = demo.today + timedelta(days=days) if days is not None else None
        streefdatum = f"{due.day}-{due.month}-{due.year}" if due else ""
        ambitie = AMBITION if with_ambition else ""
        sheet.writerow((title, description, owner, status, streefdatum, ambitie, reason))
    team = demo.teams["voordeur"]
    assert team.id is not None
    result = imports.import_actions(
        session=demo.session,
        actor=demo.as_person("willem"),
        team_id=team.id,
        filename=FILENAME,
        content=text.getvalue().encode("utf-8-sig"),
        today=demo.today,
    )
    assert result.imported == len(ROWS), [row.errors for row in result.rows]
