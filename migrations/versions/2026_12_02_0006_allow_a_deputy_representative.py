"""allow a deputy representative

A team under a team of teams may have, besides its representative, one deputy representative
(plaatsvervangend vertegenwoordiger, role `deputy`) who sits in the team of teams when the
representative cannot. The role column's CHECK constraint gets the new value; on SQLite that
rebuilds the membership table (batch mode), keeping AUTOINCREMENT and the table's counter in
sqlite_sequence, so an id of a membership deleted before this step is still never handed out
again (see step 0004).

Downgrade: the old constraint knows no deputies, so every deputy becomes a plain member of their
team first (they stay in the team, only the seat in the team of teams goes).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import app.models.common  # noqa: F401  (names the primary key next to AUTOINCREMENT on SQLite)

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Copies of the enum_check text at each side of this step (a migration does not change when the
# app does): the CHECK is written exactly as the model writes it.
ROLES_BEFORE = "role IN ('member', 'representative', 'lead')"
ROLES_AFTER = "role IN ('member', 'representative', 'deputy', 'lead')"


def upgrade() -> None:
    _replace_role_check(ROLES_AFTER)


def downgrade() -> None:
    membership = sa.table("membership", sa.column("role", sa.String()))
    op.execute(membership.update().where(membership.c.role == "deputy").values(role="member"))
    _replace_role_check(ROLES_BEFORE)


def _replace_role_check(condition: str) -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_constraint(op.f("ck_membership_role"), "membership", type_="check")
        op.create_check_constraint(op.f("ck_membership_role"), "membership", condition)
        return
    counter = _sqlite_counter()
    with op.batch_alter_table(
        "membership", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        batch_op.drop_constraint(op.f("ck_membership_role"), type_="check")
        batch_op.create_check_constraint(op.f("ck_membership_role"), condition)
    # the copy starts the new table's counter at its largest id; an id handed out before and
    # deleted since lies above that
    if counter is not None:
        op.execute(
            sa.text(
                "UPDATE sqlite_sequence SET seq = max(seq, :seq) WHERE name = 'membership'"
            ).bindparams(seq=counter)
        )
        op.execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT 'membership', :seq"
                " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'membership')"
            ).bindparams(seq=counter)
        )


def _sqlite_counter() -> int | None:
    row = (
        op.get_bind()
        .execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = 'membership'"))
        .first()
    )
    return None if row is None else int(row[0])
