"""prep plans made from a pasted job posting

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 14:26:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "prep_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("posting", sa.Text(), nullable=False),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name=op.f("fk_prep_plans_role_id_roles"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_prep_plans_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_prep_plans")),
    )
    with op.batch_alter_table("prep_plans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_prep_plans_role_id"), ["role_id"], unique=False)
        batch_op.create_index("ix_prep_plans_user_id_created_at", ["user_id", "created_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("prep_plans", schema=None) as batch_op:
        batch_op.drop_index("ix_prep_plans_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_prep_plans_role_id"))
    op.drop_table("prep_plans")
