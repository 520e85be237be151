"""E-mail: what is due now, and sending it once.

Three kinds, each one e-mail to one person under a key:
- the weekly digest (`digest:<date>`), from 07:00 on the person's weekday (Europe/Amsterdam):
  their open actions of this sprint and their overdue ones, per team; nothing to say, no mail;
- knelpunt news (`knelpunt-<step id>`), read from the escalation timeline as an outbox: the
  answer to a knelpunt you raised, and a knelpunt raised or passed up to a team of teams you
  sit in (not to whoever took the step);
- a mention (`mention-<id>`): a colleague named you with @naam in a comment or knelpunt.

Every e-mail is claimed first: a row in sent_mail, unique per person and key, committed before
the e-mail leaves. A second run or process finds the claim and skips it, so nothing goes twice.
A send that failed is tried again after RETRY_AFTER (the claim is taken over with a compare-
and-set); one that stopped between claim and send is never retried (it may have left).

Only news of the last RECENT is mailed, so switching e-mail on for an old database sends no
flood. Inactive people get nothing; `digest_weekday` empty means no digest, `mention_mail`
off means no mention and knelpunt messages. Every link is absolute (VERBETERBORD_BASE_URL).
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlalchemy import Engine, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from app import mailer
from app.clock import ORGANISATION_TZ
from app.config import Settings
from app.db import read_session, write_session
from app.models import (
    ActionStatus,
    EscalationStep,
    EscalationType,
    Mention,
    SentMail,
    User,
    utcnow,
)
from app.models.mail import MailSettings, MailSettingsUpdate
from app.queries import mail as queries
from app.services import audit, sprints
from app.translatable import N_

log = logging.getLogger("verbeterbord.mail")

TEMPLATES_DIR = Path(__file__).resolve().parents[2] / "templates"
DIGEST_TIME = time(7, 0)
RECENT = timedelta(days=2)
RETRY_AFTER = timedelta(minutes=15)
ERROR_LENGTH = 500

WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
STATUS = {
    ActionStatus.todo: "Te doen",
    ActionStatus.doing: "Bezig",
    ActionStatus.done: "Klaar",
    ActionStatus.blocked: "Geblokkeerd",
    ActionStatus.dropped: "Laten vallen",
}
ESCALATION_TYPE = {
    EscalationType.help: "hulp nodig",
    EscalationType.decision: "besluit nodig",
    EscalationType.capacity: "capaciteit",
}
# for the command line and the log, which stay Dutch
SMTP_OFF = "E-mail staat uit: VERBETERBORD_SMTP_HOST is leeg."
NO_BASE_URL = (
    "VERBETERBORD_BASE_URL is leeg. E-mail heeft het vaste adres van Verbeterbord nodig voor "
    "de links (bijvoorbeeld https://verbeterbord.gemeente.nl); er is niets verstuurd."
)
WEEKDAY_CHOICE = N_("Kies een dag van de week, of geen weekoverzicht.")


# --- settings -------------------------------------------------------------------------------
def is_on(settings: Settings) -> bool:
    """E-mail is off while VERBETERBORD_SMTP_HOST is empty."""
    return bool(settings.smtp_host)


def configuration_problem(settings: Settings) -> str | None:
    """Why no e-mail can go out with these settings, or None."""
    if not settings.smtp_host:
        return SMTP_OFF
    if not settings.base_url:
        return NO_BASE_URL
    return None


def local_now(settings: Settings) -> datetime:
    """Now in the Netherlands; in a training environment (VERBETERBORD_TODAY) that day, at the
    clock's time."""
    now = datetime.now(ORGANISATION_TZ)
    if settings.today is not None:
        now = datetime.combine(settings.today, now.timetz())
    return now


def mail_settings_of(user: User) -> MailSettings:
    return MailSettings(digest_weekday=user.digest_weekday, mention_mail=user.mention_mail)


def update_mail_settings(*, session: Session, user: User, data: MailSettingsUpdate) -> MailSettings:
    """Save the person's own choice: the digest's weekday (or none) and whether mentions and
    knelpunt news are mailed."""
    assert user.id is not None
    chosen = data.model_dump(exclude_unset=True)
    changes = {
        field: [getattr(user, field), value]
        for field, value in chosen.items()
        if getattr(user, field) != value
    }
    if changes:
        for field, (_old, value) in changes.items():
            setattr(user, field, value)
        user.updated_at = utcnow()
        audit.store(session, user, "updated", actor_id=user.id, changes=changes)
        session.commit()
    return mail_settings_of(user)


# --- the letters ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Letter:
    """One e-mail to one person, ready to claim and send."""

    user_id: int
    to: str
    key: str
    subject: str
    text: str
    html: str
    mention_id: int | None = None  # marked mailed once sent


SHORT_WEEKDAYS = ("ma", "di", "wo", "do", "vr", "za", "zo")
MONTHS = (
    "jan.", "feb.", "mrt.", "apr.", "mei", "jun.", "jul.", "aug.", "sep.", "okt.", "nov.", "dec."
)  # fmt: skip


def _day(value: date) -> str:
    """ "ma 30 nov. 2026", the pages' way of writing a day (with the year: an e-mail is kept)."""
    return f"{SHORT_WEEKDAYS[value.weekday()]} {value.day} {MONTHS[value.month - 1]} {value.year}"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        # HTML parts are escaped; plain-text parts are text, not HTML
        autoescape=select_autoescape(enabled_extensions=("html",), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(dag=_day)
    env.globals.update(
        status=lambda code: STATUS.get(code, code),
        soort=lambda code: ESCALATION_TYPE.get(code, code),
    )
    return env


ENVIRONMENT = _environment()


def _letter(user: User, key: str, template: str, subject: str, base: str, **context: Any) -> Letter:
    assert user.id is not None
    context.update(
        naam=user.name,
        base=base,
        profiel=f"{base}/profiel#e-mail",
        dag_van_overzicht=(
            WEEKDAYS[user.digest_weekday] if user.digest_weekday is not None else None
        ),
        onderwerp=subject,
    )
    return Letter(
        user_id=user.id,
        to=user.email,
        key=key,
        subject=subject,
        text=ENVIRONMENT.get_template(f"mail/{template}.txt").render(context),
        html=ENVIRONMENT.get_template(f"mail/{template}.html").render(context),
        mention_id=context.get("mention_id"),
    )


@dataclass(frozen=True)
class TeamActions:
    team_name: str
    items: list[dict[str, Any]]


def digests(session: Session, *, engine: Engine, now: datetime, base: str) -> list[Letter]:
    """The weekly digests due now: from 07:00 local time on each person's chosen weekday, once
    that day, only when they have open actions this sprint or overdue ones."""
    local = now.astimezone(ORGANISATION_TZ)
    if local.time() < DIGEST_TIME:
        return []
    today = local.date()
    key = f"digest:{today.isoformat()}"
    readers = queries.digest_readers(session, weekday=today.weekday())
    claimed = queries.claimed_keys(session, keys=[key], retry_before=now - RETRY_AFTER)
    readers = [user for user in readers if (user.id, key) not in claimed]
    if not readers:
        return []
    sprint = sprints.working_sprint(session=session, engine=engine, today=today)
    found = queries.digest_actions(
        session,
        owner_ids=[user.id for user in readers if user.id],
        sprint_id=sprint.id,
        today=today,
    )
    letters = []
    for user in readers:
        mine = found.get(user.id or 0, [])
        if not mine:
            continue  # nothing to say: no mail
        teams: list[TeamActions] = []
        for item in mine:
            if not teams or teams[-1].team_name != item.team.name:
                teams.append(TeamActions(item.team.name, []))
            action = item.action
            teams[-1].items.append(
                {
                    "title": action.title,
                    "status": action.status,
                    "due_date": action.due_date,
                    "is_overdue": item.is_overdue,
                    "link": f"{base}/teams/{action.team_id}/acties/{action.id}",
                }
            )
        overdue = sum(1 for item in mine if item.is_overdue)
        count = len(mine)
        subject = f"Je weekoverzicht: {count} {'actie' if count == 1 else 'acties'}"
        if overdue:
            subject += f", {overdue} te laat"
        letters.append(
            _letter(
                user,
                key,
                "digest",
                subject,
                base,
                teams=teams,
                aantal=count,
                te_laat=overdue,
                periode=(sprint.start_date, sprint.end_date),
                mijn_acties=f"{base}/mijn-acties",
            )
        )
    return letters


def knelpunt_letters(session: Session, *, now: datetime, base: str) -> list[Letter]:
    """Knelpunt news of the last RECENT: the answer to the person who raised it, a knelpunt
    raised or passed up to everyone who sits in the team of teams it now lies with; never to
    whoever took the step, nor to someone who switched messages off."""
    news = queries.knelpunt_news(session, since=now - RECENT)
    if not news:
        return []
    seats = queries.seated(
        session,
        team_ids=[item.step.team_id for item in news if item.step.kind != EscalationStep.answered],
    )
    wanted: list[tuple[queries.StepNews, int]] = []
    for item in news:
        if item.step.kind == EscalationStep.answered:
            readers = {item.escalation.raised_by_id}
        else:
            readers = seats.get(item.step.team_id, set())
        wanted.extend((item, user_id) for user_id in sorted(readers - {item.step.actor_id}))
    claimed = queries.claimed_keys(
        session,
        keys=[f"knelpunt-{item.step.id}" for item, _ in wanted],
        retry_before=now - RETRY_AFTER,
    )
    people = queries.active_users(session, user_ids=[user_id for _, user_id in wanted])
    letters = []
    for item, user_id in wanted:
        key = f"knelpunt-{item.step.id}"
        user = people.get(user_id)
        if user is None or not user.mention_mail or (user_id, key) in claimed:
            continue
        answered = item.step.kind == EscalationStep.answered
        about = item.action_title or item.escalation.note
        if answered:
            subject = f"Je knelpunt is beantwoord: {about}"
        else:
            subject = f"Nieuw knelpunt voor {item.at_team.name}: {about}"
        letters.append(
            _letter(
                user,
                key,
                "knelpunt_answered" if answered else "knelpunt_arrived",
                subject[:200],
                base,
                knelpunt=item.escalation,
                stap=item.step,
                doorgezet=item.step.kind == EscalationStep.forwarded,
                van_team=item.from_team.name,
                bij_team=item.at_team.name,
                actie=item.action_title,
                door=item.actor_name,
                link=f"{base}/knelpunten/{item.escalation.id}",
            )
        )
    return letters


def mention_letters(session: Session, *, now: datetime, base: str) -> list[Letter]:
    """One e-mail per mention of the last RECENT not yet mailed or seen."""
    news = queries.mentions_to_mail(session, since=now - RECENT)
    claimed = queries.claimed_keys(
        session,
        keys=[f"mention-{item.mention.id}" for item in news],
        retry_before=now - RETRY_AFTER,
    )
    letters = []
    for item in news:
        key = f"mention-{item.mention.id}"
        if (item.reader.id, key) in claimed:
            continue
        action = item.action
        if item.escalation is not None:
            link = f"{base}/knelpunten/{item.escalation.id}"
            waar = "een knelpunt"
        else:
            assert action is not None
            link = f"{base}/teams/{action.team_id}/acties/{action.id}"
            waar = "een reactie"
        letters.append(
            _letter(
                item.reader,
                key,
                "mention",
                f"{item.author_name} noemt je in {waar}",
                base,
                auteur=item.author_name,
                waar=waar,
                actie=action.title if action is not None else None,
                tekst=item.text,
                link=link,
                mention_id=item.mention.id,
            )
        )
    return letters


def due_letters(session: Session, *, engine: Engine, now: datetime, base: str) -> list[Letter]:
    """Every e-mail due now that no run has claimed yet."""
    base = base.rstrip("/")
    return [
        *digests(session, engine=engine, now=now, base=base),
        *knelpunt_letters(session, now=now, base=base),
        *mention_letters(session, now=now, base=base),
    ]


# --- claiming and sending -------------------------------------------------------------------
def claim(engine: Engine, *, user_id: int, key: str, now: datetime) -> bool:
    """Take this e-mail for this run; False when another run has it (or sent it)."""
    try:
        with write_session(engine) as session:
            session.add(SentMail(user_id=user_id, mail_key=key, claimed_at=now))
        return True
    except IntegrityError:
        pass
    # a send that failed a while ago may be tried again, by one run only
    with write_session(engine) as session:
        taken = session.execute(
            update(SentMail)
            .where(
                col(SentMail.user_id) == user_id,
                col(SentMail.mail_key) == key,
                col(SentMail.sent_at).is_(None),
                col(SentMail.error).is_not(None),
                col(SentMail.claimed_at) < now - RETRY_AFTER,
            )
            .values(claimed_at=now, error=None)
        )
        return bool(taken.rowcount)  # type: ignore[attr-defined]


def _finish(engine: Engine, letter: Letter, *, now: datetime, error: str | None) -> None:
    with write_session(engine) as session:
        row = session.exec(
            select(SentMail).where(
                SentMail.user_id == letter.user_id, SentMail.mail_key == letter.key
            )
        ).one()
        if error is None:
            row.sent_at = now
            if letter.mention_id is not None:
                mention = session.get(Mention, letter.mention_id)
                if mention is not None and mention.mailed_at is None:
                    mention.mailed_at = now
                    session.add(mention)
        else:
            row.error = error[:ERROR_LENGTH]
        session.add(row)


@dataclass
class MailRun:
    """What one run did."""

    sent: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another run in the meantime


Send = Callable[[EmailMessage], None]


def send_due(*, engine: Engine, settings: Settings, now: datetime, send: Send) -> MailRun:
    """Claim and send every e-mail due now; a failed send is noted on its claim."""
    now = now.astimezone(UTC)
    with read_session(engine) as session:
        letters = due_letters(session, engine=engine, now=now, base=settings.base_url)
    run = MailRun()
    for letter in letters:
        if not claim(engine, user_id=letter.user_id, key=letter.key, now=now):
            run.skipped += 1
            continue
        message = mailer.message(
            settings=settings,
            to=letter.to,
            subject=letter.subject,
            text=letter.text,
            html=letter.html,
        )
        try:
            send(message)
        except (smtplib.SMTPException, OSError, ValueError) as error:
            log.warning(
                "E-mail %s aan gebruiker %s niet verstuurd: %s", letter.key, letter.user_id, error
            )
            _finish(engine, letter, now=now, error=f"{type(error).__name__}: {error}")
            run.failed += 1
            continue
        _finish(engine, letter, now=now, error=None)
        run.sent += 1
    return run


def send_now(*, engine: Engine, settings: Settings, now: datetime | None = None) -> MailRun:
    """One run over SMTP with the configured settings (the CLI's and the scheduler's)."""
    problem = configuration_problem(settings)
    if problem is not None:
        raise MailOff(problem)
    with mailer.SmtpSender(settings) as send:
        return send_due(engine=engine, settings=settings, now=now or local_now(settings), send=send)


class MailOff(Exception):
    """E-mail cannot go out with these settings; the message says why."""
