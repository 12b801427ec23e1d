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
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "valid e-mail"),
        ("ann@example.com", "short", "at least 10"),
        ("ann@example.com", "x" * 2000, "at most 1024"),
        ("", PASSWORD, "valid e-mail"),
    ],
)
def test_sign_up_refuses_bad_input_with_a_reason(session, email, password, message):
    with pytest.raises(service.AccountError, match=message):
        service.create_user(session, email=email, password=password)


def test_first_account_is_admin_and_later_ones_candidates(session):
    first, second = (
        make_user(session, "first@example.com"),
        make_user(session, "second@example.com"),
    )
    assert (first.role, second.role) == ("admin", "candidate")


def test_passwords_are_stored_as_argon2id_hashes_only(session):
    user = make_user(session)
    assert user.password_hash.startswith("$argon2id$") and PASSWORD not in user.password_hash


def test_e_mail_is_case_insensitive_and_unique(session):
    make_user(session, "Ann@Example.com")
    with pytest.raises(service.AccountError, match="already exists"):
        make_user(session, "ann@example.COM")
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


def test_sign_in_is_limited_per_email_and_the_limit_expires(session):
    make_user(session)
    now = utcnow()
    for _ in range(service.MAX_FAILURES_PER_EMAIL):
        with pytest.raises(service.AccountError):
            service.authenticate(
                session, email="ann@example.com", password="wrong password!", client="a", now=now
            )
    with pytest.raises(service.RateLimited) as limited:
        service.authenticate(
            session, email="ann@example.com", password=PASSWORD, client="b", now=now
        )
    assert 0 < limited.value.retry_after <= service.RATE_WINDOW.total_seconds()
    later = now + service.RATE_WINDOW + timedelta(seconds=1)
    assert service.authenticate(
        session, email="ann@example.com", password=PASSWORD, client="b", now=later
    )


def test_sign_in_is_limited_per_client_address_across_accounts(session):
    now = utcnow()
    for i in range(service.MAX_FAILURES_PER_CLIENT):
        with pytest.raises(service.AccountError):
            service.authenticate(
                session,
                email=f"guess{i}@example.com",
                password="x" * 12,
                client="10.0.0.9",
                now=now,
            )
    with pytest.raises(service.RateLimited):
        service.authenticate(
            session, email="other@example.com", password="x" * 12, client="10.0.0.9", now=now
        )


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
