"""Reverting tells the authors whose accepted changes it undoes, once each, and no one else."""

from __future__ import annotations

from rehearse.community import service as community

from .conftest import ANSWER, POINTS

SHORTER = "I map the company's goals to three engineering bets and review them every quarter."


def accepted(session, question, author, editor, **change):
    suggestion = community.suggest_edit(session, user=author, question_id=question.id, reason="Better.",
                                        accept_licence=True, **change)
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    return suggestion


def kinds(session, user):
    return [n.kind for n in community.notifications(session, user_id=user.id)]


def test_the_author_of_an_undone_change_is_told_who_undid_it_and_why(session, question, author, editor):
    suggestion = accepted(session, question, author, editor, example_answer=SHORTER)
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Too terse.")
    reverted, was_accepted = community.notifications(session, user_id=author.id)
    assert (reverted.kind, was_accepted.kind) == ("reverted", "accepted")
    assert reverted.suggestion_id == suggestion.id
    assert "was reverted by an editor" in reverted.message and "Too terse." in reverted.message
    assert "revision 2" in reverted.message and "12-month engineering strategy" in reverted.message


def test_each_author_is_told_once_and_an_author_whose_change_stands_is_not_told(session, question, author,
                                                                                 voter, editor):
    accepted(session, question, author, editor, example_answer=SHORTER)  # revision 2
    accepted(session, question, voter, editor, talking_points=[*POINTS, "how you keep diversity in the pipeline"])
    community.revert(session, editor=editor, question_id=question.id, to_revision=2, reason="Not a point.")
    assert kinds(session, voter) == ["reverted", "accepted"]
    assert kinds(session, author) == ["accepted"]  # revision 2 is what was restored: the answer stands


def test_an_author_whose_field_the_revert_leaves_as_it_is_is_not_told(session, question, author, voter, editor):
    """Revision 3 put the answer of revision 1 back and added a point: reverting to revision 1 undoes only the
    point, so the author of revision 2 (an answer revision 3 had replaced already) is not told."""
    accepted(session, question, author, editor, example_answer=SHORTER)  # revision 2
    accepted(session, question, voter, editor, example_answer=ANSWER,
             talking_points=[*POINTS, "how you keep diversity in the pipeline"])  # revision 3
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Back to the start.")
    assert kinds(session, voter) == ["reverted", "accepted"]
    assert kinds(session, author) == ["accepted"]


def test_an_editor_reverting_their_own_accepted_change_is_not_told_of_it(session, question, editor, admin):
    accepted(session, question, editor, admin, example_answer=SHORTER)
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="My mistake.")
    assert kinds(session, editor) == ["accepted"]


def test_a_revert_of_a_revert_tells_no_one_whose_change_it_brings_back(session, question, author, editor):
    accepted(session, question, author, editor, example_answer=SHORTER)
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Too terse.")
    community.revert(session, editor=editor, question_id=question.id, to_revision=2, reason="It was fine.")
    assert kinds(session, author) == ["reverted", "accepted"]
