"""reach: e-mail, mentions, two-factor, single sign-on

Three tables and five user columns for issue 11:
- sent_mail: every e-mail claimed before it is sent, unique per person and key, so a digest or
  an escalation message never goes twice, also with several processes or a cron job alongside;
- mention: `@naam` in a comment or knelpunt, read under "Voor mij" and mailed once;
- recovery_code: hashes of one-time codes for a lost authenticator app;
- user.digest_weekday (0 = Monday, the default; empty = no digest), user.mention_mail (on),
  user.totp_secret and totp_enabled_at (second factor), user.oidc_subject (single sign-on).

Downgrade: the tables and columns go. Second factors are then forgotten (people sign in with
their password alone), and single sign-on users are matched again by e-mail address.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import app.models.common

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "recovery_code",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("used_at", app.models.common.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_recovery_code_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recovery_code")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.create_index("ix_recovery_code_user_id", ["user_id"], unique=False)

    op.create_table(
        "sent_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("mail_key", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("claimed_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("sent_at", app.models.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("error", sqlmodel.sql.sqltypes.AutoString(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_sent_mail_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sent_mail")),
        sa.UniqueConstraint("user_id", "mail_key", name=op.f("uq_sent_mail_user_id_mail_key")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.create_index("ix_sent_mail_claimed_at", ["claimed_at"], unique=False)

    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("escalation_id", sa.Integer(), nullable=True),
        sa.Column("created_at", app.models.common.UTCDateTime(timezone=True), nullable=False),
        sa.Column("seen_at", app.models.common.UTCDateTime(timezone=True), nullable=True),
        sa.Column("mailed_at", app.models.common.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(comment_id IS NOT NULL) OR (escalation_id IS NOT NULL)",
            name=op.f("ck_mention_comment_or_escalation"),
        ),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["action.id"],
            name=op.f("fk_mention_action_id_action"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["user.id"], name=op.f("fk_mention_author_id_user"), ondelete="RESTRICT"
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comment.id"],
            name=op.f("fk_mention_comment_id_comment"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["escalation_id"],
            ["escalation.id"],
            name=op.f("fk_mention_escalation_id_escalation"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["user.id"], name=op.f("fk_mention_user_id_user"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mention")),
        sqlite_autoincrement=True,
    )
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.create_index("ix_mention_mailed_at", ["mailed_at"], unique=False)
        batch_op.create_index("ix_mention_user_id", ["user_id", "seen_at"], unique=False)

    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("digest_weekday", sa.Integer(), server_default="0", nullable=True)
        )
        batch_op.add_column(
            sa.Column("mention_mail", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("totp_secret", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
        batch_op.add_column(
            sa.Column(
                "totp_enabled_at", app.models.common.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("oidc_subject", sqlmodel.sql.sqltypes.AutoString(length=255), nullable=True)
        )
        batch_op.create_unique_constraint(batch_op.f("uq_user_oidc_subject"), ["oidc_subject"])
        batch_op.create_check_constraint(
            op.f("ck_user_digest_weekday"), "digest_weekday BETWEEN 0 AND 6"
        )


def downgrade() -> None:
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_user_digest_weekday"), type_="check")
        batch_op.drop_constraint(batch_op.f("uq_user_oidc_subject"), type_="unique")
        batch_op.drop_column("oidc_subject")
        batch_op.drop_column("totp_enabled_at")
        batch_op.drop_column("totp_secret")
        batch_op.drop_column("mention_mail")
        batch_op.drop_column("digest_weekday")

    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index("ix_mention_user_id")
        batch_op.drop_index("ix_mention_mailed_at")

    op.drop_table("mention")
    with op.batch_alter_table("sent_mail", schema=None) as batch_op:
        batch_op.drop_index("ix_sent_mail_claimed_at")

    op.drop_table("sent_mail")
    with op.batch_alter_table("recovery_code", schema=None) as batch_op:
        batch_op.drop_index("ix_recovery_code_user_id")

    op.drop_table("recovery_code")
