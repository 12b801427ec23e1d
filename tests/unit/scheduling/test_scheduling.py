"""The score-to-rating mapping, rating names, and that cards advance exactly as the fsrs library says."""

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Card, Scheduler, State

from rehearse.scheduling import CardState, Rating, parse_rating, rating_for_score, recompute, review

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (0, Rating.Again),
        (39, Rating.Again),
        (40, Rating.Hard),
        (59, Rating.Hard),
        (60, Rating.Good),
        (84, Rating.Good),
        (85, Rating.Easy),
        (100, Rating.Easy),
        (72.5, Rating.Good),
    ],
)
def test_score_maps_to_rating(score, rating):
    assert rating_for_score(score) == rating


@pytest.mark.parametrize("score", [-1, 101, 1000])
def test_a_score_outside_0_100_is_refused(score):
    with pytest.raises(ValueError, match="between 0 and 100"):
        rating_for_score(score)


@pytest.mark.parametrize(
    ("given", "rating"),
    [("again", Rating.Again), ("Hard", Rating.Hard), (" good ", Rating.Good), ("EASY", Rating.Easy),
     ("1", Rating.Again), (4, Rating.Easy)],
)
def test_ratings_by_name_or_number(given, rating):
    assert parse_rating(given) == rating


@pytest.mark.parametrize("given", ["perfect", "", "0", "5", 7, "again!", True, False])
def test_a_rating_that_does_not_exist_is_refused(given):
    with pytest.raises(ValueError, match="not a rating"):
        parse_rating(given)


@pytest.mark.parametrize("rating", list(Rating))
def test_one_review_advances_as_the_library_says(rating):
    library = Scheduler(enable_fuzzing=False)
    expected, _ = library.review_card(Card(due=NOW), rating, review_datetime=NOW)
    ours = review(CardState.new(NOW), rating, NOW)
    assert ours.due == expected.due
    assert ours.state == expected.state.value
    assert ours.stability == pytest.approx(expected.stability)
    assert ours.difficulty == pytest.approx(expected.difficulty)


@pytest.mark.parametrize("ratings", [
    [Rating.Good, Rating.Good, Rating.Good],
    [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy],
    [Rating.Easy, Rating.Again, Rating.Good],
])
def test_a_sequence_of_reviews_matches_the_library_and_replays_the_same(ratings):
    library = Scheduler(enable_fuzzing=False)
    card, ours, moment, history = Card(due=NOW), CardState.new(NOW), NOW, []
    for rating in ratings:
        card, _ = library.review_card(card, rating, review_datetime=moment)
        ours = review(ours, rating, moment)
        history.append((rating, moment))
        assert ours.due == card.due and ours.state == card.state.value
        moment = card.due + timedelta(hours=1)  # answer each time it is due
    assert recompute(NOW, history) == ours


def test_easy_pushes_a_card_further_out_than_again():
    after = {r: review(CardState.new(NOW), r, NOW).due for r in Rating}
    assert after[Rating.Again] < after[Rating.Hard] <= after[Rating.Good] < after[Rating.Easy]
    assert review(CardState.new(NOW), Rating.Easy, NOW).state == State.Review.value


def test_naive_times_from_sqlite_are_taken_as_utc():
    naive = NOW.replace(tzinfo=None)
    assert review(CardState.new(naive), Rating.Good, naive) == review(CardState.new(NOW), Rating.Good, NOW)
