"""`verbeterbord user reset-two-factor`: for someone who lost both their phone and their
recovery codes. The second factor goes, and so does every session and API token of theirs."""

from __future__ import annotations

from collections.abc import Iterator

import pyotp
import pytest
from click.testing import CliRunner
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.cli import main
from app.config import Settings
from app.db import create_db_engine, write_session
from app.migrate import migrate_to_head
from app.models import AuditEvent, RecoveryCode, User
from app.services import auth, sessions, two_factor


@pytest.fixture
def database(settings: Settings) -> Iterator[Engine]:
    migrate_to_head()
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_reset_takes_the_second_factor_away_and_ends_every_session(database: Engine):
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann Smit")
    token = run("token", "create", "--email", "ann@gemeente.nl").stdout.strip()
    with write_session(database) as session:
        ann = session.exec(select(User).where(User.email == "ann@gemeente.nl")).one()
        secret = two_factor.new_secret()
        two_factor.enable(session=session, user=ann, secret=secret, code=pyotp.TOTP(secret).now())
        started = sessions.start_session(session=session, user=ann, method="totp")

    result = run("user", "reset-two-factor", "--email", "Ann@Gemeente.nl")

    assert result.exit_code == 0, result.output
    assert "Tweestapsverificatie uitgezet voor Ann Smit" in result.output
    with Session(database) as session:
        ann = session.exec(select(User).where(User.email == "ann@gemeente.nl")).one()
        assert ann.totp_secret is None and ann.totp_enabled_at is None
        assert not session.exec(select(RecoveryCode)).all()
        assert auth.user_for_token(session, token) is None
        settings = Settings()
        assert sessions.session_for_cookie(session, settings, started.cookie_value) is None
        reset = session.exec(
            select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.actor_id.is_(None))  # type: ignore[union-attr]
        ).all()
        assert any(event.changes.get("totp_enabled_at", [0, 0])[1] is None for event in reset)


def test_reset_of_someone_without_a_second_factor_changes_nothing(database: Engine):
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann Smit")
    assert (
        "had geen tweestapsverificatie"
        in run("user", "reset-two-factor", "--email", "ann@gemeente.nl").output
    )
    assert run("user", "reset-two-factor", "--email", "niemand@gemeente.nl").exit_code != 0
