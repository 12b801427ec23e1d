"""Mock interviews on a real database: the seeded draw, follow-ups, the end report, resuming, sharing."""

import dataclasses
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import select

from rehearse.bank.models import utcnow
from rehearse.mock import service as mocks
from rehearse.mock.followup import phrase_missed_point
from rehearse.practice.models import Attempt
from rehearse.practice.scoring import prepare
from rehearse.review.models import ReviewCard
from rehearse.scheduling.fsrs_card import utc

from .conftest import fake_report

WEAK = "I worked on it with the team and it went well."


def start(session, bank, user, **kwargs):
    """A new mock, its first question shown (as its page or the API's answer shows it)."""
    mock = mocks.create(session, user=user, role=str(bank["role"].id), **kwargs)
    mocks.start_clock(session, mocks.current_item(mock))
    return mock


@contextmanager
def still_unfinished(session, *left):
    """Data from before one mock at a time: the next mock starts while these stay unfinished."""
    for mock in left:
        mock.status = "finished"
    session.flush()
    yield
    for mock in left:
        mock.status = "in_progress"
    session.flush()


def drawn_once(session, bank, user, **kwargs) -> list[int]:
    """The questions a new mock draws; the mock is abandoned, so that the next one may start."""
    mock = mocks.create(session, user=user, role=str(bank["role"].id), **kwargs)
    questions = drawn(mock)
    mocks.abandon(session, user=user, mock_id=mock.id)
    return questions


def answer_current(session, user, mock, answer=WEAK, report=None, **kwargs):
    """Answer the current question, then show the next one (as the next page does)."""
    item = mocks.current_item(mock)
    points = tuple(item.question.talking_points) if not item.follow_up else (item.follow_up_point,)
    report = report or fake_report(30, points=points, covered=(False,) * len(points))
    following = mocks.record_answer(session, user=user, mock=mock, item=item, answer=answer, report=report, **kwargs)
    if following is not None:
        mocks.start_clock(session, following)
    return item, following


def test_a_questions_clock_starts_when_it_is_shown_not_when_it_becomes_current(session, bank, users):
    """Building a question's page once took seconds (story suggestions) and they came off its time: the countdown
    starts when the question is shown, and the server's judgement of a late answer counts from there."""
    ann = users[0]
    created = utcnow()
    mock = mocks.create(session, user=ann, role=str(bank["role"].id), count=2, seconds=60, follow_ups=False,
                        now=created)
    first = mocks.current_item(mock)
    assert first.started_at is None  # created, not shown: all its time is left, however long the page takes
    assert mocks.remaining_seconds(mock, first, now=created + timedelta(seconds=12)) == 60
    assert not mocks.time_ran_out(mock, first, "", claimed=True, now=created + timedelta(seconds=500))
    shown = created + timedelta(seconds=12)
    mocks.start_clock(session, first, now=shown)
    mocks.start_clock(session, first, now=shown + timedelta(seconds=30))  # shown again (a reload): it runs on
    assert mocks.remaining_seconds(mock, first, now=shown + timedelta(seconds=1)) == 59
    assert mocks.deadline(mock, first) == shown + timedelta(seconds=60)
    late = shown + timedelta(seconds=60 + mocks.GRACE_S + 1)
    assert mocks.time_ran_out(mock, first, WEAK, claimed=False, now=late)
    assert not mocks.time_ran_out(mock, first, WEAK, claimed=False, now=late - timedelta(seconds=2))
    answered = shown + timedelta(seconds=20)
    second = mocks.record_answer(session, user=ann, mock=mock, item=first, answer=WEAK, report=fake_report(30),
                                 now=answered)
    assert first.duration_s == 20.0  # from when it was shown
    assert second.started_at is None and mocks.remaining_seconds(mock, second, now=answered + timedelta(seconds=9)) == 60


def test_the_seed_is_kept_and_replays_the_draw(session, bank, users):
    ann, bob = users
    first = start(session, bank, ann, count=4, seed=42)
    again = start(session, bank, bob, count=4, seed=42)  # bob has no recent mocks either
    assert first.seed == 42
    assert [i.question_id for i in first.items] == [i.question_id for i in again.items]
    kinds = [i.question.kind for i in first.items]
    assert kinds.count("behavioural") == kinds.count("situational") == 2
    assert len({i.question.competency_names[0] for i in first.items}) == 4


def drawn(mock) -> list[int]:
    return [i.question_id for i in mock.items if not i.follow_up]


def test_the_next_mock_sets_aside_the_questions_answered_in_the_last_ones_not_those_never_reached(
        session, bank, users):
    ann = users[0]
    first = start(session, bank, ann, count=4, follow_ups=False)
    answered, _ = answer_current(session, ann, first)  # the other three are never reached
    assert mocks.recent_question_ids(session, user=ann) == {answered.question_id}
    with still_unfinished(session, first):
        everything_else = start(session, bank, ann, count=len(bank["questions"]) - 1)
    assert answered.question_id not in drawn(everything_else) and everything_else.avoided == [answered.question_id]


def test_a_seed_given_again_replays_its_mock_setting_aside_what_that_draw_set_aside(session, bank, users):
    ann, bob = users
    earlier = start(session, bank, ann, count=2, follow_ups=False)
    while mocks.current_item(earlier) is not None:
        answer_current(session, ann, earlier)
    mock = start(session, bank, ann, count=3, follow_ups=False)  # a random seed; the two answered set aside
    assert mock.avoided == sorted(drawn(earlier)) and not set(drawn(mock)) & set(drawn(earlier))
    answer_current(session, ann, mock)  # answered since: the recent questions are no longer the same
    with still_unfinished(session, mock):
        assert drawn_once(session, bank, ann, count=3, seed=mock.seed) == drawn(mock)
        assert drawn_once(session, bank, ann, count=4, seed=mock.seed)[:3] == drawn(mock)  # longer: the same first
        # A seed none of one's mocks drew with sets nothing aside: the same set for anyone with this bank.
        assert drawn_once(session, bank, ann, count=3, seed=(mock.seed + 1) % mocks.SEED_LIMIT) == \
            drawn_once(session, bank, bob, count=3, seed=(mock.seed + 1) % mocks.SEED_LIMIT)


def test_a_missed_point_brings_a_follow_up_scored_against_that_point(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=3)
    item, follow = answer_current(session, ann, mock)
    first_point = item.question.talking_points[0]
    assert follow.follow_up and follow.number == item.number
    assert (follow.follow_up_reason, follow.follow_up_point) == ("missed_point", first_point)
    assert follow.prompt == phrase_missed_point(first_point, item.question.kind)
    report = mocks.score_item(session, follow, "I would measure it weekly and share the numbers.", backend="lexical")
    assert [p["point"] for p in report["talking_points"]] == [first_point]
    # judged within its question (example answer, other points, bank), reported on its point alone
    prepared, parent = mocks.prepare_item(session, follow), prepare(session, item.question)
    assert prepared.question == dataclasses.replace(parent.question, focus=(first_point,))
    assert prepared.lexicon is parent.lexicon and prepared.bank_id == parent.bank_id


def test_a_follow_up_about_a_part_of_the_story_is_that_part_as_one_more_point_of_its_question(session, bank, users):
    """Every point covered, no result: the follow-up asks for the result, judged within its question (its bank
    does not take the question itself for another) and reported on that part alone."""
    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=3)
    item = mocks.current_item(mock)
    points = tuple(item.question.talking_points)
    report = fake_report(70, points=points, covered=(True,) * len(points))
    _, follow = answer_current(session, ann, mock, report=report)
    assert follow.follow_up and follow.follow_up_reason == "star_result"
    prepared, parent = mocks.prepare_item(session, follow), prepare(session, item.question)
    assert prepared.question == dataclasses.replace(
        parent.question, talking_points=(*parent.question.talking_points, follow.follow_up_point),
        focus=(follow.follow_up_point,), asked_part="result")
    scored = mocks.score_item(session, follow, "We shipped two days late and churn stayed under 2%.", backend="lexical")
    assert [p["point"] for p in scored["talking_points"]] == [follow.follow_up_point]
    # the result is found by the rules for a result, in words that share nothing with the question
    assert scored["talking_points"][0]["covered"] and scored["on_topic"]
    unanswered = mocks.score_item(session, follow, "I spoke with the team about it.", backend="lexical")
    assert not unanswered["talking_points"][0]["covered"]


def test_follow_ups_can_be_turned_off(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=3, follow_ups=False)
    _, following = answer_current(session, ann, mock)
    assert not following.follow_up and following.number == 2


def test_a_whole_mock_ends_with_its_report_and_feeds_history_and_review(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=5)
    answered = 0
    while mocks.current_item(mock) is not None:
        answer_current(session, ann, mock, timed_out=answered == 1)
        answered += 1
    assert answered == 4  # two questions, each with its follow-up
    assert mock.status == "finished" and mock.finished_at is not None
    summary = mock.summary
    assert summary["answered"] == 2 and summary["follow_ups"] == 2 and summary["timed_out"] == 1
    assert [q["number"] for q in summary["questions"]] == [1, 2]
    assert all(q["follow_up"]["question"].startswith("You didn't") for q in summary["questions"])
    assert {c["competency"] for c in summary["competencies"]} == {
        i.question.competency_names[0] for i in mock.items if not i.follow_up}
    attempts = session.query(Attempt).filter_by(user_id=ann.id).count()
    cards = session.query(ReviewCard).filter_by(user_id=ann.id).count()
    assert attempts == cards == 2  # the drawn questions, not the follow-ups


def test_a_repeated_or_out_of_order_answer_is_refused_or_ignored(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=9, follow_ups=False)
    first, _ = answer_current(session, ann, mock)
    assert mocks.check_answer(mock, first.id, WEAK, max_chars=100) is None  # the same answer again: nothing changes
    with pytest.raises(mocks.AlreadyAnswered) as another:  # another text (another tab): not kept, and said so
        mocks.check_answer(mock, first.id, "again", max_chars=100)
    assert another.value.status == 409 and another.value.item_id == first.id
    last = mock.items[-1]
    assert mocks.check_answer(mock, last.id, "x", max_chars=100) is last  # it is the current one now
    with pytest.raises(mocks.MockRejected) as rejected:
        mocks.check_answer(mock, 10**6, "x", max_chars=100)
    assert rejected.value.status == 404
    with pytest.raises(mocks.MockRejected) as rejected:
        mocks.check_answer(mock, last.id, "x" * 101, max_chars=100)
    assert rejected.value.status == 413


@pytest.mark.parametrize("empty", ["", "   \n", "?!", "\u200b"])
def test_an_empty_answer_is_refused_while_the_question_has_time_left(session, bank, users, empty):
    ann = users[0]
    mock = start(session, bank, ann, count=1, seconds=60, follow_ups=False)
    item = mocks.current_item(mock)
    for claimed in (False, True):  # the client's word that time ran out is not enough: the server's clock decides
        with pytest.raises(mocks.MockRejected, match="The answer is empty and this question has 60 s left") as no:
            mocks.check_answer(mock, item.id, empty, max_chars=100, timed_out=claimed)
        assert no.value.status == 422
    at_zero = mocks.deadline(mock, item)
    assert mocks.check_answer(mock, item.id, empty, max_chars=100, now=at_zero) is item
    assert mocks.time_ran_out(mock, item, empty, claimed=False, now=at_zero)  # only the countdown sends one


def test_a_timed_out_empty_answer_scores_0_makes_no_attempt_and_the_report_says_why(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seconds=60, follow_ups=False)
    answer_current(session, ann, mock)
    empty = fake_report(0, covered=(False, False, False)) | {"delivery": {"words": 0, "fillers": {}, "hedges": {}}}
    answer_current(session, ann, mock, answer="", report=empty, timed_out=True)
    summary = mock.summary
    assert (summary["asked"], summary["answered"], summary["unanswered"]) == (2, 1, 1)
    assert (summary["timed_out"], summary["score"]) == (1, 15)
    assert [(q["score"], q["timed_out"], q["empty"]) for q in summary["questions"]] == [(30, False, False),
                                                                                      (0, True, True)]
    assert summary["delivery"]["mean_words"] == 120  # the answer given; the empty one has no length
    assert session.query(Attempt).filter_by(user_id=ann.id).count() == 1  # nothing to practise from an empty one


@pytest.mark.parametrize(("after_zero_s", "claimed", "timed_out"), [
    (-30, True, False),  # time left: the client's word is not enough
    (-1, True, True),  # the countdown's own send, a moment early by this server's clock
    (mocks.GRACE_S - 1, False, False),  # a click on Next in flight at zero: on time
    (mocks.GRACE_S + 1, False, True),  # a page left open, or a script: late, whatever it says
    (3600, False, True),
])
def test_whether_the_time_ran_out_is_the_servers_judgement(session, bank, users, after_zero_s, claimed, timed_out):
    ann = users[0]
    mock = start(session, bank, ann, count=1, seconds=60, follow_ups=False)
    item = mocks.current_item(mock)
    arrived = mocks.deadline(mock, item) + timedelta(seconds=after_zero_s)
    assert mocks.check_answer(mock, item.id, WEAK, max_chars=100, timed_out=claimed, now=arrived) is item
    assert mocks.time_ran_out(mock, item, WEAK, claimed=claimed, now=arrived) is timed_out


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"count": 0}, "1 to 15 questions, not 0"),
    ({"count": 500}, "1 to 15 questions, not 500"),
    ({"seconds": 0}, "30 s to 15 minutes, not 0 s"),
    ({"seconds": 86_400}, "30 s to 15 minutes, not 86400 s"),
    ({"mode": "telepathy"}, "typed"),
    ({"seed": -1}, "seed"),
])
def test_bad_settings_are_refused_and_nothing_is_saved(session, bank, users, kwargs, message):
    ann = users[0]
    with pytest.raises(mocks.MockRejected, match=message) as rejected:
        start(session, bank, ann, **kwargs)
    assert rejected.value.status == 422
    assert mocks.list_mocks(session, user=ann) == []


@pytest.mark.parametrize("role", ["no-such-role", "-1", "0", "99999999999999999999", "²"])
def test_an_unknown_role_is_a_404_that_names_it(session, bank, users, role):
    with pytest.raises(mocks.MockRejected, match=f"There is no role {role!r}") as rejected:
        mocks.create(session, user=users[0], role=role)
    assert rejected.value.status == 404


def test_with_a_role_the_bank_says_which_role_of_that_slug_and_a_role_outside_it_is_refused(session, bank, users):
    from rehearse.bank.models import Bank, Question, Role

    other = Bank(slug="other-bank", name="Other bank")
    session.add(other)
    session.flush()
    namesake = Role(bank_id=other.id, slug="prep-role", name="Prep role elsewhere")
    session.add(namesake)
    session.flush()
    session.add(Question(bank_id=other.id, role_id=namesake.id, slug="o1", text="Why this team?", kind="other",
                         position=0, talking_points=[], search_document="Why this team?"))
    session.flush()
    ann = users[0]
    with pytest.raises(mocks.MockRejected, match="Several banks have a role 'prep-role' .*give `bank` too") as no:
        mocks.create(session, user=ann, role="prep-role")
    assert no.value.status == 422
    for bank_slug, role in (("other-bank", namesake), ("prep-bank", bank["role"])):
        mock = mocks.create(session, user=ann, role="prep-role", bank=bank_slug)
        assert mock.role_id == role.id
        mocks.abandon(session, user=ann, mock_id=mock.id)
    with pytest.raises(mocks.MockRejected, match="The bank 'other-bank' has no role") as no:
        mocks.create(session, user=ann, role=str(bank["role"].id), bank="other-bank")
    assert no.value.status == 422
    with pytest.raises(mocks.MockRejected, match="There is no bank 'nope'") as no:
        mocks.create(session, user=ann, role="prep-role", bank="nope")
    assert no.value.status == 404


def test_a_countdown_that_ran_out_while_away_starts_again_on_resume(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=1, seconds=60)
    item = mocks.current_item(mock)
    assert mocks.remaining_seconds(mock, item) == 60
    later = utcnow() + timedelta(hours=3)
    assert mocks.remaining_seconds(mock, item, now=later) == 0
    mocks.resume(session, user=ann, mock_id=mock.id, now=later)
    assert mocks.remaining_seconds(mock, item, now=later + timedelta(seconds=5)) == 55


def test_a_finished_mock_is_not_resumed(session, bank, users):
    """Resuming one answered 200 and did nothing, while abandoning it was refused (409): both are refused."""
    ann = users[0]
    mock = start(session, bank, ann, count=1, follow_ups=False)
    answer_current(session, ann, mock)
    for call, verb in ((mocks.resume, "resumed"), (mocks.abandon, "abandoned")):
        with pytest.raises(mocks.MockRejected, match=f"A finished mock interview cannot be {verb}") as rejected:
            call(session, user=ann, mock_id=mock.id)
        assert rejected.value.status == 409
    assert mocks.get(session, user=ann, mock_id=mock.id).status == "finished"


def test_sharing_is_read_only_revocable_and_the_owners_alone(session, bank, users):
    ann, bob = users
    mock = start(session, bank, ann, count=1, follow_ups=False)
    with pytest.raises(mocks.MockRejected, match="finished"):
        mocks.share(session, user=ann, mock_id=mock.id)
    answer_current(session, ann, mock)
    token = mocks.share(session, user=ann, mock_id=mock.id).share_token
    assert mocks.shared(session, token=token).id == mock.id
    assert mocks.share(session, user=ann, mock_id=mock.id).share_token == token  # the same link again
    for call in (mocks.share, mocks.unshare, mocks.resume, mocks.get_or_404):
        with pytest.raises(mocks.MockRejected) as rejected:
            call(session, user=bob, mock_id=mock.id)
        assert rejected.value.status == 404
    assert mocks.get(session, user=bob, mock_id=mock.id) is None
    assert mocks.unshare(session, user=ann, mock_id=mock.id) is True
    assert mocks.shared(session, token=token) is None
    assert mocks.unshare(session, user=ann, mock_id=mock.id) is False  # nothing left to revoke


def test_a_question_left_unanswered_when_time_ran_out_comes_back_in_review(session, bank, users):
    """No attempt is kept for an empty answer, but the question was failed outright: its card is
    reviewed as a 0 (Again), so it returns within the day rather than never."""
    from rehearse.review.models import ReviewLogEntry

    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=3, follow_ups=False)
    item, _ = answer_current(session, ann, mock, answer="", timed_out=True)
    assert item.attempt_id is None
    card = session.query(ReviewCard).filter_by(user_id=ann.id, question_id=item.question_id).one()
    [log] = session.query(ReviewLogEntry).filter_by(card_id=card.id).all()
    assert (log.score, log.rating, log.attempt_id) == (0, 1, None)
    assert utc(card.due) - utc(item.answered_at) < timedelta(days=1)


def test_one_mock_at_a_time_a_second_start_is_refused_and_names_the_unfinished_one(session, bank, users):
    """As in a real interview: while a mock is unfinished, starting another (drawn, or a prep plan's) is refused
    with 409 and where to resume or abandon it; once it is finished or abandoned, the next one starts."""
    ann, bob = users
    first = start(session, bank, ann, count=2, follow_ups=False)
    answer_current(session, ann, first)
    for kwargs in ({"role": str(bank["role"].id)}, {"question_ids": [bank["questions"][0].id], "count": 1}):
        with pytest.raises(mocks.MockInProgress) as refused:
            mocks.create(session, user=ann, **kwargs)
        assert refused.value.status == 409 and refused.value.mock_id == first.id
        assert "at question 2 of 2): resume or abandon it before starting another" in str(refused.value)
        assert f"/mocks/{first.id} (API: GET or DELETE /api/mocks/{first.id})" in str(refused.value)
    assert mocks.count_in_progress(session, user=ann) == 1
    start(session, bank, bob)  # another user's mock is theirs: bob starts his
    answer_current(session, ann, first)  # finished
    second = start(session, bank, ann)
    mocks.abandon(session, user=ann, mock_id=second.id)
    assert start(session, bank, ann).status == "in_progress"


def test_two_starts_at_once_start_one_mock(fresh, monkeypatch):
    """Two starts sent at once (two tabs, a script) are checked one after the other: one starts, the other is
    refused with 409, never two unfinished mocks (SQLite's write lock, PostgreSQL's row lock on the user)."""
    import threading
    import time

    from rehearse.accounts.models import User
    from rehearse.mock import draw

    real_draw = draw.draw

    def slow_draw(*args, **kwargs):  # between the check and the insert: the other start runs meanwhile
        time.sleep(0.3)
        return real_draw(*args, **kwargs)

    monkeypatch.setattr(draw, "draw", slow_draw)
    together, results = threading.Barrier(2), []

    def begin() -> None:
        together.wait()
        try:
            with fresh.transaction(writes=True) as session:
                ann = session.scalar(select(User).where(User.email == "ann@example.com"))
                results.append(mocks.create(session, user=ann, role="prep-role", count=2).id)
        except mocks.MockRejected as refused:
            results.append(refused.status)

    threads = [threading.Thread(target=begin) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(results, key=lambda result: result == 409)[1:] == [409] and results.count(409) == 1
    with fresh.transaction() as session:
        ann = session.scalar(select(User).where(User.email == "ann@example.com"))
        assert mocks.count_in_progress(session, user=ann) == 1


def test_several_unfinished_mocks_kept_from_before_stay_resumable_one_by_one(session, bank, users):
    """Data from before one mock at a time may hold several unfinished mocks: each is still read, resumed and
    abandoned on its own, and a new one waits until none is left."""
    ann = users[0]
    older = start(session, bank, ann, count=2, follow_ups=False)
    with still_unfinished(session, older):
        newer = start(session, bank, ann, count=2, follow_ups=False)
    assert [m for m, _ in mocks.unfinished(session, user=ann)] == [older.id, newer.id]
    with pytest.raises(mocks.MockInProgress) as refused:
        mocks.create(session, user=ann, role=str(bank["role"].id))
    assert refused.value.mock_id == newer.id  # the latest is named
    mocks.abandon(session, user=ann, mock_id=newer.id)
    with pytest.raises(mocks.MockInProgress) as refused:
        mocks.create(session, user=ann, role=str(bank["role"].id))
    assert refused.value.mock_id == older.id
    assert mocks.resume(session, user=ann, mock_id=older.id).id == older.id


def test_a_report_kept_before_it_counted_unanswered_questions_is_made_again_when_read(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seconds=60, follow_ups=False)
    answer_current(session, ann, mock)
    answer_current(session, ann, mock, answer="", timed_out=True)
    kept = {key: value for key, value in mock.summary.items() if key not in ("asked", "unanswered")}
    mock.summary = kept | {"answered": 2}  # as such a report said
    report = mocks.report_of(mock)
    assert (report["asked"], report["answered"], report["unanswered"]) == (2, 1, 1)
    assert mock.summary["answered"] == 2  # read, not written


def test_the_follow_up_report_of_each_attempt_answered_in_a_mock(session, bank, users):
    ann = users[0]
    mock = start(session, bank, ann, count=2, seed=3)
    item, follow = answer_current(session, ann, mock)
    answer_current(session, ann, mock)
    assert mocks.follow_up_reports(session, attempt_ids=[item.attempt_id]) == {item.attempt_id: follow.report}
    assert mocks.follow_up_reports(session, attempt_ids=[]) == {}
