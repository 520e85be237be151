"""Reading a spreadsheet of actions, without a database: dates, statuses, separators,
encodings, headers and the limits."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import imports
from app.models import ActionStatus


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-04", date(2026, 12, 4)),
        ("4-12-2026", date(2026, 12, 4)),
        ("04-12-2026", date(2026, 12, 4)),
        ("4/12/2026", date(2026, 12, 4)),
        ("4.12.2026", date(2026, 12, 4)),
        ("2026-12-04 00:00:00", date(2026, 12, 4)),
        ("", None),
        ("  ", None),
    ],
)
def test_dates_in_both_orders(text: str, expected: date | None):
    assert imports.parse_date(text) == expected


@pytest.mark.parametrize("text", ["31-02-2026", "12/04/26", "morgen", "2026-13-01", "20261204"])
def test_what_is_no_date_is_a_value_error(text: str):
    with pytest.raises(ValueError):
        imports.parse_date(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("te doen", ActionStatus.todo),
        ("Te  Doen", ActionStatus.todo),
        ("", ActionStatus.todo),
        ("BEZIG", ActionStatus.doing),
        ("klaar", ActionStatus.done),
        ("Geblokkeerd", ActionStatus.blocked),
        ("misschien", None),
        ("vervallen", None),  # dropping happens only when a team closes its sprint
    ],
)
def test_statuses_by_their_dutch_names(text: str, expected: ActionStatus | None):
    assert imports.parse_status(text) == expected


def test_the_separator_is_what_the_header_line_uses_most():
    assert imports.csv_cells("titel;omschrijving\na, b;c\n") == [
        ["titel", "omschrijving"],
        ["a, b", "c"],
    ]
    assert imports.csv_cells('titel,omschrijving\n"a; b",c\n') == [
        ["titel", "omschrijving"],
        ["a; b", "c"],
    ]


def test_utf8_with_or_without_bom_and_windows_1252():
    assert imports.decode("\ufefftitel\nCafé".encode()) == "titel\nCafé"
    assert imports.decode("titel\nCafé".encode()) == "titel\nCafé"
    assert imports.decode("titel\nCafé – €".encode("cp1252")) == "titel\nCafé – €"


def test_headers_in_any_case_with_extra_spaces_and_unknown_ones_left_out():
    table = imports.table(
        [
            ["  Titel ", "REDEN   blokkade", "Opmerking", ""],
            ["Actie", "Wacht", "x", ""],
            ["", "", "", ""],
            ["Tweede", "", "", ""],
        ]
    )
    assert table.ignored == ["Opmerking"]
    assert [(row.number, row.values) for row in table.rows] == [
        (2, {"title": "Actie", "blocked_reason": "Wacht"}),
        (4, {"title": "Tweede", "blocked_reason": ""}),
    ]


def test_a_short_row_has_empty_fields():
    (row,) = imports.table([["titel", "status"], ["Alleen titel"]]).rows
    assert row.get("status") == "" and imports.typed_fields(row) == {
        "status": ActionStatus.todo,
        "due_date": None,
    }


def test_typed_fields_say_what_means_nothing():
    (row,) = imports.table([["titel", "status", "streefdatum"], ["x", "soms", "ooit"]]).rows
    assert imports.typed_fields(row) == {}
    assert row.errors == {"status": imports.BAD_STATUS, "due_date": imports.BAD_DATE}


@pytest.mark.parametrize(
    ("cells", "problem"),
    [
        ([], imports.EMPTY),
        ([["", " "]], imports.EMPTY),
        ([["naam"], ["x"]], imports.NO_TITLE_COLUMN),
        ([["titel"]], imports.NO_ROWS),
        ([["titel"]] + [["x"]] * 501, imports.TOO_MANY_ROWS),
        ([["titel", "Titel"], ["x", "y"]], imports.DOUBLE_COLUMN),
    ],
)
def test_a_file_that_is_no_list_of_actions(cells: list[list[str]], problem: str):
    with pytest.raises(imports.FileProblem) as refused:
        imports.table(cells)
    assert getattr(refused.value.message, "template", refused.value.message) == problem


def test_five_hundred_rows_are_fine_and_the_size_limit_is_one_megabyte():
    assert len(imports.table([["titel"]] + [["x"]] * 500).rows) == 500
    with pytest.raises(imports.FileProblem) as refused:
        imports.read("a.csv", b"titel\n" + b"x" * imports.MAX_BYTES)
    assert refused.value.message == imports.TOO_BIG


def test_a_zip_that_is_no_workbook_is_refused():
    with pytest.raises(imports.FileProblem) as refused:
        imports.read("acties.xlsx", b"PK\x03\x04niet echt")
    assert refused.value.message == imports.NOT_A_SPREADSHEET


def test_an_open_quote_that_swallows_the_file_is_a_file_problem():
    with pytest.raises(imports.FileProblem) as refused:
        imports.read("a.csv", b'titel\n"' + b"x" * 200_000 + b'"\n')
    assert refused.value.message == imports.CELL_TOO_LONG
