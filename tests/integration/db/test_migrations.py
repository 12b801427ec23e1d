"""Migrations that rewrite stored values do so on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import select, text

from rehearse.accounts import service as accounts
from rehearse.community.models import Suggestion
from rehearse.db.database import Database
from rehearse.db.migrate import upgrade


def test_0013_turns_the_json_null_of_unchanged_talking_points_into_sql_null(own_database):
    url = own_database.url
    database = Database(url)
    try:
        upgrade(database.engine, "0012")
        with database.transaction() as session:
            user = accounts.create_user(session, email="a@example.com", password="a long enough password",
                                        display_name="A", role="candidate")
            # In SQL: the model has columns later migrations add. What the column held before 0013 for "no
            # change to the points" was the JSON value null.
            for points in ("null", '["a point"]'):
                session.execute(text(
                    "INSERT INTO suggestions (kind, author_id, reason, example_answer, talking_points, status, votes, "
                    "up, down, comment_count, created_at) VALUES ('edit', :user, 'r', 'An answer.', :points, "
                    "'pending', 0, 0, 0, 0, CURRENT_TIMESTAMP)"), {"user": user.id, "points": points})
        with database.transaction() as session:
            assert session.scalar(select(text("count(*)")).select_from(Suggestion.__table__)
                                  .where(Suggestion.talking_points.is_not(None))) == 2
        upgrade(database.engine)
        with database.transaction() as session:
            rows = session.execute(select(Suggestion.talking_points.is_(None), Suggestion.talking_points)
                                   .order_by(Suggestion.id)).all()
        assert [tuple(row) for row in rows] == [(True, None), (False, ["a point"])]
    finally:
        database.dispose()



def test_0016_adds_the_editor_of_a_revision_and_a_suggested_questions_kind_and_competencies(own_database):
    """Rows from before it read as accepted as suggested, their kind and competencies left to work out;
    it downgrades, and upgrades again."""
    from alembic import command
    from sqlalchemy import inspect

    from rehearse.bank.models import Bank, ExampleAnswer, Question, Role
    from rehearse.db.migrate import alembic_config

    database = Database(own_database.url)

    def columns(table: str) -> set[str]:
        return {column["name"] for column in inspect(database.engine).get_columns(table)}

    try:
        upgrade(database.engine, "0015")
        with database.transaction() as session:
            user = accounts.create_user(session, email="e@example.com", password="a long enough password",
                                        display_name="E", role="editor")
            user_id = user.id
        with database.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO suggestions (kind, author_id, question_text, reason, status, votes, up, down, "
                "comment_count, created_at) VALUES ('new_question', :user, 'Q?', 'r', 'pending', 0, 0, 0, 0, "
                "CURRENT_TIMESTAMP)"), {"user": user_id})
        upgrade(database.engine)
        assert "edited_by_id" in columns("example_answers")
        assert {"question_kind", "competencies"} <= columns("suggestions")
        with database.transaction() as session:
            suggestion = session.scalars(select(Suggestion)).one()
            assert (suggestion.question_kind, suggestion.competencies) == (None, None)
            suggestion.question_kind, suggestion.competencies = "behavioural", ["hiring"]
            bank = Bank(slug="b", name="B")
            role = Role(bank=bank, slug="r", name="R")
            session.add_all([bank, role])
            session.flush()
            question = Question(bank_id=bank.id, role_id=role.id, slug="q", text="Q?", talking_points=["p"])
            session.add(question)
            session.flush()
            session.add(ExampleAnswer(question_id=question.id, revision=1, text="A.", source="suggestion",
                                      author_id=user_id, edited_by_id=user_id))
        with database.transaction() as session:
            assert session.scalars(select(ExampleAnswer.edited_by_id)).one() == user_id
            assert session.scalars(select(Suggestion.competencies)).one() == ["hiring"]
        with database.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0015")
        assert "edited_by_id" not in columns("example_answers") and "competencies" not in columns("suggestions")
        upgrade(database.engine)
        assert "edited_by_id" in columns("example_answers")
    finally:
        database.dispose()


def test_0017_adds_retired_at_to_questions_live_by_default_and_downgrades(own_database):
    from alembic import command
    from sqlalchemy import inspect

    from rehearse.db.migrate import alembic_config

    database = Database(own_database.url)

    def columns() -> set[str]:
        return {column["name"] for column in inspect(database.engine).get_columns("questions")}

    try:
        upgrade(database.engine, "0016")
        with database.engine.begin() as connection:
            connection.execute(text("INSERT INTO banks (slug, name, imported_at) VALUES ('b', 'B', CURRENT_TIMESTAMP)"))
            connection.execute(text("INSERT INTO roles (bank_id, slug, name, position) VALUES (1, 'r', 'R', 0)"))
            connection.execute(text(
                "INSERT INTO questions (bank_id, role_id, slug, text, kind, position, talking_points, "
                "talking_points_source, search_document) VALUES (1, 1, 'q', 'Q?', 'other', 0, '[]', 'file', '')"))
        upgrade(database.engine)
        with database.engine.begin() as connection:
            assert connection.execute(text("SELECT retired_at FROM questions")).scalar_one() is None
        with database.engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.downgrade(config, "0016")
        assert "retired_at" not in columns()
        upgrade(database.engine)
        assert "retired_at" in columns()
    finally:
        database.dispose()
