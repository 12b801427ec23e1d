"""An attempt in a user's document names the revision it was scored against by what that revision said, not
by its number (numbers differ between servers). On import it is linked to the newest revision here that says
the same; where none does, the attempt keeps its report and names no revision, rather than a wrong one."""

import pytest

from rehearse.practice import service as practice
from rehearse.practice.models import Attempt
from rehearse.userdata import service as userdata

from .conftest import fake_report
from .test_userdata_rebase import SOURCE, another_server, revise


def document_scored_elsewhere(session, question, ann, *texts):
    """Ann's document from a server where her answer was scored against revision 1 + len(texts) (saying
    texts[-1])."""
    with another_server(session):
        revise(session, question, *texts)
        attempt = practice.record(session, user=ann, question=question, answer="We paged on-call.",
                                  report=fake_report(60))
        assert attempt.example_revision == 1 + len(texts)
        return userdata.export_user(session, user=ann)


def imported_attempt(session, ann, document) -> Attempt:
    userdata.import_user(session, user=ann, document=document)
    return session.query(Attempt).filter_by(user_id=ann.id).one()


def test_the_document_names_the_scored_revision_by_what_it_said(session, bank, users):
    ann, _ = users
    question = bank["questions"][0]
    first = document_scored_elsewhere(session, question, ann, SOURCE)
    (attempt,) = first["attempts"]
    assert first["version"] == userdata.VERSION and "example_revision" not in attempt
    assert isinstance(attempt["scored_against"], str) and SOURCE not in attempt["scored_against"]
    again = document_scored_elsewhere(session, question, ann, "Another text first.", SOURCE)
    assert again["attempts"][0]["scored_against"] == attempt["scored_against"]  # same text, another number


def test_it_is_linked_to_the_revision_here_that_says_the_same(session, bank, users):
    ann, _ = users
    question = bank["questions"][0]
    document = document_scored_elsewhere(session, question, ann, SOURCE)  # revision 2 there
    revise(session, question, "Something else.", SOURCE, "Newer still.")  # here SOURCE is revision 3
    attempt = imported_attempt(session, ann, document)
    assert attempt.example_revision == 3
    assert userdata.export_user(session, user=ann)["attempts"] == document["attempts"]


def test_a_revision_never_said_here_leaves_the_attempt_without_one(session, bank, users):
    ann, _ = users
    question = bank["questions"][0]
    document = document_scored_elsewhere(session, question, ann, SOURCE)
    revise(session, question, "Revision 2 here says something else.")
    attempt = imported_attempt(session, ann, document)
    assert attempt.example_revision is None and attempt.score == 60


def test_an_older_document_without_it_loads_without_a_revision(session, bank, users):
    ann, _ = users
    question = bank["questions"][0]
    document = document_scored_elsewhere(session, question, ann, SOURCE)
    revise(session, question, SOURCE)
    del document["attempts"][0]["scored_against"]
    attempt = imported_attempt(session, ann, {**document, "version": 3})
    assert attempt.example_revision is None


@pytest.mark.parametrize("bad", [12, ["a"], "f" * 65])
def test_a_misshapen_fingerprint_is_refused_whole(session, bank, users, bad):
    ann, _ = users
    document = document_scored_elsewhere(session, bank["questions"][0], ann, SOURCE)
    document["attempts"][0]["scored_against"] = bad
    with pytest.raises(userdata.ImportRejected, match="scored_against"):
        userdata.import_user(session, user=ann, document=document)
    assert session.query(Attempt).filter_by(user_id=ann.id).count() == 0
