"""Settings, read from the environment with the prefix VERBETERBORD_."""

from __future__ import annotations

import secrets
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VERBETERBORD_", extra="ignore")

    data_dir: Path = Path("./data")
    database_url: str | None = None
    secret_key: str | None = None
    locale: str = "nl"
    secure_cookies: bool = False
    sprint_days: int = Field(default=14, ge=1, le=366)
    # Sprints are counted from this Monday, so every office agrees on which two weeks
    # belong together.
    sprint_anchor: date = date(2026, 1, 5)
    # A fixed calendar day for a training environment (oefenomgeving) or a demo walked through
    # on a chosen date: pages, rollover and due dates behave as on that day. Unset in production.
    today: date | None = None
    sqlite_busy_timeout_ms: int = Field(default=5000, ge=0)
    db_pool_size: int = Field(default=10, ge=1)
    session_idle_minutes: int = Field(default=8 * 60, ge=1)
    session_max_hours: int = Field(default=12, ge=1)
    # An open live stream checks at least this often that its user is still signed in (at once
    # when the logout or deactivation happens in this process): app/events.py.
    stream_recheck_seconds: float = Field(default=15.0, gt=0, le=3600)
    login_attempts_allowed: int = Field(default=10, ge=1)
    login_attempt_window_minutes: int = Field(default=15, ge=1)
    # Reverse proxies whose X-Forwarded-For/-Proto are believed: comma-separated IPs or CIDRs
    # ("127.0.0.1,10.0.0.0/8"). Empty: the headers are ignored and the peer address counts.
    trusted_proxies: str = ""
    # The address people reach Verbeterbord at ("https://verbeterbord.gemeente.nl"), for links
    # that leave the app (calendar feeds, e-mail). Empty: the address of the request.
    base_url: str = ""
    # E-mail (README "E-mail (SMTP)"): off while smtp_host is empty; links need base_url
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_user: str = ""
    smtp_password: str = ""
    smtp_starttls: bool = True
    mail_from: str = ""  # empty: verbeterbord@ the host of base_url
    # Single sign-on with OpenID Connect (README "Inloggen met je organisatie-account"): the
    # identity provider's issuer (its /.well-known/openid-configuration is read), this app's
    # client id and secret. Both issuer and client id set: the login page offers it.
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    # someone the identity provider knows but Verbeterbord does not is added on first login
    # (with the location of this name), instead of refused
    oidc_create_users: bool = False
    oidc_default_location: str = ""
    # Logging in with a password; off: only single sign-on
    local_login: bool = True
    # With passwords on, an admin must set up two-factor (TOTP) before any other page
    admin_two_factor_required: bool = True

    @property
    def oidc_enabled(self) -> bool:
        return bool(self.oidc_issuer and self.oidc_client_id)

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            url = self.database_url
            # DESIGN.md promises that postgresql://… uses psycopg 3.
            if url.startswith("postgresql://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
            elif url.startswith("postgres://"):
                url = "postgresql+psycopg://" + url.removeprefix("postgres://")
            return url
        return f"sqlite:///{(self.data_dir / 'verbeterbord.db').resolve()}"

    @property
    def resolved_secret_key(self) -> str:
        """The configured key, or one generated once and kept in the data folder."""
        if self.secret_key:
            return self.secret_key
        key_file = self.data_dir / "secret_key"
        if key_file.exists():
            return key_file.read_text().strip()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(48)
        key_file.touch(mode=0o600)
        key_file.write_text(key)
        return key


@lru_cache
def get_settings() -> Settings:
    return Settings()
