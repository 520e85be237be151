"""The reports in the API: PDF, XLSX and CSV with their content types and file names."""

from __future__ import annotations

import csv
import io
import re

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.integration.report_support import seed
from tests.support.builders import World

KINDS = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


def _filename(response) -> str:
    match = re.match(r'attachment; filename="([^"]+)"', response.headers["content-disposition"])
    assert match, response.headers["content-disposition"]
    return match.group(1)


@pytest.mark.parametrize("kind", KINDS)
def test_the_ambition_report_comes_as_a_file_of_its_kind(
    client: TestClient, world: World, kind: str
):
    seeded = seed(world)
    response = client.get(
        f"/api/v1/ambitions/{seeded.ambition.id}/report.{kind}", headers=world.headers("outsider")
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == KINDS[kind]
    assert _filename(response) == (
        f"ambitie-{seeded.ambition.id}-iedereen-doet-mee-{world.today.isoformat()}.{kind}"
    )
    assert response.headers["cache-control"] == "no-store"
    if kind == "pdf":
        assert response.content.startswith(b"%PDF-")
    elif kind == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        assert book["Overzicht"]["B3"].value == "Iedereen doet mee"
    else:
        lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
        assert ["Ambitie", "Iedereen doet mee"] in lines


@pytest.mark.parametrize("kind", KINDS)
def test_a_teams_sprint_report_comes_as_a_file_of_its_kind(
    client: TestClient, world: World, kind: str
):
    seeded = seed(world)
    url = f"/api/v1/teams/{world.team.id}/sprints/{seeded.earlier.id}/report.{kind}"
    response = client.get(url, headers=world.headers("member"))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == KINDS[kind]
    assert _filename(response) == f"periode-week-46-47-2026-jeugd.{kind}"
    if kind == "xlsx":
        book = load_workbook(io.BytesIO(response.content))
        assert book.sheetnames == ["Overzicht", "Acties", "Evaluatie"]
        actions = book["Acties"]
        assert actions["A1"].font.bold
        rows = {row[0]: row for row in actions.iter_rows(min_row=2, values_only=True)}
        assert rows["Flyeren op de markt"][2] == "Geschrapt"
        assert rows["Spreekuur Baarle regelen"][2] == "Doorgeschoven"
        assert rows["Folder laten drukken"][1] == "Member"
    if kind == "csv":
        text = response.content.decode("utf-8-sig")
        lines = list(csv.reader(io.StringIO(text), delimiter=";"))
        overview = {line[0]: line[1] for line in lines[2:12]}
        assert (overview["Gepland"], overview["Klaar"]) == ("3", "1")
        assert (overview["Doorgeschoven"], overview["Geschrapt"]) == ("1", "1")
        assert ["Wat is kwetsbaar", "Eén vrijwilliger draagt alles."] in lines


def test_reports_need_a_login_and_answer_404_for_what_does_not_exist(
    client: TestClient, world: World
):
    seeded = seed(world)
    url = f"/api/v1/ambitions/{seeded.ambition.id}/report.pdf"
    assert client.get(url).status_code == 401
    headers = world.headers("member")
    assert client.get("/api/v1/ambitions/999999/report.pdf", headers=headers).status_code == 404
    missing_sprint = f"/api/v1/teams/{world.team.id}/sprints/999999/report.csv"
    assert client.get(missing_sprint, headers=headers).status_code == 404
    missing_team = f"/api/v1/teams/999999/sprints/{seeded.earlier.id}/report.xlsx"
    assert client.get(missing_team, headers=headers).status_code == 404
    assert client.get(f"/api/v1/ambitions/{seeded.ambition.id}/report.doc").status_code in (
        401,
        404,
    )


def test_the_reports_are_in_the_schema_as_files(client: TestClient):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/ambitions/{ambition_id}/report.xlsx"]["get"]
    assert operation["operationId"] == "ambition_report_xlsx"
    assert operation["tags"] == ["reports"]
    content = operation["responses"]["200"]["content"]
    assert list(content) == [KINDS["xlsx"]]
    sprint = schema["paths"]["/api/v1/teams/{team_id}/sprints/{sprint_id}/report.pdf"]["get"]
    assert "application/pdf" in sprint["responses"]["200"]["content"]
