"""`rehearse practice`: the practice loop in a terminal (works over SSH).

Asks a question, takes a multi-line answer (typed, or written in $EDITOR), shows the report,
records the attempt and its review for the local user, and lets the user change the rating.
Nothing is written until an answer is scored, and each answer is stored in one transaction,
so Ctrl-C at any moment leaves nothing half-written. The end of standard input (Ctrl-D, the end
of a pipe or a file) stops it too, with exit status 0: an answer it ends is kept like one ended
by the full stop, and nothing more is asked.
"""

from __future__ import annotations

import getpass
import re
import secrets
import time
from collections.abc import Iterator
from typing import Annotated

import click
import typer
from rich.markup import escape
from rich.panel import Panel
from rich.table import Table

from rehearse.console import make_console

console = make_console(highlight=False)
END_OF_ANSWER = "."  # a line with only a full stop ends the answer
RATINGS = {"a": "again", "h": "hard", "g": "good", "e": "easy"}


class EndOfInput(Exception):
    """Standard input ended: there is nobody left to answer, so no more questions are asked."""


def _fail(message: str) -> None:
    make_console(stderr=True).print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def local_email() -> str:
    """The local profile's address: the operating-system user name on a reserved domain."""
    name = re.sub(r"[^a-z0-9._-]", "", getpass.getuser().lower()) or "me"
    return f"{name}@rehearse.localhost"


def resolve_user(database, email: str | None):
    """The account named by --user, or the local profile (made on first use, with no usable password)."""
    from sqlalchemy import select

    from rehearse.accounts import service as accounts
    from rehearse.accounts.models import User

    wanted = accounts.normalise_email(email) if email else local_email()
    with database.transaction() as session:
        user = session.scalar(select(User).where(User.email == wanted))
    if user is not None:
        return user
    if email:
        _fail(f"no account with the e-mail address {email!r} (rehearse users create EMAIL makes one)")
    password_hash = accounts.hash_password(secrets.token_urlsafe(32))  # nobody knows it: a local profile only
    with database.transaction(writes=True) as session:
        user = accounts.create_user(session, email=wanted, password_hash=password_hash, display_name="Local profile")
    console.print(f"[dim]Made a local profile, {wanted}, for your answers and reviews.[/]")
    return user


def read_answer(use_editor: bool) -> str:
    """Lines until one with only a full stop (or end of input); '/edit' opens $EDITOR instead.

    EndOfInput when the input ends before a line of the answer: an empty answer is something to ask
    again, an input that has ended is not."""
    if use_editor:
        written = click.edit("\n\n# Write your answer above. Lines starting with # are ignored.\n") or ""
        return "\n".join(line for line in written.splitlines() if not line.lstrip().startswith("#")).strip()
    console.print(f"[dim]Type your answer; end it with a line holding only “{END_OF_ANSWER}”, "
                  "or type /edit to write it in $EDITOR.[/]")
    lines: list[str] = []
    while True:
        try:
            line = input()
        except EOFError:
            if not lines:
                raise EndOfInput from None
            break
        if line.strip() == END_OF_ANSWER:
            break
        if not lines and line.strip() == "/edit":
            return read_answer(True)
        lines.append(line)
    return "\n".join(lines).strip()


def ask(prompt: str) -> str:
    """The reply, trimmed and lower-cased; EndOfInput at the end of input (never "", which is Enter)."""
    try:
        return input(prompt).strip().lower()
    except EOFError:
        raise EndOfInput from None


def _role_id(database, role: str) -> int:
    """The id of the one role --role names (an id, a slug, or BANK/ROLE); an error when none or several do."""
    from rehearse.bank.pick import RoleNotChosen, pick_role

    with database.transaction() as session:
        try:
            return pick_role(session, role).id
        except RoleNotChosen as error:
            _fail(escape(str(error)))


def confirm(prompt: str, *, default: bool = True) -> bool:
    """Yes or no; Enter takes the default, and any other reply is asked again."""
    while True:
        reply = ask(prompt)
        if not reply:
            return default
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no", "q", "quit"):
            return False
        console.print("[yellow]Answer y or n (Enter: " + ("y" if default else "n") + ").[/]")


class _Answering:
    """Whether an answer is in progress (being typed, scored or stored), for what Ctrl-C says it lost."""

    now = False


def _questions(database, user, role: str | None, due: bool) -> Iterator[int]:
    from sqlalchemy import func, select

    from rehearse.bank.models import Question
    from rehearse.review import service as review

    if due:
        while True:
            with database.transaction() as session:
                question_id = review.next_due_question(session, user=user)
            if question_id is None:
                console.print("[green]Nothing is due for review. Well done.[/]")
                return
            yield question_id
    role_id = _role_id(database, role) if role else None
    while True:
        with database.transaction() as session:
            statement = select(Question.id).where(Question.retired_at.is_(None)).order_by(func.random()).limit(1)
            if role_id is not None:
                statement = statement.where(Question.role_id == role_id)
            question_id = session.scalar(statement)
        if question_id is None and role_id is not None:
            _fail(f"the role {role!r} has no questions (rehearse roles lists each role's questions)")
        if question_id is None:
            _fail("there are no questions; import a bank first (rehearse import FILE)")
        yield question_id


def practise_one(database, user, question_id: int, *, backend: str, use_editor: bool, max_chars: int) -> bool:
    """Ask, score, store, show; False when the user gave no answer (and nothing was stored)."""
    from rehearse.bank import service as bank
    from rehearse.practice import service as practice
    from rehearse.review import service as review

    from .report_view import render_report

    with database.transaction() as session:
        question = bank.get_question(session, question_id)
        console.print(Panel(question.text, title=f"{question.role.name}", expand=False))
    started = time.monotonic()
    _Answering.now = True
    answer = read_answer(use_editor)  # no transaction is open while the user types
    if not answer:
        _Answering.now = False
        console.print("[yellow]No answer given; nothing was recorded.[/]")
        return False
    with database.transaction() as session:
        question = bank.get_question(session, question_id)
        try:
            report = practice.score(session, question=question, answer=answer, max_chars=max_chars, backend=backend)
        except practice.AnswerRejected as rejected:
            _Answering.now = False
            console.print(f"[red]{escape(str(rejected))}[/]")
            return False
    with database.transaction(writes=True) as session:
        question = bank.get_question(session, question_id)
        attempt = practice.record(session, user=user, question=question, answer=answer, report=report,
                                  duration_s=time.monotonic() - started)
        attempt_id = attempt.id
        entry = review.attempt_review(session, user=user, attempt_id=attempt_id)
    _Answering.now = False  # stored: what follows (the rating) loses nothing
    render_report(console, None, report)  # the question is in the panel above the answer
    names = {1: "Again", 2: "Hard", 3: "Good", 4: "Easy"}
    console.print(f"\nRecorded. Review rating: [bold]{names[entry['entry'].rating]}[/] from the score; "
                  f"next review {entry['card_due']:%d %b %Y %H:%M} UTC.")
    choice = ask("Change the rating? [a]gain [h]ard [g]ood [e]asy, Enter keeps it: ")
    if choice in RATINGS:
        with database.transaction(writes=True) as session:
            review.override(session, user=user, attempt_id=attempt_id, rating=RATINGS[choice])
            due = review.attempt_review(session, user=user, attempt_id=attempt_id)["card_due"]
        console.print(f"Rated {RATINGS[choice]}; next review {due:%d %b %Y %H:%M} UTC.")
    return True


def run_mock(database, user, role: str | None, count: int, *, backend: str, use_editor: bool,
             max_chars: int) -> None:
    """A mock interview in the terminal: the drawn questions and follow-ups, then the end report."""
    from rehearse.bank.models import utcnow
    from rehearse.mock import service as mocks

    if not role:
        _fail("a mock interview needs --role R (rehearse roles lists them)")
    with database.transaction(writes=True) as session:
        try:
            mock_id = mocks.create(session, user=user, role=str(_role_id(database, role)), count=count).id
        except mocks.MockRejected as error:
            _fail(str(error))
    while True:
        with database.transaction(writes=True) as session:  # showing a question starts its clock
            mock = mocks.get(session, user=user, mock_id=mock_id)
            item = mocks.current_item(mock)
            if item is None:
                break
            title = f"Question {item.number} of {mock.question_count}" + (" · follow-up" if item.follow_up else "")
            console.print(Panel(item.prompt or item.question.text, title=title, expand=False))
            mocks.start_clock(session, item)
            left = mocks.remaining_seconds(mock, item)
            console.print(f"[dim]You have {left // 60} min {left % 60} s; no feedback until the end.[/]")
            item_id = item.id
        _Answering.now = True
        answer = read_answer(use_editor)[:max_chars]  # no transaction is open while the user types
        arrived = utcnow()
        with database.transaction() as session:
            mock = mocks.get(session, user=user, mock_id=mock_id)
            try:
                item = mocks.check_answer(mock, item_id, answer, max_chars=max_chars, now=arrived)
            except mocks.MockRejected as rejected:  # an empty answer with time left: the question is asked again
                console.print(f"[yellow]{rejected}[/]")
                continue
            if item is None:  # answered meanwhile (on the web): on to the current question
                continue
            prepared = mocks.prepare_item(session, item)
        report = mocks.score_prepared(prepared, answer, backend=backend)
        with database.transaction(writes=True) as session:
            mock = mocks.get(session, user=user, mock_id=mock_id, lock=True)
            try:
                item = mocks.check_answer(mock, item_id, answer, max_chars=max_chars, now=arrived)
            except mocks.MockRejected as rejected:  # answered meanwhile on the web, with another text
                console.print(f"[yellow]{escape(str(rejected))}[/]")
                continue
            if item is not None:  # the server's clock says whether the time ran out, as for the web page
                mocks.record_answer(session, user=user, mock=mock, item=item, answer=answer, report=report,
                                    timed_out=mocks.time_ran_out(mock, item, answer, claimed=False, now=arrived))
        _Answering.now = False
    with database.transaction() as session:
        summary = mocks.get(session, user=user, mock_id=mock_id).summary
    for part in mock_report_lines(summary):
        console.print(part)


def mock_report_lines(summary: dict) -> list:
    """The end report as the terminal prints it: the table, then each answer to another question named with the
    question it reads like (as the web report warns), the overall score, the suggestions."""
    table = Table("#", "question", "score", "missed", "follow-up")
    for q in summary["questions"]:
        follow = q.get("follow_up")
        table.add_row(str(q["number"]), escape(q["question"]), f"{q['score']}{_marks(q)}",
                      escape("; ".join(q["missed"])) or "—",
                      f"{follow['score']}{_marks(follow)}: {escape(follow['question'])}" if follow else "—")
    lines: list = [table]
    for q in summary["questions"]:
        for entry, which in ((q, f"Question {q['number']}"), (q.get("follow_up") or {}, f"The follow-up to question "
                                                                                          f"{q['number']}")):
            if entry.get("off_topic"):
                lines.append(f"[yellow]Off-topic[/]: {which}: {escape(entry['off_topic'])}")
    sent_late = summary.get("timed_out") or 0
    lines.append(f"Overall [bold]{summary['score']}[/] / 100" + (f"; {sent_late} sent when time ran out."
                                                                  if sent_late else "."))
    lines.extend(f"• {escape(s['message'])}" for s in summary["suggestions"])
    return lines


def _marks(entry: dict) -> str:
    return _ran_out(entry) + (" (off-topic)" if entry.get("off_topic") else "")


def _ran_out(entry: dict) -> str:
    """The mark of an answer sent after its time ran out, as the web report words it."""
    if not entry.get("timed_out"):
        return ""
    return " (time ran out before an answer was written)" if entry.get("empty") else " (time ran out)"


def practice_command(
    role: Annotated[str | None, typer.Option(help="Practise this role's questions (slug or id).")] = None,
    due: Annotated[bool, typer.Option("--due", help="Answer the questions due for review, one after another.")]
    = False,
    mock: Annotated[int | None, typer.Option("--mock", help="A mock interview of N questions (needs --role).")]
    = None,
    user: Annotated[str | None, typer.Option("--user", help="Record for this account (default: a local profile).")]
    = None,
    editor: Annotated[bool, typer.Option("--editor", help="Write every answer in $EDITOR.")] = False,
) -> None:
    """Practise in the terminal: a question, your answer, the report; recorded with its review.

    Example: rehearse practice --role engineering-manager

    Example: rehearse practice --due
    """
    from rehearse.bootstrap import open_database
    from rehearse.settings import Settings

    from . import rubric_store

    if mock is not None and due:
        _fail("--due goes through your review queue and --mock runs a mock interview: choose one")
    if due and role:
        _fail("--due goes through your whole review queue, whatever the role: leave out --role, or --due to "
              "practise that role's questions")
    settings = Settings()
    _Answering.now = False
    try:
        database = open_database(settings)
        # the model and the stored rubric vectors load while the first question is read
        rubric_store.warm_in_background(database, backend=settings.feedback_backend)
        account = resolve_user(database, user)
        if mock is not None:
            run_mock(database, account, role, mock, backend=settings.feedback_backend, use_editor=editor,
                     max_chars=settings.max_answer_chars)
            return
        for question_id in _questions(database, account, role, due):
            practise_one(database, account, question_id, backend=settings.feedback_backend, use_editor=editor,
                         max_chars=settings.max_answer_chars)
            if not confirm("\nAnother question? [Y/n] "):
                break
    except EndOfInput:
        console.print("\n[dim]End of input: stopped. Every answer you finished is saved.[/]")
    except KeyboardInterrupt:
        lost = "; the one in progress was not" if _Answering.now else ""
        console.print(f"\n[yellow]Stopped. Every answer you finished is saved{lost}.[/]")
        raise typer.Exit(130) from None
