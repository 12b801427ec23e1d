"""An attempt records the revision its answer was scored against, even when an editor accepts a new
revision while the answer is being scored (scoring holds no transaction, so the two can overlap)."""

from __future__ import annotations

from rehearse.community import service as community
from rehearse.practice import service as practice
from rehearse.practice.queued_scoring import score_here

from .conftest import ANSWER

ATTEMPT = "I start from the company's goals and pick three bets, with their trade-offs, reviewed every quarter."


class AcceptingWhileScoring:
    """A scorer during whose work an editor accepts a suggestion (as another request would)."""

    def __init__(self, session, suggestion_id, editor):
        self.session, self.suggestion_id, self.editor = session, suggestion_id, editor

    def score(self, prepared, answer):
        report = score_here(prepared, answer, backend="lexical")
        community.accept(self.session, editor=self.editor, suggestion_id=self.suggestion_id)
        return report


def test_an_attempt_keeps_the_revision_it_was_scored_against_when_one_is_accepted_meanwhile(
        session, question, author, editor):
    suggestion = community.suggest_edit(session, user=author, question_id=question.id, reason="Shorter.",
                                        accept_licence=True, example_answer=ANSWER + " Each bet has an owner.",
                                        talking_points=["a phased approach", "an owner for each bet"])
    report = practice.score(session, question=question, answer=ATTEMPT, max_chars=20_000,
                            scorer=AcceptingWhileScoring(session, suggestion.id, editor))
    assert community.current(session, question.id).revision == 2  # accepted while the answer was scored
    assert [p["point"] for p in report["talking_points"]] == list(community.revision(session, question.id, 1)
                                                                    .talking_points)
    attempt = practice.record(session, user=author, question=question, answer=ATTEMPT, report=report)
    assert attempt.example_revision == 1
    again = practice.record(session, user=author, question=question, answer=ATTEMPT,
                            report=practice.score(session, question=question, answer=ATTEMPT, max_chars=20_000,
                                                  backend="lexical"))
    assert again.example_revision == 2  # and it is scored against revision 2's talking points
    assert [p["point"] for p in again.report["talking_points"]] == ["a phased approach", "an owner for each bet"]
