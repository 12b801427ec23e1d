"""community: suggestions, votes, comments, reports, notifications; revision snapshots; attempt revision

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 14:05:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=True),
        sa.Column("role_id", sa.Integer(), nullable=True),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("base_revision", sa.Integer(), nullable=True),
        sa.Column("question_text", sa.Text(), nullable=True),
        sa.Column("example_answer", sa.Text(), nullable=True),
        sa.Column("intent", sa.Text(), nullable=True),
        sa.Column("talking_points", sa.JSON(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("licence", sa.String(length=200), nullable=True),
        sa.Column("report", sa.JSON(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("votes", sa.Integer(), nullable=False),
        sa.Column("up", sa.Integer(), nullable=False),
        sa.Column("down", sa.Integer(), nullable=False),
        sa.Column("comment_count", sa.Integer(), nullable=False),
        sa.Column("decision_reason", sa.Text(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_suggestions_author_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["decided_by_id"], ["users.id"], name=op.f("fk_suggestions_decided_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_suggestions_question_id_questions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name=op.f("fk_suggestions_role_id_roles"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index("ix_suggestions_status_votes_created_at", ["status", "votes", "created_at"], unique=False)
        batch_op.create_index("ix_suggestions_question_id_status", ["question_id", "status"], unique=False)
        batch_op.create_index("ix_suggestions_author_id_created_at", ["author_id", "created_at"], unique=False)

    op.create_table(
        "suggestion_votes",
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.SmallInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"], name=op.f("fk_suggestion_votes_suggestion_id_suggestions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_suggestion_votes_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("suggestion_id", "user_id", name=op.f("pk_suggestion_votes")),
    )
    with op.batch_alter_table("suggestion_votes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_votes_user_id"), ["user_id"], unique=False)

    op.create_table(
        "suggestion_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=False),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("hidden", sa.Boolean(), nullable=False),
        sa.Column("hidden_by_id", sa.Integer(), nullable=True),
        sa.Column("hidden_reason", sa.Text(), nullable=True),
        sa.Column("reports", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["author_id"], ["users.id"], name=op.f("fk_suggestion_comments_author_id_users"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["hidden_by_id"], ["users.id"], name=op.f("fk_suggestion_comments_hidden_by_id_users"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["reply_to_id"], ["suggestion_comments.id"], name=op.f("fk_suggestion_comments_reply_to_id_suggestion_comments"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"], name=op.f("fk_suggestion_comments_suggestion_id_suggestions"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_comments")),
    )
    with op.batch_alter_table("suggestion_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_comments_suggestion_id"), ["suggestion_id"], unique=False)
        batch_op.create_index("ix_suggestion_comments_author_id_created_at", ["author_id", "created_at"], unique=False)

    op.create_table(
        "comment_reports",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["comment_id"], ["suggestion_comments.id"], name=op.f("fk_comment_reports_comment_id_suggestion_comments"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_comment_reports_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("comment_id", "user_id", name=op.f("pk_comment_reports")),
    )

    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=True),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["suggestion_id"], ["suggestions.id"], name=op.f("fk_notifications_suggestion_id_suggestions"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_notifications_user_id_users"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notifications")),
    )
    with op.batch_alter_table("notifications", schema=None) as batch_op:
        batch_op.create_index("ix_notifications_user_id_read_at", ["user_id", "read_at"], unique=False)

    with op.batch_alter_table("example_answers", schema=None) as batch_op:
        batch_op.add_column(sa.Column("intent", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("talking_points", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("author_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("suggestion_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reverted_from", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("file_values", sa.JSON(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_example_answers_author_id_users"), "users", ["author_id"], ["id"],
                                    ondelete="SET NULL")

    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("example_revision", sa.Integer(), nullable=True))
    _backfill_snapshots()


def _backfill_snapshots() -> None:
    """Every question gets a current revision holding a full snapshot (empty text: no example answer),
    so suggestions always have a base to compare with and imports a base to merge against."""
    bind = op.get_bind()
    questions = sa.table("questions", sa.column("id", sa.Integer), sa.column("intent", sa.Text),
                         sa.column("talking_points", sa.JSON))
    answers = sa.table("example_answers", sa.column("id", sa.Integer), sa.column("question_id", sa.Integer),
                       sa.column("revision", sa.Integer), sa.column("text", sa.Text), sa.column("source", sa.String),
                       sa.column("intent", sa.Text), sa.column("talking_points", sa.JSON),
                       sa.column("file_values", sa.JSON), sa.column("created_at", sa.DateTime(timezone=True)))
    latest = dict(bind.execute(sa.select(answers.c.question_id, sa.func.max(answers.c.revision))
                               .group_by(answers.c.question_id)).all())
    now = sa.func.current_timestamp()
    for question_id, intent, points in bind.execute(sa.select(questions.c.id, questions.c.intent,
                                                              questions.c.talking_points)).all():
        if question_id in latest:
            text = bind.scalar(sa.select(answers.c.text).where(answers.c.question_id == question_id,
                                                               answers.c.revision == latest[question_id]))
            bind.execute(answers.update().where(answers.c.question_id == question_id,
                                                answers.c.revision == latest[question_id])
                         .values(intent=intent, talking_points=points,
                                 file_values={"example_answer": text, "intent": intent, "talking_points": points}))
        else:
            bind.execute(answers.insert().values(
                question_id=question_id, revision=1, text="", source="import", intent=intent, talking_points=points,
                file_values={"example_answer": None, "intent": intent, "talking_points": points}, created_at=now))


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_column("example_revision")
    with op.batch_alter_table("example_answers", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_example_answers_author_id_users"), type_="foreignkey")
        for column in ("file_values", "reverted_from", "suggestion_id", "author_id", "talking_points", "intent"):
            batch_op.drop_column(column)
    op.drop_table("notifications")
    op.drop_table("comment_reports")
    op.drop_table("suggestion_comments")
    op.drop_table("suggestion_votes")
    op.drop_table("suggestions")
