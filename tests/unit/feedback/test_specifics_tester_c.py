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


def _terms(answer, terms):
    from rehearse.feedback.lexicon import Lexicon
    from rehearse.feedback.text import stem
    lexicon = Lexicon((), {" ".join(stem(w) for w in t.split()): t for t in terms}, {})
    return specificity(answer, lexicon).job_terms


@pytest.mark.parametrize(("answer", "term"), [
    ("A single customer's script took the service down.", "customer"),  # a possessive of a plain word
    ("I didn't blame the team or the vendor.", "blame"),  # the bank's word used as a verb
    ("I'd invest in employer brand.", "invest"),
    ("The SLO was measured at the load balancer.", "balance"),  # another word of the same stem
    ("I proposed moving our event processing to Kafka.", "process"),
    ("I was excited about the technology.", "technology"),  # everyday nouns of any technical answer
    ("Build a recruiting engine with referrals.", "engine"),
    ("Show what a weak signal looks like.", "signal"),
])
def test_plain_words_are_no_job_terms(answer, term):
    assert _terms(answer, [term]) == ()


def test_a_job_term_used_as_a_noun_stays():
    assert _terms("We wrote a decision record and ran a blameless review.", ["decision record"]) == ("decision record",)


@pytest.mark.parametrize(("answer", "named"), [
    ("Our staging tests against their Epic system showed the HL7 interface failing.", {"Epic", "HL7", "staging tests"}),
    ("We moved checkout to a new payment provider (Adyen), kept cards + PayPal + Klarna.", {"Adyen", "PayPal", "Klarna"}),
    ("Week 6: the burn-down showed 40% left, so we ran a discovery spike.", {"burn-down", "discovery spike"}),
])
def test_named_products_and_standards_are_specifics(answer, named):
    assert named <= set(specificity(answer, None).named_practices)


@pytest.mark.parametrize("answer", [
    "I promoted Lena and told Sarah the plan.",
    "The Finance team and our Board agreed in Q3.",
    "Our dashboards were red for a week.",
    "It was the Black Friday peak.",
])
def test_names_of_people_teams_and_plain_words_are_not_named_tools(answer):
    assert specificity(answer, None).named_practices == ()
