"""The review queue through the pages and the API: practice makes a card, the nav counts it, ratings override."""

import re
import time
from datetime import UTC, datetime, timedelta

from rehearse.review.models import ReviewCard, ReviewLogEntry
from rehearse.web import identity

from .conftest import Browser

ANSWER = ("First, I would put every request in one visible list. Then I would rank it with the product leads "
          "against company priorities, and explain the trade-offs to every waiting team.")


def test_practice_puts_the_question_in_the_queue_and_an_override_reschedules_it(app, question):
    ann = Browser(app)
    ann.sign_up()
    empty = ann.get("/review")
    assert empty.status_code == 200 and "data-review-empty" in empty.text
    attempt = ann.answer(question["id"], ANSWER).headers["location"]
    page = ann.get(attempt)
    rated = re.search(r'data-review-rating="(\w+)"', page.text).group(1)
    assert rated in ("again", "hard", "good", "easy")
    # The user says they did not know it: "again" brings it back within minutes.
    attempt_id = int(attempt.rsplit("/", 1)[1])
    again = ann.post(f"/attempts/{attempt_id}/rating", data={"csrf_token": ann.csrf(attempt), "rating": "again"},
                     follow_redirects=False)
    assert again.status_code == 303
    assert 'data-review-rating="again"' in ann.get(attempt).text
    api = ann.get("/api/review/due").json()
    assert api["count"] in (0, 1)  # due within ten minutes (the library's first relearning step)
    upcoming = ann.get("/api/review/upcoming", params={"days": 3}).json()
    assert sum(day["due"] for day in upcoming) == 1
    bad = ann.put(f"/api/review/attempts/{attempt_id}/rating", json={"rating": "perfect"},
                  headers=ann.page_csrf_header())
    assert bad.status_code == 422 and "not a rating" in bad.json()["detail"]
    form_bad = ann.post(f"/attempts/{attempt_id}/rating", data={"csrf_token": ann.csrf(attempt), "rating": "9"})
    assert form_bad.status_code == 422 and "not a rating" in form_bad.text
    good = ann.put(f"/api/review/attempts/{attempt_id}/rating", json={"rating": "easy"},
                   headers=ann.page_csrf_header())
    assert good.status_code == 200 and good.json()["rating"] == "easy" and good.json()["source"] == "override"
    queue = ann.get("/review")
    assert "data-review-done" in queue.text or "data-due-list" in queue.text


def test_a_rating_is_its_name_or_its_number_1_to_4_as_the_schema_says(app, question):
    ann = Browser(app)
    ann.sign_up()
    attempt_id = int(ann.answer(question["id"], ANSWER).headers["location"].rsplit("/", 1)[1])
    rating = f"/api/review/attempts/{attempt_id}/rating"
    for given, name in ((4, "easy"), (2, "hard"), (1, "again"), ("good", "good")):
        rated = ann.put(rating, json={"rating": given}, headers=ann.page_csrf_header())
        assert rated.status_code == 200 and rated.json()["rating"] == name
    # The API takes JSON numbers, never "3"; and every refusal has the API's one 422 shape: detail and errors.
    for wrong in (True, False, 0, 5, 4.0, None, ["easy"], "3", " 2", "perfect"):
        refused = ann.put(rating, json={"rating": wrong}, headers=ann.page_csrf_header())
        assert refused.status_code == 422 and refused.json()["detail"], wrong
        assert [e["loc"] for e in refused.json()["errors"]] == [["body", "rating"]], wrong
    for wrong, said in ((5, "5 is not a rating"), (True, "true is not a rating"), ("3", '"3" is not a rating')):
        detail = ann.put(rating, json={"rating": wrong}, headers=ann.page_csrf_header()).json()["detail"]
        assert f"{said}; use one of again, hard, good, easy (or 1-4)" in detail and ";" not in detail.split("; use")[1]
    schema = ann.get("/openapi.json").json()["components"]["schemas"]["RatingUpdate"]["properties"]["rating"]
    assert {"type": "integer", "minimum": 1, "maximum": 4} in schema["anyOf"]


def test_an_override_that_puts_the_return_time_in_the_past_says_due_now(app, question):
    # An override is applied at the moment the question was answered (the log replays to the same schedule), so
    # Hard on an answer from an hour ago makes the card due minutes after the answer: already passed.
    ann = Browser(app)
    ann.sign_up()
    attempt = ann.answer(question["id"], ANSWER).headers["location"]
    attempt_id = int(attempt.rsplit("/", 1)[1])
    assert "due now" not in ann.get(attempt).text  # a return time still to come is shown as a date
    with app.state.database.transaction(writes=True) as session:  # answered an hour ago
        entry = session.query(ReviewLogEntry).filter(ReviewLogEntry.attempt_id == attempt_id).one()
        entry.reviewed_at -= timedelta(hours=1)
        session.get(ReviewCard, entry.card_id).created_at -= timedelta(hours=1)
    hard = ann.post(f"/attempts/{attempt_id}/rating", data={"csrf_token": ann.csrf(attempt), "rating": "hard"})
    assert hard.status_code == 200
    assert datetime.fromisoformat(ann.put(f"/api/review/attempts/{attempt_id}/rating", json={"rating": "hard"},
                                          headers=ann.page_csrf_header()).json()["card_due"]) < datetime.now(UTC)
    due = re.search(r"data-card-due>(.*?)</strong>", ann.get(attempt).text, re.S).group(1)
    assert due == "due now"  # never "comes back on" a time already passed


def test_the_nav_counts_due_cards_and_next_leads_to_the_question(app, question):
    ann = Browser(app)
    ann.sign_up()
    attempt = ann.answer(question["id"], "I don't know.").headers["location"]  # a weak answer: Again
    attempt_id = int(attempt.rsplit("/", 1)[1])
    ann.post(f"/attempts/{attempt_id}/rating", data={"csrf_token": ann.csrf(attempt), "rating": "again"})
    # Again is due in one minute: the queue is empty now, and the review API says when it comes back.
    cards = ann.get("/api/review/upcoming", params={"days": 1}).json()
    assert cards[0]["due"] == 1
    assert ann.get("/api/review/due").json()["count"] == 0
    with app.state.database.transaction(writes=True) as session:  # an hour passes
        card = session.query(ReviewCard).join(ReviewLogEntry, ReviewLogEntry.card_id == ReviewCard.id).filter(
            ReviewLogEntry.attempt_id == attempt_id).one()
        card.due = datetime.now(UTC) - timedelta(minutes=1)
    assert re.search(r"data-due-count>1<", ann.get("/review").text)
    assert ann.get("/api/review/due").json()["count"] == 1  # what the navigation bar shows on other pages
    nxt = ann.get("/review/next", follow_redirects=False)
    assert nxt.status_code == 303 and nxt.headers["location"] == f"/practice/{question['id']}?review=1"
    assert f'data-due-card="{question["id"]}"' in ann.get("/review").text


def test_optimise_without_enough_reviews_explains_itself(app):
    ann = Browser(app)
    ann.sign_up()
    page = ann.post("/review/optimise", data={"csrf_token": ann.csrf("/settings")})
    assert page.status_code == 200
    api = ann.post("/api/review/optimise", headers=ann.page_csrf_header()).json()
    assert api["optimised"] is False and api["min_reviews"] == 512 and "needs at least 512" in api["reason"]


def test_the_home_page_lists_what_is_due(app, question, monkeypatch):
    # A card falls due as time passes, written by no request of this process: the home page, remembered
    # for IDENTITY_TTL_S (web/identity.py), shows it once that has passed (shortened here).
    monkeypatch.setattr(identity, "IDENTITY_TTL_S", 0.3)
    ann = Browser(app)
    ann.sign_up()
    attempt = ann.answer(question["id"], "I don't know.").headers["location"]
    attempt_id = int(attempt.rsplit("/", 1)[1])
    assert "data-home-due" not in ann.get("/").text
    with app.state.database.transaction(writes=True) as session:
        card = session.query(ReviewCard).join(ReviewLogEntry, ReviewLogEntry.card_id == ReviewCard.id).filter(
            ReviewLogEntry.attempt_id == attempt_id).one()
        card.due = datetime.now(UTC) - timedelta(minutes=1)
    time.sleep(identity.IDENTITY_TTL_S)
    home = ann.get("/").text
    assert "data-home-due" in home and "Due today: 1 question" in home and "data-due-count>1<" in home


def test_the_queue_its_heading_the_nav_and_the_weeks_table_agree_on_what_is_due_now(app, question):
    ann = Browser(app)
    email = ann.sign_up()
    from sqlalchemy import select

    from rehearse.accounts.models import User
    from rehearse.bank.models import Question

    now = datetime.now(UTC)
    with app.state.database.transaction(writes=True) as session:
        user = session.scalar(select(User).where(User.email == email))
        ids = list(session.scalars(select(Question.id).order_by(Question.id).limit(3)))
        for question_id, due in zip(ids, (now - timedelta(hours=2), now + timedelta(minutes=5),
                                          now + timedelta(minutes=6)), strict=True):
            session.add(ReviewCard(user_id=user.id, question_id=question_id, state=2, step=None, stability=5.0,
                                   difficulty=5.0, due=due, last_review=now - timedelta(days=5), reviews=1,
                                   created_at=now - timedelta(days=5)))
    identity.of(app).forget_all()
    page = ann.get("/review").text
    # One overdue card is due now; the two due in a few minutes are not, and the table says when they are.
    assert re.search(r"data-due-total>1</span> question due now<", page)
    assert re.search(r"data-due-count>1<", page) and 'nav-count-words"> due now<' in page
    assert len(re.findall(r"data-due-card=", page)) == 1
    rows = dict(re.findall(r'<tr data-outlook="([\w-]+)"><th scope="row">[^<]+</th><td>(\d+)</td>', page))
    assert rows["due-now"] == "1" and "Due now (overdue included)" in page
    tomorrow = (now + timedelta(days=1)).date().isoformat()
    # later today, unless the five minutes cross midnight UTC
    assert int(rows["later-today"]) + int(rows[tomorrow]) == 2 and "Later today (until midnight UTC)" in page
    assert ann.get("/api/review/due").json()["count"] == 1


def test_the_rating_sentence_and_the_return_time_are_two_sentences(app, question):
    """"…else Easy).The question comes back…": the rating's sentence ran into the next one on every report."""
    ann = Browser(app)
    ann.sign_up()
    attempt = ann.answer(question["id"], ANSWER).headers["location"]
    schedule = re.search(r'<section class="panel review-rating".*?</p>', ann.get(attempt).text, re.S).group(0)
    text = " ".join(re.sub(r"<[^>]+>", "", schedule).split())
    assert "else Easy). The question" in text or "else Easy). The question is due now" in text
    assert ").The" not in text


def test_the_walk_through_says_which_review_this_is_and_how_many_are_left(app, question):
    ann = Browser(app)
    ann.sign_up()
    others = [q["id"] for q in ann.get("/api/questions", params={"q": "conflict"}).json() if q["id"] != question["id"]]
    asked = [question["id"], *others[:2]]
    for question_id in asked:
        ann.answer(question_id, ANSWER)
    with app.state.database.transaction(writes=True) as session:  # all three come due, in this order
        ours = session.query(ReviewCard).filter(ReviewCard.question_id.in_(asked)).order_by(ReviewCard.id.desc())
        for card in ours.limit(3):
            card.due = datetime.now(UTC) - timedelta(hours=3 - asked.index(card.question_id))
    queue = ann.get("/review").text
    assert len(asked) == 3 and "data-due-total>3<" in queue
    assert 'href="/review/next?start=1" data-action="review-next">Start reviewing' in queue

    first = ann.get("/review/next?start=1", follow_redirects=False).headers["location"]
    assert first == f"/practice/{asked[0]}?review=1"
    page = ann.get(first).text
    assert "<title>Review 1 of 3 — Practise:" in page  # the title is what a screen reader reads out first
    assert "data-review-position><strong>Review 1 of 3</strong> · 2 more due after this one</p>" in page

    ann.answer(asked[0], ANSWER)  # a good answer: not due again today
    second = ann.get("/review/next", follow_redirects=False).headers["location"]
    assert second == f"/practice/{asked[1]}?review=2"
    assert "<strong>Review 2 of 3</strong> · 1 more due after this one" in ann.get(second).text
    ann.answer(asked[1], ANSWER)
    third = ann.get("/review/next", follow_redirects=False).headers["location"]
    assert "<strong>Review 3 of 3</strong> · the last one due" in ann.get(third).text

    # Starting again counts from 1; a question practised outside the walk-through says nothing of it.
    assert ann.get("/review/next?start=1", follow_redirects=False).headers["location"].endswith("?review=1")
    assert "data-review-position" not in ann.get(f"/practice/{asked[2]}").text
