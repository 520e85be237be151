"""A team's evaluation of a sprint: written by the team, read by all, wins on the wall."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.domain.evaluation import wins
from app.models import EVALUATION_TEXT_MAX, AuditEvent, EvaluationWrite, Sprint
from app.queries.evaluations import evaluation_of, evaluations_of, wins_for_teams
from app.services import evaluations
from app.services.errors import Forbidden, Invalid, NotFound, StaleVersion
from tests.integration.service_helpers import as_
from tests.support.builders import World


def write(
    session: Session,
    world: World,
    who: str = "member",
    *,
    team_id=None,
    sprint_id=None,
    today=None,
    **texts,
):
    return evaluations.save_evaluation(
        session=session,
        actor=as_(session, world, who),
        team_id=team_id or world.team.id,
        sprint_id=sprint_id or world.sprint.id,
        data=EvaluationWrite(**texts),
        today=today or world.today,
    )


def test_a_member_writes_the_evaluation_in_the_feedback_order(world: World, session: Session):
    saved = write(
        session,
        world,
        goes_well="Het keukentafelgesprek is korter.",
        vulnerable="Eén persoon kent de werkvoorraad.",
        notably_absent="De wijkteams.",
        highlights="Wachtlijst Wmo onder de 20\n\n- Eerste gesprek binnen 5 dagen",
    )
    assert saved.version == 1
    assert saved.updated_by_id == world.users["member"].id
    found = evaluation_of(session, team_id=world.team.id, sprint_id=world.sprint.id)
    assert found is not None and found.goes_well == "Het keukentafelgesprek is korter."
    assert wins(found.highlights) == ["Wachtlijst Wmo onder de 20", "Eerste gesprek binnen 5 dagen"]


def test_saving_again_raises_the_version_and_is_audited(world: World, session: Session):
    write(session, world, goes_well="Eerst")
    second = write(session, world, "lead", goes_well="Daarna", version=1)
    assert second.version == 2
    events = session.exec(select(AuditEvent).where(AuditEvent.entity == "evaluation")).all()
    assert [e.verb for e in events] == ["created", "updated"]
    assert events[1].changes["goes_well"] == ["Eerst", "Daarna"]


def test_a_save_without_changes_keeps_the_version(world: World, session: Session):
    write(session, world, goes_well="Zelfde")
    assert write(session, world, goes_well="Zelfde").version == 1


def test_a_save_on_an_old_version_is_refused(world: World, session: Session):
    write(session, world, goes_well="Eerst")
    write(session, world, goes_well="Tweede")
    with pytest.raises(StaleVersion):
        write(session, world, goes_well="Op een oude kopie", version=1)
    session.rollback()
    with pytest.raises(StaleVersion):
        # the first save says it read nothing (version 0) but another came first
        write(session, world, goes_well="Ook", version=0)


def test_only_the_team_writes_its_evaluation(world: World, session: Session):
    with pytest.raises(Forbidden):
        write(session, world, "outsider", goes_well="Ingebroken")
    # the team of teams reads it, it does not write it for the team (a representative writes on
    # the team of teams' board, and on the team's own as a member of it)
    with pytest.raises(Forbidden):
        write(session, world, "member", team_id=world.other_team.id, goes_well="Ingebroken")
    assert write(session, world, "admin", goes_well="Beheer").version == 1


def test_each_part_has_a_maximum_length_with_a_dutch_message(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        write(
            session,
            world,
            goes_well="x" * (EVALUATION_TEXT_MAX + 1),
            highlights="y" * (EVALUATION_TEXT_MAX + 1),
        )
    assert set(refused.value.errors) == {"goes_well", "highlights"}
    assert refused.value.errors["goes_well"] == (
        f"Maak wat goed gaat korter: hoogstens {EVALUATION_TEXT_MAX} tekens."
    )
    # exactly the maximum is fine
    assert write(session, world, vulnerable="z" * EVALUATION_TEXT_MAX).version == 1


def test_a_sprint_that_has_not_begun_is_not_evaluated(world: World, session: Session):
    future = Sprint(
        start_date=world.sprint.end_date + timedelta(days=1),
        end_date=world.sprint.end_date + timedelta(days=14),
    )
    session.add(future)
    session.commit()
    with pytest.raises(Invalid) as refused:
        write(session, world, sprint_id=future.id, goes_well="Te vroeg")
    assert "sprint_id" in refused.value.errors


def test_unknown_team_or_sprint_is_not_found(world: World, session: Session):
    with pytest.raises(NotFound):
        write(session, world, team_id=999_999, goes_well="x")
    with pytest.raises(NotFound):
        write(session, world, sprint_id=999_999, goes_well="x")


def test_the_team_of_teams_reads_its_teams_evaluations(world: World, session: Session):
    write(session, world, goes_well="Jeugd gaat goed")
    write(session, world, "outsider", team_id=world.other_team.id, goes_well="Werk gaat goed")
    found = evaluations_of(
        session, team_ids=[world.team.id, world.other_team.id], sprint_id=world.sprint.id
    )
    assert {team_id: e.goes_well for team_id, e in found.items()} == {
        world.team.id: "Jeugd gaat goed",
        world.other_team.id: "Werk gaat goed",
    }


def test_wins_come_latest_sprint_first_and_are_limited(world: World, session: Session):
    earlier = Sprint(
        start_date=world.sprint.start_date - timedelta(days=14),
        end_date=world.sprint.start_date - timedelta(days=1),
        closed_at=None,
    )
    session.add(earlier)
    session.commit()
    write(session, world, sprint_id=earlier.id, highlights="Oud succes")
    write(session, world, highlights="Nieuw succes\nNog een")
    write(session, world, "outsider", team_id=world.other_team.id, highlights="Succes van Werk")
    found = wins_for_teams(session, team_ids=[world.team.id, world.other_team.id])
    assert [(w.text, w.team_name) for w in found] == [
        ("Nieuw succes", "Jeugd"),
        ("Nog een", "Jeugd"),
        ("Succes van Werk", "Werk"),
        ("Oud succes", "Jeugd"),
    ]
    assert found[0].sprint_id == world.sprint.id
    assert len(wins_for_teams(session, team_ids=[world.team.id], limit=2)) == 2
    assert wins_for_teams(session, team_ids=[]) == []


def test_wins_skip_empty_lines_and_bullets():
    assert wins("  • Eén \n\n* Twee\n- Drie\n   \n") == ["Eén", "Twee", "Drie"]
    assert wins("") == []
