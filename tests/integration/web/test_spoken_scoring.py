"""A spoken answer is scored with the speaking time its transcription measured: the report's length (its
speaking time, verdict, "Too short" suggestion and pace) agrees with the Pace line beside it, through the API,
the practice page and a spoken mock. A typed answer keeps the estimate (150 words a minute)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from .conftest import Browser
from .speech_fakes import install as install_speech
from .speech_fakes import recording
from .test_api import bearer, token  # noqa: F401 - the fixture
from .test_pages import STRONG

SPEAKING_S = 10.47  # espeak read a 36-word answer in 10.5 s; the estimate said 13 s


@pytest.fixture
def speech(app, monkeypatch):
    speech = install_speech(app, monkeypatch, duration_s=12.0, speaking_s=SPEAKING_S, words_per_minute=206.3,
                            pauses=[], word_count=36)
    yield speech
    speech.run()  # nothing left queued for the next test


@pytest.fixture
def api(app):
    client = TestClient(app)
    yield client
    client.close()


def transcribed(client, speech, headers: dict, answer: str = STRONG) -> str:
    job = client.post("/api/transcriptions", files={"audio": ("a.wav", recording(answer), "audio/wav")},
                      headers=headers)
    assert job.status_code == 202, job.text
    assert speech.run() == 1
    return job.json()["id"]


def assert_measured(report: dict) -> None:
    d = report["delivery"]
    assert d["speaking_seconds"] == SPEAKING_S
    assert d["words_per_minute"] == round(d["words"] / SPEAKING_S * 60)
    assert d["length_verdict"] == "short"
    assert "Too short: about 0:10 spoken; aim for 1:00–3:00." in [s["message"] for s in report["suggestions"]]


def test_an_api_attempt_from_a_transcription_is_scored_with_its_measured_time(api, question, speech, token):  # noqa: F811
    job = transcribed(api, speech, bearer(token))
    spoken = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG, "mode": "spoken",
                                             "transcription_id": job}, headers=bearer(token))
    assert spoken.status_code == 201, spoken.text
    assert spoken.json()["speech"]["speaking_s"] == SPEAKING_S
    assert_measured(spoken.json()["report"])
    stored = api.get(f"/api/attempts/{spoken.json()['id']}", headers=bearer(token)).json()
    assert stored["report"] == spoken.json()["report"]
    # The same words typed: estimated at 150 words a minute, and only the delivery section differs.
    typed = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG},
                     headers=bearer(token)).json()["report"]
    assert typed == api.post("/api/feedback", json={"question_id": question["id"], "answer": STRONG}).json()
    words = typed["delivery"]["words"]
    assert typed["delivery"]["words_per_minute"] == 150
    assert typed["delivery"]["speaking_seconds"] == round(words / 150 * 60, 1) != SPEAKING_S
    assert typed["talking_points"] == spoken.json()["report"]["talking_points"]
    # A transcription sent with a typed answer is not its recording: nothing of it is kept, nor measured.
    again = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG, "mode": "typed",
                                            "transcription_id": job}, headers=bearer(token)).json()
    assert again["report"] == typed and again["speech"] is None


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_practice_page_scores_a_spoken_answer_with_its_measured_time(app, question, speech, signed_in):
    browser = Browser(app)
    if signed_in:
        browser.sign_up()
    # the page's own upload (the no-JavaScript way), which an anonymous visitor may use too
    uploaded = browser.post(f"/practice/{question['id']}/recording", data={"csrf_token": browser.csrf(
        f"/practice/{question['id']}")}, files={"audio": ("a.wav", recording(STRONG), "audio/wav")},
        follow_redirects=False)
    assert uploaded.status_code == 303, uploaded.text
    job = uploaded.headers["location"].rsplit("=", 1)[1]
    assert speech.run() == 1
    answered = browser.answer(question["id"], STRONG, mode="spoken", transcription_id=job)
    if signed_in:
        assert answered.status_code == 303, answered.text
        attempt = int(answered.headers["location"].rsplit("/", 1)[1])
        assert_measured(browser.get(f"/api/attempts/{attempt}").json()["report"])
        page = browser.get(answered.headers["location"]).text
    else:
        assert answered.status_code == 200, answered.text
        page = answered.text
    # the panel says one time: its length and its pace read the same measure
    assert re.search(r"\d+ words · 0:10 spoken \(short;", page), page
    assert "(spoken; 0:10 speaking)" in page and "Too short: about 0:10 spoken" in page
    if not signed_in:
        # the server keeps nothing of an anonymous answer: its try-again form carries the measured time,
        # so the earlier answer is re-scored as it was scored (the same words typed score higher)
        assert f'name="previous_seconds" value="{SPEAKING_S}"' in page
        again = browser.answer(question["id"], STRONG, previous_answer=STRONG, previous_seconds=str(SPEAKING_S))
        assert int(re.search(r'data-score-change="(-?\d+)"', again.text).group(1)) > 0


def test_a_spoken_mock_answer_is_scored_with_its_measured_time(app, question, speech):
    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "follow_ups": False,
                                        "mode": "spoken"}, headers=headers)
    assert mock.status_code == 201, mock.text
    job = transcribed(ann, speech, headers)
    done = ann.post(f"/api/mocks/{mock.json()['id']}/answers", headers=headers,
                    json={"item_id": mock.json()["current_item_id"], "answer": STRONG, "transcription_id": job})
    assert done.status_code == 200, done.text
    attempts = ann.get("/api/attempts").json()
    assert len(attempts) == 1 and attempts[0]["mode"] == "spoken"
    assert_measured(ann.get(f"/api/attempts/{attempts[0]['id']}").json()["report"])
