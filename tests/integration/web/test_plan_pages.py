"""A prep plan through the pages and the API: paste, see what matched, feed the review queue and a mock."""

import re

from .conftest import Browser

POSTING = """Engineering Manager, Platform

You will own how the platform team takes requests from several product teams: rank competing requests
against company priorities, explain the trade-offs to the teams that wait, and build self-service tooling.
You will hire engineers and run the on-call rotation.
"""


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_paste_a_posting_then_review_and_mock(app, question):
    ann = Browser(app)
    ann.sign_up()
    made = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": POSTING},
                    follow_redirects=False)
    assert made.status_code == 303
    page = ann.get(made.headers["location"]).text
    ids = [int(i) for i in re.findall(r'data-plan-question="(\d+)"', page)]
    assert question["id"] in ids[:5] and "data-matched-phrase" in page
    added = ann.post(made.headers["location"] + "/review", data={"csrf_token": csrf(page)})
    assert "data-review-added" in added.text
    assert ann.get("/api/review/due").json()["count"] == len(ids)
    mock = ann.post(made.headers["location"] + "/mock", data={"csrf_token": csrf(page)}, follow_redirects=False)
    assert mock.status_code == 303 and mock.headers["location"].startswith("/mocks/")
    plan_id = int(made.headers["location"].rsplit("/", 1)[1])
    api = ann.get(f"/api/plans/{plan_id}").json()
    assert [i["question_id"] for i in api["items"]] == ids and api["items"][0]["phrase"]


def test_bad_postings_get_a_clear_4xx(app):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    empty = ann.post("/api/plans", json={"posting": ""}, headers=headers)
    assert empty.status_code == 422 and "Paste the job posting" in empty.json()["detail"]
    huge = ann.post("/api/plans", json={"posting": "x" * 1_000_000}, headers=headers)
    assert huge.status_code == 413
    form = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": "too short"})
    assert form.status_code == 422 and "at least 80 characters" in form.text
    assert ann.get("/api/plans").json() == []
