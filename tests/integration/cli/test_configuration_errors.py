"""A setting that cannot be read is said in one line naming it, exit status 2, never a traceback."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from tests.conftest import PostgresSchema, postgres_url_or_skip


@pytest.mark.parametrize(("setting", "value", "said"), [
    ("REHEARSE_MAX_ANSWER_CHARS", "abc", "REHEARSE_MAX_ANSWER_CHARS: Input should be a valid integer"),
    ("REHEARSE_FEEDBACK_BACKEND", "foo", "REHEARSE_FEEDBACK_BACKEND: Input should be 'auto', 'e5', 'onnx' or 'lexical'"),
    ("REHEARSE_ENVIRONMENT", "staging", "REHEARSE_ENVIRONMENT: Input should be 'development' or 'production'"),
    ("REHEARSE_ENVIRONMENT", "production", "REHEARSE_SECRET_KEY must be set"),
    ("REHEARSE_MAX_ANSWER_CHARS", "-5", "REHEARSE_MAX_ANSWER_CHARS: Input should be greater than or equal to 1"),
    ("REHEARSE_MAX_ANSWER_CHARS", "40000", "REHEARSE_MAX_ANSWER_CHARS: Input should be less than or equal to 30000"),
    ("REHEARSE_ENCODER_THREADS", "two", "REHEARSE_ENCODER_THREADS: Input should be a valid integer"),
    ("REHEARSE_ENCODER_THREADS", "0", "REHEARSE_ENCODER_THREADS: Input should be greater than or equal to 1"),
    ("REHEARSE_ENCODER_THREADS", "500", "REHEARSE_ENCODER_THREADS: Input should be less than or equal to 64"),
    ("REHEARSE_TRUSTED_PROXIES", "notanip", "REHEARSE_TRUSTED_PROXIES: 'notanip' is not an IP address"),
    ("REHEARSE_TRUSTED_PROXIES", "10.0.0.1/8", "REHEARSE_TRUSTED_PROXIES: '10.0.0.1/8' is not a network"),
    ("REHEARSE_TRUSTED_PROXIES", "*, 10.0.0.1", "REHEARSE_TRUSTED_PROXIES: '*' trusts every peer"),
])
def test_a_bad_setting_is_one_line_naming_it(tmp_path, setting, value, said):
    env = {**os.environ, "REHEARSE_DATA_DIR": str(tmp_path), "REHEARSE_DATABASE_URL": f"sqlite:///{tmp_path}/r.db",
           "REHEARSE_SECRET_KEY": "", setting: value}
    done = subprocess.run([sys.executable, "-m", "rehearse", "roles"], env=env, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert said in done.stderr and done.stderr.startswith("configuration error: ")
    assert "Traceback" not in done.stderr + done.stdout


# --- settings that point at something unusable: a database or a folder ---------------------------------------

REFUSED = "postgresql://postgres:S3cretPW@127.0.0.1:1/rehearse"  # port 1: nothing listens there


def _rehearse(tmp_path, *args, **settings) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env.update({"REHEARSE_DATA_DIR": str(tmp_path / "data"), "REHEARSE_LOAD_BUILTIN_BANK": "false",
                "REHEARSE_FEEDBACK_BACKEND": "lexical", **settings})
    return subprocess.run([sys.executable, "-m", "rehearse", *args], env=env, capture_output=True, text=True,
                          timeout=120)


def _one_line(done: subprocess.CompletedProcess) -> str:
    """The command's configuration error: exit status 2, one line, no traceback."""
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("configuration error: "), done.stderr
    return lines[0]


@pytest.mark.parametrize("command", [["serve", "--port", "8639"], ["worker"], ["db", "upgrade"], ["users", "list"],
                                     ["roles"], ["questions", "list"]])
def test_a_database_that_refuses_connections_is_one_line_for_every_command(tmp_path, command):
    line = _one_line(_rehearse(tmp_path, *command, REHEARSE_DATABASE_URL=REFUSED))
    assert "REHEARSE_DATABASE_URL" in line and "127.0.0.1:1" in line and "refused" in line.lower()
    assert "S3cretPW" not in line


@pytest.mark.parametrize(("url", "said"), [
    ("postgresql://postgres:S3cretPW@nohost.invalid:5432/x", "nohost.invalid"),
    ("notaurl", "not a database URL"),
    ("mysql://x:S3cretPW@127.0.0.1/x", "SQLite"),
    ("postgresql+psycopg2://x:S3cretPW@127.0.0.1/x", "psycopg 3"),
])
def test_a_database_url_that_cannot_be_used_is_one_line_without_its_password(tmp_path, url, said):
    line = _one_line(_rehearse(tmp_path, "roles", REHEARSE_DATABASE_URL=url))
    assert "REHEARSE_DATABASE_URL" in line and said in line
    assert "S3cretPW" not in line


def test_a_database_that_does_not_exist_is_one_line_naming_it(tmp_path):
    base = postgres_url_or_skip()
    line = _one_line(_rehearse(tmp_path, "db", "upgrade",
                               REHEARSE_DATABASE_URL=base.rsplit("/", 1)[0] + "/no_such_rehearse_db"))
    assert 'database "no_such_rehearse_db" does not exist' in line


def test_postgres_scheme_is_taken_as_postgresql(tmp_path):
    schema = PostgresSchema(postgres_url_or_skip())
    try:
        done = _rehearse(tmp_path, "db", "upgrade", REHEARSE_DATABASE_URL=schema.url.replace("postgresql://", "postgres://", 1))
    finally:
        schema.drop()
    assert done.returncode == 0, done.stderr
    assert "(postgresql)" in done.stdout


def test_a_data_dir_that_is_a_file_is_one_line(tmp_path):
    (tmp_path / "afile").write_text("not a folder")
    line = _one_line(_rehearse(tmp_path, "roles", REHEARSE_DATA_DIR=str(tmp_path / "afile")))
    assert "REHEARSE_DATA_DIR" in line and "not a folder" in line


@pytest.fixture
def unwritable_folder(tmp_path):
    """A folder nobody may write in: chmod for others, the immutable attribute for root (who ignores modes)."""
    folder = tmp_path / "locked"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o500)
        yield folder
        folder.chmod(0o700)
        return
    if subprocess.run(["chattr", "+i", str(folder)], capture_output=True).returncode != 0:
        pytest.skip("running as root where chattr +i is not available: no folder here is unwritable")
    yield folder
    subprocess.run(["chattr", "-i", str(folder)], check=True)


@pytest.mark.parametrize("command", [["roles"], ["serve", "--port", "8639"]])
def test_an_unwritable_data_dir_for_the_sqlite_file_is_one_line(tmp_path, unwritable_folder, command):
    line = _one_line(_rehearse(tmp_path, *command, REHEARSE_DATA_DIR=str(unwritable_folder)))
    assert "REHEARSE_DATA_DIR" in line and str(unwritable_folder) in line


def test_an_unwritable_data_dir_for_the_generated_secret_key_is_one_line(tmp_path, unwritable_folder):
    schema = PostgresSchema(postgres_url_or_skip())
    try:
        done = _rehearse(tmp_path, "serve", "--port", "8639", REHEARSE_DATA_DIR=str(unwritable_folder),
                         REHEARSE_DATABASE_URL=schema.url)
    finally:
        schema.drop()
    line = _one_line(done)
    assert "REHEARSE_DATA_DIR" in line and "REHEARSE_SECRET_KEY" in line


# --- a secret key too short to sign sessions safely ---------------------------------------------------------


def test_a_short_secret_key_is_refused_in_production_in_one_line(tmp_path):
    line = _one_line(_rehearse(tmp_path, "roles", REHEARSE_ENVIRONMENT="production", REHEARSE_SECRET_KEY="abc"))
    assert "REHEARSE_SECRET_KEY" in line and "32 characters" in line
    assert "abc" not in line.split("REHEARSE_SECRET_KEY", 1)[1]  # the key itself is never printed


@pytest.mark.parametrize(("environment", "key", "accepted"), [
    ("production", "k" * 31, False),
    ("production", "k" * 32, True),
    ("development", "abc", True),  # warned about as the app starts
])
def test_production_needs_a_secret_key_of_32_characters_or_more(tmp_path, environment, key, accepted):
    from pydantic import ValidationError

    from rehearse.settings import Settings

    try:
        Settings(data_dir=tmp_path, environment=environment, secret_key=key)
    except ValidationError:
        assert not accepted
    else:
        assert accepted


@pytest.mark.parametrize("proxies", ["", "*", "127.0.0.1", " 10.0.0.1 , 192.168.0.0/16,::1, fd00::/8"])
def test_trusted_proxies_take_what_uvicorn_matches_a_peer_against(tmp_path, proxies):
    """"*" alone (trust every peer), or IP addresses and networks: uvicorn keeps anything else as a literal
    that no peer address ever equals, so a mistyped proxy would be trusted never, and silently."""
    from rehearse.settings import Settings

    assert Settings(data_dir=tmp_path, trusted_proxies=proxies).trusted_proxies == proxies


def test_the_longest_answer_setting_stops_where_the_engine_stops():
    from annotated_types import Le

    from rehearse.feedback.models import MAX_ANSWER_CHARS
    from rehearse.settings import Settings

    bounds = [m.le for m in Settings.model_fields["max_answer_chars"].metadata if isinstance(m, Le)]
    assert bounds == [MAX_ANSWER_CHARS]
