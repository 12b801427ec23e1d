"""The navigation bar's count of due reviews is in the page as served (no script fetches it), on every page
a signed-in user opens, and it changes as soon as a review is done."""

import re
from datetime import UTC, datetime, timedelta

from rehearse.review.models import ReviewCard
from rehearse.web import identity

from .conftest import Browser

BADGE = re.compile(r'<span class="nav-count" data-due-count( hidden)?>([^<]*)</span>')
PAGES = ["/", "/history", "/stories", "/plans", "/mock", "/settings", "/notifications", "/account/data"]


def badge(html: str) -> str | None:
    """The number the navigation bar shows, or None when the badge is hidden."""
    found = BADGE.search(html)
    assert found, "the navigation bar has no due badge"
    return None if found.group(1) else found.group(2)


def _make_due(app, email: str, count: int) -> list[int]:
    """Put `count` built-in questions in the user's review queue, all overdue; their ids."""
    from sqlalchemy import select

    from rehearse.accounts.models import User
    from rehearse.bank.models import Question

    now = datetime.now(UTC)
    with app.state.database.transaction(writes=True) as session:
        user = session.scalar(select(User).where(User.email == email))
        ids = list(session.scalars(select(Question.id).order_by(Question.id).limit(count)))
        for question_id in ids:
            session.add(ReviewCard(user_id=user.id, question_id=question_id, state=2, step=None, stability=5.0,
                                   difficulty=5.0, due=now - timedelta(hours=1), last_review=now - timedelta(days=5),
                                   reviews=1, created_at=now - timedelta(days=5)))
    # Written behind the app's back, as another process would: the app shows it within
    # IDENTITY_TTL_S (web/identity.py); forgetting now spares the test the wait.
    identity.of(app).forget_all()
    return ids


def test_every_page_shows_the_due_count_without_a_script_and_a_review_lowers_it(app):
    ann = Browser(app)
    email = ann.sign_up()
    assert badge(ann.get("/stories").text) is None  # nothing practised: the badge is hidden
    due = _make_due(app, email, 3)
    for path in PAGES + [f"/questions/{due[0]}", f"/practice/{due[0]}"]:
        page = ann.get(path)
        assert page.status_code == 200, path
        assert badge(page.text) == "3", path
        assert "nav.js" not in page.text  # rendered by the server, not fetched afterwards

    # A review (answering a due question) reschedules its card into the future: one fewer is due at once.
    attempt = ann.answer(due[0], "I would list the requests, rank them with product and explain the trade-offs.")
    assert attempt.status_code == 303
    assert badge(ann.get(attempt.headers["location"]).text) == "2"
    assert badge(ann.get("/history").text) == "2"
    assert ann.get("/api/review/due").json()["count"] == 2


def test_the_count_is_the_users_own_and_absent_for_visitors(app):
    ann, bob = Browser(app), Browser(app)
    _make_due(app, ann.sign_up(), 2)
    bob.sign_up()
    assert badge(ann.get("/stories").text) == "2"
    assert badge(bob.get("/stories").text) is None
    visitor = Browser(app).get("/")
    assert visitor.status_code == 200 and "data-due-count" not in visitor.text


def test_an_error_page_for_a_signed_in_user_renders_without_the_count(app):
    ann = Browser(app)
    _make_due(app, ann.sign_up(), 1)
    missing = ann.get("/questions/2147483000")
    assert missing.status_code == 404 and "data-user" in missing.text  # still says who is signed in
    assert badge(missing.text) in (None, "1")  # rendered after the request's session closed: never an error
    assert badge(ann.get("/stories").text) == "1"


def _review_link(html: str) -> str:
    return re.search(r'<a href="/review" data-nav="review"[^>]*>.*?</a>', html).group(0)


def test_a_screen_reader_hears_due_now_only_beside_a_count(app):
    ann, bob = Browser(app), Browser(app)
    _make_due(app, ann.sign_up(), 2)
    bob.sign_up()
    assert "due now" in _review_link(ann.get("/stories").text)
    assert "due now" not in _review_link(bob.get("/stories").text)
    # The unread count is fetched by a script; its words are in a span the stylesheet hides while the
    # count is hidden (hidden text is not read), so a screen reader hears "Notifications", no "(unread)".
    notifications = re.search(r'data-nav="notifications".*?</a>', bob.get("/stories").text).group(0)
    assert re.search(r'<span class="nav-count" data-unread-count hidden></span><span class="visually-hidden '
                     r'nav-count-words"> unread</span>', notifications)
    css = bob.get("/static/rehearse.css").text
    assert ".nav-count[hidden] + .nav-count-words { display: none" in css


def test_the_current_pages_link_is_marked_for_assistive_technology(app):
    ann = Browser(app)
    ann.sign_up()
    stories = ann.get("/stories").text
    assert re.findall(r'data-nav="(\w+)" aria-current="page"', stories) == ["stories"]
    assert 'data-nav="roles" aria-current' not in stories
    assert re.findall(r'data-nav="(\w+)" aria-current="\w+"', ann.get("/").text) == ["roles"]
    # a page inside a section marks the section's link, "true" rather than "page"
    assert re.findall(r'data-nav="(\w+)" aria-current="(\w+)"', ann.get("/stories/999999").text) == [("stories", "true")]
    assert re.findall(r'data-nav="(\w+)" aria-current="(\w+)"', ann.get("/settings").text) == [("settings", "page")]
