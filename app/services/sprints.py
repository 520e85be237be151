"""The two-week cadence: the current sprint, new sprints, and closing with carry-over."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from app.config import get_settings
from app.db import write_session
from app.domain.messages import Message
from app.domain.permissions import Access
from app.domain.sprints import (
    SprintDates,
    anchor_on,
    days_left,
    default_end,
    overlaps,
    sprint_after,
    sprint_containing,
)
from app.models import OPEN_STATUSES, Action, Organisation, Sprint, SprintCreate, utcnow
from app.services import audit
from app.services.access import get_or_404, require_admin
from app.services.errors import Invalid
from app.translatable import N_

MAX_SPRINT_DAYS = 366
OVERLAP = N_("Deze periode overlapt met %(begin)s – %(end)s.")
# one number for PostgreSQL's advisory lock that lets one transaction at a time make or close
# sprints (SQLite's BEGIN IMMEDIATE already lets one writer in at a time)
ROLLOVER_LOCK = 7_401_202


@dataclass(frozen=True)
class Cadence:
    anchor: date  # a day sprints start on; its weekday is the start weekday
    length_days: int

    @property
    def weekday(self) -> int:
        return self.anchor.weekday()

    @classmethod
    def from_settings(cls) -> Cadence:
        settings = get_settings()
        return cls(anchor=settings.sprint_anchor, length_days=settings.sprint_days)

    @classmethod
    def of(cls, session: Session) -> Cadence:
        """The organisation's setting (table organisation); the environment's until an admin
        set one."""
        row = session.get(Organisation, ORGANISATION_ID)
        if row is None:
            return cls.from_settings()
        anchor = anchor_on(row.sprint_weekday, anchor=get_settings().sprint_anchor)
        return cls(anchor=anchor, length_days=row.sprint_days)


ORGANISATION_ID = 1


@dataclass(frozen=True)
class Rollover:
    closed: Sprint
    next_sprint: Sprint
    carried_over: int


def _dates(sprint: Sprint) -> SprintDates:
    return SprintDates(start=sprint.start_date, end=sprint.end_date)


def serialise(session: Session) -> None:
    """Let one transaction at a time make or close sprints, until it commits."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": ROLLOVER_LOCK})


def _add_sprint(session: Session, dates: SprintDates, actor_id: int | None) -> Sprint:
    sprint = Sprint(start_date=dates.start, end_date=dates.end)
    audit.store(
        session,
        sprint,
        "created",
        actor_id=actor_id,
        changes={"start_date": [None, dates.start], "end_date": [None, dates.end]},
    )
    return sprint


def _first_open_from(session: Session, today: date) -> Sprint | None:
    return session.exec(
        select(Sprint)
        .where(col(Sprint.closed_at).is_(None), Sprint.end_date >= today)
        .order_by(col(Sprint.start_date))
    ).first()


def _covering(session: Session, today: date) -> Sprint | None:
    return session.exec(
        select(Sprint)
        .where(Sprint.start_date <= today, Sprint.end_date >= today)
        .execution_options(populate_existing=True)
    ).first()


def _rollover_pending(session: Session, today: date) -> bool:
    return (
        session.exec(
            select(Sprint.id).where(col(Sprint.closed_at).is_(None), Sprint.end_date < today)
        ).first()
        is not None
    )


def open_after(session: Session, sprint: Sprint) -> Sprint | None:
    """The first open sprint after this one: where a team works once this one is closed."""
    return session.exec(
        select(Sprint)
        .where(col(Sprint.closed_at).is_(None), Sprint.start_date > sprint.end_date)
        .order_by(col(Sprint.start_date))
        .execution_options(populate_existing=True)
    ).first()


def find_current(*, session: Session, today: date) -> Sprint | None:
    """The current sprint without writing anything, or None when one must be made first.

    The current sprint is the sprint whose dates hold today, also when it was closed early:
    boards show it (read only, then) until it ends, and the team works in the next one
    (find_working).
    """
    if _rollover_pending(session, today):
        return None
    return _covering(session, today)


def find_working(*, session: Session, today: date) -> Sprint | None:
    """Where work goes today, without writing: the current sprint, or when that was closed
    early the first open sprint after it. None when one must be made first."""
    current = find_current(session=session, today=today)
    if current is None or current.closed_at is None:
        return current
    return open_after(session, current)


def _stepped_until(end: date, today: date, cadence: Cadence) -> SprintDates:
    """The first sprint of the chain after `end` that has not ended by today."""
    dates = sprint_after(end, length_days=cadence.length_days, weekday=cadence.weekday)
    if dates.end < today:
        start = dates.end + timedelta(days=1)
        start += timedelta(days=(today - start).days // cadence.length_days * cadence.length_days)
        dates = SprintDates(start=start, end=start + timedelta(days=cadence.length_days - 1))
    return dates


def ensure_current(
    *, session: Session, today: date, cadence: Cadence | None = None, actor_id: int | None = None
) -> Sprint:
    """The sprint holding today, closing ended sprints and creating today's sprint where
    needed. Safe when several requests or processes ask at once: one of them writes, the
    others find what it wrote. Commits only when it had to change something.
    """
    current = find_current(session=session, today=today)
    if current is not None:
        return current
    serialise(session)
    cadence = cadence or Cadence.of(session)
    _close_ended(session, today, cadence, actor_id)
    current = find_current(session=session, today=today)
    if current is None:
        current = _add_sprint(session, _todays_dates(session, today, cadence), actor_id)
    session.commit()
    return current


def _todays_dates(session: Session, today: date, cadence: Cadence) -> SprintDates:
    later = _first_open_from(session, today)
    previous = session.exec(
        select(Sprint).where(Sprint.end_date < today).order_by(col(Sprint.end_date).desc())
    ).first()
    if previous is not None:
        dates = _stepped_until(previous.end_date, today, cadence)
    else:
        dates = sprint_containing(today, anchor=cadence.anchor, length_days=cadence.length_days)
    if later is not None and dates.end >= later.start_date:
        # an admin planned a sprint ahead; today's sprint ends the day before it
        dates = SprintDates(start=dates.start, end=later.start_date - timedelta(days=1))
    return dates


def ensure_working(
    *, session: Session, today: date, cadence: Cadence | None = None, actor_id: int | None = None
) -> Sprint:
    """Where work goes today (see find_working), made when missing."""
    current = ensure_current(session=session, today=today, cadence=cadence, actor_id=actor_id)
    if current.closed_at is None:
        return current
    found = open_after(session, current)
    if found is not None:
        return found
    serialise(session)
    found = open_after(session, current)
    if found is None:
        cadence = cadence or Cadence.of(session)
        found = next_sprint_for(session, current, today, cadence, actor_id)
        session.commit()
    return found


def current_sprint(*, session: Session, engine: Engine, today: date) -> Sprint:
    """Today's sprint; when it still has to be made (or the last one closed), that happens in a
    write transaction of its own, so reads never upgrade to writes."""
    found = find_current(session=session, today=today)
    if found is not None:
        return found
    with write_session(engine) as writing:
        made = ensure_current(session=writing, today=today)
    _read_afresh(session)
    return made


def working_sprint(*, session: Session, engine: Engine, today: date) -> Sprint:
    """Where work goes today (the current sprint, or the next when it was closed early); made
    in a write transaction of its own when missing."""
    found = find_working(session=session, today=today)
    if found is not None:
        return found
    with write_session(engine) as writing:
        made = ensure_working(session=writing, today=today)
    _read_afresh(session)
    return made


def _read_afresh(session: Session) -> None:
    """End the caller's read transaction: its snapshot predates the rollover just committed
    (SQLite WAL and PostgreSQL both keep it), so the page would show the board as it was before
    the open actions moved."""
    if session.in_transaction() and not (session.new or session.dirty or session.deleted):
        session.commit()


def create_sprint(
    *, session: Session, actor: Access, data: SprintCreate, cadence: Cadence | None = None
) -> Sprint:
    """Plan a sprint; it may not overlap another one."""
    require_admin(actor)
    cadence = cadence or Cadence.of(session)
    end = data.end_date or default_end(data.start_date, length_days=cadence.length_days)
    if end < data.start_date:
        raise Invalid({"end_date": N_("De einddatum ligt voor de begindatum.")})
    if (end - data.start_date).days >= MAX_SPRINT_DAYS:
        raise Invalid({"end_date": N_("Een periode duurt hoogstens een jaar.")})
    dates = SprintDates(start=data.start_date, end=end)
    clash = session.exec(
        select(Sprint).where(Sprint.start_date <= dates.end, Sprint.end_date >= dates.start)
    ).first()
    if clash is not None and overlaps(dates, _dates(clash)):
        raise Invalid({"start_date": Message(OVERLAP, begin=clash.start_date, end=clash.end_date)})
    sprint = _add_sprint(session, dates, actor.user_id)
    session.commit()
    return sprint


def _next_of(
    session: Session, sprint: Sprint, today: date, cadence: Cadence
) -> tuple[Sprint | None, SprintDates]:
    """Where open work of this sprint goes: an existing sprint, or the dates of one to make."""
    following = session.exec(
        select(Sprint).where(Sprint.start_date > sprint.end_date).order_by(col(Sprint.start_date))
    ).first()
    if following is not None and (following.start_date <= today or today <= sprint.end_date):
        return following, _dates(following)
    dates = _stepped_until(sprint.end_date, today, cadence)
    if following is not None and dates.end >= following.start_date:
        # today lies in a gap before a planned sprint: open work goes to today's board, not to
        # a future one, and today's sprint ends the day before the planned one
        dates = SprintDates(start=dates.start, end=following.start_date - timedelta(days=1))
    return None, dates


def next_sprint_for(
    session: Session, sprint: Sprint, today: date, cadence: Cadence, actor_id: int | None
) -> Sprint:
    """The sprint open work of this one goes to: the one after it, made when missing."""
    existing, dates = _next_of(session, sprint, today, cadence)
    return existing if existing is not None else _add_sprint(session, dates, actor_id)


def carry_actions(
    session: Session, actions: Sequence[Action], next_sprint: Sprint, actor_id: int | None
) -> None:
    """Move open actions to the next sprint: carried_over + 1, each at the end of its column
    there, with an audit event (and live information) per action."""
    assert next_sprint.id is not None
    column_ends: dict[tuple[int, str], int] = {
        (team_id, status): top + 1
        for team_id, status, top in session.exec(
            select(Action.team_id, Action.status, func.max(Action.position))
            .where(Action.sprint_id == next_sprint.id)
            .group_by(col(Action.team_id), col(Action.status))
        )
    }
    now = utcnow()
    for action in actions:
        assert action.id is not None
        key = (action.team_id, action.status)
        position = column_ends.get(key, 0)
        column_ends[key] = position + 1
        changes = {
            "sprint_id": [action.sprint_id, next_sprint.id],
            "carried_over": [action.carried_over, action.carried_over + 1],
        }
        if action.position != position:
            changes["position"] = [action.position, position]
        action.sprint_id = next_sprint.id
        action.carried_over += 1
        action.position = position
        action.version += 1
        action.updated_at = now
        audit.store(
            session,
            action,
            "updated",
            actor_id=actor_id,
            team_id=action.team_id,
            changes=changes,
            live={
                "action_ids": [action.id],
                "statuses": [action.status],
                "owner_ids": [action.owner_id],
                "sprint_ids": [changes["sprint_id"][0], next_sprint.id],
            },
        )


def open_actions_of(session: Session, sprint_id: int, team_id: int | None = None) -> list[Action]:
    """The sprint's open actions (of one team, or all), in board order, locked for the close."""
    query = select(Action).where(
        Action.sprint_id == sprint_id, col(Action.status).in_(OPEN_STATUSES)
    )
    if team_id is not None:
        query = query.where(Action.team_id == team_id)
    return list(
        session.exec(
            query.order_by(
                col(Action.team_id), col(Action.status), col(Action.position), col(Action.id)
            )
            .with_for_update()
            .execution_options(populate_existing=True)
        ).all()
    )


def _close(
    session: Session, sprint: Sprint, today: date, cadence: Cadence, actor_id: int | None
) -> Rollover:
    assert sprint.id is not None
    next_sprint = next_sprint_for(session, sprint, today, cadence, actor_id)
    if sprint.closed_at is not None:
        return Rollover(closed=sprint, next_sprint=next_sprint, carried_over=0)
    open_actions = open_actions_of(session, sprint.id)
    carry_actions(session, open_actions, next_sprint, actor_id)
    now = utcnow()
    sprint.closed_at = now
    audit.store(
        session,
        sprint,
        "updated",
        actor_id=actor_id,
        # which actions left, and in which state, so progress per sprint can still count them
        changes={
            "closed_at": [None, now],
            "carried": [None, [[action.id, action.status] for action in open_actions]],
        },
    )
    return Rollover(closed=sprint, next_sprint=next_sprint, carried_over=len(open_actions))


@dataclass(frozen=True)
class ClosePreview:
    """What closing a sprint now would do, for the confirmation before it."""

    days_left: int  # today included; 0 when it has ended
    open_actions: int
    teams: int  # how many teams those open actions belong to
    next_dates: SprintDates  # the sprint they would go to
    next_exists: bool


def close_preview(*, session: Session, sprint: Sprint, today: date) -> ClosePreview:
    """What close_sprint would do today, without writing anything."""
    assert sprint.id is not None
    open_actions, teams = session.exec(
        select(func.count(col(Action.id)), func.count(func.distinct(Action.team_id))).where(
            Action.sprint_id == sprint.id, col(Action.status).in_(OPEN_STATUSES)
        )
    ).one()
    existing, dates = _next_of(session, sprint, today, Cadence.of(session))
    return ClosePreview(
        days_left=days_left(sprint.end_date, today),
        open_actions=open_actions,
        teams=teams,
        next_dates=dates,
        next_exists=existing is not None,
    )


def close_sprint(
    *,
    session: Session,
    actor: Access,
    sprint_id: int,
    today: date,
    cadence: Cadence | None = None,
) -> Rollover:
    """Close the sprint and carry unfinished actions into the next one (idempotent)."""
    require_admin(actor)
    get_or_404(session, Sprint, sprint_id, "Periode")
    serialise(session)
    # lock the row (read afresh) so two closes of the same sprint cannot both carry actions over
    sprint = session.exec(
        select(Sprint)
        .where(Sprint.id == sprint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    result = _close(session, sprint, today, cadence or Cadence.of(session), actor.user_id)
    session.commit()
    return result


def _close_ended(
    session: Session, today: date, cadence: Cadence, actor_id: int | None
) -> list[Rollover]:
    results = []
    while True:
        ended = session.exec(
            select(Sprint)
            .where(col(Sprint.closed_at).is_(None), Sprint.end_date < today)
            .order_by(col(Sprint.start_date))
            .with_for_update()
            .execution_options(populate_existing=True)
        ).first()
        if ended is None:
            break
        results.append(_close(session, ended, today, cadence, actor_id))
    return results


def close_ended(
    *, session: Session, today: date, cadence: Cadence | None = None, actor_id: int | None = None
) -> list[Rollover]:
    """Close every open sprint that ended before today, oldest first (idempotent)."""
    serialise(session)
    results = _close_ended(session, today, cadence or Cadence.of(session), actor_id)
    session.commit()
    return results
