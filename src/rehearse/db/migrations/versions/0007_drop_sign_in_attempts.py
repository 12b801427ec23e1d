"""drop sign_in_attempts: failed sign-ins are counted in throttles (per account and address, with back-off)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 14:35:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_email"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_client"))
        batch_op.drop_index(batch_op.f("ix_sign_in_attempts_attempted_at"))
    op.drop_table("sign_in_attempts")


def downgrade() -> None:
    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False),
        sa.Column("client", sa.String(length=64), nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_attempted_at"), ["attempted_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_client"), ["client"], unique=False)
        batch_op.create_index(batch_op.f("ix_sign_in_attempts_email"), ["email"], unique=False)
