"""Single sign-on with OpenID Connect: the authorization code flow with PKCE (S256).

`begin` makes what the browser takes to the identity provider (the address) and what this app
keeps until it comes back (state, nonce and the PKCE verifier: the page keeps them in a signed,
short-lived cookie). `finish` checks the state, swaps the code for tokens at the provider's token
endpoint with the verifier, validates the id_token (signature against the provider's JWKS, iss,
aud, exp, nonce; authlib.oidc.core's CodeIDToken), finds the user and starts the same server-side
session a password login does (app.services.sessions), recorded with method "oidc".

The provider's settings come from `<issuer>/.well-known/openid-configuration` and are kept for
an hour; its keys are fetched again when a token names a key id we do not know (key rotation).
Plain urllib: the app has no HTTP client library at run time.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from base64 import b64encode
from dataclasses import dataclass
from typing import Any

from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlmodel import Session, func, select

from app import logging_setup
from app.config import Settings
from app.models import Location, User, utcnow
from app.services import audit
from app.services.sessions import LoginRefused, StartedSession, start_session
from app.translatable import N_

SCOPES = "openid email profile"
TIMEOUT_SECONDS = 10
DISCOVERY_SECONDS = 3600
LEEWAY_SECONDS = 60  # clocks of two servers differ a little
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384"]

PROVIDER_UNREACHABLE = N_(
    "Inloggen met je organisatie-account lukt nu niet. Probeer het later opnieuw."
)
FLOW_BROKEN = N_(
    "Het inloggen met je organisatie-account is niet afgemaakt of verlopen. Probeer het opnieuw."
)
TOKEN_REFUSED = N_(
    "Je organisatie-account kon niet worden gecontroleerd. Probeer het opnieuw of vraag een "
    "beheerder om hulp."
)
UNKNOWN_USER = N_(
    "Je organisatie-account is nog niet bekend in Verbeterbord. Vraag een beheerder om je toe "
    "te voegen."
)
INACTIVE_USER = N_("Je account in Verbeterbord staat uit. Vraag een beheerder om hulp.")
NOT_CONFIGURED = N_("Inloggen met een organisatie-account is hier niet ingesteld.")


class SignInFailed(LoginRefused):
    """The flow broke (state, token, provider); `reason` goes to the security log."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    token_auth_methods: tuple[str, ...]


@dataclass(frozen=True)
class Begun:
    """Where the browser goes, and what this app keeps until it comes back."""

    url: str
    state: str
    nonce: str
    code_verifier: str


_lock = threading.Lock()
_providers: dict[str, tuple[float, Provider]] = {}
_keys: dict[str, KeySet] = {}


def _get_json(url: str, *, data: bytes | None = None, headers: dict[str, str] | None = None) -> Any:
    if urllib.parse.urlsplit(url).scheme not in ("https", "http"):
        raise SignInFailed(PROVIDER_UNREACHABLE, reason="bad_url")
    request = urllib.request.Request(url, data=data, headers={"Accept": "application/json"})  # noqa: S310  (http(s) only, checked above)
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as answer:  # noqa: S310
            return json.loads(answer.read(1_000_000))
    except urllib.error.HTTPError as refused:
        raise SignInFailed(TOKEN_REFUSED, reason=f"http_{refused.code}") from refused
    except (OSError, ValueError) as broken:
        raise SignInFailed(PROVIDER_UNREACHABLE, reason="provider_unreachable") from broken


def forget_provider() -> None:
    """Drop the cached provider settings and keys (tests; a changed issuer)."""
    with _lock:
        _providers.clear()
        _keys.clear()


def provider(settings: Settings) -> Provider:
    """The identity provider's endpoints, read from its discovery document (kept an hour)."""
    if not settings.oidc_enabled:
        raise SignInFailed(NOT_CONFIGURED, reason="not_configured")
    issuer = settings.oidc_issuer.rstrip("/")
    with _lock:
        cached = _providers.get(issuer)
    if cached is not None and time.monotonic() - cached[0] < DISCOVERY_SECONDS:
        return cached[1]
    document = _get_json(f"{issuer}/.well-known/openid-configuration")
    try:
        found = Provider(
            issuer=str(document["issuer"]),
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
            token_auth_methods=tuple(
                document.get("token_endpoint_auth_methods_supported", ["client_secret_basic"])
            ),
        )
    except (KeyError, TypeError) as broken:
        raise SignInFailed(PROVIDER_UNREACHABLE, reason="discovery_incomplete") from broken
    if found.issuer.rstrip("/") != issuer:
        # OpenID Connect Discovery 1.0, section 4.3: the document must name the issuer asked
        raise SignInFailed(PROVIDER_UNREACHABLE, reason="issuer_mismatch")
    with _lock:
        _providers[issuer] = (time.monotonic(), found)
    return found


def _key_set(found: Provider, *, fresh: bool = False) -> KeySet:
    with _lock:
        keys = None if fresh else _keys.get(found.jwks_uri)
    if keys is None:
        try:
            keys = KeySet.import_key_set(_get_json(found.jwks_uri))
        except (JoseError, ValueError, TypeError) as broken:
            raise SignInFailed(TOKEN_REFUSED, reason="jwks_unreadable") from broken
        with _lock:
            _keys[found.jwks_uri] = keys
    return keys


def begin(*, settings: Settings, redirect_uri: str) -> Begun:
    """A new authorization request: fresh state, nonce and PKCE verifier for this one login."""
    found = provider(settings)
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43–128
    query = urllib.parse.urlencode(
        {
            "response_type": "code",
            "client_id": settings.oidc_client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
            "nonce": nonce,
            "code_challenge": create_s256_code_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in found.authorization_endpoint else "?"
    return Begun(
        url=f"{found.authorization_endpoint}{separator}{query}",
        state=state,
        nonce=nonce,
        code_verifier=verifier,
    )


def _tokens_for_code(
    settings: Settings, found: Provider, *, code: str, redirect_uri: str, verifier: str
) -> dict[str, Any]:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": verifier,
    }
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if "client_secret_basic" in found.token_auth_methods or not settings.oidc_client_secret:
        pair = (
            f"{urllib.parse.quote(settings.oidc_client_id, safe='')}:"
            f"{urllib.parse.quote(settings.oidc_client_secret, safe='')}"
        )
        headers["Authorization"] = "Basic " + b64encode(pair.encode()).decode()
    else:
        form |= {"client_id": settings.oidc_client_id, "client_secret": settings.oidc_client_secret}
    tokens = _get_json(
        found.token_endpoint, data=urllib.parse.urlencode(form).encode(), headers=headers
    )
    if not isinstance(tokens, dict) or not isinstance(tokens.get("id_token"), str):
        raise SignInFailed(TOKEN_REFUSED, reason="no_id_token")
    return tokens


def validated_claims(
    settings: Settings, found: Provider, *, id_token: str, nonce: str, access_token: str | None
) -> dict[str, Any]:
    """The id_token's claims once its signature (the provider's JWKS), issuer, audience,
    expiry and nonce are right; SignInFailed otherwise."""
    try:
        try:
            token = jwt.decode(id_token, _key_set(found), algorithms=ALGORITHMS)
        except ValueError:
            # a key id we do not know yet: the provider rotated its keys
            token = jwt.decode(id_token, _key_set(found, fresh=True), algorithms=ALGORITHMS)
        claims = CodeIDToken(
            token.claims,
            token.header,
            options={
                "iss": {"essential": True, "value": found.issuer},
                "aud": {"essential": True, "value": settings.oidc_client_id},
                "nonce": {"essential": True, "value": nonce},
                "sub": {"essential": True},
            },
            params={
                "nonce": nonce,
                "client_id": settings.oidc_client_id,
                "access_token": access_token,
            },
        )
        claims.validate(leeway=LEEWAY_SECONDS)
    except JoseError as refused:
        raise SignInFailed(TOKEN_REFUSED, reason=f"id_token_{refused.error}") from refused
    except ValueError as refused:
        raise SignInFailed(TOKEN_REFUSED, reason="id_token_unreadable") from refused
    return dict(claims)


def _verified_email(claims: dict[str, Any]) -> str | None:
    """The e-mail address, when the provider vouches for it: `email_verified` (Keycloak and
    most providers) or Entra ID's `xms_edov` (the domain's owner verified it)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email:
        return None
    if claims.get("email_verified") is True or claims.get("xms_edov") in (True, "1", "true"):
        return email.strip().lower()[:254]
    return None


def _default_location(session: Session, settings: Settings) -> int | None:
    if not settings.oidc_default_location.strip():
        return None
    return session.exec(
        select(Location.id).where(
            func.lower(Location.name) == settings.oidc_default_location.strip().lower()
        )
    ).first()


def user_for_claims(*, session: Session, settings: Settings, claims: dict[str, Any]) -> User:
    """The user these claims are: by subject first, then by verified e-mail address (then the
    subject is linked to the account, audited); created when that is switched on. Inactive or
    unknown users are refused."""
    subject = str(claims["sub"])[:255]
    user = session.exec(select(User).where(User.oidc_subject == subject)).first()
    email = _verified_email(claims)
    if user is None and email is not None:
        user = session.exec(select(User).where(func.lower(User.email) == email)).first()
        if user is not None and user.oidc_subject is not None:
            # the address belongs to an account linked to another subject: not this one
            raise SignInFailed(UNKNOWN_USER, reason="email_linked_to_other_subject")
        if user is not None:
            user.oidc_subject = subject
            user.updated_at = utcnow()
            audit.store(
                session,
                user,
                "updated",
                actor_id=user.id,
                changes={"oidc_subject": [None, subject]},
            )
    if user is None and email is not None and settings.oidc_create_users:
        name = claims.get("name") if isinstance(claims.get("name"), str) else None
        user = User(
            email=email,
            name=(name or email.split("@")[0]).strip()[:100] or email[:100],
            location_id=_default_location(session, settings),
            oidc_subject=subject,
        )
        audit.store(
            session,
            user,
            "created",
            actor_id=None,
            changes=audit.diff({}, audit.snapshot(user, exclude=("password_hash", "totp_secret"))),
        )
    if user is None:
        raise SignInFailed(UNKNOWN_USER, reason="unknown_user")
    if not user.is_active:
        raise SignInFailed(INACTIVE_USER, reason="inactive")
    return user


def finish(
    *,
    session: Session,
    settings: Settings,
    code: str,
    state: str,
    expected_state: str,
    nonce: str,
    code_verifier: str,
    redirect_uri: str,
    client: str,
) -> StartedSession:
    """Back from the identity provider: check the state, swap the code for tokens, validate the
    id_token, find the user and start their session. Every refusal goes to the security log."""
    subject = ""
    try:
        if not code or not expected_state or not secrets.compare_digest(state, expected_state):
            raise SignInFailed(FLOW_BROKEN, reason="state_mismatch")
        found = provider(settings)
        tokens = _tokens_for_code(
            settings, found, code=code, redirect_uri=redirect_uri, verifier=code_verifier
        )
        access_token = tokens.get("access_token")
        claims = validated_claims(
            settings,
            found,
            id_token=tokens["id_token"],
            nonce=nonce,
            access_token=access_token if isinstance(access_token, str) else None,
        )
        subject = str(claims["sub"])
        user = user_for_claims(session=session, settings=settings, claims=claims)
    except SignInFailed as refused:
        session.rollback()
        logging_setup.login_failed(
            email=f"oidc:{subject}" if subject else "oidc", client=client, reason=refused.reason
        )
        raise
    return start_session(session=session, user=user, method="oidc")
