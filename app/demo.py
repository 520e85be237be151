"""The demo organisation: a fictional social domain of three municipalities, seeded through the
services so every board, dashboard and history page has something real to show.

`seed_demo` is idempotent: on an empty database it builds the organisation; when the demo
organisation is already there it only gives the demo admin a fresh password, so `make run`
always prints credentials that work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.db import writer
from app.domain.passwords import password_problem
from app.domain.permissions import Access
from app.models import (
    Action,
    ActionCreate,
    ActionStatus,
    ActionUpdate,
    Ambition,
    AmbitionCreate,
    CommentCreate,
    EscalationCreate,
    EscalationResolve,
    Goal,
    GoalCreate,
    Location,
    LocationCreate,
    Role,
    Sprint,
    SprintCreate,
    Team,
    TeamCreate,
    User,
    UserCreate,
)
from app.services import actions, ambitions, audit, escalations, org, sprints
from app.services.access import access_for
from app.services.auth import generate_password

DEMO_DOMAIN = "demo.verbeterbord.nl"
DEMO_ADMIN_EMAIL = f"beheer@{DEMO_DOMAIN}"
DEMO_ADMIN_NAME = "Demo-beheerder"


class DemoRefused(Exception):
    """The database already holds another organisation; the demo would mix into it."""


@dataclass(frozen=True)
class DemoResult:
    email: str
    password: str
    seeded: bool  # False: the demo organisation existed and only the password was renewed
    counts: dict[str, int] = field(default_factory=dict)
    shared_password: str | None = None  # large scale: the password every other demo user has


@contextmanager
def one_transaction(engine: Engine) -> Iterator[Session]:
    """A session in which every service's commit is only a savepoint of one outer transaction,
    so the demo is written completely or not at all."""
    with writer(engine).connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
            session.close()
            transaction.commit()
        except BaseException:
            session.close()
            transaction.rollback()
            raise


def new_password(user: User) -> str:
    """A generated password that also passes the password rule for this user."""
    while True:
        password = generate_password()
        if password_problem(password, name=user.name, email=user.email) is None:
            return password


def seed_demo(
    *, engine: Engine, today: date, scale: str = "small", large: object | None = None
) -> DemoResult:
    """Seed the demo organisation on an empty database, or renew the demo admin's password.

    Raises DemoRefused when the database holds users but no demo admin.
    """
    with one_transaction(engine) as session:
        admin = session.exec(select(User).where(User.email == DEMO_ADMIN_EMAIL)).first()
        if admin is not None:
            password = new_password(admin)
            org.set_password(session=session, actor_id=None, user=admin, password=password)
            return DemoResult(email=admin.email, password=password, seeded=False)
        if session.exec(select(User.id)).first() is not None:
            raise DemoRefused(
                "Deze database bevat al medewerkers, maar geen demo-organisatie. "
                "De demo wordt alleen in een lege database aangemaakt."
            )
        created = org.create_user(
            session=session,
            actor=None,
            data=UserCreate(email=DEMO_ADMIN_EMAIL, name=DEMO_ADMIN_NAME, is_admin=True),
        )
        assert created.generated_password is not None
        shared_password = None
        if scale == "large":
            from app.demo_large import LargeScale, seed_large

            size = large if isinstance(large, LargeScale) else LargeScale()
            shared_password = seed_large(session, admin=created.user, today=today, size=size)
        else:
            _SmallDemo(session, admin=created.user, today=today).seed()
        return DemoResult(
            email=created.user.email,
            password=created.generated_password,
            seeded=True,
            counts=counts(session),
            shared_password=shared_password,
        )


def counts(session: Session) -> dict[str, int]:
    """How much the organisation holds, for the command line's summary."""
    tables: dict[str, type] = {
        "locations": Location,
        "users": User,
        "teams": Team,
        "ambitions": Ambition,
        "sprints": Sprint,
        "actions": Action,
    }
    return {
        name: session.exec(select(func.count()).select_from(model)).one()
        for name, model in tables.items()
    }


def set_home_location(session: Session, *, actor: Access, user: User, location: Location) -> None:
    """Give a user their home location, with its history (there is no service for editing a
    user yet; the demo admin is made before any location exists)."""
    assert user.id is not None
    before = user.location_id
    user.location_id = location.id
    session.add(user)
    audit.record(
        session,
        actor_id=actor.user_id,
        entity="user",
        entity_id=user.id,
        verb="updated",
        changes={"location_id": [before, location.id]},
    )
    session.commit()


def email_for(name: str) -> str:
    first, *rest = name.lower().replace("-", "").split()
    return f"{first}.{''.join(rest)}@{DEMO_DOMAIN}"


# --- The small demo: what the five paper boards in the attic looked like -----------------------

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

# The previous sprint: what is still open at its end is carried into the current one.
PREVIOUS_SPRINT = (
    ActionPlan("jeugd", "fatima", "Concept gezinsplan-format bespreken met de jeugdconsulenten",
               done, "gezin", 0),
    ActionPlan("jeugd", "joost", "Gezinsplan-format testen bij twee gezinnen in Lindewaard",
               doing, "gezin", 0, due_day=11, key="format_testen"),
    ActionPlan("jeugd", "lotte", "Verwijsroutes van huisartsen naar het jeugdteam op één A4",
               done, "gezin"),
    ActionPlan("jeugd", "sem", "Kennismaken met schoolmaatschappelijk werk in Beekwolde",
               todo, "gezin", 1, key="school"),
    ActionPlan("werk", "peter", "Werkgeversontbijt in Heuveldam organiseren", done, "werk", 0),
    ActionPlan("werk", "kees", "Inwoners die langer dan twee jaar bijstand hebben in beeld",
               done, "werk"),
    ActionPlan("werk", "aylin", "Nazorgafspraken vastleggen in het klantvolgsysteem",
               doing, "werk", 1),
    ActionPlan("wmo", "anouk", "Wachtlijst Wmo-meldingen opschonen", blocked, "wonen", 0,
               blocked_reason="De twee nieuwe consulenten hebben nog geen toegang tot het "
               "zaaksysteem.", key="wachtlijst"),
    ActionPlan("wmo", "yvonne", "Gesprek met buurtvereniging De Linde over een ontmoetingsplek",
               done, "wonen", 1),
    ActionPlan("wmo", "daan", "Huisbezoeken voor nieuwe meldingen binnen een week plannen",
               done, "wonen", 0),
    ActionPlan("schulden", "willem", "Conceptafspraken met woningcorporatie Thuis in Heuveldam",
               done, "schulden", 0),
    ActionPlan("schulden", "mohamed", "Signalen van energieleveranciers automatisch ontvangen",
               blocked, "schulden", 0,
               blocked_reason="Wacht op de verwerkersovereenkomst met de leverancier; de "
               "juridische toets ligt bij de privacyfunctionaris.", key="energie"),
    ActionPlan("schulden", "linda", "Folder 'Geldzorgen? Praat erover' herschrijven op B1",
               done, "schulden"),
    ActionPlan("tvt", "marieke", "Ambities toelichten in het MT Sociaal Domein", done),
    ActionPlan("tvt", "esther", "Spelregels voor het staand overleg op papier zetten", done),
)

CURRENT_SPRINT = (
    ActionPlan("jeugd", "noor", "Eerste casusoverleg jeugd, Wmo en schulden in Beekwolde "
               "voorbereiden", doing, "gezin", 1, due_day=9),
    ActionPlan("jeugd", "lotte", "Evaluatieformulier voor ouders na het casusoverleg", todo,
               "gezin", 1),
    ActionPlan("jeugd", "fatima", "Werkafspraak met huisartsen in Lindewaard bespreken", todo,
               due_day=12),
    ActionPlan("jeugd", "joost", "Vaste ruimte voor het casusoverleg in Lindewaard vinden",
               blocked, "gezin", 1,
               blocked_reason="Op dinsdag zijn alle vergaderruimtes in het gemeentehuis bezet.",
               key="ruimte"),
    ActionPlan("jeugd", "sem", "Training motiverende gespreksvoering inplannen", done),
    ActionPlan("werk", "peter", "Vijf werkgevers van het ontbijt nabellen", doing, "werk", 0,
               due_day=7, key="nabellen"),
    ActionPlan("werk", "ingrid", "Leerwerkplek in de groenvoorziening uitwerken met de "
               "buitendienst", todo, "werk", 0),
    ActionPlan("werk", "kees", "Doorverwijzing naar de budgetcoach opnemen in het intakegesprek",
               done, "schulden", 2),
    ActionPlan("werk", "ingrid", "Vergoeding kinderopvang bij werkaanvaarding uitzoeken",
               blocked, "werk",
               blocked_reason="Het beleidsadvies ligt nog bij het college; zonder besluit "
               "kunnen we het inwoners niet toezeggen."),
    ActionPlan("wmo", "priya", "Mantelzorgers uitnodigen voor een avond over de waardering",
               doing, "wonen", 2, due_day=10),
    ActionPlan("wmo", "henk", "Overzicht wachttijd per gemeente voor het staand overleg", todo,
               "wonen", 0, due_day=4),
    ActionPlan("wmo", "daan", "Ontmoetingsplek Veldkamp: sleutelbeheer regelen met de buurt",
               todo, "wonen", 1),
    ActionPlan("wmo", "yvonne", "Wmo-folder in eenvoudige taal laten toetsen door het "
               "inwonerspanel", done, "wonen"),
    ActionPlan("schulden", "sarah", "Eerste signalen van woningcorporatie Thuis binnen vijf "
               "werkdagen opvolgen", doing, "schulden", 1, due_day=6),
    ActionPlan("schulden", "linda", "Vaste inloop van de budgetcoach in Lindewaard regelen",
               todo, "schulden", 2),
    ActionPlan("schulden", "willem", "Afspraken met de zorgverzekeraar over premieachterstanden "
               "verkennen", todo, "schulden"),
    ActionPlan("schulden", "mohamed", "Spreekuur bij de voedselbank in Beekwolde", done),
    ActionPlan("tvt", "marieke", "Voortgang van de ambities samenvatten voor het college van B&W",
               todo, due_day=11, key="college"),
    ActionPlan("tvt", "esther", "Timer en volgorde van de teams voor het staand overleg "
               "afspreken", done),
)

# (action, raised by, note, resolved by, resolution)
ESCALATIONS = (
    ("energie", "sarah",
     "De juridische toets van de verwerkersovereenkomst duurt al vier weken. Kan het team van "
     "teams dit bij de privacyfunctionaris agenderen?", None, None),
    ("wachtlijst", "henk",
     "Accounts voor de twee nieuwe consulenten zijn drie weken geleden bij ICT aangevraagd. "
     "Zonder toegang loopt de wachtlijst verder op.", None, None),
    ("ruimte", "joost",
     "We vinden in Lindewaard geen vaste ruimte op dinsdag voor het casusoverleg.", "marieke",
     "Vanaf volgende week elke dinsdagochtend de raadzaal; afgestemd met facilitaire zaken."),
)

# (action, author, body)
COMMENTS = (
    ("wachtlijst", "anouk", "ICT meldt dat de aanvraag bij de leverancier ligt. Ik bel vrijdag na."),
    ("format_testen", "lotte", "Het eerste gezin was positief: één plan op tafel gaf rust."),
    ("nabellen", "kees", "De bakkerij en het hoveniersbedrijf willen allebei een leerwerkplek."),
    ("college", "esther", "Gebruik de export van het ambitiedashboard, dan hoeft niemand iets "
     "over te typen."),
)


class _SmallDemo:
    """Builds the small demo through the services, acting as the people it is about."""

    def __init__(self, session: Session, *, admin: User, today: date) -> None:
        self.session = session
        self.admin = admin
        self.today = today
        self.users: dict[str, User] = {}
        self.teams: dict[str, Team] = {}
        self.ambitions: dict[str, Ambition] = {}
        self.goals: dict[tuple[str, int], Goal] = {}
        self.actions: dict[str, Action] = {}
        self._access: dict[str, Access] = {}

    def seed(self) -> None:
        self.seed_organisation()
        self.seed_ambitions()
        self.seed_sprints()
        self.seed_escalations_and_comments()

    def as_admin(self) -> Access:
        return access_for(self.session, self.admin)

    def as_person(self, key: str) -> Access:
        if key not in self._access:
            self._access[key] = access_for(self.session, self.users[key])
        return self._access[key]

    def seed_organisation(self) -> None:
        session, admin = self.session, self.as_admin()
        locations = [
            org.create_location(session=session, actor=admin, data=LocationCreate(name=name))
            for name in LOCATIONS
        ]
        set_home_location(session, actor=admin, user=self.admin, location=locations[0])
        for key, (name, home) in PEOPLE.items():
            self.users[key] = org.create_user(
                session=session,
                actor=admin,
                data=UserCreate(email=email_for(name), name=name, location_id=locations[home].id),
            ).user
        parent = self._team(TEAM_OF_TEAMS, parent_id=None)
        for plan in TEAMS:
            self._team(plan, parent_id=parent.id)

    def _team(self, plan: TeamPlan, *, parent_id: int | None) -> Team:
        session, admin = self.session, self.as_admin()
        team = org.create_team(
            session=session,
            actor=admin,
            data=TeamCreate(name=plan.name, description=plan.description, parent_id=parent_id),
        )
        assert team.id is not None
        self.teams[plan.key] = team
        roles = [(plan.lead, Role.lead)]
        if plan.representative:
            roles.append((plan.representative, Role.representative))
        roles += [(member, Role.member) for member in plan.members]
        for key, role in roles:
            user_id = self.users[key].id
            assert user_id is not None
            org.put_member(session=session, actor=admin, team_id=team.id, user_id=user_id, role=role)
        return team

    def seed_ambitions(self) -> None:
        owner = self.teams["tvt"].id
        lead = self.as_person(TEAM_OF_TEAMS.lead)  # the department head owns the ambitions
        horizon = date(self.today.year + 2, 12, 31)
        for plan in AMBITIONS:
            ambition = ambitions.create_ambition(
                session=self.session,
                actor=lead,
                data=AmbitionCreate(
                    title=plan.title,
                    intent=plan.intent,
                    horizon=horizon,
                    owner_team_id=owner,
                    team_ids=[self._team_id(key) for key in plan.teams],
                ),
            )
            assert ambition.id is not None
            self.ambitions[plan.key] = ambition
            for index, (title, weeks, team) in enumerate(plan.goals):
                self.goals[plan.key, index] = ambitions.add_goal(
                    session=self.session,
                    actor=lead,
                    ambition_id=ambition.id,
                    data=GoalCreate(
                        title=title,
                        due=self.today + timedelta(weeks=weeks),
                        team_id=self._team_id(team),
                    ),
                )

    def _team_id(self, key: str) -> int:
        team_id = self.teams[key].id
        assert team_id is not None
        return team_id

    def seed_sprints(self) -> None:
        """The current sprint, and the one before it closed through the real rollover, so the
        dashboards have history and some actions show as carried over."""
        session, admin = self.session, self.as_admin()
        current = sprints.ensure_current(session=session, today=self.today, actor_id=admin.user_id)
        length = (current.end_date - current.start_date).days + 1
        # The previous sprint ends before today, so it is closed right after its actions are
        # in: until then nothing here may call ensure_current, which would close it early.
        previous = sprints.create_sprint(
            session=session,
            actor=admin,
            data=SprintCreate(
                start_date=current.start_date - timedelta(days=length),
                end_date=current.start_date - timedelta(days=1),
            ),
        )
        for plan in PREVIOUS_SPRINT:
            self._action(plan, previous)
        assert previous.id is not None
        sprints.close_sprint(session=session, actor=admin, sprint_id=previous.id, today=self.today)
        for plan in CURRENT_SPRINT:
            self._action(plan, current)
        # carried over and finished after all; the other carried actions stay open
        self._move("format_testen", done)
        self._move("school", doing)

    def _action(self, plan: ActionPlan, sprint: Sprint) -> Action:
        """Create the action as its owner, then move it to its status, as people would."""
        assert sprint.id is not None
        actor = self.as_person(plan.owner)
        ambition = self.ambitions[plan.ambition] if plan.ambition else None
        goal = self.goals[plan.ambition, plan.goal] if plan.ambition and plan.goal is not None else None
        action = actions.create_action(
            session=self.session,
            actor=actor,
            data=ActionCreate(
                title=plan.title,
                team_id=self._team_id(plan.team),
                owner_id=actor.user_id,
                sprint_id=sprint.id,
                ambition_id=ambition.id if ambition else None,
                goal_id=goal.id if goal else None,
                due_date=sprint.start_date + timedelta(days=plan.due_day)
                if plan.due_day is not None
                else None,
            ),
            today=self.today,
        )
        assert action.id is not None
        if plan.key:
            self.actions[plan.key] = action
        if plan.status != todo:
            action = self._update(action, plan.owner, plan.status, plan.blocked_reason)
        return action

    def _update(
        self, action: Action, who: str, status: ActionStatus, reason: str | None = None
    ) -> Action:
        assert action.id is not None
        return actions.update_action(
            session=self.session,
            actor=self.as_person(who),
            action_id=action.id,
            data=ActionUpdate(version=action.version, status=status, blocked_reason=reason),
        )

    def _move(self, key: str, status: ActionStatus) -> None:
        action = self.actions[key]
        owner = next(k for k, user in self.users.items() if user.id == action.owner_id)
        self.actions[key] = self._update(action, owner, status)

    def seed_escalations_and_comments(self) -> None:
        session = self.session
        for key, raised_by, note, resolved_by, resolution in ESCALATIONS:
            action_id = self.actions[key].id
            assert action_id is not None
            escalation = escalations.raise_escalation(
                session=session,
                actor=self.as_person(raised_by),
                action_id=action_id,
                data=EscalationCreate(note=note),
            )
            if resolved_by and resolution:
                assert escalation.id is not None
                escalations.resolve_escalation(
                    session=session,
                    actor=self.as_person(resolved_by),
                    escalation_id=escalation.id,
                    data=EscalationResolve(resolution=resolution),
                )
                # the answer unblocks the action
                self._move(key, done)
        for key, author, body in COMMENTS:
            action_id = self.actions[key].id
            assert action_id is not None
            actions.add_comment(
                session=session,
                actor=self.as_person(author),
                action_id=action_id,
                data=CommentCreate(body=body),
            )
