"""Accounts on a real database: sign-up rules, argon2id, sessions, the sign-in limit, tokens."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from rehearse.accounts import service
from rehearse.accounts.models import ApiToken, User, UserSession
from rehearse.bank.models import utcnow

PASSWORD = "correct horse battery staple"


def make_user(session, email="ann@example.com", **kwargs):
    return service.create_user(session, email=email, password=PASSWORD, **kwargs)


@pytest.mark.parametrize(
    ("email", "password", "message", "field"),
    [
        ("not-an-email", PASSWORD, "valid e-mail", "email"),
        ("ann@example.com", "short", "at least 10", "password"),
        ("ann@example.com", "x" * 2000, "at most 1024", "password"),
        ("", PASSWORD, "valid e-mail", "email"),
        ("ann@example.com", " " * 10, "more than spaces", "password"),
        ("ann@example.com", "\t \n" * 4, "more than spaces", "password"),
    ],
)
def test_sign_up_refuses_bad_input_with_a_reason_and_the_field_at_fault(session, email, password, message, field):
    with pytest.raises(service.AccountError, match=message) as refused:
        service.create_user(session, email=email, password=password)
    assert refused.value.fields == (field,)


def test_a_new_account_with_two_bad_fields_hears_of_both_in_form_order():
    with pytest.raises(service.AccountError) as refused:
        service.check_new_account("not-an-email", "short")
    assert "valid e-mail" in str(refused.value) and "at least 10" in str(refused.value)
    assert refused.value.fields == ("email", "password")


def test_a_display_name_refusal_names_its_field(session):
    user = make_user(session)
    for name in ("   ", "x" * 500):
        with pytest.raises(service.AccountError) as refused:
            service.rename(session, user=user, display_name=name)
        assert refused.value.fields == ("display_name",)


def test_every_account_is_a_candidate_unless_made_otherwise_even_the_first(session):
    first, second = (
        make_user(session, "first@example.com"),
        make_user(session, "second@example.com"),
    )
    assert (first.role, second.role) == ("candidate", "candidate")
    assert make_user(session, "boss@example.com", role="admin").role == "admin"


def test_passwords_are_stored_as_argon2id_hashes_only(session):
    user = make_user(session)
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_e_mail_is_case_insensitive_and_unique(session):
    make_user(session, "Ann@Example.com")
    with pytest.raises(service.AccountError, match="already exists") as taken:
        make_user(session, "ann@example.COM")
    assert taken.value.fields == ("email",)
    assert (
        service.authenticate(session, email="ANN@example.com", password=PASSWORD, client="t").email
        == "ann@example.com"
    )


def test_wrong_password_and_unknown_account_give_the_same_answer(session):
    make_user(session)
    messages = set()
    for email in ("ann@example.com", "nobody@example.com"):
        with pytest.raises(service.AccountError) as error:
            service.authenticate(session, email=email, password="wrong password!", client="t")
        messages.add(str(error.value))
    assert len(messages) == 1


def test_a_suspended_account_hears_so_only_with_the_right_password(session):
    """The right password of a suspended account was told it was wrong; a wrong one still hears only that,
    so nobody learns of the suspension without the password, and the suspended owner's tries stay counted."""
    make_user(session).active = False
    with pytest.raises(service.AccountSuspended, match="This account is suspended") as suspended:
        service.authenticate(session, email="ann@example.com", password=PASSWORD, client="t")
    assert suspended.value.args[0] != "The e-mail address or password is not right."
    with pytest.raises(service.AccountError) as wrong:
        service.authenticate(session, email="ann@example.com", password="wrong password!", client="t")
    assert str(wrong.value) == "The e-mail address or password is not right."
    now = utcnow()
    for _ in range(service.SIGN_IN_ACCOUNT_ADDRESS.free):
        assert isinstance(_fail(session, "ann@example.com", "10.0.0.1", now, password=PASSWORD),
                          service.AccountSuspended)
    assert isinstance(_fail(session, "ann@example.com", "10.0.0.1", now, password=PASSWORD), service.RateLimited)


def _fail(session, email, client, now, password="wrong password!"):
    with pytest.raises(service.AccountError) as error:
        service.authenticate(session, email=email, password=password, client=client, now=now)
    return error.value


def test_failed_sign_ins_back_off_exponentially_for_one_account_at_one_address(session):
    make_user(session)
    now = utcnow()
    for _ in range(service.SIGN_IN_ACCOUNT_ADDRESS.free):
        assert not isinstance(_fail(session, "ann@example.com", "10.0.0.1", now), service.RateLimited)
    waits = []
    for _ in range(4):
        limited = _fail(session, "ann@example.com", "10.0.0.1", now, password=PASSWORD)
        assert isinstance(limited, service.RateLimited)  # even the right password waits its turn
        waits.append(limited.retry_after)
        now += timedelta(seconds=limited.retry_after)
        assert not isinstance(_fail(session, "ann@example.com", "10.0.0.1", now), service.RateLimited)
    assert waits == [1, 2, 4, 8]
    # The wait never passes the cap, and an hour of quiet forgets the failures.
    assert service.SIGN_IN_ACCOUNT_ADDRESS.max_delay == timedelta(minutes=15)
    later = now + timedelta(hours=1, minutes=20)
    assert service.authenticate(session, email="ann@example.com", password=PASSWORD, client="10.0.0.1", now=later)


def test_the_owner_is_not_locked_out_from_their_own_address(session):
    make_user(session)
    now = utcnow()
    for _ in range(30):  # a guesser hammering the account from elsewhere
        _fail(session, "ann@example.com", "203.0.113.9", now)
    assert service.authenticate(session, email="ann@example.com", password=PASSWORD, client="10.0.0.1", now=now)


def test_guessing_from_many_addresses_slows_the_account_to_a_minute_at_most(session):
    make_user(session)
    now = utcnow()
    for i in range(service.SIGN_IN_ACCOUNT.free):
        _fail(session, "ann@example.com", f"198.51.100.{i}", now)
    limited = _fail(session, "ann@example.com", "10.0.0.1", now, password=PASSWORD)
    assert isinstance(limited, service.RateLimited) and limited.retry_after <= 60
    now += timedelta(seconds=limited.retry_after)
    assert service.authenticate(session, email="ann@example.com", password=PASSWORD, client="10.0.0.1", now=now)


def test_many_failures_from_one_address_do_not_lock_out_its_other_users(session):
    make_user(session, "colleague@example.com")
    now = utcnow()
    for i in range(service.SIGN_IN_ADDRESS.free + 3):
        _fail(session, f"guess{i}@example.com", "10.0.0.9", now)
    try:  # the colleague behind the same address waits a minute at most
        service.authenticate(session, email="colleague@example.com", password=PASSWORD, client="10.0.0.9", now=now)
    except service.RateLimited as limited:
        assert limited.retry_after <= 60
        now += timedelta(seconds=limited.retry_after)
        assert service.authenticate(session, email="colleague@example.com", password=PASSWORD, client="10.0.0.9",
                                    now=now)


def test_a_successful_sign_in_takes_back_its_count(session):
    make_user(session)
    now = utcnow()
    for _ in range(service.SIGN_IN_ACCOUNT.free * 2):  # an owner signing in from many devices
        assert service.authenticate(session, email="ann@example.com", password=PASSWORD, client="10.0.0.1", now=now)


def test_sign_ups_are_limited_per_address(session):
    now = utcnow()
    for _ in range(3):
        service.check_sign_up(session, client="10.0.0.5", per_hour=3, now=now)
    with pytest.raises(service.RateLimited) as limited:
        service.check_sign_up(session, client="10.0.0.5", per_hour=3, now=now)
    assert 3500 < limited.value.retry_after <= 3600
    service.check_sign_up(session, client="10.0.0.6", per_hour=3, now=now)
    service.check_sign_up(session, client="10.0.0.5", per_hour=3, now=now + timedelta(hours=1))


def test_sessions_are_stored_hashed_expire_and_end(session):
    user = make_user(session)
    secret = service.start_session(session, user=user)
    assert session.scalar(select(UserSession.token_hash)) != secret
    assert service.user_for_session(session, secret).id == user.id
    assert (
        service.user_for_session(
            session, secret, now=utcnow() + timedelta(days=service.SESSION_DAYS + 1)
        )
        is None
    )
    service.end_session(session, secret)
    assert service.user_for_session(session, secret) is None
    assert service.user_for_session(session, "made-up") is None


def test_api_tokens_are_hashed_and_revocable_by_their_owner_only(session):
    ann, bob = make_user(session), make_user(session, "bob@example.com")
    issued = service.create_token(session, user=ann, name="laptop")
    assert issued.secret.startswith(service.TOKEN_PREFIX)
    assert session.scalar(select(ApiToken.token_hash)) == service.hash_secret(issued.secret)
    assert service.user_for_token(session, issued.secret).id == ann.id
    with pytest.raises(LookupError):
        service.revoke_token(session, user=bob, token_id=issued.token.id)
    service.revoke_token(session, user=ann, token_id=issued.token.id)
    assert service.user_for_token(session, issued.secret) is None
    assert [t.name for t in service.list_tokens(session, user=ann)] == ["laptop"]
    assert service.list_tokens(session, user=bob) == []


def test_set_role_promotes_an_editor(session):
    make_user(session, "first@example.com")
    user = make_user(session, "ed@example.com")
    assert service.set_role(session, email="ed@example.com", role="editor").is_editor
    with pytest.raises(service.AccountError):
        service.set_role(session, email="ed@example.com", role="emperor")
    assert session.get(User, user.id).role == "editor"


def test_old_sign_in_buckets_are_forgotten(session):
    from sqlalchemy import func

    from rehearse.throttle.models import Throttle

    make_user(session)
    long_ago = utcnow() - timedelta(days=2)
    _fail(session, "ann@example.com", "10.0.0.1", long_ago)
    assert session.scalar(select(func.count()).select_from(Throttle)) == 3
    service.authenticate(session, email="ann@example.com", password=PASSWORD, client="10.0.0.2")
    keys = set(session.scalars(select(Throttle.key)))
    assert not any("10.0.0.1" in key for key in keys)  # two days old: gone
