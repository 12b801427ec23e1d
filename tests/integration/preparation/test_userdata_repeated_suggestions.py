"""A document cannot bring in a pending suggestion that one already pending here proposes: the suggestion
forms answer "Suggestion #N already proposes exactly this", and an import checks by the same rules."""

import pytest

from rehearse.community import service as community
from rehearse.community.models import Suggestion
from rehearse.userdata import service as userdata


def _refused_whole(session, user, document, message):
    with pytest.raises(userdata.ImportRejected, match=message) as refused:
        userdata.import_user(session, user=user, document=document)
    assert "Nothing was imported" in str(refused.value)
    assert session.query(Suggestion).filter_by(author_id=user.id).count() == 0


def test_a_pending_edit_already_proposed_here_is_refused(session, bank, users):
    ann, bob = users
    made = community.suggest_edit(session, user=ann, question_id=bank["questions"][0].id, reason="Clearer.",
                                  accept_licence=True, example_answer="A clearer answer.")
    document = userdata.export_user(session, user=ann)
    _refused_whole(session, bob, document, f"suggestion 1: Suggestion #{made.id} already proposes exactly this")

    community.withdraw(session, user=ann, suggestion_id=made.id)  # no longer pending: nothing repeats it
    userdata.import_user(session, user=bob, document=document)
    assert session.query(Suggestion).filter_by(author_id=bob.id, status="pending").count() == 1


def _suggested_question(session, bank, ann):
    """Ann's pending suggestion of a new question for the role, and her document that holds it."""
    made = community.suggest_question(session, user=ann, role_id=bank["role"].id, reason="Missing topic.",
                                      accept_licence=True, text="How do you run a blameless post-mortem?",
                                      talking_points=["a timeline"])
    return made, userdata.export_user(session, user=ann)


def test_a_pending_new_question_already_proposed_for_the_role_is_refused(session, bank, users):
    ann, bob = users
    made, document = _suggested_question(session, bank, ann)
    document["community"]["suggestions"][0]["question_text"] = "How do you run a  BLAMELESS post-mortem?"
    _refused_whole(session, bob, document, f"suggestion 1: Suggestion #{made.id} already proposes that question")


def test_a_pending_new_question_the_role_has_since_gained_still_loads(session, bank, users):
    """Refusing the whole document for it would keep a user from their data; accepting it is refused later."""
    ann, bob = users
    made, document = _suggested_question(session, bank, ann)
    community.withdraw(session, user=ann, suggestion_id=made.id)
    document["community"]["suggestions"][0]["question_text"] = bank["questions"][0].text  # the role has it
    assert userdata.import_user(session, user=bob, document=document)["suggestions"] == 1
