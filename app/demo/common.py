"""What the small and the large demo share: the demo domain, e-mail addresses and home
locations."""

from __future__ import annotations

from sqlmodel import Session

from app.domain.passwords import password_problem
from app.domain.permissions import Access
from app.models import (
    Location,
    User,
)
from app.services import audit
from app.services.auth import generate_password

DEMO_DOMAIN = "demo.verbeterbord.nl"
DEMO_ADMIN_EMAIL = f"beheer@{DEMO_DOMAIN}"
DEMO_ADMIN_NAME = "Demo-beheerder"


def set_home_location(session: Session, *, actor: Access, user: User, location: Location) -> None:
    """Give a user their home location, with its history (there is no service for editing a
    user yet; the demo admin is made before any location exists)."""
    before = user.location_id
    user.location_id = location.id
    changes = {"location_id": [before, location.id]}
    audit.store(session, user, "updated", actor_id=actor.user_id, changes=changes)
    session.commit()


def email_for(name: str) -> str:
    first, *rest = name.lower().replace("-", "").split()
    return f"{first}.{''.join(rest)}@{DEMO_DOMAIN}"


def new_password(user: User) -> str:
    """A generated password that also passes the password rule for this user."""
    while True:
        password = generate_password()
        if password_problem(password, name=user.name, email=user.email) is None:
            return password
