"""search action titles and descriptions

The page across teams (/overzicht) searches actions by title and description. PostgreSQL gets a
GIN index on to_tsvector('dutch', ...) (Dutch stemming). SQLite gets an FTS5 index with external
content (the text is not stored twice), kept in step with action by three triggers, and filled
from the actions already there; FTS5 has no Dutch stemmer, so unicode61 folds case and
diacritics and the search uses prefix queries (see app/db.py).

These statements are a copy of app/db.py's at the time of this step (a migration does not change
when the app does); tests/migrations/test_action_search.py checks that both build the same.
A later batch migration that rebuilds the action table on SQLite drops the triggers with the old
table: it has to make them again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 09:00:00.000000
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE_UPGRADE = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS action_search USING fts5(
    title, description, content='action', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2')""",
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
    # index the actions that exist already
    "INSERT INTO action_search(action_search) VALUES ('rebuild')",
)
SQLITE_DOWNGRADE = (
    "DROP TRIGGER IF EXISTS action_search_update",
    "DROP TRIGGER IF EXISTS action_search_delete",
    "DROP TRIGGER IF EXISTS action_search_insert",
    "DROP TABLE IF EXISTS action_search",
)
POSTGRES_UPGRADE = (
    "CREATE INDEX IF NOT EXISTS ix_action_search ON action USING gin "
    "(to_tsvector('dutch'::regconfig, (title || ' ') || description))",
)
POSTGRES_DOWNGRADE = ("DROP INDEX IF EXISTS ix_action_search",)


def _run(statements: Sequence[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_UPGRADE if dialect == "sqlite" else POSTGRES_UPGRADE)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    _run(SQLITE_DOWNGRADE if dialect == "sqlite" else POSTGRES_DOWNGRADE)
