"""Practice on a real database: scoring, attempts, history, privacy and comparison."""

import pytest

from rehearse.practice import service

LIMIT = 20_000
GOOD = (
    "I led the response as incident commander and split the work between two teams. I "
    "posted updates to customers every 30 minutes on the status page. Afterwards we added a "
    "canary stage and cut incidents by 40% in two quarters."
)
WEAK = "I fixed the bug and it was fine."


@pytest.mark.parametrize(
    ("answer", "status", "message"),
    [
        ("", 422, "empty"),
        ("   \n\t ", 422, "empty"),
        ("\u200b\u200b\u00a0\ufeff", 422, "empty"),  # zero-width and no-break spaces only
        ("..... ??? !!! --- ,,,", 422, "no words"),
        ("x" * (LIMIT + 1), 413, "20,001 characters long; the limit is 20,000"),
        ("nul\x00byte", 400, "NUL"),
    ],
)
def test_answers_that_cannot_be_scored_are_refused_with_a_reason(answer, status, message):
    with pytest.raises(service.AnswerRejected, match=message) as rejected:
        service.check_answer(answer, max_chars=LIMIT)
    assert rejected.value.status == status


def test_score_returns_the_report_of_the_product_contract(session, questions):
    report = service.score(session, question=questions[0], answer=GOOD, max_chars=LIMIT)
    for key in (
        "score",
        "coverage",
        "talking_points",
        "on_topic",
        "structure",
        "specificity",
        "delivery",
        "suggestions",
        "engine",
    ):
        assert key in report
    assert 0 <= report["score"] <= 100
    assert {p["point"] for p in report["talking_points"]} == set(questions[0].talking_points)


def test_attempts_are_kept_newest_first_and_visible_to_their_owner_only(session, questions, users):
    ann, bob = users
    first = service.record(
        session,
        user=ann,
        question=questions[0],
        answer=WEAK,
        report=service.score(session, question=questions[0], answer=WEAK, max_chars=LIMIT),
    )
    second = service.record(
        session,
        user=ann,
        question=questions[1],
        answer=GOOD,
        report=service.score(session, question=questions[1], answer=GOOD, max_chars=LIMIT),
        duration_s=75.5,
    )
    assert [a.id for a in service.history(session, user=ann)] == [second.id, first.id]
    assert service.history(session, user=bob) == []
    assert service.get(session, user=bob, attempt_id=first.id) is None
    assert service.get(session, user=ann, attempt_id=first.id).answer == WEAK
    assert service.last_scores(session, user=bob, question_ids=[q.id for q in questions]) == {}
    assert service.last_scores(session, user=ann, question_ids=[questions[0].id]) == {
        questions[0].id: first.score
    }
    assert service.count(session, user=ann) == 2


def test_a_history_page_says_the_total_whether_or_not_it_counts(session, questions, users):
    ann, bob = users
    report = service.score(session, question=questions[0], answer=WEAK, max_chars=LIMIT)
    made = [service.record(session, user=ann, question=questions[i % 2], answer=WEAK, report=report).id
            for i in range(3)]
    pages = [service.history_page(session, user=ann, page=page, per_page=2) for page in (1, 2, 3)]
    assert [[row.id for row in rows] for rows, _ in pages] == [made[:0:-1], [made[0]], []]
    assert [total for _, total in pages] == [3, 3, 3]  # counted (full, empty) or read off a last, short page
    assert service.history_page(session, user=bob) == ([], 0)


def test_try_again_compares_with_the_earlier_attempt(session, questions, users):
    ann, bob = users
    weak = service.score(session, question=questions[0], answer=WEAK, max_chars=LIMIT)
    earlier = service.record(session, user=ann, question=questions[0], answer=WEAK, report=weak)
    good = service.score(session, question=questions[0], answer=GOOD, max_chars=LIMIT)
    again = service.record(
        session,
        user=ann,
        question=questions[0],
        answer=GOOD,
        report=good,
        previous_attempt_id=earlier.id,
    )
    assert again.previous_attempt_id == earlier.id
    comparison = service.compare(earlier.report, again.report)
    assert comparison.score_change == good["score"] - weak["score"] > 0
    assert comparison.newly_covered
    # Bob cannot chain his attempt onto Ann's.
    stolen = service.record(
        session,
        user=bob,
        question=questions[0],
        answer=GOOD,
        report=good,
        previous_attempt_id=earlier.id,
    )
    assert stolen.previous_attempt_id is None
    # Nor is an answer to another question "tried again": a retry is compared with the same question's.
    elsewhere = service.record(session, user=ann, question=questions[1], answer=GOOD, report=good,
                               previous_attempt_id=earlier.id)
    assert elsewhere.previous_attempt_id is None


def test_spoken_attempts_keep_pace_and_pauses(session, questions, users):
    transcript = {
        "text": GOOD,
        "duration_s": 30.0,
        "speaking_s": 25.0,
        "words_per_minute": 120.0,
        "pauses": [[10.5, 2.4]],
        "segments": [],
        "word_count": 50,
        "language": "en",
    }
    report = service.score(session, question=questions[0], answer=GOOD, max_chars=LIMIT)
    attempt = service.record(
        session,
        user=users[0],
        question=questions[0],
        answer=GOOD,
        report=report,
        mode="spoken",
        speech=service.speech_summary(transcript),
    )
    assert attempt.speech["words_per_minute"] == 120.0 and attempt.speech["pauses"] == [[10.5, 2.4]]
    assert "segments" not in attempt.speech


def test_random_question_comes_from_the_asked_role(session, questions):
    assert service.random_question_id(session, role_id=questions[0].role_id) in {
        q.id for q in questions
    }
    assert service.random_question_id(session, role_id=-1) is None


def test_the_bank_lexicon_follows_an_edit_of_talking_points(session, questions):
    from rehearse.practice.scoring import bank_lexicon

    before = bank_lexicon(session, questions[0].bank_id)
    assert bank_lexicon(session, questions[0].bank_id) is before  # unchanged bank: the cached one
    questions[1].talking_points = ["a hiring plan", "onboarding", "a calibrated interview rubric"]
    session.flush()
    after = bank_lexicon(session, questions[0].bank_id)
    assert after is not before
    assert any("a calibrated interview rubric" in q.talking_points for q in after.questions)
