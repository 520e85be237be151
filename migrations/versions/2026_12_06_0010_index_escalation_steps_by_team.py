"""index escalation steps by team

The board of a team of teams shows the knelpunten that passed through it: found by the team of
each escalation step. Without an index both databases read every step ever taken (a full scan
that grows with history); with it they search (tests/integration/test_query_plans.py).

Downgrade: the index goes; the board still answers, by scanning.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 10:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_escalation_step_team_id", "escalation_step", ["team_id", "escalation_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_escalation_step_team_id", table_name="escalation_step")
