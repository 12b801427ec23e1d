"""review cards and log, attempt metrics, mock interviews, stories; cards and metrics for earlier attempts

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 13:38:25.025237
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table("scheduler_parameters",
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("parameters", sa.JSON(), nullable=False),
    sa.Column("desired_retention", sa.Float(), nullable=False),
    sa.Column("review_count", sa.Integer(), nullable=False),
    sa.Column("optimised_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_scheduler_parameters_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("user_id", name=op.f("pk_scheduler_parameters"))
    )
    op.create_table("stories",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("title", sa.String(length=200), nullable=False),
    sa.Column("situation", sa.Text(), nullable=False),
    sa.Column("task", sa.Text(), nullable=False),
    sa.Column("action", sa.Text(), nullable=False),
    sa.Column("result", sa.Text(), nullable=False),
    sa.Column("competencies", sa.JSON(), nullable=False),
    sa.Column("tags", sa.JSON(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_stories_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_stories"))
    )
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.create_index("ix_stories_user_id_updated_at", ["user_id", "updated_at"], unique=False)

    op.create_table("mock_interviews",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("role_id", sa.Integer(), nullable=True),
    sa.Column("bank_id", sa.Integer(), nullable=True),
    sa.Column("title", sa.String(length=300), nullable=False),
    sa.Column("seed", sa.Integer(), nullable=False),
    sa.Column("question_count", sa.Integer(), nullable=False),
    sa.Column("seconds_per_answer", sa.Integer(), nullable=False),
    sa.Column("mode", sa.String(length=10), nullable=False),
    sa.Column("follow_ups", sa.Boolean(), nullable=False),
    sa.Column("status", sa.String(length=20), nullable=False),
    sa.Column("share_token", sa.String(length=64), nullable=True),
    sa.Column("summary", sa.JSON(), nullable=True),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(["bank_id"], ["banks.id"], name=op.f("fk_mock_interviews_bank_id_banks"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["role_id"], ["roles.id"], name=op.f("fk_mock_interviews_role_id_roles"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_mock_interviews_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_interviews")),
    sa.UniqueConstraint("share_token", name=op.f("uq_mock_interviews_share_token"))
    )
    with op.batch_alter_table("mock_interviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mock_interviews_bank_id"), ["bank_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mock_interviews_role_id"), ["role_id"], unique=False)
        batch_op.create_index("ix_mock_interviews_user_id_created_at", ["user_id", "created_at"], unique=False)

    op.create_table("review_cards",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.Column("state", sa.Integer(), nullable=False),
    sa.Column("step", sa.Integer(), nullable=True),
    sa.Column("stability", sa.Float(), nullable=True),
    sa.Column("difficulty", sa.Float(), nullable=True),
    sa.Column("due", sa.DateTime(timezone=True), nullable=False),
    sa.Column("last_review", sa.DateTime(timezone=True), nullable=True),
    sa.Column("reviews", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_review_cards_question_id_questions"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_review_cards_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_review_cards")),
    sa.UniqueConstraint("user_id", "question_id", name=op.f("uq_review_cards_user_id"))
    )
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_cards_question_id"), ["question_id"], unique=False)
        batch_op.create_index("ix_review_cards_user_id_due", ["user_id", "due"], unique=False)

    op.create_table("attempt_metrics",
    sa.Column("attempt_id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("score", sa.Integer(), nullable=False),
    sa.Column("points_total", sa.Integer(), nullable=False),
    sa.Column("points_covered", sa.Integer(), nullable=False),
    sa.Column("words", sa.Integer(), nullable=False),
    sa.Column("fillers", sa.Integer(), nullable=False),
    sa.Column("hedges", sa.Integer(), nullable=False),
    sa.Column("words_per_minute", sa.Float(), nullable=True),
    sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name=op.f("fk_attempt_metrics_attempt_id_attempts"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_attempt_metrics_question_id_questions"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_attempt_metrics_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("attempt_id", name=op.f("pk_attempt_metrics"))
    )
    with op.batch_alter_table("attempt_metrics", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_attempt_metrics_question_id"), ["question_id"], unique=False)
        batch_op.create_index("ix_attempt_metrics_user_id_created_at", ["user_id", "created_at"], unique=False)

    op.create_table("mock_items",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("mock_id", sa.Integer(), nullable=False),
    sa.Column("number", sa.Integer(), nullable=False),
    sa.Column("follow_up", sa.Boolean(), nullable=False),
    sa.Column("question_id", sa.Integer(), nullable=False),
    sa.Column("prompt", sa.Text(), nullable=True),
    sa.Column("follow_up_reason", sa.String(length=40), nullable=True),
    sa.Column("follow_up_point", sa.Text(), nullable=True),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("answer", sa.Text(), nullable=True),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("duration_s", sa.Float(), nullable=True),
    sa.Column("timed_out", sa.Boolean(), nullable=False),
    sa.Column("score", sa.Integer(), nullable=True),
    sa.Column("report", sa.JSON(), nullable=True),
    sa.Column("attempt_id", sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name=op.f("fk_mock_items_attempt_id_attempts"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["mock_id"], ["mock_interviews.id"], name=op.f("fk_mock_items_mock_id_mock_interviews"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["question_id"], ["questions.id"], name=op.f("fk_mock_items_question_id_questions"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_mock_items")),
    sa.UniqueConstraint("mock_id", "number", "follow_up", name=op.f("uq_mock_items_mock_id"))
    )
    with op.batch_alter_table("mock_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mock_items_mock_id"), ["mock_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mock_items_question_id"), ["question_id"], unique=False)

    op.create_table("review_logs",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("card_id", sa.Integer(), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=False),
    sa.Column("attempt_id", sa.Integer(), nullable=True),
    sa.Column("score", sa.Integer(), nullable=True),
    sa.Column("suggested_rating", sa.Integer(), nullable=True),
    sa.Column("rating", sa.Integer(), nullable=False),
    sa.Column("source", sa.String(length=20), nullable=False),
    sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["attempt_id"], ["attempts.id"], name=op.f("fk_review_logs_attempt_id_attempts"), ondelete="SET NULL"),
    sa.ForeignKeyConstraint(["card_id"], ["review_cards.id"], name=op.f("fk_review_logs_card_id_review_cards"), ondelete="CASCADE"),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_review_logs_user_id_users"), ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_review_logs"))
    )
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_logs_attempt_id"), ["attempt_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_review_logs_card_id"), ["card_id"], unique=False)
        batch_op.create_index("ix_review_logs_user_id_reviewed_at", ["user_id", "reviewed_at"], unique=False)

    _backfill(op.get_bind())


TIMES = {"created_at", "due", "last_review", "reviewed_at"}


def _backfill(connection) -> None:
    """Metrics and a review card (replayed through FSRS) for every attempt made before this revision."""
    from rehearse.progress.metrics import metrics_of
    from rehearse.scheduling import rating_for_score, recompute

    attempts = sa.table("attempts", sa.column("id"), sa.column("user_id"), sa.column("question_id"),
                        sa.column("score"), sa.column("report", sa.JSON), sa.column("speech", sa.JSON),
                        sa.column("created_at", sa.DateTime(timezone=True)))
    def columns(*names: str) -> list[sa.ColumnClause]:
        # Typed datetimes, so SQLite stores them in the same format as the ORM does (string order = time order).
        return [sa.column(n, sa.DateTime(timezone=True)) if n in TIMES else sa.column(n) for n in names]

    metrics = sa.table("attempt_metrics", *columns(
        "attempt_id", "user_id", "question_id", "created_at", "score", "points_total", "points_covered",
        "words", "fillers", "hedges", "words_per_minute"))
    cards = sa.table("review_cards", *columns(
        "id", "user_id", "question_id", "state", "step", "stability", "difficulty", "due", "last_review",
        "reviews", "created_at"))
    logs = sa.table("review_logs", *columns(
        "card_id", "user_id", "attempt_id", "score", "suggested_rating", "rating", "source", "reviewed_at"))
    rows = connection.execute(sa.select(attempts).order_by(attempts.c.id)).all()
    by_card: dict[tuple[int, int], list] = {}
    for row in rows:
        m = metrics_of(row.report or {}, row.speech)
        connection.execute(metrics.insert().values(
            attempt_id=row.id, user_id=row.user_id, question_id=row.question_id, created_at=row.created_at,
            score=row.score, points_total=m.points_total, points_covered=m.points_covered, words=m.words,
            fillers=m.fillers, hedges=m.hedges, words_per_minute=m.words_per_minute))
        by_card.setdefault((row.user_id, row.question_id), []).append(row)
    for (user_id, question_id), done in by_card.items():
        reviews = [(rating_for_score(max(0, min(100, r.score))), r.created_at) for r in done]
        state = recompute(done[0].created_at, reviews)
        card_id = connection.execute(cards.insert().values(
            user_id=user_id, question_id=question_id, state=state.state, step=state.step,
            stability=state.stability, difficulty=state.difficulty, due=state.due,
            last_review=state.last_review, reviews=len(done), created_at=done[0].created_at,
        ).returning(cards.c.id)).scalar_one()
        for attempt, (rating, moment) in zip(done, reviews, strict=True):
            connection.execute(logs.insert().values(
                card_id=card_id, user_id=user_id, attempt_id=attempt.id, score=attempt.score,
                suggested_rating=int(rating), rating=int(rating), source="score", reviewed_at=moment))



def downgrade() -> None:
    with op.batch_alter_table("review_logs", schema=None) as batch_op:
        batch_op.drop_index("ix_review_logs_user_id_reviewed_at")
        batch_op.drop_index(batch_op.f("ix_review_logs_card_id"))
        batch_op.drop_index(batch_op.f("ix_review_logs_attempt_id"))

    op.drop_table("review_logs")
    with op.batch_alter_table("mock_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mock_items_question_id"))
        batch_op.drop_index(batch_op.f("ix_mock_items_mock_id"))

    op.drop_table("mock_items")
    with op.batch_alter_table("attempt_metrics", schema=None) as batch_op:
        batch_op.drop_index("ix_attempt_metrics_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_attempt_metrics_question_id"))

    op.drop_table("attempt_metrics")
    with op.batch_alter_table("review_cards", schema=None) as batch_op:
        batch_op.drop_index("ix_review_cards_user_id_due")
        batch_op.drop_index(batch_op.f("ix_review_cards_question_id"))

    op.drop_table("review_cards")
    with op.batch_alter_table("mock_interviews", schema=None) as batch_op:
        batch_op.drop_index("ix_mock_interviews_user_id_created_at")
        batch_op.drop_index(batch_op.f("ix_mock_interviews_role_id"))
        batch_op.drop_index(batch_op.f("ix_mock_interviews_bank_id"))

    op.drop_table("mock_interviews")
    with op.batch_alter_table("stories", schema=None) as batch_op:
        batch_op.drop_index("ix_stories_user_id_updated_at")

    op.drop_table("stories")
    op.drop_table("scheduler_parameters")
