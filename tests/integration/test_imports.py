"""Importing actions from CSV or XLSX: every row through the create rule, in one transaction;
nothing while any row is invalid unless the invalid rows are skipped; a dry run only checks."""

from __future__ import annotations

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook
from sqlmodel import Session, func, select

from app.models import Action, ActionStatus, AmbitionCreate
from app.services import ambitions, imports
from app.services.errors import Forbidden, Invalid
from tests.integration.service_helpers import as_, audit_rows
from tests.support.builders import World

GOOD = (
    "titel;omschrijving;eigenaar;status;streefdatum;ambitie;reden blokkade\n"
    "Wijkavond plannen;Met de buurtcoaches;Lead;bezig;4-12-2026;;\n"
    "Subsidie aanvragen;;member@example.org;Geblokkeerd;2026-12-18;;Wacht op het college\n"
    "Gewoon doen;;;;;;\n"
)


def _import(session: Session, world: World, text: str | bytes, who: str = "member", **flags):
    content = text.encode("utf-8") if isinstance(text, str) else text
    return imports.import_actions(
        session=session,
        actor=as_(session, world, who),
        team_id=world.team.id,
        filename="acties.csv",
        content=content,
        today=world.today,
        **flags,
    )


def _actions(session: Session) -> list[Action]:
    return list(session.exec(select(Action).order_by(Action.id)).all())  # type: ignore[arg-type]


def test_a_good_file_adds_every_row_as_an_action(world: World, session: Session):
    result = _import(session, world, GOOD)
    assert result.imported == 3 and result.invalid == 0
    first, second, third = _actions(session)
    assert (first.title, first.owner_id, first.status, first.due_date) == (
        "Wijkavond plannen",
        world.users["lead"].id,
        ActionStatus.doing,
        date(2026, 12, 4),
    )
    assert first.description == "Met de buurtcoaches"
    assert (second.status, second.blocked_reason, second.due_date) == (
        ActionStatus.blocked,
        "Wacht op het college",
        date(2026, 12, 18),
    )
    # an empty owner is the importer, an empty status te doen
    assert (third.owner_id, third.status) == (world.users["member"].id, ActionStatus.todo)
    assert {a.team_id for a in (first, second, third)} == {world.team.id}
    assert [row.action_id for row in result.rows] == [first.id, second.id, third.id]


def test_one_bad_row_stops_the_whole_import_with_a_message_per_field(
    world: World, session: Session
):
    text = GOOD + "Zonder eigenaar;;Onbekende Collega;misschien;31-02-2026;Geen ambitie;\n"
    before = audit_rows(session)
    result = _import(session, world, text)
    assert result.imported == 0 and result.invalid == 1
    bad = result.rows[-1]
    assert bad.row == 5
    assert set(bad.errors) == {"eigenaar", "status", "streefdatum", "ambitie"}
    assert bad.errors["status"].startswith("Kies als status te doen")
    assert [row.errors for row in result.rows[:3]] == [{}, {}, {}]
    assert _actions(session) == [] and audit_rows(session) == before


def test_skipping_invalid_rows_imports_only_the_valid_ones(world: World, session: Session):
    text = GOOD + ";zonder titel;;;;;\nGeblokkeerd zonder reden;;;geblokkeerd;;;\n"
    result = _import(session, world, text, skip_invalid=True)
    assert result.imported == 3 and result.invalid == 2
    assert result.rows[3].errors == {"titel": "Vul een titel in."}
    assert set(result.rows[4].errors) == {"reden blokkade"}
    assert [a.title for a in _actions(session)] == [
        "Wijkavond plannen",
        "Subsidie aanvragen",
        "Gewoon doen",
    ]


def test_a_dry_run_checks_everything_and_stores_nothing(world: World, session: Session):
    result = _import(session, world, GOOD, dry_run=True)
    assert result.imported == 0 and result.invalid == 0
    assert all(row.action_id is None for row in result.rows)
    assert _actions(session) == []


def test_owners_must_be_on_the_team_and_ambitions_are_found_by_title(
    world: World, session: Session
):
    admin = as_(session, world, "admin")
    ambition = ambitions.create_ambition(
        session=session, actor=admin, data=AmbitionCreate(title="Iedereen doet mee")
    )
    text = (
        "Titel,Eigenaar,Ambitie\n"
        "Met ambitie,member,iedereen  doet mee\n"
        "Buitenstaander,outsider@example.org,\n"
    )
    result = _import(session, world, text, skip_invalid=True)
    assert result.rows[0].errors == {}
    assert result.rows[1].errors == {
        "eigenaar": "Geen lid van dit team heet zo of heeft dit e-mailadres."
    }
    (action,) = _actions(session)
    assert action.ambition_id == ambition.id


def test_rows_with_personal_data_are_invalid_unless_the_import_confirms(
    world: World, session: Session
):
    text = "titel;omschrijving\nBellen;Mevrouw via 06-12345678\nWerk;Gewoon werk\n"
    refused = _import(session, world, text)
    assert refused.imported == 0
    assert "persoonsgegevens" in refused.rows[0].errors["omschrijving"]
    confirmed = _import(session, world, text, confirm_personal_data=True)
    assert confirmed.imported == 2


@pytest.mark.parametrize(
    ("content", "title"),
    [
        ("\ufefftitel;status\nCafé plannen;te doen\n".encode(), "Café plannen"),
        ("titel;status\r\nCafé plannen;te doen\r\n".encode("cp1252"), "Café plannen"),
        (b'titel,omschrijving\n"Overleg, kort","a; b"\n', "Overleg, kort"),
    ],
)
def test_utf8_with_bom_windows_1252_and_comma_separated_files_are_read(
    world: World, session: Session, content: bytes, title: str
):
    result = _import(session, world, content)
    assert result.imported == 1
    assert _actions(session)[0].title == title


def test_an_xlsx_file_is_read_with_date_cells(world: World, session: Session):
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Titel", "Streefdatum", "Status", "Onbekend"])
    sheet.append(["Uit Excel", datetime(2026, 12, 4), "Klaar", "x"])
    sheet.append([None, None, None, None])
    sheet.append(["Tweede", "4-12-2026", None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = imports.import_actions(
        session=session,
        actor=as_(session, world, "member"),
        team_id=world.team.id,
        filename="acties.xlsx",
        content=buffer.getvalue(),
        today=world.today,
    )
    assert result.imported == 2 and result.ignored_columns == ["Onbekend"]
    first, second = _actions(session)
    assert second.due_date == date(2026, 12, 4)
    assert (first.due_date, first.status, first.done_at is not None) == (
        date(2026, 12, 4),
        ActionStatus.done,
        True,
    )
    assert result.rows[1].row == 4  # the empty row still counts in the file


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b"", "Kies een bestand"),
        (b"   \n\n", "Het bestand is leeg"),
        (b"naam;status\nx;bezig\n", "titel” ontbreekt"),
        (b"titel;Titel\nx;y\n", "twee keer"),
        (b"titel\n", "alleen kolomnamen"),
        (b"titel\n" + b"actie\n" * 501, "501 rijen"),
        (b"titel\n" + b"x" * 1_000_001, "hoogstens 1 MB"),
        (b"PK\x03\x04kapot", "kunnen we niet lezen"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_on_file(
    world: World, session: Session, content: bytes, says: str
):
    with pytest.raises(Invalid) as refused:
        _import(session, world, content)
    assert says in refused.value.errors["file"]


def test_only_members_of_the_team_import(world: World, session: Session):
    with pytest.raises(Forbidden):
        _import(session, world, GOOD, who="outsider")
    assert session.exec(select(func.count()).select_from(Action)).one() == 0


def test_one_look_shows_every_message_of_a_row(world: World, session: Session):
    text = (
        "titel;omschrijving;eigenaar;status;streefdatum;reden blokkade\n"
        "Bellen;Via 06-12345678;Niemand;geblokkeerd;ooit;\n"
    )
    (row,) = _import(session, world, text).rows
    assert set(row.errors) == {"omschrijving", "eigenaar", "streefdatum", "reden blokkade"}
    assert _actions(session) == []
