"""A mock interview through the pages: bad settings, the whole flow with a follow-up, reloading, sharing."""

import html
import re
import zlib

import pytest
from fastapi.testclient import TestClient

from rehearse.web.app import create_app

from .conftest import Browser
from .speech_fakes import install as install_speech
from .speech_fakes import recording

WEAK = "I worked on it with the team and it went well."


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def start(client, question, **fields):
    page = client.get(f"/mock?role={question['role_slug']}").text
    role = re.search(r'<option value="(\d+)" selected', page).group(1)
    data = {"csrf_token": csrf(page), "role": role, "questions": "2", "minutes": "1", "follow_ups": "1", **fields}
    return client.post("/mock", data=data, follow_redirects=False)


@pytest.mark.parametrize(("fields", "message"), [
    ({"questions": "0"}, "1 to 15 questions, not 0"),
    ({"questions": "500"}, "1 to 15 questions, not 500"),
    ({"questions": "many"}, "must be a whole number"),
    ({"minutes": "0"}, "30 s to 15 minutes, not 0 s"),
    ({"minutes": "1440"}, "30 s to 15 minutes, not 86400 s"),
    ({"role": "999999"}, "There is no role"),
    ({"minutes": "inf"}, "30 s to 15 minutes, not &#39;inf&#39;"),  # not finite: it overflowed into a 500
    ({"minutes": "1e309"}, "30 s to 15 minutes, not &#39;1e309&#39;"),
    ({"minutes": "nan"}, "30 s to 15 minutes, not &#39;nan&#39;"),
    ({"minutes": "soon"}, "a number of minutes, not &#39;soon&#39;"),
    # browser validation bypassed: empty is not the default (FastAPI read it as absent: 5 questions, 3 minutes)
    ({"questions": ""}, "Give the number of questions: 1 to 15."),
    ({"minutes": " "}, "Give the time per answer: 30 s to 15 minutes."),
    ({"minutes": ""}, "Give the time per answer: 30 s to 15 minutes."),
])
def test_bad_settings_show_the_form_again_with_why_and_save_nothing(app, question, fields, message):
    ann = Browser(app)
    ann.sign_up()
    response = start(ann, question, **fields)
    assert response.status_code in (404, 422) and message in response.text
    assert "data-mock-form" in response.text and "data-form-error" in response.text  # the form, not an error page
    assert ann.get("/api/mocks").json() == []


@pytest.mark.parametrize("body", [{"questions": True}, {"questions": "2"}, {"questions": 2.0},
                                  {"seconds_per_answer": True}, {"seconds_per_answer": "60"}, {"seed": True}])
def test_the_api_takes_numbers_as_numbers(app, question, body):
    """`true` is not one question: a client that sends it is told, not given a one-question mock."""
    ann = Browser(app)
    ann.sign_up()
    response = ann.post("/api/mocks", json={"role": question["role_slug"], **body}, headers=ann.page_csrf_header())
    assert response.status_code == 422 and ann.get("/api/mocks").json() == []


def test_a_whole_mock_with_follow_ups_reloads_and_ends_with_a_shareable_report(app, question):
    ann = Browser(app)
    email = ann.sign_up()
    location = start(ann, question).headers["location"]
    seen, follow_ups = [], 0
    for _ in range(6):
        page = ann.get(location).text
        if "data-mock-report" in page:
            break
        item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
        assert ann.get(location).text.count(f'value="{item}"') == 1  # a reload shows the same question
        follow_ups += "data-follow-up=" in page
        seen.append(item)
        assert "data-report" not in page and "score-pill" not in page  # no feedback until the end
        ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK})
        # sending the same answer twice (a double click) changes nothing
        again = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK})
        assert again.status_code == 200
    assert len(seen) == len(set(seen)) == 4 and follow_ups == 2
    report = ann.get(location).text
    assert report.count("data-mock-result=") == 2 and report.count("data-mock-follow-up") == 2
    assert 'data-chart="competencies"' in report and "data-chart-table" in report
    # each score is told in words too, not by its colour alone: out of 100, and the report's grade
    told = re.findall(r'score-pill band-\w+">\d+</span><span class="visually-hidden"> out of 100</span> '
                      r'<span class="grade-word" data-grade>([\w-]+)</span>', report)
    # (WEAK is about nothing in particular: each answer's own report grades it "off-topic", and so does this one)
    assert len(told) == 4 and set(told) <= {"excellent", "strong", "fair", "weak", "poor", "off-topic"}
    assert re.search(r"data-mock-score>\d+</span> out of 100 \((excellent|strong|fair|weak|poor)\)", report)
    mock_id = int(location.rsplit("/", 1)[1])
    ann.post(f"{location}/share", data={"csrf_token": csrf(report), "action": "share"})
    link = re.search(r'href="http://testserver(/shared/mocks/[^"]+)" data-share-link', ann.get(location).text).group(1)
    shared = Browser(app).get(link)
    assert shared.status_code == 200 and "data-mock-report" in shared.text and "data-action" not in shared.text
    assert "data-share-link" not in shared.text and email not in shared.text  # the report, not the account
    ann.post(f"{location}/share", data={"csrf_token": csrf(report), "action": "revoke"})
    assert Browser(app).get(link).status_code == 404
    api = ann.get(f"/api/mocks/{mock_id}").json()
    assert api["status"] == "finished" and api["summary"]["answered"] == 2 and api["share_url"] is None
    assert all(i["score"] is not None for i in api["items"])


def test_the_api_hides_scores_until_the_end(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "seed": 7,
                                        "follow_ups": False}, headers=headers).json()
    assert mock["seed"] == 7 and mock["items"][0]["score"] is None and mock["items"][0]["seconds_left"] == 180
    wrong = ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": 2**31 - 1, "answer": WEAK}, headers=headers)
    assert wrong.status_code == 404
    done = ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": mock["current_item_id"], "answer": WEAK,
                                                              "timed_out": True}, headers=headers).json()
    # finished: the score shows; with 180 s left the time had not run out, whatever the client said
    assert done["status"] == "finished" and done["items"][0]["score"] is not None
    assert done["items"][0]["timed_out"] is False
    assert ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "mode": "sung"},
                    headers=headers).status_code == 422


def backdate(app, item_id: int, seconds: int) -> None:
    """The item's countdown started `seconds` earlier: it ran on while the test did not wait."""
    from datetime import timedelta

    from rehearse.mock.models import MockItem

    with app.state.database.transaction(writes=True) as session:
        item = session.get(MockItem, item_id)
        item.started_at -= timedelta(seconds=seconds)


def test_an_empty_answer_is_refused_while_time_is_left_and_sent_by_the_countdown_at_zero(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 2, "follow_ups": False},
                    headers=headers).json()
    answers, first = f"/api/mocks/{mock['id']}/answers", mock["current_item_id"]
    for claimed in (False, True):
        refused = ann.post(answers, json={"item_id": first, "answer": " ", "timed_out": claimed}, headers=headers)
        assert refused.status_code == 422
        assert "The answer is empty and this question has 180 s left" in refused.json()["detail"]
    assert ann.get(f"/api/mocks/{mock['id']}").json()["current_item_id"] == first  # nothing moved on
    page = ann.get(f"/mocks/{mock['id']}").text
    assert re.search(r"<textarea[^>]*data-answer required", page)  # the browser asks for an answer before Next

    backdate(app, first, 180)  # the countdown reaches zero and sends the box as it is: empty
    sent = ann.post(answers, json={"item_id": first, "answer": "", "timed_out": True}, headers=headers)
    assert sent.status_code == 200 and sent.json()["current_item_id"] != first
    confirm = ann.get(f"/mocks/{mock['id']}/abandon").text
    assert "You have not answered any of its questions yet." in confirm  # an empty answer is not one kept
    done = ann.post(answers, json={"item_id": sent.json()["current_item_id"], "answer": WEAK}, headers=headers).json()
    assert [(i["score"], i["timed_out"]) for i in done["items"]][0] == (0, True)
    summary = done["summary"]
    assert (summary["asked"], summary["answered"], summary["unanswered"], summary["timed_out"]) == (2, 1, 1, 1)
    report = ann.get(f"/mocks/{mock['id']}").text
    assert "over 2 questions (<span data-mock-unanswered>1 left unanswered when time ran out, scored 0</span>)" \
        in report
    assert "; 1 sent when time ran out." in report and "(time ran out before an answer was written)" in report
    assert len(ann.get("/api/attempts").json()) == 1


def _clock_started(app, mock_id: int):
    """When the current question's countdown started (None: not shown yet)."""
    from rehearse.mock.models import MockInterview

    with app.state.database.transaction() as session:
        items = session.get(MockInterview, mock_id).items
        return next(i.started_at for i in items if i.answered_at is None)


def test_a_questions_countdown_starts_when_it_is_first_shown(app, question):
    """Not when it became the current question: the page may take a while to build (it worked out the story
    suggestions first: 11.8 s of a 60 s question), and those seconds were the candidate's."""
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    mock_id = int(location.rsplit("/", 1)[1])
    assert _clock_started(app, mock_id) is None  # started, not shown yet
    page = ann.get(location).text
    assert 'data-seconds-left="60"' in page and _clock_started(app, mock_id) is not None
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    sent = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK},
                    follow_redirects=False)
    assert sent.status_code == 303 and _clock_started(app, mock_id) is None  # the second question, not shown yet
    assert ann.get(f"/api/mocks/{mock_id}").json()["items"][-1]["seconds_left"] == 60  # read: shown, started
    assert _clock_started(app, mock_id) is not None
    assert ann.delete(f"/api/mocks/{mock_id}", headers=ann.page_csrf_header()).status_code == 204  # one at a time
    # through the API: the answer that holds the next question (or a read of the mock) starts its clock
    api = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 2, "follow_ups": False},
                   headers=ann.page_csrf_header()).json()
    assert api["items"][0]["seconds_left"] == 180 and _clock_started(app, api["id"]) is not None


def test_another_tabs_different_answer_is_refused_and_shown_back_to_copy(app, question):
    """Two tabs on one question: the second tab's other text was dropped with no word, as if a repeated submit.
    It is not kept (409) and comes back in the page, to copy; the same text sent twice still changes nothing."""
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    page = ann.get(location).text  # both tabs show the first question
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    first_tab = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK},
                         follow_redirects=False)
    assert first_tab.status_code == 303
    other = "In my other tab I wrote a different answer,\r\nwith two lines & a <b>tag</b>."
    second_tab = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": other},
                          follow_redirects=False)
    assert second_tab.status_code == 409 and second_tab.headers["cache-control"] == "no-store"
    refused = second_tab.text
    assert "was not kept" in refused and f'data-mock-unsent="{item}"' in refused
    shown = re.search(r"<textarea[^>]*data-unsent-answer>([^<]*)</textarea>", refused).group(1)
    assert html.unescape(shown).replace("\r\n", "\n") == other.replace("\r\n", "\n")  # there to copy
    assert f'name="item_id" value="{item}"' not in refused and "data-mock-question" in refused  # where it now is
    # what the server holds, for the page's script: a draft with another text is not the stored answer
    assert f'data-mock-answered="{item}:{zlib.crc32(WEAK.encode()):x}"' in refused
    again = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK},
                     follow_redirects=False)
    assert again.status_code == 303  # the same answer twice (a double click): nothing changes
    mock_id = int(location.rsplit("/", 1)[1])
    headers = ann.page_csrf_header()
    api = ann.post(f"/api/mocks/{mock_id}/answers", json={"item_id": int(item), "answer": "Yet another."},
                   headers=headers)
    assert api.status_code == 409 and "already answered" in api.json()["detail"]
    same = ann.post(f"/api/mocks/{mock_id}/answers", json={"item_id": int(item), "answer": WEAK}, headers=headers)
    assert same.status_code == 200 and same.json()["current_item_id"] != int(item)
    assert len(ann.get("/api/attempts").json()) == 1  # one answer kept, once


def test_a_blank_answer_sent_from_the_page_shows_the_same_question_again_with_the_message_by_the_box(app, question):
    """Not a bare error page: the interview, its question, what was typed and why it was refused, 422."""
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    page = ann.get(location).text
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    refused = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": "  \n \t "},
                       follow_redirects=False)
    assert refused.status_code == 422 and refused.headers["cache-control"] == "no-store"
    again = refused.text
    assert f'name="item_id" value="{item}"' in again and "data-countdown" in again and "data-mock-question" in again
    message = re.search(r'<p class="callout error" role="alert" id="mock-answer-error" data-form-error>([^<]+)</p>\s*'
                        r'<textarea[^>]*aria-invalid="true" aria-describedby="mock-answer-error mock-question"[^>]*>([^<]*)</textarea>',
                        again)
    assert message and message.group(1).startswith("The answer is empty and this question has ")
    assert message.group(2) == "  \n \t "  # what was sent, back in the box
    assert "data-form-error" not in ann.get(location).text  # the message belongs to that answer only
    assert ann.get(f"/api/mocks/{location.rsplit('/', 1)[1]}").json()["current_item_id"] == int(item)
    kept = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK},
                    follow_redirects=False)
    assert kept.status_code == 303  # the same question, answered now


def test_drafts_are_named_by_the_mock_and_the_moment_it_began(app, question):
    """SQLite gives a new mock the id of an abandoned one: the drafts' name tells the two apart."""
    from rehearse.web.pages.mock import draft_key

    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    mock_id = int(location.rsplit("/", 1)[1])
    page = ann.get(location).text
    key = re.search(r'data-mock-drafts="([^"]+)"', page).group(1)
    assert re.fullmatch(rf"{mock_id}\.\d{{20}}", key)
    assert f'data-mock-drafts-keep="{key}"' in ann.get("/mock").text  # the start page keeps this mock's drafts
    ann.post(f"{location}/abandon", data={"csrf_token": csrf(page)})
    assert 'data-mock-drafts-keep=""' in ann.get("/mock").text
    after = start(ann, question, follow_ups="").headers["location"]
    other = re.search(r'data-mock-drafts="([^"]+)"', ann.get(after).text).group(1)
    assert other != key  # even when SQLite gives it the same id
    from datetime import UTC, datetime, timedelta, timezone

    began = datetime(2025, 3, 1, 9, 30, 5, 123, tzinfo=UTC)
    assert draft_key(7, began) == "7.20250301093005000123" == draft_key(7, began.replace(tzinfo=None)) \
        == draft_key(7, began.astimezone(timezone(timedelta(hours=2))))


def test_an_answer_sent_long_after_zero_is_kept_as_timed_out_whatever_the_client_says(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "follow_ups": False},
                    headers=headers).json()
    backdate(app, mock["current_item_id"], 3600)  # the tab was closed for an hour
    late = ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": mock["current_item_id"], "answer": WEAK,
                                                              "timed_out": False}, headers=headers).json()
    assert late["status"] == "finished" and late["items"][0]["timed_out"] is True
    assert "(time ran out)" in ann.get(f"/mocks/{mock['id']}").text


def test_a_spoken_mock_reports_the_pace(app, question, monkeypatch):
    speech = install_speech(app, monkeypatch, duration_s=30.0, speaking_s=27.0, words_per_minute=131.0,
                            pauses=[], word_count=60)
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, questions="1", follow_ups="", mode="spoken").headers["location"]
    page = ann.get(location).text
    assert "data-recorder" in page and "/static/practice.js" in page
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    job = ann.post("/api/transcriptions", files={"audio": ("a.wav", recording(WEAK), "audio/wav")},
                   headers=ann.page_csrf_header()).json()["id"]
    assert speech.run() == 1
    ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK,
                                         "transcription_id": job, "mode": "spoken"})
    report = ann.get(location).text
    assert "131 words a minute (spoken)" in report
    mock_id = int(location.rsplit("/", 1)[1])
    assert ann.get(f"/api/mocks/{mock_id}").json()["summary"]["delivery"]["words_per_minute"] == 131


def test_a_spoken_mock_needs_a_server_that_transcribes(app, question, monkeypatch):
    monkeypatch.setattr(app.state.transcriptions, "available", lambda: False)
    ann = Browser(app)
    ann.sign_up()
    refused = start(ann, question, mode="spoken")
    assert refused.status_code == 422 and "Spoken answers are not available" in refused.text
    api = ann.post("/api/mocks", json={"role": question["role_slug"], "mode": "spoken"},
                   headers=ann.page_csrf_header())
    assert api.status_code == 422


def test_a_mock_over_a_whole_bank(app, question):
    ann = Browser(app)
    ann.sign_up()
    page = ann.get("/mock").text
    bank = re.search(r'<option value="(bank:[^"]+)"', page).group(1)
    made = ann.post("/mock", data={"csrf_token": csrf(page), "role": bank, "questions": "3", "minutes": "1"},
                    follow_redirects=False)
    assert made.status_code == 303
    mock = ann.get(f"/api/mocks/{made.headers['location'].rsplit('/', 1)[1]}").json()
    assert mock["question_count"] == 3 and mock["title"].startswith("Mock interview: ")
    missing = ann.post("/mock", data={"csrf_token": csrf(page), "role": "bank:nope", "questions": "3",
                                      "minutes": "1"})
    assert missing.status_code == 404 and "There is no bank" in missing.text


def test_the_api_names_the_role_it_cannot_find_and_reads_a_bank_given_with_the_role(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    for role in ("nope", "99999999999999999999"):
        missing = ann.post("/api/mocks", json={"role": role}, headers=headers)
        assert missing.status_code == 404 and missing.json()["detail"] == f"There is no role {role!r}."
    assert ann.get("/roles/99999999999999999999").status_code == 404  # the role page reads it the same way
    bank = re.search(r'<option value="bank:([^"]+)"', ann.get("/mock").text).group(1)
    inside = ann.post("/api/mocks", json={"role": question["role_slug"], "bank": bank, "questions": 1},
                      headers=headers)
    assert inside.status_code == 201  # the role of that slug in that bank (a role outside it: 422)
    unknown = ann.post("/api/mocks", json={"role": question["role_slug"], "bank": "no-such-bank"}, headers=headers)
    assert unknown.status_code == 404 and unknown.json()["detail"] == "There is no bank 'no-such-bank'."


def test_after_a_server_restart_the_mock_resumes_at_its_question_with_the_answers_given(app, settings, question):
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    page = ann.get(location).text
    first = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": first, "answer": WEAK})
    # A new server process on the same database; the browser keeps its cookies.
    restarted = create_app(settings)
    try:
        again = Browser(restarted)
        again.cookies = ann.cookies
        page = again.get(location).text
        assert "data-mock-question" in page and "question 2 of 2" in page
        second = re.search(r'name="item_id" value="(\d+)"', page).group(1)
        assert second != first
        mock = again.get(f"/api/mocks/{location.rsplit('/', 1)[1]}").json()
        assert [(str(i["id"]), i["answered"]) for i in mock["items"]] == [(first, True), (second, False)]
        again.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": second, "answer": WEAK})
        report = again.get(location).text
        assert report.count("data-mock-result=") == 2 and "data-mock-report" in report
        assert again.get(f"/api/mocks/{location.rsplit('/', 1)[1]}").json()["items"][0]["answer"] == WEAK
        again.close()
    finally:
        restarted.state.database.dispose()


def test_the_owners_report_says_how_each_answer_counts_for_review_and_leads_to_changing_it(app, question):
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    for _ in range(2):
        page = ann.get(location).text
        item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
        ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK})
    report = ann.get(location).text
    rated = re.findall(r'<a href="/attempts/(\d+)#review" data-mock-review="(\w+)"', report)
    assert len(rated) == 2 and {rating for _, rating in rated} <= {"again", "hard", "good", "easy"}
    names = [re.sub(r"<[^>]+>", "", text) for text in re.findall(r'data-mock-review="\w+">(.*?)</a>', report)]
    assert len(set(names)) == 2 and names[0].endswith("(question 1)")  # a links list tells them apart
    attempt_id = rated[0][0]
    attempt = ann.get(f"/attempts/{attempt_id}").text
    rerated = ann.post(f"/attempts/{attempt_id}/rating", data={"csrf_token": csrf(attempt), "rating": "easy"},
                       follow_redirects=False)
    # back to the review section, which takes the focus (a fragment target that can be focused gets it)
    assert rerated.headers["location"] == f"/attempts/{attempt_id}#review"
    assert re.search(r'id="review" tabindex="-1"', ann.get(rerated.headers["location"]).text)
    assert f'<a href="/attempts/{attempt_id}#review" data-mock-review="easy"' in ann.get(location).text
    ann.post(f"{location}/share", data={"csrf_token": csrf(report), "action": "share"})
    link = re.search(r'href="http://testserver(/shared/mocks/[^"]+)" data-share-link', ann.get(location).text).group(1)
    shared = Browser(app).get(link).text
    assert "data-mock-review" not in shared and "/attempts/" not in shared  # the owner's own, not the reader's


def test_a_question_whose_time_ran_out_while_the_tab_was_closed_can_be_started_again(app, question):
    from datetime import timedelta

    from rehearse.bank.models import utcnow
    from rehearse.mock.models import MockItem

    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    page = ann.get(location).text
    first = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": first, "answer": WEAK})
    second = int(re.search(r'name="item_id" value="(\d+)"', ann.get(location).text).group(1))
    with app.state.database.transaction(writes=True) as session:  # the tab stays closed for an hour
        session.get(MockItem, second).started_at = utcnow() - timedelta(hours=1)
    away = ann.get(location).text
    assert "data-countdown-expired" in away and f'value="{second}"' in away and "data-countdown " not in away
    assert re.search(r"<textarea[^>]*data-answer disabled", away)
    ann.post(f"{location}/resume", data={"csrf_token": csrf(away)})
    back = ann.get(location).text
    assert "data-countdown-expired" not in back and 'data-seconds-left="60"' in back and f'value="{second}"' in back
    mock = ann.get(f"/api/mocks/{location.rsplit('/', 1)[1]}").json()
    assert [(i["id"], i["answered"]) for i in mock["items"]] == [(int(first), True), (second, False)]


def _form_state(page: str) -> dict:
    return {"questions": re.search(r'id="mock-count"[^>]* value="([^"]+)"', page).group(1),
            "minutes": re.search(r'id="mock-minutes"[^>]* value="([^"]+)"', page).group(1),
            "follow_ups": bool(re.search(r'name="follow_ups" value="1" checked', page)),
            "selected": re.findall(r'<option value="([^"]+)" selected', page)}


def test_the_start_form_begins_where_the_last_mock_did(app, question):
    ann = Browser(app)
    ann.sign_up()
    assert _form_state(ann.get("/mock").text) | {"selected": None} == {
        "questions": "5", "minutes": "3", "follow_ups": True, "selected": None}
    assert start(ann, question, questions="3", minutes="1.5", follow_ups="").status_code == 303
    again = _form_state(ann.get("/mock").text)
    assert again["questions"] == "3" and again["minutes"] == "1.5" and again["follow_ups"] is False
    assert len(again["selected"]) == 1 and again["selected"][0].isdigit()
    [unfinished] = ann.get("/api/mocks").json()
    ann.delete(f"/api/mocks/{unfinished['id']}", headers=ann.page_csrf_header())  # one mock at a time
    page = ann.get("/mock").text
    bank = re.search(r'<option value="(bank:[^"]+)"', page).group(1)
    ann.post("/mock", data={"csrf_token": csrf(page), "role": bank, "questions": "2", "minutes": "2",
                            "follow_ups": "1"}, follow_redirects=False)
    latest = _form_state(ann.get("/mock").text)
    assert latest == {"questions": "2", "minutes": "2", "follow_ups": True, "selected": [bank]}
    other = Browser(app)
    other.sign_up(email="other@example.com")
    assert _form_state(other.get("/mock").text)["follow_ups"] is True


def test_a_role_page_link_chooses_its_role_over_the_last_mocks(app, question):
    ann = Browser(app)
    ann.sign_up()
    page = ann.get("/mock").text
    bank = re.search(r'<option value="(bank:[^"]+)"', page).group(1)
    ann.post("/mock", data={"csrf_token": csrf(page), "role": bank, "questions": "2", "minutes": "1"},
             follow_redirects=False)
    linked = ann.get(f"/mock?role={question['role_slug']}").text
    selected = re.findall(r'<option value="([^"]+)" selected', linked)
    assert len(selected) == 1 and selected[0].isdigit()
    assert _form_state(linked)["follow_ups"] is False  # the rest still comes from the last mock


def finished_mock(client, question) -> str:
    """A one-question mock, answered: its address (the report)."""
    location = start(client, question, questions="1", follow_ups="").headers["location"]
    page = client.get(location).text
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    client.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK})
    return location


def test_the_share_link_is_the_full_address_shown_as_selectable_text_with_a_copy_button(app, question):
    ann = Browser(app)
    ann.sign_up()
    location = finished_mock(ann, question)
    ann.post(f"{location}/share", data={"csrf_token": csrf(ann.get(location).text), "action": "share"})
    report = ann.get(location).text
    shown = re.search(r'<code class="share-url" data-share-url>([^<]+)</code>', report).group(1)
    assert re.fullmatch(r"http://testserver/shared/mocks/[\w-]+", shown)  # what the reader pastes, whole
    assert f'href="{shown}" data-share-link' in report and f'data-copy="{shown}"' in report
    # The Copy button is the script's to show: without it the address is still there to select.
    assert re.search(r'<button type="button" class="button" data-action="copy-share" data-copy="[^"]+" hidden>',
                     report)
    assert Browser(app).get(shown.removeprefix("http://testserver")).status_code == 200
    mock_id = location.rsplit("/", 1)[1]
    assert ann.get(f"/api/mocks/{mock_id}").json()["share_url"] == shown  # the API gives the same whole address
    # Revoking it through the API answers like the other deletes: 204, then 404.
    revoked = ann.delete(f"/api/mocks/{mock_id}/share", headers=ann.page_csrf_header())
    assert (revoked.status_code, revoked.content) == (204, b"")
    again = ann.delete(f"/api/mocks/{mock_id}/share", headers=ann.page_csrf_header())
    assert again.status_code == 404 and "no shared link to revoke" in again.json()["detail"]
    assert ann.get(f"/api/mocks/{mock_id}").json()["share_url"] is None
    assert Browser(app).get(shown.removeprefix("http://testserver")).status_code == 404


def test_behind_a_trusted_proxy_the_share_link_has_the_address_the_browser_used(settings, question):
    app = create_app(settings.model_copy(update={"trusted_proxies": "testclient"}))
    try:
        ann = Browser(app)
        ann.sign_up()
        location = finished_mock(ann, question)
        ann.post(f"{location}/share", data={"csrf_token": csrf(ann.get(location).text), "action": "share"})
        proxied = ann.get(location, headers={"X-Forwarded-Proto": "https", "Host": "rehearse.example.org"}).text
        assert re.search(r"data-share-url>https://rehearse\.example\.org/shared/mocks/[\w-]+</code>", proxied)
        ann.close()
    finally:
        app.state.database.dispose()


def test_an_unfinished_mock_can_be_abandoned_after_confirming_and_the_answers_given_stay(app, question):
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    mock_id = int(location.rsplit("/", 1)[1])
    page = ann.get(location).text
    assert f'href="/mocks/{mock_id}/abandon" data-action="abandon-mock"' in page
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK})
    listed = ann.get("/mock").text
    assert f'href="/mocks/{mock_id}/abandon"' in listed and "in progress" in listed

    # The link asks first (a page of its own: no script needed), and going back changes nothing.
    confirm = ann.get(f"{location}/abandon")
    assert confirm.status_code == 200 and 'data-confirm="abandon-mock"' in confirm.text
    assert "The 1 answer you gave stays in your history and review queue." in confirm.text
    assert ann.get(f"/api/mocks/{mock_id}").json()["status"] == "in_progress"

    gone = ann.post(f"{location}/abandon", data={"csrf_token": csrf(confirm.text)}, follow_redirects=False)
    assert gone.status_code == 303 and gone.headers["location"] == "/mock?abandoned=1"
    landed = ann.get(gone.headers["location"]).text
    assert "data-mock-abandoned" in landed and "The 1 answer you gave is kept in your history" in landed
    assert f'data-mock="{mock_id}"' not in landed and "data-resume-offer" not in landed  # no longer offered
    assert ann.get(location).status_code == 404 and ann.get("/api/mocks").json() == []
    assert len(ann.get("/api/attempts").json()) == 1  # the answer given is still practice


def test_abandoning_a_mock_with_no_answer_never_says_answers_were_kept(app, question):
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question).headers["location"]
    ann.get(location)  # its first question shown, not answered
    confirm = ann.get(f"{location}/abandon")
    assert "You have not answered any of its questions yet." in confirm.text and "you gave stay" not in confirm.text

    gone = ann.post(f"{location}/abandon", data={"csrf_token": csrf(confirm.text)}, follow_redirects=False)
    assert gone.headers["location"] == "/mock?abandoned=0"
    landed = ann.get(gone.headers["location"]).text
    assert "You had not answered any of its questions, so none of it was kept." in landed
    assert "kept in your history" not in landed
    assert "data-mock-abandoned" not in ann.get("/mock?abandoned=lots").text  # a made-up count says nothing


def test_an_unfinished_mock_is_offered_first_above_the_start_form_with_the_question_it_stands_at(app, question):
    ann = Browser(app)
    ann.sign_up()
    assert "data-resume-offer" not in ann.get("/mock").text
    location = start(ann, question, follow_ups="").headers["location"]
    mock_id = int(location.rsplit("/", 1)[1])
    page = ann.get(location).text
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item, "answer": WEAK})

    listed = ann.get("/mock").text
    offer = listed.index(f'data-resume-offer="{mock_id}"')
    assert offer < listed.index('action="/mock"')  # before the form, not under it
    panel = listed[offer:listed.index("</section>", offer)]
    assert "You have an unfinished mock: question 2 of 2" in panel
    named = f'<span class="visually-hidden"> mock #{mock_id}</span></a>'  # several read apart
    assert f'href="/mocks/{mock_id}" data-action="resume-mock">Resume{named}' in panel
    assert f'href="/mocks/{mock_id}/abandon" data-action="abandon-mock">Abandon{named}' in panel

    finished = ann.get(location).text
    item = re.search(r'name="item_id" value="(\d+)"', finished).group(1)
    ann.post(f"{location}/answer", data={"csrf_token": csrf(finished), "item_id": item, "answer": WEAK})
    assert "data-resume-offer" not in ann.get("/mock").text  # a finished mock is not offered


def test_a_finished_mock_is_not_abandoned_and_the_api_abandons_an_unfinished_one(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    done = finished_mock(ann, question)
    assert "data-action=\"abandon-mock\"" not in ann.get(done).text
    assert ann.get(f"{done}/abandon", follow_redirects=False).headers["location"] == done  # its report instead
    refused = ann.delete(f"/api{done}", headers=headers)
    assert refused.status_code == 409 and "cannot be abandoned" in refused.json()["detail"]
    running = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1}, headers=headers).json()
    assert ann.delete(f"/api/mocks/{running['id']}", headers=headers).status_code == 204
    assert [m["id"] for m in ann.get("/api/mocks").json()] == [int(done.rsplit("/", 1)[1])]
    assert ann.delete(f"/api/mocks/{running['id']}", headers=headers).status_code == 404


def test_a_follow_up_sent_when_time_ran_out_is_marked_like_a_question(app, question):
    """The summary counts it among those "sent when time ran out": the report says which one it was."""
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "follow_ups": True},
                    headers=headers).json()
    answers = f"/api/mocks/{mock['id']}/answers"
    after_main = ann.post(answers, json={"item_id": mock["current_item_id"], "answer": WEAK}, headers=headers).json()
    follow_up = after_main["current_item_id"]
    assert after_main["status"] != "finished" and follow_up is not None  # a weak answer is followed up
    backdate(app, follow_up, 3600)  # the countdown reached zero, and the box was sent as it was: empty
    done = ann.post(answers, json={"item_id": follow_up, "answer": "", "timed_out": True}, headers=headers).json()
    assert done["status"] == "finished" and done["summary"]["timed_out"] == 1
    report = ann.get(f"/mocks/{mock['id']}").text
    assert "; 1 sent when time ran out." in report
    assert 'data-timed-out="follow-up">(time ran out before an answer was written)' in report
    assert "<span class=\"meta\" data-timed-out>" not in report  # the question itself was answered in time


def test_a_mock_answer_sent_with_crlf_breaks_is_kept_with_one_character_per_break(app, question):
    """The limit counts the answer as kept: a form's CRLF made each line break count twice."""
    ann = Browser(app)
    ann.sign_up()
    location = start(ann, question, follow_ups="").headers["location"]
    page = ann.get(location).text
    item = re.search(r'name="item_id" value="(\d+)"', page).group(1)
    sent = ann.post(f"{location}/answer", data={"csrf_token": csrf(page), "item_id": item,
                                                "answer": "I split the team.\r\nBoth shipped twice as often.\r"},
                    follow_redirects=False)
    assert sent.status_code == 303
    from rehearse.mock.models import MockItem

    with app.state.database.transaction() as session:
        assert session.get(MockItem, int(item)).answer == "I split the team.\nBoth shipped twice as often.\n"


def test_an_answer_to_another_question_is_called_off_topic_on_the_mock_report_and_comes_first_in_its_advice(
        app, question):
    """Its own report grades it "off-topic" and names the question it reads like; the mock's report showed only
    "Poor", and ranked its suggestion under lesser ones (its coverage read as 0.43 lost, not the 50 points and
    the cap it lost)."""
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    client = TestClient(app)
    other = client.get("/api/questions", params={"q": "turned around an underperforming engineer"}).json()[0]
    other_answer = client.get(f"/api/questions/{other['id']}").json()["example_answer"]
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "follow_ups": False},
                    headers=headers).json()
    done = ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": mock["current_item_id"],
                                                              "answer": other_answer}, headers=headers).json()
    first = done["summary"]["questions"][0]
    assert first["off_topic"].startswith("This answer does not seem to address the question asked.")
    assert other["text"] in first["off_topic"]  # "It reads more like an answer to: …", as the attempt says
    assert done["summary"]["suggestions"][0]["kind"] == "off_topic"
    report = ann.get(f"/mocks/{mock['id']}").text
    line = re.search(r'<li data-mock-result="1">(.*?)</li>', report, re.S).group(1)
    assert "<span class=\"grade-word\" data-grade>off-topic</span>" in line
    assert html.escape(other["text"], quote=False) in re.search(r"data-off-topic>(.*?)</p>", line, re.S).group(1)


def test_an_answer_to_an_item_of_another_mock_is_told_it_is_an_item_id(app, question):
    """`item_id` 1 is an item's id: "Question 1 is not part of this mock" read as the mock's first question."""
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    body = {"role": question["role_slug"], "questions": 1, "follow_ups": False}
    made = [ann.post("/api/mocks", json=body, headers=headers).json()]
    ann.post(f"/api/mocks/{made[0]['id']}/answers", json={"item_id": made[0]["current_item_id"], "answer": WEAK},
             headers=headers)  # finished: one mock at a time
    made.append(ann.post("/api/mocks", json=body, headers=headers).json())
    elsewhere = made[0]["current_item_id"]
    refused = ann.post(f"/api/mocks/{made[1]['id']}/answers", json={"item_id": elsewhere, "answer": WEAK},
                       headers=headers)
    assert refused.status_code == 404
    assert refused.json()["detail"].startswith(f"Item {elsewhere} is not part of this mock: item_id is an item's id")


def test_an_answered_item_says_whether_time_ran_out_during_the_mock_as_after_it(app, question):
    """During the mock an answered item's `timed_out` was null, once finished false for the same fact: it is
    true or false once answered, null only while not answered, and the schema says so."""
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 2, "follow_ups": False},
                    headers=headers).json()
    assert [i["timed_out"] for i in mock["items"]] == [None]  # shown, not answered
    running = ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": mock["current_item_id"], "answer": WEAK},
                       headers=headers).json()
    assert running["status"] == "in_progress"
    assert [(i["answered"], i["timed_out"]) for i in running["items"]] == [(True, False), (False, None)]
    assert [i["timed_out"] for i in ann.get(f"/api/mocks/{mock['id']}").json()["items"]] == [False, None]
    backdate(app, running["current_item_id"], 3600)
    done = ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": running["current_item_id"], "answer": WEAK},
                    headers=headers).json()
    assert [i["timed_out"] for i in done["items"]] == [False, True]
    schema = TestClient(app).get("/openapi.json").json()["components"]["schemas"]["ItemRead"]["properties"]
    assert "null while not answered" in schema["timed_out"]["description"]


def set_status(app, mock_id: int, status: str) -> None:
    from rehearse.mock.models import MockInterview

    with app.state.database.transaction(writes=True) as session:
        session.get(MockInterview, mock_id).status = status


def test_one_mock_at_a_time_the_api_refuses_a_second_and_the_form_offers_the_unfinished_one(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers, body = ann.page_csrf_header(), {"role": question["role_slug"], "questions": 2}
    first = ann.post("/api/mocks", json=body, headers=headers)
    assert first.status_code == 201
    mock_id = first.json()["id"]
    again = ann.post("/api/mocks", json=body, headers=headers)
    assert again.status_code == 409
    assert "resume or abandon it before starting another" in again.json()["detail"]
    assert f"(API: GET or DELETE /api/mocks/{mock_id})" in again.json()["detail"]
    refused = start(ann, question)  # the form: the start page again, the unfinished mock offered above it
    assert refused.status_code == 409 and "data-mock-form" in refused.text
    assert "You have an unfinished mock interview: resume it, or abandon it, before starting another" in refused.text
    assert f'data-resume-offer="{mock_id}"' in refused.text
    assert [m["id"] for m in ann.get("/api/mocks").json()] == [mock_id]
    assert ann.delete(f"/api/mocks/{mock_id}", headers=headers).status_code == 204
    assert start(ann, question).status_code == 303  # abandoned: the next one starts


def test_several_unfinished_mocks_kept_from_before_are_listed_apart(app, question):
    """Old data may hold two unfinished mocks of the same role started the same minute: each offer names its
    mock and how far it went, so that they do not read word for word alike."""
    ann = Browser(app)
    ann.sign_up()
    headers, body = ann.page_csrf_header(), {"role": question["role_slug"], "questions": 2, "follow_ups": False}
    older = ann.post("/api/mocks", json=body, headers=headers).json()
    ann.post(f"/api/mocks/{older['id']}/answers", json={"item_id": older["current_item_id"], "answer": WEAK},
             headers=headers)
    set_status(app, older["id"], "finished")
    newer = ann.post("/api/mocks", json=body, headers=headers).json()
    set_status(app, older["id"], "in_progress")
    page = ann.get("/mock").text
    offers = re.findall(r'data-resume-offer="\d+">.*?</section>', page, re.S)
    assert len(offers) == 2 and offers[0] != offers[1]
    for mock, answered in ((newer, 0), (older, 1)):
        offer = next(o for o in offers if o.startswith(f'data-resume-offer="{mock["id"]}"'))
        assert f"mock #{mock['id']}</span>" in offer and f"{answered} of 2 answered" in offer
    assert "One interview at a time" in page


def test_the_owner_reads_back_their_own_answers_during_the_mock_but_no_score_until_the_end(app, question):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 2, "follow_ups": False},
                    headers=headers).json()
    ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": mock["current_item_id"], "answer": WEAK},
             headers=headers)
    running = ann.get(f"/api/mocks/{mock['id']}").json()
    assert running["status"] == "in_progress"
    answered, current = running["items"]
    assert (answered["answer"], answered["score"], answered["missed"]) == (WEAK, None, None)
    assert current["answer"] is None and running["summary"] is None
    schema = ann.get("/openapi.json").json()["components"]["schemas"]["ItemRead"]["properties"]
    assert "during the mock too" in schema["answer"]["description"]
