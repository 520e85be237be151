"""never reuse ids on SQLite

Without AUTOINCREMENT SQLite hands out max(id) + 1, so after deleting the newest action the next
action got its id, and with it the deleted action's history, comments and URL. Every table with
an id is rebuilt with AUTOINCREMENT, keeping every row; copying the rows in with their ids starts
each table's sqlite_sequence at its largest id, and the counter is then raised past any id the
history still names (a newest row deleted before this migration). PostgreSQL's sequences never
go back, so there this step does nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.common  # noqa: F401  (names the primary key next to AUTOINCREMENT on SQLite)

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every table with an id column, parents first; ambition_team has a composite key and no id.
TABLES = (
    "location",
    "sprint",
    "team",
    "ambition",
    "user",
    "api_token",
    "audit_event",
    "goal",
    "membership",
    "action",
    "comment",
    "escalation",
    "login_attempt",
    "user_session",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        _rebuild(table, autoincrement=True)
    for table in TABLES:
        _count_past_the_history(table)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in reversed(TABLES):
        # dropping the AUTOINCREMENT table also drops its sqlite_sequence row
        _rebuild(table, autoincrement=False)


def _rebuild(table: str, *, autoincrement: bool) -> None:
    with op.batch_alter_table(
        table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
    ):
        pass


def _count_past_the_history(table: str) -> None:
    """Start the table's counter after the largest id it or the audit trail has ever held."""
    bind = op.get_bind()
    rows = sa.table(table, sa.column("id", sa.Integer()))
    audit_event = sa.table(
        "audit_event", sa.column("entity", sa.String()), sa.column("entity_id", sa.Integer())
    )
    largest_row = bind.execute(sa.select(sa.func.max(rows.c.id))).scalar_one()
    largest_named = bind.execute(
        sa.select(sa.func.max(audit_event.c.entity_id)).where(audit_event.c.entity == table)
    ).scalar_one()
    largest = max(largest_row or 0, largest_named or 0)
    bind.execute(sa.text("DELETE FROM sqlite_sequence WHERE name = :table"), {"table": table})
    if largest:
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :seq)"),
            {"table": table, "seq": largest},
        )
