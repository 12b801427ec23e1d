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


def _form_state(page: str) -> dict:
    return {"minutes": re.search(r'id="mock-minutes"[^>]* value="([^"]+)"', page).group(1),
            "follow_ups": bool(re.search(r'name="follow_ups" value="1" checked', page)),
            "selected": re.findall(r'<option value="([^"]+)" selected', page)}


def test_a_plan_mock_keeps_the_last_mock_choices_and_the_last_role(app, question):
    ann = Browser(app)
    ann.sign_up()
    page = ann.get(f"/mock?role={question['role_slug']}").text
    role = re.search(r'<option value="(\d+)" selected', page).group(1)
    ann.post("/mock", data={"csrf_token": csrf(page), "role": role, "questions": "2", "minutes": "1.5"},
             follow_redirects=False)  # follow-ups off, a minute and a half
    [last] = ann.get("/api/mocks").json()
    for _ in range(2):  # finished: one mock at a time
        current = ann.get(f"/api/mocks/{last['id']}").json()["current_item_id"]
        ann.post(f"/api/mocks/{last['id']}/answers", json={"item_id": current, "answer": "I led it."},
                 headers=ann.page_csrf_header())
    made = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": POSTING},
                    follow_redirects=False)
    plan = ann.get(made.headers["location"]).text
    started = ann.post(made.headers["location"] + "/mock", data={"csrf_token": csrf(plan)}, follow_redirects=False)
    mock = ann.get("/api" + started.headers["location"]).json()
    assert mock["seconds_per_answer"] == 90 and mock["follow_ups"] is False
    assert _form_state(ann.get("/mock").text) == {"minutes": "1.5", "follow_ups": False, "selected": [role]}


def test_deleting_a_plan_asks_first_then_says_it_is_done_and_keeps_what_it_fed(app, question):
    ann = Browser(app)
    ann.sign_up()
    location = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": POSTING},
                        follow_redirects=False).headers["location"]
    plan_id = int(location.rsplit("/", 1)[1])
    page = ann.get(location).text
    ann.post(f"{location}/review", data={"csrf_token": csrf(page)})
    due = ann.get("/api/review/due").json()["count"]
    assert f'href="/plans/{plan_id}/delete" data-action="delete-plan"' in page
    confirm = ann.get(f"{location}/delete")
    assert confirm.status_code == 200 and 'data-confirm="delete-plan"' in confirm.text
    assert ann.get(f"/api/plans/{plan_id}").status_code == 200  # asking deleted nothing
    gone = ann.post(f"{location}/delete", data={"csrf_token": csrf(confirm.text)}, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/plans?deleted=1"
    landed = ann.get(gone.headers["location"]).text
    assert "data-plan-deleted" in landed and "Prep plan deleted." in landed and f'data-plan="{plan_id}"' not in landed
    assert ann.get(location).status_code == 404 and ann.get("/api/plans").json() == []
    assert ann.get("/api/review/due").json()["count"] == due  # the questions it queued stay queued


def test_the_api_deletes_a_plan(app):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    plan = ann.post("/api/plans", json={"posting": POSTING}, headers=headers).json()
    assert ann.delete(f"/api/plans/{plan['id']}", headers=headers).status_code == 204
    assert ann.get(f"/api/plans/{plan['id']}").status_code == 404
    assert ann.delete(f"/api/plans/{plan['id']}", headers=headers).status_code == 404


def test_the_page_explains_relevance_as_the_api_does(app, question):
    ann = Browser(app)
    ann.sign_up()
    made = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": POSTING},
                    follow_redirects=False)
    page = ann.get(made.headers["location"]).text
    assert "50% is just strong enough, 100% twice as strong" in page and "as close as a typical one" not in page
    assert ("data-plan-other-roles" in page) == ("From other roles" in page)


def test_a_double_click_on_mock_interview_with_the_first_five_starts_one_mock(app):
    """The page's form carries a one-time key: the same page sent twice (a double click, a reload) lands on the
    mock the first one started, instead of leaving a second one running."""
    ann = Browser(app)
    ann.sign_up()
    made = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": POSTING},
                    follow_redirects=False)
    page = ann.get(made.headers["location"]).text
    form = {"csrf_token": csrf(page), "form_key": re.search(r'name="form_key" value="([^"]+)"', page).group(1)}
    first, second = (ann.post(made.headers["location"] + "/mock", data=form, follow_redirects=False)
                     for _ in range(2))
    assert first.status_code == second.status_code == 303
    assert first.headers["location"] == second.headers["location"]
    assert [m["status"] for m in ann.get("/api/mocks").json()] == ["in_progress"]
    # the page shown again has a new key: a mock started on purpose a second time is a second mock
    again = ann.get(made.headers["location"]).text
    key = re.search(r'name="form_key" value="([^"]+)"', again).group(1)
    assert key != form["form_key"]
    abandon = ann.page_csrf_header()
    ann.delete("/api" + first.headers["location"], headers=abandon)  # one mock at a time: the first one goes
    third = ann.post(made.headers["location"] + "/mock", data={"csrf_token": csrf(again), "form_key": key},
                     follow_redirects=False)
    assert third.status_code == 303 and [m["status"] for m in ann.get("/api/mocks").json()] == ["in_progress"]
    ann.delete("/api" + third.headers["location"], headers=abandon)
    # the API: the same Idempotency-Key starts one mock too
    plan_id = int(made.headers["location"].rsplit("/", 1)[1])
    headers = {**ann.page_csrf_header(), "Idempotency-Key": "plan-mock-once"}
    api = [ann.post(f"/api/plans/{plan_id}/mock", headers=headers) for _ in range(2)]
    assert [r.status_code for r in api] == [201, 200] and api[0].json() == api[1].json()
    assert api[1].headers.get("idempotent-replayed") == "true" and len(ann.get("/api/mocks").json()) == 1


# The title names a role; the rest says nothing a question is about ("run incident postmortems", once here, is a
# duty since postings written as prose are cut into duties, and finds the incident question).
TITLE_ONLY = ("Engineering Manager. Lead a team of engineers and keep the team happy and productive in our sunny "
              "office. ") * 3


def test_a_posting_no_question_matches_strongly_is_refused_not_saved_empty(app):
    """The title names a role but no line matches one of its questions strongly: a plan of nothing, whose review
    and mock buttons cannot work, is refused like a posting for another trade, and the form keeps the text."""
    ann = Browser(app)
    ann.sign_up()
    api = ann.post("/api/plans", json={"posting": TITLE_ONLY}, headers=ann.page_csrf_header())
    assert api.status_code == 422 and "strongly enough" in api.json()["detail"]
    form = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": TITLE_ONLY})
    assert form.status_code == 422 and "data-form-error" in form.text and "strongly enough" in form.text
    assert "in our sunny office. Engineering Manager." in form.text  # the text kept to edit
    assert ann.get("/api/plans").json() == []


def test_a_plan_with_no_questions_left_offers_no_buttons_that_cannot_work(app):
    """A plan saved empty before that was refused, or whose questions were all deleted since."""
    from rehearse.accounts.models import User
    from rehearse.plans import service as plans

    ann = Browser(app)
    email = ann.sign_up()
    with app.state.database.transaction() as session:
        user = session.query(User).filter_by(email=email).one()
        plan_id = plans.store(session, user=user, planned={"title": "Engineering Manager", "posting": TITLE_ONLY,
                                                           "role_id": None, "items": []}).id
    page = ann.get(f"/plans/{plan_id}").text
    assert "data-plan-empty" in page and 'data-action="plan-review"' not in page
    assert 'data-action="plan-mock"' not in page and 'data-action="delete-plan"' in page


def test_a_one_question_plan_says_so_in_the_singular(app, question):
    """"1 question that match the posting"."""
    from rehearse.accounts.models import User
    from rehearse.plans import service as plans

    ann = Browser(app)
    email = ann.sign_up()
    item = {"question_id": question["id"], "relevance": 0.8, "meaning": 0.5, "phrase": "rank competing requests",
            "terms": [], "weakness": 0.0, "last_score": None, "competencies": [], "measure": "word overlap"}
    with app.state.database.transaction() as session:
        user = session.query(User).filter_by(email=email).one()
        plan_id = plans.store(session, user=user, planned={"title": "Engineering Manager", "posting": POSTING,
                                                           "role_id": None, "items": [item]}).id
    page = " ".join(ann.get(f"/plans/{plan_id}").text.split())
    assert "1 question that matches the posting" in page and "Mock interview with its question" in page
    assert "1 question</span>" in " ".join(ann.get("/plans").text.split())


def test_the_posting_is_counted_as_typed_and_a_cut_is_said(app):
    """The form's CRLF line ends counted twice (221,021 for 219,320 typed), and the text came back cut with
    no word."""
    ann = Browser(app)
    ann.sign_up()
    long = "\r\n".join(POSTING.strip().splitlines() * 200)  # as a browser sends a textarea
    refused = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": long})
    text = " ".join(refused.text.split())
    assert refused.status_code == 413
    assert f"The posting is {len(long.replace(chr(13), '')):,} characters long" in text
    assert "The box below holds its first 30,000 characters only" in text
    kept = re.search(r'<textarea id="posting"[^>]*>([^<]*)</textarea>', refused.text).group(1)
    assert len(kept) == 30_000
    api = ann.post("/api/plans", json={"posting": long}, headers=ann.page_csrf_header())
    assert api.status_code == 413 and f"{len(long.replace(chr(13), '')):,} characters" in api.json()["detail"]


HEAD_OF_ENGINEERING = """Head of Engineering - Fernweh Travel

What you will do
- Lead 35 engineers in five teams, and grow the organisation as the company grows.
- Hire and develop engineering managers.
- Build a career framework for engineers and managers.
- Move our weekly releases to continuous delivery.
- Run incident management and blameless postmortems.
- Own the engineering budget, including our external QA contractor.
- Scale hiring without lowering the bar.

What you bring
- You have built and managed an annual engineering budget and headcount plan.
- You have led a multi-team engineering organisation through a period of fast growth.
- You have built a bench of leaders who can succeed you.
"""


def test_the_api_takes_a_role_to_plan_for_and_refuses_one_that_is_not_there(app):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    picked = ann.post("/api/plans", json={"posting": HEAD_OF_ENGINEERING}, headers=headers).json()
    assert picked["role"] == "Head of Software Engineering" and "title" in picked["role_reason"]
    chosen = ann.post("/api/plans", json={"posting": HEAD_OF_ENGINEERING, "role": "vp-of-engineering"},
                      headers=headers)
    assert chosen.status_code == 201 and chosen.json()["role"] == "VP of Engineering"
    unknown = ann.post("/api/plans", json={"posting": HEAD_OF_ENGINEERING, "role": "chief-of-fun"}, headers=headers)
    assert unknown.status_code == 422 and "There is no role “chief-of-fun”" in unknown.json()["detail"]
    assert "GET /api/roles" in unknown.json()["detail"]
    assert len(ann.get("/api/plans").json()) == 2


def test_the_plan_page_says_which_role_and_why_and_offers_another(app):
    ann = Browser(app)
    ann.sign_up()
    made = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": HEAD_OF_ENGINEERING},
                    follow_redirects=False)
    page = ann.get(made.headers["location"]).text
    assert re.search(r"data-plan-role-name>Head of Software Engineering<", page)
    assert "data-plan-role-reason" in page and "is its name with words left out" in page
    switch = re.search(r'<form[^>]*data-plan-switch>(.*?)</form>', page, re.S).group(1)
    options = dict((name.strip(), value) for value, name in re.findall(r'<option value="(\d+)">([^<(]+)', switch))
    assert "VP of Engineering" in options and "Head of Software Engineering" not in options
    remade = ann.post("/plans", data={"csrf_token": csrf(page), "posting": HEAD_OF_ENGINEERING,
                                      "role": options["VP of Engineering"]}, follow_redirects=False)
    assert remade.status_code == 303 and remade.headers["location"] != made.headers["location"]
    assert re.search(r"data-plan-role-name>VP of Engineering<", ann.get(remade.headers["location"]).text)


def test_the_form_says_what_is_wrong_with_a_role_that_is_not_there(app):
    ann = Browser(app)
    ann.sign_up()
    refused = ann.post("/plans", data={"csrf_token": csrf(ann.get("/plans").text), "posting": HEAD_OF_ENGINEERING,
                                       "role": "999999"})
    assert refused.status_code == 422 and "There is no role “999999”" in refused.text
    assert re.search(r'<select id="role"[^>]*aria-invalid="true"', refused.text)
