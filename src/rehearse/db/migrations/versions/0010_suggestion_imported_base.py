"""a suggestion imported from another Rehearse keeps the text it was made against when that text is not in
this server's history (its revision number there means nothing here)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-26 20:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("imported_base", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("imported_base")
