"""Fuzzed files through the import service and `rehearse import`: a whole import or none of it.

The files are the mutated bank files of tests/unit/formats/test_fuzz_importers.py. Through the
service (SQLite and PostgreSQL) whatever a reader accepts must store without an error and
re-import without a change; through the CLI a refused file must be named with its line, exit
non-zero without a traceback, and leave the bank's questions and revision rows as they were,
even when a good file came before it in the same command.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, func, select
from sqlalchemy.exc import OperationalError
from tests.unit.formats.test_fuzz_importers import _SAMPLE, FORMATS, mutated, read_or_refuse
from typer.testing import CliRunner

from rehearse.bank import service
from rehearse.bank.models import Bank, ExampleAnswer, Question
from rehearse.cli import app
from rehearse.formats import FormatError, QuestionDoc, RoleDoc, read_bytes, slugify, write

EXTENSIONS = {"page": "txt", "markdown": "md", "json": "json", "yaml": "yaml", "csv": "csv"}


def bank_rows(connection_or_session, name: str) -> tuple[int, int]:
    """The bank's question count and its revision rows: what a half-written import would change.
    A bank is the one whose slug its name gives ("\\Fuzzing bank" renames "Fuzzing bank")."""
    bank_id = select(Bank.id).where(Bank.slug == slugify(name)).scalar_subquery()
    questions = connection_or_session.scalar(select(func.count()).select_from(Question)
                                             .where(Question.bank_id == bank_id))
    revisions = connection_or_session.scalar(select(func.count()).select_from(ExampleAnswer).join(Question)
                                             .where(Question.bank_id == bank_id))
    return questions, revisions


@pytest.mark.parametrize("format", FORMATS)
@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_whatever_a_reader_accepts_is_stored_whole_and_reimports_unchanged(session, format, data):
    for _ in range(30):  # most mutations are refused (95% of JSON ones): draw until a reader accepts one
        result = read_or_refuse(data.draw(mutated(format)), format)
        if result is not None:
            break
    else:
        return
    nested = session.begin_nested()
    try:
        service.import_bank(session, _SAMPLE)  # the mutations mostly update this bank
        before = bank_rows(session, result.bank.name)
        try:
            summary = service.import_bank(session, result.bank)  # must not raise on either database
        except FormatError as refused:  # a new bank name over all of another bank's questions: which is it?
            assert "--rename-bank" in str(refused)
            return
        session.flush()
        questions, revisions = bank_rows(session, result.bank.name)
        assert questions == before[0] + summary.created and revisions >= questions
        again = service.import_bank(session, read_bytes(write(result.bank, "json"), file="again.json",
                                                        format="json").bank)
        # CSV has no place for descriptions, and a page none for kinds and competencies (an import keeps the
        # stored ones, which the JSON written from the page's reading then replaces): the rest round-trips exactly.
        if format not in ("csv", "page"):
            assert (again.created, again.updated) == (0, 0)
    finally:
        nested.rollback()


def test_a_bank_whose_name_gives_the_same_slug_is_that_bank_renamed(session):
    service.import_bank(session, _SAMPLE)
    questions = bank_rows(session, _SAMPLE.name)
    renamed = replace(_SAMPLE, name="\\" + _SAMPLE.name)  # found by the fuzzer above
    summary = service.import_bank(session, renamed)
    assert summary.created == 0 and bank_rows(session, renamed.name) == questions
    assert any("renamed" in w.message and repr(renamed.name) in w.message for w in summary.warnings)
    assert session.scalar(select(Bank.name).where(Bank.slug == slugify(_SAMPLE.name))) == renamed.name


@pytest.fixture(scope="module")
def cli(tmp_path_factory):
    """`rehearse import` in this process against a SQLite file holding the sample bank."""
    folder = tmp_path_factory.mktemp("cli")
    env = {"REHEARSE_DATA_DIR": str(folder / "data"), "REHEARSE_DATABASE_URL": f"sqlite:///{folder / 'cli.db'}",
           "REHEARSE_LOAD_BUILTIN_BANK": "false"}
    runner = CliRunner()
    (folder / "sample.yaml").write_bytes(write(_SAMPLE, "yaml"))
    assert runner.invoke(app, ["import", str(folder / "sample.yaml")], env=env).exit_code == 0
    # A good file that changes the bank: imported first in each command, it must not stay half-done. (It adds a
    # role only: two files of one import giving the same slugs in one bank are refused.)
    grown = replace(_SAMPLE, roles=(RoleDoc(name="New role", questions=(QuestionDoc(text="What would you automate?"),)),))
    (folder / "good.yaml").write_bytes(write(grown, "yaml"))
    engine = create_engine(env["REHEARSE_DATABASE_URL"])

    def invoke(*args: str):
        return runner.invoke(app, list(args), env=env)

    yield folder, invoke, engine
    engine.dispose()


def counts(engine) -> tuple[int, int]:
    with engine.connect() as connection:
        return bank_rows(connection, _SAMPLE.name)


@pytest.mark.parametrize("format", FORMATS)
@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_cli_imports_a_fuzzed_file_whole_or_refuses_it_with_file_and_line(cli, format, data):
    folder, invoke, engine = cli
    fuzzed = folder / f"fuzzed.{EXTENSIONS[format]}"
    fuzzed.write_bytes(data.draw(mutated(format)))
    before = counts(engine)
    result = invoke("import", str(folder / "good.yaml"), str(fuzzed))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert "Imported" in result.stdout
        return
    assert result.exit_code == 2, result.output
    assert f"{fuzzed}:" in result.stderr and "nothing was imported" in result.stderr
    line = result.stderr.split(f"{fuzzed}:", 1)[1].split(":", 1)[0]
    assert line.isdigit() and int(line) >= 1, result.stderr
    assert counts(engine) == before  # the good file before it was not stored either


def test_a_database_that_fails_part_way_stores_nothing_and_says_so(cli, monkeypatch):
    folder, invoke, engine = cli
    real = service.import_bank
    calls = []

    def fail_on_the_second_file(session, doc, **options):
        calls.append(doc.name)
        summary = real(session, doc, **options)  # the first file is written, then the second fails
        if len(calls) == 2:
            raise OperationalError("INSERT", {}, Exception("database or disk is full"))
        return summary

    monkeypatch.setattr(service, "import_bank", fail_on_the_second_file)
    before = counts(engine)
    result = invoke("import", str(folder / "good.yaml"), str(folder / "sample.yaml"))
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"{folder / 'sample.yaml'}: the database refused the import (database or disk is full)" in result.stderr
    assert "nothing was imported" in result.stderr
    assert len(calls) == 2 and counts(engine) == before


@pytest.mark.parametrize(("name", "content", "line"), [
    ("markup.yaml", "bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: Why?\n        slug: '[/x]'\n",
     7),
    ("nul.json", '{"bank": {"name": "B"},\n "roles": [{"name": "R", "questions": [{"text": "\\u0000"}]}]}', 2),
    ("latin1.csv", "bank,role,text\nB,R,Caf\xe9?\n", 2),
])
def test_refusals_print_file_and_line_without_a_traceback_as_users_run_it(cli_env, tmp_path, name, content, line):
    path = tmp_path / name
    path.write_bytes(content.encode("latin-1") if name.endswith(".csv") else content.encode())
    result = subprocess.run([sys.executable, "-m", "rehearse", "import", str(path)], env=cli_env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"error: {path}:{line}: ") and "Traceback" not in result.stderr
    assert "nothing was imported" in result.stderr


def test_repeated_and_suffixed_slugs_do_not_collide(session):
    """'a', 'a', 'a-2' once made the second 'a' into 'a-2' as well: a unique-constraint error. (Within one
    role a repeated slug is refused; across a bank's roles it is suffixed, question slugs being per bank.)"""
    text = ("bank:\n  name: Slugs\nroles:\n  - name: R\n    questions:\n      - {text: 'One?', slug: a}\n"
            "  - name: S\n    questions:\n      - {text: 'Two?', slug: a}\n      - {text: 'Three?', slug: a-2}\n")
    doc = read_bytes(text.encode(), file="slugs.yaml", format="yaml").bank
    nested = session.begin_nested()
    try:
        summary = service.import_bank(session, doc)
        assert summary.created == 3
        slugs = session.scalars(select(Question.slug).join(Bank).where(Bank.name == "Slugs")
                                .order_by(Question.id)).all()
        assert slugs == ["a", "a-3", "a-2"]
        assert (service.import_bank(session, doc).created, service.import_bank(session, doc).updated) == (0, 0)
    finally:
        nested.rollback()
