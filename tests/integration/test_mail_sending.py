"""E-mail against a real SMTP server that the tests start (aiosmtpd on a free loopback port):
the weekly digest once on its day from 07:00, never twice even with two runs at once; knelpunt
news from the escalation timeline; a mention once; every link absolute, a text and an HTML part,
read back with the `email` package."""

from __future__ import annotations

import email
import re
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from email import policy
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, update
from sqlmodel import Session, select

from app.cli import main
from app.config import Settings
from app.db import writer
from app.mailer import SmtpSender
from app.main import create_app
from app.models import (
    ActionCreate,
    ActionUpdate,
    Comment,
    EscalationCreate,
    EscalationResolve,
    EscalationStepRecord,
    Mention,
    SentMail,
    User,
)
from app.services import actions, escalations, mail
from app.services.access import access_for
from tests.support.builders import World

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
BASE = "https://verbeterbord.example.nl"
# the world's sprint runs from Monday 23 November to Sunday 6 December 2026
MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)
LINK = re.compile(r"https?://[^\s\"'<>]+")
HREF = re.compile(r'href="([^"]*)"')


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)


# --- the SMTP server ------------------------------------------------------------------------
@dataclass
class Inbox:
    port: int
    received: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        with self.lock:
            self.received.append((list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[EmailMessage]:
        return [message for rcpt, message in self.received if address in rcpt]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box = Inbox(port=free_port())
    controller = Controller(box, hostname="127.0.0.1", port=box.port)
    controller.start()
    yield box
    controller.stop()


@pytest.fixture
def mail_on(settings: Settings, inbox: Inbox) -> Settings:
    return settings.model_copy(
        update={
            "smtp_host": "127.0.0.1",
            "smtp_port": inbox.port,
            "smtp_starttls": False,
            "base_url": BASE,
        }
    )


def send(engine: Engine, settings: Settings, now: datetime) -> mail.MailRun:
    with SmtpSender(settings) as sender:
        return mail.send_due(engine=engine, settings=settings, now=now, send=sender)


# --- the organisation -----------------------------------------------------------------------
def as_(session: Session, world: World, who: str):  # type: ignore[no-untyped-def]
    return access_for(session, world.users[who])


def action_of(session: Session, world: World, who: str, title: str, due: date | None = None) -> int:
    made = actions.create_action(
        session=session,
        actor=as_(session, world, who),
        data=ActionCreate(
            title=title, team_id=world.team.id, owner_id=world.users[who].id, due_date=due
        ),
        today=world.today,
    )
    assert made.id is not None
    return made.id


@pytest.fixture
def session(sqlite_engine: Engine) -> Iterator[Session]:
    with Session(writer(sqlite_engine), expire_on_commit=False) as session:
        yield session


def set_user(engine: Engine, user_id: int, **values: Any) -> None:
    with Session(writer(engine)) as session:
        session.execute(update(User).where(User.id == user_id).values(**values))  # type: ignore[arg-type]
        session.commit()


def parts(message: EmailMessage) -> tuple[str, str]:
    text = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert text is not None and html is not None
    return text.get_content(), html.get_content()


def assert_links_absolute(message: EmailMessage) -> None:
    text, html = parts(message)
    hrefs = HREF.findall(html)
    assert hrefs
    assert all(href.startswith(BASE + "/") for href in hrefs), hrefs
    links = LINK.findall(text)
    assert links and all(link.startswith(BASE + "/") for link in links), links
    # and a way to switch it off: the profile's E-mail section
    assert f"{BASE}/profiel#e-mail" in text
    assert f"{BASE}/profiel#e-mail" in hrefs


# --- the weekly digest ----------------------------------------------------------------------
def test_the_monday_digest_arrives_once_from_seven_with_my_actions_per_team(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    action_of(session, world, "member", "Huisbezoeken plannen", due=date(2026, 12, 3))
    late = action_of(session, world, "member", "Wachtlijst bellen", due=date(2026, 11, 26))

    assert send(sqlite_engine, mail_on, at(MONDAY, 6, 59)).sent == 0
    first = send(sqlite_engine, mail_on, at(MONDAY, 7, 0))
    again = send(sqlite_engine, mail_on, at(MONDAY, 9, 30))

    # only the member owns actions: nobody else gets an empty digest
    assert (first.sent, again.sent) == (1, 0)
    [(recipients, message)] = inbox.received
    assert recipients == ["member@example.org"]
    assert message["Subject"] == "Je weekoverzicht: 2 acties, 1 te laat"
    assert message["Auto-Submitted"] == "auto-generated"
    assert message.get_content_type() == "multipart/alternative"
    text, html = parts(message)
    assert "Hallo Member," in text
    assert "Jeugd" in text and "<h2>Jeugd</h2>" in html
    assert "Wachtlijst bellen" in text and "(te laat)" in text
    assert "klaar op do 3 dec. 2026" in text
    assert f"{BASE}/teams/{world.team.id}/acties/{late}" in text
    assert f'href="{BASE}/teams/{world.team.id}/acties/{late}"' in html
    # late first within the team
    assert text.index("Wachtlijst bellen") < text.index("Huisbezoeken plannen")
    assert "elke maandag" in text
    assert_links_absolute(message)
    with Session(sqlite_engine) as reading:
        [claim] = reading.exec(select(SentMail)).all()
    assert claim.mail_key == "digest:2026-11-30" and claim.sent_at is not None


def test_no_digest_on_another_day_and_the_chosen_day_gets_it(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    action_of(session, world, "member", "Huisbezoeken plannen")
    action_of(session, world, "lead", "Casusoverleg voorbereiden")
    set_user(sqlite_engine, world.ids["lead"], digest_weekday=1)  # Tuesday

    assert send(sqlite_engine, mail_on, at(date(2026, 11, 29), 8)).sent == 0  # a Sunday
    tuesday = send(sqlite_engine, mail_on, at(TUESDAY, 7, 30))

    assert tuesday.sent == 1
    assert [rcpt for rcpt, _ in inbox.received] == [["lead@example.org"]]
    assert "elke dinsdag" in parts(inbox.received[0][1])[0]


def test_no_digest_when_switched_off_or_for_an_inactive_colleague(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    action_of(session, world, "member", "Huisbezoeken plannen")
    action_of(session, world, "lead", "Casusoverleg voorbereiden")
    set_user(sqlite_engine, world.ids["member"], digest_weekday=None)
    set_user(sqlite_engine, world.ids["lead"], is_active=False)

    assert send(sqlite_engine, mail_on, at(MONDAY, 7)).sent == 0
    assert inbox.received == []


def test_two_runs_at_the_same_moment_send_each_digest_once(
    engine: Engine,
    world: World,
    mail_on: Settings,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """On SQLite and on PostgreSQL: the claim's unique key decides, not the timing."""
    with Session(writer(engine), expire_on_commit=False) as session:
        for who in ("member", "lead", "representative"):
            action_of(session, world, who, f"Actie van {who}")
    # both runs have decided what is due before either claims anything
    both_decided = threading.Barrier(2, timeout=10)
    claim = mail.claim
    decided: set[int] = set()

    def claim_after_both_decided(engine: Engine, **kwargs: Any) -> bool:
        if threading.get_ident() not in decided:
            decided.add(threading.get_ident())
            both_decided.wait()
        return claim(engine, **kwargs)

    monkeypatch.setattr(mail, "claim", claim_after_both_decided)
    runs: list[mail.MailRun] = []

    def one_run() -> None:
        runs.append(send(engine, mail_on, at(MONDAY, 7, 1)))

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert len(runs) == 2
    assert sum(run.sent for run in runs) == 3
    assert sum(run.skipped for run in runs) == 3
    assert sorted(rcpt[0] for rcpt, _ in inbox.received) == [
        "lead@example.org",
        "member@example.org",
        "representative@example.org",
    ]


# --- knelpunten -----------------------------------------------------------------------------
def test_a_knelpunt_reaching_the_team_of_teams_and_its_answer_are_mailed_once(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    action_id = action_of(session, world, "member", "Wachtlijst bellen")
    actions.update_action(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action_id,
        data=ActionUpdate(version=1, status="blocked", blocked_reason="Geen capaciteit"),
    )
    raised = escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action_id,
        data=EscalationCreate(note="We hebben twee extra mensen nodig.", type="capacity"),
        today=world.today,
    )
    now = datetime.now(UTC)

    arrived = send(sqlite_engine, mail_on, now)

    # the team of teams: its representative from Jeugd sits in it (the member raised it)
    assert arrived.sent == 1
    [(recipients, message)] = inbox.received
    assert recipients == ["representative@example.org"]
    assert message["Subject"] == "Nieuw knelpunt voor Team van teams: Wachtlijst bellen"
    text, _html = parts(message)
    assert "Team Jeugd heeft een knelpunt opgeschaald naar Team van teams." in text
    assert "Soort: capaciteit" in text
    assert f"{BASE}/knelpunten/{raised.id}" in text
    assert_links_absolute(message)

    escalations.resolve_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=raised.id,  # type: ignore[arg-type]
        data=EscalationResolve(resolution="Twee collega's van Werk helpen vanaf maandag."),
    )
    answered = send(sqlite_engine, mail_on, datetime.now(UTC))
    nothing_new = send(sqlite_engine, mail_on, datetime.now(UTC))

    assert (answered.sent, nothing_new.sent) == (1, 0)
    recipients, message = inbox.received[1]
    assert recipients == ["member@example.org"]
    assert message["Subject"] == "Je knelpunt is beantwoord: Wachtlijst bellen"
    text, _html = parts(message)
    assert "Representative van Team van teams heeft je knelpunt beantwoord." in text
    assert "Twee collega's van Werk helpen vanaf maandag." in text
    assert_links_absolute(message)


def test_old_knelpunt_steps_are_not_mailed_when_mail_is_switched_on(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    action_id = action_of(session, world, "member", "Wachtlijst bellen")
    actions.update_action(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action_id,
        data=ActionUpdate(version=1, status="blocked", blocked_reason="Geen capaciteit"),
    )
    escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action_id,
        data=EscalationCreate(note="We hebben twee extra mensen nodig."),
        today=world.today,
    )
    long_ago = datetime.now(UTC) - timedelta(days=3)
    session.execute(update(EscalationStepRecord).values(created_at=long_ago))
    session.commit()

    assert send(sqlite_engine, mail_on, datetime.now(UTC)).sent == 0
    assert inbox.received == []


# --- mentions -------------------------------------------------------------------------------
def mention(session: Session, world: World, *, of: str, by: str, text: str) -> Mention:
    action_id = action_of(session, world, by, "Casusoverleg voorbereiden")
    comment = Comment(action_id=action_id, author_id=world.ids[by], body=text)
    session.add(comment)
    session.flush()
    made = Mention(
        user_id=world.ids[of], author_id=world.ids[by], action_id=action_id, comment_id=comment.id
    )
    session.add(made)
    session.commit()
    return made


def test_a_mention_is_mailed_once_and_marked_mailed(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    made = mention(session, world, of="member", by="lead", text="<b>Kun jij</b> dit oppakken?")

    first = send(sqlite_engine, mail_on, datetime.now(UTC))
    second = send(sqlite_engine, mail_on, datetime.now(UTC))

    assert (first.sent, second.sent) == (1, 0)
    [(recipients, message)] = inbox.received
    assert recipients == ["member@example.org"]
    assert message["Subject"] == "Lead noemt je in een reactie"
    text, html = parts(message)
    assert '"Casusoverleg voorbereiden"' in text
    assert "<b>Kun jij</b> dit oppakken?" in text  # plain text is text
    assert "&lt;b&gt;Kun jij&lt;/b&gt;" in html  # and HTML is escaped
    assert_links_absolute(message)
    with Session(sqlite_engine) as reading:
        stored = reading.get(Mention, made.id)
        assert stored is not None and stored.mailed_at is not None


def test_no_mention_mail_when_switched_off(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    set_user(sqlite_engine, world.ids["member"], mention_mail=False)
    mention(session, world, of="member", by="lead", text="Kun jij dit oppakken?")

    assert send(sqlite_engine, mail_on, datetime.now(UTC)).sent == 0
    assert inbox.received == []


# --- failures, the command and the scheduler ------------------------------------------------
def test_a_failed_send_is_noted_and_tried_again_later(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    mention(session, world, of="member", by="lead", text="Kun jij dit oppakken?")
    nobody_listens = mail_on.model_copy(update={"smtp_port": free_port()})
    now = datetime.now(UTC)

    failed = send(sqlite_engine, nobody_listens, now)
    too_soon = send(sqlite_engine, mail_on, now + timedelta(minutes=5))
    later = send(sqlite_engine, mail_on, now + timedelta(minutes=20))

    assert (failed.failed, too_soon.sent, later.sent) == (1, 0, 1)
    assert len(inbox.received) == 1
    with Session(sqlite_engine) as reading:
        [claim] = reading.exec(select(SentMail)).all()
    assert claim.sent_at is not None and claim.error is None


def test_send_mail_prints_how_many_it_sent(
    sqlite_engine: Engine,
    session: Session,
    world: World,
    mail_on: Settings,
    inbox: Inbox,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    mention(session, world, of="member", by="lead", text="Kun jij dit oppakken?")
    monkeypatch.setattr("app.cli.current_revision", lambda _engine: "head")
    monkeypatch.setattr("app.cli.head_revision", lambda: "head")
    for name, value in (
        ("SMTP_HOST", "127.0.0.1"),
        ("SMTP_PORT", str(inbox.port)),
        ("SMTP_STARTTLS", "false"),
        ("BASE_URL", BASE),
    ):
        monkeypatch.setenv(f"VERBETERBORD_{name}", value)
    from app.config import get_settings

    get_settings.cache_clear()

    result = CliRunner().invoke(main, ["send-mail"])
    again = CliRunner().invoke(main, ["send-mail"])

    assert result.exit_code == 0, result.output
    assert result.output == "1 e-mail verstuurd.\n"
    assert again.output == "0 e-mails verstuurd.\n"
    assert len(inbox.received) == 1


def test_send_mail_says_mail_is_off_without_an_smtp_host(
    sqlite_engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.cli.current_revision", lambda _engine: "head")
    monkeypatch.setattr("app.cli.head_revision", lambda: "head")

    result = CliRunner().invoke(main, ["send-mail"])

    assert result.exit_code == 0
    assert result.output == "E-mail staat uit: VERBETERBORD_SMTP_HOST is leeg.\n"


def test_send_mail_refuses_without_a_base_url(
    sqlite_engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("app.cli.current_revision", lambda _engine: "head")
    monkeypatch.setattr("app.cli.head_revision", lambda: "head")
    monkeypatch.setenv("VERBETERBORD_SMTP_HOST", "127.0.0.1")
    from app.config import get_settings

    get_settings.cache_clear()

    result = CliRunner().invoke(main, ["send-mail"])

    assert result.exit_code == 1
    assert "VERBETERBORD_BASE_URL is leeg" in result.output


def test_serve_sends_what_is_due_while_it_runs(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings, inbox: Inbox
) -> None:
    mention(session, world, of="member", by="lead", text="Kun jij dit oppakken?")
    app = create_app(mail_on, engine=sqlite_engine)

    with TestClient(app):
        for _ in range(100):
            if inbox.received:
                break
            threading.Event().wait(0.05)

    assert [rcpt for rcpt, _ in inbox.received] == [["member@example.org"]]


def test_the_sender_logs_in_when_a_user_is_set(
    sqlite_engine: Engine, session: Session, world: World, mail_on: Settings
) -> None:
    mention(session, world, of="member", by="lead", text="Kun jij dit oppakken?")
    box = Inbox(port=free_port())
    logins: list[tuple[str, str]] = []

    def authenticator(server: Any, smtp_session: Any, envelope: Any, mechanism: str, data: Any):  # type: ignore[no-untyped-def]
        logins.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=data.password == b"geheim")

    controller = Controller(
        box,
        hostname="127.0.0.1",
        port=box.port,
        authenticator=authenticator,
        auth_require_tls=False,  # STARTTLS is tested by nothing here: no certificate
        auth_required=True,
    )
    controller.start()
    try:
        wrong = mail_on.model_copy(
            update={"smtp_port": box.port, "smtp_user": "vb", "smtp_password": "fout"}
        )
        right = wrong.model_copy(update={"smtp_password": "geheim"})
        refused = send(sqlite_engine, wrong, datetime.now(UTC))
        accepted = send(sqlite_engine, right, datetime.now(UTC) + timedelta(minutes=20))
    finally:
        controller.stop()

    assert (refused.failed, accepted.sent) == (1, 1)
    assert logins == [("vb", "fout"), ("vb", "geheim")]
    assert [rcpt for rcpt, _ in box.received] == [["member@example.org"]]
