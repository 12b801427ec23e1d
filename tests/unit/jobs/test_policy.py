"""Retry and lease rules as tables: what a failed try waits, when a lease is renewed."""

from datetime import UTC, datetime, timedelta

import pytest

from rehearse.jobs import policy


@pytest.mark.parametrize(("attempt", "seconds"), [
    (0, 2), (1, 2), (2, 4), (3, 8), (4, 16), (8, 256), (9, 300), (50, 300), (10**9, 300),
])
def test_a_failed_try_waits_twice_as_long_as_the_last_up_to_five_minutes(attempt, seconds):
    assert policy.retry_delay(attempt) == timedelta(seconds=seconds)


@pytest.mark.parametrize(("attempt", "max_attempts", "retry_in"), [
    (1, 3, timedelta(seconds=2)),
    (2, 3, timedelta(seconds=4)),
    (3, 3, None),  # the last allowed try failed: give up
    (4, 3, None),
    (1, 1, None),  # a job allowed one try is never retried
])
def test_after_an_error_the_job_is_retried_until_its_tries_run_out(attempt, max_attempts, retry_in):
    assert policy.after_error(attempt, max_attempts) == retry_in


@pytest.mark.parametrize(("since", "lease", "due"), [
    (0, 60, False), (19.9, 60, False), (20, 60, True), (59, 60, True), (1, 3, True), (0.9, 3, False),
])
def test_a_lease_is_renewed_at_a_third_of_its_length(since, lease, due):
    assert policy.renewal_due(timedelta(seconds=since), timedelta(seconds=lease)) is due


def test_a_lease_ends_its_length_after_the_claim_or_renewal():
    now = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
    assert policy.lease_expiry(now, timedelta(seconds=60)) == datetime(2026, 11, 27, 10, 1, tzinfo=UTC)


@pytest.mark.parametrize(("failures", "seconds"), [(0, 1), (1, 1), (2, 2), (3, 4), (6, 30), (7, 30), (99, 30)])
def test_a_worker_that_cannot_reach_the_database_waits_longer_each_time(failures, seconds):
    assert policy.reconnect_delay(failures) == seconds


@pytest.mark.parametrize(("attempts", "says"), [(1, "stopped once"), (3, "stopped 3 times")])
def test_a_job_given_up_says_how_often_its_worker_died(attempts, says):
    message = policy.given_up_message(attempts)
    assert says in message and "not tried again" in message


@pytest.mark.parametrize(("due_in", "seconds"), [
    (None, 5.0),  # nothing pending: the notices will say; look every 5 s in case one was missed
    (60.0, 5.0),  # a lease ending in a minute: still the slow poll
    (2.0, 2.0),  # a retry's back-off ending in 2 s: look then
    (0.0, 0.1), (-3.0, 0.1),  # due already (another thread took it, or it just came due): the fast poll
])
def test_a_worker_told_of_new_jobs_looks_when_the_next_comes_due_at_most_every_five_seconds(due_in, seconds):
    assert policy.notified_wait(due_in, poll=0.1, slow_poll=policy.NOTIFIED_POLL) == seconds
