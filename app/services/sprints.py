"""The two-week cadence: the current sprint, new sprints, and closing with carry-over."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from app.config import get_settings
from app.db import write_session
from app.domain.messages import Message
from app.domain.permissions import Access
from app.domain.sprints import SprintDates, default_end, overlaps, sprint_after, sprint_containing
from app.models import OPEN_STATUSES, Action, Sprint, SprintCreate, utcnow
from app.services import audit
from app.services.access import get_or_404, require_admin
from app.services.errors import Invalid
from app.translatable import N_

MAX_SPRINT_DAYS = 366
OVERLAP = N_("Deze periode overlapt met %(begin)s – %(end)s.")


@dataclass(frozen=True)
class Cadence:
    anchor: date
    length_days: int

    @classmethod
    def from_settings(cls) -> Cadence:
        settings = get_settings()
        return cls(anchor=settings.sprint_anchor, length_days=settings.sprint_days)


@dataclass(frozen=True)
class Rollover:
    closed: Sprint
    next_sprint: Sprint
    carried_over: int


def _dates(sprint: Sprint) -> SprintDates:
    return SprintDates(start=sprint.start_date, end=sprint.end_date)


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
        select(Sprint).where(Sprint.start_date <= today, Sprint.end_date >= today)
    ).first()


def _rollover_pending(session: Session, today: date) -> bool:
    return (
        session.exec(
            select(Sprint.id).where(col(Sprint.closed_at).is_(None), Sprint.end_date < today)
        ).first()
        is not None
    )


def find_current(*, session: Session, today: date) -> Sprint | None:
    """The current sprint without writing anything, or None when one must be made first.

    The current sprint is the earliest open sprint that has not ended. When the sprint holding
    today was closed early, the next one (which received its open actions) is current.
    """
    if _rollover_pending(session, today):
        return None
    sprint = _first_open_from(session, today)
    if sprint is None:
        return None
    if sprint.start_date <= today or _covering(session, today) is not None:
        return sprint
    return None


def _stepped_until(end: date, today: date, length_days: int) -> SprintDates:
    """The first sprint of the chain after `end` that has not ended by today."""
    dates = sprint_after(end, length_days=length_days)
    if dates.end < today:
        steps = (today - dates.start).days // length_days
        dates = sprint_after(
            dates.start + timedelta(days=steps * length_days - 1), length_days=length_days
        )
    return dates


def ensure_current(
    *, session: Session, today: date, cadence: Cadence | None = None, actor_id: int | None = None
) -> Sprint:
    """The current sprint, closing ended sprints and creating today's sprint where needed.

    Commits only when it had to change something.
    """
    cadence = cadence or Cadence.from_settings()
    current = find_current(session=session, today=today)
    if current is not None:
        return current
    close_ended(session=session, today=today, cadence=cadence, actor_id=actor_id)
    current = find_current(session=session, today=today)
    if current is not None:
        return current
    later = _first_open_from(session, today)
    previous = session.exec(
        select(Sprint).where(Sprint.end_date < today).order_by(col(Sprint.end_date).desc())
    ).first()
    if previous is not None:
        dates = _stepped_until(previous.end_date, today, cadence.length_days)
    else:
        dates = sprint_containing(today, anchor=cadence.anchor, length_days=cadence.length_days)
    if later is not None and dates.end >= later.start_date:
        # an admin planned a sprint ahead; today's sprint ends the day before it
        dates = SprintDates(start=dates.start, end=later.start_date - timedelta(days=1))
    sprint = _add_sprint(session, dates, actor_id)
    session.commit()
    return sprint


def current_sprint(*, session: Session, engine: Engine, today: date) -> Sprint:
    """Today's sprint; when it still has to be made (or the last one closed), that happens in a
    write transaction of its own, so reads never upgrade to writes."""
    found = find_current(session=session, today=today)
    if found is not None:
        return found
    with write_session(engine) as writing:
        return ensure_current(session=writing, today=today)


def create_sprint(
    *, session: Session, actor: Access, data: SprintCreate, cadence: Cadence | None = None
) -> Sprint:
    """Plan a sprint; it may not overlap another one."""
    require_admin(actor)
    cadence = cadence or Cadence.from_settings()
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


def _next_sprint_for(
    session: Session, sprint: Sprint, today: date, cadence: Cadence, actor_id: int | None
) -> Sprint:
    following = session.exec(
        select(Sprint).where(Sprint.start_date > sprint.end_date).order_by(col(Sprint.start_date))
    ).first()
    if following is not None and (following.start_date <= today or today <= sprint.end_date):
        return following
    dates = _stepped_until(sprint.end_date, today, cadence.length_days)
    if following is not None and dates.end >= following.start_date:
        # today lies in a gap before a planned sprint: open work goes to today's board, not to
        # a future one, and today's sprint ends the day before the planned one
        dates = SprintDates(start=dates.start, end=following.start_date - timedelta(days=1))
    return _add_sprint(session, dates, actor_id)


def _close(
    session: Session, sprint: Sprint, today: date, cadence: Cadence, actor_id: int | None
) -> Rollover:
    assert sprint.id is not None
    next_sprint = _next_sprint_for(session, sprint, today, cadence, actor_id)
    if sprint.closed_at is not None:
        return Rollover(closed=sprint, next_sprint=next_sprint, carried_over=0)
    assert next_sprint.id is not None
    open_actions = session.exec(
        select(Action)
        .where(Action.sprint_id == sprint.id, col(Action.status).in_(OPEN_STATUSES))
        .order_by(col(Action.team_id), col(Action.status), col(Action.position), col(Action.id))
    ).all()
    column_ends: dict[tuple[int, str], int] = {
        (team_id, status): top + 1
        for team_id, status, top in session.exec(
            select(Action.team_id, Action.status, func.max(Action.position))
            .where(Action.sprint_id == next_sprint.id)
            .group_by(col(Action.team_id), col(Action.status))
        )
    }
    now = utcnow()
    for action in open_actions:
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
    sprint = get_or_404(session, Sprint, sprint_id, "Periode")
    # lock the row so two closes of the same sprint cannot both carry actions over
    session.exec(select(Sprint).where(Sprint.id == sprint_id).with_for_update()).one()
    result = _close(session, sprint, today, cadence or Cadence.from_settings(), actor.user_id)
    session.commit()
    return result


def close_ended(
    *, session: Session, today: date, cadence: Cadence | None = None, actor_id: int | None = None
) -> list[Rollover]:
    """Close every open sprint that ended before today, oldest first (idempotent)."""
    cadence = cadence or Cadence.from_settings()
    results = []
    while True:
        ended = session.exec(
            select(Sprint)
            .where(col(Sprint.closed_at).is_(None), Sprint.end_date < today)
            .order_by(col(Sprint.start_date))
            .with_for_update()
        ).first()
        if ended is None:
            break
        results.append(_close(session, ended, today, cadence, actor_id))
    session.commit()
    return results
