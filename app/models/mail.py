"""A person's e-mail choices, as the profile and the API read and write them (the columns are
on User: digest_weekday, mention_mail)."""

from __future__ import annotations

from sqlmodel import Field, SQLModel

from app.models.common import WriteModel


class MailSettings(SQLModel):
    digest_weekday: int | None
    """The weekday of the weekly digest at 07:00 (0 = Monday … 6 = Sunday); null: no digest."""
    mention_mail: bool
    """Whether an e-mail comes when a colleague names you (@naam) and when there is news about a
    knelpunt you raised or one that reached a team of teams you sit in."""


class MailSettingsUpdate(WriteModel):
    """Both choices, as a whole."""

    digest_weekday: int | None = Field(ge=0, le=6)
    mention_mail: bool
