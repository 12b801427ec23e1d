"""an accepted suggestion imported from another Rehearse keeps the text its acceptance made when no revision of
this server says it (the revision number there means nothing here)

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-26 20:10:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("accepted_text", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("accepted_text")
