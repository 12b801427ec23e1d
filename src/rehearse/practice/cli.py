"""`rehearse feedback`: score an answer, or a JSONL batch of answers, against stored questions."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from rehearse.console import make_console

errors = make_console(stderr=True, soft_wrap=True)


def _fail(message: str) -> None:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _backend_name(value: str) -> str:
    """--backend: one of the engine's backends, or a usage error that lists them (exit 2)."""
    from rehearse.feedback.backends import BACKEND_NAMES

    if value not in BACKEND_NAMES:
        raise typer.BadParameter(f"{value!r} is not a feedback backend; choose one of {', '.join(BACKEND_NAMES)}")
    return value


def _read_answer(answer_file: Path | None) -> str:
    if answer_file is not None:
        try:
            return answer_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            _fail(f"{answer_file}: cannot read the answer ({error})")
    if sys.stdin.isatty():
        _fail("give the answer with --answer-file FILE or on standard input")
    return sys.stdin.read()


def feedback(
    question: Annotated[str | None, typer.Argument(help="Question id, slug, or a unique part of its text.")] = None,
    answer_file: Annotated[Path | None, typer.Option("--answer-file", "-a", help="File holding the answer.")] = None,
    batch: Annotated[Path | None, typer.Option(help='JSONL file: one {"question": ..., "answer": ...} per line.')]
    = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    backend: Annotated[str, typer.Option(help="auto, e5, onnx or lexical.", callback=_backend_name)] = "auto",
    jobs: Annotated[int | None, typer.Option("--jobs", "-j", min=1, max=256,
                                             help="With --batch: answers scored at once (default: one per CPU core).")]
    = None,
) -> None:
    """Score an answer against a question's talking points and print the feedback report.

    Example: rehearse feedback "hiring bar" --answer-file my-answer.txt --json
    """
    from rehearse.bootstrap import open_database

    if batch is not None:
        if question is not None:
            _fail("give either a QUESTION or --batch, not both")
        _run_batch(open_database(), batch, backend, jobs or os.cpu_count() or 1)
        return
    if question is None:
        _fail("give a QUESTION (id, slug or part of its text), or --batch FILE.jsonl")
    answer = _read_answer(answer_file)

    from rehearse import feedback as engine

    from .service import AnswerRejected, check_answer

    try:
        check_answer(answer, max_chars=engine.MAX_ANSWER_CHARS)
    except AnswerRejected as refused:
        _fail(str(refused))
    from rehearse.bank.service import QuestionNotFound, get_question

    from . import rubric_store
    from .scoring import analyze_prepared, prepare

    database = open_database()
    with database.transaction() as session:
        try:
            prepared = prepare(session, get_question(session, question))
        except QuestionNotFound as error:
            _fail(str(error))
        stored_text = prepared.question.text
    try:
        loaded = engine.load_backend(backend)
        rubric_store.load(database, loaded)
        report = analyze_prepared(prepared, answer, backend=backend)
    except engine.AnswerTooLong as error:
        _fail(str(error))
    except engine.BackendUnavailable as error:
        _fail(str(error))
    rubric_store.store(database, loaded, [prepared])
    if json_output:
        print(json.dumps(report.to_dict(), ensure_ascii=False))
    else:
        from .report_view import render_report

        render_report(make_console(), stored_text, report.to_dict())


def _run_batch(database, path: Path, backend: str, jobs: int) -> None:
    """One output line per input line, in order; a bad line gets an error object, not a crash.

    The database is read once, up front, in this thread; then `jobs` threads score answers
    side by side (the encoder runs outside the GIL, one core per call, and the engine gives
    the same report whichever thread scores an answer)."""
    from concurrent.futures import ThreadPoolExecutor

    from rich.progress import Progress

    from rehearse import feedback as engine
    from rehearse.bank.service import QuestionNotFound, get_question

    from . import rubric_store
    from .scoring import analyze_prepared, prepare_many
    from .service import AnswerRejected, check_answer

    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        _fail(f"{path}: cannot read the batch file ({error})")
    outputs: list[dict | None] = [None] * len(lines)
    pending: list[tuple[int, object, str]] = []
    failures = 0
    with database.transaction() as session, Progress(console=errors, transient=True) as progress:
        task = progress.add_task("Scoring", total=len(lines))
        questions: dict[str, object] = {}
        for index, line in enumerate(lines):
            where = f"{path}:{index + 1}"
            if not line.strip():  # a blank line is skipped: no output line, and the others keep their numbers
                progress.advance(task)
                continue
            try:
                item = json.loads(line)
                reference, answer = str(item["question"]), item["answer"]
                if not isinstance(answer, str):
                    raise TypeError
            except (json.JSONDecodeError, KeyError, TypeError):
                outputs[index] = {"error": f'{where}: expected {{"question": ..., "answer": "..."}}'}
                continue
            try:
                if reference not in questions:
                    questions[reference] = get_question(session, reference)
            except QuestionNotFound as error:
                outputs[index] = {"error": f"{where}: {error}"}
                continue
            try:
                check_answer(answer, max_chars=engine.MAX_ANSWER_CHARS)
            except AnswerRejected as refused:
                outputs[index] = {"error": f"{where}: {refused}"}
                continue
            pending.append((index, questions[reference], answer))
        progress.advance(task, len(lines) - len(pending) - sum(not line.strip() for line in lines))
        try:
            loaded = engine.load_backend(backend)
        except engine.BackendUnavailable as error:
            _fail(str(error))
        rubric_store.load(database, loaded)  # what earlier processes encoded is not encoded again
        unique = list({question.id: question for _, question, _ in pending}.values())
        prepared = {q.id: ready for q, ready in zip(unique, prepare_many(session, unique), strict=True)}

        def score(item):
            _, question, answer = item
            return analyze_prepared(prepared[question.id], answer, backend=backend).to_dict()

        def warm(ready):
            engine.prepare_question(ready.question, backend=engine.load_backend(backend), lexicon=ready.lexicon)

        with ThreadPoolExecutor(max_workers=jobs) as pool:
            list(pool.map(warm, prepared.values()))  # each question's rubric once, questions side by side
            for (index, _, _), report in zip(pending, pool.map(score, pending), strict=True):
                outputs[index] = report
                progress.advance(task)
    rubric_store.store(database, loaded, prepared.values())
    for output in outputs:
        if output is None:  # a blank line
            continue
        failures += "error" in output
        sys.stdout.write(json.dumps(output, ensure_ascii=False) + "\n")
    if failures:
        scored = sum(1 for output in outputs if output is not None)
        errors.print(f"[yellow]{failures} of {scored} lines could not be scored; see their error objects[/]")
        raise typer.Exit(1)
