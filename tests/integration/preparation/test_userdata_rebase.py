"""A pending suggestion in a user's document, imported into another Rehearse: its base is the text the author
saw, not the source's revision number. It is re-based onto the newest revision here that says that text
(stale when this question has moved on since), or keeps that text as its base when no revision here ever said
it; the three-way difference is then against what the author saw, and accepting never overwrites a newer text."""

from contextlib import contextmanager

import pytest

from rehearse.community import service as community
from rehearse.community.models import Suggestion
from rehearse.community.rules import Conflict
from rehearse.userdata import service as userdata

SOURCE = "We paged the on-call lead. We told customers within the hour. We added a runbook."
ANN = "We paged the on-call lead at once. We told customers within the hour. We added a runbook."



def revise(session, question, *texts):
    """New revisions of the question's example answer, as imports or accepted edits make them."""
    for text in texts:
        now = community.current(session, question.id)
        community.write_revision(session, question, now, {"example_answer": text, "intent": now.intent,
                                                          "talking_points": list(now.talking_points)},
                                 author_id=None, source="import", note=None)


@contextmanager
def another_server(session):
    """What is done inside is rolled back afterwards, so this database then plays the other Rehearse."""
    elsewhere = session.begin_nested()
    try:
        yield
    finally:
        elsewhere.rollback()


def document_from_elsewhere(session, question, ann):
    """Ann's document from a server where the question's revision 2 says SOURCE and she suggested ANN on it."""
    with another_server(session):
        revise(session, question, SOURCE)
        made = community.suggest_edit(session, user=ann, question_id=question.id, reason="Say it was at once.",
                                      accept_licence=True, example_answer=ANN)
        assert made.base_revision == 2
        return userdata.export_user(session, user=ann)


def imported(session, ann, document) -> Suggestion:
    userdata.import_user(session, user=ann, document=document)
    return session.query(Suggestion).filter_by(author_id=ann.id).one()


def test_the_document_names_the_base_by_its_text(session, bank, users):
    ann, _ = users
    document = document_from_elsewhere(session, bank["questions"][0], ann)
    (suggestion,) = document["community"]["suggestions"]
    assert document["version"] >= 2 and "base_revision" not in suggestion
    assert suggestion["base"]["example_answer"] == SOURCE and suggestion["example_answer"] == ANN


def test_the_same_text_under_another_number_is_rebased_and_not_stale(session, bank, users, editor):
    ann, _ = users
    question = bank["questions"][0]
    document = document_from_elsewhere(session, question, ann)
    revise(session, question, "Something else entirely.", SOURCE)  # here SOURCE is revision 3
    suggestion = imported(session, ann, document)
    assert (suggestion.base_revision, suggestion.imported_base) == (3, None)
    assert not community.view_suggestion(session, suggestion.id).stale
    assert community.accept(session, editor=editor, suggestion_id=suggestion.id).text == ANN


def test_a_base_this_question_has_moved_on_from_is_stale_and_merges(session, bank, users, editor):
    ann, _ = users
    question = bank["questions"][0]
    document = document_from_elsewhere(session, question, ann)
    revise(session, question, SOURCE, SOURCE.replace("a runbook.", "a runbook and a game day."))
    suggestion = imported(session, ann, document)
    assert suggestion.base_revision == 2
    view = community.view_suggestion(session, suggestion.id)
    assert view.stale and view.merge["example_answer"] == ANN.replace("a runbook.", "a runbook and a game day.")
    assert community.accept(session, editor=editor, suggestion_id=suggestion.id).text == view.merge["example_answer"]


def test_a_base_never_seen_here_is_kept_as_text_even_when_the_numbers_match(session, bank, users, editor):
    """Here revision 2 says something else than the source's revision 2: before, the suggestion looked current
    and accepting it wrote Ann's text over this server's revision 2."""
    ann, _ = users
    question = bank["questions"][0]
    document = document_from_elsewhere(session, question, ann)
    here = SOURCE.replace("told customers within the hour", "emailed customers the next day")
    revise(session, question, here)
    suggestion = imported(session, ann, document)
    assert suggestion.base_revision is None and suggestion.imported_base["example_answer"] == SOURCE
    view = community.view_suggestion(session, suggestion.id)
    assert view.stale and view.base.example_answer == SOURCE
    since = "".join(c.text for c in view.since["example_answer"] if c.op == "insert")  # what changed here
    assert "emailed" in since and "at once" not in since
    (item,) = [i for i in community.queue(session)[0] if i.id == suggestion.id]
    assert item.stale
    chunks = community.queue_diffs(session, [item])[item.id]["example_answer"]  # against what Ann saw
    changed = " ".join(c.text for c in chunks if c.op != "equal")
    assert "at once" in changed and "emailed" not in changed and "told" not in changed
    row = community.accept(session, editor=editor, suggestion_id=suggestion.id)
    assert row.revision == 3 and row.text == here.replace("lead.", "lead at once.")  # this server's edit kept
    again = userdata.export_user(session, user=ann)["community"]["suggestions"][0]
    assert again["base"] == document["community"]["suggestions"][0]["base"]


def test_an_overlapping_change_here_is_refused_not_overwritten(session, bank, users, editor):
    ann, _ = users
    question = bank["questions"][0]
    document = document_from_elsewhere(session, question, ann)
    revise(session, question, SOURCE.replace("the on-call lead.", "the on-call lead by phone."))
    suggestion = imported(session, ann, document)
    assert community.view_suggestion(session, suggestion.id).conflict
    with pytest.raises(Conflict, match="imported from another Rehearse"):
        community.accept(session, editor=editor, suggestion_id=suggestion.id)
    assert community.current(session, question.id).example_answer.endswith("by phone. We told customers within "
                                                                          "the hour. We added a runbook.")


def test_a_version_1_document_still_loads_and_its_unknown_base_never_overwrites(session, bank, users, editor):
    ann, _ = users
    question = bank["questions"][0]
    document = document_from_elsewhere(session, question, ann)
    (old,) = document["community"]["suggestions"]
    del old["base"]
    old["base_revision"] = 2  # a number on the server it came from
    revise(session, question, "Revision 2 here says something else.")
    suggestion = imported(session, ann, {**document, "version": 1})
    assert suggestion.base_revision is None and community.view_suggestion(session, suggestion.id).stale
    with pytest.raises(Conflict):
        community.accept(session, editor=editor, suggestion_id=suggestion.id)
