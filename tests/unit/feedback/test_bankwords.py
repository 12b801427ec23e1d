"""The answer's own words point to the question it answers, among a bank's questions."""

from rehearse.feedback import Question
from rehearse.feedback.bankwords import bank_words, bm25_closest, bm25_margin, bm25_ratio, bm25_scores
from rehearse.feedback.lexicon import Lexicon

QUALITY = Question(
    text="How do you keep code quality high across your team?",
    talking_points=("code review norms", "automated tests in CI", "linters and style guides"),
    example_answer="Every change gets a review within a day, CI runs the unit tests, and a linter "
    "blocks merges that break the style guide.",
)
MOTIVATION = Question(
    text="How do you keep your team motivated?",
    talking_points=("recognition of good work", "growth and career paths", "autonomy over how"),
    example_answer="I thank people in public for good work, agree a career plan with each "
    "engineer, and let the team choose how to reach its goals.",
)
BANK = Lexicon.from_questions([QUALITY, MOTIVATION])

ON_QUALITY = ("Reviews happen on every pull request, our pipeline runs the test suite and the "
              "linter, and nothing merges red.")
ON_MOTIVATION = ("I praise good work in the weekly meeting and sit down with each engineer to "
                 "plan their career.")


def test_an_answer_points_to_its_own_question():
    assert bm25_margin(BANK, QUALITY, ON_QUALITY) > 0
    assert bm25_margin(BANK, MOTIVATION, ON_MOTIVATION) > 0


def test_another_questions_answer_points_away():
    assert bm25_margin(BANK, QUALITY, ON_MOTIVATION) < 0
    assert bm25_margin(BANK, MOTIVATION, ON_QUALITY) < 0


def test_the_index_is_built_once_per_bank():
    assert bank_words(BANK) is bank_words(BANK)


def test_a_bank_of_one_question_has_nothing_to_compare():
    alone = Lexicon.from_questions([QUALITY])
    assert bm25_margin(alone, QUALITY, ON_MOTIVATION) == 0.0


def test_an_edited_example_answer_gives_the_bank_a_new_index():
    edited = Question(text=QUALITY.text, talking_points=QUALITY.talking_points,
                      example_answer="We pair on risky changes and keep a test for every bug we fix.")
    after = Lexicon.from_questions([edited, MOTIVATION])
    assert after.key != BANK.key
    assert bank_words(after) is not bank_words(BANK)
    # the edited question is its own document, not "another question" that already says it
    assert bm25_margin(after, edited, "We pair on risky changes and keep a test for every bug.") > 0


def test_a_bank_still_holding_the_old_revision_does_not_count_it_as_another_question():
    edited = Question(text=QUALITY.text, talking_points=QUALITY.talking_points,
                      example_answer="We pair on risky changes and keep a test for every bug we fix.")
    answer = "Reviews happen on every pull request, our pipeline runs the test suite and the linter."
    assert bm25_margin(BANK, edited, answer) > 0  # BANK holds QUALITY, the revision before


def test_the_ratio_compares_the_two_scores_without_the_answers_length():
    assert bm25_ratio(10.0, 10.0) == 0.0
    assert bm25_ratio(0.0, 10.0) < 0 < bm25_ratio(10.0, 0.0)
    # twice as many matching words on both sides: the margin doubles, the ratio barely moves
    assert abs(bm25_ratio(3.0, 9.0) - bm25_ratio(7.0, 19.0)) < 0.1
    assert bm25_scores(Lexicon.from_questions([QUALITY]), QUALITY, ON_QUALITY) is None


def test_the_closest_other_question_is_the_one_the_scores_compare_with():
    own, best, closest = bm25_closest(BANK, QUALITY, ON_MOTIVATION)
    assert BANK.questions[closest] is MOTIVATION
    assert (own, best) == bm25_scores(BANK, QUALITY, ON_MOTIVATION)
