"""The ambition page: goals marked achieved with a count, indicators (at most five) with a
chart and the table behind it, measurements by hand and from a CSV file checked row by row."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from app.db import writer
from app.models import Goal, GoalCreate, IndicatorCreate, Measurement, MeasurementCreate
from app.services import ambitions, indicators
from tests.support.builders import World
from tests.web.test_ambitions_pages import make_ambition


def add_goal(world: World, ambition_id: int, title: str, done: bool = False) -> Goal:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        goal = ambitions.add_goal(
            session=session,
            actor=world.access("admin"),
            ambition_id=ambition_id,
            data=GoalCreate(title=title),
        )
        goal.is_done = done
        session.add(goal)
        session.commit()
        return goal


def add_indicator(world: World, ambition_id: int, name: str = "Wachttijd jeugdhulp", **kw):
    kw.setdefault("target", 42)
    kw.setdefault("direction", "down")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return indicators.add_indicator(
            session=session,
            actor=world.access("admin"),
            ambition_id=ambition_id,
            data=IndicatorCreate(name=name, unit="dagen", **kw),
        )


def measure(world: World, indicator_id: int, day: date, value: float) -> None:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        indicators.add_measurement(
            session=session,
            actor=world.access("admin"),
            indicator_id=indicator_id,
            data=MeasurementCreate(date=day, value=value),
        )


def values_of(world: World, indicator_id: int) -> list[tuple[date, float, str]]:
    with Session(world.engine) as session:
        rows = session.exec(
            select(Measurement)
            .where(Measurement.indicator_id == indicator_id)
            .order_by(Measurement.measured_on)  # type: ignore[arg-type]
        ).all()
        return [(m.measured_on, m.value, m.note) for m in rows]


# --- goals -------------------------------------------------------------------------------------


def test_the_page_counts_the_goals_met_and_the_lead_marks_one_achieved(login, world):
    ambition = make_ambition(world)
    add_goal(world, ambition.id, "Wachtlijst halveren", done=True)
    goal = add_goal(world, ambition.id, "Tien gezinnen bereikt")
    client = login("lead")
    page = client.get(f"/ambities/{ambition.id}").text
    assert "1 van 2 doelen behaald" in page
    assert f'id="doel-{goal.id}-behaald"' in page

    answer = client.post(
        f"/ambities/{ambition.id}/doelen/{goal.id}/behaald",
        data={"csrf_token": client.csrf_token, "is_done": "true"},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "2 van 2 doelen behaald" in client.get(f"/ambities/{ambition.id}").text

    htmx = client.htmx(
        "POST", f"/ambities/{ambition.id}/doelen/{goal.id}/behaald", data={"is_done": "false"}
    )
    assert htmx.status_code == 200
    assert "1 van 2 doelen behaald" in htmx.text and "is nog niet behaald" in htmx.text


def test_the_overview_counts_the_goals_met_per_ambition(login, world):
    ambition = make_ambition(world)
    add_goal(world, ambition.id, "Een", done=True)
    add_goal(world, ambition.id, "Twee")
    add_goal(world, ambition.id, "Drie", done=True)
    page = login("member").get("/ambities").text
    card = page.split(f'id="ambitie-kaart-{ambition.id}"')[1].split("</li>")[0]
    assert "2 van 3 doelen behaald" in card


def test_a_member_sees_the_count_but_no_control_and_may_not_mark_a_goal(login, world):
    ambition = make_ambition(world)
    goal = add_goal(world, ambition.id, "Doel")
    client = login("member")
    page = client.get(f"/ambities/{ambition.id}").text
    assert "0 van 1 doel behaald" in page and "Markeer als behaald" not in page
    answer = client.htmx(
        "POST", f"/ambities/{ambition.id}/doelen/{goal.id}/behaald", data={"is_done": "true"}
    )
    assert answer.status_code == 403


def test_a_goal_of_another_ambition_is_not_found_there(login, world):
    ambition, other = make_ambition(world), make_ambition(world, title="Andere")
    goal = add_goal(world, other.id, "Doel")
    answer = login("lead").htmx(
        "POST", f"/ambities/{ambition.id}/doelen/{goal.id}/behaald", data={"is_done": "true"}
    )
    assert answer.status_code == 404


# --- indicators --------------------------------------------------------------------------------


def test_an_indicator_shows_its_target_a_chart_with_the_target_line_and_a_table(login, world):
    ambition = make_ambition(world)
    found = add_indicator(world, ambition.id)
    measure(world, found.id, date(2026, 9, 1), 58)
    measure(world, found.id, date(2026, 10, 1), 47.5)
    page = login("member").get(f"/ambities/{ambition.id}").text
    assert "Wachttijd jeugdhulp" in page and "42 dagen (lager is beter)" in page
    assert f'aria-labelledby="lijn-titel-{found.id} lijn-uitleg-{found.id}"' in page
    assert 'class="grafiek__streef"' in page and "streefwaarde 42 dagen" in page
    table = page.split(f'id="metingen-{found.id}"')[1].split("</table>")[0]
    assert "1 sep." in table and "47,5 dagen" in table and "nog niet op streefwaarde" in table
    assert "Meting invoeren" not in page  # a member reads, the editors write


def test_the_lead_adds_an_indicator_and_a_sixth_is_refused_with_a_clear_message(login, world):
    ambition = make_ambition(world)
    client = login("lead")
    added = client.post(
        f"/ambities/{ambition.id}/indicatoren",
        data={
            "csrf_token": client.csrf_token,
            "name": "Tevredenheid",
            "unit": "%",
            "target": "80",
            "direction": "up",
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    for n in range(4):
        add_indicator(world, ambition.id, name=f"Indicator {n}")
    page = client.get(f"/ambities/{ambition.id}").text
    assert "hoogstens vijf indicatoren" in page and 'id="indicator-toevoegen"' not in page
    sixth = client.htmx(
        "POST",
        f"/ambities/{ambition.id}/indicatoren",
        data={"name": "Zesde", "target": "1", "direction": "up"},
    )
    assert sixth.status_code == 422
    assert "hoogstens vijf indicatoren" in sixth.text


def test_a_target_that_is_no_number_is_refused_per_field(login, world):
    ambition = make_ambition(world)
    answer = login("lead").htmx(
        "POST",
        f"/ambities/{ambition.id}/indicatoren",
        data={"name": "", "target": "veel", "direction": "up"},
    )
    assert answer.status_code == 422
    assert "Dit is geen getal" in answer.text


def test_a_measurement_by_hand_takes_a_decimal_comma_and_replaces_the_same_date(login, world):
    ambition = make_ambition(world)
    found = add_indicator(world, ambition.id)
    client = login("lead")
    url = f"/ambities/{ambition.id}/indicatoren/{found.id}/metingen"
    first = client.htmx("POST", url, data={"date": "2026-11-01", "value": "44,5", "note": ""})
    assert first.status_code == 200 and "44,5 dagen" in first.text
    client.htmx("POST", url, data={"date": "2026-11-01", "value": "41", "note": "herteld"})
    assert values_of(world, found.id) == [(date(2026, 11, 1), 41.0, "herteld")]
    bad = client.htmx("POST", url, data={"date": "", "value": "veel"})
    assert bad.status_code == 422 and "Dit is geen getal" in bad.text


def test_a_csv_is_checked_row_by_row_and_nothing_is_stored_while_a_row_is_wrong(login, world):
    ambition = make_ambition(world)
    found = add_indicator(world, ambition.id)
    client = login("lead")
    url = f"/ambities/{ambition.id}/indicatoren/{found.id}/csv"
    wrong = "datum;waarde;toelichting\n01-09-2026;58;start\n31-09-2026;50;\n2026-11-01;veel;\n"
    answer = client.post(
        url,
        data={"csrf_token": client.csrf_token},
        files={"file": ("metingen.csv", wrong.encode(), "text/csv")},
    )
    assert answer.status_code == 422
    preview = answer.text.split(f'id="csv-voorbeeld-{found.id}"')[1].split("</table>")[0]
    assert "Dit is geen datum" in preview and "Dit is geen getal" in preview
    assert f'id="csv-opslaan-{found.id}"' not in answer.text
    assert values_of(world, found.id) == []

    good = "datum;waarde;toelichting\n01-09-2026;58;start\n2026-10-01;47,5;\n"
    checked = client.post(
        url,
        data={"csrf_token": client.csrf_token},
        files={"file": ("metingen.csv", good.encode("cp1252"), "text/csv")},
    )
    assert checked.status_code == 200 and "Deze 2 metingen opslaan" in checked.text
    assert values_of(world, found.id) == []  # a preview stores nothing
    stored = client.post(
        f"{url}/opslaan",
        data={"csrf_token": client.csrf_token, "csv_text": good},
        follow_redirects=False,
    )
    assert stored.status_code == 303
    assert values_of(world, found.id) == [
        (date(2026, 9, 1), 58.0, "start"),
        (date(2026, 10, 1), 47.5, ""),
    ]


def test_no_file_is_a_message_on_the_field(login, world):
    ambition = make_ambition(world)
    found = add_indicator(world, ambition.id)
    client = login("lead")
    answer = client.post(
        f"/ambities/{ambition.id}/indicatoren/{found.id}/csv",
        data={"csrf_token": client.csrf_token},
    )
    assert answer.status_code == 422 and "Kies een CSV-bestand" in answer.text


def test_a_member_may_not_enter_or_upload_measurements(login, world):
    ambition = make_ambition(world)
    found = add_indicator(world, ambition.id)
    client = login("member")
    base = f"/ambities/{ambition.id}/indicatoren/{found.id}"
    assert (
        client.htmx(
            "POST", f"{base}/metingen", data={"date": "2026-11-01", "value": "1"}
        ).status_code
        == 403
    )
    assert (
        client.htmx("POST", f"{base}/csv/opslaan", data={"csv_text": "2026-11-01;1"}).status_code
        == 403
    )
    assert client.htmx("POST", f"{base}/verwijderen").status_code == 403
    assert values_of(world, found.id) == []


def test_the_lead_removes_an_indicator(login, world):
    ambition = make_ambition(world)
    found = add_indicator(world, ambition.id)
    answer = login("lead").htmx(
        "POST", f"/ambities/{ambition.id}/indicatoren/{found.id}/verwijderen"
    )
    assert answer.status_code == 200
    assert "Wachttijd jeugdhulp" in answer.text  # the melding names it
    assert f'id="indicator-{found.id}"' not in answer.text
