"""The large demo organisation, for benchmarks: a three-level team tree, hundreds of staff and
about ten thousand actions over a year of sprints.

The structure (locations, teams, memberships, ambitions, sprints, escalations) goes through
the services like the small demo. Users, actions, their moves and comments are inserted in bulk
with their audit events: through the services every user would cost an argon2 hash (~0.15 s)
and every action a commit, and seeding would take many minutes instead of seconds. Sprints are
still closed by the real rollover, so carried_over and the history come from the same code
as in production.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Table, func, insert
from sqlmodel import Session, SQLModel, col, select

from app.demo.common import email_for, set_home_location
from app.demo.content import LOCATIONS, MUNICIPALITIES
from app.domain.permissions import Access
from app.models import (
    OPEN_STATUSES,
    Action,
    ActionStatus,
    AmbitionCreate,
    AuditEvent,
    Comment,
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


def table(model: type[SQLModel]) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


@dataclass(frozen=True)
class LargeScale:
    """How big the large demo is; the defaults are the benchmark size."""

    teams: int = 40  # one head team, `clusters` teams of teams, the rest teams under those
    clusters: int = 6
    users: int = 400
    ambitions: int = 20
    past_sprints: int = 12
    actions: int = 10_000
    seed: int = 2026

    def __post_init__(self) -> None:
        leaves = self.teams - 1 - self.clusters
        if self.clusters < 1 or leaves < self.clusters:
            raise ValueError("Elk team van teams heeft minstens één team nodig.")
        # head: lead + member; cluster: lead, representative, member; team: lead, representative
        if self.users < 2 + 3 * self.clusters + 2 * leaves:
            raise ValueError("Te weinig medewerkers voor zoveel teams.")


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


def seed_large(session: Session, *, admin: User, today: date, size: LargeScale) -> str:
    """Build the large demo; returns the password every demo user but the admin shares."""
    return _LargeDemo(session, admin=admin, today=today, size=size).seed()


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

    @property
    def admin(self) -> Access:
        return access_for(self.session, self.admin_user)

    def seed(self) -> str:
        password = self.seed_people()
        self.seed_teams()
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

    # --- a year of sprints ------------------------------------------------------------------
    def seed_sprints(self) -> None:
        session, admin, size = self.session, self.admin, self.size
        current = sprints.ensure_current(session=session, today=self.today, actor_id=admin.user_id)
        length = (current.end_date - current.start_date).days + 1
        # all sprints exist before the first is closed, so each rollover carries into the next
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
        per_sprint = size.actions // (size.past_sprints + 1)
        for sprint in past:
            self._finish_carried(sprint)
            new = self._add_actions(sprint, per_sprint, PAST_MIX)
            self._escalate(new, resolve_share=0.8)
            assert sprint.id is not None
            sprints.close_sprint(
                session=session, actor=admin, sprint_id=sprint.id, today=self.today
            )
            session.expunge_all()  # keep the unit of work small
        self._finish_carried(current)
        new = self._add_actions(current, size.actions - per_sprint * size.past_sprints, CURRENT_MIX)
        self._escalate(new, resolve_share=0.3)

    def _moment(self, day: date, *, not_after: datetime | None = None) -> datetime:
        moment = datetime.combine(day, time(7 + self.rng.randrange(10)), tzinfo=UTC)
        moment += timedelta(minutes=self.rng.randrange(60))
        return min(moment, not_after or self.now)

    def _finish_carried(self, sprint: Sprint) -> None:
        """Most carried-over actions get done in the sprint they arrive in."""
        carried = self.session.exec(
            select(Action).where(
                Action.sprint_id == sprint.id,
                col(Action.carried_over) > 0,
                col(Action.status).in_(OPEN_STATUSES),
            )
        ).all()
        positions: Counter[int] = Counter()
        events = []
        for action in carried:
            if self.rng.random() > 0.7:
                continue
            assert action.id is not None
            before = action.status
            action.status = ActionStatus.done
            action.blocked_reason = None
            action.position = positions[action.team_id]
            positions[action.team_id] += 1
            day = self.rng.randrange((sprint.end_date - sprint.start_date).days + 1)
            action.done_at = action.updated_at = self._moment(sprint.start_date + timedelta(day))
            action.version += 1
            events.append(
                AuditEvent(
                    occurred_at=action.done_at,
                    actor_id=action.owner_id,
                    entity="action",
                    entity_id=action.id,
                    verb="updated",
                    team_id=action.team_id,
                    version=action.version,
                    changes={"status": [before, "done"]},
                )
            )
        self.session.add_all(events)
        self.session.commit()

    def _add_actions(self, sprint: Sprint, count: int, mix: dict[str, int]) -> list[dict[str, Any]]:
        """Insert this sprint's new actions, their comments and the history of both, as rows."""
        session, rng = self.session, self.rng
        assert sprint.id is not None
        column_ends: Counter[tuple[int, str]] = Counter(
            {
                (team_id, status): top + 1
                for team_id, status, top in session.exec(
                    select(Action.team_id, Action.status, func.max(Action.position))
                    .where(Action.sprint_id == sprint.id)
                    .group_by(col(Action.team_id), col(Action.status))
                )
            }
        )
        teams, weights = zip(*self.team_weights, strict=True)
        statuses, status_weights = list(mix), list(mix.values())
        end_moment = datetime.combine(sprint.end_date, time(18), tzinfo=UTC)
        length = (sprint.end_date - sprint.start_date).days + 1
        rows: list[dict[str, Any]] = []
        for team_id in rng.choices(teams, weights, k=count):
            status = rng.choices(statuses, status_weights)[0]
            ambition_id = goal_id = None
            if team_id in self.team_ambitions and rng.random() < 0.75:
                ambition_id = rng.choice(self.team_ambitions[team_id])
                if rng.random() < 0.5:
                    goal_id = rng.choice(self.ambition_goals[ambition_id])
            created = self._moment(sprint.start_date + timedelta(days=rng.randrange(3)))
            owner_id = rng.choice(self.board[team_id])
            done_at = None
            if status == ActionStatus.done:
                done_at = self._moment(
                    created.date() + timedelta(days=rng.randrange(1, length + 1)),
                    not_after=min(end_moment, self.now),
                )
                done_at = max(done_at, created)
            rows.append(
                {
                    "title": rng.choice(TITLES).format(
                        partner=rng.choice(PARTNERS),
                        place=rng.choice(MUNICIPALITIES),
                    ),
                    "description": "",
                    "team_id": team_id,
                    "owner_id": owner_id,
                    "sprint_id": sprint.id,
                    "ambition_id": ambition_id,
                    "goal_id": goal_id,
                    "status": status,
                    "blocked_reason": rng.choice(BLOCKED_REASONS) if status == "blocked" else None,
                    "due_date": sprint.start_date + timedelta(days=rng.randrange(length))
                    if rng.random() < 0.4
                    else None,
                    "position": column_ends[team_id, status],
                    "carried_over": 0,
                    "version": 1,
                    "created_at": created,
                    "updated_at": done_at or created,
                    "done_at": done_at,
                    "created_by_id": owner_id,
                }
            )
            column_ends[team_id, status] += 1
        ids = self._insert(Action, rows)
        for row, action_id in zip(rows, ids, strict=True):
            row["id"] = action_id
        events = [self._created_event(row) for row in rows]
        comments = [
            {
                "action_id": row["id"],
                "author_id": row["owner_id"],
                "body": rng.choice(COMMENTS),
                "created_at": row["updated_at"],
            }
            for row in rows
            if rng.random() < 0.08
        ]
        if comments:
            ids = self._insert(Comment, comments)
            team_of = {row["id"]: row["team_id"] for row in rows}
            events += [
                {
                    "occurred_at": comment["created_at"],
                    "actor_id": comment["author_id"],
                    "entity": "comment",
                    "entity_id": comment_id,
                    "verb": "created",
                    "team_id": team_of[comment["action_id"]],
                    "version": None,
                    "changes": {
                        "action_id": [None, comment["action_id"]],
                        "body": [None, comment["body"]],
                    },
                }
                for comment, comment_id in zip(comments, ids, strict=True)
            ]
        session.connection().execute(insert(table(AuditEvent)), events)
        session.commit()
        return rows

    def _insert(self, model: type[SQLModel], rows: list[dict[str, Any]]) -> list[int]:
        """Insert rows in batches with plain SQL (no ORM objects), and their new ids in order."""
        statement = insert(table(model)).returning(table(model).c.id, sort_by_parameter_order=True)
        return list(self.session.connection().execute(statement, rows).scalars())

    @staticmethod
    def _created_event(row: dict[str, Any]) -> dict[str, Any]:
        fields = ("title", "team_id", "owner_id", "sprint_id", "ambition_id", "goal_id", "status")
        changes: dict[str, Any] = {name: [None, row[name]] for name in fields}
        if row["blocked_reason"]:
            changes["blocked_reason"] = [None, row["blocked_reason"]]
        if row["due_date"]:
            changes["due_date"] = [None, row["due_date"].isoformat()]
        return {
            "occurred_at": row["created_at"],
            "actor_id": row["owner_id"],
            "entity": "action",
            "entity_id": row["id"],
            "verb": "created",
            "team_id": row["team_id"],
            "version": 1,
            "changes": changes,
        }

    def _escalate(self, new: list[dict[str, Any]], *, resolve_share: float) -> None:
        """A quarter of the new blocked actions become a knelpunt for the team of teams above."""
        session, admin, rng = self.session, self.admin, self.rng
        parents = dict(admin.parents)
        for action in new:
            if action["status"] != ActionStatus.blocked or parents.get(action["team_id"]) is None:
                continue
            if rng.random() > 0.25:
                continue
            escalation = escalations.raise_escalation(
                session=session,
                actor=admin,
                action_id=action["id"],
                data=EscalationCreate(note=f"Hulp nodig: {action['blocked_reason']}"),
            )
            if rng.random() < resolve_share:
                assert escalation.id is not None
                escalations.resolve_escalation(
                    session=session,
                    actor=admin,
                    escalation_id=escalation.id,
                    data=EscalationResolve(resolution="Opgepakt in het staand overleg."),
                )
