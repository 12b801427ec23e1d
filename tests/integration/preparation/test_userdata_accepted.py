"""An accepted suggestion in a user's document, imported into another Rehearse: "accepted as revision N" names
a revision of the server it was accepted on, which here may say something else or not exist. The document
carries the text that acceptance made instead; on import the suggestion is linked to the first revision here
that says exactly that text, and when none does it keeps no number (and the text, so it exports the same)."""


from rehearse.community import service as community
from rehearse.community.models import Suggestion
from rehearse.userdata import service as userdata

from .test_userdata_rebase import ANN, SOURCE, another_server, revise


def accepted_elsewhere(session, question, ann, editor):
    """Ann's document from a server where her edit of SOURCE (revision 2) was accepted as revision 3 there."""
    with another_server(session):
        revise(session, question, SOURCE)
        made = community.suggest_edit(session, user=ann, question_id=question.id, reason="Say it was at once.",
                                      accept_licence=True, example_answer=ANN)
        assert community.accept(session, editor=editor, suggestion_id=made.id).revision == 3
        return userdata.export_user(session, user=ann)


def imported(session, ann, document) -> Suggestion:
    userdata.import_user(session, user=ann, document=document)
    return session.query(Suggestion).filter_by(author_id=ann.id).one()


def test_the_document_carries_the_accepted_text_not_the_number(session, bank, users, editor):
    ann, _ = users
    document = accepted_elsewhere(session, bank["questions"][0], ann, editor)
    (suggestion,) = document["community"]["suggestions"]
    assert suggestion["status"] == "accepted" and "revision" not in suggestion
    assert suggestion["accepted"]["example_answer"] == ANN
    assert suggestion["accepted"]["talking_points"] == list(bank["questions"][0].talking_points)


def test_it_is_linked_to_the_revision_here_that_says_the_accepted_text(session, bank, users, editor):
    ann, _ = users
    question = bank["questions"][0]
    document = accepted_elsewhere(session, question, ann, editor)
    revise(session, question, "Something else.", "Something else again.", ANN, SOURCE)  # here ANN is revision 4
    suggestion = imported(session, ann, document)
    assert suggestion.status == "accepted" and suggestion.revision == 4
    assert userdata.export_user(session, user=ann)["community"] == document["community"]


def test_a_number_that_says_something_else_here_is_dropped_and_the_text_kept(session, bank, users, editor):
    """Before, the suggestion said "accepted as revision 3" here, where revision 3 is someone else's text."""
    ann, _ = users
    question = bank["questions"][0]
    document = accepted_elsewhere(session, question, ann, editor)
    revise(session, question, "Revision 2 here.", "Revision 3 here says something else.")
    suggestion = imported(session, ann, document)
    assert suggestion.status == "accepted" and suggestion.revision is None
    assert userdata.export_user(session, user=ann)["community"] == document["community"]  # nothing lost
    view = community.view_suggestion(session, suggestion.id)
    assert view.suggestion.revision is None


def test_an_older_document_without_the_text_loads_without_the_number(session, bank, users, editor):
    ann, _ = users
    question = bank["questions"][0]
    document = accepted_elsewhere(session, question, ann, editor)
    (old,) = document["community"]["suggestions"]
    old.pop("accepted")
    old["revision"] = 3  # version 2 named the revision on the server it came from
    revise(session, question, "Revision 2 here.", "Revision 3 here says something else.")
    suggestion = imported(session, ann, {**document, "version": 2})
    assert suggestion.status == "accepted" and suggestion.revision is None
