"""A spoken answer's measured speaking time: analyze(..., spoken_seconds=...) reports it, and the length verdict,
the delivery points, the length suggestions and the pace follow it; None (a typed answer) keeps the estimate at
150 words a minute, exactly as before."""

from __future__ import annotations

import math

import pytest

from rehearse.feedback import analyze, analyze_many
from rehearse.feedback.delivery import WORDS_PER_MINUTE, delivery

from .conftest import INCIDENTS, STRATEGY

# 44 words: estimated at 17.6 s
ANSWER = ("First I would interview the CEO and the leads. Then I would split the year into three "
          "phases, each with a milestone. We would pause feature work for a quarter to pay down "
          "debt, and every engineering objective would map to a company OKR.")


def length_messages(report) -> list[str]:
    return [s.message for s in report.suggestions if s.kind == "length"]


def test_the_measured_speaking_time_is_reported_with_its_verdict_suggestion_and_pace(backend, lexicon):
    estimated = analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon)
    spoken = analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon, spoken_seconds=10.5)
    assert estimated.delivery.words == spoken.delivery.words == 44
    assert estimated.delivery.speaking_seconds == 17.6  # the estimate the tester saw beside a measured 0:10
    d = spoken.to_dict()["delivery"]
    assert d["speaking_seconds"] == 10.5
    assert d["length_verdict"] == "short"
    assert d["words_per_minute"] == round(44 / 10.5 * 60) == 251  # this answer's words over the measured minutes
    assert length_messages(spoken) == ["Too short: about 0:10 spoken; aim for 1:00–3:00."]
    assert length_messages(estimated) == ["Too short: about 0:18 spoken; aim for 1:00–3:00."]
    # the length factor follows the measured time too: 10.5 s is further from 60 s than 17.6 s
    assert d["score"] < estimated.delivery.score
    # what the text says is scored alike
    assert spoken.talking_points == estimated.talking_points and spoken.specificity == estimated.specificity
    assert set(spoken.to_dict()) == set(estimated.to_dict())
    assert set(d) == set(estimated.to_dict()["delivery"])  # the same keys, only the figures differ


def test_the_measured_time_is_kept_to_the_hundredth_a_transcription_gives(backend):
    report = analyze(STRATEGY, ANSWER, backend=backend, spoken_seconds=10.47)
    assert report.delivery.speaking_seconds == 10.47 and report.delivery.words_per_minute == round(44 / 10.47 * 60)


def test_a_measured_time_in_the_target_is_ok_and_a_long_one_long(backend, lexicon):
    ok = analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon, spoken_seconds=90)
    assert ok.delivery.length_verdict == "ok" and ok.delivery.speaking_seconds == 90.0
    assert ok.delivery.words_per_minute == round(44 / 1.5) and length_messages(ok) == []
    delivery_points = {i.part: i.points for i in ok.breakdown}["delivery"]
    assert delivery_points == 5.0
    long = analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon, spoken_seconds=400)
    assert long.delivery.length_verdict == "long"
    assert length_messages(long) == ["Too long: about 6:40 spoken; keep it under 3:00."]
    # past twice the longest an interviewer expects, the length cap reads the measured time
    capped = analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon, spoken_seconds=1200)
    [cap] = [i for i in capped.breakdown if i.part == "length_cap"]
    assert capped.score <= 50 and cap.note.startswith("about 20:00 spoken, 6.7× the longest an interviewer expects")


STRONG = ("At Finly, a 120-person scale-up, I wrote the 2024 engineering strategy in my first six weeks. I spent the "
          "first month listening to 30 engineers, the product leads and the CEO. Then I split the year into three "
          "phases, stabilise, scale and accelerate, each with a milestone we checked every quarter: cut incidents by "
          "half by March, ship the new billing platform by July, and double deploy frequency by December. I was "
          "explicit about trade-offs: we paused feature work for one quarter to pay down the worst payment debt, and "
          "we hired two platform engineers instead of three product ones. Every engineering objective mapped to a "
          "company OKR, reviewed with the executive team each quarter. By December incidents were down 60% and we "
          "deployed twelve times a day.")


@pytest.mark.parametrize(("seconds", "ceiling", "said"), [
    (300, 84, "5:00 spoken, 1.7× the longest an interviewer expects (3:00): at most strong"),  # it had to be cut
    (404, 77, "6:44 spoken, 2.2× the longest an interviewer expects (3:00): score capped"),  # once "excellent"
    (540, 53, "9:00 spoken, 3.0× the longest an interviewer expects (3:00): score capped"),  # fair at most
])
def test_a_long_answer_is_held_below_excellent_and_further_down_the_longer_it_runs(backend, lexicon, seconds,
                                                                                 ceiling, said):
    assert analyze(STRATEGY, STRONG, backend=backend, lexicon=lexicon, spoken_seconds=150).score > ceiling
    report = analyze(STRATEGY, STRONG, backend=backend, lexicon=lexicon, spoken_seconds=seconds)
    [cap] = [i for i in report.breakdown if i.part == "length_cap"]
    assert report.score <= ceiling and report.grade != "excellent" and cap.note == f"about {said}"


def test_a_long_answer_within_half_as_long_again_as_the_target_keeps_its_grade(backend, lexicon):
    report = analyze(STRATEGY, STRONG, backend=backend, lexicon=lexicon, spoken_seconds=260)  # 4:20: told, not capped
    assert report.delivery.length_verdict == "long" and not [i for i in report.breakdown if i.part == "length_cap"]


def test_none_gives_the_estimated_report_exactly(backend, lexicon):
    for question, answer in ((STRATEGY, ANSWER), (INCIDENTS, "I would set up an on-call rotation, um, maybe."),
                             (STRATEGY, "")):
        today = analyze(question, answer, backend=backend, lexicon=lexicon)
        assert analyze(question, answer, backend=backend, lexicon=lexicon, spoken_seconds=None) == today
        assert today.delivery.words_per_minute == WORDS_PER_MINUTE
    report = analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon)
    assert report.delivery == delivery(ANSWER, report.delivery.sentences)
    assert report.delivery.speaking_seconds == round(44 / WORDS_PER_MINUTE * 60, 1)


def test_analyze_many_takes_each_pairs_measured_time(backend, lexicon):
    pairs = [(STRATEGY, ANSWER), (INCIDENTS, "I would set up an on-call rotation with severity levels."),
             (STRATEGY, ANSWER)]
    many = analyze_many(pairs, backend=backend, lexicon=lexicon, spoken_seconds=[10.5, None, 90])
    assert many == [analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon, spoken_seconds=10.5),
                    analyze(*pairs[1], backend=backend, lexicon=lexicon),
                    analyze(STRATEGY, ANSWER, backend=backend, lexicon=lexicon, spoken_seconds=90)]
    assert analyze_many(pairs, backend=backend, lexicon=lexicon) == \
        analyze_many(pairs, backend=backend, lexicon=lexicon, spoken_seconds=[None] * 3)
    with pytest.raises(ValueError, match="2 values for 3 answers"):
        analyze_many(pairs, backend=backend, lexicon=lexicon, spoken_seconds=[10.5, None])


@pytest.mark.parametrize("seconds", [0, 0.0, -1.0, math.nan, math.inf])
def test_a_measured_time_must_be_a_finite_number_above_zero(backend, seconds):
    with pytest.raises(ValueError, match="spoken_seconds"):
        analyze(STRATEGY, ANSWER, backend=backend, spoken_seconds=seconds)


@pytest.mark.parametrize("seconds", ["10.5", True])
def test_a_measured_time_is_a_number(backend, seconds):
    with pytest.raises(TypeError, match="spoken_seconds"):
        analyze(STRATEGY, ANSWER, backend=backend, spoken_seconds=seconds)


def test_an_empty_answer_with_a_measured_time_is_still_no_answer(backend):
    report = analyze(STRATEGY, "  ", backend=backend, spoken_seconds=4.0)
    assert report.score == 0 and report.grade == "no answer"
    assert report.delivery.length_verdict == "empty" and report.delivery.speaking_seconds == 4.0
    assert report.delivery.words_per_minute == 0
