"""Who is told of a comment is decided by account, never by display name."""

from __future__ import annotations

from rehearse.community import service as community


def suggest(session, author, question):
    return community.suggest_edit(session, user=author, question_id=question.id, reason="Shorter.",
                                  accept_licence=True, example_answer="A shorter answer with a plan.")


def test_an_author_commenting_on_their_own_suggestion_is_not_told_of_it(session, question, author):
    suggestion = suggest(session, author, question)
    community.add_comment(session, user=author, suggestion_id=suggestion.id, body="One more thought.")
    assert community.notifications(session, user_id=author.id) == []


def test_another_account_with_the_authors_display_name_is_someone_else(session, question, author, voter):
    """After a data import one account may carry another's name: the comment is still another person's."""
    voter.display_name = author.display_name
    suggestion = suggest(session, author, question)
    community.add_comment(session, user=voter, suggestion_id=suggestion.id, body="Nice.")
    assert [n.kind for n in community.notifications(session, user_id=author.id)] == ["commented"]
