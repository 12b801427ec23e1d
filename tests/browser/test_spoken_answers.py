"""Spoken answers end to end: speech synthesised by espeak-ng, uploaded through the practice page,
transcribed by the server off the request thread, corrected, scored with pace and pauses."""

import subprocess

import pytest

from .conftest import espeak
from .helpers import platform_question, sign_up

pytestmark = pytest.mark.browser

SPOKEN = (
    "First, I would put every request to the platform team into one visible list. "
    "Then I would rank the requests against company priorities and the cost of delay. "
    "Finally, I would explain the trade-offs to every waiting team."
)


@pytest.fixture(scope="module")
def recording(tmp_path_factory):
    if espeak() is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; make test does)")
    path = tmp_path_factory.mktemp("speech") / "answer.wav"
    subprocess.run([espeak(), "-v", "en-us", "-s", "145", "-w", str(path), SPOKEN], check=True)
    return path


def speech_or_skip(page):
    status = page.request.get("/api/speech").json()
    if not status["available"]:
        pytest.skip(f"the server cannot transcribe: {status['reason']}")


def test_a_spoken_answer_is_transcribed_corrected_and_scored_with_pace(
    page, recording, screenshots
):
    sign_up(page)
    speech_or_skip(page)
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    page.set_input_files("[data-audio-file]", str(recording))
    page.wait_for_selector("[data-recorder][data-transcribed=true]", timeout=180_000)
    transcript = page.input_value("[data-answer-form] [data-answer]")
    assert "platform team" in transcript.lower() and "priorities" in transcript.lower()
    assert page.input_value("[data-mode]") == "spoken"
    # The transcript is editable, and the edited text is what gets scored.
    page.fill(
        "[data-answer-form] [data-answer]", transcript + " I would review the list every two weeks."
    )
    page.click("[data-answer-form] [data-submit]")
    page.wait_for_selector("[data-report]", timeout=60_000)
    assert "every two weeks" in page.text_content("[data-answer-text]")
    pace = page.text_content("[data-pace]")
    words_a_minute = int(pace.split()[0])
    assert 80 <= words_a_minute <= 220, pace
    assert page.locator("[data-pauses]").count() == 1
    page.screenshot(path=screenshots / "report-spoken.png", full_page=True)


def test_a_recording_can_be_uploaded_without_javascript(chromium, server, recording):
    context = chromium.new_context(base_url=server, java_script_enabled=False)
    try:
        page = context.new_page()
        speech_or_skip(page)
        question = platform_question(page)
        page.goto(f"/practice/{question['id']}")
        page.set_input_files("[data-audio-file]", str(recording))
        page.click("[data-upload-submit]")
        # The page reloads itself (meta refresh) until the transcript is ready.
        page.wait_for_selector("[data-transcription-state=done]", timeout=180_000)
        assert "platform team" in page.input_value("[data-answer]").lower()
        page.click("[data-answer-form] [data-submit]")
        page.wait_for_selector("[data-report]", timeout=60_000)
        assert page.locator("[data-pace]").count() == 1
    finally:
        context.close()
