"""What the community pages say about who did what: the admins' way to the accounts page, an editor's
edit of a suggestion before accepting it (credited in the history, the API and on the suggestion), a
suggested question's kind and competencies end to end, a report's reason, and display names."""

from __future__ import annotations

import re
import uuid

import pytest

from rehearse.accounts import service as accounts
from rehearse.accounts.models import User
from rehearse.bank.models import Question

from .conftest import Browser

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_role(app, email: str, role: str) -> None:
    with app.state.database.transaction(writes=True) as session:
        accounts.set_role(session, email=email, role=role)


def form(client: Browser, path: str, data: dict, *, page: str | None = None):
    token = _CSRF.search(client.get(page or path).text).group(1)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def name_of(app, email: str) -> str:
    with app.state.database.transaction() as session:
        return session.query(User).filter_by(email=email).one().display_name


@pytest.fixture
def people(app, make_browser):
    """An author and a voter (candidates), an editor and an admin."""
    author, voter, editor, admin = (make_browser() for _ in range(4))
    emails = [client.sign_up() for client in (author, voter, editor, admin)]
    make_role(app, emails[2], "editor")
    make_role(app, emails[3], "admin")
    return author, voter, editor, admin, emails


def role_id_of(app, question: dict) -> int:
    with app.state.database.transaction() as session:
        return session.get(Question, question["id"]).role_id


def test_admins_are_linked_to_the_accounts_page_and_no_one_else_is(app, people):
    author, _voter, editor, admin, _ = people
    link = 'href="/community/editors"'
    for path in ("/", "/community/queue"):
        assert link in admin.get(path).text, path
    assert 'data-nav="editors"' in admin.get("/").text
    assert link not in editor.get("/").text and link not in editor.get("/community/queue").text
    assert link not in author.get("/").text
    assert link not in Browser(app).get("/").text


def test_the_queue_and_the_accounts_tables_scroll_in_a_region_of_their_own(app, people):
    """At 375 px the tables are wider than the screen: they scroll sideways, the page does not."""
    *_, admin, _ = people
    for path, table in (("/community/queue", '<table class="queue-table">'),
                        ("/community/editors", '<table class="queue-table" data-users>')):
        page = admin.get(path).text
        assert re.search(r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0"[^>]*>\s*'
                         + re.escape(table), page), path


def _suggest(author: Browser, question: dict, extra: str) -> int:
    answer = author.get(f"/api/questions/{question['id']}").json()["example_answer"]
    made = author.post(f"/api/questions/{question['id']}/suggestions", headers=author.page_csrf_header(),
                       json={"example_answer": f"{answer} {extra}", "reason": "Adds a cadence.",
                             "accept_licence": True})
    assert made.status_code == 201, made.text
    return made.json()["id"]


def _history_entry(client: Browser, question: dict, suggestion_id: int) -> dict:
    revisions = client.get(f"/api/questions/{question['id']}/history").json()["revisions"]
    return next(r for r in revisions if r["suggestion_id"] == suggestion_id)


def test_an_editors_edit_before_accepting_is_credited_to_the_editor(app, question, people):
    author, _voter, editor, _admin, emails = people
    editor_name = name_of(app, emails[2])
    suggestion_id = _suggest(author, question, f"We met every Monday {uuid.uuid4().hex[:6]}.")
    path = f"/suggestions/{suggestion_id}"
    proposed = author.get(f"/api{path}").json()["proposed"]
    edited = proposed["example_answer"].replace("every Monday", "every other Monday")
    accepted = form(editor, f"{path}/accept", {
        "edit": "true", "example_answer": edited, "intent": proposed["intent"] or "",
        "talking_points": "\n".join(proposed["talking_points"])}, page=path)
    assert accepted.status_code == 303, accepted.text

    entry = _history_entry(author, question, suggestion_id)
    assert entry["edited_by"] == editor_name and entry["author"] == name_of(app, emails[0])
    history = author.get(f"/questions/{question['id']}/history").text
    credit = re.search(r"<span data-revision-edited-by>(.*?)</span>", history, re.S)
    assert credit and re.sub(r"<[^>]+>", "", credit.group(1)) == f"edited by {editor_name} before accepting"
    page = author.get(path).text
    assert "data-edited-by" in page and f"with the changes of the editor {editor_name}" in page
    assert author.get(f"/api{path}").json()["edited_by"] == editor_name


@pytest.mark.parametrize("how", ["as suggested", "the edit form unchanged"])
def test_a_suggestion_accepted_as_written_credits_no_editor(app, question, people, how):
    author, _voter, editor, _admin, _ = people
    suggestion_id = _suggest(author, question, f"We met on Mondays {uuid.uuid4().hex[:6]}.")
    path = f"/suggestions/{suggestion_id}"
    proposed = author.get(f"/api{path}").json()["proposed"]
    data = {"note": "Thanks"} if how == "as suggested" else {
        "edit": "true", "example_answer": proposed["example_answer"], "intent": proposed["intent"] or "",
        "talking_points": "\n".join(proposed["talking_points"])}
    assert form(editor, f"{path}/accept", data, page=path).status_code == 303
    entry = _history_entry(author, question, suggestion_id)
    assert entry["edited_by"] is None
    history = author.get(f"/questions/{question['id']}/history").text
    article = re.search(rf'<article class="panel revision" data-revision="{entry["revision"]}">(.*?)</article>',
                        history, re.S).group(1)
    assert "Community suggestion" in article and "data-revision-edited-by" not in article
    assert "data-edited-by" not in author.get(path).text and author.get(f"/api{path}").json()["edited_by"] is None


def test_a_suggested_question_keeps_its_kind_and_competencies_through_the_api(app, question, people):
    author, _voter, editor, _admin, emails = people
    role_id = role_id_of(app, question)
    headers = author.page_csrf_header()
    body = {"text": f"Tell me about a time you rebuilt an on-call rota ({uuid.uuid4().hex[:6]}).",
            "reason": "Missing.", "accept_licence": True, "talking_points": ["the old rota", "what changed"],
            "kind": "situational", "competencies": ["Incidents", "People management", "incidents"]}
    preview = author.post(f"/api/roles/{role_id}/suggestions/preview", json={
        k: v for k, v in body.items() if k not in ("reason", "accept_licence")}, headers=headers)
    assert preview.status_code == 200, preview.text
    assert (preview.json()["kind"], preview.json()["competencies"]) == ("situational",
                                                                       ["incidents", "people-management"])
    made = author.post(f"/api/roles/{role_id}/suggestions", json=body, headers=headers)
    assert made.status_code == 201, made.text
    suggestion = made.json()
    assert (suggestion["question_kind"], suggestion["competencies"]) == ("situational",
                                                                         ["incidents", "people-management"])
    page = author.get(f"/suggestions/{suggestion['id']}").text
    assert "Situational" in page and "people management" in page

    accepted = editor.post(f"/api/suggestions/{suggestion['id']}/accept", headers=editor.page_csrf_header(),
                           json={"edited": {"competencies": ["incidents", "coaching"]}})
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["edited_by"] == name_of(app, emails[2])  # the editor changed its competencies
    new = author.get(f"/api/questions/{accepted.json()['question_id']}").json()
    # The author's kind (its wording alone reads as behavioural), the editor's competencies.
    assert (new["kind"], new["competencies"]) == ("situational", ["incidents", "coaching"])


def test_a_suggested_question_without_kind_or_competencies_gets_them_as_an_import_does(app, question, people):
    author, _voter, editor, _admin, _ = people
    role_id = role_id_of(app, question)
    made = author.post(f"/api/roles/{role_id}/suggestions", headers=author.page_csrf_header(), json={
        "text": f"Tell me about a time you hired a senior engineer ({uuid.uuid4().hex[:6]}).", "reason": "r",
        "accept_licence": True, "talking_points": ["the bar"]})
    assert made.status_code == 201 and made.json()["question_kind"] is None and made.json()["competencies"] is None
    accepted = editor.post(f"/api/suggestions/{made.json()['id']}/accept", json={},
                           headers=editor.page_csrf_header())
    assert accepted.status_code == 200 and accepted.json()["edited_by"] is None
    new = author.get(f"/api/questions/{accepted.json()['question_id']}").json()
    assert new["kind"] == "behavioural" and "hiring" in new["competencies"]


@pytest.mark.parametrize(("body", "status"), [
    ({"kind": "trick"}, 422),
    ({"kind": True}, 422),
    ({"competencies": "hiring"}, 422),  # a list, as the talking points are
    ({"competencies": ["x" * 81]}, 422),  # over the length the schema declares, naming the field
    ({"competencies": ["a, b"]}, 400),
    ({"competencies": [f"c{n}" for n in range(9)]}, 422),
    ({"difficulty": "hard"}, 422),  # a field this server does not store is refused, not dropped
])
def test_a_suggested_question_with_a_bad_kind_competency_or_unknown_field_is_refused(app, question, people,
                                                                                      body, status):
    author, *_ = people
    role_id = role_id_of(app, question)
    sent = author.post(f"/api/roles/{role_id}/suggestions", headers=author.page_csrf_header(), json={
        "text": f"How would you plan a migration ({uuid.uuid4().hex[:6]})?", "reason": "r",
        "accept_licence": True, "talking_points": ["the plan"], **body})
    assert sent.status_code == status, sent.text
    assert author.get("/api/suggestions/mine").json() == []


def test_unknown_fields_and_a_new_questions_fields_on_an_edit_are_refused(app, question, people):
    author, _voter, editor, _admin, _ = people
    qid = question["id"]
    answer = author.get(f"/api/questions/{qid}").json()["example_answer"]
    headers = author.page_csrf_header()
    for extra in ({"kind": "behavioural"}, {"competencies": ["hiring"]}):
        refused = author.post(f"/api/questions/{qid}/suggestions", headers=headers, json={
            "example_answer": answer + " More.", "reason": "r", "accept_licence": True, **extra})
        assert refused.status_code == 422, refused.text
    suggestion_id = _suggest(author, question, "Still more.")
    editor_headers = editor.page_csrf_header()
    for body, status in (({"edited": {"example_answer": answer + " Edited.", "difficulty": "hard"}}, 422),
                         ({"edited": {}, "notes": "typo of note"}, 422),
                         ({"edited": {"competencies": ["hiring"]}}, 400)):
        refused = editor.post(f"/api/suggestions/{suggestion_id}/accept", json=body, headers=editor_headers)
        assert refused.status_code == status, (body, refused.text)
    assert author.get(f"/api/suggestions/{suggestion_id}").json()["status"] == "pending"


def test_the_new_question_form_carries_a_kind_and_competencies(app, question, people):
    author, _voter, editor, _admin, _ = people
    role_id = role_id_of(app, question)
    path = f"/roles/{role_id}/suggest"
    page = author.get(path).text
    assert 'name="kind"' in page and 'name="competencies"' in page and 'list="known-competencies"' in page
    fields = {"text": f"What would you do if two teams owned one service ({uuid.uuid4().hex[:6]})?",
              "talking_points": "who owns what\nhow you decide", "reason": "Common.", "accept_licence": "true",
              "kind": "other", "competencies": "Architecture,  team design"}
    preview = form(author, path, {**fields, "action": "preview"})
    assert preview.status_code == 200 and "data-question-preview" in preview.text
    assert re.search(r'<option value="other" selected>', preview.text)
    assert 'value="Architecture,  team design"' in preview.text and "team design" in preview.text
    digest = re.search(r'name="previewed" value="([0-9a-f]+)"', preview.text).group(1)
    sent = form(author, path, {**fields, "action": "send", "previewed": digest})
    assert sent.status_code == 303, sent.text
    suggestion = author.get(f"/api{sent.headers['location']}").json()
    assert (suggestion["question_kind"], suggestion["competencies"]) == ("other", ["architecture", "team-design"])
    accepted = editor.post(f"/api/suggestions/{suggestion['id']}/accept", json={},
                           headers=editor.page_csrf_header())
    new = author.get(f"/api/questions/{accepted.json()['question_id']}").json()
    assert (new["kind"], new["competencies"]) == ("other", ["architecture", "team-design"])


def test_an_editor_edits_a_suggested_question_on_its_page_kind_and_competencies_too(app, question, people):
    author, _voter, editor, _admin, _ = people
    role_id = role_id_of(app, question)
    sent = author.post(f"/api/roles/{role_id}/suggestions", headers=author.page_csrf_header(), json={
        "text": f"How do you retire a service nobody owns ({uuid.uuid4().hex[:6]})?", "reason": "Common.",
        "accept_licence": True, "talking_points": ["who still calls it"], "kind": "situational"})
    assert sent.status_code == 201, sent.text
    path = f"/suggestions/{sent.json()['id']}"
    page = editor.get(path).text
    assert "data-edit-accept" in page and 'name="edited_base"' not in page  # a new question has no revision yet
    assert re.search(r'<option value="situational" selected>', page)
    assert 'value="Work it out' not in page and '<option value="">' not in page  # the author gave its kind
    assert "data-edit-accept" not in author.get(path).text  # editors only

    refused = form(editor, f"{path}/accept", {"edit": "true", "talking_points": "who still calls it",
                                              "kind": "riddle", "competencies": ""}, page=path)
    assert refused.status_code == 400 and "kind is one of" in refused.text

    accepted = form(editor, f"{path}/accept", page=path, data={
        "edit": "true", "talking_points": "who still calls it\nhow you switch it off safely", "intent": "",
        "example_answer": "", "kind": "behavioural", "competencies": "Operations, ownership", "note": "Sharper."})
    assert accepted.status_code == 303, accepted.text
    suggestion = editor.get(f"/api{path}").json()
    new = author.get(f"/api/questions/{suggestion['question_id']}").json()
    assert (new["kind"], new["competencies"]) == ("behavioural", ["operations", "ownership"])
    assert new["talking_points"] == ["who still calls it", "how you switch it off safely"]
    assert "data-edited-by" in author.get(path).text  # the editor's changes are not credited to the author


def test_reporting_a_comment_from_the_page_needs_a_reason(app, question, people):
    author, voter, editor, _admin, _ = people
    suggestion_id = _suggest(author, question, "Report me.")
    path = f"/suggestions/{suggestion_id}"
    assert voter.post(f"/api{path}/comments", json={"body": "meh"},
                      headers=voter.page_csrf_header()).status_code == 201
    page = author.get(path).text
    comment_id = re.search(r'data-comment="(\d+)"', page).group(1)
    assert re.search(r'<input type="text" name="reason" aria-label="Why report it[^>]*required>', page)
    for blank in ("", "   "):
        refused = form(author, f"{path}/comments/{comment_id}/report", {"reason": blank}, page=path)
        assert refused.status_code == 400 and "reason is" in refused.text
    reported = editor.get("/api/community/reported-comments").json()
    assert not any(r["id"] == int(comment_id) for r in reported)
    sent = form(author, f"{path}/comments/{comment_id}/report", {"reason": "Off topic."}, page=path)
    assert sent.status_code == 303
    reasons = next(r for r in editor.get("/api/community/reported-comments").json() if r["id"] == int(comment_id))
    assert [r["reason"] for r in reasons["reasons"]] == ["Off topic."]


def test_display_names_lose_their_runs_of_spaces(app, browser):
    email = f"sam-{uuid.uuid4().hex[:8]}@example.com"
    with app.state.database.transaction(writes=True) as session:
        user = accounts.create_user(session, email=email, password="a long enough password",
                                    display_name="  Sam   Second\t ")
        assert user.display_name == "Sam Second"
        renamed = accounts.rename(session, user=user, display_name="Sam \u00a0  Third\nName")
        assert renamed.display_name == "Sam Third Name"
    assert name_of(app, email) == "Sam Third Name"
