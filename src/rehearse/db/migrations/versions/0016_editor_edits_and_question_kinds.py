"""example_answers.edited_by_id: the editor who changed a suggestion before accepting it (the revision
credits its author, and says whose words are not theirs); suggestions.question_kind and
suggestions.competencies: what a suggested new question is and which competencies it tests

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 09:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("example_answers") as batch:
        batch.add_column(sa.Column("edited_by_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f("fk_example_answers_edited_by_id_users"), "users", ["edited_by_id"], ["id"],
                                 ondelete="SET NULL")
    with op.batch_alter_table("suggestions") as batch:
        batch.add_column(sa.Column("question_kind", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("competencies", sa.JSON(none_as_null=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch:
        batch.drop_column("competencies")
        batch.drop_column("question_kind")
    with op.batch_alter_table("example_answers") as batch:
        batch.drop_constraint(op.f("fk_example_answers_edited_by_id_users"), type_="foreignkey")
        batch.drop_column("edited_by_id")
