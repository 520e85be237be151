"""Locations, staff, teams and memberships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app import logging_setup
from app.domain.passwords import password_problem
from app.domain.permissions import SEATED_ROLES, Access
from app.domain.teams import removal_problem, would_create_cycle
from app.models import (
    Action,
    Escalation,
    Location,
    LocationCreate,
    Membership,
    Role,
    Team,
    TeamCreate,
    TeamUpdate,
    User,
    UserCreate,
    UserUpdate,
    utcnow,
)
from app.services import audit, sessions
from app.services.access import get_or_404, require_admin, team_parents
from app.services.auth import generate_password, hash_password, verify_password
from app.services.errors import DomainError, Forbidden, Invalid, NotFound, check
from app.services.privacy import is_erased
from app.translatable import N_


class TeamNotEmpty(DomainError):
    """The team still holds work or other teams; message says so (N_, pages translate it)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def create_location(*, session: Session, actor: Access, data: LocationCreate) -> Location:
    """Add a municipality or office."""
    require_admin(actor)
    if session.exec(select(Location).where(Location.name == data.name)).first():
        raise Invalid({"name": N_("Deze gemeente of vestiging bestaat al.")})
    location = Location(name=data.name)
    audit.store(
        session,
        location,
        "created",
        actor_id=actor.user_id,
        changes={"name": [None, location.name]},
    )
    session.commit()
    return location


EMAIL_TAKEN = N_("Er is al een medewerker met dit e-mailadres.")
OWN_ADMIN_FLAG = N_("Je kunt je eigen beheerrechten niet intrekken.")
OWN_PASSWORD = N_("Je eigen wachtwoord wijzig je op je profiel.")
ERASED = N_("De gegevens van deze medewerker zijn gewist.")


def _email_taken(session: Session, email: str, *, but: int | None = None) -> bool:
    statement = select(User.id).where(func.lower(User.email) == email.lower())
    if but is not None:
        statement = statement.where(User.id != but)
    return session.exec(statement).first() is not None


@dataclass(frozen=True)
class CreatedUser:
    user: User
    generated_password: str | None


def create_user(*, session: Session, actor: Access | None, data: UserCreate) -> CreatedUser:
    """Add a staff member; without a password one is generated and returned once.

    actor is None only for the command line, which runs with the server's own authority.
    """
    if actor is not None:
        require_admin(actor)
    email = data.email.lower()
    errors: dict[str, str] = {}
    if _email_taken(session, email):
        errors["email"] = EMAIL_TAKEN
    if data.location_id is not None and session.get(Location, data.location_id) is None:
        errors["location_id"] = N_("Deze gemeente of vestiging bestaat niet.")
    generated = None
    password = data.password
    if password is None:
        password = generated = generate_password()
    elif problem := password_problem(password, name=data.name, email=email):
        errors["password"] = problem
    check(errors)
    user = User(
        email=email,
        name=data.name,
        location_id=data.location_id,
        is_admin=data.is_admin,
        password_hash=hash_password(password),
    )
    audit.store(
        session,
        user,
        "created",
        actor_id=actor.user_id if actor else None,
        changes=audit.diff({}, audit.snapshot(user, exclude=("password_hash",))),
    )
    session.commit()
    return CreatedUser(user=user, generated_password=generated)


def update_user(*, session: Session, actor: Access, user_id: int, data: UserUpdate) -> User:
    """Change a staff member's name, e-mail address, home location or admin flag; an admin
    never takes away their own admin flag (so an organisation keeps its admin)."""
    require_admin(actor)
    user = get_or_404(session, User, user_id, "Medewerker")
    changes = data.model_dump(exclude_unset=True)
    errors: dict[str, str] = {}
    if "name" in changes and changes["name"] is None:
        errors["name"] = N_("Vul een naam in.")
    if "email" in changes:
        if changes["email"] is None:
            errors["email"] = N_("Vul een geldig e-mailadres in.")
        elif _email_taken(session, changes["email"], but=user_id):
            errors["email"] = EMAIL_TAKEN
    location_id = changes.get("location_id")
    if location_id is not None and session.get(Location, location_id) is None:
        errors["location_id"] = N_("Deze gemeente of vestiging bestaat niet.")
    if "is_admin" in changes:
        if changes["is_admin"] is None:
            errors["is_admin"] = N_("Kies een van de mogelijkheden.")
        elif not changes["is_admin"] and user_id == actor.user_id:
            errors["is_admin"] = OWN_ADMIN_FLAG
    check(errors)
    if is_erased(user):
        # an erased person stays nameless: giving them a name again would undo the erasure
        raise Invalid({"form": ERASED})
    before = audit.snapshot(user, exclude=("password_hash",))
    for key, value in changes.items():
        setattr(user, key, value)
    after = audit.snapshot(user, exclude=("password_hash",))
    if after == before:
        return user
    user.updated_at = utcnow()
    audit.store(
        session,
        user,
        "updated",
        actor_id=actor.user_id,
        changes=audit.diff(before, after),
    )
    session.commit()
    return user


def set_password(*, session: Session, actor_id: int | None, user: User, password: str) -> None:
    if problem := password_problem(password, name=user.name, email=user.email):
        raise Invalid({"password": problem})
    assert user.id is not None
    user.password_hash = hash_password(password)
    user.updated_at = utcnow()
    audit.store(
        session,
        user,
        "updated",
        actor_id=actor_id,
        changes={"password": ["***", "***"]},
    )
    # a new password shuts out whoever knew the old one, on every device and API token
    sessions.end_all_for_user(session, user.id, actor_id=actor_id)
    session.commit()


NOT_ACTIVE = N_("Deze medewerker is niet actief. Activeer deze medewerker eerst weer.")


@dataclass(frozen=True)
class PasswordReset:
    user: User
    password: str


def reset_password(*, session: Session, actor: Access, user_id: int) -> PasswordReset:
    """Let a locked-out colleague back in: a generated password, shown once to the admin; every
    session and API token of theirs ends. Admins change their own password on their profile."""
    require_admin(actor)
    user = get_or_404(session, User, user_id, "Medewerker")
    if user_id == actor.user_id:
        raise Invalid({"password": OWN_PASSWORD})
    if is_erased(user):
        raise Invalid({"password": ERASED})
    if not user.is_active:
        raise Invalid({"password": NOT_ACTIVE})
    password = generate_password()
    set_password(session=session, actor_id=actor.user_id, user=user, password=password)
    return PasswordReset(user=user, password=password)


CURRENT_PASSWORD_WRONG = N_("Je huidige wachtwoord klopt niet.")
SAME_PASSWORD = N_("Kies een ander wachtwoord dan je huidige.")


def change_password(
    *, session: Session, user: User, current_password: str, new_password: str
) -> None:
    """A user changes their own password: the current one first, then the password rule; every
    session and API token of the user ends (they log in again). The audit event names the
    change, never the password."""
    assert user.id is not None
    if not verify_password(user.password_hash, current_password):
        logging_setup.password_change_failed(user_id=user.id, reason="current_password_wrong")
        raise Invalid({"current_password": CURRENT_PASSWORD_WRONG})
    if new_password == current_password:
        raise Invalid({"new_password": SAME_PASSWORD})
    if problem := password_problem(new_password, name=user.name, email=user.email):
        raise Invalid({"new_password": problem})
    set_password(session=session, actor_id=user.id, user=user, password=new_password)


LOCALES = ("nl", "en")


def set_user_active(*, session: Session, actor: Access, user_id: int, active: bool) -> User:
    """Deactivate a staff member (ending their sessions and API tokens) or activate them again.
    Nobody deactivates themselves, so an organisation never locks out its last admin that way."""
    require_admin(actor)
    user = get_or_404(session, User, user_id, "Medewerker")
    if not active and user_id == actor.user_id:
        raise Invalid({"active": N_("Je kunt jezelf niet deactiveren.")})
    if user.is_active == active:
        return user
    user.is_active = active
    user.updated_at = utcnow()
    audit.store(
        session,
        user,
        "updated",
        actor_id=actor.user_id,
        changes={"is_active": [not active, active]},
    )
    if not active:
        sessions.end_all_for_user(session, user_id, actor_id=actor.user_id)
    session.commit()
    return user


def set_locale(*, session: Session, actor_id: int | None, user: User, locale: str) -> User:
    """Save the language the user reads the pages in; from now on it wins over the browser's."""
    if locale not in LOCALES:
        raise Invalid({"locale": N_("Kies Nederlands of English.")})
    assert user.id is not None
    if user.locale == locale and user.locale_chosen:
        return user
    changes: dict[str, list[Any]] = {}
    if user.locale != locale:
        changes["locale"] = [user.locale, locale]
    if not user.locale_chosen:
        changes["locale_chosen"] = [False, True]
    user.locale = locale
    user.locale_chosen = True
    user.updated_at = utcnow()
    audit.store(
        session,
        user,
        "updated",
        actor_id=actor_id,
        changes=changes,
    )
    session.commit()
    return user


# --- Teams --------------------------------------------------------------------------------
def _check_parent(session: Session, team_id: int | None, parent_id: int | None) -> None:
    if parent_id is None:
        return
    if session.get(Team, parent_id) is None:
        raise Invalid({"parent_id": N_("Dit team van teams bestaat niet.")})
    if team_id is not None and would_create_cycle(team_id, parent_id, team_parents(session)):
        raise Invalid(
            {"parent_id": N_("Een team kan niet onder zichzelf of een eigen subteam hangen.")}
        )


def create_team(*, session: Session, actor: Access, data: TeamCreate) -> Team:
    """Add a team, optionally under a team of teams."""
    require_admin(actor)
    _check_parent(session, None, data.parent_id)
    team = Team(name=data.name, description=data.description, parent_id=data.parent_id)
    audit.store(
        session,
        team,
        "created",
        actor_id=actor.user_id,
        team_id=team.id,
        changes=audit.diff({}, audit.snapshot(team)),
    )
    session.commit()
    return team


def update_team(*, session: Session, actor: Access, team_id: int, data: TeamUpdate) -> Team:
    """Rename, describe or re-hang a team; a cycle in the tree is refused."""
    team = get_or_404(session, Team, team_id, "Team")
    require_admin(actor)
    changes = data.model_dump(exclude_unset=True)
    if changes.get("name", "") is None:
        raise Invalid({"name": N_("Geef het team een naam.")})
    if changes.get("description", "") is None:
        changes["description"] = ""
    if "parent_id" in changes:
        _check_parent(session, team_id, changes["parent_id"])
    before = audit.snapshot(team)
    for key, value in changes.items():
        setattr(team, key, value)
    audit.store(
        session,
        team,
        "updated",
        actor_id=actor.user_id,
        team_id=team_id,
        changes=audit.diff(before, audit.snapshot(team)),
    )
    session.commit()
    return team


def delete_team(*, session: Session, actor: Access, team_id: int) -> Team:
    """Remove a team that holds no work; a team with actions, escalations or subteams stays."""
    team = get_or_404(session, Team, team_id, "Team")
    require_admin(actor)
    problem = removal_problem(
        subteams=session.exec(select(func.count()).where(Team.parent_id == team_id)).one(),
        actions=session.exec(select(func.count()).where(Action.team_id == team_id)).one(),
        escalations=session.exec(
            select(func.count()).where(
                (Escalation.from_team_id == team_id) | (Escalation.to_team_id == team_id)
            )
        ).one(),
    )
    if problem:
        raise TeamNotEmpty(problem)
    audit.store(session, team, "deleted", actor_id=actor.user_id, team_id=team_id)
    session.commit()
    return team


# --- Memberships --------------------------------------------------------------------------
def require_member_manager(actor: Access, team_id: int) -> None:
    """Only an admin or the lead (trekker) of the team adds, changes and removes its members."""
    if not actor.can_manage_members(team_id):
        raise Forbidden(N_("Alleen de trekker van dit team of een beheerder beheert de leden."))


# Each role with a seat in the team of teams, held by one member of the team at most.
SEAT_TAKEN = {
    Role.representative: N_("Dit team heeft al een vertegenwoordiger."),
    Role.deputy: N_("Dit team heeft al een plaatsvervangend vertegenwoordiger."),
}


def _check_seat(session: Session, team: Team, user_id: int, role: Role) -> None:
    """A representative or deputy sits in the team of teams above the team: there has to be
    one, and the seat has to be free (one user holds one role in a team, so never both)."""
    if role not in SEATED_ROLES:
        return
    if team.parent_id is None:
        raise Invalid({"role": N_("Dit team valt niet onder een team van teams.")})
    other = session.exec(
        select(Membership).where(
            Membership.team_id == team.id,
            Membership.role == role,
            Membership.user_id != user_id,
        )
    ).first()
    if other is not None:
        raise Invalid({"role": SEAT_TAKEN[role]})


def put_member(
    *, session: Session, actor: Access, team_id: int, user_id: int, role: Role
) -> Membership:
    """Add a user to a team or change their role. A team has at most one representative and at
    most one deputy (plaatsvervangend vertegenwoordiger), and only a team under a team of teams
    can have them."""
    team = get_or_404(session, Team, team_id, "Team")
    require_member_manager(actor, team_id)
    user = get_or_404(session, User, user_id, "Medewerker")
    if not user.is_active:
        raise Invalid({"user_id": N_("Deze medewerker is niet meer actief.")})
    _check_seat(session, team, user_id, role)
    membership = session.exec(
        select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
    ).first()
    old_role = membership.role if membership else None
    if membership is None:
        membership = Membership(team_id=team_id, user_id=user_id, role=role)
    membership.role = role
    session.add(membership)
    session.flush()
    assert membership.id is not None
    if old_role != role:
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="membership",
            entity_id=membership.id,
            verb="created" if old_role is None else "updated",
            team_id=team_id,
            changes={
                "user_id": [None if old_role is None else user_id, user_id],
                "role": [old_role, role],
            },
        )
    session.commit()
    return membership


def remove_member(*, session: Session, actor: Access, team_id: int, user_id: int) -> Membership:
    """Take a user out of a team."""
    get_or_404(session, Team, team_id, "Team")
    require_member_manager(actor, team_id)
    membership = session.exec(
        select(Membership).where(Membership.team_id == team_id, Membership.user_id == user_id)
    ).first()
    if membership is None:
        raise NotFound("Lidmaatschap")
    audit.store(
        session,
        membership,
        "deleted",
        actor_id=actor.user_id,
        team_id=team_id,
        changes={"user_id": [user_id, None], "role": [membership.role, None]},
    )
    session.commit()
    return membership
