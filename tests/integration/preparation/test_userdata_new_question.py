"""A suggested new question in a user's document keeps the kind and competencies its author gave, and an import
checks them by the rules the suggestion form applies: a bad one is refused whole, naming the field."""

import pytest

from rehearse.community import service as community
from rehearse.community.models import Suggestion
from rehearse.practice import service as practice
from rehearse.userdata import service as userdata

from .conftest import fake_report
from .test_userdata_rebase import another_server


def document_from_elsewhere(session, bank, ann, **given):
    """Ann's document from a server where she answered a question and suggested a new one (with `given`)."""
    with another_server(session):
        practice.record(session, user=ann, question=bank["questions"][0], answer="We paged on-call.",
                        report=fake_report(60))
        community.suggest_question(session, user=ann, role_id=bank["role"].id, reason="Missing topic.",
                                   accept_licence=True, text="How do you run a blameless post-mortem?",
                                   talking_points=["a timeline", "actions with owners"], example_answer="An answer.",
                                   **given)
        return userdata.export_user(session, user=ann)


def test_the_kind_and_competencies_the_author_gave_are_exported_and_load_back(session, bank, users):
    ann, _ = users
    document = document_from_elsewhere(session, bank, ann, kind="situational",
                                       competencies=["incidents", "People management"])
    (suggestion,) = document["community"]["suggestions"]
    assert suggestion["question_kind"] == "situational"
    assert suggestion["competencies"] == ["incidents", "people-management"]  # as the form stores them
    userdata.import_user(session, user=ann, document=document)
    loaded = session.query(Suggestion).filter_by(author_id=ann.id).one()
    assert (loaded.question_kind, loaded.competencies) == ("situational", ["incidents", "people-management"])
    assert userdata.export_user(session, user=ann)["community"] == document["community"]


def test_none_given_is_null_and_left_to_acceptance_as_before(session, bank, users):
    ann, _ = users
    document = document_from_elsewhere(session, bank, ann)
    (suggestion,) = document["community"]["suggestions"]
    assert suggestion["question_kind"] is None and suggestion["competencies"] is None
    del suggestion["question_kind"], suggestion["competencies"]  # as versions 1 to 4 wrote it
    userdata.import_user(session, user=ann, document={**document, "version": 4})
    loaded = session.query(Suggestion).filter_by(author_id=ann.id).one()
    assert (loaded.question_kind, loaded.competencies) == (None, None)


def test_an_edit_suggestion_has_neither(session, bank, users):
    ann, _ = users
    with another_server(session):
        community.suggest_edit(session, user=ann, question_id=bank["questions"][0].id, reason="Clearer.",
                               accept_licence=True, example_answer="A clearer answer.")
        (suggestion,) = userdata.export_user(session, user=ann)["community"]["suggestions"]
    assert suggestion["question_kind"] is None and suggestion["competencies"] is None


@pytest.mark.parametrize(("field", "value", "message"), [
    ("question_kind", "rhetorical", "question_kind: A question's kind is one of behavioural, situational, other"),
    ("question_kind", 3, "question_kind is text or null"),
    ("competencies", "incidents, hiring", "competencies is a list of text or null"),
    ("competencies", ["incidents", 7], "competencies is a list of text or null"),
    ("competencies", ["x" * 200], "competencies: A competency is 200 characters long"),
    ("competencies", [f"skill-{n}" for n in range(9)], "competencies: There are 9 competencies"),
    ("competencies", ["incidents, hiring"], "competencies: A competency is one name without commas"),
])
def test_a_kind_or_competencies_the_form_would_refuse_are_refused_whole(session, bank, users, field, value,
                                                                         message):
    ann, _ = users
    document = document_from_elsewhere(session, bank, ann)
    document["community"]["suggestions"][0][field] = value
    with pytest.raises(userdata.ImportRejected, match=f"suggestion 1: {message}") as refused:
        userdata.import_user(session, user=ann, document=document)
    assert "Nothing was imported" in str(refused.value)
    left = userdata.export_user(session, user=ann)
    assert left["attempts"] == [] and left["community"]["suggestions"] == []  # nothing half-written


def test_an_edit_suggestion_given_a_kind_is_refused(session, bank, users):
    ann, _ = users
    with another_server(session):
        community.suggest_edit(session, user=ann, question_id=bank["questions"][0].id, reason="Clearer.",
                               accept_licence=True, example_answer="A clearer answer.")
        document = userdata.export_user(session, user=ann)
    document["community"]["suggestions"][0]["question_kind"] = "behavioural"
    with pytest.raises(userdata.ImportRejected, match="suggestion 1: question_kind is given to a suggested new "
                                                      "question only"):
        userdata.import_user(session, user=ann, document=document)
    assert session.query(Suggestion).filter_by(author_id=ann.id).count() == 0
