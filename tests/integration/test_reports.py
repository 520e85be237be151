"""The reports: what they hold, and the PDF, XLSX and CSV they are written as."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.domain.evaluation import wins
from app.domain.indicators import on_target
from app.models import ActionStatus
from app.queries.head import ambition_stands
from app.services import reports
from app.services.errors import NotFound
from app.services.reports import Format, no_remote_fetches
from tests.integration.report_support import add_ambition, indicators_for, seed
from tests.support.builders import World


def test_a_value_meets_its_target_from_the_side_its_direction_says():
    assert on_target(42, target=40, direction="up") and on_target(40, target=40, direction="up")
    assert not on_target(39.9, target=40, direction="up")
    assert on_target(9, target=10, direction="down")
    assert not on_target(14, target=10, direction="down")


def test_in_het_licht_is_one_item_per_line_without_list_marks():
    assert wins("Eerste spreekuur\n\n- Folder is af\n • Website  ") == [
        "Eerste spreekuur",
        "Folder is af",
        "Website",
    ]


def ambition_report(world: World, ambition_id: int):
    with Session(world.engine) as session:
        return reports.load_ambition_report(
            session=session, ambition_id=ambition_id, today=world.today
        )


def test_the_ambition_report_holds_progress_goals_indicators_knelpunten_and_wins(world: World):
    seeded = seed(world)
    report = ambition_report(world, seeded.ambition.id)  # type: ignore[arg-type]

    assert report.organisation == ("Werkorganisatie Alphen-Chaam, Baarle-Nassau en Gilze en Rijen")
    earlier = next(row for row in report.progress if row.sprint_id == seeded.earlier.id)
    assert (earlier.planned, earlier.done, earlier.carried_over) == (3, 1, 1)
    assert report.goals_met == 1 and len(report.goals) == 2
    stands = {item.indicator.name: item for item in report.indicators}
    assert stands["Deelnemers"].latest.value == 42.5  # type: ignore[union-attr]
    assert stands["Deelnemers"].on_target is True
    assert stands["Wachttijd"].on_target is False
    assert stands["Tevredenheid"].latest is None and stands["Tevredenheid"].on_target is None
    assert [item.escalation.note for item in report.escalations] == [
        "Budget voor de zaalhuur nodig"
    ]
    assert [item.text for item in report.wins] == ["Eerste spreekuur: 14 bezoekers", "Folder is af"]


def test_a_report_of_an_ambition_that_does_not_exist_is_not_found(world: World):
    with pytest.raises(NotFound):
        ambition_report(world, 999_999)


def test_the_sprint_report_counts_planned_done_carried_over_and_dropped(world: World):
    seeded = seed(world)
    with Session(world.engine) as session:
        report = reports.load_sprint_report(
            session=session,
            team_id=world.team.id,  # type: ignore[arg-type]
            sprint_id=seeded.earlier.id,  # type: ignore[arg-type]
            today=world.today,
        )
    assert (report.planned, report.done, report.carried_over, report.dropped) == (3, 1, 1, 1)
    rows = {row.action.title: row for row in report.actions}
    assert rows["Spreekuur Baarle regelen"].status == "carried_over"
    assert rows["Flyeren op de markt"].status == ActionStatus.dropped
    assert rows["Folder laten drukken"].owner == "Member"
    assert report.evaluation is not None
    assert report.evaluation.vulnerable == "Eén vrijwilliger draagt alles."


def test_the_pdf_is_a4_with_pages_and_fetches_nothing_from_elsewhere(world: World):
    seeded = seed(world)
    report = ambition_report(world, seeded.ambition.id)  # type: ignore[arg-type]
    html = reports.ambition_html(report)
    assert "Rapportage ambitie" in html and "Pagina " in html
    assert "Iedereen doet mee" in html and "Eerste spreekuur: 14 bezoekers" in html
    # a title page and at least one page of content
    assert reports.page_count(html) >= 2

    rendered = reports.render_ambition_report(report, Format.pdf)
    assert rendered.body.startswith(b"%PDF-")
    assert rendered.media_type == "application/pdf"
    assert rendered.filename == f"ambitie-{seeded.ambition.id}-iedereen-doet-mee-2026-11-25.pdf"
    with pytest.raises(ValueError):
        no_remote_fetches().fetch("https://example.org/logo.png")
    with pytest.raises(ValueError):
        no_remote_fetches().fetch("file:///etc/passwd")


def test_the_sprint_pdf_lays_out_pages(world: World):
    seeded = seed(world)
    with Session(world.engine) as session:
        report = reports.load_sprint_report(
            session=session,
            team_id=world.team.id,  # type: ignore[arg-type]
            sprint_id=seeded.earlier.id,  # type: ignore[arg-type]
            today=world.today,
        )
    html = reports.sprint_html(report)
    assert "Wat is opvallend afwezig" in html and "Markt gaat niet door" in html
    assert reports.page_count(html) >= 2
    assert reports.render_sprint_report(report, Format.pdf).body.startswith(b"%PDF-")


def test_the_workbook_has_a_sheet_per_section_with_bold_headers_dates_and_numbers(world: World):
    seeded = seed(world)
    report = ambition_report(world, seeded.ambition.id)  # type: ignore[arg-type]
    rendered = reports.render_ambition_report(report, Format.xlsx)
    book = load_workbook(io.BytesIO(rendered.body))

    assert book.sheetnames == [
        "Overzicht",
        "Voortgang",
        "Doelen",
        "Indicatoren",
        "Knelpunten",
        "In het licht",
    ]
    progress = book["Voortgang"]
    assert progress["A1"].value == "Periode" and progress["A1"].font.bold
    row = next(
        r for r in progress.iter_rows(min_row=2) if r[1].value.date() == seeded.earlier.start_date
    )
    assert [cell.value for cell in row[3:6]] == [3, 1, 1]
    assert row[1].is_date and row[1].number_format == "d-m-yyyy"
    indicators = book["Indicatoren"]
    assert indicators["A2"].value == "Deelnemers" and indicators["C2"].value == 42.5
    assert indicators["E2"].value == 40 and indicators["G2"].value == "gehaald"
    assert indicators["D2"].value.date() == date(2026, 11, 1)
    assert book["Knelpunten"]["E2"].value == 0  # raised today


def test_the_csv_opens_in_dutch_excel(world: World):
    seeded = seed(world)
    report = ambition_report(world, seeded.ambition.id)  # type: ignore[arg-type]
    rendered = reports.render_ambition_report(report, Format.csv)

    assert rendered.body.startswith("\ufeff".encode())
    assert rendered.media_type == "text/csv; charset=utf-8"
    lines = list(csv.reader(io.StringIO(rendered.body.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Overzicht"]
    assert lines[1] == ["Gegeven", "Waarde"]
    indicators = lines[lines.index(["Indicatoren"]) + 2]
    assert indicators[:3] == ["Deelnemers", "personen", "42,5"]
    assert indicators[3] == "2026-11-01"


@contextmanager
def counting(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_heads_view_reads_8_ambitions_in_as_many_queries_as_2(world: World):
    seeded = seed(world)
    add_ambition(world, "Tweede")

    def queries() -> int:
        with Session(world.engine) as session, counting(world.engine) as statements:
            stands = ambition_stands(session, today=world.today)
        assert stands
        return len(statements)

    few = queries()
    for n in range(6):
        more = add_ambition(world, f"Ambitie {n}")
        indicators_for(world, more)
    many = queries()
    assert few == many, (few, many)

    with Session(world.engine) as session:
        stand = next(
            item
            for item in ambition_stands(session, today=world.today)
            if item.ambition.id == seeded.ambition.id
        )
    earlier = next(point for point in stand.trend if point.sprint.id == seeded.earlier.id)
    assert (earlier.done, earlier.carried_over) == (1, 1)
    assert stand.goals_met == 1
    assert [item.age_days for item in stand.escalations] == [0]
    assert stand.highlights[0].text == "Eerste spreekuur: 14 bezoekers"


def _texts(box, found: list[str]) -> list[str]:
    if hasattr(box, "text"):
        found.append(box.text)
    for child in getattr(box, "children", None) or []:
        _texts(child, found)
    return found


def test_every_page_after_the_title_page_names_the_organisation_and_its_number(world: World):
    seeded = seed(world)
    report = ambition_report(world, seeded.ambition.id)  # type: ignore[arg-type]
    document = reports.laid_out(reports.ambition_html(report))
    # the page's margin boxes (WeasyPrint's layout, read before it becomes a PDF)
    footers = [
        [
            " ".join(_texts(box, []))
            for box in page._page_box.children
            if type(box).__name__ == "MarginBox"
        ]
        for page in document.pages
    ]
    total = len(document.pages)
    assert footers[0] == []  # the title page has none
    for number, footer in enumerate(footers[1:], start=2):
        assert footer == [report.organisation, f"Pagina {number} van {total}"]


def test_text_that_looks_like_a_formula_stays_text_in_the_workbook_and_the_csv(world: World):
    ambition = add_ambition(world, '=HYPERLINK("https://example.org","klik")')
    report = ambition_report(world, ambition.id)  # type: ignore[arg-type]
    book = load_workbook(io.BytesIO(reports.render_ambition_report(report, Format.xlsx).body))
    title = book["Overzicht"]["B3"]
    assert title.value == '=HYPERLINK("https://example.org","klik")' and title.data_type == "s"
    text = reports.render_ambition_report(report, Format.csv).body.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert ["Ambitie", '\'=HYPERLINK("https://example.org","klik")'] in lines
