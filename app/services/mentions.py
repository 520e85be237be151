"""Mentions: who a comment or a knelpunt's text names with `@Voornaam Achternaam` (the syntax
and matching rules are app/domain/mentions.py), stored with the text in its transaction, and
marked seen by the person named."""

from __future__ import annotations

from collections.abc import Collection

from sqlmodel import Session, col, select, update

from app.domain.mentions import mentioned_keys, might_mention
from app.domain.permissions import Access
from app.models import Mention, utcnow
from app.queries.mentions import Directory, active_people
from app.services.errors import NotFound


def mentioned_ids(session: Session, *, text: str, author_id: int) -> list[int]:
    """The active colleagues a text names, each once, in order, the writer left out. A name two
    active colleagues share names both (neither is left without the message)."""
    if not might_mention(text):
        return []
    directory = Directory.of(active_people(session))
    found = [
        user_id
        for key in mentioned_keys(text, directory.names)
        for user_id in directory.by_key[key]
        if user_id != author_id
    ]
    return list(dict.fromkeys(found))


def record_mentions(
    session: Session,
    *,
    text: str,
    author_id: int,
    action_id: int | None,
    comment_id: int | None = None,
    escalation_id: int | None = None,
) -> list[Mention]:
    """Store one mention per colleague the text names, in the caller's transaction (with the
    comment or knelpunt step itself). The mail goes out later, for rows not mailed yet."""
    mentions = [
        Mention(
            user_id=user_id,
            author_id=author_id,
            action_id=action_id,
            comment_id=comment_id,
            escalation_id=escalation_id,
        )
        for user_id in mentioned_ids(session, text=text, author_id=author_id)
    ]
    session.add_all(mentions)
    return mentions


def mark_seen(
    *, session: Session, actor: Access, mention_ids: Collection[int] | None = None
) -> int:
    """Mark my mentions seen: these (every one of them mine, else NotFound and nothing
    changes), or with None all I have not seen yet. How many were marked now."""
    mine = col(Mention.user_id) == actor.user_id
    unseen = col(Mention.seen_at).is_(None)
    if mention_ids is not None:
        wanted = sorted(set(mention_ids))
        owned = session.exec(select(Mention.id).where(mine, col(Mention.id).in_(wanted))).all()
        if len(owned) != len(wanted):
            raise NotFound("Vermelding")
        if not wanted:
            return 0
        statement = update(Mention).where(mine, unseen, col(Mention.id).in_(wanted))
    else:
        statement = update(Mention).where(mine, unseen)
    result = session.exec(statement.values(seen_at=utcnow()))  # type: ignore[call-overload]
    session.commit()
    return int(result.rowcount or 0)
