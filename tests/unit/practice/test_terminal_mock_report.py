"""The terminal's mock report says what the web report says: an answer to another question is marked off-topic
and named with the question it reads like (it once showed only "9" beside lesser advice)."""

from rich.console import Console

from rehearse.practice.terminal import mock_report_lines

READS_LIKE = "This answer does not seem to address the question asked. It reads more like an answer to: “Tell me " \
             "about a time you turned around an underperforming engineer.”"


def printed(summary: dict) -> str:
    console = Console(width=200, record=True, color_system=None)
    for part in mock_report_lines(summary):
        console.print(part)
    return console.export_text()


def entry(number, score, off_topic=None, **more):
    return {"number": number, "question": f"Question text {number}", "score": score, "missed": [],
            "timed_out": False, "empty": False, "off_topic": off_topic, **more}


def test_an_off_topic_answer_is_marked_and_named_with_the_question_it_reads_like():
    text = printed({"questions": [entry(1, 72), entry(2, 9, READS_LIKE)], "score": 40, "timed_out": 0,
                    "suggestions": [{"message": "Answer the question asked."}]})
    assert "9 (off-topic)" in text and "72 (off-topic)" not in text
    assert f"Off-topic: Question 2: {READS_LIKE}" in text
    assert "Question 1:" not in text and "Overall 40 / 100." in text and "• Answer the question asked." in text


def test_an_off_topic_follow_up_is_named_as_the_follow_up():
    follow = {"question": "And how did it end?", "score": 5, "timed_out": True, "empty": False,
              "off_topic": READS_LIKE}
    text = printed({"questions": [entry(1, 70, follow_up=follow)], "score": 70, "timed_out": 1, "suggestions": []})
    assert "5 (time ran out) (off-topic): And how did it end?" in text
    assert "Off-topic: The follow-up to question 1:" in text and "1 sent when time ran out." in text
