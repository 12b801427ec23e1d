"""Specifics as an experienced interviewer reads them (tester C): a number in words is read whole, a
date is one time frame, plain words are no job terms, named products and standards are specifics."""

import pytest

from rehearse.feedback.signals import specificity


@pytest.mark.parametrize(("answer", "number", "frame"), [
    ("Sixty hires is fifteen hundred hours of interviewing.", "fifteen hundred", "fifteen hundred hours"),
    ("We served about two and a half thousand users.", "two and a half thousand", None),
    ("It handled two hundred and fifty thousand requests.", "two hundred and fifty thousand", None),
])
def test_a_number_in_words_is_read_whole(answer, number, frame):
    spec = specificity(answer, None)
    assert number in spec.numbers
    assert "hundred" not in spec.numbers and "thousand" not in spec.numbers
    assert "hundred hours" not in spec.time_frames
    if frame:
        assert frame in spec.time_frames


@pytest.mark.parametrize(("answer", "frames"), [
    ("Shipped 29 Oct; saved cards followed 15 Nov.", {"29 Oct", "15 Nov"}),
    ("In Q3 2022 we promised it by 1 October.", {"Q3 2022", "by 1 October"}),
    ("On 5 September it failed; the new range was 1–15 November.", {"5 September", "1–15 November"}),
    ("It went live on 15/08/2023, the patch on 2023-08-15.", {"15/08/2023", "2023-08-15"}),
    ("We launched on May 29, and again on 1 May.", {"May 29", "1 May"}),
])
def test_a_date_is_one_time_frame_and_no_numbers(answer, frames):
    spec = specificity(answer, None)
    assert frames <= set(spec.time_frames)
    assert spec.numbers == ()


def test_a_count_beside_a_date_is_still_a_number():
    spec = specificity("By 1 October we had cut 400 tickets to 12.", None)
    assert {"400", "12"} <= set(spec.numbers) and "1" not in spec.numbers
