"""Column types and field shapes shared by every model."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import ConfigDict, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import DateTime, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn
from sqlalchemy.sql.compiler import DDLCompiler
from sqlmodel import SQLModel

# Constraint names from one convention keep migrations portable between SQLite and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION

# Every table with an id passes this in its __table_args__. SQLite without AUTOINCREMENT hands
# out max(id) + 1, so deleting the newest row would give its id, and with it the deleted row's
# audit events, comments and URLs, to the next row. PostgreSQL's sequences never go back.
NEVER_REUSE_IDS = {"sqlite_autoincrement": True}


@compiles(CreateColumn, "sqlite")
def _named_autoincrement_key(create: CreateColumn, compiler: DDLCompiler, **kw: Any) -> str:
    # SQLite allows AUTOINCREMENT only on the column's own PRIMARY KEY clause, where SQLAlchemy
    # leaves out the constraint's name; name it there, so pk_action stays pk_action.
    text: str = compiler.visit_create_column(create, **kw)
    name = compiler.preparer.format_constraint(create.element.table.primary_key)
    if name and text and " PRIMARY KEY AUTOINCREMENT" in text:
        text = text.replace(" PRIMARY KEY", f" CONSTRAINT {name} PRIMARY KEY", 1)
    return text


# PostgreSQL's integer column stops here; a larger id can never exist, so it is refused as input.
MAX_ID = 2_147_483_647
Id = Annotated[int, PydanticField(ge=1, le=MAX_ID)]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp that always comes back timezone-aware in UTC, on SQLite too."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class WriteModel(SQLModel):
    """Input from outside: unknown fields are refused, so nobody sets is_admin or version by
    sending them."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)  # type: ignore[assignment]

    @field_validator("*")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        # PostgreSQL refuses NUL characters and no database encodes a lone surrogate: without
        # this check such text would be a 500 instead of a 422 on its field.
        if isinstance(value, str) and not is_storable_text(value):
            raise ValueError("Deze tekst bevat tekens die niet kunnen worden opgeslagen.")
        return value


def is_storable_text(value: str) -> bool:
    """Text without NUL characters that encodes as UTF-8."""
    if "\x00" in value:
        return False
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class ActionStatus(StrEnum):
    todo = "todo"
    doing = "doing"
    done = "done"
    blocked = "blocked"
    # a team chose at the end of a sprint not to carry it over (with a reason); it stays in the
    # sprint it was dropped from and is never shown as a card again
    dropped = "dropped"


OPEN_STATUSES = (ActionStatus.todo, ActionStatus.doing, ActionStatus.blocked)


class Role(StrEnum):
    member = "member"
    representative = "representative"
    deputy = "deputy"  # plaatsvervangend vertegenwoordiger: sits in the team of teams like one
    lead = "lead"


class AmbitionStatus(StrEnum):
    active = "active"
    achieved = "achieved"
    dropped = "dropped"


class EscalationStatus(StrEnum):
    open = "open"
    resolved = "resolved"  # answered by the team of teams it was sent to


class EscalationType(StrEnum):
    help = "help"  # hulp nodig
    decision = "decision"  # besluit nodig
    capacity = "capacity"  # capaciteit


class EscalationStep(StrEnum):
    raised = "raised"
    forwarded = "forwarded"
    answered = "answered"
    acknowledged = "acknowledged"


class IndicatorDirection(StrEnum):
    up = "up"  # higher is better
    down = "down"  # lower is better


class MeetingBody(StrEnum):
    college = "college"  # college van burgemeester en wethouders
    council = "council"  # gemeenteraad


def enum_check(column: str, enum: type[StrEnum]) -> str:
    values = ", ".join(f"'{member.value}'" for member in enum)
    return f"{column} IN ({values})"
