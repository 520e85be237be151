"""The small demo organisation's content, modelled on the organisation Verbeterbord is for: one
werkorganisatie for the social domain of Alphen-Chaam, Baarle-Nassau and Gilze en Rijen, with
offices in Alphen, Baarle-Nassau and Rijen, four ambitions and four multidisciplinary teams
under one team of teams: the five paper boards of the attic room. The people are invented.
Pure data; app/demo/small.py builds it through the services."""

from __future__ import annotations

from dataclasses import dataclass

from app.models import ActionStatus

MUNICIPALITIES = ("Alphen-Chaam", "Baarle-Nassau", "Gilze en Rijen")
# A location is where a staff member works: the municipality's office, named by its town.
LOCATIONS = ("Alphen (Alphen-Chaam)", "Baarle-Nassau", "Rijen (Gilze en Rijen)")

# key: (name, home location)
PEOPLE: dict[str, tuple[str, int]] = {
    "marieke": ("Marieke van Dongen", 2),
    "esther": ("Esther Bakker", 0),
    "lotte": ("Lotte Hendriks", 2),
    "joost": ("Joost de Wit", 1),
    "fatima": ("Fatima El Amrani", 2),
    "sem": ("Sem Visser", 0),
    "noor": ("Noor Jansen", 1),
    "anouk": ("Anouk de Vries", 0),
    "henk": ("Henk Bos", 1),
    "yvonne": ("Yvonne Kramer", 0),
    "daan": ("Daan Meijer", 2),
    "priya": ("Priya Ramdin", 2),
    "peter": ("Peter Mulder", 2),
    "aylin": ("Aylin Demir", 2),
    "kees": ("Kees van Leeuwen", 1),
    "mohamed": ("Mohamed Bouzid", 0),
    "linda": ("Linda Verhoef", 1),
    "willem": ("Willem Dekker", 0),
    "sarah": ("Sarah Koster", 1),
    "ingrid": ("Ingrid Smit", 2),
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
        "Elke twee weken een staand overleg van de vertegenwoordigers van de vier teams en het "
        "afdelingshoofd: knelpunten oppakken en de voortgang van de ambities bespreken."
    ),
    lead="marieke",  # the department head
    members=("esther",),
)

TEAMS = (
    TeamPlan(
        "jeugd",
        "Jeugd en gezin",
        "Jeugdconsulenten, een gezinscoach, schoolmaatschappelijk werk en leerplicht: vroeg "
        "erbij als opgroeien of opvoeden even niet lukt.",
        lead="lotte",
        representative="joost",
        # make run shows how to log in as this team's representative and first member
        members=("fatima", "sem", "noor"),
    ),
    TeamPlan(
        "thuis",
        "Wonen en zorg",
        "Wmo-consulenten, een ouderenadviseur en de mantelzorgconsulent: zo lang mogelijk "
        "prettig thuis wonen.",
        lead="anouk",
        representative="henk",
        members=("yvonne", "daan", "priya"),
    ),
    TeamPlan(
        "werk",
        "Werk en inkomen",
        "Klantmanagers, een werkcoach, een schuldhulpverlener en een budgetcoach: werk, "
        "inkomen en geldzorgen in één gesprek.",
        lead="peter",
        representative="aylin",
        members=("kees", "mohamed", "linda"),
    ),
    TeamPlan(
        "voordeur",
        "Voordeur",
        "Klantcontact, consulenten toegang en een medewerker van het sociaal team: elke vraag "
        "van een inwoner komt binnen via één voordeur en komt bij de juiste collega.",
        lead="willem",
        representative="sarah",
        members=("ingrid",),
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
        "jong",
        "Jongeren krijgen op tijd hulp",
        "Kinderen en jongeren met zorgen thuis of op school krijgen snel hulp, dichtbij: op "
        "school, bij de huisarts of in het dorp. Zo worden kleine problemen niet groot en is "
        "zware jeugdhulp minder vaak nodig.",
        teams=("jeugd", "voordeur"),
        goals=(
            ("Een vaste contactpersoon van het jeugdteam op elke basisschool", 10, "jeugd"),
            ("Binnen tien werkdagen een eerste gesprek na een melding", 6, "jeugd"),
            (
                "Afspraken over doorverwijzen met de huisartsen in alle drie de gemeenten",
                14,
                "voordeur",
            ),
        ),
    ),
    AmbitionPlan(
        "thuis",
        "Langer thuis wonen",
        "Ouderen en inwoners met een beperking wonen zo lang mogelijk in hun eigen huis. Hulp "
        "van familie, buren en vrijwilligers komt eerst. Een Wmo-voorziening vult aan en is er "
        "op tijd.",
        teams=("thuis", "voordeur"),
        goals=(
            ("Een Wmo-aanvraag binnen zes weken afgehandeld", 8, "thuis"),
            ("Een ontmoetingsplek voor ouderen in elke gemeente", 16, "thuis"),
            ("Mantelzorgers weten waar ze terechtkunnen voor hulp en even rust", 10, "thuis"),
        ),
    ),
    AmbitionPlan(
        "werk",
        "Meer inwoners aan het werk, minder geldzorgen",
        "Inwoners met een uitkering vinden werk dat bij hen past en houden het vast. Wie "
        "geldzorgen heeft, krijgt hulp voordat de schulden te groot worden.",
        teams=("werk", "voordeur"),
        goals=(
            ("Twintig leerwerkplekken bij werkgevers uit de drie gemeenten", 12, "werk"),
            (
                "Binnen vijf werkdagen contact na een signaal van een betalingsachterstand",
                6,
                "werk",
            ),
        ),
    ),
    AmbitionPlan(
        "voordeur",
        "Eén voordeur voor elke vraag",
        "Inwoners met een vraag over opvoeden, zorg, werk of geld kunnen op één plek terecht: "
        "aan de balie, aan de telefoon of online. Ze vertellen hun verhaal één keer en horen "
        "binnen vijf werkdagen wat er gebeurt.",
        teams=("voordeur", "jeugd", "thuis", "werk"),
        goals=(
            ("Eén telefoonnummer en één webformulier voor het sociaal domein", 8, "voordeur"),
            ("Elke week een inloopspreekuur in Alphen, Baarle-Nassau en Rijen", 6, "voordeur"),
            ("Eén dossier per inwoner dat alle teams kunnen inzien", 16, "voordeur"),
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
# The previous sprint: what is still open at its end is carried into the current one; the
# carried actions with a due day in it are overdue in the current one.
PREVIOUS_SPRINT = (
    A("jeugd", "lotte", "Contactpersonen van het jeugdteam koppelen aan de basisscholen", done,
      "jong", 0),
    A("jeugd", "joost", "Nieuwe werkwijze voor meldingen testen bij drie gezinnen in "
      "Baarle-Nassau", doing, "jong", 1, due_day=11, key="werkwijze_testen"),
    A("jeugd", "noor", "Verwijsroutes van huisartsen naar het jeugdteam op één A4", done,
      "jong"),
    A("jeugd", "fatima", "Kennismaken met de intern begeleiders van de basisscholen in Gilze "
      "en Rijen", todo, "jong", 0, key="scholen"),
    A("thuis", "anouk", "Wachtlijst Wmo-aanvragen opschonen", blocked, "thuis", 0, due_day=10,
      blocked_reason="De twee nieuwe consulenten hebben nog geen toegang tot het zaaksysteem.",
      key="wachtlijst"),
    A("thuis", "yvonne", "Gesprek met de dorpsraad in Chaam over een ontmoetingsplek", done,
      "thuis", 1),
    A("thuis", "daan", "Huisbezoeken voor nieuwe aanvragen binnen een week plannen", done,
      "thuis", 0),
    A("werk", "peter", "Werkgeversontbijt in Rijen organiseren", done, "werk", 0),
    A("werk", "kees", "Inwoners die langer dan twee jaar een uitkering hebben in beeld brengen",
      done, "werk"),
    A("werk", "aylin", "Nazorg na werkaanvaarding vastleggen in het klantvolgsysteem", doing,
      "werk", 0, due_day=9),
    A("werk", "mohamed", "Signalen van energieleveranciers automatisch ontvangen", blocked,
      "werk", 1,
      blocked_reason="Wacht op de verwerkersovereenkomst met de leverancier; de juridische "
      "toets ligt bij de privacyfunctionaris.", key="energie"),
    A("werk", "linda", "Folder 'Geldzorgen? Praat erover' herschrijven in eenvoudige taal",
      done, "werk"),
    A("voordeur", "willem", "Alle telefoonnummers van het sociaal domein op een rij", done,
      "voordeur", 0),
    A("voordeur", "ingrid", "Een week lang bijhouden welke vragen er aan de balie in "
      "Baarle-Nassau komen", done, "voordeur"),
    A("tvt", "marieke", "De vier ambities toelichten in het managementteam", done),
    A("tvt", "esther", "Spelregels voor het staand overleg op papier zetten", done),
)

CURRENT_SPRINT = (
    A("jeugd", "noor", "Eerste overleg tussen het jeugdteam en de scholen in Alphen "
      "voorbereiden", doing, "jong", 0, due_day=9),
    A("jeugd", "sem", "Korte vragenlijst voor ouders na het eerste gesprek", todo, "jong", 1),
    A("jeugd", "lotte", "Werkafspraak over doorverwijzen bespreken met de huisartsen in "
      "Baarle-Nassau", todo, "jong", 2, due_day=12),
    A("jeugd", "joost", "Vaste spreekkamer voor het jeugdteam in Rijen vinden", blocked, "jong",
      0, blocked_reason="Op dinsdag zijn alle spreekkamers in het gemeentehuis in Rijen bezet.",
      key="ruimte"),
    A("jeugd", "fatima", "Training motiverende gespreksvoering inplannen", done),
    A("thuis", "priya", "Mantelzorgers uitnodigen voor een avond over even rust nemen", doing,
      "thuis", 2, due_day=10),
    A("thuis", "henk", "Overzicht wachttijd Wmo per gemeente voor het staand overleg", todo,
      "thuis", 0, due_day=4),
    A("thuis", "daan", "Sleutelbeheer van de ontmoetingsplek in Chaam regelen met de dorpsraad",
      todo, "thuis", 1),
    A("thuis", "yvonne", "Wmo-folder in eenvoudige taal laten lezen door het inwonerspanel",
      done, "thuis"),
    A("werk", "peter", "Vijf werkgevers van het ontbijt nabellen", doing, "werk", 0, due_day=7,
      key="nabellen"),
    A("werk", "kees", "Leerwerkplek bij de buitendienst uitwerken", todo, "werk", 0),
    A("werk", "linda", "Budgetcoach vast laten aanschuiven bij het intakegesprek", done, "werk",
      1),
    A("werk", "aylin", "Vergoeding kinderopvang bij werkaanvaarding uitzoeken", blocked, "werk",
      blocked_reason="Het beleidsadvies ligt nog bij de colleges; zonder besluit kunnen we het "
      "inwoners niet toezeggen."),
    A("voordeur", "sarah", "Keuzemenu van het nieuwe telefoonnummer testen met vijf inwoners",
      doing, "voordeur", 0, due_day=6),
    A("voordeur", "willem", "Webformulier 'Ik heb een vraag' in eenvoudige taal", done,
      "voordeur", 0),
    A("voordeur", "ingrid", "Inloopspreekuur in de bibliotheek van Baarle-Nassau starten",
      todo, "voordeur", 1),
    A("voordeur", "willem", "Met ICT verkennen hoe alle teams één dossier kunnen inzien", todo,
      "voordeur", 2),
    A("tvt", "marieke", "Voortgang van de ambities samenvatten voor de drie colleges van B&W",
      todo, due_day=11, key="college"),
    A("tvt", "esther", "Volgorde van de teams voor het staand overleg afspreken", done),
)

# (action, raised by, note, resolved by, resolution)
ESCALATIONS = (
    ("energie", "aylin", "De juridische toets van de verwerkersovereenkomst duurt al vier weken. "
     "Kan het team van teams dit bij de privacyfunctionaris agenderen?", None, None),
    ("wachtlijst", "henk", "Accounts voor de twee nieuwe consulenten zijn drie weken geleden bij "
     "ICT aangevraagd. Zonder toegang loopt de wachtlijst verder op.", None, None),
    ("ruimte", "joost", "We vinden in Rijen geen vaste spreekkamer op dinsdag voor het "
     "jeugdteam.", "marieke", "Vanaf volgende week elke dinsdagochtend spreekkamer 2 in het "
     "gemeentehuis in Rijen; afgestemd met facilitaire zaken."),
)

# (action, author, body)
COMMENTS = (
    ("wachtlijst", "anouk", "ICT meldt dat de aanvraag bij de leverancier ligt. Ik bel vrijdag "
     "na."),
    ("werkwijze_testen", "fatima", "Het eerste gezin was positief: één gesprek en één plan "
     "gaf rust."),
    # a mention: Fatima finds it under "Voor mij" on her start page
    ("werkwijze_testen", "lotte", "@Fatima El Amrani, wil jij in het teamoverleg vertellen "
     "hoe dat eerste gesprek ging?"),
    ("nabellen", "kees", "De bakker in Gilze en het hoveniersbedrijf in Chaam willen allebei "
     "een leerwerkplek."),
    ("college", "esther", "Gebruik de export van het ambitiedashboard, dan hoeft niemand iets "
     "over te typen."),
)
# fmt: on
