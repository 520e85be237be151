"""Passwords, API tokens and who is asking."""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlmodel import Session, select

from app.domain.tokens import token_name_problem
from app.models import ApiToken, User, utcnow
from app.services import audit
from app.services.errors import Invalid, NotFound

_hasher = PasswordHasher()
TOKEN_PREFIX = "vb_"  # noqa: S105  (a marker, not a secret)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    """A random password people can type: 20 characters, about 120 bits."""
    return secrets.token_urlsafe(15)


def hash_token(raw_token: str) -> str:
    # Tokens are 256 random bits, so one fast hash is enough; no salt or argon2 needed.
    return hashlib.sha256(raw_token.encode()).hexdigest()


def create_token(*, session: Session, user: User, name: str, actor_id: int | None) -> str:
    """Store a new API token for the user and return it; only its hash is kept. A name that
    breaks the name rule is refused (never shortened)."""
    assert user.id is not None
    if problem := token_name_problem(name):
        raise Invalid({"name": problem})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user_id=user.id, name=name.strip(), token_hash=hash_token(raw))
    audit.store(
        session,
        token,
        "created",
        actor_id=actor_id,
        changes={"user_id": [None, user.id], "name": [None, token.name]},
    )
    session.commit()
    return raw


def user_for_token(session: Session, raw_token: str) -> User | None:
    """The active user a token belongs to, or None for an unknown or revoked token."""
    if not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
        return None
    token = session.exec(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(raw_token),
            ApiToken.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ).first()
    if token is None:
        return None
    user = session.get(User, token.user_id)
    return user if user is not None and user.is_active else None


def revoke_token(*, session: Session, token: ApiToken, actor_id: int | None) -> None:
    assert token.id is not None
    token.revoked_at = utcnow()
    audit.store(
        session,
        token,
        "updated",
        actor_id=actor_id,
        changes={"revoked_at": [None, token.revoked_at]},
    )
    session.commit()


def revoke_own_token(*, session: Session, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own API tokens; someone else's token is as unknown as a missing
    one. Revoking a revoked token changes nothing."""
    token = session.get(ApiToken, token_id)
    if token is None or token.user_id != user.id:
        raise NotFound("API-sleutel")
    if token.revoked_at is None:
        revoke_token(session=session, token=token, actor_id=user.id)
    return token
