"""the improvement cycle

Tables for the cycle a team walks every sprint: the organisation's rhythm (one row), each team's
sprint close, evaluations, stand-up records (attendees per office, turns, decisions), indicators
with measurements, the college and council meetings of each municipality, and an escalation's
timeline. Existing tables gain: an action's drop reason and meeting, the status `dropped`; an
escalation's type, owner, answer-needed-by date and acknowledgement; a goal's meeting; a
location's document lead time.

Changing a CHECK on SQLite rebuilds the table (batch mode). The rebuild keeps AUTOINCREMENT and
the counter in sqlite_sequence (see step 0004), and on `action` the search triggers of step 0005,
which a rebuild drops with the old table.

Downgrade: a dropped action becomes `todo` again in the sprint it was dropped from (the old
statuses know no dropping; its reason goes).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
import sqlmodel
from alembic import op
from alembic.operations import BatchOperations

import app.models.common

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Copies of the enum_check text at each side of this step (a migration does not change when the
# app does).
STATUSES_BEFORE = "status IN ('todo', 'doing', 'done', 'blocked')"
STATUSES_AFTER = "status IN ('todo', 'doing', 'done', 'blocked', 'dropped')"
ESCALATION_TYPES = "type IN ('help', 'decision', 'capacity')"

# the search triggers of step 0005, made again after `action` is rebuilt on SQLite
SEARCH_TRIGGERS = (
    """CREATE TRIGGER IF NOT EXISTS action_search_insert AFTER INSERT ON action BEGIN
    INSERT INTO action_search(rowid, title, description)
    VALUES (new.id, new.title, new.description);
END""",
    """CREATE TRIGGER IF NOT EXISTS action_search_delete AFTER DELETE ON action BEGIN
    INSERT INTO action_search(action_search, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
END""",
    """CREATE TRIGGER IF NOT EXISTS action_search_update AFTER UPDATE OF title, description
ON action BEGIN
    INSERT INTO action_search(action_search, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO action_search(rowid, title, description)
    VALUES (new.id, new.title, new.description);
END""",
)


def upgrade() -> None:
    op.create_table(
        "organisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sprint_days", sa.Integer(), nullable=False),
        sa.Column("sprint_weekday", sa.Integer(), nullable=False),
        sa.Column("updated_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_organisation_single_row")),
        sa.CheckConstraint(
            "sprint_days BETWEEN 7 AND 56", name=op.f("ck_organisation_sprint_days")
        ),
        sa.CheckConstraint(
            "sprint_weekday BETWEEN 0 AND 6", name=op.f("ck_organisation_sprint_weekday")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisation")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "meeting",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=20), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("body IN ('college', 'council')", name=op.f("ck_meeting_body")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_meeting_location_id_location"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.create_index("ix_meeting_location_id", ["location_id", "held_on"], unique=False)

    op.create_table(
        "evaluation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("sprint_id", sa.Integer(), nullable=False),
        sa.Column("goes_well", sa.Text(), nullable=False),
        sa.Column("vulnerable", sa.Text(), nullable=False),
        sa.Column("notably_absent", sa.Text(), nullable=False),
        sa.Column("highlights", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["sprint_id"],
            ["sprint.id"],
            name=op.f("fk_evaluation_sprint_id_sprint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_evaluation_team_id_team"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["user.id"],
            name=op.f("fk_evaluation_updated_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evaluation")),
        sa.UniqueConstraint("team_id", "sprint_id", name=op.f("uq_evaluation_team_id_sprint_id")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.create_index("ix_evaluation_sprint_id", ["sprint_id"], unique=False)

    op.create_table(
        "indicator",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ambition_id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("unit", sqlmodel.sql.sqltypes.AutoString(length=30), nullable=False),
        sa.Column("target", sa.Float(), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("direction IN ('up', 'down')", name=op.f("ck_indicator_direction")),
        sa.ForeignKeyConstraint(
            ["ambition_id"],
            ["ambition.id"],
            name=op.f("fk_indicator_ambition_id_ambition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.create_index("ix_indicator_ambition_id", ["ambition_id", "position"], unique=False)

    op.create_table(
        "sprint_review",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("sprint_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["closed_by_id"],
            ["user.id"],
            name=op.f("fk_sprint_review_closed_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sprint_id"],
            ["sprint.id"],
            name=op.f("fk_sprint_review_sprint_id_sprint"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_sprint_review_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "sprint_id", name=op.f("pk_sprint_review")),
    )
    op.create_table(
        "standup_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("held_on", sa.Date(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_standup_record_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_standup_record_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standup_record")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("standup_record", schema=None) as batch_op:
        batch_op.create_index("ix_standup_record_team_id", ["team_id", "held_on"], unique=False)

    op.create_table(
        "measurement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("indicator_id", sa.Integer(), nullable=False),
        sa.Column("measured_on", sa.Date(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["user.id"],
            name=op.f("fk_measurement_created_by_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["indicator_id"],
            ["indicator.id"],
            name=op.f("fk_measurement_indicator_id_indicator"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_measurement")),
        sa.UniqueConstraint(
            "indicator_id", "measured_on", name=op.f("uq_measurement_indicator_id_measured_on")
        ),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "standup_attendee",
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["location.id"],
            name=op.f("fk_standup_attendee_location_id_location"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["standup_id"],
            ["standup_record.id"],
            name=op.f("fk_standup_attendee_standup_id_standup_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["user.id"],
            name=op.f("fk_standup_attendee_user_id_user"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("standup_id", "user_id", name=op.f("pk_standup_attendee")),
    )
    with op.batch_alter_table("standup_attendee", schema=None) as batch_op:
        batch_op.create_index("ix_standup_attendee_user_id", ["user_id"], unique=False)

    op.create_table(
        "standup_turn",
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("seconds", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["standup_id"],
            ["standup_record.id"],
            name=op.f("fk_standup_turn_standup_id_standup_record"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_standup_turn_team_id_team"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("team_id", "standup_id", name=op.f("pk_standup_turn")),
    )
    op.create_table(
        "escalation_step",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("escalation_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('raised', 'forwarded', 'answered', 'acknowledged')",
            name=op.f("ck_escalation_step_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user.id"],
            name=op.f("fk_escalation_step_actor_id_user"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalation.id"],
            name=op.f("fk_escalation_step_escalation_id_escalation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"],
            ["team.id"],
            name=op.f("fk_escalation_step_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation_step")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("escalation_step", schema=None) as batch_op:
        batch_op.create_index(
            "ix_escalation_step_escalation_id", ["escalation_id", "id"], unique=False
        )

    op.create_table(
        "standup_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("standup_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_standup_decision_action_id_action"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalation.id"],
            name=op.f("fk_standup_decision_escalation_id_escalation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["standup_id"],
            ["standup_record.id"],
            name=op.f("fk_standup_decision_standup_id_standup_record"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_standup_decision")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("standup_decision", schema=None) as batch_op:
        batch_op.create_index("ix_standup_decision_standup_id", ["standup_id"], unique=False)

    with _rebuilt("action") as batch_op:
        batch_op.drop_constraint(op.f("ck_action_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_action_status"), STATUSES_AFTER)
        batch_op.add_column(sa.Column("drop_reason", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_action_meeting_id_meeting"),
            "meeting",
            ["meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with _rebuilt("escalation") as batch_op:
        batch_op.add_column(
            sa.Column("type", sa.String(length=20), server_default="help", nullable=False)
        )
        batch_op.add_column(sa.Column("owner_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("needed_by", sa.Date(), nullable=True))
        batch_op.add_column(
            sa.Column(
                "acknowledged_at", app.models.common.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(sa.Column("acknowledged_by_id", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(op.f("ck_escalation_type"), ESCALATION_TYPES)
        batch_op.create_foreign_key(
            batch_op.f("fk_escalation_acknowledged_by_id_user"),
            "user",
            ["acknowledged_by_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_escalation_owner_id_user"),
            "user",
            ["owner_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with _rebuilt("goal") as batch_op:
        batch_op.add_column(sa.Column("meeting_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_goal_meeting_id_meeting"),
            "meeting",
            ["meeting_id"],
            ["id"],
            ondelete="SET NULL",
        )

    with _rebuilt("location") as batch_op:
        batch_op.add_column(
            sa.Column("deadline_lead_days", sa.Integer(), server_default="10", nullable=False)
        )


def downgrade() -> None:
    with _rebuilt("location") as batch_op:
        batch_op.drop_column("deadline_lead_days")

    with _rebuilt("goal") as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_goal_meeting_id_meeting"), type_="foreignkey")
        batch_op.drop_column("meeting_id")

    with _rebuilt("escalation") as batch_op:
        batch_op.drop_constraint(op.f("ck_escalation_type"), type_="check")
        batch_op.drop_constraint(batch_op.f("fk_escalation_owner_id_user"), type_="foreignkey")
        batch_op.drop_constraint(
            batch_op.f("fk_escalation_acknowledged_by_id_user"), type_="foreignkey"
        )
        batch_op.drop_column("acknowledged_by_id")
        batch_op.drop_column("acknowledged_at")
        batch_op.drop_column("needed_by")
        batch_op.drop_column("owner_id")
        batch_op.drop_column("type")

    action = sa.table("action", sa.column("status", sa.String()))
    op.execute(action.update().where(action.c.status == "dropped").values(status="todo"))
    with _rebuilt("action") as batch_op:
        batch_op.drop_constraint(op.f("ck_action_status"), type_="check")
        batch_op.create_check_constraint(op.f("ck_action_status"), STATUSES_BEFORE)
        batch_op.drop_constraint(batch_op.f("fk_action_meeting_id_meeting"), type_="foreignkey")
        batch_op.drop_column("meeting_id")
        batch_op.drop_column("drop_reason")

    with op.batch_alter_table("standup_decision", schema=None) as batch_op:
        batch_op.drop_index("ix_standup_decision_standup_id")

    op.drop_table("standup_decision")
    with op.batch_alter_table("escalation_step", schema=None) as batch_op:
        batch_op.drop_index("ix_escalation_step_escalation_id")

    op.drop_table("escalation_step")
    op.drop_table("standup_turn")
    with op.batch_alter_table("standup_attendee", schema=None) as batch_op:
        batch_op.drop_index("ix_standup_attendee_user_id")

    op.drop_table("standup_attendee")
    op.drop_table("measurement")
    with op.batch_alter_table("standup_record", schema=None) as batch_op:
        batch_op.drop_index("ix_standup_record_team_id")

    op.drop_table("standup_record")
    op.drop_table("sprint_review")
    with op.batch_alter_table("indicator", schema=None) as batch_op:
        batch_op.drop_index("ix_indicator_ambition_id")

    op.drop_table("indicator")
    with op.batch_alter_table("evaluation", schema=None) as batch_op:
        batch_op.drop_index("ix_evaluation_sprint_id")

    op.drop_table("evaluation")
    with op.batch_alter_table("meeting", schema=None) as batch_op:
        batch_op.drop_index("ix_meeting_location_id")

    op.drop_table("meeting")
    op.drop_table("organisation")


@contextmanager
def _rebuilt(table: str) -> Iterator[BatchOperations]:
    """Alter a table; on SQLite by copying it, keeping its id counter and (for `action`) the
    search triggers."""
    sqlite = op.get_bind().dialect.name == "sqlite"
    counter = _sqlite_counter(table) if sqlite else None
    with op.batch_alter_table(
        table, recreate="always" if sqlite else "auto", table_kwargs={"sqlite_autoincrement": True}
    ) as batch_op:
        yield batch_op
    if not sqlite:
        return
    # the copy starts the new table's counter at its largest id; an id handed out before and
    # deleted since lies above that
    if counter is not None:
        op.execute(
            sa.text(
                "UPDATE sqlite_sequence SET seq = max(seq, :seq) WHERE name = :name"
            ).bindparams(seq=counter, name=table)
        )
        op.execute(
            sa.text(
                "INSERT INTO sqlite_sequence (name, seq) SELECT :name, :seq"
                " WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = :name)"
            ).bindparams(seq=counter, name=table)
        )
    if table == "action" and _has_search_index():
        for statement in SEARCH_TRIGGERS:
            op.execute(statement)


def _sqlite_counter(table: str) -> int | None:
    row = (
        op.get_bind()
        .execute(sa.text("SELECT seq FROM sqlite_sequence WHERE name = :name"), {"name": table})
        .first()
    )
    return None if row is None else int(row[0])


def _has_search_index() -> bool:
    return (
        op.get_bind()
        .execute(sa.text("SELECT 1 FROM sqlite_master WHERE name = 'action_search'"))
        .first()
        is not None
    )
