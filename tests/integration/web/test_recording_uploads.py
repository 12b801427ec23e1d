"""What may be sent as a recording, and how many at once: bytes that are not audio are refused (422) before
they take a place in the transcription queue, and each account (each address without an account) has 3
places, so one of them cannot fill the queue (8, for everyone) and have every other upload answered 503."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from tests.api_client import token_for

from .conftest import Browser
from .speech_fakes import WAV_HEADER, recording
from .speech_fakes import install as install_speech

FORMATS = "send WAV, WebM, Ogg, MP3, MP4/M4A or FLAC"

NOT_AUDIO = [
    b"null",
    b"[]",
    b'{"audio": "yes"}',
    b"I led the migration and we cut deploy time in half.",
    b"<!doctype html><html><body>hi</body></html>",
    b"%PDF-1.7\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b"PK\x03\x04 a zip file",
    b"RIFF\x24\x00\x00\x00AVI LIST",  # RIFF, but a video's, not a WAV's
]


@pytest.fixture
def speech(app, monkeypatch):
    speech = install_speech(app, monkeypatch, duration_s=3.0, speaking_s=2.0, words_per_minute=120.0,
                            pauses=[], word_count=4)
    speech.run()  # start from an empty queue
    yield speech
    speech.run()  # and leave one


@pytest.fixture
def api(app):
    client = TestClient(app)
    yield client
    client.close()


def pending(app) -> int:
    with app.state.database.session() as session:
        return app.state.transcriptions.pending(session)


def upload(client, headers=None, audio: bytes = recording("an answer")):
    return client.post("/api/transcriptions", headers=headers, files={"audio": ("a.webm", audio, "audio/webm")})


@pytest.mark.parametrize("body", NOT_AUDIO)
def test_bytes_that_are_not_audio_are_refused_and_nothing_is_queued(app, api, speech, body):
    ann = token_for(api)
    for sent in (upload(api, ann, body),
                 api.post("/api/transcriptions", headers={**ann, "Content-Type": "audio/webm"}, content=body)):
        assert sent.status_code == 422, sent.text
        assert sent.json()["detail"] == f"The upload is not a recording this server can transcribe; {FORMATS}."
    assert pending(app) == 0


@pytest.mark.parametrize("head", [
    WAV_HEADER,
    b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01webm",
    b"OggS\x00\x02",
    b"ID3\x04\x00",
    b"\xff\xfb\x90\x64",  # a bare MP3 frame
    b"\x00\x00\x00\x20ftypM4A ",
    b"fLaC\x00\x00\x00\x22",
])
def test_each_accepted_container_is_queued(app, api, speech, head):
    assert upload(api, token_for(api), head + b" then the rest").status_code == 202
    assert pending(app) == 1


def test_a_fourth_recording_waits_until_one_of_the_first_three_is_done(app, api, speech):
    ann, bob = token_for(api), token_for(api)
    for _ in range(3):
        assert upload(api, ann).status_code == 202
    fourth = upload(api, ann)
    assert fourth.status_code == 429 and fourth.headers["Retry-After"] == "10"
    assert fourth.json()["detail"] == ("You already have 3 recordings waiting to be transcribed; "
                                       "wait until one is done, or type your answer.")
    assert pending(app) == 3  # the fourth was not queued
    assert upload(api, bob).status_code == 202  # Ann's share is full, not the queue
    assert speech.run() == 4
    assert upload(api, ann).status_code == 202  # done ones leave room


def test_without_an_account_the_address_is_counted_not_the_cookie(app, speech, question):
    """A fresh cookie costs nothing, so anonymous browsers on one address share its 3 places."""

    def from_a_new_browser(**address) -> int:
        browser = Browser(app, **address)
        csrf = browser.csrf(f"/practice/{question['id']}")  # the cookie that owns its uploads
        return upload(browser, {"X-CSRF-Token": csrf}).status_code

    assert [from_a_new_browser() for _ in range(4)] == [202, 202, 202, 429]
    assert from_a_new_browser(client=("192.0.2.7", 50000)) == 202
    signed_in = Browser(app)
    signed_in.sign_up()  # the same address as the four, but an account of its own
    assert upload(signed_in, signed_in.page_csrf_header()).status_code == 202


def test_the_upload_form_refuses_what_is_not_audio_and_keeps_the_limit(app, speech, question):
    browser = Browser(app)
    browser.sign_up()
    path = f"/practice/{question['id']}"

    def send(audio: bytes):
        return browser.post(f"{path}/recording", data={"csrf_token": browser.csrf(path)},
                            files={"audio": ("a.txt", audio, "text/plain")}, follow_redirects=False)

    refused = send(b"null")
    assert refused.status_code == 422 and FORMATS in refused.text
    assert pending(app) == 0
    assert [send(recording("my answer")).status_code for _ in range(4)] == [303, 303, 303, 429]
