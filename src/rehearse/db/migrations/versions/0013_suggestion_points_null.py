"""suggestions.talking_points: "no change to the points" is SQL NULL, not the JSON value null (which made
the editor queue list every suggestion as changing the talking points)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 10:00:00
"""

from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The column is TEXT on SQLite and json on PostgreSQL; both read the JSON null as the text 'null'.
    op.execute("UPDATE suggestions SET talking_points = NULL WHERE CAST(talking_points AS TEXT) = 'null'")


def downgrade() -> None:
    pass  # SQL NULL reads back as None as the JSON null did: nothing to undo
