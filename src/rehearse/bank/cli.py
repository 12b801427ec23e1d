"""`rehearse import`, `export`, `roles` and `questions`: thin wrappers over the bank service."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table
from sqlalchemy.exc import SQLAlchemyError

from rehearse.bootstrap import open_database
from rehearse.console import make_console

console = make_console(soft_wrap=True)
errors = make_console(stderr=True, soft_wrap=True)
questions_app = typer.Typer(help="Browse, show and search questions.", no_args_is_help=True,
                            rich_markup_mode="markdown")

LARGE_IMPORT = 500  # show a progress bar from this many questions up
UPDATES_LISTED = 20  # updated questions named one a line after an import; the rest counted
LEFT_OUT_LISTED = 20  # slugs named per role in "no longer in the file"


def _questions(count: int) -> str:
    return f"{count} question{'' if count == 1 else 's'}"


def _fail(message: str, code: int = 2) -> None:
    # The message may quote a file's contents: escaped, so "[/x]" in a slug prints as written.
    errors.print(f"[bold red]error:[/] {escape(message)}", highlight=False, markup=True)
    raise typer.Exit(code)


def import_files(
    paths: Annotated[list[Path], typer.Argument(help="Bank files, folders of them, or folders of one-question "
                                                     "Markdown files.")],
    format: Annotated[str | None, typer.Option("--format", "-f", help="page, markdown, json, yaml or csv.")] = None,
    rename_bank: Annotated[bool | None, typer.Option(
        "--rename-bank/--new-bank", help="For a file naming a new bank whose questions are all one stored bank's: "
                                         "rename that bank, or make a copy of it (asked for: refused without).")
    ] = None,
    prune: Annotated[bool, typer.Option("--prune", help="Retire the questions of the files' roles that no file "
                                                        "given holds (attempts and history are kept).")] = False,
) -> None:
    """Import banks; all files in one transaction, so a bad file changes nothing.

    The questions of the files' roles that none of the files holds any more are listed and kept; --prune
    retires them (out of practice, search, mocks and exports; a file that holds one again brings it back).

    Example: rehearse import interview-page.txt my-bank.yaml
    """
    from rich.progress import Progress

    from rehearse.bank.service import ImportSummary, check_files_apart, import_bank, settle_left_out
    from rehearse.community.rescoring import rescore_imported_later
    from rehearse.formats import READ_FORMATS, FormatError, read_folder, read_path
    from rehearse.formats.checks import similar_questions

    if format and format not in READ_FORMATS:
        _fail(f"unknown format {format!r}; choose one of {', '.join(READ_FORMATS)}")
    parsed = []  # (file, what it gives): a folder of bank files gives each of its files, in sorted order
    folders = []  # (folder, its bank files): said after the counts, since the command line did not name them
    for path in paths:
        if not path.exists():
            _fail(f"{path}: no such file or folder")
        try:
            if path.is_dir():
                read = read_folder(path)
                for warning in read.warnings:
                    errors.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
                parsed += read.files
                if read.layout == "bank files":
                    folders.append((path, [str(Path(file).relative_to(path)) for file, _ in read.files]))
            else:
                parsed.append((str(path), read_path(path, format)))
        except FormatError as error:
            _fail(f"{error} — nothing was imported")
    try:
        check_files_apart([(file, result.bank) for file, result in parsed])
    except FormatError as error:
        _fail(f"{error} — nothing was imported")
    for _, result in parsed:
        for warning in result.warnings:
            errors.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    for warning in similar_questions([(file, result.bank) for file, result in parsed], across_files=True):
        errors.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)
    total = sum(result.bank.question_count for _, result in parsed)
    summary = ImportSummary()
    database = open_database()
    storing = None
    try:
        with database.transaction(writes=True) as session, Progress(console=errors, disable=total < LARGE_IMPORT,
                                                          transient=True) as progress:
            task = progress.add_task("Importing", total=total)
            merged = []  # community edits an import replaced: said after the summary
            renamed = []  # (file, line, old slug, new slug)
            for path, result in parsed:
                storing = path
                start, renamed_before = len(summary.warnings), len(summary.renamed)
                import_bank(session, result.bank, summary=summary, file=path, rename_bank=rename_bank,
                            progress=lambda n: progress.advance(task, n))
                merged += summary.warnings[start:]
                renamed += [(path, *change) for change in summary.renamed[renamed_before:]]
                summary.warnings.extend(result.warnings)
            settle_left_out(session, summary, prune=prune)
            rescore_imported_later(session, summary.held)
    except FormatError as error:  # a file the database's banks make ambiguous (a bank renamed?)
        _fail(f"{error} — nothing was imported")
    except SQLAlchemyError as error:  # the files were checked; this is the database (locked, gone, full)
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        _fail(f"{storing}: the database refused the import ({reason}) — nothing was imported", code=1)
    moved = f", {summary.moved} moved" if summary.moved else ""
    console.print(
        f"Imported {_questions(total)} into {escape(', '.join(dict.fromkeys(summary.banks)))}: "
        f"{summary.created} new, {summary.updated} updated{moved}, {summary.unchanged} unchanged."
    )
    for folder, files in folders:
        console.print(f"  imported from {escape(str(folder))}: {escape(', '.join(files))} "
                      f"({len(files)} bank file{'' if len(files) == 1 else 's'})", highlight=False)
    for change in dict.fromkeys(summary.changes):
        console.print(f"  changed {escape(change)}", highlight=False)
    for slug, fields in summary.updates[:UPDATES_LISTED]:
        console.print(f"  updated {escape(slug)}: {escape(', '.join(fields))}", highlight=False)
    if len(summary.updates) > UPDATES_LISTED:
        console.print(f"  and {len(summary.updates) - UPDATES_LISTED} more updated", highlight=False)
    for file, line, old, new in renamed:
        where = f"{file}:{line}" if line else str(file)
        console.print(f"{escape(where)}: slug changed: {escape(old)} -> {escape(new)} (matched by its text)",
                      highlight=False)
    if summary.kept_answers:
        console.print(f"  example answer kept: {escape(', '.join(summary.kept_answers[:LEFT_OUT_LISTED]))}"
                      f"{'…' if len(summary.kept_answers) > LEFT_OUT_LISTED else ''} (the file no longer gives one; "
                      "a file cannot remove one)", highlight=False)
    _print_left_out(summary, pruned=prune)
    for warning in merged:
        errors.print(f"[yellow]warning:[/] {escape(str(warning))}", highlight=False)


def _print_left_out(summary, *, pruned: bool) -> None:
    """Per role, the questions no file of the import holds any more: kept, or retired by --prune."""
    by_role: dict[tuple[str, str], list[str]] = {}
    for bank, role, slug in summary.left_out:
        by_role.setdefault((bank, role), []).append(slug)
    fate = "retired (--prune)" if pruned else "kept; --prune retires them"
    for (bank, role), slugs in by_role.items():
        listed = ", ".join(slugs[:LEFT_OUT_LISTED]) + (f" and {len(slugs) - LEFT_OUT_LISTED} more"
                                                       if len(slugs) > LEFT_OUT_LISTED else "")
        console.print(f"  no longer in the file: {escape(listed)} ({escape(role)}, {escape(bank)}; {fate})",
                      highlight=False)


def export_bank(
    format: Annotated[str, typer.Option("--format", "-f", help="page, markdown, json, yaml, csv, anki, prep-sheet.")],
    out_text: Annotated[str | None, typer.Option("--out", "-o", help="File to write, or a folder (one that exists, "
                                                                    "or a path ending in /) for one file per bank; "
                                                                    "standard output if omitted.")] = None,
    bank: Annotated[str | None, typer.Option(help="Bank slug or name; needed when there are several, unless "
                                                  "--out is a folder.")] = None,
) -> None:
    """Export a bank in any supported format: one bank a file, with its licence, source and contributors.

    With several banks, name one with --bank, or give --out a folder to write each bank to its own
    file there, named after the bank's slug.

    Example: rehearse export --format anki --bank rehearse-leadership-bank --out leadership.apkg
    """
    from rehearse.bank.service import export_bank as export_docs
    from rehearse.formats import WRITE_FORMATS, extension_for, slugify, write

    if format not in WRITE_FORMATS:
        _fail(f"unknown format {format!r}; choose one of {', '.join(WRITE_FORMATS)}")
    with open_database().transaction() as session:
        docs = export_docs(session, bank)
    if not docs:
        _fail(f"no bank named {bank!r}" if bank else "there are no banks to export")
    # A folder: one that exists, a path ending in "/", or, for several banks, a name without an extension (made
    # for them). Path() drops a trailing "/", so it is read from the text given.
    out = Path(out_text) if out_text else None
    ends_in_slash = bool(out_text) and out_text.endswith(("/", os.sep))
    folder = out is not None and (out.is_dir() or ends_in_slash or (len(docs) > 1 and not out.suffix))
    if len(docs) > 1 and not folder:
        # Merged into one document, the banks' licences, sources and credits had nowhere to go.
        listed = ", ".join(slugify(doc.name) for doc in docs)
        _fail(f"there are {len(docs)} banks ({listed}): name one with --bank, or give --out a folder to write "
              "one file per bank")
    if format == "anki" and out is None:
        _fail("an Anki deck is binary: give --out deck.apkg")
    if out is None:
        sys.stdout.write(write(docs[0], format).decode("utf-8"))
        return
    from rehearse.output import OutputError, write_file

    for doc in docs:
        path = out / f"{slugify(doc.name)}{extension_for(format)}" if folder else out
        try:  # missing folders are made, as for every file the command line writes
            write_file(path, write(doc, format))
        except OutputError as error:
            _fail(str(error))
        errors.print(f"Wrote {_questions(doc.question_count)} of {escape(doc.name)} to {escape(str(path))}",
                     highlight=False)


def roles(json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """List roles with their question counts.

    Example: rehearse roles --json
    """
    from rehearse.bank.schemas import RoleRead
    from rehearse.bank.service import list_roles

    with open_database().transaction() as session:
        rows = [RoleRead.of(role, count) for role, count in list_roles(session)]
    if json_output:
        print(json.dumps([row.model_dump() for row in rows], indent=2, ensure_ascii=False))
        return
    table = Table("id", "role", "bank", "questions")
    for row in rows:
        table.add_row(str(row.id), f"{row.name} ({row.slug})", row.bank, str(row.question_count))
    console.print(table)


def _print_questions(questions, json_output: bool, full: bool = True) -> None:
    from rehearse.bank.schemas import QuestionRead, summarize
    from rehearse.bank.service import example_answers_for

    if json_output:
        if full:
            with open_database(migrate=False).transaction() as session:
                answers = example_answers_for(session, [q.id for q in questions])
            rows = [QuestionRead.of(q, answers.get(q.id)).model_dump() for q in questions]
        else:
            rows = [summarize(q).model_dump() for q in questions]
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table("id", "question", "kind", "competencies", "role")
    for q in questions:
        table.add_row(str(q.id), q.text, q.kind, ", ".join(q.competency_names), q.role.name)
    console.print(table)


@questions_app.command("list")
def list_questions(
    role: Annotated[str | None, typer.Option(help="Role id or slug.")] = None,
    competency: Annotated[str | None, typer.Option(help="Competency tag, e.g. hiring.")] = None,
    bank: Annotated[str | None, typer.Option(help="Bank slug.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List questions, optionally filtered.

    Example: rehearse questions list --competency hiring --json
    """
    from rehearse.bank.pick import FilterRefused, check_question_filters
    from rehearse.bank.service import list_questions as query

    with open_database().transaction() as session:
        try:
            check_question_filters(session, role=role, bank=bank)
        except FilterRefused as refused:
            _fail(f"{refused} (rehearse roles lists the roles and their banks)")
        questions = query(session, role=role, competency=competency, bank=bank)
    _print_questions(questions, json_output)


@questions_app.command("show")
def show_question(
    reference: Annotated[str, typer.Argument(help="Question id, slug, or a unique part of its text.")],
    bank: Annotated[str | None, typer.Option(help="Bank slug or name, when banks share the slug.")] = None,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show one question with its intent, talking points and example answer.

    Example: rehearse questions show "hiring bar"
    """
    from rehearse.bank.schemas import QuestionRead
    from rehearse.bank.service import QuestionNotFound, current_example_answer, get_question

    with open_database().transaction() as session:
        try:
            question = get_question(session, reference, bank=bank)
        except QuestionNotFound as error:
            _fail(str(error))
        read = QuestionRead.of(question, current_example_answer(session, question.id))
    if json_output:
        print(json.dumps(read.model_dump(), indent=2, ensure_ascii=False))
        return
    console.print(f"[bold]{read.text}[/]  [dim]({read.kind}; {', '.join(read.competencies)}; {read.role})[/]")
    if question.retired_at is not None:
        console.print(f"[yellow]Retired on {question.retired_at:%Y-%m-%d}[/]: out of practice, search, mocks and "
                      f"exports (rehearse questions retire --undo {question.id} brings it back)", highlight=False)
    if read.intent:
        console.print(f"\n[italic]{read.intent}[/]")
    console.print("\n[bold]Talking points[/]")
    for number, point in enumerate(read.talking_points, start=1):
        console.print(f"  {number}. {point}")
    if read.example_answer:
        console.print(f"\n[bold]Example answer[/]\n{read.example_answer}")


@questions_app.command("retire")
def retire_question(
    reference: Annotated[str, typer.Argument(help="Question id, slug, or a unique part of its text.")],
    undo: Annotated[bool, typer.Option("--undo", help="Put a retired question back.")] = False,
) -> None:
    """Retire a question: it leaves lists, search, practice, mocks and exports; attempts and history stay.

    Example: rehearse questions retire pm-why-product
    """
    from rehearse.bank.service import QuestionNotFound, get_question, restore_question, retire_questions

    with open_database().transaction(writes=True) as session:
        try:
            question = get_question(session, reference)
        except QuestionNotFound as error:
            _fail(str(error))
        retired = question.retired_at is not None
        if retired == (not undo):
            _fail(f"question {question.id} {question.slug} is {'already' if retired else 'not'} retired")
        if undo:
            restore_question(session, question)
        else:
            retire_questions(session, [question.id])
        done = "restored" if undo else "retired"
        console.print(f"{done.capitalize()} question {question.id} {escape(question.slug)} "
                      f"({escape(question.role.name)}, "
                      f"{escape(question.role.bank.name)})", highlight=False)


@questions_app.command("search")
def search_questions(
    query: Annotated[str, typer.Argument(help="Words to look for.")],
    limit: Annotated[int, typer.Option(min=1, max=200)] = 10,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Full-text search across all banks, best match first.

    Example: rehearse questions search "hiring bar"
    """
    from rehearse.bank.service import search

    if not query.strip():
        _fail("give words to search for (rehearse questions list lists every question)")
    with open_database().transaction() as session:
        questions = search(session, query, limit=limit)
    if not questions and not json_output:
        console.print("No questions match.")
        return
    _print_questions(questions, json_output)
