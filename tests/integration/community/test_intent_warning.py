"""An accepted change to the talking points warns the editor when the intent lists the points without it;
the intent itself is never rewritten."""

from __future__ import annotations

import pytest

from rehearse.bank import service as bank
from rehearse.community import service as community
from rehearse.community.intents import intent_warning
from rehearse.community.schemas import SuggestionRead

from .conftest import POINTS, bank_doc

LISTING = ("Employers ask this to see how you plan. In your answer, outline a phased approach, key trade-offs, "
           "and ties to company OKRs.")
DIVERSITY = "how you keep diversity in the pipeline"


@pytest.fixture
def listing_question(session):
    bank.import_bank(session, bank_doc(intent=LISTING))
    session.flush()
    return bank.get_question(session, "strategy")


def suggest(session, author, question, **change):
    return community.suggest_edit(session, user=author, question_id=question.id, reason="Better.",
                                  accept_licence=True, **change)


@pytest.mark.parametrize(("intent", "new_points", "warned"), [
    (LISTING, [*POINTS, DIVERSITY], "does not name “how you keep diversity in the pipeline”"),
    (LISTING, list(POINTS[:2]), "still names “ties to company OKRs”, which the points no longer have"),
    (LISTING, [POINTS[1], POINTS[0], POINTS[2]], None),  # reordered: the intent names every one still
    (LISTING.replace("and ties", f"ties to company OKRs, and {DIVERSITY}. Also ties"), [*POINTS, DIVERSITY],
     None),  # the intent names the new point already
    ("Show how you plan a year.", [*POINTS, DIVERSITY], None),  # lists no points: nothing to keep in step
    (None, [*POINTS, DIVERSITY], None),
])
def test_the_warning_names_what_the_intent_lists_out_of_step(intent, new_points, warned):
    warning = intent_warning(intent, POINTS, new_points)
    assert (warning is None) == (warned is None)
    if warned:
        assert warned in warning and "may need the same change" in warning


def test_the_editor_deciding_a_new_point_is_told_the_intent_lists_the_points_without_it(
        session, listing_question, author, editor):
    suggestion = suggest(session, author, listing_question, talking_points=[*POINTS, DIVERSITY])
    view = community.view_suggestion(session, suggestion.id, viewer=editor)
    assert "does not name “how you keep diversity in the pipeline”" in view.intent_warning
    assert SuggestionRead.of_view(view).intent_warning == view.intent_warning  # GET /api/suggestions/N says it


def test_the_accept_response_warns_and_the_intent_is_left_as_it_was(session, listing_question, author, editor):
    suggestion = suggest(session, author, listing_question, talking_points=[*POINTS, DIVERSITY])
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    accepted = SuggestionRead.of_view(community.view_suggestion(session, suggestion.id, viewer=editor))
    assert "diversity" in accepted.intent_warning  # the body POST /api/suggestions/N/accept answers with
    assert community.current(session, listing_question.id).intent == LISTING


def test_an_edit_that_changes_only_the_answer_or_a_listing_intent_that_says_the_point_is_not_warned(
        session, listing_question, author, voter, editor):
    answer_only = suggest(session, author, listing_question, example_answer="A phased plan, with trade-offs.")
    both = suggest(session, voter, listing_question, talking_points=[*POINTS, DIVERSITY],
                   intent=LISTING.replace("and ties to company OKRs", f"ties to company OKRs, and {DIVERSITY}"))
    assert community.view_suggestion(session, answer_only.id).intent_warning is None
    assert community.view_suggestion(session, both.id).intent_warning is None


def test_the_warning_ends_once_a_newer_revision_follows_the_accepted_one(session, listing_question, author,
                                                                         voter, editor):
    suggestion = suggest(session, author, listing_question, talking_points=[*POINTS, DIVERSITY])
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    fix = suggest(session, voter, listing_question,
                  intent=LISTING.replace("and ties to company OKRs", f"ties to company OKRs, and {DIVERSITY}"))
    community.accept(session, editor=editor, suggestion_id=fix.id)
    assert community.view_suggestion(session, suggestion.id).intent_warning is None
