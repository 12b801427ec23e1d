"""mock_interviews.avoided: the recent questions a mock's draw set aside, so that its seed replays the draw

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("mock_interviews") as batch:
        batch.add_column(sa.Column("avoided", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("mock_interviews") as batch:
        batch.drop_column("avoided")
