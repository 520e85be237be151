"""The demo's evaluations (the last two sprints of the teams, with their wins "in het licht")
and two past stand-ups of the team of teams, attended from the three offices; built through the
services as the people it is about."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlmodel import col, select

from app.models import (
    Action,
    EscalationCreate,
    EvaluationWrite,
    Sprint,
    StandupCreate,
    StandupDecisionWrite,
    StandupTurnWrite,
)
from app.services import escalations, evaluations, standups

if TYPE_CHECKING:
    from app.demo.small import SmallDemo

# (team, written by, wat gaat goed, wat is kwetsbaar, wat is opvallend afwezig, in het licht)
# fmt: off
PREVIOUS = (
    ("jeugd", "lotte",
     "Elke basisschool in Alphen-Chaam weet nu wie hun contactpersoon van het jeugdteam is. De "
     "intern begeleiders bellen ons eerder, niet pas als het escaleert.",
     "De nieuwe werkwijze voor meldingen draait op twee collega's. Als Joost ziek is, ligt het "
     "stil.",
     "De huisartsen in Gilze en Rijen: we hebben ze deze periode niet gesproken.",
     "Drie gezinnen in Baarle-Nassau hadden binnen een week één plan\n"
     "Verwijsroutes van de huisartsen staan op één A4"),
    ("thuis", "anouk",
     "Huisbezoeken voor nieuwe aanvragen worden binnen een week gepland. De dorpsraad in Chaam "
     "denkt actief mee over een ontmoetingsplek.",
     "De wachtlijst Wmo loopt op zolang de twee nieuwe consulenten geen toegang hebben.",
     "Mantelzorgers: niemand van ons heeft ze deze periode gesproken.",
     "Dorpsraad Chaam biedt het dorpshuis aan als ontmoetingsplek"),
    ("werk", "peter",
     "Het werkgeversontbijt in Rijen trok veertien werkgevers. De folder over geldzorgen is "
     "herschreven in eenvoudige taal.",
     "Signalen van energieleveranciers komen nog steeds per mail binnen. De juridische toets "
     "duurt lang.",
     "Inwoners die al lang een uitkering hebben: we hebben ze in beeld, maar nog niet gesproken.",
     "Veertien werkgevers aan tafel bij het ontbijt in Rijen\n"
     "Folder 'Geldzorgen? Praat erover' is nu begrijpelijk voor iedereen"),
    ("voordeur", "willem",
     "Alle telefoonnummers van het sociaal domein staan op een rij. We weten welke vragen er aan "
     "de balie komen.",
     "Aan de balie in Baarle-Nassau staat één collega; bij drukte wachten inwoners lang.",
     "Inwoners zelf: we hebben nog niemand gevraagd wat ze van de voordeur vinden.",
     "Een week lang elke vraag aan de balie bijgehouden: 212 vragen, 60 procent over de Wmo"),
)
CURRENT = (
    ("jeugd", "joost",
     "De training motiverende gespreksvoering staat gepland. De scholen in Alphen willen het "
     "eerste overleg graag.",
     "Op dinsdag is er in Rijen nog geen vaste spreekkamer.",
     "Leerplicht doet nog niet mee aan het overleg met de scholen.",
     "Iedereen van het jeugdteam heeft de training motiverende gespreksvoering gedaan"),
    ("werk", "aylin",
     "De budgetcoach schuift nu standaard aan bij het intakegesprek.",
     "Zonder besluit van de colleges over de kinderopvang kunnen we inwoners niets toezeggen.",
     "Terugkoppeling van de werkgevers die we nabellen.",
     "Eerste inwoner aan het werk via de leerwerkplek bij de buitendienst"),
    ("voordeur", "sarah",
     "Het webformulier 'Ik heb een vraag' is af en in eenvoudige taal.",
     "Het keuzemenu van het nieuwe telefoonnummer is nog niet getest met inwoners.",
     "",
     "Webformulier in eenvoudige taal staat online"),
)
# fmt: on

CHILDCARE = "Vergoeding kinderopvang bij werkaanvaarding uitzoeken"  # an action in content.py
ATTENDING = ("marieke", "esther", "joost", "henk", "aylin", "sarah")  # Rijen, Alphen, Baarle-Nassau


def user_id(demo: SmallDemo, key: str) -> int:
    found = demo.users[key].id
    assert found is not None
    return found


def seed_evaluations_and_standups(demo: SmallDemo) -> None:
    session = demo.session
    periods = session.exec(
        select(Sprint).where(Sprint.start_date <= demo.today).order_by(col(Sprint.start_date))
    ).all()
    current, previous = periods[-1], periods[-2]
    for sprint, plans in ((previous, PREVIOUS), (current, CURRENT)):
        for team, who, goes_well, vulnerable, absent, highlights in plans:
            assert sprint.id is not None
            evaluations.save_evaluation(
                session=session,
                actor=demo.as_person(who),
                team_id=demo.teams[team].id,  # type: ignore[arg-type]
                sprint_id=sprint.id,
                data=EvaluationWrite(
                    goes_well=goes_well,
                    vulnerable=vulnerable,
                    notably_absent=absent,
                    highlights=highlights,
                ),
                today=demo.today,
            )

    tvt = demo.teams["tvt"].id
    assert tvt is not None
    order = [tvt, *(demo._team_id(key) for key in ("jeugd", "thuis", "werk", "voordeur"))]
    attendees = [user_id(demo, key) for key in ATTENDING]
    standups.record_standup(
        session=session,
        actor=demo.as_person("esther"),
        team_id=tvt,
        data=StandupCreate(
            held_on=previous.start_date + timedelta(days=3),
            attendee_ids=attendees,
            turns=[
                StandupTurnWrite(team_id=team_id, seconds=seconds)
                for team_id, seconds in zip(order, (95, 140, 175, 120, 100), strict=True)
            ],
            decisions=[
                StandupDecisionWrite(
                    text="De vier ambities komen elke vier weken terug in het managementteam."
                ),
                StandupDecisionWrite(
                    text="Elk team zet zijn successen bij de evaluatie onder ‘In het licht’."
                ),
            ],
            notes="Eerste staand overleg met de nieuwe spelregels.",
        ),
        today=demo.today,
    )
    # the childcare question of Werk en inkomen goes up, and is answered in the stand-up
    blocked = session.exec(
        select(Action).where(
            Action.title == "Vergoeding kinderopvang bij werkaanvaarding uitzoeken"
        )
    ).one()
    assert blocked.id is not None
    question = escalations.raise_escalation(
        session=session,
        actor=demo.as_person("aylin"),
        action_id=blocked.id,
        data=EscalationCreate(
            note="Kan het team van teams de colleges vragen om een besluit over de vergoeding "
            "van kinderopvang bij werkaanvaarding?"
        ),
    )
    standups.record_standup(
        session=session,
        actor=demo.as_person("esther"),
        team_id=tvt,
        data=StandupCreate(
            held_on=min(current.start_date + timedelta(days=1), demo.today),
            attendee_ids=[user_id(demo, key) for key in ATTENDING if key != "henk"],
            turns=[
                StandupTurnWrite(team_id=team_id, seconds=seconds)
                for team_id, seconds in zip(order, (80, 150, 130, 190, 110), strict=True)
            ],
            decisions=[
                StandupDecisionWrite(
                    text="Marieke legt de vergoeding van kinderopvang op 8 december voor aan "
                    "de drie colleges; tot dan zeggen we inwoners niets toe.",
                    escalation_id=question.id,
                ),
                StandupDecisionWrite(
                    text="Inwonerspanel vragen mee te kijken naar de voordeur",
                    owner_id=demo.users["esther"].id,
                ),
            ],
        ),
        today=demo.today,
    )
