"""index escalation steps by team, and escalations by status

Two indexes, so that reading does not grow with history (tests/integration/test_query_plans.py):
- escalation_step (team_id, escalation_id): the board of a team of teams shows the knelpunten
  that passed through it, found by the team of each step; without it both databases read every
  step ever taken;
- escalation (status, action_id): the open knelpunten per ambition (the ambitions index) are
  found among the open ones, not among every escalation ever raised.

Downgrade: the indexes go; the pages still answer, by scanning.

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
    op.create_index("ix_escalation_status", "escalation", ["status", "action_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_escalation_status", table_name="escalation")
    op.drop_index("ix_escalation_step_team_id", table_name="escalation_step")
