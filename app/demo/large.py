"""The large demo organisation, for benchmarks: three offices, 1,500 staff, 150 teams in three
levels, 52 closed sprints of history and half a million actions with their comments and history.

The structure (locations, teams, memberships, ambitions, goals, sprints, the current sprint's
knelpunten) goes through the services like the small demo. The staff share one password hash
(an argon2 hash costs ~0.15 s each). The work itself, two years of actions, their moves, the
rollovers of every closed sprint, comments and every audit event, is simulated in memory and
written in bulk with the driver (executemany on SQLite, COPY on PostgreSQL) in the same
transaction: through the services every action would cost a commit, and 500,000 of them many
minutes instead of about a minute. The simulated rollover writes what sprints.close_sprint
writes: each open action moves to the next sprint with carried_over + 1 and an audit event, and
the sprint's own event lists what left it.

Two boards are made to measure for the benchmark (`make bench`): the first team's current board
holds `busy_board` cards and the second team's `huge_board`.
"""

from __future__ import annotations

import gc
import itertools
import json
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, text, update
from sqlmodel import Session, SQLModel

from app.db import SEARCH_TABLE
from app.demo.common import email_for, set_home_location
from app.demo.content import LOCATIONS, MUNICIPALITIES
from app.domain.permissions import Access
from app.models import (
    ActionStatus,
    AmbitionCreate,
    AuditEvent,
    EscalationCreate,
    EscalationResolve,
    GoalCreate,
    LocationCreate,
    Role,
    Sprint,
    SprintCreate,
    Team,
    TeamCreate,
    User,
)
from app.services import ambitions, escalations, org, sprints
from app.services.access import access_for
from app.services.auth import generate_password, hash_password


def table(model: type[SQLModel]) -> Any:
    return model.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LargeScale:
    """How big the large demo is; the defaults are the benchmark size."""

    teams: int = 150  # one head team, `clusters` teams of teams, the rest teams under those
    clusters: int = 13
    users: int = 1_500
    ambitions: int = 24
    past_sprints: int = 52
    actions: int = 500_000
    # cards on two boards made to measure in the current sprint: the first and the second team
    # under a team of teams (as far as the current sprint's new actions reach)
    busy_board: int = 200
    huge_board: int = 2_000
    # how many new actions the current sprint gets; None: the same share as every sprint
    current_actions: int | None = None
    comment_share: float = 0.1  # of the actions, how many have a reactie (some two)
    knelpunten: int = 150  # at most this many of the current sprint's blocked actions escalate
    seed: int = 2026

    def __post_init__(self) -> None:
        leaves = self.teams - 1 - self.clusters
        if self.clusters < 1 or leaves < self.clusters:
            raise ValueError("Elk team van teams heeft minstens één team nodig.")
        # head: lead + member; cluster: lead, representative, member; team: lead, representative
        if self.users < 2 + 3 * self.clusters + 2 * leaves:
            raise ValueError("Te weinig medewerkers voor zoveel teams.")
        if self.current_actions is not None and not 0 <= self.current_actions <= self.actions:
            raise ValueError("De huidige periode kan niet meer acties hebben dan er zijn.")


FIRST_NAMES = (
    "Anna Bram Carla Daan Eva Fleur Gijs Hanna Iris Jan Karin Lars Maaike Niels Olga Pim Rik "
    "Saskia Tom Vera Wouter Yara Zeynep Mehmet Fatma Rachid Soufiane Jasper Ilse Roos Thijs Bas "
    "Femke Wim Ans Gerrit Marloes Hatice Kevin Naima"
).split()
LAST_NAMES = (
    "de Jong|Jansen|de Vries|van den Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|"
    "Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|"
    "de Graaf|van der Meer|Yilmaz|El Idrissi|Kok|Jacobs|Vermeulen"
).split("|")
THEMES = (
    "Jeugd en gezin",
    "Werk en inkomen",
    "Wmo en zorg",
    "Schulden en armoede",
    "Wonen en welzijn",
    "Onderwijs en participatie",
    "Veiligheid en zorg",
    "Statushouders en inburgering",
)
PARTNERS = (
    "de huisartsen",
    "het wijkteam",
    "de woningcorporatie",
    "de voedselbank",
    "het UWV",
    "de scholen",
    "de GGD",
    "de thuiszorg",
    "de bibliotheek",
    "het jongerenwerk",
    "de zorgverzekeraar",
    "lokale werkgevers",
    "de mantelzorgers",
    "het inwonerspanel",
    "Vluchtelingenwerk",
    "de ouderenbond",
)
TITLES = (
    "Casusoverleg voorbereiden met {partner}",
    "Werkafspraken maken met {partner}",
    "Terugkoppeling geven aan {partner}",
    "Signalen van {partner} opvolgen",
    "Evaluatie plannen met {partner}",
    "Werkbezoek bij {partner} in {place}",
    "Wachtlijst bespreken met {partner}",
    "Overzicht voor {partner} bijwerken",
    "Folder op B1 laten toetsen door {partner}",
    "Samenwerking met {partner} in {place} vastleggen",
)
BLOCKED_REASONS = (
    "Wacht op een besluit van het college.",
    "Geen toegang tot het zaaksysteem.",
    "De privacytoets is nog niet klaar.",
    "Budget voor dit jaar is op; wacht op de begrotingswijziging.",
    "De contactpersoon is langdurig afwezig.",
)
COMMENTS = (
    "Ik pak dit vrijdag op.",
    "Besproken in het staand overleg; we wachten op antwoord.",
    "Zie het verslag van het casusoverleg.",
    "Goed idee, ik sluit aan.",
    "Kan dit naar de volgende periode?",
)

# status mix of the new actions in a sprint: ended sprints are mostly done
PAST_MIX = {"done": 70, "doing": 12, "todo": 10, "blocked": 8}
CURRENT_MIX = {"todo": 35, "doing": 30, "done": 25, "blocked": 10}

# status mix of the new actions in a sprint: ended sprints are mostly done
PAST_MIX = {"done": 70, "doing": 12, "todo": 10, "blocked": 8}
CURRENT_MIX = {"todo": 35, "doing": 30, "done": 25, "blocked": 10}
FINISH_CARRIED = 0.7  # of the actions carried into a sprint, this share gets done there
SEARCH_INSERT_TRIGGER = "action_search_insert"  # app.db.SQLITE_SEARCH_DDL
OPEN = frozenset({ActionStatus.todo.value, ActionStatus.doing.value, ActionStatus.blocked.value})


def seed_large(session: Session, *, admin: User, today: date, size: LargeScale) -> str:
    """Build the large demo; returns the password every demo user but the admin shares."""
    return _LargeDemo(session, admin=admin, today=today, size=size).seed()


@dataclass(slots=True)
class _Work:
    """One simulated action: the row it ends as, changed while its sprints go by."""

    id: int
    title: str
    team_id: int
    owner_id: int
    sprint_id: int
    ambition_id: int | None
    goal_id: int | None
    status: str
    blocked_reason: str | None
    due_date: str | None  # the day as text, like the moments
    carried_over: int
    version: int
    created_at: str  # moments as stored text, see _Simulation
    updated_at: str
    done_at: str | None


ACTION_COLUMNS = (
    "id title description team_id owner_id sprint_id ambition_id goal_id status blocked_reason "
    "due_date position carried_over version created_at updated_at done_at created_by_id"
).split()
COMMENT_COLUMNS = ("id", "action_id", "author_id", "body", "created_at")
EVENT_COLUMNS = ("id occurred_at actor_id entity entity_id verb team_id version changes").split()


class _Bulk:
    """Rows straight to the driver, in the session's transaction: executemany on SQLite, COPY on
    PostgreSQL. Ids are given here (the next free ones), so rows can refer to each other before
    they are written; PostgreSQL's sequences are moved past them afterwards."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.raw: Any = connection.connection.driver_connection

    def next_id(self, name: str) -> int:
        top = self.connection.execute(text(f"SELECT max(id) FROM {name}")).scalar()  # noqa: S608
        if self.sqlite:
            seq = self.connection.execute(
                text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": name}
            ).scalar()
        else:
            seq = self.connection.execute(
                text(f"SELECT last_value FROM {self._sequence(name)}")  # noqa: S608
            ).scalar()
        return max(int(top or 0), int(seq or 0)) + 1

    def _sequence(self, name: str) -> str:
        sequence = self.connection.execute(
            text("SELECT pg_get_serial_sequence(:name, 'id')"), {"name": name}
        ).scalar()
        assert sequence is not None
        return str(sequence)

    def load_tuning(self, on: bool) -> None:
        """SQLite: a big page cache while the one transaction loads (its one commit is the only
        fsync that counts in WAL mode); back to the defaults after."""
        if not self.sqlite:
            return
        cursor = self.raw.cursor()
        if on:
            cursor.execute("PRAGMA cache_size=-1048576")  # 1 GB
            cursor.execute("PRAGMA temp_store=MEMORY")
        else:
            cursor.execute("PRAGMA cache_size=-2000")
            cursor.execute("PRAGMA temp_store=DEFAULT")
        cursor.close()

    def _without_search_trigger(
        self, cursor: Any, listed: str, marks: str, rows: Iterable[Sequence[Any]]
    ) -> None:
        """SQLite keeps action_search (FTS5) up to date by a trigger per row; FTS5 flushes its
        pending terms at every statement inside a trigger, about 120 µs an action. So the
        trigger is left out while the rows go in and the index gets them in one statement."""
        rows = list(rows)
        if not rows:
            return
        trigger = cursor.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?",
            (SEARCH_INSERT_TRIGGER,),
        ).fetchone()
        if trigger is not None:
            cursor.execute(f"DROP TRIGGER {SEARCH_INSERT_TRIGGER}")
        cursor.executemany(f"INSERT INTO action ({listed}) VALUES ({marks})", rows)  # noqa: S608
        if trigger is not None:
            cursor.execute(
                f"INSERT INTO {SEARCH_TABLE}(rowid, title, description) "  # noqa: S608
                "SELECT id, title, description FROM action WHERE id >= ?",
                (min(row[0] for row in rows),),
            )
            cursor.execute(trigger[0])
        cursor.close()

    def write(self, name: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        listed = ", ".join(columns)
        if self.sqlite:
            marks = ", ".join("?" * len(columns))
            cursor = self.raw.cursor()
            if name == "action":
                self._without_search_trigger(cursor, listed, marks, rows)
                return
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 50_000:
                    cursor.executemany(f"INSERT INTO {name} ({listed}) VALUES ({marks})", batch)  # noqa: S608
                    batch = []
            if batch:
                cursor.executemany(f"INSERT INTO {name} ({listed}) VALUES ({marks})", batch)  # noqa: S608
            cursor.close()
            return
        # the moments are UTC without a zone: read them as UTC in this transaction only
        zone = self.connection.execute(text("SELECT current_setting('TimeZone')")).scalar()
        self.connection.execute(text("SELECT set_config('TimeZone', 'UTC', true)"))
        with self.raw.cursor() as cursor, cursor.copy(f"COPY {name} ({listed}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        self.connection.execute(text("SELECT set_config('TimeZone', :zone, true)"), {"zone": zone})
        self.connection.execute(
            text(f"SELECT setval('{self._sequence(name)}', (SELECT max(id) FROM {name}))")  # noqa: S608
        )


class _LargeDemo:
    def __init__(self, session: Session, *, admin: User, today: date, size: LargeScale) -> None:
        self.session = session
        self.admin_user = admin
        self.today = today
        self.size = size
        self.rng = random.Random(size.seed)  # noqa: S311  (demo data, not secrets)
        self.now = datetime.now(UTC)
        self.users: list[User] = []
        self.board: dict[int, list[int]] = {}  # team -> users who may own its actions
        self.head_id: int | None = None
        self.leaf_ids: list[int] = []
        self.team_weights: list[tuple[int, int]] = []
        self.team_ambitions: dict[int, list[int]] = {}
        self.ambition_goals: dict[int, list[int]] = {}
        self._access: Access | None = None

    @property
    def admin(self) -> Access:
        if self._access is None:
            self._access = access_for(self.session, self.admin_user)
        return self._access

    def seed(self) -> str:
        password = self.seed_people()
        self.seed_teams()
        self._access = None  # the admin's view of the tree, now that it is there
        self.seed_ambitions()
        self.seed_sprints()
        return password

    # --- structure --------------------------------------------------------------------------
    def seed_people(self) -> str:
        session, admin = self.session, self.admin
        locations = [
            org.create_location(session=session, actor=admin, data=LocationCreate(name=name))
            for name in LOCATIONS
        ]
        set_home_location(session, actor=admin, user=self.admin_user, location=locations[0])
        password = generate_password()
        password_hash = hash_password(password)  # once: every demo user shares it
        names = [f"{first} {last}" for first, last in itertools.product(FIRST_NAMES, LAST_NAMES)]
        self.rng.shuffle(names)
        emails: set[str] = set()
        for index in range(self.size.users):
            name = names[index % len(names)]
            email = email_for(name)
            if email in emails:
                email = email.replace("@", f"{index}@")
            emails.add(email)
            self.users.append(
                User(
                    email=email,
                    name=name,
                    location_id=locations[index % len(locations)].id,
                    password_hash=password_hash,
                )
            )
        session.add_all(self.users)
        session.flush()
        session.add_all(
            AuditEvent(
                actor_id=admin.user_id,
                entity="user",
                entity_id=user.id,
                verb="created",
                changes={
                    "email": [None, user.email],
                    "name": [None, user.name],
                    "location_id": [None, user.location_id],
                },
            )
            for user in self.users
            if user.id is not None
        )
        session.commit()
        return password

    def seed_teams(self) -> None:
        size = self.size
        people = iter(self.users)
        head = self._team("Team van teams Sociaal Domein", None)
        self.head_id = head.id
        self._members(head, [(next(people), Role.lead), (next(people), Role.member)])
        clusters = []
        for index in range(size.clusters):
            theme = THEMES[index % len(THEMES)]
            cluster = self._team(f"Team van teams {theme}", head.id)
            roles = [Role.lead, Role.representative, Role.member]
            self._members(cluster, [(next(people), role) for role in roles])
            clusters.append((theme, cluster))
        leaves = []
        for index in range(size.teams - 1 - size.clusters):
            theme, cluster = clusters[index % len(clusters)]
            place = MUNICIPALITIES[(index // len(clusters)) % len(MUNICIPALITIES)]
            round_ = index // (len(clusters) * len(MUNICIPALITIES))
            name = f"{theme} {place}" + (f" {round_ + 1}" if round_ else "")
            leaves.append(self._team(name, cluster.id))
        rest = list(people)
        for index, leaf in enumerate(leaves):
            share = rest[index :: len(leaves)]
            roles = [Role.lead, Role.representative] + [Role.member] * (len(share) - 2)
            self._members(leaf, list(zip(share, roles, strict=True)))
            # a representative also sits on the board of the team of teams above
            assert leaf.id is not None and leaf.parent_id is not None
            self.board[leaf.parent_id].append(self.board[leaf.id][1])
        for _, cluster in clusters:
            assert cluster.id is not None and head.id is not None
            self.board[head.id].append(self.board[cluster.id][1])
        # how busy each board is: the teams carry most of the work
        self.leaf_ids = [leaf.id for leaf in leaves if leaf.id is not None]
        self.team_weights = [(head.id, 2)] if head.id is not None else []
        self.team_weights += [(c.id, 8) for _, c in clusters if c.id is not None]
        self.team_weights += [(leaf_id, 90) for leaf_id in self.leaf_ids]

    def _team(self, name: str, parent_id: int | None) -> Team:
        team = org.create_team(
            session=self.session,
            actor=self.admin,
            data=TeamCreate(name=name, description="", parent_id=parent_id),
        )
        assert team.id is not None
        self.board[team.id] = []
        return team

    def _members(self, team: Team, people: list[tuple[User, Role]]) -> None:
        admin = self.admin
        assert team.id is not None
        for user, role in people:
            assert user.id is not None
            org.put_member(
                session=self.session, actor=admin, team_id=team.id, user_id=user.id, role=role
            )
            self.board[team.id].append(user.id)

    def seed_ambitions(self) -> None:
        session, rng = self.session, self.rng
        lead = access_for(self.session, self.users[0])  # the department head
        leaves = self.leaf_ids
        for index in range(self.size.ambitions):
            theme = THEMES[index % len(THEMES)]
            linked = rng.sample(leaves, k=min(len(leaves), rng.randint(2, 5)))
            ambition = ambitions.create_ambition(
                session=session,
                actor=lead,
                data=AmbitionCreate(
                    title=f"{theme}: ambitie {index // len(THEMES) + 1}",
                    intent=f"Inwoners merken dat {theme.lower()} beter samenwerkt.",
                    horizon=date(self.today.year + 2, 12, 31),
                    owner_team_id=self.head_id,
                    team_ids=linked,
                ),
            )
            assert ambition.id is not None
            for team_id in linked:
                self.team_ambitions.setdefault(team_id, []).append(ambition.id)
            goals = self.ambition_goals.setdefault(ambition.id, [])
            for number in range(3):
                goal = ambitions.add_goal(
                    session=session,
                    actor=lead,
                    ambition_id=ambition.id,
                    data=GoalCreate(
                        title=f"Kortetermijndoel {number + 1}",
                        due=self.today + timedelta(weeks=4 * (number + 1)),
                        team_id=rng.choice(linked),
                    ),
                )
                assert goal.id is not None
                goals.append(goal.id)

    # --- two years of sprints ---------------------------------------------------------------
    def seed_sprints(self) -> None:
        session, admin, size = self.session, self.admin, self.size
        current = sprints.ensure_current(session=session, today=self.today, actor_id=admin.user_id)
        length = (current.end_date - current.start_date).days + 1
        past = [
            sprints.create_sprint(
                session=session,
                actor=admin,
                data=SprintCreate(
                    start_date=current.start_date - timedelta(days=length * back),
                    end_date=current.start_date - timedelta(days=length * (back - 1) + 1),
                ),
            )
            for back in range(size.past_sprints, 0, -1)
        ]
        bulk = _Bulk(session.connection())
        bulk.load_tuning(True)
        # millions of new objects that all live until they are written: the cyclic garbage
        # collector would walk them again and again for nothing
        collecting = gc.isenabled()
        gc.disable()
        try:
            _Simulation(self, bulk, [*past, current]).run()
        finally:
            bulk.load_tuning(False)
            if collecting:
                gc.enable()
        session.expire_all()
        self._escalate(current)

    def _escalate(self, current: Sprint) -> None:
        """Some of the current sprint's blocked actions became a knelpunt for the team of teams
        above, some of those are answered already: through the services."""
        session, admin, rng = self.session, self.admin, self.rng
        rows = (
            session.connection()
            .execute(
                text(
                    "SELECT action.id, action.blocked_reason FROM action JOIN team "
                    "ON team.id = action.team_id WHERE action.sprint_id = :sprint AND "
                    "action.status = 'blocked' AND team.parent_id IS NOT NULL ORDER BY action.id"
                ),
                {"sprint": current.id},
            )
            .all()
        )
        chosen = [row for row in rows if rng.random() < 0.25][: self.size.knelpunten]
        for action_id, reason in chosen:
            escalation = escalations.raise_escalation(
                session=session,
                actor=admin,
                action_id=action_id,
                data=EscalationCreate(note=f"Hulp nodig: {reason}"),
                today=self.today,
            )
            if rng.random() < 0.3:
                assert escalation.id is not None
                escalations.resolve_escalation(
                    session=session,
                    actor=admin,
                    escalation_id=escalation.id,
                    data=EscalationResolve(resolution="Opgepakt in het staand overleg."),
                )


class _Simulation:
    """Two years of work in memory, sprint by sprint, then written in bulk: actions, reacties,
    the closed sprints and every audit event, in id order.

    Moments are kept as the text SQLAlchemy stores on SQLite ("2026-11-25 09:41:00.000000",
    UTC): text of one length sorts like the moments, and formatting two million datetimes
    would cost more than the rest of the simulation."""

    def __init__(self, demo: _LargeDemo, bulk: _Bulk, all_sprints: list[Sprint]) -> None:
        self.demo = demo
        self.bulk = bulk
        self.rng = demo.rng
        self.size = demo.size
        self.sprints = all_sprints
        self.admin_id = demo.admin.user_id
        self.now = demo.now.astimezone(UTC).isoformat(" ", "microseconds")[:26]
        self.actions: list[_Work] = []
        self.comments: list[tuple[Any, ...]] = []
        self.events: list[tuple[Any, ...]] = []
        self.closed: list[tuple[int, str]] = []
        self.next_action = bulk.next_id("action")
        self.next_comment = bulk.next_id("comment")
        self.next_event = bulk.next_id("audit_event")
        self.titles = sorted(
            {
                title.format(partner=partner, place=place)
                for title in TITLES
                for partner in PARTNERS
                for place in MUNICIPALITIES
            }
        )
        self.quoted = {title: json.dumps(title) for title in self.titles}
        # office hours, 07:00 to 16:59, by the minute
        self.clock = [
            f" {hour:02d}:{minute:02d}:00.000000" for hour in range(7, 17) for minute in range(60)
        ]
        first = all_sprints[0].start_date
        days = (all_sprints[-1].end_date - first).days + 30
        self.days = [(first + timedelta(days=n)).isoformat() for n in range(days)]
        self.first_day = first

    # --- the simulation ---------------------------------------------------------------------
    def run(self) -> None:
        size = self.size
        past_count = len(self.sprints) - 1
        current_new = size.current_actions
        if current_new is None:
            current_new = size.actions - size.actions // (past_count + 1) * past_count
        per_sprint, extra = divmod(size.actions - current_new, past_count) if past_count else (0, 0)
        current_new += extra
        carried: list[_Work] = []
        for index, sprint in enumerate(self.sprints):
            is_current = index == past_count
            arriving = self._arrive(carried, sprint)
            count = current_new if is_current else per_sprint
            new = self._add(sprint, count, CURRENT_MIX if is_current else PAST_MIX, arriving)
            if not is_current:
                carried = self._close(sprint, self.sprints[index + 1], [*carried, *new])
        self._write()

    def _day(self, day: date) -> int:
        return (day - self.first_day).days

    def _moment(self, day: int) -> str:
        """A moment in office hours on day number `day` of the demo, never after now."""
        clock = self.clock
        moment = self.days[day] + clock[int(self.rng.random() * len(clock))]
        return moment if moment < self.now else self.now

    def _event(
        self,
        moment: str,
        actor_id: int | None,
        entity: str,
        entity_id: int,
        verb: str,
        team_id: int | None,
        version: int | None,
        changes: str,
    ) -> None:
        self.events.append(
            (self.next_event, moment, actor_id, entity, entity_id, verb, team_id, version, changes)
        )
        self.next_event += 1

    def _arrive(self, carried: list[_Work], sprint: Sprint) -> Counter[int]:
        """Most carried-over actions get done in the sprint they arrive in; how many arrived
        per team."""
        arriving: Counter[int] = Counter()
        start, days = self._day(sprint.start_date), (sprint.end_date - sprint.start_date).days + 1
        random_ = self.rng.random
        for action in carried:
            arriving[action.team_id] += 1
            if random_() > FINISH_CARRIED:
                continue
            before, reason = action.status, action.blocked_reason
            moment = max(self._moment(start + int(random_() * days)), action.updated_at)
            action.status = ActionStatus.done.value
            action.blocked_reason = None
            action.done_at = action.updated_at = moment
            action.version += 1
            changes = f'{{"status": ["{before}", "done"]}}'
            if reason is not None:
                changes = (
                    f'{{"status": ["{before}", "done"], "blocked_reason": [{json.dumps(reason)}, '
                    "null]}"
                )
            self._event(
                moment, action.owner_id, "action", action.id, "updated", action.team_id,
                action.version, changes,
            )  # fmt: skip
        return arriving

    def _teams_for(self, count: int, sprint_is_current: bool) -> list[int]:
        weights = self.demo.team_weights
        if sprint_is_current:  # the boards made to measure get their own share
            special = set(self._made_to_measure())
            weights = [(team, weight) for team, weight in weights if team not in special]
        teams = [team for team, _ in weights]
        cumulative = list(itertools.accumulate(weight for _, weight in weights))
        return self.rng.choices(teams, cum_weights=cumulative, k=count)

    def _made_to_measure(self) -> dict[int, int]:
        leaves = self.demo.leaf_ids
        wanted = {}
        if leaves and self.size.busy_board:
            wanted[leaves[0]] = self.size.busy_board
        if len(leaves) > 1 and self.size.huge_board:
            wanted[leaves[1]] = self.size.huge_board
        return wanted

    def _add(
        self, sprint: Sprint, count: int, mix: dict[str, int], arriving: Counter[int]
    ) -> list[_Work]:
        """A sprint's new actions, their moves and reacties."""
        rng, demo = self.rng, self.demo
        assert sprint.id is not None
        is_current = sprint is self.sprints[-1]
        teams: list[int] = []
        if is_current:
            for team_id, cards in self._made_to_measure().items():
                teams += [team_id] * max(0, min(cards - arriving[team_id], count - len(teams)))
        teams += self._teams_for(count - len(teams), is_current)
        cumulative = list(itertools.accumulate(mix.values()))
        statuses = rng.choices(list(mix), cum_weights=cumulative, k=count)
        start, length = self._day(sprint.start_date), (sprint.end_date - sprint.start_date).days + 1
        end_moment = min(self.days[start + length - 1] + " 18:00:00.000000", self.now)
        titles, quoted, days = self.titles, self.quoted, self.days
        random_ = rng.random
        team_ambitions, ambition_goals, board = demo.team_ambitions, demo.ambition_goals, demo.board
        comment_share = self.size.comment_share
        new: list[_Work] = []
        for team_id, status in zip(teams, statuses, strict=True):
            ambition_id = goal_id = None
            linked = team_ambitions.get(team_id)
            if linked and random_() < 0.75:
                ambition_id = linked[int(random_() * len(linked))]
                if random_() < 0.5:
                    goals = ambition_goals[ambition_id]
                    goal_id = goals[int(random_() * len(goals))]
            created_day = start + int(random_() * 3)
            created = self._moment(created_day)
            owners = board[team_id]
            owner_id = owners[int(random_() * len(owners))]
            title = titles[int(random_() * len(titles))]
            due = days[start + int(random_() * length)] if random_() < 0.4 else None
            action = _Work(
                id=self.next_action,
                title=title,
                team_id=team_id,
                owner_id=owner_id,
                sprint_id=sprint.id,
                ambition_id=ambition_id,
                goal_id=goal_id,
                status=ActionStatus.todo.value,
                blocked_reason=None,
                due_date=due,
                carried_over=0,
                version=1,
                created_at=created,
                updated_at=created,
                done_at=None,
            )
            self.next_action += 1
            self.actions.append(action)
            new.append(action)
            self._event(
                created, owner_id, "action", action.id, "created", team_id, 1,
                f'{{"title": [null, {quoted[title]}], "team_id": [null, {team_id}], '
                f'"owner_id": [null, {owner_id}], "sprint_id": [null, {sprint.id}], '
                f'"ambition_id": [null, {"null" if ambition_id is None else ambition_id}], '
                f'"goal_id": [null, {"null" if goal_id is None else goal_id}], '
                '"status": [null, "todo"]'
                + (f', "due_date": [null, "{due}"]}}' if due else "}"),
            )  # fmt: skip
            if status != "todo":
                moment = self._moment(created_day + 1 + int(random_() * length))
                moment = max(min(moment, end_moment), created)
                action.status = status
                action.version = 2
                action.updated_at = moment
                changes = f'{{"status": ["todo", "{status}"]}}'
                if status == "done":
                    action.done_at = moment
                elif status == "blocked":
                    reason = BLOCKED_REASONS[int(random_() * len(BLOCKED_REASONS))]
                    action.blocked_reason = reason
                    changes = (
                        f'{{"status": ["todo", "blocked"], "blocked_reason": [null, '
                        f"{json.dumps(reason)}]}}"
                    )
                self._event(moment, owner_id, "action", action.id, "updated", team_id, 2, changes)
            if random_() < comment_share:
                self._comment(action, created_day, end_moment)
                if random_() < 0.3:
                    self._comment(action, created_day, end_moment)
        return new

    def _comment(self, action: _Work, created_day: int, latest: str) -> None:
        random_ = self.rng.random
        owners = self.demo.board[action.team_id]
        author_id = owners[int(random_() * len(owners))]
        moment = self._moment(created_day + int(random_() * 8))
        moment = max(min(moment, latest), action.created_at)
        body = COMMENTS[int(random_() * len(COMMENTS))]
        comment_id = self.next_comment
        self.next_comment += 1
        self.comments.append((comment_id, action.id, author_id, body, moment))
        self._event(
            moment, author_id, "comment", comment_id, "created", action.team_id, None,
            f'{{"action_id": [null, {action.id}], "body": [null, {json.dumps(body)}]}}',
        )  # fmt: skip

    def _close(self, sprint: Sprint, following: Sprint, members: list[_Work]) -> list[_Work]:
        """What sprints.close_sprint does: every open action to the next sprint, carried_over
        + 1, with an audit event each, and the sprint's own event listing what left."""
        assert sprint.id is not None and following.id is not None
        moment = min(self.days[self._day(sprint.end_date) + 1] + " 00:05:00.000000", self.now)
        open_actions = [action for action in members if action.status in OPEN]
        open_actions.sort(key=lambda action: (action.team_id, action.status, action.id))
        for action in open_actions:
            action.sprint_id = following.id
            action.carried_over += 1
            action.version += 1
            action.updated_at = moment
            self._event(
                moment, self.admin_id, "action", action.id, "updated", action.team_id,
                action.version,
                f'{{"sprint_id": [{sprint.id}, {following.id}], '
                f'"carried_over": [{action.carried_over - 1}, {action.carried_over}]}}',
            )  # fmt: skip
        carried = json.dumps([[action.id, action.status] for action in open_actions])
        closed = moment.replace(" ", "T", 1)[:19] + "+00:00"
        self._event(
            moment, self.admin_id, "sprint", sprint.id, "updated", None, None,
            f'{{"closed_at": [null, "{closed}"], "carried": [null, {carried}]}}',
        )  # fmt: skip
        self.closed.append((sprint.id, moment))
        return open_actions

    # --- writing it -------------------------------------------------------------------------
    def _write(self) -> None:
        bulk = self.bulk
        positions: Counter[tuple[int, int, str]] = Counter()
        rows = []
        for a in self.actions:
            key = (a.sprint_id, a.team_id, a.status)
            rows.append(
                (
                    a.id, a.title, "", a.team_id, a.owner_id, a.sprint_id, a.ambition_id,
                    a.goal_id, a.status, a.blocked_reason, a.due_date, positions[key],
                    a.carried_over, a.version, a.created_at, a.updated_at, a.done_at, a.owner_id,
                )
            )  # fmt: skip
            positions[key] += 1
        self.actions.clear()
        bulk.write("action", ACTION_COLUMNS, rows)
        del rows
        bulk.write("comment", COMMENT_COLUMNS, self.comments)
        bulk.write("audit_event", EVENT_COLUMNS, self.events)
        sprint = table(Sprint)
        for sprint_id, moment in self.closed:
            closed_at = datetime.fromisoformat(moment).replace(tzinfo=UTC)
            bulk.connection.execute(
                update(sprint).where(sprint.c.id == sprint_id).values(closed_at=closed_at)
            )
