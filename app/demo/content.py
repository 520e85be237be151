"""The small demo organisation's content: a fictional werkorganisatie for the social domain
of three municipalities, with four teams under one team of teams, as the five paper boards in
the attic room showed it. Pure data; app/demo.py builds it through the services."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import ActionStatus

LOCATIONS = ("Gemeente Heuveldam", "Gemeente Lindewaard", "Gemeente Beekwolde")

# key: (name, home location)
PEOPLE: dict[str, tuple[str, int]] = {
    "marieke": ("Marieke van Dongen", 0),
    "esther": ("Esther Bakker", 1),
    "fatima": ("Fatima El Amrani", 0),
    "joost": ("Joost de Wit", 1),
    "lotte": ("Lotte Hendriks", 2),
    "sem": ("Sem Visser", 0),
    "noor": ("Noor Jansen", 1),
    "peter": ("Peter Mulder", 1),
    "aylin": ("Aylin Demir", 0),
    "kees": ("Kees van Leeuwen", 2),
    "ingrid": ("Ingrid Smit", 1),
    "anouk": ("Anouk de Vries", 2),
    "henk": ("Henk Bos", 2),
    "yvonne": ("Yvonne Kramer", 0),
    "daan": ("Daan Meijer", 1),
    "priya": ("Priya Ramdin", 2),
    "willem": ("Willem Dekker", 0),
    "sarah": ("Sarah Koster", 1),
    "mohamed": ("Mohamed Bouzid", 2),
    "linda": ("Linda Verhoef", 0),
}


@dataclass(frozen=True)
class TeamPlan:
    key: str
    name: str
    description: str
    lead: str
    representative: str | None = None
    members: tuple[str, ...] = ()


TEAM_OF_TEAMS = TeamPlan(
    key="tvt",
    name="Team van teams Sociaal Domein",
    description=(
        "Elke twee weken een staand overleg van de vertegenwoordigers van de teams en het "
        "afdelingshoofd: knelpunten oppakken en de voortgang van de ambities bespreken."
    ),
    lead="marieke",  # the department head
    members=("esther",),
)

TEAMS = (
    TeamPlan(
        "jeugd",
        "Jeugd en gezin",
        "Jeugdconsulenten en gezinscoaches voor opvoed- en opgroeivragen.",
        lead="fatima",
        representative="joost",
        members=("lotte", "sem", "noor"),
    ),
    TeamPlan(
        "werk",
        "Werk en inkomen",
        "Klantmanagers en werkcoaches voor uitkering, werk en re-integratie.",
        lead="peter",
        representative="aylin",
        members=("kees", "ingrid"),
    ),
    TeamPlan(
        "wmo",
        "Wmo en zorg",
        "Wmo-consulenten voor ondersteuning thuis, hulpmiddelen en mantelzorg.",
        lead="anouk",
        representative="henk",
        members=("yvonne", "daan", "priya"),
    ),
    TeamPlan(
        "schulden",
        "Schulden en armoede",
        "Schuldhulpverleners en budgetcoaches; vroegsignalering en minimaregelingen.",
        lead="willem",
        representative="sarah",
        members=("mohamed", "linda"),
    ),
)


@dataclass(frozen=True)
class AmbitionPlan:
    key: str
    title: str
    intent: str
    teams: tuple[str, ...]
    goals: tuple[tuple[str, int, str], ...]  # (title, weeks from today, team)


AMBITIONS = (
    AmbitionPlan(
        "gezin",
        "Eén gezin, één plan",
        "Gezinnen met vragen op meerdere terreinen (opvoeding, geld, werk, zorg) hebben één "
        "vast aanspreekpunt en één plan. Nu zitten er soms vijf hulpverleners aan tafel die "
        "elkaar niet kennen; dat kost het gezin energie en ons dubbel werk.",
        teams=("jeugd", "wmo", "schulden"),
        goals=(
            ("Eén gezinsplan-format voor alle drie de gemeenten", 6, "jeugd"),
            ("Elke twee weken casusoverleg jeugd, Wmo en schulden per gemeente", 10, "jeugd"),
            ("Vast aanspreekpunt genoemd in elk nieuw gezinsplan", 16, "wmo"),
        ),
    ),
    AmbitionPlan(
        "schulden",
        "Schulden vroeg in beeld",
        "Inwoners met achterstanden bij huur, energie of zorgverzekering krijgen binnen twee "
        "weken hulp aangeboden, voordat de schulden problematisch worden.",
        teams=("schulden", "werk"),
        goals=(
            ("Afspraken over signalen met woningcorporaties en energieleveranciers", 4, "schulden"),
            ("Binnen vijf werkdagen contact na elk signaal", 8, "schulden"),
            ("Budgetcoach op vaste dagen in alle drie de gemeenten", 12, "werk"),
        ),
    ),
    AmbitionPlan(
        "werk",
        "Meer inwoners duurzaam aan het werk",
        "Inwoners met een bijstandsuitkering vinden werk dat bij ze past en houden dat vast. "
        "De uitkering is een opstap, geen eindstation.",
        teams=("werk", "schulden"),
        goals=(
            ("Twintig nieuwe leerwerkplekken bij lokale werkgevers", 12, "werk"),
            ("Zes maanden nazorg na uitstroom als standaard", 8, "werk"),
        ),
    ),
    AmbitionPlan(
        "wonen",
        "Langer thuis, met hulp uit de buurt",
        "Ouderen en inwoners met een beperking wonen zo lang mogelijk thuis. Hulp uit de buurt "
        "en van mantelzorgers komt eerst; een Wmo-voorziening vult aan en is er op tijd.",
        teams=("wmo", "jeugd"),
        goals=(
            ("Wachttijd voor een Wmo-melding onder de zes weken", 8, "wmo"),
            ("Een ontmoetingsplek in de wijk in elke gemeente", 16, "wmo"),
            ("Mantelzorgwaardering vernieuwd met de mantelzorgers zelf", 10, "wmo"),
        ),
    ),
)


@dataclass(frozen=True)
class ActionPlan:
    team: str
    owner: str
    title: str
    status: ActionStatus = ActionStatus.todo
    ambition: str | None = None
    goal: int | None = None  # index into the ambition's goals
    due_day: int | None = None  # days after the sprint's start
    blocked_reason: str | None = None
    key: str | None = None  # for escalations, comments and later moves


todo, doing, done, blocked = (
    ActionStatus.todo,
    ActionStatus.doing,
    ActionStatus.done,
    ActionStatus.blocked,
)

# The actions, one entry each: (team, owner, title, status, ambition, goal index, due day in the
# sprint, blocked reason, key for escalations, comments and later moves).
# fmt: off
A = ActionPlan
# The previous sprint: what is still open at its end is carried into the current one.
PREVIOUS_SPRINT = (
    A("jeugd", "fatima", "Concept gezinsplan-format bespreken met de jeugdconsulenten", done,
      "gezin", 0),
    A("jeugd", "joost", "Gezinsplan-format testen bij twee gezinnen in Lindewaard", doing,
      "gezin", 0, due_day=11, key="format_testen"),
    A("jeugd", "lotte", "Verwijsroutes van huisartsen naar het jeugdteam op één A4", done,
      "gezin"),
    A("jeugd", "sem", "Kennismaken met schoolmaatschappelijk werk in Beekwolde", todo,
      "gezin", 1, key="school"),
    A("werk", "peter", "Werkgeversontbijt in Heuveldam organiseren", done, "werk", 0),
    A("werk", "kees", "Inwoners die langer dan twee jaar bijstand hebben in beeld", done, "werk"),
    A("werk", "aylin", "Nazorgafspraken vastleggen in het klantvolgsysteem", doing, "werk", 1),
    A("wmo", "anouk", "Wachtlijst Wmo-meldingen opschonen", blocked, "wonen", 0,
      blocked_reason="De twee nieuwe consulenten hebben nog geen toegang tot het zaaksysteem.",
      key="wachtlijst"),
    A("wmo", "yvonne", "Gesprek met buurtvereniging De Linde over een ontmoetingsplek", done,
      "wonen", 1),
    A("wmo", "daan", "Huisbezoeken voor nieuwe meldingen binnen een week plannen", done,
      "wonen", 0),
    A("schulden", "willem", "Conceptafspraken met woningcorporatie Thuis in Heuveldam", done,
      "schulden", 0),
    A("schulden", "mohamed", "Signalen van energieleveranciers automatisch ontvangen", blocked,
      "schulden", 0,
      blocked_reason="Wacht op de verwerkersovereenkomst met de leverancier; de juridische "
      "toets ligt bij de privacyfunctionaris.", key="energie"),
    A("schulden", "linda", "Folder 'Geldzorgen? Praat erover' herschrijven op B1", done,
      "schulden"),
    A("tvt", "marieke", "Ambities toelichten in het MT Sociaal Domein", done),
    A("tvt", "esther", "Spelregels voor het staand overleg op papier zetten", done),
)

CURRENT_SPRINT = (
    A("jeugd", "noor", "Eerste casusoverleg jeugd, Wmo en schulden in Beekwolde voorbereiden",
      doing, "gezin", 1, due_day=9),
    A("jeugd", "lotte", "Evaluatieformulier voor ouders na het casusoverleg", todo, "gezin", 1),
    A("jeugd", "fatima", "Werkafspraak met huisartsen in Lindewaard bespreken", todo,
      due_day=12),
    A("jeugd", "joost", "Vaste ruimte voor het casusoverleg in Lindewaard vinden", blocked,
      "gezin", 1,
      blocked_reason="Op dinsdag zijn alle vergaderruimtes in het gemeentehuis bezet.",
      key="ruimte"),
    A("jeugd", "sem", "Training motiverende gespreksvoering inplannen", done),
    A("werk", "peter", "Vijf werkgevers van het ontbijt nabellen", doing, "werk", 0, due_day=7,
      key="nabellen"),
    A("werk", "ingrid", "Leerwerkplek in de groenvoorziening uitwerken met de buitendienst",
      todo, "werk", 0),
    A("werk", "kees", "Doorverwijzing naar de budgetcoach opnemen in het intakegesprek", done,
      "schulden", 2),
    A("werk", "ingrid", "Vergoeding kinderopvang bij werkaanvaarding uitzoeken", blocked, "werk",
      blocked_reason="Het beleidsadvies ligt nog bij het college; zonder besluit kunnen we "
      "het inwoners niet toezeggen."),
    A("wmo", "priya", "Mantelzorgers uitnodigen voor een avond over de waardering", doing,
      "wonen", 2, due_day=10),
    A("wmo", "henk", "Overzicht wachttijd per gemeente voor het staand overleg", todo, "wonen",
      0, due_day=4),
    A("wmo", "daan", "Ontmoetingsplek Veldkamp: sleutelbeheer regelen met de buurt", todo,
      "wonen", 1),
    A("wmo", "yvonne", "Wmo-folder in eenvoudige taal laten toetsen door het inwonerspanel",
      done, "wonen"),
    A("schulden", "sarah", "Eerste signalen van woningcorporatie Thuis binnen vijf werkdagen "
      "opvolgen", doing, "schulden", 1, due_day=6),
    A("schulden", "linda", "Vaste inloop van de budgetcoach in Lindewaard regelen", todo,
      "schulden", 2),
    A("schulden", "willem", "Afspraken met de zorgverzekeraar over premieachterstanden "
      "verkennen", todo, "schulden"),
    A("schulden", "mohamed", "Spreekuur bij de voedselbank in Beekwolde", done),
    A("tvt", "marieke", "Voortgang van de ambities samenvatten voor het college van B&W", todo,
      due_day=11, key="college"),
    A("tvt", "esther", "Timer en volgorde van de teams voor het staand overleg afspreken", done),
)

# (action, raised by, note, resolved by, resolution)
ESCALATIONS = (
    ("energie", "sarah", "De juridische toets van de verwerkersovereenkomst duurt al vier weken. "
     "Kan het team van teams dit bij de privacyfunctionaris agenderen?", None, None),
    ("wachtlijst", "henk", "Accounts voor de twee nieuwe consulenten zijn drie weken geleden bij "
     "ICT aangevraagd. Zonder toegang loopt de wachtlijst verder op.", None, None),
    ("ruimte", "joost", "We vinden in Lindewaard geen vaste ruimte op dinsdag voor het "
     "casusoverleg.", "marieke", "Vanaf volgende week elke dinsdagochtend de raadzaal; "
     "afgestemd met facilitaire zaken."),
)

# (action, author, body)
COMMENTS = (
    ("wachtlijst", "anouk", "ICT meldt dat de aanvraag bij de leverancier ligt. Ik bel vrijdag "
     "na."),
    ("format_testen", "lotte", "Het eerste gezin was positief: één plan op tafel gaf rust."),
    ("nabellen", "kees", "De bakkerij en het hoveniersbedrijf willen allebei een leerwerkplek."),
    ("college", "esther", "Gebruik de export van het ambitiedashboard, dan hoeft niemand iets "
     "over te typen."),
)
# fmt: on
