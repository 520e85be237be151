"""The small demo organisation (content in app/demo/content.py), built through the services."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session

from app.demo.common import email_for, set_home_location
from app.demo.content import (
    AMBITIONS,
    COMMENTS,
    CURRENT_SPRINT,
    ESCALATIONS,
    LOCATIONS,
    PEOPLE,
    PREVIOUS_SPRINT,
    TEAM_OF_TEAMS,
    TEAMS,
    ActionPlan,
    TeamPlan,
)
from app.demo.cycle_escalations import seed_escalation_loop
from app.demo.cycle_evaluations import seed_evaluations_and_standups
from app.demo.cycle_import import seed_imported_actions
from app.demo.cycle_indicators import seed_indicators_and_meetings
from app.demo.cycle_rhythm import seed_team_close
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
    LocationCreate,
    Role,
    Sprint,
    SprintCreate,
    Team,
    TeamCreate,
    User,
    UserCreate,
)
from app.services import actions, ambitions, escalations, org, sprints
from app.services.access import access_for


class SmallDemo:
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
        seed_evaluations_and_standups(self)
        seed_escalation_loop(self)
        seed_indicators_and_meetings(self)
        seed_imported_actions(self)

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
            org.put_member(
                session=session, actor=admin, team_id=team.id, user_id=user_id, role=role
            )
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
        seed_team_close(self, previous)  # one team closed its own part first
        sprints.close_sprint(session=session, actor=admin, sprint_id=previous.id, today=self.today)
        for plan in CURRENT_SPRINT:
            self._action(plan, current)
        # carried over and finished after all; the other carried actions stay open
        self._move("werkwijze_testen", ActionStatus.done)
        self._move("scholen", ActionStatus.doing)

    def _action(self, plan: ActionPlan, sprint: Sprint) -> Action:
        """Create the action as its owner, then move it to its status, as people would."""
        assert sprint.id is not None
        actor = self.as_person(plan.owner)
        ambition = self.ambitions[plan.ambition] if plan.ambition else None
        goal = (
            self.goals[plan.ambition, plan.goal]
            if plan.ambition and plan.goal is not None
            else None
        )
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
        if plan.status != ActionStatus.todo:
            action = self._update(action, plan.owner, plan.status, plan.blocked_reason)
        if plan.key:
            self.actions[plan.key] = action
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
                self._move(key, ActionStatus.done)
        for key, author, body in COMMENTS:
            action_id = self.actions[key].id
            assert action_id is not None
            actions.add_comment(
                session=session,
                actor=self.as_person(author),
                action_id=action_id,
                data=CommentCreate(body=body),
            )
