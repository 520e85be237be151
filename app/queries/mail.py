"""What the e-mails are made of: who gets a digest today and their actions, the knelpunt steps
and mentions not mailed yet, and which of them another run already claimed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, or_, select

from app.domain.due import is_overdue
from app.models import (
    Action,
    ActionStatus,
    Comment,
    Escalation,
    EscalationStep,
    EscalationStepRecord,
    Mention,
    SentMail,
    Team,
    User,
)
from app.queries.org import board_member_ids

OPEN = (ActionStatus.todo, ActionStatus.doing, ActionStatus.blocked)


def claimed_keys(
    session: Session, *, keys: Iterable[str], retry_before: datetime
) -> set[tuple[int, str]]:
    """The (user, key) pairs among these keys that a run claimed: sent, being sent, or failed
    since retry_before (one that failed before that may be tried again)."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    retry = (
        col(SentMail.sent_at).is_(None)
        & col(SentMail.error).is_not(None)
        & (col(SentMail.claimed_at) < retry_before)
    )
    rows = session.exec(
        select(SentMail.user_id, SentMail.mail_key).where(
            col(SentMail.mail_key).in_(wanted), ~retry
        )
    )
    return {(user_id, key) for user_id, key in rows}


def digest_readers(session: Session, *, weekday: int) -> list[User]:
    """Active users who chose this weekday (0 = Monday) for their digest."""
    return list(
        session.exec(
            select(User)
            .where(col(User.is_active).is_(True), User.digest_weekday == weekday)
            .order_by(col(User.id))
        )
    )


@dataclass(frozen=True)
class DigestAction:
    action: Action
    team: Team
    is_overdue: bool


def digest_actions(
    session: Session, *, owner_ids: list[int], sprint_id: int | None, today: date
) -> dict[int, list[DigestAction]]:
    """Per owner: their open actions of this sprint and their overdue ones of any sprint, by
    team name, then late first, then due date. One query."""
    if not owner_ids:
        return {}
    in_sprint = col(Action.sprint_id) == sprint_id if sprint_id is not None else None
    late = col(Action.due_date) < today
    rows = session.exec(
        select(Action, Team)
        .join(Team, col(Team.id) == Action.team_id)
        .where(
            col(Action.owner_id).in_(owner_ids),
            col(Action.status).in_(OPEN),
            or_(late, in_sprint) if in_sprint is not None else late,
        )
    ).all()
    found: dict[int, list[DigestAction]] = {}
    for action, team in rows:
        overdue = is_overdue(status=action.status, due_date=action.due_date, today=today)
        found.setdefault(action.owner_id, []).append(DigestAction(action, team, overdue))
    for items in found.values():
        items.sort(
            key=lambda item: (
                item.team.name.casefold(),
                item.team.id or 0,
                not item.is_overdue,
                item.action.due_date or date.max,
                item.action.id or 0,
            )
        )
    return found


@dataclass(frozen=True)
class StepNews:
    """A knelpunt that was raised, passed up or answered, with what the e-mail shows."""

    step: EscalationStepRecord
    escalation: Escalation
    from_team: Team
    at_team: Team  # the team of teams it lies with after the step
    action_title: str | None
    actor_name: str | None


NEWS_KINDS = (EscalationStep.raised, EscalationStep.forwarded, EscalationStep.answered)


def knelpunt_news(session: Session, *, since: datetime) -> list[StepNews]:
    """Steps raised, forwarded and answered since then, oldest first. One query."""
    from_team = aliased(Team)
    at_team = aliased(Team)
    actor = aliased(User)
    # six columns: past sqlmodel's typed overloads of select, so SQLAlchemy's own
    rows = session.execute(
        sa_select(
            EscalationStepRecord, Escalation, from_team, at_team, col(Action.title), col(actor.name)
        )
        .join(Escalation, col(Escalation.id) == EscalationStepRecord.escalation_id)
        .join(from_team, col(from_team.id) == Escalation.from_team_id)
        .join(at_team, col(at_team.id) == EscalationStepRecord.team_id)
        .outerjoin(Action, col(Action.id) == Escalation.action_id)
        .outerjoin(actor, col(actor.id) == EscalationStepRecord.actor_id)
        .where(
            col(EscalationStepRecord.kind).in_(NEWS_KINDS),
            col(EscalationStepRecord.created_at) >= since,
        )
        .order_by(col(EscalationStepRecord.id))
    ).all()
    return [
        StepNews(step, escalation, source, target, title, actor_name)
        for step, escalation, source, target, title, actor_name in rows
    ]


def active_users(session: Session, *, user_ids: Iterable[int]) -> dict[int, User]:
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    return {
        user.id: user
        for user in session.exec(
            select(User).where(col(User.id).in_(wanted), col(User.is_active).is_(True))
        )
        if user.id is not None
    }


def seated(session: Session, *, team_ids: Iterable[int]) -> dict[int, set[int]]:
    """Per team of teams, who sits in it: its members and its child teams' representatives and
    deputies (one query per team)."""
    return {team_id: board_member_ids(session, team_id=team_id) for team_id in set(team_ids)}


@dataclass(frozen=True)
class MentionNews:
    mention: Mention
    reader: User
    author_name: str
    action: Action | None  # the action of the comment (or of the knelpunt)
    escalation: Escalation | None  # the knelpunt the mention is in, if it is in one
    text: str  # the comment or the knelpunt's note the mention is in


def mentions_to_mail(session: Session, *, since: datetime) -> list[MentionNews]:
    """Mentions since then not mailed or seen yet, of active users who want them mailed, oldest
    first. One query."""
    author = aliased(User)
    reader = aliased(User)
    rows = session.execute(
        sa_select(Mention, reader, col(author.name), Action, col(Comment.body), Escalation)
        .join(reader, col(reader.id) == Mention.user_id)
        .join(author, col(author.id) == Mention.author_id)
        .outerjoin(Comment, col(Comment.id) == Mention.comment_id)
        .outerjoin(Escalation, col(Escalation.id) == Mention.escalation_id)
        .outerjoin(
            Action,
            col(Action.id)
            == func.coalesce(Mention.action_id, Comment.action_id, Escalation.action_id),
        )
        .where(
            col(Mention.mailed_at).is_(None),
            col(Mention.seen_at).is_(None),
            col(Mention.created_at) >= since,
            col(reader.is_active).is_(True),
            col(reader.mention_mail).is_(True),
        )
        .order_by(col(Mention.id))
    ).all()
    return [
        MentionNews(
            mention=mention,
            reader=user,
            author_name=author_name,
            action=action,
            escalation=escalation,
            text=body if body is not None else (escalation.note if escalation else ""),
        )
        for mention, user, author_name, action, body, escalation in rows
    ]
