"""Suggest, vote, comment, moderate, revert and notify, through the service, on SQLite and PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from rehearse.bank import service as bank
from rehearse.bank.models import utcnow
from rehearse.community import service as community

from .conftest import ANSWER, POINTS, bank_doc

NEW_ANSWER = ANSWER.replace("three engineering bets", "three engineering bets with explicit trade-offs")


def suggest(session, author, question, **fields):
    fields.setdefault("example_answer", NEW_ANSWER)
    return community.suggest_edit(session, user=author, question_id=question.id, reason="Names the trade-offs.",
                                  accept_licence=True, **fields)


def test_a_suggestion_records_its_base_and_only_the_fields_it_changes(session, question, author):
    suggestion = suggest(session, author, question)
    assert suggestion.status == "pending" and suggestion.base_revision == 1
    assert suggestion.example_answer == NEW_ANSWER
    assert suggestion.intent is None and suggestion.talking_points is None
    assert suggestion.licence == "CC-BY-SA-4.0"


def test_preview_shows_a_word_diff_and_the_engine_says_which_point_was_dropped(session, question):
    preview = community.preview_edit(session, question_id=question.id, example_answer="We hire people.",
                                     backend="lexical")
    deleted = "".join(c.text for c in preview.diffs["example_answer"] if c.op == "delete")
    assert "quarter" in deleted and preview.changed_fields == ["example_answer"]
    assert preview.report is not None and preview.report["missed"]
    assert "ties to company OKRs" in preview.report["missed"]


def test_the_engine_judges_a_small_improvement_on_topic(session, question):
    preview = community.preview_edit(session, question_id=question.id, backend="lexical",
                                     example_answer=ANSWER + " We tie each bet to a company OKR.")
    assert preview.report["on_topic"] is True and preview.report["grade"] != "off-topic"


@pytest.mark.parametrize(("fields", "message"), [
    ({"example_answer": ANSWER}, "changes nothing"),
    ({"example_answer": "   "}, "empty"),
    ({"example_answer": "x" * 1_000_000}, "most allowed is 20,000"),
    ({"talking_points": ["p"] * 50}, "most allowed is 20"),
])
def test_bad_suggestions_are_refused_with_the_reason(session, question, author, fields, message):
    with pytest.raises(community.CommunityError, match=message):
        suggest(session, author, question, **fields)


def test_a_suggestion_needs_a_reason_the_licence_and_a_question(session, question, author):
    with pytest.raises(community.CommunityError, match="reason is empty"):
        community.suggest_edit(session, user=author, question_id=question.id, reason=" ", accept_licence=True,
                               example_answer=NEW_ANSWER)
    with pytest.raises(community.CommunityError, match="CC-BY-SA-4.0"):
        community.suggest_edit(session, user=author, question_id=question.id, reason="r", accept_licence=False,
                               example_answer=NEW_ANSWER)
    with pytest.raises(community.NotFound, match="no question with id 987654"):
        community.suggest_edit(session, user=author, question_id=987654, reason="r", accept_licence=True,
                               example_answer=NEW_ANSWER)


def test_votes_one_per_user_changeable_never_on_ones_own(session, question, author, voter, editor):
    suggestion = suggest(session, author, question)
    community.vote(session, user=voter, suggestion_id=suggestion.id, value=1)
    community.vote(session, user=editor, suggestion_id=suggestion.id, value=1)
    again = community.vote(session, user=voter, suggestion_id=suggestion.id, value=1)
    assert (again.votes, again.up, again.down) == (2, 2, 0)
    changed = community.vote(session, user=voter, suggestion_id=suggestion.id, value=-1)
    assert (changed.votes, changed.up, changed.down) == (0, 1, 1)
    with pytest.raises(community.Forbidden, match="your own"):
        community.vote(session, user=author, suggestion_id=suggestion.id, value=1)


def test_accept_makes_a_new_revision_crediting_the_author_and_tells_them(session, question, author, editor):
    suggestion = suggest(session, author, question, talking_points=[*POINTS, "how you measure progress"])
    row = community.accept(session, editor=editor, suggestion_id=suggestion.id)
    assert row.revision == 2 and row.author_id == author.id and row.source == "suggestion"
    assert bank.current_example_answer(session, question.id) == NEW_ANSWER
    session.refresh(question)
    assert question.talking_points[-1] == "how you measure progress"
    assert community.unread_count(session, user_id=author.id) == 1
    assert "accepted as revision 2" in community.notifications(session, user_id=author.id)[0].message
    assert community.contributors(session) == [(author.display_name, 1)]
    with pytest.raises(community.Conflict, match="accepted already"):
        community.accept(session, editor=editor, suggestion_id=suggestion.id)


def test_an_editor_cannot_accept_their_own_suggestion_while_another_editor_can(session, question, editor, admin):
    own = suggest(session, editor, question)
    with pytest.raises(community.Forbidden, match="your own"):
        community.accept(session, editor=editor, suggestion_id=own.id)
    assert community.accept(session, editor=admin, suggestion_id=own.id).author_id == editor.id


def test_the_only_editor_of_an_installation_accepts_their_own_suggestion(session, question, editor):
    own = suggest(session, editor, question)
    assert community.accept(session, editor=editor, suggestion_id=own.id).revision == 2


def test_reject_needs_a_reason_that_the_author_sees(session, question, author, editor):
    suggestion = suggest(session, author, question)
    with pytest.raises(community.CommunityError, match="reason"):
        community.reject(session, editor=editor, suggestion_id=suggestion.id, reason="")
    community.reject(session, editor=editor, suggestion_id=suggestion.id, reason="Too long for a spoken answer.")
    mine = community.user_suggestions(session, user_id=author.id)
    assert mine[0].status == "rejected" and mine[0].decision_reason == "Too long for a spoken answer."
    assert community.author_records(session, [author.id])[author.id] == {"accepted": 0, "rejected": 1}


def test_candidates_cannot_moderate(session, question, author, voter):
    suggestion = suggest(session, author, question)
    for action in (lambda: community.accept(session, editor=voter, suggestion_id=suggestion.id),
                   lambda: community.reject(session, editor=voter, suggestion_id=suggestion.id, reason="no"),
                   lambda: community.revert(session, editor=voter, question_id=question.id, to_revision=1,
                                            reason="no")):
        with pytest.raises(community.Forbidden):
            action()


def test_a_stale_suggestion_merges_when_the_changes_do_not_overlap(session, question, author, voter, editor):
    first = suggest(session, author, question)
    second = community.suggest_edit(session, user=voter, question_id=question.id, reason="Shorter review.",
                                    accept_licence=True,
                                    example_answer=ANSWER.replace("every quarter", "every month"))
    community.accept(session, editor=editor, suggestion_id=first.id)
    view = community.view_suggestion(session, second.id)
    assert view.stale and view.conflict is None
    items, _ = community.queue(session)
    assert {item.id: item.stale for item in items if item.id == second.id} == {second.id: True}
    row = community.accept(session, editor=editor, suggestion_id=second.id)
    assert row.revision == 3
    assert "explicit trade-offs" in row.text and "every month" in row.text  # neither change is lost


def test_a_stale_suggestion_cannot_overwrite_a_newer_revision(session, question, author, voter, editor):
    first = suggest(session, author, question)
    rival = community.suggest_edit(session, user=voter, question_id=question.id, reason="Other bets.",
                                   accept_licence=True,
                                   example_answer=ANSWER.replace("engineering bets", "big wagers"))
    community.accept(session, editor=editor, suggestion_id=first.id)
    view = community.view_suggestion(session, rival.id)
    assert view.stale and view.conflict and "Revision 2" in view.conflict
    with pytest.raises(community.Conflict, match="changed the same part"):
        community.accept(session, editor=editor, suggestion_id=rival.id)
    assert bank.current_example_answer(session, question.id) == NEW_ANSWER
    # Edit, then accept against the current revision: the editor's merge is stored as revision 3.
    row = community.accept(session, editor=editor, suggestion_id=rival.id, edited_base=2, edited={
        "example_answer": NEW_ANSWER.replace("engineering bets", "big wagers")})
    assert row.revision == 3 and "three big wagers with explicit trade-offs" in row.text


def test_history_and_revert_keep_every_revision(session, question, author, editor):
    community.accept(session, editor=editor, suggestion_id=suggest(session, author, question).id)
    reverted = community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Vandalism")
    assert reverted.revision == 3 and reverted.reverted_from == 1 and reverted.text == ANSWER
    entries, total = community.history(session, question_id=question.id)
    assert total == 3 and [e.revision for e in entries] == [3, 2, 1]
    assert entries[0].source == "revert" and entries[1].author == author.display_name
    assert entries[1].changed == ("example_answer",)
    inserted = "".join(c.text for c in entries[1].diffs["example_answer"] if c.op == "insert")
    assert "explicit trade-offs" in inserted


def test_an_import_keeps_community_edits_unless_the_file_changed_that_field(session, question, author, editor):
    community.accept(session, editor=editor, suggestion_id=suggest(session, author, question).id)
    summary = bank.import_bank(session, bank_doc())  # the same file again
    assert summary.updated == 0 and bank.current_example_answer(session, question.id) == NEW_ANSWER
    summary = bank.import_bank(session, bank_doc(intent="Show how you plan a year and a half."))
    session.refresh(question)
    assert question.intent == "Show how you plan a year and a half."
    assert bank.current_example_answer(session, question.id) == NEW_ANSWER  # the edit survives
    assert not summary.warnings
    summary = bank.import_bank(session, bank_doc(answer="A rewritten answer from the file.",
                                                 intent="Show how you plan a year and a half."))
    assert bank.current_example_answer(session, question.id) == "A rewritten answer from the file."
    assert any("replacing a community edit" in str(w) for w in summary.warnings)
    entries, _ = community.history(session, question_id=question.id)
    assert [e.source for e in entries] == ["import", "import", "suggestion", "import"]


def test_comments_reports_hiding_and_no_replies_to_hidden_comments(session, question, author, voter, editor):
    suggestion = suggest(session, author, question)
    comment = community.add_comment(session, user=voter, suggestion_id=suggestion.id, body="**Good** change")
    assert community.unread_count(session, user_id=author.id) == 1
    community.report_comment(session, user=author, comment_id=comment.id, reason="spam")
    with pytest.raises(community.Conflict, match="already"):
        community.report_comment(session, user=author, comment_id=comment.id, reason="spam")
    [reported] = community.reported_comments(session)
    assert reported.comment.id == comment.id
    assert [(r.reporter, r.reason) for r in reported.reports] == [(author.display_name, "spam")]
    with pytest.raises(community.Forbidden):
        community.hide_comment(session, editor=voter, comment_id=comment.id, reason="x")
    community.hide_comment(session, editor=editor, comment_id=comment.id, reason="Off topic")
    with pytest.raises(community.Conflict, match="hidden"):
        community.add_comment(session, user=author, suggestion_id=suggestion.id, body="reply", reply_to=comment.id)


def test_rate_limits_count_rows_in_the_database(session, question, author):
    start = utcnow()
    for index in range(community.SUGGESTION_LIMIT.free):
        community.suggest_edit(session, user=author, question_id=question.id, reason="r", accept_licence=True,
                               example_answer=f"{ANSWER} Variant {index}.", now=start)
    with pytest.raises(community.RateLimited, match="Too many suggestions"):
        suggest(session, author, question, now=start + timedelta(minutes=1))
    later = start + community.SUGGESTION_LIMIT.window + timedelta(seconds=1)
    assert suggest(session, author, question, now=later).status == "pending"


def test_banning_withdraws_pending_suggestions(session, question, author, admin, editor):
    suggestion = suggest(session, author, question)
    with pytest.raises(community.Forbidden):
        community.ban(session, admin=editor, user_id=author.id, reason="spam")
    assert community.ban(session, admin=admin, user_id=author.id, reason="spam") == 1
    session.refresh(suggestion)
    assert suggestion.status == "withdrawn" and not author.active
    with pytest.raises(community.Forbidden, match="suspended"):
        suggest(session, author, question)


def test_suspending_a_suspended_account_or_reinstating_an_active_one_is_a_conflict(session, author, admin):
    """A second suspension answered as if it had worked ({"withdrawn": 0}); each says what the account is."""
    with pytest.raises(community.Conflict, match=f"{author.email} is not suspended") as active:
        community.reinstate(session, admin=admin, user_id=author.id)
    community.ban(session, admin=admin, user_id=author.id, reason="spam")
    with pytest.raises(community.Conflict, match=f"{author.email} is already suspended") as suspended:
        community.ban(session, admin=None, user_id=author.id, reason="spam again")
    assert active.value.status == suspended.value.status == 409
    assert community.reinstate(session, admin=admin, user_id=author.id).active


def test_a_suspended_accounts_votes_on_pending_suggestions_stop_counting(session, question, author, voter, admin,
                                                                         editor):
    """Suspending an account that pushed suggestions up takes its votes off the queue; a vote on a
    suggestion already decided is history and stays."""
    pending = suggest(session, author, question)
    decided = suggest(session, author, question, example_answer=ANSWER + " A second change.")
    community.vote(session, user=voter, suggestion_id=pending.id, value=1)
    community.vote(session, user=editor, suggestion_id=pending.id, value=1)
    community.vote(session, user=voter, suggestion_id=decided.id, value=1)
    community.reject(session, editor=editor, suggestion_id=decided.id, reason="Not needed")
    community.ban(session, admin=admin, user_id=voter.id, reason="sock puppet")
    session.refresh(pending)
    session.refresh(decided)
    assert (pending.votes, decided.votes) == (1, 1)
    community.reinstate(session, admin=admin, user_id=voter.id)
    community.vote(session, user=voter, suggestion_id=pending.id, value=-1)
    session.refresh(pending)
    assert pending.votes == 0

def test_admins_manage_editors(session, author, admin, editor):
    with pytest.raises(community.Forbidden):
        community.set_role(session, admin=editor, user_id=author.id, role="editor")
    assert community.set_role(session, admin=admin, user_id=author.id, role="editor").role == "editor"


def test_a_suggested_question_becomes_a_question_with_its_author_credited(session, question, author, editor):
    suggestion = community.suggest_question(
        session, user=author, role_id=question.role_id, text="How do you run incident reviews?", reason="Missing",
        accept_licence=True, intent="Show blameless reviews.", talking_points="blameless\nfollow-up actions",
        example_answer="We hold a blameless review within two days and track follow-up actions.")
    row = community.accept(session, editor=editor, suggestion_id=suggestion.id)
    created = bank.get_question(session, row.question_id)
    assert created.text == "How do you run incident reviews?" and created.talking_points == [
        "blameless", "follow-up actions"]
    assert row.author_id == author.id and bank.search(session, "incident reviews")[0].id == created.id


def test_the_bank_export_states_the_licence_and_credits_contributors(session, question, author, editor):
    from rehearse.formats import write

    community.accept(session, editor=editor, suggestion_id=suggest(session, author, question).id)
    doc = next(d for d in bank.export_bank(session) if d.name == "Community test bank")
    assert doc.licence == "CC-BY-SA-4.0" and doc.contributors == (author.display_name,)
    for fmt in ("json", "yaml", "markdown", "prep-sheet"):
        written = write(doc, fmt).decode()
        assert author.display_name in written and "CC-BY-SA-4.0" in written


def test_a_deleted_question_takes_its_suggestions_with_it_and_refuses_new_ones(session, question, author, editor):
    from rehearse.community.models import Suggestion

    suggestion_id = suggest(session, author, question).id
    session.delete(question)
    session.flush()
    session.expire_all()
    assert session.get(Suggestion, suggestion_id) is None
    with pytest.raises(community.NotFound, match="may have been deleted"):
        suggest(session, author, question)


def test_notifications_are_read_by_their_owner_only(session, question, author, voter, editor):
    suggestion = suggest(session, author, question)
    community.add_comment(session, user=voter, suggestion_id=suggestion.id, body="hello")
    community.reject(session, editor=editor, suggestion_id=suggestion.id, reason="no")
    mine = community.notifications(session, user_id=author.id)
    assert [n.kind for n in mine] == ["rejected", "commented"]
    assert community.mark_read(session, user_id=voter.id, ids=[n.id for n in mine]) == 0  # not voter's
    assert community.unread_count(session, user_id=author.id) == 2
    assert community.mark_read(session, user_id=author.id, ids=[mine[0].id]) == 1
    assert community.unread_count(session, user_id=author.id) == 1


def test_opening_a_notification_marks_that_one_read_for_its_owner_only(session, question, author, voter, editor):
    suggestion = suggest(session, author, question)
    community.add_comment(session, user=voter, suggestion_id=suggestion.id, body="hello")
    community.reject(session, editor=editor, suggestion_id=suggestion.id, reason="no")
    rejected, commented = community.notifications(session, user_id=author.id)
    with pytest.raises(community.NotFound, match="no notification"):
        community.open_notification(session, user_id=voter.id, notification_id=commented.id)
    opened = community.open_notification(session, user_id=author.id, notification_id=commented.id)
    assert opened.suggestion_id == suggestion.id
    assert community.unread_count(session, user_id=author.id) == 1
    assert rejected.read_at is None


def test_previews_are_refused_before_the_engine_runs_once_past_the_limit(session, question, author):
    start = utcnow()
    for _ in range(community.PREVIEW_LIMIT.free):
        community.preview_allowed(session, user=author, now=start)
        community.count_preview(session, user=author, now=start)
    with pytest.raises(community.RateLimited, match="Too many previews"):
        community.preview_allowed(session, user=author, now=start + timedelta(seconds=1))
    community.preview_allowed(session, user=author, now=start + community.PREVIEW_LIMIT.window)


def test_a_form_with_every_field_changes_only_what_was_edited(session, author):
    """A question without intent or example answer: empty form fields mean "none", not a change."""
    bank.import_bank(session, bank_doc(answer=None, intent=None))
    bare = bank.get_question(session, "strategy")
    suggestion = community.suggest_edit(session, user=author, question_id=bare.id, reason="One more point.",
                                        accept_licence=True, example_answer="", intent="",
                                        talking_points="\n".join([*POINTS, "how you measure progress"]))
    assert suggestion.talking_points[-1] == "how you measure progress"
    assert suggestion.example_answer is None and suggestion.intent is None


def test_the_queue_puts_most_votes_first_then_the_longest_waiting_with_each_authors_record(
        session, question, author, voter, editor):
    start = utcnow() - timedelta(hours=3)
    old, newer, popular = (
        suggest(session, author, question, example_answer=f"{ANSWER} Change {index}.",
                now=start + timedelta(minutes=index)) for index in range(3))
    community.vote(session, user=voter, suggestion_id=popular.id, value=1)
    community.reject(session, editor=editor, suggestion_id=suggest(session, author, question).id, reason="No")
    items, total = community.queue(session)
    assert total == 3 and [item.id for item in items] == [popular.id, old.id, newer.id]
    assert {(item.accepted, item.rejected) for item in items} == {(0, 1)}
    community.vote(session, user=voter, suggestion_id=popular.id, value=-1)  # changed: now the fewest votes
    assert [item.id for item in community.queue(session)[0]] == [old.id, newer.id, popular.id]


@pytest.mark.parametrize(("limit", "act"), [
    (community.COMMENT_LIMIT, lambda s, user, target, i: community.add_comment(
        s, user=user, suggestion_id=target.id, body=f"Comment {i}", now=utcnow())),
    (community.VOTE_LIMIT, lambda s, user, target, i: community.vote(
        s, user=user, suggestion_id=target.id, value=1 if i % 2 else -1, now=utcnow())),
])
def test_comments_and_votes_are_rate_limited_per_user(session, question, author, voter, limit, act):
    target = suggest(session, author, question)
    for index in range(limit.free):
        act(session, voter, target, index)
    with pytest.raises(community.RateLimited, match=f"at most {limit.free}"):
        act(session, voter, target, limit.free)
    if limit is community.COMMENT_LIMIT:  # a limit is per user: the author still comments
        act(session, author, target, 0)


def test_an_edit_without_its_base_is_taken_as_made_on_the_suggestions_base_and_merged(
        session, question, author, voter, editor):
    """As the queue file and the API show it: the suggestion's proposed text, which the editor tweaks. Before,
    such an edit was taken as made on the current revision and replaced it, losing what came in meanwhile."""
    stale = community.suggest_edit(session, user=voter, question_id=question.id, reason="Monthly.",
                                   accept_licence=True, example_answer=ANSWER.replace("every quarter", "every month"))
    community.accept(session, editor=editor, suggestion_id=suggest(session, author, question).id)  # revision 2
    tweaked = ANSWER.replace("every quarter", "every month, in writing,")
    row = community.accept(session, editor=editor, suggestion_id=stale.id, edited={"example_answer": tweaked})
    assert row.revision == 3 and "explicit trade-offs" in row.text and "every month, in writing," in row.text
    with pytest.raises(community.CommunityError, match="no revision 9"):
        community.accept(session, editor=editor, suggestion_id=suggest(session, author, question,
                                                                        example_answer=ANSWER + " Nine.").id,
                         edited={"example_answer": ANSWER + " Ten."}, edited_base=9)


def test_the_queue_lists_only_the_fields_a_suggestion_changes(session, question, author):
    """An example-answer-only suggestion stores no talking points (SQL NULL), so it is not listed as changing them."""
    answer_only = suggest(session, author, question)
    points_too = suggest(session, author, question, example_answer=f"{ANSWER} Again.",
                         talking_points=["a phased approach", "key risks"])
    fields = {item.id: item.fields for item in community.queue(session)[0]}
    assert fields[answer_only.id] == ("example_answer",)
    assert fields[points_too.id] == ("example_answer", "talking_points")


def test_a_withdrawn_suggestion_takes_neither_votes_nor_comments(session, question, author, voter):
    suggestion = suggest(session, author, question)
    community.withdraw(session, user=author, suggestion_id=suggestion.id)
    with pytest.raises(community.Conflict, match="withdrawn; votes are closed"):
        community.vote(session, user=voter, suggestion_id=suggestion.id, value=1)
    with pytest.raises(community.Conflict, match="withdrawn; comments are closed"):
        community.add_comment(session, user=voter, suggestion_id=suggestion.id, body="Still good")


def test_a_bank_without_a_licence_is_exported_under_the_one_its_suggestions_were_accepted_under(
        session, author, editor):
    from rehearse.formats import read_text, write

    bank.import_bank(session, replace(bank_doc(), name="Unlicensed bank", licence=None, source="/srv/in/u.yaml"))
    question = bank.list_questions(session, bank="unlicensed-bank")[0]
    community.accept(session, editor=editor, suggestion_id=suggest(session, author, question).id)
    doc = next(d for d in bank.export_bank(session) if d.name == "Unlicensed bank")
    assert (doc.licence, doc.contributors) == (community.DEFAULT_LICENCE, (author.display_name,))
    for fmt in ("json", "yaml", "markdown", "page"):
        assert community.DEFAULT_LICENCE in write(doc, fmt).decode()
    # Imported elsewhere, the credits stay with the bank and are exported again.
    elsewhere = replace(read_text(write(doc, "json").decode(), file="u.json", format="json").bank,
                        name="Unlicensed bank copy")
    bank.import_bank(session, elsewhere, rename_bank=False)  # a copy (here, in the same database)
    copy = next(d for d in bank.export_bank(session) if d.name == "Unlicensed bank copy")
    assert (copy.licence, copy.contributors) == (community.DEFAULT_LICENCE, (author.display_name,))


def suggest_new(session, user, question, text="How do you run a blameless postmortem?", **fields):
    fields.setdefault("talking_points", ["the timeline", "the follow-up actions"])
    return community.suggest_question(session, user=user, role_id=question.role_id, text=text, reason="Missing.",
                                      accept_licence=True, **fields)


def test_a_question_the_role_has_already_cannot_be_suggested_again(session, question, author):
    """Accepted, it would be a question twice in the role, and every export of the bank refused on import."""
    with pytest.raises(community.Conflict, match=f"already has that question \\(question {question.id}\\)"):
        suggest_new(session, author, question, text="  how would you CRAFT a 12-month engineering strategy? ")


def test_a_question_another_pending_suggestion_proposes_cannot_be_suggested_again(session, question, author,
                                                                                   voter):
    first = suggest_new(session, author, question)
    with pytest.raises(community.Conflict, match=f"Suggestion #{first.id} already proposes that question"):
        suggest_new(session, voter, question, text="How do you run a  blameless postmortem?")
    community.withdraw(session, user=author, suggestion_id=first.id)
    assert suggest_new(session, voter, question).status == "pending"  # withdrawn, it no longer stands in the way


def test_accepting_a_new_question_the_role_has_meanwhile_is_refused(session, question, author, editor):
    from rehearse.community.models import Suggestion

    suggestion = suggest_new(session, author, question)
    older = Suggestion(kind="new_question", role_id=question.role_id, author_id=author.id, status="pending",
                       question_text=suggestion.question_text, reason="The same, sent before repeats were refused.",
                       talking_points=["the timeline"], votes=0, up=0, down=0, comment_count=0)
    session.add(older)
    session.flush()
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    with pytest.raises(community.Conflict, match="already has that question"):
        community.accept(session, editor=editor, suggestion_id=older.id)
    assert community.get_suggestion(session, older.id).status == "pending"  # reject it, with a reason


# The outside tester's near-duplicates (tester5, finding 5): each was accepted as a second copy of the question.
NEAR_DUPLICATES = ["How would you craft a 12-month engineering strategy",  # no question mark
                   "how would you craft a 12-month, engineering strategy?",  # case and a comma
                   "How would you craft a 12 month engineering strategy ?!",
                   "How would you craft a 12‑month engineering strategy…"]  # a non-breaking hyphen, "…"


@pytest.mark.parametrize("text", NEAR_DUPLICATES)
def test_a_question_the_role_has_but_for_case_and_punctuation_cannot_be_suggested(session, question, author, text):
    with pytest.raises(community.Conflict, match=f"already has that question \\(question {question.id}\\)"):
        suggest_new(session, author, question, text=text)


def test_a_pending_question_but_for_punctuation_cannot_be_suggested_again(session, question, author, voter):
    first = suggest_new(session, author, question, text="How do you run a blameless post-mortem?")
    with pytest.raises(community.Conflict, match=f"Suggestion #{first.id} already proposes that question"):
        suggest_new(session, voter, question, text="how do you run a blameless post mortem")
    assert suggest_new(session, voter, question, text="How do you run a blameless postmortem review?")  # another


def test_accepting_a_question_the_role_has_but_for_punctuation_is_refused(session, question, author, editor):
    from rehearse.community.models import Suggestion

    older = Suggestion(kind="new_question", role_id=question.role_id, author_id=author.id, status="pending",
                       question_text=NEAR_DUPLICATES[0], reason="Sent before near-duplicates were refused.",
                       talking_points=["the timeline"], votes=0, up=0, down=0, comment_count=0)
    session.add(older)
    session.flush()
    with pytest.raises(community.Conflict, match="already has that question"):
        community.accept(session, editor=editor, suggestion_id=older.id)
    assert community.get_suggestion(session, older.id).status == "pending"


@pytest.mark.parametrize(("points", "message"), [
    ([], "no talking points"),
    (["", "  "], "Talking point 1 is empty"),
    (["a point", " "], "Talking point 2 is empty"),
    ("\n  \n", "no talking points"),  # the form's textarea, blanked
    (["a point", "A  point"], "given twice"),
])
def test_talking_points_cannot_be_blanked_emptied_or_repeated(session, question, author, editor, points, message):
    """A question without points scores every answer against nothing (a solid answer got 21, 'poor')."""
    with pytest.raises(community.CommunityError, match=message):
        suggest(session, author, question, example_answer=None, talking_points=points)
    with pytest.raises(community.CommunityError, match=message):
        suggest_new(session, author, question, talking_points=points)
    with pytest.raises(community.CommunityError, match=message):
        community.preview_edit(session, question_id=question.id, talking_points=points, backend="lexical")
    pending = suggest(session, author, question)
    with pytest.raises(community.CommunityError, match=message):
        community.accept(session, editor=editor, suggestion_id=pending.id, edited={"talking_points": points})
    assert bank.get_question(session, question.id).talking_points == list(POINTS)


def test_an_editor_cannot_blank_the_example_answer_by_editing_then_accepting(session, question, author, editor):
    pending = suggest(session, author, question, example_answer=None, talking_points=["a phased approach"])
    for blank in ("   ", ""):
        with pytest.raises(community.CommunityError, match="example answer is empty"):
            community.accept(session, editor=editor, suggestion_id=pending.id,
                             edited={"example_answer": blank, "talking_points": [" "] if blank else None})
    assert bank.current_example_answer(session, question.id) == ANSWER
    new = suggest_new(session, author, question, example_answer="We hold it within two days.")
    with pytest.raises(community.CommunityError, match="example answer is empty"):
        community.accept(session, editor=editor, suggestion_id=new.id, edited={"example_answer": "  "})


def test_a_question_without_points_or_answer_may_still_be_improved_through_the_form(session, author):
    """The form sends every field: empty ones change nothing on a question that has none (an imported
    question without guidance), so its example answer can still be suggested."""
    bank.import_bank(session, replace(bank_doc(), name="Bare bank", roles=(replace(bank_doc().roles[0], questions=(
        replace(bank_doc().roles[0].questions[0], slug="bare", intent=None, talking_points=(),
                example_answer=None),)),)))
    bare = bank.get_question(session, "bare")
    made = suggest(session, author, bare, example_answer="I plan a year in quarters.", intent="", talking_points="")
    assert made.example_answer == "I plan a year in quarters." and made.talking_points is None


def test_a_deleted_account_is_credited_nowhere_and_its_revisions_link_to_no_suggestion(session, question, author,
                                                                                      editor):
    """After a deletion the history linked to the gone suggestion (404) and exports still credited the name,
    as they kept crediting a renamed contributor's old name once an export had been imported back."""
    from rehearse.accounts import service as accounts
    from rehearse.userdata import service as userdata

    accepted = suggest(session, author, question)
    community.accept(session, editor=editor, suggestion_id=accepted.id)

    def credited() -> tuple[str, ...]:
        [doc] = [d for d in bank.export_bank(session) if d.name == "Community test bank"]
        return doc.contributors

    assert credited() == ("Candidate",)
    bank.import_bank(session, replace(bank_doc(answer=NEW_ANSWER), contributors=("Candidate", "Someone elsewhere")))
    accounts.rename(session, user=author, display_name="Ann")
    assert credited() == ("Ann", "Someone elsewhere")  # the live name, once; the other server's name kept
    from rehearse.bank.models import Bank

    stored = session.get(Bank, question.bank_id)
    stored.contributors = [*stored.contributors, "Ann"]  # as an import of an export did before this was fixed
    userdata.delete_account(session, user=author)
    session.expire_all()
    assert credited() == ("Someone elsewhere",)
    entries, _ = community.history(session, question_id=question.id)
    assert (entries[0].author, entries[0].suggestion_id, entries[0].source) == ("a former member", None, "suggestion")
    assert bank.current_example_answer(session, question.id) == NEW_ANSWER  # published under the licence: kept


def test_the_same_edit_cannot_wait_in_the_queue_twice(session, question, author, voter):
    first = suggest(session, author, question)
    for who in (author, voter):
        with pytest.raises(community.Conflict, match=f"Suggestion #{first.id} already proposes exactly this"):
            suggest(session, who, question)
    assert suggest(session, voter, question, intent="Show how you plan a year, and why.").status == "pending"


def test_an_edit_keeps_what_the_suggestion_proposes_in_the_fields_it_leaves_out(session, question, author, editor):
    """An editor who rewords one point has not taken back the author's other changes: fields left out of
    `edited` were filled from the base revision, and the new example answer was silently dropped."""
    both = suggest(session, author, question, talking_points=[*POINTS, "how you measure progress"])
    row = community.accept(session, editor=editor, suggestion_id=both.id,
                           edited={"talking_points": [*POINTS, "how you measure progress, in numbers"]})
    assert row.text == NEW_ANSWER
    assert row.talking_points == [*POINTS, "how you measure progress, in numbers"]


def test_an_empty_edit_accepts_the_suggestion_as_proposed(session, question, author, editor):
    new_intent = community.suggest_edit(session, user=author, question_id=question.id, reason="Clearer.",
                                        accept_licence=True, intent="Show how you turn goals into a plan.")
    row = community.accept(session, editor=editor, suggestion_id=new_intent.id, edited={})
    assert row.intent == "Show how you turn goals into a plan." and row.text == ANSWER


def test_an_edit_against_a_newer_revision_carries_the_suggestions_other_changes_onto_it(
        session, question, author, voter, editor):
    stale = suggest(session, author, question, talking_points=[*POINTS, "how you measure progress"])
    community.accept(session, editor=editor, suggestion_id=community.suggest_edit(
        session, user=voter, question_id=question.id, reason="Clearer.", accept_licence=True,
        intent="Show how you turn goals into a plan.").id)  # revision 2: the intent only
    row = community.accept(session, editor=editor, suggestion_id=stale.id, edited_base=2,
                           edited={"talking_points": [*POINTS, "how you measure progress, in numbers"]})
    assert (row.revision, row.text, row.intent) == (3, NEW_ANSWER, "Show how you turn goals into a plan.")
    assert row.talking_points[-1] == "how you measure progress, in numbers"


def test_a_queue_file_edit_keeps_the_fields_it_leaves_out(session, question, author, editor):
    import json

    from rehearse.community import decisions

    both = suggest(session, author, question, talking_points=[*POINTS, "how you measure progress"])
    lines = [{"format": decisions.QUEUE_FORMAT, "version": decisions.QUEUE_VERSION},
             {"id": both.id, "decision": "accept",
              "edited": {"talking_points": [*POINTS, "how you measure progress, in numbers"]}}]
    decisions.apply_decisions(session, editor=editor, text="\n".join(map(json.dumps, lines)), file="q.jsonl")
    assert bank.current_example_answer(session, question.id) == NEW_ANSWER
    assert bank.get_question(session, question.id).talking_points[-1] == "how you measure progress, in numbers"


INVISIBLE = "\u200b\u2060 \ufeff\u00ad"  # zero-width space, word joiner, a space, BOM, soft hyphen: shows nothing


@pytest.mark.parametrize(("act", "message"), [
    (lambda s, q, a, e: suggest(s, a, q, example_answer=INVISIBLE), "example answer is empty"),
    (lambda s, q, a, e: suggest(s, a, q, example_answer=None, talking_points=["\u200b", "\u2060"]),
     "Talking point 1 is empty"),
    (lambda s, q, a, e: suggest(s, a, q, example_answer=None, talking_points=["a point", INVISIBLE]),
     "Talking point 2 is empty"),
    (lambda s, q, a, e: suggest(s, a, q, example_answer=None, talking_points=f"{INVISIBLE}\n\u2060\n"),
     "no talking points"),
    (lambda s, q, a, e: community.suggest_edit(s, user=a, question_id=q.id, reason=INVISIBLE, accept_licence=True,
                                               example_answer=NEW_ANSWER), "reason is empty"),
    (lambda s, q, a, e: suggest_new(s, a, q, text=INVISIBLE), "question is empty"),
    (lambda s, q, a, e: community.add_comment(s, user=e, suggestion_id=suggest(s, a, q).id, body=INVISIBLE),
     "comment is empty"),
    (lambda s, q, a, e: community.accept(s, editor=e, suggestion_id=suggest(s, a, q).id,
                                         edited={"example_answer": INVISIBLE}), "example answer is empty"),
], ids=["answer", "points", "one-point", "form-points", "reason", "question", "comment", "editor-edit"])
def test_text_that_shows_nothing_is_empty_wherever_text_is_required(session, question, author, editor, act,
                                                                    message):
    """str.strip() keeps zero-width spaces: a question was left with an invisible answer and invisible points."""
    with pytest.raises(community.CommunityError, match=message):
        act(session, question, author, editor)


def test_invisible_lines_among_the_points_of_a_form_are_skipped_like_blank_ones(session, question, author):
    made = suggest(session, author, question, example_answer=None,
                   talking_points="a phased approach\n\u200b\nkey risks\n\u2060 \n")
    assert made.talking_points == ["a phased approach", "key risks"]


def test_a_display_name_that_shows_nothing_is_refused(session, author):
    from rehearse.accounts import service as accounts

    with pytest.raises(accounts.AccountError, match="Enter a display name"):
        accounts.rename(session, user=author, display_name=INVISIBLE)
    made = accounts.create_user(session, email="zw@example.com", password="a long enough password",
                                display_name="\u200b")
    assert made.display_name == "zw"


def test_emptying_the_intent_is_refused_not_stored_as_a_suggestion_that_changes_nothing(session, question, author,
                                                                                         editor):
    """A suggestion stores an unchanged field as empty: an emptied intent was stored as "no change", listed
    with no field and refused by every accept ("Revision 1 already says what suggestion #N proposes")."""
    for emptied in ("", "  ", "\u200b"):
        with pytest.raises(community.CommunityError, match="intent is empty"):
            suggest(session, author, question, example_answer=None, intent=emptied)
    pending = suggest(session, author, question)
    with pytest.raises(community.CommunityError, match="intent is empty"):
        community.accept(session, editor=editor, suggestion_id=pending.id, edited={"intent": ""})
    assert [item.fields for item in community.queue(session)[0]] == [("example_answer",)]


def test_nobody_reports_their_own_comment(session, question, author, voter):
    comment = community.add_comment(session, user=voter, suggestion_id=suggest(session, author, question).id,
                                    body="On second thoughts, no.")
    with pytest.raises(community.Forbidden, match="your own comment"):
        community.report_comment(session, user=voter, comment_id=comment.id, reason="mine")
    assert community.report_comment(session, user=author, comment_id=comment.id, reason="rude").reports == 1


def test_reverting_to_what_the_question_says_already_is_refused_and_adds_no_revision(session, question, author,
                                                                                    editor):
    community.accept(session, editor=editor, suggestion_id=suggest(session, author, question).id)
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Vandalism")
    with pytest.raises(community.Conflict, match="Revision 3 already says what revision 1 says"):
        community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Again")
    assert community.history(session, question_id=question.id)[1] == 3
