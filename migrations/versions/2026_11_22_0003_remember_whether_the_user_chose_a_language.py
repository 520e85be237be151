"""remember whether the user chose a language

Until a user chooses a language on their profile, pages follow the browser's Accept-Language;
user.locale alone ('nl' by default) could not tell a choice from the default.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("locale_chosen", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    # Who chose already: English was never a default, and choosing Dutch left an audit event.
    user = sa.table(
        "user",
        sa.column("id", sa.Integer()),
        sa.column("locale", sa.String()),
        sa.column("locale_chosen", sa.Boolean()),
    )
    audit_event = sa.table(
        "audit_event",
        sa.column("entity", sa.String()),
        sa.column("entity_id", sa.Integer()),
        sa.column("changes", sa.Text()),
    )
    chose_before = sa.select(audit_event.c.entity_id).where(
        audit_event.c.entity == "user",
        sa.cast(audit_event.c.changes, sa.Text()).like('%"locale"%'),
    )
    op.execute(
        user.update()
        .where(sa.or_(user.c.locale == "en", user.c.id.in_(chose_before)))
        .values(locale_chosen=sa.true())
    )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("locale_chosen")
