"""`rehearse practice` driven through a pseudo-terminal, as a person at a keyboard (or over SSH) would."""

import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest

ANSWER = [
    "First I would list every request in one place.",
    "Then I would rank them with the product leads against company priorities,",
    "and explain the trade-offs to every team that has to wait.",
]
TIMEOUT = 120  # the first run migrates the database and loads the bank


@pytest.fixture
def env(cli_env):
    return {**cli_env, "REHEARSE_FEEDBACK_BACKEND": "lexical", "TERM": "dumb", "COLUMNS": "120"}


def _as_at_a_keyboard():
    """A child inherits ignored and blocked signals from the test process (whatever an earlier
    test or library left there); a person's shell starts it with Ctrl-C working."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_SETMASK, [])


def spawn(env, *args):
    return pexpect.spawn(sys.executable, ["-m", "rehearse", "practice", *args], env=env, encoding="utf-8",
                         timeout=TIMEOUT, dimensions=(50, 120), preexec_fn=_as_at_a_keyboard)


def practise_from(env, text, *args):
    """`rehearse practice` reading a pipe that holds `text` and then ends, as in a script."""
    return subprocess.run([sys.executable, "-m", "rehearse", "practice", *args], env=env, input=text,
                          capture_output=True, text=True, timeout=TIMEOUT)


def rows(env, query):
    path = env["REHEARSE_DATABASE_URL"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        return connection.execute(query).fetchall()


def answer(child, lines=ANSWER):
    child.expect("end it with a line holding only")
    for line in lines:
        child.sendline(line)
    child.sendline(".")


def test_answer_see_the_report_override_the_rating_then_review_it_when_due(env):
    child = spawn(env, "--role", "engineering-manager")
    child.expect("Made a local profile")
    answer(child)
    child.expect("Score")
    child.expect(r"Change the rating\?")
    child.sendline("e")  # the weak answer's score suggested Again
    child.expect("Rated easy")
    child.expect(r"Another question\?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    attempts = rows(env, "select question_id, answer from attempts")
    assert len(attempts) == 1 and attempts[0][1] == "\n".join(ANSWER)
    assert rows(env, "select rating, source from review_logs") == [(4, "override")]
    # The card falls due; `--due` asks it again, then says nothing is left.
    rows(env, "update review_cards set due = '2000-01-01 00:00:00.000000'")
    child = spawn(env, "--due")
    answer(child)
    child.expect(r"Change the rating\?")
    child.sendline("")
    child.expect(r"Another question\?")
    child.sendline("y")
    child.expect("Nothing is due for review")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert rows(env, "select count(*), count(distinct question_id) from attempts") == [(2, 1)]


def test_ctrl_c_while_answering_leaves_nothing_half_written(env):
    child = spawn(env, "--role", "engineering-manager")
    child.expect("end it with a line holding only")
    child.sendline("Half of an answer")
    child.expect("Half of an answer")  # the terminal echoed it: the program is reading the answer
    child.sendintr()
    child.expect("Stopped")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert rows(env, "select count(*) from attempts") == [(0,)]
    assert rows(env, "select count(*) from review_cards") == [(0,)]


def test_an_unknown_account_is_a_clear_error(env):
    child = spawn(env, "--user", "nobody@example.com")
    child.expect("no account with the e-mail address")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 2


def test_a_mock_interview_in_the_terminal(env):
    child = spawn(env, "--role", "engineering-manager", "--mock", "1")
    answer(child, ["I worked on it with the team and it went well."])
    child.expect("follow-up")
    answer(child, ["I would measure it every week."])
    child.expect("Overall")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert rows(env, "select status from mock_interviews") == [("finished",)]
    assert rows(env, "select count(*) from mock_items where answer is not null") == [(2,)]


@pytest.mark.parametrize(("args", "message"), [
    (["--due", "--mock", "3", "--role", "engineering-manager"], "choose one"),
    (["--due", "--role", "engineering-manager"], "leave out --role"),
])
def test_options_that_cannot_go_together_are_refused_before_anything_starts(env, args, message):
    """`--due` was silently ignored beside `--mock` (a mock was started and left unfinished), and `--role`
    beside `--due`."""
    refused = practise_from(env, "", *args)
    assert refused.returncode == 2 and message in refused.stderr
    assert not Path(env["REHEARSE_DATABASE_URL"].removeprefix("sqlite:///")).exists()  # nothing was started


def test_the_question_is_printed_once(env):
    done = practise_from(env, "\n".join(ANSWER) + "\n.\n\nn\n", "--role", "engineering-manager")
    [(question,)] = rows(env, "select questions.text from attempts join questions on questions.id = question_id")
    assert done.returncode == 0 and done.stdout.count(question[:40]) == 1


EDITOR_SCRIPT = """#!/bin/sh
# Writes an answer above the instructions, as a person would in their editor.
{ printf 'I ranked every request with the product leads.\\n# a note to myself, not part of the answer\\n'
  printf 'Then I explained the trade-offs to each team.\\n'; cat "$1"; } > "$1.new" && mv "$1.new" "$1"
"""


@pytest.mark.parametrize("how", ["/edit", "--editor"])
def test_an_answer_written_in_the_editor_keeps_its_lines_but_not_the_comments(env, tmp_path, how):
    editor = tmp_path / "editor.sh"
    editor.write_text(EDITOR_SCRIPT)
    editor.chmod(0o755)
    child = spawn({**env, "EDITOR": str(editor), "VISUAL": str(editor)}, "--role", "engineering-manager",
                  *(["--editor"] if how == "--editor" else []))
    if how == "/edit":
        child.expect("end it with a line holding only")
        child.sendline("/edit")
    child.expect(r"Change the rating\?")
    child.sendline("")
    child.expect(r"Another question\?")
    child.sendline("n")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert rows(env, "select answer from attempts") == [(
        "I ranked every request with the product leads.\nThen I explained the trade-offs to each team.",)]


def test_at_the_end_of_piped_input_it_stops_and_keeps_the_answers_it_finished(env):
    # An answer, Enter at the rating prompt, then the pipe ends where "Another question?" is asked.
    done = practise_from(env, "\n".join(ANSWER) + "\n.\n\n", "--role", "engineering-manager")
    assert done.returncode == 0 and "End of input" in done.stdout
    assert rows(env, "select answer from attempts") == [("\n".join(ANSWER),)]
    rows(env, "update review_cards set due = '2000-01-01 00:00:00.000000'")
    for args in (["--due"], ["--role", "engineering-manager"]):  # as with < /dev/null: nothing to read at all
        empty = practise_from(env, "", *args)
        assert empty.returncode == 0 and "End of input" in empty.stdout
        assert empty.stdout.count("No answer given") == 0
    assert rows(env, "select count(*) from attempts") == [(1,)]


def test_an_answer_the_input_ends_is_kept_like_one_ended_by_the_full_stop(env):
    done = practise_from(env, "I would rank the requests with the product leads.", "--role", "engineering-manager")
    assert done.returncode == 0
    assert rows(env, "select answer from attempts") == [("I would rank the requests with the product leads.",)]


@pytest.mark.parametrize("where", ["another question", "before an answer"])
def test_ctrl_d_stops_the_practice_with_nothing_half_recorded(env, where):
    child = spawn(env, "--role", "engineering-manager")
    if where == "another question":
        answer(child)
        child.expect(r"Change the rating\?")
        child.sendline("")
        child.expect(r"Another question\?")
    else:
        child.expect("end it with a line holding only")
    child.sendeof()
    child.expect("End of input")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert rows(env, "select count(*) from attempts") == [(1 if where == "another question" else 0,)]


def test_a_terminal_mock_whose_input_ends_stays_unfinished_to_resume(env):
    done = practise_from(env, "", "--role", "engineering-manager", "--mock", "2")
    assert done.returncode == 0 and "End of input" in done.stdout
    assert rows(env, "select status from mock_interviews") == [("in_progress",)]
    assert rows(env, "select count(*) from mock_items where answered_at is not null") == [(0,)]


def test_a_terminal_mock_asks_again_for_an_answer_left_empty_with_time_left(env):
    done = practise_from(env, ".\nI worked on it with the team and it went well.\n.\n", "--role", "engineering-manager",
                         "--mock", "1")
    assert done.returncode == 0 and "The answer is empty and this question has" in done.stdout
    assert rows(env, "select answer, timed_out from mock_items where answered_at is not null") == [
        ("I worked on it with the team and it went well.", 0)]
