"""The community workflow through the pages and the JSON API: suggest, vote, comment, moderate, history.

Three people: an author, a voter (both candidates) and an editor. A candidate reaches no moderation
route (every one tried, pages and API), and whatever anyone types comes back escaped.
"""

from __future__ import annotations

import re
import uuid

import pytest

from rehearse.accounts import service as accounts

from .conftest import PASSWORD, Browser, route_paths

# Every route the community feature adds; test_privacy.py checks that the app has no route nobody walks.
COMMUNITY_ROUTES = {
    "/questions/{question_id}/improve",
    "/roles/{role_id}/suggest",
    "/suggestions/{suggestion_id}",
    "/suggestions/{suggestion_id}/vote",
    "/suggestions/{suggestion_id}/comments",
    "/suggestions/{suggestion_id}/comments/{comment_id}/report",
    "/suggestions/{suggestion_id}/comments/{comment_id}/hide",
    "/suggestions/{suggestion_id}/withdraw",
    "/suggestions/{suggestion_id}/accept",
    "/suggestions/{suggestion_id}/reject",
    "/community/queue",
    "/questions/{question_id}/history",
    "/questions/{question_id}/revert",
    "/notifications",
    "/notifications/read",
    "/notifications/{notification_id}",
    "/community/editors",
    "/api/questions/{question_id}/suggestions/preview",
    "/api/questions/{question_id}/suggestions",
    "/api/roles/{role_id}/suggestions/preview",
    "/api/roles/{role_id}/suggestions",
    "/api/suggestions/mine",
    "/api/suggestions/{suggestion_id}",
    "/api/suggestions/{suggestion_id}/withdraw",
    "/api/suggestions/{suggestion_id}/vote",
    "/api/suggestions/{suggestion_id}/comments",
    "/api/comments/{comment_id}/report",
    "/api/community/queue",
    "/api/suggestions/{suggestion_id}/accept",
    "/api/suggestions/{suggestion_id}/reject",
    "/api/comments/{comment_id}/hide",
    "/api/community/reported-comments",
    "/api/questions/{question_id}/history",
    "/api/questions/{question_id}/revert",
    "/api/notifications",
    "/api/notifications/unread",
    "/api/notifications/read",
    "/api/community/users",
    "/api/community/users/{user_id}/role",
    "/api/community/users/{user_id}/ban",
    "/api/community/users/{user_id}/reinstate",
}
# The moderation routes among them: editors' (and admins') only.
MODERATION = [
    ("GET", "/community/queue"), ("POST", "/suggestions/{suggestion_id}/accept"),
    ("POST", "/suggestions/{suggestion_id}/reject"), ("POST", "/suggestions/{suggestion_id}/comments/{comment_id}/hide"),
    ("POST", "/questions/{question_id}/revert"), ("GET", "/community/editors"), ("POST", "/community/editors"),
    ("GET", "/api/community/queue"), ("POST", "/api/suggestions/{suggestion_id}/accept"),
    ("POST", "/api/suggestions/{suggestion_id}/reject"), ("POST", "/api/comments/{comment_id}/hide"),
    ("GET", "/api/community/reported-comments"), ("POST", "/api/questions/{question_id}/revert"),
    ("GET", "/api/community/users"), ("PUT", "/api/community/users/{user_id}/role"),
    ("POST", "/api/community/users/{user_id}/ban"), ("POST", "/api/community/users/{user_id}/reinstate"),
]
SCRIPT = '<script>document.title="pwned"</script><img src=x onerror="alert(1)">'
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def make_editor(app, email: str, role: str = "editor") -> None:
    with app.state.database.transaction(writes=True) as session:
        accounts.set_role(session, email=email, role=role)


@pytest.fixture
def people(app, make_browser):
    author, voter, editor = make_browser(), make_browser(), make_browser()
    emails = [client.sign_up() for client in (author, voter, editor)]
    make_editor(app, emails[2])
    return author, voter, editor


def form(client: Browser, path: str, data: dict, *, page: str | None = None):
    token = _CSRF.search(client.get(page or path).text).group(1)
    return client.post(path, data={"csrf_token": token, **data}, follow_redirects=False)


def send_suggestion(client: Browser, question: dict, answer: str, reason: str = "Names the trade-offs."):
    return form(client, f"/questions/{question['id']}/improve",
                {"example_answer": answer, "intent": question["intent"] or "",
                 "talking_points": "\n".join(question["talking_points"]), "reason": reason,
                 "accept_licence": "true", "action": "send", "base_revision": "0"})


def current_answer(client, question_id: int) -> str:
    return client.get(f"/api/questions/{question_id}").json()["example_answer"]


def test_suggest_preview_vote_accept_history_revert(app, question, people):
    author, voter, editor = people
    page = author.get(f"/questions/{question['id']}/improve")
    assert page.status_code == 200 and "data-licence" in page.text
    original = current_answer(author, question["id"])
    changed = original + " We reviewed the list every Monday with the product leads."
    preview = form(author, f"/questions/{question['id']}/improve", {
        "example_answer": changed, "intent": question["intent"] or "",
        "talking_points": "\n".join(question["talking_points"]), "reason": "Adds a cadence.", "action": "preview"})
    assert preview.status_code == 200
    assert "<ins>" in preview.text and "every Monday" in preview.text and "data-engine-report" in preview.text
    sent = send_suggestion(author, question, changed)
    assert sent.status_code == 303, sent.text
    suggestion_path = sent.headers["location"]
    suggestion_id = int(suggestion_path.rsplit("/", 1)[1])

    assert form(voter, f"{suggestion_path}/vote", {"value": "1"}, page=suggestion_path).status_code == 303
    own = form(author, f"{suggestion_path}/vote", {"value": "1"}, page=suggestion_path)
    assert own.status_code == 403 and "your own suggestion" in own.text
    queue = editor.get("/community/queue")
    assert queue.status_code == 200 and f'data-queue-item="{suggestion_id}"' in queue.text
    assert "data-queue-diff" in queue.text and "every Monday" in queue.text

    accepted = form(editor, f"{suggestion_path}/accept", {"note": "Thanks"}, page=suggestion_path)
    assert accepted.status_code == 303, accepted.text
    assert current_answer(author, question["id"]) == changed
    history = author.get(f"/questions/{question['id']}/history").text
    assert "Community suggestion" in history and "every Monday" in history
    assert author.get("/api/notifications/unread").json()["unread"] == 1

    revisions = editor.get(f"/api/questions/{question['id']}/history").json()["revisions"]
    newest, previous = revisions[0]["revision"], revisions[1]["revision"]
    reverted = form(editor, f"/questions/{question['id']}/revert", {"revision": str(previous), "reason": "Too long"},
                    page=f"/questions/{question['id']}/history")
    assert reverted.status_code == 303
    assert current_answer(author, question["id"]) == original
    after = editor.get(f"/api/questions/{question['id']}/history").json()
    assert after["revisions"][0]["revision"] == newest + 1 and after["revisions"][0]["source"] == "revert"


def _guarded(dependant, guards) -> bool:
    return any(d.call in guards or _guarded(d, guards) for d in dependant.dependencies)


def test_the_moderation_list_is_every_route_that_needs_an_editor_or_admin(app):
    """So that the test below tries every moderation route: the list is derived, not remembered."""
    from rehearse.community.views import admin_user, editor_user
    from rehearse.web.pages.community import page_admin, page_editor
    from rehearse.web.routes import api_routes

    guards = {admin_user, editor_user, page_admin, page_editor}
    guarded = {(method, path) for path, route in api_routes(app) if _guarded(route.dependant, guards)
               for method in route.methods - {"HEAD"}}
    assert guarded == set(MODERATION)


def test_a_candidate_reaches_no_moderation_route(app, question, people):
    author, voter, _ = people
    assert send_suggestion(author, question, current_answer(author, question["id"]) + " Extra.").status_code == 303
    paths = route_paths(app.routes)
    assert {path for _, path in MODERATION} <= paths
    ids = {"suggestion_id": "1", "comment_id": "1", "question_id": str(question["id"]), "user_id": "1"}
    page_token = _CSRF.search(voter.get("/notifications").text).group(1)
    headers = voter.page_csrf_header()
    for method, path in MODERATION:
        url = path.format(**ids)
        if path.startswith("/api/"):
            body = {"reason": "x", "revision": 1, "role": "admin", "hidden": True}
            response = voter.request(method, url, json=body, headers=headers)
        else:
            response = voter.request(method, url, data={"csrf_token": page_token, "reason": "x", "revision": "1",
                                                        "user_id": "1", "role": "admin"}, follow_redirects=False)
        assert response.status_code == 403, (method, url, response.status_code)
        anonymous = Browser(app).request(method, url, follow_redirects=False)
        assert anonymous.status_code in (303, 401, 403), (method, url, anonymous.status_code)


def test_scripts_stay_text(app, question, people):
    author, voter, editor = people
    sent = send_suggestion(author, question, current_answer(author, question["id"]) + SCRIPT, reason=SCRIPT)
    path = sent.headers["location"]
    assert form(voter, f"{path}/comments", {"body": f"Nice [link](javascript:alert(1)) {SCRIPT}"},
                page=path).status_code == 303
    for client in (author, editor):
        html = client.get(path).text
        assert "<script>document.title" not in html and "<img src=x" not in html
        assert "&lt;script&gt;" in html
        assert 'href="javascript:' not in html
    comment = voter.get(f"/api{path}").json()["comments"][0]
    assert "<script>" not in comment["html"] and comment["body"].endswith(SCRIPT)


def test_markdown_links_are_nofollow_ugc(app, question, people):
    author, voter, _ = people
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " More.").headers["location"]
    form(voter, f"{path}/comments", {"body": "See [the guide](https://example.com/guide) and **this**."}, page=path)
    html = author.get(path).text
    assert '<a href="https://example.com/guide" rel="nofollow ugc">the guide</a>' in html
    assert "<strong>this</strong>" in html


def test_api_bad_input_gets_clear_errors(app, question, people):
    author, voter, editor = people
    headers = author.page_csrf_header()
    qid = question["id"]
    empty = author.post(f"/api/questions/{qid}/suggestions", json={"reason": "r", "accept_licence": True},
                        headers=headers)
    assert empty.status_code == 400 and "changes nothing" in empty.json()["detail"]
    huge = author.post(f"/api/questions/{qid}/suggestions", json={"example_answer": "word " * 220_000, "reason": "r",
                                                                 "accept_licence": True}, headers=headers)
    assert huge.status_code in (413, 422) and huge.json()["detail"]
    big = author.post(f"/api/questions/{qid}/suggestions", json={"example_answer": "word " * 10_000, "reason": "r",
                                                                "accept_licence": True}, headers=headers)
    assert big.status_code == 422 and "example_answer: String should have at most 20000" in big.json()["detail"]
    missing = author.post("/api/questions/999999/suggestions", json={"example_answer": "x", "reason": "r",
                                                                     "accept_licence": True}, headers=headers)
    assert missing.status_code == 404 and "no question" in missing.json()["detail"]
    created = author.post(f"/api/questions/{qid}/suggestions", json={
        "example_answer": current_answer(author, qid) + " API.", "reason": "r", "accept_licence": True},
        headers=headers)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["report"]["on_topic"] is True and body["diffs"]["example_answer"]  # a small edit stays on topic
    sid = body["id"]
    own = author.post(f"/api/suggestions/{sid}/vote", json={"value": 1}, headers=headers)
    assert own.status_code == 403 and "own" in own.json()["detail"]
    comment = voter.post(f"/api/suggestions/{sid}/comments", json={"body": "meh"}, headers=voter.page_csrf_header())
    assert comment.status_code == 201
    editor_headers = editor.page_csrf_header()
    assert editor.post(f"/api/comments/{comment.json()['id']}/hide", json={"reason": "rude"},
                       headers=editor_headers).status_code == 204
    reply = author.post(f"/api/suggestions/{sid}/comments", json={"body": "re", "reply_to": comment.json()["id"]},
                        headers=headers)
    assert reply.status_code == 409 and "hidden" in reply.json()["detail"]
    queue = editor.get("/api/community/queue").json()
    assert any(item["id"] == sid for item in queue["items"])
    rejected = editor.post(f"/api/suggestions/{sid}/reject", json={"reason": "Not needed"}, headers=editor_headers)
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    mine = author.get("/api/suggestions/mine").json()
    assert any(s["id"] == sid and s["decision_reason"] == "Not needed" for s in mine)


def test_openapi_documents_the_community_api(app, people):
    schema = people[0].get("/openapi.json").json()
    for path in ("/api/questions/{question_id}/suggestions", "/api/community/queue",
                 "/api/suggestions/{suggestion_id}/accept", "/api/questions/{question_id}/history"):
        assert path in schema["paths"]


def test_scoring_uses_the_accepted_revision_and_old_attempts_keep_theirs(app, question, people):
    author, voter, editor = people
    before = voter.get(f"/api/questions/{question['id']}/history").json()["revisions"][0]["revision"]
    answer = "I would keep one visible list of requests and rank it with the product leads every quarter."
    old_attempt = voter.answer(question["id"], answer).headers["location"]
    assert f'data-scored-revision="{before}"' in voter.get(old_attempt).text
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " Revised.").headers["location"]
    assert form(editor, f"{path}/accept", {}, page=path).status_code == 303
    new_attempt = voter.answer(question["id"], answer).headers["location"]
    assert f'data-scored-revision="{before + 1}"' in voter.get(new_attempt).text
    assert f'data-scored-revision="{before}"' in voter.get(old_attempt).text
    assert voter.get(f"/api{old_attempt}").json()["example_revision"] == before


def test_a_stale_conflicting_suggestion_shows_three_ways_and_cannot_overwrite(app, question, people):
    author, voter, editor = people
    qid = question["id"]
    base = current_answer(author, qid)
    first = send_suggestion(author, question, base + " Ending A.").headers["location"]
    rival = send_suggestion(voter, question, base + " Ending B.").headers["location"]
    assert form(editor, f"{first}/accept", {}, page=first).status_code == 303
    page = editor.get(rival).text
    assert "data-stale" in page and "data-three-way" in page and "data-conflict" in page
    refused = form(editor, f"{rival}/accept", {}, page=rival)
    assert refused.status_code == 409 and "changed the same part" in refused.text
    assert current_answer(author, qid) == base + " Ending A."
    latest = editor.get(f"/api/questions/{qid}/history").json()["revisions"][0]["revision"]
    resolved = form(editor, f"{rival}/accept", {"edit": "true", "edited_base": str(latest),
                                                "example_answer": base + " Ending A. Ending B.",
                                                "intent": question["intent"] or "",
                                                "talking_points": "\n".join(question["talking_points"])}, page=rival)
    assert resolved.status_code == 303
    assert current_answer(author, qid) == base + " Ending A. Ending B."


def test_the_role_page_states_the_banks_licence_and_invites_questions(app, question, people):
    page = people[0].get(f"/roles/{question['role_slug']}").text
    assert "data-bank-licence" in page and "CC-BY-4.0" in page and 'data-action="suggest-question"' in page


def test_admins_make_editors_and_suspend_accounts_through_the_api(app, question, people):
    author, voter, _ = people
    admin = Browser(app)
    make_editor(app, admin.sign_up(), role="admin")
    headers = admin.page_csrf_header()
    voter_id, author_id = (admin.get("/api/community/users", params={"q": client.get("/api/me").json()["email"]})
                           .json()[0]["id"] for client in (voter, author))
    made = admin.put(f"/api/community/users/{voter_id}/role", json={"role": "editor"}, headers=headers)
    assert made.status_code == 200 and made.json()["role"] == "editor"
    assert voter.get("/api/community/queue").status_code == 200  # an editor now
    pending = author.post(f"/api/questions/{question['id']}/suggestions", headers=author.page_csrf_header(), json={
        "example_answer": current_answer(author, question["id"]) + " Spam.", "reason": "r", "accept_licence": True})
    assert pending.status_code == 201
    banned = admin.post(f"/api/community/users/{author_id}/ban", json={"reason": "spam"}, headers=headers)
    assert banned.status_code == 200 and banned.json()["withdrawn"] >= 1
    assert admin.get(f"/api/suggestions/{pending.json()['id']}").json()["status"] == "withdrawn"
    assert author.get("/api/me").status_code == 401  # a suspended account's session no longer counts
    again = admin.post(f"/api/community/users/{author_id}/ban", json={"reason": "spam"}, headers=headers)
    assert again.status_code == 409 and "is already suspended" in again.json()["detail"]
    back = admin.post(f"/api/community/users/{author_id}/reinstate", headers=headers)
    assert back.status_code == 200 and back.json()["active"] is True
    again = admin.post(f"/api/community/users/{author_id}/reinstate", headers=headers)
    assert again.status_code == 409 and "is not suspended" in again.json()["detail"]
    assert admin.get(f"/api/suggestions/{pending.json()['id']}").json()["status"] == "withdrawn"
    refused = voter.post(f"/api/community/users/{author_id}/reinstate", headers=voter.page_csrf_header())
    assert refused.status_code == 403
    admin.close()


def test_api_previews_a_new_question_without_storing_it(app, question, people):
    author, _voter, _editor = people
    from rehearse.bank.models import Question

    with app.state.database.transaction() as session:
        role_id = session.get(Question, question["id"]).role_id
    body = {"text": "How do you decide when to pay down technical debt?",
            "talking_points": ["how you measure the cost of the debt", "how you agree the time with product"],
            "example_answer": "I track how much each sprint loses to the worst modules and agree a fixed share "
                              "of every sprint with the product lead to pay it down."}
    preview = author.post(f"/api/roles/{role_id}/suggestions/preview", json=body, headers=author.page_csrf_header())
    assert preview.status_code == 200, preview.text
    shown = preview.json()
    assert shown["text"] == body["text"] and shown["talking_points"] == body["talking_points"]
    assert [p["point"] for p in shown["report"]["talking_points"]] == body["talking_points"]
    assert shown["digest"]
    assert author.get("/api/suggestions/mine").json() == []  # nothing was stored
    missing = author.post("/api/roles/999999/suggestions/preview", json=body, headers=author.page_csrf_header())
    assert missing.status_code == 404 and "no role" in missing.json()["detail"]
    empty = author.post(f"/api/roles/{role_id}/suggestions/preview", json={**body, "text": "  "},
                        headers=author.page_csrf_header())
    assert empty.status_code == 400 and empty.json()["detail"]


def test_the_preview_page_says_which_talking_point_a_suggestion_drops(app, question, people):
    author = people[0]
    dropped = question["talking_points"][-1]
    preview = form(author, f"/questions/{question['id']}/improve", {
        "example_answer": "We hire people.", "intent": question["intent"] or "",
        "talking_points": "\n".join(question["talking_points"]), "reason": "Shorter.", "action": "preview"})
    assert preview.status_code == 200
    missed = re.search(r"data-report-missed>(.*?)</p>", preview.text, re.S)
    assert missed and dropped in missed.group(1)
    assert "<del>" in preview.text  # the words taken out, word by word
    assert author.get("/api/suggestions/mine").json() == []  # a preview stores nothing


def test_the_author_sees_the_reject_reason_on_their_page_as_text(app, question, people):
    author, _, editor = people
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " More.").headers["location"]
    assert form(editor, f"{path}/reject", {"reason": f"Too long. {SCRIPT}"}, page=path).status_code == 303
    page = author.get("/notifications").text
    reason = re.search(r"data-decision-reason>(.*?)</span>", page, re.S).group(1)
    assert reason.startswith("Too long. &lt;script&gt;") and "<script>document.title" not in page
    assert "rejected" in page and "<img src=x" not in page
    accepted = send_suggestion(author, question, current_answer(author, question["id"]) + " Again.").headers["location"]
    assert form(editor, f"{accepted}/accept", {}, page=accepted).status_code == 303
    previous = editor.get(f"/api/questions/{question['id']}/history").json()["revisions"][1]["revision"]
    reverted = form(editor, f"/questions/{question['id']}/revert", {"revision": str(previous), "reason": SCRIPT},
                    page=f"/questions/{question['id']}/history")
    assert reverted.status_code == 303  # a revert reason is shown in the history, escaped too
    html = author.get(f"/questions/{question['id']}/history").text
    assert "&lt;script&gt;" in html and "<script>document.title" not in html and "<img src=x" not in html


def two_notifications(question, author, voter, editor):
    """The author's suggestion, commented on and then rejected: (its path, the rejection's notification,
    the comment's)."""
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " More.").headers["location"]
    form(voter, f"{path}/comments", {"body": "Which quarter?"}, page=path)
    assert form(editor, f"{path}/reject", {"reason": "Too long."}, page=path).status_code == 303
    rejected, commented = author.get("/api/notifications").json()
    return path, rejected, commented


def test_opening_a_notification_marks_that_one_read_and_goes_to_its_suggestion(app, question, people):
    author, voter, editor = people
    path, rejected, commented = two_notifications(question, author, voter, editor)
    assert author.get("/api/notifications/unread").json()["unread"] == 2
    assert f'href="/notifications/{rejected["id"]}"' in author.get("/notifications").text  # the list links there

    opened = author.get(f"/notifications/{rejected['id']}", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == path
    assert author.get("/api/notifications/unread").json()["unread"] == 1  # the navigation's count
    assert [n["read"] for n in author.get("/api/notifications").json()] == [True, False]
    assert author.get(f"/notifications/{rejected['id']}", follow_redirects=False).headers["location"] == path

    for someone_else in (voter, editor):
        assert someone_else.get(f"/notifications/{commented['id']}", follow_redirects=False).status_code == 404
    assert author.get("/notifications/999999", follow_redirects=False).status_code == 404
    assert author.get("/api/notifications/unread").json()["unread"] == 1  # theirs stays unread
    opened_as_page = author.get("/notifications/read", follow_redirects=False)  # changes nothing
    assert opened_as_page.status_code == 303 and opened_as_page.headers["location"] == "/notifications"
    assert author.get("/api/notifications/unread").json()["unread"] == 1
    assert form(author, "/notifications/read", {}, page="/notifications").status_code == 303  # all, as before
    assert author.get("/api/notifications/unread").json()["unread"] == 0


def test_the_api_marks_notifications_read_only_for_an_absent_body_or_the_documented_shape(app, question, people):
    author, voter, editor = people
    path, rejected, commented = two_notifications(question, author, voter, editor)
    csrf = {**author.page_csrf_header(), "content-type": "application/json"}

    for typo in ('{"idz": [1]}', '{"a": NaN}', '{"ids": [1], "all": true}', '[1]', '{"ids": ["1"]}',
                 '{"ids": [2147483648]}'):
        refused = author.post("/api/notifications/read", content=typo, headers=csrf)
        assert refused.status_code == 422, typo  # a typo never reads as "mark everything"
        assert refused.json()["errors"], typo
    assert author.get("/api/notifications/unread").json()["unread"] == 2

    marked = author.post("/api/notifications/read", json={"ids": [rejected["id"]]}, headers=csrf)
    assert marked.status_code == 200 and marked.json() == {"unread": 1}
    everything = author.post("/api/notifications/read", headers=author.page_csrf_header())  # no body: all
    assert everything.status_code == 200 and everything.json() == {"unread": 0}


def test_a_hidden_comment_is_shown_to_nobody(app, question, people):
    author, voter, editor = people
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " More.").headers["location"]
    form(voter, f"{path}/comments", {"body": "Buy cheap watches at example.com"}, page=path)
    comment_id = voter.get(f"/api{path}").json()["comments"][0]["id"]
    reported = author.post(f"/api/comments/{comment_id}/report", json={"reason": "spam"},
                           headers=author.page_csrf_header())
    assert reported.status_code == 204
    assert [c["id"] for c in editor.get("/api/community/reported-comments").json()] == [comment_id]
    reason = "Contains a raw script tag; off-topic."
    assert form(editor, f"{path}/comments/{comment_id}/hide", {"reason": reason}, page=path).status_code == 303
    for client in (author, voter, editor):
        assert "cheap watches" not in client.get(path).text and "data-hidden-comment" in client.get(path).text
        assert f"Hidden by an editor: {reason}</p>" in client.get(path).text  # one full stop, not two
        shown = client.get(f"/api{path}").json()["comments"][0]
        assert shown["hidden"] and shown["body"] is None and shown["html"] is None
    assert editor.get("/api/community/reported-comments").json() == []


def test_openapi_documents_every_community_api_route(app, people):
    schema = people[0].get("/openapi.json").json()
    api = {path for path in COMMUNITY_ROUTES if path.startswith("/api/")}
    assert api - set(schema["paths"]) == set()
    for path in api:
        for operation in schema["paths"][path].values():
            assert operation.get("summary") and operation.get("responses"), path


def test_a_repeated_new_question_is_refused_with_409_and_the_reason(app, question, people):
    """Two identical suggested questions were once both accepted: the bank's exports then failed to import."""
    author, voter, _editor = people
    from rehearse.bank.models import Question

    with app.state.database.transaction() as session:
        role_id = session.get(Question, question["id"]).role_id
    body = {"reason": "Missing.", "accept_licence": True, "talking_points": ["the timeline", "the actions"]}
    existing = author.post(f"/api/roles/{role_id}/suggestions", json={**body, "text": question["text"].upper()},
                           headers=author.page_csrf_header())
    assert existing.status_code == 409 and "already has that question" in existing.json()["detail"]
    text = "How do you keep a postmortem blameless when the outage cost a customer?"
    first = author.post(f"/api/roles/{role_id}/suggestions", json={**body, "text": text},
                        headers=author.page_csrf_header())
    assert first.status_code == 201, first.text
    again = voter.post(f"/api/roles/{role_id}/suggestions", json={**body, "text": text},
                       headers=voter.page_csrf_header())
    assert again.status_code == 409 and f"Suggestion #{first.json()['id']} already proposes" in again.json()["detail"]


def test_talking_points_and_the_answer_cannot_be_blanked_through_the_api_or_the_forms(app, question, people):
    author, _voter, editor = people
    qid, headers = question["id"], author.page_csrf_header()
    before = author.get(f"/api/questions/{qid}").json()
    for points, message in ((["", "  "], "Talking point 1 is empty"), ([], "no talking points")):
        refused = author.post(f"/api/questions/{qid}/suggestions", headers=headers,
                              json={"talking_points": points, "reason": "r", "accept_licence": True})
        assert refused.status_code == 400 and message in refused.json()["detail"]
    blanked = form(author, f"/questions/{qid}/improve", {
        "example_answer": before["example_answer"], "intent": before["intent"] or "", "talking_points": "\n \n",
        "reason": "r", "accept_licence": "true", "action": "send", "base_revision": "0"})
    assert blanked.status_code == 400 and "no talking points" in blanked.text
    made = author.post(f"/api/questions/{qid}/suggestions", headers=headers, json={
        "example_answer": before["example_answer"] + " Blank me.", "reason": "r", "accept_licence": True})
    assert made.status_code == 201, made.text
    sid = made.json()["id"]
    for edited in ({"example_answer": "   "}, {"talking_points": [" "]}):
        accepted = editor.post(f"/api/suggestions/{sid}/accept", json={"edited": edited},
                               headers=editor.page_csrf_header())
        assert accepted.status_code == 400, accepted.text
    page = form(editor, f"/suggestions/{sid}/accept", {"edit": "true", "example_answer": "", "intent": "",
                                                      "talking_points": ""}, page=f"/suggestions/{sid}")
    assert page.status_code == 400 and "example answer is empty" in page.text
    assert author.get(f"/api/questions/{qid}").json() == before


def test_the_api_documents_the_talking_point_limit_it_applies(app, question, people):
    """The schema said 200 while the server refused more than 20."""
    from rehearse.community.rules import MAX_POINTS

    author = people[0]
    schemas = author.get("/openapi.json").json()["components"]["schemas"]
    for name in ("SuggestionCreate", "EditFields", "QuestionFields", "QuestionSuggestionCreate"):
        [array] = [option for option in schemas[name]["properties"]["talking_points"]["anyOf"]
                   if option.get("type") == "array"]
        assert array["maxItems"] == MAX_POINTS == 20, name
    over = author.post(f"/api/questions/{question['id']}/suggestions", headers=author.page_csrf_header(), json={
        "talking_points": [f"point {n}" for n in range(MAX_POINTS + 1)], "reason": "r", "accept_licence": True})
    assert over.status_code == 422 and "at most 20" in over.json()["detail"]


def test_after_an_account_is_deleted_its_revisions_show_a_former_member_and_no_dead_link(app, question, make_browser):
    author, editor = make_browser(), make_browser()
    email = author.sign_up()
    make_editor(app, editor.sign_up())
    qid = question["id"]
    made = author.post(f"/api/questions/{qid}/suggestions", headers=author.page_csrf_header(), json={
        "example_answer": current_answer(author, qid) + " Kept after I leave.", "reason": "r", "accept_licence": True})
    sid = made.json()["id"]
    assert editor.post(f"/api/suggestions/{sid}/accept", json={}, headers=editor.page_csrf_header()).status_code == 200
    assert f'href="/suggestions/{sid}"' in editor.get(f"/questions/{qid}/history").text
    gone = author.delete("/api/me/account", params={"confirm": email}, headers=author.page_csrf_header())
    assert gone.status_code == 204, gone.text
    assert gone.content == b"" and gone.headers.get("content-length", "0") == "0"  # "null" broke the framing
    page = editor.get(f"/questions/{qid}/history").text
    assert f'href="/suggestions/{sid}"' not in page and "a former member" in page
    [latest, *_] = editor.get(f"/api/questions/{qid}/history").json()["revisions"]
    assert (latest["author"], latest["suggestion_id"]) == ("a former member", None)
    assert current_answer(editor, qid).endswith("Kept after I leave.")


def test_admins_tell_accounts_apart_by_e_mail_where_display_names_repeat(app, make_browser):
    """Anyone may call themself 'editor': the admin page and API listed display names only."""
    admin, copycat = make_browser(), make_browser()
    make_editor(app, admin.sign_up(), role="admin")
    email = copycat.sign_up()
    assert copycat.patch("/api/me", json={"display_name": "editor"}, headers=copycat.page_csrf_header()).is_success
    [listed] = admin.get("/api/community/users", params={"q": email}).json()
    assert listed["display_name"] == "editor"
    page = admin.get("/community/editors", params={"q": email}).text
    assert re.search(rf'<td>editor</td><td data-email>{re.escape(email)}</td>', page)


def test_admins_suspend_and_reinstate_an_account_from_the_editors_page(app, make_browser):
    admin, member = make_browser(), make_browser()
    make_editor(app, admin.sign_up(), role="admin")
    email = member.sign_up()
    [listed] = admin.get("/api/community/users", params={"q": email}).json()
    suspended = form(admin, "/community/editors", {"user_id": str(listed["id"]), "ban": "true", "reason": "spam"})
    assert suspended.status_code == 303
    row = re.search(rf'<tr data-user-row="{listed["id"]}">.*?</tr>',
                    admin.get("/community/editors", params={"q": email}).text, re.S)
    assert "(suspended)" in row.group(0) and 'data-action="reinstate"' in row.group(0)
    assert member.get("/api/me").status_code == 401
    back = form(admin, "/community/editors", {"user_id": str(listed["id"]), "reinstate": "true"})
    assert back.status_code == 303
    row = re.search(rf'<tr data-user-row="{listed["id"]}">.*?</tr>',
                    admin.get("/community/editors", params={"q": email}).text, re.S)
    assert "(suspended)" not in row.group(0) and 'data-action="ban"' in row.group(0)
    member.sign_in(email)
    assert member.get("/api/me").json()["email"] == email


def test_edit_then_accept_through_the_api_keeps_the_fields_the_edit_leaves_out(app, question, people):
    author, _voter, editor = people
    qid, headers = question["id"], editor.page_csrf_header()
    answer = current_answer(author, qid) + " Both changes."
    points = [*question["talking_points"], "how you report progress"]
    made = author.post(f"/api/questions/{qid}/suggestions", headers=author.page_csrf_header(), json={
        "example_answer": answer, "talking_points": points, "reason": "r", "accept_licence": True})
    assert made.status_code == 201, made.text
    reworded = [*question["talking_points"], "how you report progress, and to whom"]
    accepted = editor.post(f"/api/suggestions/{made.json()['id']}/accept", headers=headers,
                           json={"edited": {"talking_points": reworded}})
    assert accepted.status_code == 200, accepted.text
    now = author.get(f"/api/questions/{qid}").json()
    assert (now["example_answer"], now["talking_points"]) == (answer, reworded)
    again = author.post(f"/api/questions/{qid}/suggestions", headers=author.page_csrf_header(), json={
        "example_answer": answer + " As proposed.", "reason": "r", "accept_licence": True})
    as_proposed = editor.post(f"/api/suggestions/{again.json()['id']}/accept", headers=headers, json={"edited": {}})
    assert as_proposed.status_code == 200, as_proposed.text
    assert current_answer(author, qid) == answer + " As proposed."


def test_text_that_shows_nothing_is_refused_through_the_api_with_the_reason(app, question, people):
    """A zero-width space passed every never-blank rule: an invisible answer, points, question and name."""
    author = people[0]
    qid, headers = question["id"], author.page_csrf_header()
    from rehearse.bank.models import Question

    with app.state.database.transaction() as session:
        role_id = session.get(Question, qid).role_id
    invisible = "\u200b\u2060"
    for path, body, message in (
            (f"/api/questions/{qid}/suggestions", {"example_answer": invisible}, "example answer is empty"),
            (f"/api/questions/{qid}/suggestions", {"talking_points": [invisible]}, "Talking point 1 is empty"),
            (f"/api/questions/{qid}/suggestions", {"example_answer": "x " * 40, "reason": invisible},
             "reason is empty"),
            (f"/api/roles/{role_id}/suggestions", {"text": invisible, "talking_points": ["a point"]},
             "question is empty")):
        refused = author.post(path, headers=headers, json={"reason": "r", "accept_licence": True, **body})
        assert refused.status_code == 400 and message in refused.json()["detail"], (path, body, refused.text)
    renamed = author.patch("/api/me", headers=headers, json={"display_name": invisible})
    assert renamed.status_code == 422 and "display name" in renamed.json()["detail"]


def test_the_form_says_an_emptied_intent_cannot_be_sent_and_stores_nothing(app, question, people):
    author = people[0]
    qid = question["id"]
    assert question["intent"]
    sent = form(author, f"/questions/{qid}/improve", {
        "example_answer": current_answer(author, qid), "intent": "",
        "talking_points": "\n".join(question["talking_points"]), "reason": "No intent.", "accept_licence": "true",
        "action": "send", "base_revision": "0"})
    assert sent.status_code == 400 and "intent is empty" in sent.text and "data-form-error" in sent.text
    assert [s for s in author.get("/api/suggestions/mine").json() if s["reason"] == "No intent."] == []
    api = author.post(f"/api/questions/{qid}/suggestions", headers=author.page_csrf_header(),
                      json={"intent": "", "reason": "No intent.", "accept_licence": True})
    assert api.status_code == 400 and "intent is empty" in api.json()["detail"]


def test_nobody_reports_their_own_comment_and_the_page_offers_it_only_on_others(app, question, people):
    author, voter, _editor = people
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " Own.").headers["location"]
    form(voter, f"{path}/comments", {"body": "My own words."}, page=path)
    comment_id = voter.get(f"/api{path}").json()["comments"][0]["id"]
    own = voter.post(f"/api/comments/{comment_id}/report", json={"reason": "oops"}, headers=voter.page_csrf_header())
    assert own.status_code == 403 and "your own comment" in own.json()["detail"]
    assert 'data-action="report-comment"' not in voter.get(path).text
    assert 'data-action="report-comment"' in author.get(path).text


def test_editors_see_where_a_reported_comment_is_how_often_and_why(app, question, people):
    """The listing had no suggestion id, no count and no reasons: the reasons reports require were shown nowhere."""
    author, voter, editor = people
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " Why.").headers["location"]
    suggestion_id = int(path.rsplit("/", 1)[1])
    form(voter, f"{path}/comments", {"body": "Cheap watches at example.com"}, page=path)
    comment_id = voter.get(f"/api{path}").json()["comments"][0]["id"]
    assert form(author, f"{path}/comments/{comment_id}/report", {"reason": "Spam, <b>twice</b>"},
                page=path).status_code == 303
    assert editor.post(f"/api/comments/{comment_id}/report", json={"reason": "Advertising"},
                       headers=editor.page_csrf_header()).status_code == 204
    [listed] = [c for c in editor.get("/api/community/reported-comments").json() if c["id"] == comment_id]
    assert (listed["suggestion_id"], listed["reports"]) == (suggestion_id, 2)
    names = [author.get("/api/me").json()["display_name"], editor.get("/api/me").json()["display_name"]]
    assert [(r["reporter"], r["reason"]) for r in listed["reasons"]] == list(zip(
        names, ["Spam, <b>twice</b>", "Advertising"], strict=True))
    queue = editor.get("/community/queue").text
    shown = re.search(rf'<li data-reported-comment="{comment_id}">.*?</ul></li>', queue, re.S).group(0)
    assert f'href="/suggestions/{suggestion_id}#comment-{comment_id}"' in shown
    assert "Spam, &lt;b&gt;twice&lt;/b&gt;" in shown and "Advertising" in shown and "2 reports" in shown
    assert f'id="comment-{comment_id}"' in editor.get(path).text


def test_admins_find_any_account_by_search_and_page_through_all_of_them(app, make_browser):
    """The list stopped at 200 accounts: number 201 could be neither found, promoted nor suspended."""
    from rehearse.community.editors import USERS_PAGE

    admin = make_browser()
    make_editor(app, admin.sign_up(), role="admin")
    tag = uuid.uuid4().hex[:8]
    with app.state.database.transaction(writes=True) as session:
        for n in range(USERS_PAGE + 3):
            accounts.create_user(session, email=f"bulk{n}-{tag}@example.com", password_hash="x",
                                 display_name=f"Bulk {n}")
    found = admin.get("/api/community/users", params={"q": f"BULK{USERS_PAGE + 2}-{tag}"}).json()
    assert [u["email"] for u in found] == [f"bulk{USERS_PAGE + 2}-{tag}@example.com"]
    every = admin.get("/api/community/users", params={"q": tag, "limit": 500}).json()
    assert len(every) == USERS_PAGE + 3
    pages = [admin.get("/api/community/users", params={"q": tag, "limit": 20, "offset": offset}).json()
             for offset in range(0, USERS_PAGE + 3, 20)]
    assert [u["id"] for page in pages for u in page] == [u["id"] for u in every]
    assert admin.get("/api/community/users", params={"limit": 501}).status_code == 422
    assert admin.get("/api/community/users", params={"q": "100%_"}).json() == []  # wildcards are text

    first = admin.get("/community/editors", params={"q": tag}).text
    assert first.count("data-user-row=") == USERS_PAGE and 'data-action="next-page"' in first
    assert f'href="?q={tag}&amp;page=2"' in first
    second = admin.get("/community/editors", params={"q": tag, "page": 2}).text
    assert second.count("data-user-row=") == 3 and 'data-action="next-page"' not in second
    last = every[-1]
    suspended = form(admin, "/community/editors", {"user_id": str(last["id"]), "ban": "true", "reason": "bulk",
                                                  "q": tag, "page": "2"}, page=f"/community/editors?q={tag}&page=2")
    assert suspended.status_code == 303 and suspended.headers["location"] == f"/community/editors?q={tag}&page=2"
    assert admin.get("/api/community/users", params={"q": last["email"]}).json()[0]["active"] is False


def test_a_suspended_accounts_api_token_is_refused_saying_so(app, make_browser):
    admin, member = make_browser(), make_browser()
    make_editor(app, admin.sign_up(), role="admin")
    email = member.sign_up()
    token = member.post("/api/tokens", json={"name": "script"}, headers=member.page_csrf_header()).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    [listed] = admin.get("/api/community/users", params={"q": email}).json()
    assert admin.post(f"/api/community/users/{listed['id']}/ban", json={"reason": "spam"},
                      headers=admin.page_csrf_header()).status_code == 200
    refused = member.get("/api/me", headers=bearer)
    assert refused.status_code == 401 and "suspended" in refused.json()["detail"]
    wrong = member.get("/api/me", headers={"Authorization": "Bearer rh_not-a-token"})
    assert wrong.status_code == 401 and "not valid" in wrong.json()["detail"]
    assert admin.post(f"/api/community/users/{listed['id']}/reinstate",
                      headers=admin.page_csrf_header()).status_code == 200
    assert member.get("/api/me", headers=bearer).json()["email"] == email


def test_a_suspended_account_signing_in_with_its_password_is_told_it_is_suspended(app, make_browser):
    """It was told that the e-mail address or password was not right; the API answers 403, the page says so.
    A wrong password still hears only that."""
    admin, member = make_browser(), make_browser()
    make_editor(app, admin.sign_up(), role="admin")
    email = member.sign_up()
    [listed] = admin.get("/api/community/users", params={"q": email}).json()
    assert admin.post(f"/api/community/users/{listed['id']}/ban", json={"reason": "spam"},
                      headers=admin.page_csrf_header()).status_code == 200
    stranger = make_browser()
    refused = stranger.post("/api/auth/token", json={"email": email, "password": PASSWORD})
    assert refused.status_code == 403 and "This account is suspended" in refused.json()["detail"]
    page = stranger.sign_in(email)
    assert page.status_code == 403 and "This account is suspended" in page.text
    assert stranger.get("/api/me").status_code == 401  # and nobody is signed in
    for wrong in (stranger.post("/api/auth/token", json={"email": email, "password": "not the password"}),
                  stranger.sign_in(email, "not the password")):
        assert wrong.status_code == 401 and "suspended" not in wrong.text and "not right" in wrong.text


def test_consent_and_votes_take_only_the_documented_values(app, question, people):
    """"yes" and 1 counted as agreeing to the licence; true and 1.0 as an up-vote."""
    author, voter, _editor = people
    qid = question["id"]
    body = {"example_answer": current_answer(author, qid) + " Consent.", "reason": "r"}
    for consent in ("yes", 1, "true"):
        refused = author.post(f"/api/questions/{qid}/suggestions", json={**body, "accept_licence": consent},
                              headers=author.page_csrf_header())
        assert refused.status_code == 422 and "accept_licence" in refused.text, consent
    made = author.post(f"/api/questions/{qid}/suggestions", json={**body, "accept_licence": True},
                       headers=author.page_csrf_header())
    assert made.status_code == 201, made.text
    for value in (True, 1.0, "1"):
        vote = voter.post(f"/api/suggestions/{made.json()['id']}/vote", json={"value": value},
                          headers=voter.page_csrf_header())
        assert vote.status_code == 422, value
    assert voter.post(f"/api/suggestions/{made.json()['id']}/vote", json={"value": 1},
                      headers=voter.page_csrf_header()).json()["votes"] == 1


def test_a_candidate_who_takes_an_editors_name_is_told_apart_by_number_and_badge(app, question, people):
    """Display names are free text, so two people may share one: the pages show each contributor's
    account number, and a role badge only for editors and admins."""
    author, voter, editor = people
    editor_name = editor.get("/api/me").json()["display_name"]
    renamed = voter.patch("/api/me", json={"display_name": editor_name}, headers=voter.page_csrf_header())
    assert renamed.status_code == 200
    path = send_suggestion(author, question, current_answer(author, question["id"]) + " Badge.").headers["location"]
    form(voter, f"{path}/comments", {"body": "Approved by the editors."}, page=path)
    form(editor, f"{path}/comments", {"body": "Not approved yet."}, page=path)
    page = author.get(path).text
    comments = re.findall(r'<strong data-comment-author>([^<]*)</strong> <span class="meta" data-person-id>#(\d+)</span>'
                          r'( <span class="chip role-badge" data-role-badge>editor</span>)?', page)
    voter_id, editor_id = voter.get("/api/me").json()["id"], editor.get("/api/me").json()["id"]
    assert sorted(comments) == sorted([(editor_name, str(voter_id), ""),
                                       (editor_name, str(editor_id), ' <span class="chip role-badge" '
                                                                      'data-role-badge>editor</span>')])


def test_revisions_replies_and_hiding_take_json_numbers_and_booleans(app, question, people):
    """"3" for a revision, "7" for the comment replied to and "yes" for hidden were taken as 3, 7 and true."""
    author, voter, editor = people
    qid = question["id"]
    body = {"example_answer": current_answer(author, qid) + " Strict.", "reason": "r", "accept_licence": True}
    for base in ("0", 0.0, True):
        sent = author.post(f"/api/questions/{qid}/suggestions", json={**body, "base_revision": base},
                           headers=author.page_csrf_header())
        assert sent.status_code == 422 and "base_revision" in sent.text, base
    made = author.post(f"/api/questions/{qid}/suggestions", json=body, headers=author.page_csrf_header())
    sid = made.json()["id"]
    first = voter.post(f"/api/suggestions/{sid}/comments", json={"body": "First."}, headers=voter.page_csrf_header())
    assert first.status_code == 201, first.text
    reply = author.post(f"/api/suggestions/{sid}/comments", json={"body": "Reply.", "reply_to": str(first.json()["id"])},
                        headers=author.page_csrf_header())
    assert reply.status_code == 422 and "reply_to" in reply.text
    hide = editor.post(f"/api/comments/{first.json()['id']}/hide", json={"reason": "Spam", "hidden": "yes"},
                       headers=editor.page_csrf_header())
    assert hide.status_code == 422 and "hidden" in hide.text
    revert = editor.post(f"/api/questions/{qid}/revert", json={"revision": "1", "reason": "Back"},
                         headers=editor.page_csrf_header())
    assert revert.status_code == 422 and "revision" in revert.text
    accept = editor.post(f"/api/suggestions/{sid}/accept", json={"edited_base": "0"}, headers=editor.page_csrf_header())
    assert accept.status_code == 422 and "edited_base" in accept.text
