"""Migrations that rewrite stored values do so on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sqlalchemy import select, text, update

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
            for points in (None, ["a point"]):
                session.add(Suggestion(author_id=user.id, reason="r", example_answer="An answer.",
                                       talking_points=points))
            session.flush()
            # What the column held before 0013 for "no change to the points": the JSON value null.
            session.execute(update(Suggestion).where(Suggestion.talking_points.is_(None))
                            .values(talking_points=text("'null'")))
        with database.transaction() as session:
            assert session.scalar(select(text("count(*)")).select_from(Suggestion)
                                  .where(Suggestion.talking_points.is_not(None))) == 2
        upgrade(database.engine)
        with database.transaction() as session:
            rows = session.execute(select(Suggestion.talking_points.is_(None), Suggestion.talking_points)
                                   .order_by(Suggestion.id)).all()
        assert [tuple(row) for row in rows] == [(True, None), (False, ["a point"])]
    finally:
        database.dispose()
