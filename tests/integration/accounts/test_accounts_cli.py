"""`rehearse users` through a Typer runner against a fresh SQLite file."""

import json

import pytest
from typer.testing import CliRunner

from rehearse.accounts.cli import users_app


@pytest.fixture
def runner(cli_env, monkeypatch):
    for key, value in cli_env.items():
        if key.startswith("REHEARSE_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("REHEARSE_LOAD_BUILTIN_BANK", "false")
    return CliRunner()


def test_create_list_and_set_role(runner):
    created = runner.invoke(users_app, ["create", "ed@example.com"], input="long password 1\n" * 2)
    assert created.exit_code == 0, created.output
    assert "(candidate)" in created.output  # the CLI, like the web app, makes candidates unless told
    admin = runner.invoke(users_app, ["create", "boss@example.com", "--role", "admin"], input="long password 2\n" * 2)
    assert admin.exit_code == 0 and "(admin)" in admin.output
    assert runner.invoke(users_app, ["set-role", "ed@example.com", "editor"]).exit_code == 0
    listed = json.loads(runner.invoke(users_app, ["list", "--json"]).output)
    assert {(row["email"], row["role"]) for row in listed} == {
        ("ed@example.com", "editor"), ("boss@example.com", "admin")}


def test_bad_role_and_unknown_user_exit_2_with_a_reason(runner):
    unknown = runner.invoke(users_app, ["set-role", "nobody@example.com", "editor"])
    assert unknown.exit_code == 2 and "No account" in unknown.output
    bad = runner.invoke(
        users_app, ["create", "x@example.com", "--role", "emperor"], input="long password 1\n" * 2
    )
    assert bad.exit_code == 2 and "Role must be one of" in bad.output


@pytest.mark.parametrize(("args", "reason"), [
    (["create", "notanemail"], "valid e-mail"),
    (["create", "x@example.com", "--role", "boss"], "Role must be one of"),
    (["set-password", "nobody@example.com"], "No account"),
])
def test_a_refusal_comes_before_the_password_is_asked_for(runner, args, reason):
    refused = runner.invoke(users_app, args, input="")  # no password typed: none was asked for
    assert refused.exit_code == 2 and reason in refused.output
    assert "password" not in refused.output.lower()


def test_set_password_is_the_reset_for_a_forgotten_one(runner):
    from sqlalchemy import select

    from rehearse.accounts import service
    from rehearse.bootstrap import open_database

    assert runner.invoke(users_app, ["create", "ann@example.com"], input="first password 1\n" * 2).exit_code == 0
    reset = runner.invoke(users_app, ["set-password", "ann@example.com"], input="second password 2\n" * 2)
    assert reset.exit_code == 0 and "sign-in sessions have ended" in reset.output
    with open_database().transaction() as session:
        user = session.scalar(select(service.User).where(service.User.email == "ann@example.com"))
        assert service.password_matches(user, "second password 2")
        assert not service.password_matches(user, "first password 1")
    unknown = runner.invoke(users_app, ["set-password", "nobody@example.com"], input="third password 3\n" * 2)
    assert unknown.exit_code == 2 and "No account" in unknown.output
    short = runner.invoke(users_app, ["set-password", "ann@example.com"], input="short\n" * 2)
    assert short.exit_code == 2 and "at least 10 characters" in short.output
