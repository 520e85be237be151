"""Mentions of me (`@Naam` in a comment or knelpunt), and marking them seen."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from app.api.deps import AccessDep, PagingDep
from app.api.responses import READ, errors
from app.api.schemas import ItemList
from app.deps import SessionDep
from app.models import Id, WriteModel
from app.queries.mentions import mentions_of
from app.services import mentions

router = APIRouter()


class MentionPublic(BaseModel):
    """A colleague named me in a comment (comment_id) or in a knelpunt's text, forwarding note
    or answer (escalation_id)."""

    id: int
    author_id: int
    author_name: str
    action_id: int | None
    comment_id: int | None
    escalation_id: int | None
    text: str
    """The comment or the knelpunt's text it was made in."""
    url: str
    """Where it is on the site, relative to the server: the action's comment or the knelpunt."""
    created_at: datetime
    seen_at: datetime | None


class MentionsSeen(WriteModel):
    """Which of my mentions I have seen; left out or null: all I have not seen yet."""

    mention_ids: list[Id] | None = Field(default=None, max_length=500)


class MentionsMarked(BaseModel):
    marked: int
    """How many were marked seen now (those seen before are not counted)."""


@router.get(
    "/me/mentions",
    response_model=ItemList[MentionPublic],
    tags=["me"],
    responses=READ,
)
def list_my_mentions(
    access: AccessDep,
    session: SessionDep,
    paging: PagingDep,
    status: Annotated[Literal["unseen", "seen", "all"], Query()] = "unseen",
) -> object:
    """Where colleagues named me with `@` and my full name, newest first: by default those I
    have not seen yet (what "Voor mij" on the start page shows), or `status=seen`, or
    `status=all`."""
    seen = {"unseen": False, "seen": True, "all": None}[status]
    items, total = mentions_of(
        session, user_id=access.user_id, seen=seen, limit=paging.limit, offset=paging.offset
    )
    return {
        "items": [
            MentionPublic(
                id=item.mention.id or 0,
                author_id=item.mention.author_id,
                author_name=item.author,
                action_id=item.mention.action_id,
                comment_id=item.mention.comment_id,
                escalation_id=item.mention.escalation_id,
                text=item.text,
                url=item.url,
                created_at=item.mention.created_at,
                seen_at=item.mention.seen_at,
            )
            for item in items
        ],
        "total": total,
    }


@router.post(
    "/me/mentions/seen",
    response_model=MentionsMarked,
    tags=["me"],
    responses=errors(404, 422, 503),
)
def mark_my_mentions_seen(
    data: MentionsSeen, access: AccessDep, session: SessionDep
) -> MentionsMarked:
    """Mark mentions of me seen, so they leave "Voor mij": the ids given (404 and nothing
    changes when one of them is not a mention of me), or all not seen yet."""
    marked = mentions.mark_seen(session=session, actor=access, mention_ids=data.mention_ids)
    return MentionsMarked(marked=marked)
