"""Specifics as a report lists them: numbers, time frames, named practices and tools, job terms."""

from __future__ import annotations

import pytest

from rehearse.feedback import Lexicon
from rehearse.feedback import signals as S
from rehearse.feedback import text as T


def _spec(answer: str, terms: tuple[str, ...] = ()):
    lexicon = Lexicon((), {" ".join(T.stem(w) for w in term.split()): term for term in terms}, {}) if terms else None
    return S.specificity(answer, lexicon)


# ---------------------------------------------------------------- numbers and time frames


def test_a_decimal_figure_is_one_number_and_one_time_frame_not_its_digits_after_the_point():
    spec = _spec("Lead time fell from 6.5 days to 2.1 days for 1,200 users.")
    assert set(spec.time_frames) == {"6.5 days", "2.1 days"}
    assert set(spec.numbers) == {"6.5 days", "2.1 days", "1,200 users"}


@pytest.mark.parametrize(("sentence", "frame"), [
    ("Within a fortnight the backlog was cleared.", "Within a fortnight"),
    ("I rang the prescriber the same day.", "the same day"),
    ("That afternoon I called the ward sister back.", "That afternoon"),
    ("The next morning we reviewed every chart.", "The next morning"),
    ("It was fixed by the end of my shift.", "by the end of my shift"),
    ("We cut the queue over the last fortnight.", "last fortnight"),
    ("In the first half we hired two nurses.", "the first half"),
])
def test_time_frames_outside_software_are_time_frames(sentence, frame):
    assert frame in _spec(sentence).time_frames


def test_cutting_something_by_half_is_a_number_not_a_time_frame():
    spec = _spec("We cut the queue by half.")
    assert spec.time_frames == () and "half" in spec.numbers


def test_an_age_is_not_a_time_frame_and_a_dose_is_a_number_with_its_unit():
    spec = _spec("An 82-year-old patient was given 10 mg twice, and a six-year-old 5 ml.")
    assert spec.time_frames == ()
    assert {"10 mg", "5 ml"} <= set(spec.numbers)


@pytest.mark.parametrize("frame", ["six-week", "two-year", "five-minute", "2-year", "90-minute", "twenty-four-hour"])
def test_a_hyphenated_duration_is_a_time_frame_as_written(frame):
    assert frame in _spec(f"We agreed a {frame} plan with the team.").time_frames


@pytest.mark.parametrize("frame", ["10 min", "10 mins", "2 hrs", "3 yrs", "4 wks"])
def test_an_abbreviated_unit_makes_a_time_frame_not_a_bare_number(frame):
    spec = _spec(f"Recovery took {frame} at most.")
    assert frame in spec.time_frames and frame in spec.numbers


def test_zero_is_a_number():
    assert "zero" in _spec("We had zero incidents of this type.").numbers


@pytest.mark.parametrize(("answer", "frame"), [
    ("Since one year we have zero incidents of this type.", "Since one year"),
    ("It has held for a year now.", "for a year now"),
])
def test_a_duration_up_to_now_is_a_time_frame(answer, frame):
    assert frame in _spec(answer).time_frames


# ---------------------------------------------------------------- named practices and tools


def test_acronyms_and_camel_case_names_are_named_tools_as_written():
    spec = _spec("We put SSO and MFA in front of every admin tool, moved sessions to DynamoDB and wired "
                 "PagerDuty alerts into our APIs.")
    assert {"SSO", "MFA", "DynamoDB", "PagerDuty", "APIs"} <= set(spec.named_practices)


@pytest.mark.parametrize("answer", [
    "I promoted Lena and told Marco, our CTO and the VP; the CEO said it was OK.",
    "I sat down with McKenzie in the US office at 9 AM, ASAP.",
    "We did NOT ship it and ALL of us were SO tired.",
    "WE SHIPPED IT ON TIME AND THE TEAM WAS HAPPY.",  # a shouted answer is not a list of acronyms
])
def test_people_roles_places_and_emphasis_are_not_named_tools(answer):
    assert _spec(answer).named_practices == ()


@pytest.mark.parametrize("tool", ["Kafka", "Redis", "Elasticsearch", "Postgres", "Docker"])
def test_well_known_infrastructure_tools_are_named_tools(tool):
    assert tool in _spec(f"We moved the queue onto {tool} last spring.").named_practices


# ---------------------------------------------------------------- job terms


def test_a_buzzword_or_a_word_of_a_cliche_the_answer_used_is_never_a_job_term():
    spec = _spec("We leverage best practices with every stakeholder and review the pipeline weekly.",
                 ("stakeholder", "practices", "pipeline"))
    assert spec.job_terms == ("pipeline",)


def test_a_word_of_a_cliche_is_a_job_term_where_the_answer_uses_it_plainly():
    assert _spec("We wrote down our review practices.", ("practices",)).job_terms == ("practices",)


@pytest.mark.parametrize("word", ["mistake", "customer", "experience", "guide", "code", "domain", "system",
                                  "options", "model", "rewrite", "level", "diagnose", "trust", "quality",
                                  "designed", "estimated", "tested", "fixed", "fixing"])
def test_a_plain_word_of_everyday_english_is_not_a_job_term_alone(word):
    assert _spec(f"I looked at the {word} again.", (word,)).job_terms == ()


def test_a_plain_word_stays_part_of_a_longer_job_term():
    spec = _spec("I put the domain model into the system design.", ("domain", "domain model", "system", "system design"))
    assert set(spec.job_terms) == {"domain model", "system design"}


@pytest.mark.parametrize(("written", "term"), [("safely", "safe"), ("clinically", "clinical")])
def test_a_job_term_told_as_an_adverb_is_how_not_what(written, term):
    assert _spec(f"We handled it {written} and with care.", (term,)).job_terms == ()
    assert _spec(f"We handled it {written}; it was {term}.", (term,)).job_terms == (term,)


def test_a_keyword_stuffed_answer_earns_nothing_from_its_buzzwords():
    stuffed = ("We leverage data-driven insights and a holistic strategy to create synergy with every "
               "stakeholder, following best practices for quality, trust and growth.")
    terms = ("stakeholder", "practices", "quality", "trust", "growth", "synergy", "insights")
    assert set(_spec(stuffed, terms).job_terms) <= {"insights"}


# ---------------------------------------------------------------- what is no specific, in any profession


@pytest.mark.parametrize("terms", [
    # management vocabulary and values: what every leadership answer says, nothing an interviewer checks
    ("management", "leadership", "ownership", "executive", "senior", "psychological safety", "scale",
     "senior management", "executive team"),
    # people in general, in any field
    ("staff", "nurses", "team", "people", "engineers", "customers", "patients", "clients", "employees"),
])
def test_buzzwords_and_people_in_general_are_not_job_terms(terms):
    answer = ("I bring executive leadership, ownership and senior management to the executive team, "
              "psychological safety at scale for staff, nurses, people, engineers, customers, patients, "
              "clients and employees in every team.")
    spec = _spec(answer, terms)
    assert spec.job_terms == () and spec.score == 0.0


@pytest.mark.parametrize(("answer", "term"), [
    ("We ran the incident management review the same way on every ward.", "incident management"),
    ("I raised it at the handover and logged a patient safety report.", "patient safety"),
    ("We improved the sales pipeline before the quarter closed.", "sales pipeline"),
    ("I moved the lesson plans into the department's shared drive.", "lesson plans"),
])
def test_a_term_with_a_word_of_the_field_stays_a_job_term_beside_a_generic_one(answer, term):
    assert term in _spec(answer, (term,)).job_terms


def test_conversion_alone_is_no_named_practice_but_a_conversion_rate_is_a_metric():
    assert _spec("We focused on conversion and growth.").named_practices == ()
    assert "conversion rate" in _spec("Our conversion rate rose.").named_practices


@pytest.mark.parametrize("practice", ["postmortem", "SLO", "PDSA", "SBAR"])
def test_real_practices_still_count(practice):
    assert practice in _spec(f"After the incident I ran a {practice} with the ward team.").named_practices


# ---------------------------------------------------------------- times, dates and meetings


@pytest.mark.parametrize(("sentence", "frame"), [
    ("It happened on a Sunday late shift in November 2023.", "in November 2023"),
    ("It happened on a Sunday late shift in November 2023.", "on a Sunday"),
    ("The pager went off at 2am.", "at 2am"),
    ("The pager went off at 2 am.", "at 2 am"),
    ("The pager went off at 2 p.m.", "at 2 p.m."),
    ("The drug round starts at 14:30 sharp.", "at 14:30"),
    ("I called the client on Friday.", "on Friday"),
    ("I reviewed the board every evening.", "every evening"),
    ("I checked the fluid charts each morning.", "each morning"),
    ("We met every other week.", "every other week"),
    ("The new rota started in May.", "in May"),
    ("By March 2024 the backlog was gone.", "By March 2024"),
    ("I joined the school in 2019.", "in 2019"),
])
def test_times_of_day_weekdays_and_months_are_time_frames(sentence, frame):
    assert frame in _spec(sentence).time_frames


@pytest.mark.parametrize("sentence", [
    "For sprint planning I brought the risks.",
    "In shift handover I flagged the patient.",
    "We may march on regardless.",
    "I asked June to cover the ward.",  # a month alone may be a name
    "We kept a staff ratio of 1:10.",
    "I held a 1:1 with her.",
])
def test_a_bare_unit_a_name_a_ratio_and_a_meeting_are_not_time_frames(sentence):
    assert _spec(sentence).time_frames == ()


@pytest.mark.parametrize("meeting", ["1:1", "1:1s", "1-1", "1-on-1"])
def test_a_one_on_one_is_a_practice_not_a_number(meeting):
    spec = _spec(f"In my weekly {meeting} with Sam we set the goals.")
    assert meeting in spec.named_practices and spec.numbers == ()


@pytest.mark.parametrize("answer", ["Incidents | 0 |", "What we did:\n0\nWe met daily.", "First the plan. 2) The rota."])
def test_a_lone_list_marker_or_table_cell_is_not_a_number(answer):
    assert _spec(answer).numbers == ()


@pytest.mark.parametrize(("answer", "number"), [
    ("We had 0 incidents after that.", "0"), ("It fell from 12 to 0.", "0"), ("Incidents: 0", "0"),
])
def test_a_zero_the_candidate_gives_is_a_number(answer, number):
    assert number in _spec(answer).numbers


@pytest.mark.parametrize(("answer", "numbers"), [
    ("We passed SOC 2 and ISO 27001 in 6 months.", ("6 months",)),  # a standard's number names it
    ("One Friday the pool ran out; one of three services died.", ("three",)),  # one day, not a count
    ("Cost per thousand queries fell from $1.90 to $0.85.", ("$1.90", "$0.85")),  # a rate's unit
    ("We hired 3 engineers and had 2 teams.", ("3 engineers", "2 teams")),
])
def test_a_number_that_names_something_or_is_a_unit_is_no_amount(answer, numbers):
    assert S.specificity(answer, None).numbers == numbers


def test_a_practice_is_listed_once_not_again_by_its_parts():
    found = S.specificity("We moved to CI/CD with CI on every PR, passed SOC 2 and tracked DORA.", None)
    assert found.named_practices == ("CI/CD", "SOC 2", "DORA")


def test_resilience_practices_are_named_practices():
    answer = "I got four teams onto a shared client library with timeouts, backoff and circuit breakers."
    assert set(S.specificity(answer, None).named_practices) == {"backoff", "circuit breakers"}


def test_a_job_term_sharing_a_word_with_a_named_practice_is_not_listed_again():
    found = _spec("We tracked the four DORA metrics monthly.", terms=("dora metrics", "metrics review"))
    assert "DORA" in found.named_practices and found.job_terms == ()


@pytest.mark.parametrize("word", ["several", "terms", "choice", "standard", "individual"])
def test_plain_words_a_bank_uses_are_no_job_terms(word):
    assert _spec(f"I explained it in {word} that made sense.", terms=(word,)).job_terms == ()


@pytest.mark.parametrize(("answer", "term"), [
    ("I drafted the memo and shipped it.", "draft"), ("I drafted the memo and shipped it.", "ship"),
    ("We calibrated the ratings and I defended them.", "calibration"),
    ("She engaged the team early.", "engagement"),
])
def test_a_job_term_the_answer_tells_as_a_past_action_is_no_specific(answer, term):
    """"drafted" and "shipped" say what was done; the bank's "draft" or "ship" is not named by them."""
    assert _spec(answer, (term,)).job_terms == ()


@pytest.mark.parametrize("word", ["risks", "mitigation", "loop", "formal", "requirements", "deadline", "cost",
                                  "programme", "data", "review", "operations", "requests", "platform", "scope",
                                  "delivery", "board", "disagreement", "communicate", "onboarding"])
def test_the_nouns_of_any_project_are_no_job_terms_alone(word):
    assert _spec(f"I looked at the {word} with them.", terms=(word,)).job_terms == ()


def test_a_job_term_written_as_the_bank_writes_it_stays():
    found = _spec("We held a risk review and wrote a draft policy.", terms=("risk review", "draft")).job_terms
    assert set(found) == {"risk review", "draft"}  # "review" and "risk" alone are plain; together a practice


def test_one_and_a_half_is_one_number():
    assert S.specificity("It took one and a half years; half the team left.", None).numbers == ("one and a half",
                                                                                                "half")
