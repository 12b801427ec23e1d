"""The suggest-a-question page: a preview first (nothing stored), a send only of what was previewed, and
bad input answered with the reason on the page, the preview kept where there was one."""

from __future__ import annotations

import re

from .conftest import Browser

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_PREVIEWED = re.compile(r'name="previewed" value="([^"]*)"')
FIELDS = {"text": "How would you introduce error budgets to a team that ships daily?",
          "intent": "Whether you can trade reliability against speed with data.",
          "talking_points": "how you set the first SLO\nwho decides when the budget is spent",
          "example_answer": "I would set the first SLO from a month of real latency data, and agree with the "
                            "product lead that a spent budget pauses launches.",
          "reason": "Nothing in the bank covers error budgets."}


def role_of(app, question: dict) -> int:
    from sqlalchemy import select

    from rehearse.bank.models import Question

    with app.state.database.transaction() as session:
        return session.scalar(select(Question.role_id).where(Question.id == question["id"]))


def post(client: Browser, role_id: int, **data):
    token = _CSRF.search(client.get(f"/roles/{role_id}/suggest").text).group(1)
    return client.post(f"/roles/{role_id}/suggest", data={"csrf_token": token, **data}, follow_redirects=False)


def test_only_a_previewed_question_is_sent(app, question, make_browser):
    author = make_browser()
    author.sign_up()
    role_id = role_of(app, question)

    unseen = post(author, role_id, **FIELDS, accept_licence="true", action="send")  # no preview yet
    assert unseen.status_code == 200 and "data-preview-notice" in unseen.text and "data-question-preview" in unseen.text
    assert author.get("/api/suggestions/mine").json() == []
    digest = _PREVIEWED.search(unseen.text).group(1)
    assert digest

    edited = post(author, role_id, **{**FIELDS, "intent": "Something else."}, accept_licence="true", action="send",
                  previewed=digest)  # the digest of another version
    assert edited.status_code == 200 and "data-preview-notice" in edited.text
    assert author.get("/api/suggestions/mine").json() == []

    no_licence = post(author, role_id, **FIELDS, action="send", previewed=digest)
    assert no_licence.status_code == 400 and "licence" in no_licence.text and "data-question-preview" in no_licence.text

    sent = post(author, role_id, **FIELDS, accept_licence="true", action="send", previewed=digest)
    assert sent.status_code == 303, sent.text
    (mine,) = author.get("/api/suggestions/mine").json()
    assert sent.headers["location"] == f"/suggestions/{mine['id']}"
    stored = author.get(f"/api/suggestions/{mine['id']}").json()
    assert stored["kind"] == "new_question" and stored["report"] is not None
    assert stored["proposed"]["talking_points"] == FIELDS["talking_points"].split("\n")


def test_bad_input_is_answered_on_the_page(app, question, make_browser):
    author = make_browser()
    author.sign_up()
    role_id = role_of(app, question)
    empty = post(author, role_id, **{**FIELDS, "text": "   "}, action="preview")
    assert empty.status_code == 400 and "The question is empty" in empty.text
    long = post(author, role_id, **{**FIELDS, "text": "x" * 1_001}, action="preview")
    assert long.status_code == 400 and "the most allowed is 1,000" in long.text
    too_many = post(author, role_id, **{**FIELDS, "talking_points": "\n".join(f"point {i}" for i in range(25))})
    assert too_many.status_code == 400 and "talking points" in too_many.text
    token = _CSRF.search(author.get(f"/roles/{role_id}/suggest").text).group(1)
    missing = author.post("/roles/2147483000/suggest", data={"csrf_token": token, **FIELDS})
    assert missing.status_code == 404
    assert author.get("/api/suggestions/mine").json() == []
