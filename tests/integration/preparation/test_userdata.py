"""The user's data: export → import into an empty database → export gives the same document; deleting
an account deletes everything in it."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, select, text
from sqlalchemy.orm import Session

from rehearse.accounts import service as accounts
from rehearse.bank.models import utcnow
from rehearse.community import service as community
from rehearse.community.models import Comment, CommentReport, Suggestion
from rehearse.db.database import Database
from rehearse.formats.model import is_blank
from rehearse.mock import service as mocks
from rehearse.plans import service as plans
from rehearse.practice import service as practice
from rehearse.review import service as review
from rehearse.stories import service as stories
from rehearse.userdata import service as userdata

from .conftest import fake_report, make_bank

printable = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
attempt_st = st.tuples(st.integers(0, 7), st.integers(0, 100), printable.filter(str.strip),
                       st.lists(st.booleans(), min_size=3, max_size=3), st.integers(0, 400),
                       st.sampled_from([None, "again", "hard", "good", "easy"]))
visible = printable.filter(lambda text: not is_blank(text))  # a story's title and action show something
story_st = st.tuples(visible, printable, visible,
                     st.lists(st.sampled_from(["hiring", "incidents", "x y"]), max_size=2))
mock_st = st.tuples(st.integers(1, 3), st.integers(0, 2**31 - 1), st.booleans(), st.integers(0, 6))
# Ann's suggestions (question, kind, decision, reason), Bob's suggestions with Ann's vote on each, Ann's
# comments (on her own first suggestion or on Bob's first), whether Bob comments on Ann's first suggestion,
# whether an editor hides Ann's first comment, whether Ann reads her notifications, and Ann's reports of
# comments (Bob's comment on his own first suggestion, her own first comment).
community_st = st.tuples(
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from(["edit", "new_question"]),
                       st.sampled_from(["pending", "accepted", "rejected", "withdrawn"]), printable.filter(str.strip)),
             max_size=3),
    st.lists(st.tuples(st.integers(0, 7), st.sampled_from([1, -1])), max_size=2),
    st.lists(st.tuples(st.booleans(), printable.filter(str.strip)), max_size=3),
    st.booleans(), st.booleans(), st.booleans(),
    st.tuples(st.sampled_from([None, "Rude.", "Spam"]), st.sampled_from([None, "Off topic, mine."])))
POSTING = ("Lead incident response and on-call for our platform; hire engineers and build the interview loop; "
           "set the strategy and tie it to OKRs.")


@pytest.fixture(scope="module")
def other_rehearse(tmp_path_factory):
    """A second, empty Rehearse to import into."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('other') / 'other.db'}")
    db.upgrade()
    yield db
    db.dispose()


def fill(session, user, questions, attempts, story_list, mock_list, plan_count=0):
    """Give the user attempts (some re-rated), stories and mock interviews, as the app would."""
    for index, (q, score, answer, covered, days_ago, override) in enumerate(attempts):
        made = practice.record(session, user=user, question=questions[q], answer=answer,
                               report=fake_report(score, covered=tuple(covered)))
        made.created_at = utcnow() - timedelta(days=days_ago, minutes=index)
        if override:
            review.override(session, user=user, attempt_id=made.id, rating=override)
    for title, situation, action, competencies in story_list:
        stories.create(session, user=user, data=stories.StoryInput(title=title, situation=situation, action=action,
                                                                   competencies=tuple(competencies)))
    made_mocks = []
    for count, seed, follow_ups, answered in mock_list:
        # several may stay unfinished, as in data from before one mock at a time: each starts as if none were
        left = [m for m in made_mocks if m.status == "in_progress"]
        for earlier in left:
            earlier.status = "finished"
        mock = mocks.create(session, user=user, role="prep-role", count=count, seed=seed, follow_ups=follow_ups)
        for earlier in left:
            earlier.status = "in_progress"
        made_mocks.append(mock)
        for _ in range(answered):
            item = mocks.current_item(mock)
            if item is None:
                break
            points = (item.follow_up_point,) if item.follow_up else tuple(item.question.talking_points)
            mocks.record_answer(session, user=user, mock=mock, item=item, answer="An answer.",
                                report=fake_report(40, points=points, covered=(False,) * len(points)))
    for _ in range(plan_count):
        plans.make(session, user=user, posting=POSTING, backend="lexical")
    session.flush()


def fill_community(session, ann, bob, editor, questions, plan) -> None:
    """Community activity around Ann, as the app makes it: her suggestions and their decisions, her votes
    and comments on Bob's suggestions and her own, Bob's comment on hers, an editor hiding one of hers,
    and her reports of Bob's comment on his own suggestion and of her own comment."""
    mine, theirs, comments, bob_comments, hide, read, *rest = plan
    report_bobs, report_own = rest[0] if rest else (None, None)
    own, to_withdraw = [], []
    for index, (q, kind, decision, reason) in enumerate(mine):
        if kind == "edit":
            made = community.suggest_edit(session, user=ann, question_id=questions[q].id, reason=reason,
                                          accept_licence=True, example_answer=f"Ann's better answer {index}.")
        else:
            made = community.suggest_question(session, user=ann, role_id=questions[q].role_id, reason=reason,
                                              accept_licence=True, text=f"Ann's new question {index}?",
                                              talking_points=["a point", "another"], example_answer="An answer.")
        own.append(made)
        if decision == "accepted" and kind == "edit":  # an accepted new question would add a question to the bank
            community.accept(session, editor=editor, suggestion_id=made.id, note="Thanks")
        elif decision in ("rejected", "accepted"):
            community.reject(session, editor=editor, suggestion_id=made.id, reason="Not this time.")
        elif decision == "withdrawn":
            to_withdraw.append(made)  # after the comments: a withdrawn suggestion takes none
    others = []
    for index, (q, value) in enumerate(theirs):
        made = community.suggest_edit(session, user=bob, question_id=questions[q].id, reason="Bob's reason.",
                                      accept_licence=True, example_answer=f"Bob's better answer {index}.")
        community.vote(session, user=ann, suggestion_id=made.id, value=value)
        others.append(made)
    written = []
    for on_own, body in comments:
        target = (own if on_own else others)[:1]
        if target:
            earlier = [c for c in written if c.suggestion_id == target[0].id]
            written.append(community.add_comment(session, user=ann, suggestion_id=target[0].id, body=body,
                                                 reply_to=earlier[-1].id if earlier else None))
    if bob_comments and own:
        community.add_comment(session, user=bob, suggestion_id=own[0].id, body="Bob's comment.")
    for made in to_withdraw:
        community.withdraw(session, user=ann, suggestion_id=made.id)
    if report_bobs and others:
        bobs = community.add_comment(session, user=bob, suggestion_id=others[0].id, body="Bob on his own.")
        community.report_comment(session, user=ann, comment_id=bobs.id, reason=report_bobs)
    if report_own and written:  # made before one's own comment could no longer be reported: exports keep it
        session.add(CommentReport(comment_id=written[0].id, user_id=ann.id, reason=report_own, created_at=utcnow()))
        written[0].reports += 1
    if hide and written:
        community.hide_comment(session, editor=editor, comment_id=written[0].id, reason="Off topic.")
    if read:
        community.mark_read(session, user_id=ann.id)
    session.flush()


def people(session):
    ann = accounts.create_user(session, email="ann@example.com", password_hash="-")
    bob = accounts.create_user(session, email="bob@example.com", password_hash="-", display_name="Bob Secret")
    eve = accounts.create_user(session, email="eve@example.com", password_hash="-", display_name="Eve Editor")
    accounts.set_role(session, email=eve.email, role="editor")
    return ann, bob, eve


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(attempts=st.lists(attempt_st, max_size=6), story_list=st.lists(story_st, max_size=3),
       mock_list=st.lists(mock_st, max_size=2), plan_count=st.integers(0, 1), shared=community_st)
def test_export_import_export_gives_the_same_document(session, other_rehearse, attempts, story_list, mock_list,
                                                      plan_count, shared):
    here = session.begin_nested()
    try:
        questions = make_bank(session)["questions"]
        ann, bob, eve = people(session)
        fill(session, ann, questions, attempts, story_list, mock_list, plan_count)
        fill_community(session, ann, bob, eve, questions, shared)
        first = userdata.export_user(session, user=ann)
        bobs = userdata.export_user(session, user=bob)
    finally:
        here.rollback()
    assert len(first["community"]["suggestions"]) == len(shared[0])
    assert len(first["community"]["votes"]) == len(shared[1])
    reports = first["community"]["comment_reports"]
    ann_wrote = any(shared[0] if on_own else shared[1] for on_own, _ in shared[2])
    assert len(reports) == bool(shared[6][0] and shared[1]) + bool(shared[6][1] and ann_wrote)
    with other_rehearse.engine.connect() as connection:
        outer = connection.begin()
        try:
            elsewhere = Session(bind=connection)
            make_bank(elsewhere)
            ann_there, bob_there, _ = people(elsewhere)
            # Bob first: Ann's votes and comments on his suggestions find them by what they change and when.
            userdata.import_user(elsewhere, user=bob_there, document=bobs)
            counts = userdata.import_user(elsewhere, user=ann_there, document=first)
            assert counts["attempts"] == len(first["attempts"]) >= len(attempts)
            assert counts["stories"] == len(story_list)
            assert counts["suggestions"] == len(shared[0]) and counts["votes"] == len(shared[1])
            assert counts["comment_reports"] == len(reports)
            assert counts["community_left_out"] == 0
            again = userdata.export_user(elsewhere, user=ann_there)
            elsewhere.close()
        finally:
            outer.rollback()
    assert again == first


def test_an_import_that_does_not_fit_is_refused_whole(session, bank, users):
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 50, "An answer.", [True, False, False], 3, "easy")],
         [("A story", "", "I did it.", [])], [])
    document = userdata.export_user(session, user=ann)
    with pytest.raises(userdata.ImportRejected, match="already has") as rejected:
        userdata.import_user(session, user=ann, document=document)
    assert rejected.value.status == 409
    broken = {**document, "attempts": [{**document["attempts"][0], "question": {"bank": "gone", "question": "q"}}]}
    with pytest.raises(userdata.ImportRejected, match="not on this server"):
        userdata.import_user(session, user=bob, document=broken)
    for bad, message in [({}, "not a Rehearse user-data document"), ({**document, "version": 9}, "version 9"),
                         ({**document, "cards": [{"question": document["cards"][0]["question"]}]}, "missing")]:
        with pytest.raises(userdata.ImportRejected, match=message):
            userdata.import_user(session, user=bob, document=bad)
    assert userdata.export_user(session, user=bob)["attempts"] == []


def _changed(path: str, value):
    """The document with the value at a dotted path (list indexes as numbers) replaced."""

    def change(document: dict) -> dict:
        *steps, last = [int(step) if step.isdigit() else step for step in path.split(".")]
        holder = document
        for step in steps:
            holder = holder[step]
        holder[last] = value
        return document

    return change


# What no path of the app makes, each found in an import by the outside tester (all but the last two were loaded).
NEVER_MADE = [
    ("attempts.0.score", 1000, "attempt 1: score is 0 to 100, not 1000"),
    ("attempts.0.score", -50, "attempt 1: score is 0 to 100, not -50"),
    ("attempts.0.duration_s", -100.0, "attempt 1: duration_s is at least 0, not -100.0"),
    ("attempts.0.mode", "telepathy", "attempt 1: mode is 'typed' or 'spoken', not 'telepathy'"),
    ("attempts.0.grade", "superb", "attempt 1: grade is 'excellent' or 'strong'"),
    ("attempts.0.answer", " ", "attempt 1: answer is empty"),
    ("attempts.0.created_at", "2999-01-01T00:00:00+00:00", "attempt 1: created_at is in the future (2999-01-01"),
    ("cards.0.stability", -5.0, "card 1: stability is at least 0, not -5.0"),
    ("cards.0.log.0.rating", 9, "card 1, review 1: rating is 1 or 2 or 3 or 4, not 9"),
    ("mocks.0.seconds_per_answer", 0, "mock 1: seconds_per_answer is 30 to 900, not 0"),
    ("mocks.0.question_count", 1000, "mock 1: question_count is 1 to 15, not 1000"),
    ("mocks.0.status", "zombie", "mock 1: status is 'in_progress' or 'finished', not 'zombie'"),
    ("mocks.0.items.0.score", 101, "mock 1, item 1: score is 0 to 100, not 101"),
    ("stories.0.title", "", "story 1: Give the story a title; nothing was imported."),
    ("stories.0.tags", ["a,b"], "story 1: A tag cannot hold a comma ('a,b')"),
    ("stories.0.title", "\u200b\u2060", "story 1: Give the story a title"),
    ("stories.0.competencies", ["\u00a0"], "story 1: Competency 1 is empty"),
    ("plans.0.items.0.last_score", 250, "plan 1, item 1: last_score is 0 to 100, not 250"),
    # A missing or misshapen field names its item, never a Python exception (KeyError: 'question').
    ("attempts.0.question", None, 'attempt 1: question is {"bank": …, "question": …}, not None'),
    ("attempts.0.question", {"bank": "b"}, 'attempt 1: question is {"bank": …, "question": …}, not {\'bank\''),
    ("attempts.0.tries_again", [1], "attempt 1: tries_again is an item's number (a whole number from 1) or null"),
    ("attempts.0.number", "1", "attempt 1: number is an item's number (a whole number from 1), not '1'"),
    ("cards.0.question", None, 'card 1: question is {"bank": …, "question": …}, not None'),
    ("cards.0.log.0.attempt", {}, "card 1, review 1: attempt is an item's number"),
    ("mocks.0.items.0.question", 7, 'mock 1, item 1: question is {"bank": …, "question": …}, not 7'),
    ("mocks.0.role", "r", 'mock 1: role is {"bank": …, "role": …}, not \'r\''),
    ("mocks.0.bank", 3, "mock 1: bank is text or null, not 3"),
    ("plans.0.items.0.question", [], 'plan 1, item 1: question is {"bank": …, "question": …}, not []'),
    ("user.display_name", " \u200b ", "the document: user.display_name is empty"),
    ("user.display_name", "x" * 121, "the document: user.display_name is at most 120 characters, not 121"),
]

# Each item kind with a field the loader reads left out: the refusal names the item and the field.
MISSING = [("attempts.0", "question", "attempt 1: question is missing"),
           ("attempts.0", "report", "attempt 1: report is missing"),
           ("cards.0", "due", "card 1: due is missing"),
           ("cards.0.log.0", "attempt", "card 1, review 1: attempt is missing"),
           ("stories.0", "updated_at", "story 1: updated_at is missing"),
           ("mocks.0", "summary", "mock 1: summary is missing"),
           ("mocks.0.items.0", "question", "mock 1, item 1: question is missing"),
           ("plans.0", "role", "plan 1: role is missing"),
           ("plans.0.items.0", "question", "plan 1, item 1: question is missing")]


@pytest.mark.parametrize(("path", "key", "message"), MISSING, ids=[f"{p}.{k}" for p, k, _ in MISSING])
def test_a_missing_field_is_named_with_its_item(session, bank, users, path, key, message):
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 55, "An answer.", [True, False, False], 3, "easy")],
         [("A story", "The scene.", "I did it.", ["hiring"])], [(2, 7, True, 2)], plan_count=1)
    document = userdata.export_user(session, user=ann)
    holder = document
    for step in path.split("."):
        holder = holder[int(step) if step.isdigit() else step]
    del holder[key]
    with pytest.raises(userdata.ImportRejected) as rejected:
        userdata.import_user(session, user=bob, document=document)
    assert str(rejected.value) == f"{message}; nothing was imported."
    assert "Error" not in str(rejected.value)


def test_an_import_restores_the_display_name(session, bank, users):
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 55, "An answer.", [True, False, False], 3, "easy")], [], [])
    accounts.rename(session, user=ann, display_name="Ann   Example")
    document = userdata.export_user(session, user=ann)
    userdata.import_user(session, user=bob, document=document)
    assert userdata.export_user(session, user=bob)["user"]["display_name"] == "Ann Example"


@pytest.mark.parametrize(("path", "value", "message"), NEVER_MADE, ids=[f"{p}={v!r}" for p, v, _ in NEVER_MADE])
def test_an_import_holds_only_what_the_app_could_have_made(session, bank, users, path, value, message):
    """The same ranges and names as the paths that create each thing, the item named; all or nothing."""
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 55, "An answer.", [True, False, False], 3, "easy")],
         [("A story", "The scene.", "I did it.", ["hiring"])], [(2, 7, True, 2)], plan_count=1)
    document = _changed(path, value)(userdata.export_user(session, user=ann))
    empty = userdata.export_user(session, user=bob)
    with pytest.raises(userdata.ImportRejected) as rejected:
        userdata.import_user(session, user=bob, document=document)
    assert str(rejected.value).startswith(message) and str(rejected.value).endswith("nothing was imported.")
    assert ".;" not in str(rejected.value)  # "story 1: Give the story a title; nothing was imported."
    assert rejected.value.status == 422 and userdata.export_user(session, user=bob) == empty


def test_deleting_an_account_deletes_everything_in_it(session, bank, users):
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 50, "Ann's answer.", [True, False, False], 3, "easy"),
                                           (1, 90, "Another.", [True, True, True], 1, None)],
         [("Ann's story", "", "I did it.", ["hiring"])], [(2, 5, True, 3)], plan_count=1)
    fill(session, bob, bank["questions"], [(0, 60, "Bob's answer.", [True, False, False], 2, None)], [], [])
    eve = accounts.create_user(session, email="eve@example.com", password_hash="-")
    accounts.set_role(session, email=eve.email, role="editor")
    fill_community(session, ann, bob, eve, bank["questions"],
                   ([(0, "edit", "pending", "Clearer."), (1, "edit", "accepted", "Better.")], [(2, 1), (3, -1)],
                    [(True, "On mine."), (False, "On Bob's.")], True, True, False, ("Rude.", "Mine.")))
    assert userdata.export_user(session, user=ann)["community"]["comment_reports"]
    accounts.start_session(session, user=ann)
    accounts.create_token(session, user=ann, name="laptop")
    userdata.delete_account(session, user=ann)
    session.expire_all()
    tables = inspect(session.connection()).get_table_names()
    left = {}
    for table in tables:
        columns = {c["name"] for c in inspect(session.connection()).get_columns(table)}
        for column in ("user_id", "author_id") if table != "users" else ("id",):
            if column in columns:
                count = session.execute(text(f'SELECT count(*) FROM "{table}" WHERE {column} = :id'),
                                        {"id": ann.id}).scalar()
                if count:
                    left[f"{table}.{column}"] = count
    assert left == {}
    assert session.execute(text("SELECT count(*) FROM mock_items")).scalar() == 0  # via the mocks
    assert len(userdata.export_user(session, user=bob)["attempts"]) == 1  # Bob keeps his
    # Bob's suggestions and comment no longer count Ann's votes, comment and report.
    bobs = session.query(Suggestion).filter_by(author_id=bob.id).order_by(Suggestion.id).all()
    assert [(s.votes, s.up, s.down, s.comment_count) for s in bobs] == [(0, 0, 0, 1), (0, 0, 0, 0)]
    assert [c.reports for c in session.query(Comment).filter_by(author_id=bob.id)] == [0]


def test_community_data_on_someone_elses_missing_suggestion_is_left_out_and_said(session, other_rehearse):
    here = session.begin_nested()
    try:
        questions = make_bank(session)["questions"]
        ann, bob, eve = people(session)
        fill_community(session, ann, bob, eve, questions,
                       ([(0, "edit", "rejected", "Clearer."), (1, "new_question", "pending", "Missing topic.")],
                        [(2, 1), (3, -1)], [(True, "On mine."), (True, "A follow-up."), (False, "On Bob's.")],
                        True, False, False, ("Rude.", "Mine, off topic.")))
        document = userdata.export_user(session, user=ann)
    finally:
        here.rollback()
    shared = document["community"]
    text = repr({**document, "community": {**shared, "notifications": []}})  # a message may name who commented
    assert "Bob Secret" not in text and "bob@example.com" not in text and "Eve Editor" not in text
    assert "Bob's comment." not in text  # his comment on her suggestion is his; her notification about it stays
    assert [n["kind"] for n in shared["notifications"]] == ["rejected", "commented"]
    assert shared["comments"][1]["reply_to"] == 1 and shared["comments"][2]["on"]["kind"] == "edit"
    assert [(r["comment"], r["reason"]) for r in shared["comment_reports"]] == [
        ({"on": shared["votes"][0]["on"], "created_at": shared["comment_reports"][0]["comment"]["created_at"]},
         "Rude."), ({"mine": 1}, "Mine, off topic.")]
    assert "Bob on his own." not in text  # a report names the comment, it does not copy it
    with other_rehearse.engine.connect() as connection:
        outer = connection.begin()
        try:
            elsewhere = Session(bind=connection)
            make_bank(elsewhere)
            ann_there = accounts.create_user(elsewhere, email="ann@example.com", password_hash="-")
            counts = userdata.import_user(elsewhere, user=ann_there, document=document)
            # Bob's two suggestions are not here: Ann's two votes, her comment on one and her report of Bob's
            # comment on it are left out; her report of her own comment is kept.
            assert (counts["suggestions"], counts["comments"], counts["votes"], counts["notifications"],
                    counts["comment_reports"], counts["community_left_out"]) == (2, 2, 0, 2, 1, 4)
            mine = elsewhere.query(Suggestion).filter_by(author_id=ann_there.id).order_by(Suggestion.id).all()
            assert [(s.kind, s.status, s.comment_count, s.votes) for s in mine] == \
                [("edit", "rejected", 2, 0), ("new_question", "pending", 0, 0)]
            assert community.unread_count(elsewhere, user_id=ann_there.id) == 2
            again = userdata.export_user(elsewhere, user=ann_there)["community"]
            assert again["suggestions"] == shared["suggestions"] and again["votes"] == []
            assert again["comments"] == shared["comments"][:2]
            assert again["comment_reports"] == shared["comment_reports"][1:]
            assert [c.reports for c in elsewhere.query(Comment).order_by(Comment.id)] == [1, 0]
        finally:
            outer.rollback()


@pytest.mark.parametrize(("change", "message"), [
    (lambda c: c["votes"].append({**c["votes"][0], "value": 5}), "a vote is 1 or -1"),
    (lambda c: c["suggestions"][0].update(kind="rename"), "does not exist"),
    (lambda c: c["comments"].append({**c["comments"][0], "number": 9, "on": {"mine": 42}}), "suggestion 42"),
    (lambda c: c["suggestions"][0].update(question={"bank": "gone", "question": "q"}), "not on this server"),
    (lambda c: c["suggestions"][0].update(created_at="yesterday"), "not an ISO date"),
    (lambda c: c["comment_reports"].append({**c["comment_reports"][0], "comment": {"mine": 7}}), "comment 7"),
    (lambda c: c["comment_reports"].append(c["comment_reports"][0]), "reported twice"),
])
def test_a_bad_community_part_is_refused_whole(session, bank, users, change, message):
    ann, bob = users
    eve = accounts.create_user(session, email="eve@example.com", password_hash="-")
    accounts.set_role(session, email=eve.email, role="editor")
    fill_community(session, ann, bob, eve, bank["questions"],
                   ([(0, "edit", "pending", "Clearer.")], [(1, 1)], [(True, "On mine.")], False, False, False,
                    (None, "Mine.")))
    document = userdata.export_user(session, user=ann)
    change(document["community"])
    # Ann's suggestion, still pending here, would refuse the copy in her document before the change is read
    community.withdraw(session, user=ann, suggestion_id=session.query(Suggestion).filter_by(author_id=ann.id).one().id)
    carol = accounts.create_user(session, email="carol@example.com", password_hash="-")
    with pytest.raises(userdata.ImportRejected, match=message):
        userdata.import_user(session, user=carol, document=document)
    assert userdata.export_user(session, user=carol)["community"] == {
        "suggestions": [], "comments": [], "votes": [], "notifications": [], "comment_reports": []}


def test_deleting_an_account_forgets_its_rate_limits(session, bank, users):
    """The buckets of failed sign-ins hold the e-mail address, and the community's limits the account's id:
    they go with the account, not a day later when old buckets are pruned."""
    from rehearse.throttle.models import Throttle

    ann, bob = users
    ann_email, ann_id = ann.email, ann.id
    for who in (ann, bob):
        with pytest.raises(accounts.AccountError):
            accounts.authenticate(session, email=who.email, password="not the password", client="10.0.0.1")
        session.add(Throttle(key=f"community-comments:user:{who.id}", hits=1, window_start=utcnow(),
                             last_at=utcnow()))
    session.flush()
    userdata.delete_account(session, user=ann)
    keys = set(session.scalars(select(Throttle.key)))
    assert not [k for k in keys if ann_email in k or k.endswith(f":user:{ann_id}")]
    assert f"signin-account:{bob.email}" in keys and f"community-comments:user:{bob.id}" in keys
    assert "signin-address:10.0.0.1" in keys  # the address's own count is nobody's account
