"""Importing a bank: create or update its roles and questions, idempotently, keeping editors' changes.

Split from the bank's use cases (`service`) because it is the one part that writes: a re-import
matches questions by slug, updates what the file changed, and keeps what editors changed since.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, selectinload

from rehearse.formats import BankDoc, FormatError, ImportWarning, QuestionDoc, RoleDoc, parse_talking_points, slugify
from rehearse.formats.checks import MAX_SLUG
from rehearse.formats.model import same_text

from . import search as search_index
from .competencies import infer_competencies
from .models import Bank, ExampleAnswer, Question, QuestionCompetency, Role, utcnow

Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    banks: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0  # questions whose content changed (text, rubric, answer, kind, role, competencies, slug)
    moved: int = 0  # questions that only changed place in their role
    unchanged: int = 0
    # (slug, the fields that changed) for each updated question, in file order: the import says which
    updates: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    # Questions matched by their text because the file gave them a slug no stored question has:
    # (line in the file, old slug, new slug). The stored question takes the file's slug.
    renamed: list[tuple[int | None, str, str]] = field(default_factory=list)
    # What the import's files hold (question ids) and the roles they give: the questions of those roles that no
    # file holds are `left_out`, (bank, role, slug), kept live unless the import prunes, and then `retired`.
    held: set[int] = field(default_factory=set)
    roles_held: set[int] = field(default_factory=set)
    left_out: list[tuple[str, str, str]] = field(default_factory=list)
    retired: int = 0
    # Changes to banks and roles the files already had (source, licence, description; a role's name; a new role),
    # said after the counts: they change what every question of the bank is shown under.
    changes: list[str] = field(default_factory=list)
    # Questions whose file dropped the example answer it gave before: the answer stays (a file never removes one).
    kept_answers: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.moved)


def _unique_slugs(wanted: Sequence[str]) -> list[str]:
    """Repeated slugs get -2, -3 …, skipping any slug another question asks for, within the column's size."""
    taken, used, slugs = set(wanted), set(), []
    for slug in wanted:
        candidate, count = slug, 1
        while candidate in used or (count > 1 and candidate in taken):
            count += 1
            suffix = f"-{count}"
            candidate = slug[: MAX_SLUG - len(suffix)] + suffix
        used.add(candidate)
        slugs.append(candidate)
    return slugs


def search_document(text: str, intent: str | None, points: Sequence[str], competencies: Sequence[str],
                    example: str | None) -> str:
    return "\n".join(part for part in (text, intent or "", " ".join(points), " ".join(competencies),
                                       example or "") if part)


def import_bank(session: Session, doc: BankDoc, *, progress: Progress | None = None,
                summary: ImportSummary | None = None, file: str | None = None,
                rename_bank: bool | None = None) -> ImportSummary:
    """Create or update a bank from a parsed file. Idempotent: the same file twice changes nothing.

    `file` names the file in warnings (not the bank's source, which is a credit, not a place). A file whose
    bank name is new but whose questions and roles are all a stored bank's (by slug) is that bank renamed, or a
    copy: only the one importing knows, so it is refused (FormatError) unless `rename_bank` says (True: rename
    that bank; False: a new bank, a copy, with a warning that its slugs are now in both)."""
    summary = summary or ImportSummary()
    file = file or doc.name
    bank_slug = slugify(doc.name)
    bank = session.scalar(select(Bank).where(Bank.slug == bank_slug))
    if bank is None and (twin := _bank_of_these_questions(session, doc)) is not None:
        if rename_bank is None:  # at the first question (a bank's name has no line of its own here), or the top
            first = next((q.line for role in doc.roles for q in role.questions), None) or 1
            raise FormatError(file, first, "a new bank name, or the name of the bank its questions are in", (
                f"the bank name {doc.name!r}, but every question slug the file gives is one of bank {twin.name!r} "
                f"({twin.slug}) (to rename that bank, import with --rename-bank; to make a copy of it, --new-bank)"))
        if rename_bank is False:
            summary.warnings.append(ImportWarning(file, None, (
                f"bank {doc.name!r} ({bank_slug}) made as a copy of bank {twin.name!r} ({twin.slug}): each of its "
                "question slugs is now in both banks (name the bank with --bank where a slug is asked for)")))
        else:
            bank = twin
    if bank is not None and bank.slug != bank_slug:
        summary.warnings.append(ImportWarning(
            file, None,
            f"bank {bank.name!r} ({bank.slug}) renamed to {doc.name!r} ({bank_slug}): the file's question slugs are "
            "that bank's, so its questions are updated, not copied into a second bank (give its other files the "
            "new name too: with the old one they are refused, as this one was without --rename-bank)"))
        bank.slug, bank.name = bank_slug, doc.name
    new_bank = bank is None
    if bank is None:
        bank = Bank(slug=bank_slug, name=doc.name, source=doc.source, licence=doc.licence,
                    description=doc.description, imported_at=utcnow())
        session.add(bank)
        session.flush()
    from .service import contributors_of

    here = set(contributors_of(session, [bank.id]).get(bank.id, ()))
    if not new_bank:
        if bank.name != doc.name:  # "Leadership Bank" and "leadership bank!" are one bank: say so
            summary.warnings.append(ImportWarning(
                file, None,
                f"bank {bank.name!r} renamed to {doc.name!r} (a bank is the one its name's slug, "
                f"{bank_slug!r}, gives); its questions are updated, not duplicated"))
        if doc.licence is not None and bank.licence != doc.licence and here:
            summary.warnings.append(ImportWarning(
                file, None,
                f"the licence of bank {bank.name!r} changed from {bank.licence or 'none'} to {doc.licence}, but "
                f"{len(here)} contributor(s) gave their accepted suggestions under {bank.licence or 'none'}: "
                f"publish their words under {doc.licence} only with their agreement"))
        for attribute in ("name", "source", "licence", "description"):
            value = getattr(doc, attribute)
            if value is not None and getattr(bank, attribute) != value:
                if attribute != "name":  # a new name is a warning of its own
                    said = _said_change(f"bank {bank.slug}", attribute, getattr(bank, attribute), value)
                    summary.changes.append(said)
                setattr(bank, attribute, value)
    # A name this server credits already (someone whose suggestions were accepted here: an export of this
    # server imported back) is not kept: the credit follows that account, its new name or its deletion.
    credited = list(dict.fromkeys([*(bank.contributors or ()), *(n for n in doc.contributors if n not in here)]))
    if credited != (bank.contributors or []):
        bank.contributors = credited
    summary.banks.append(bank.name)

    existing_roles = {role.slug: role for role in session.scalars(select(Role).where(Role.bank_id == bank.id))}
    existing = {q.slug: q for q in session.scalars(
        select(Question).where(Question.bank_id == bank.id).options(selectinload(Question.example_answers))
    )}
    # A question a file gives without a slug (the page format has no place for one) is the stored question
    # of the same text in the same role, whatever slug that one was given.
    by_text = {(q.role_id, same_text(q.text)): q for q in existing.values()}
    said = Counter((q.role_id, same_text(q.text)) for q in existing.values())
    all_questions = [q for role in doc.roles for q in role.questions]
    file_slugs = _unique_slugs([q.slug or slugify(q.text) for q in all_questions])
    slugs, claimed = iter(file_slugs), set(file_slugs)
    changed_before = summary.created + summary.updated + summary.moved
    for role_doc in doc.roles:
        role = _upsert_role(session, bank, role_doc, existing_roles, None if new_bank else summary)
        summary.roles_held.add(role.id)
        new_rows = []
        for position, question_doc in enumerate(role_doc.questions):
            slug = next(slugs)
            current = existing.get(slug)
            if question_doc.slug is None and (current is None or current.role_id != role.id):
                current = by_text.get((role.id, same_text(question_doc.text)), current)
                slug = current.slug if current is not None else slug
            elif current is None and (twin := _renamed(by_text, said, claimed, role.id, question_doc)) is not None:
                # The file gives a slug no stored question has, to a question whose text its role holds once
                # under a slug the file no longer uses: the same question, renamed (not a second copy).
                summary.renamed.append((question_doc.line, twin.slug, slug))
                current = twin
                by_text.pop((role.id, same_text(question_doc.text)))
            if current is not None:
                summary.held.add(current.id)
            if current is None:
                new_rows.append((slug, position, question_doc))
            elif current.retired_at is not None:  # retired, and the file holds it again: back in the bank
                restore_question(session, current)
                fields = _update_question(session, current, role, position, question_doc, summary, file, slug=slug)
                summary.updated += 1
                summary.updates.append((slug, ("restored", *(name for name in fields if name != "position"))))
            elif not (fields := _update_question(session, current, role, position, question_doc, summary,
                                                 file, slug=slug)):
                summary.unchanged += 1
            elif fields == ("position",):
                summary.moved += 1
            else:
                summary.updated += 1
                summary.updates.append((slug, tuple(name for name in fields if name != "position")))
            if progress:
                progress(1)
        summary.held.update(_insert_questions(session, bank, role, new_rows))
        summary.created += len(new_rows)
    if summary.created + summary.updated + summary.moved > changed_before:
        bank.imported_at = utcnow()
    return summary


def check_files_apart(files: Sequence[tuple[str, BankDoc]]) -> None:
    """FormatError when two files of one import give the same slug to questions of the same bank: each would
    overwrite the other (the last file winning, and moving the question between their roles)."""
    seen: dict[tuple[str, str], tuple[str, int | None]] = {}
    for file, doc in files:
        in_this_file = set()
        for question in (q for role in doc.roles for q in role.questions if q.slug):
            key = (slugify(doc.name), question.slug)
            if key in seen and key not in in_this_file:
                first_file, first_line = seen[key]
                where = f"{first_file}:{first_line}" if first_line else first_file
                raise FormatError(file, question.line, f"each question of bank {doc.name!r} in one file of the import",
                                  f"the slug {question.slug!r} here and in another file too, at {where} (a question "
                                  "belongs to one file of its bank)")
            seen[key] = (file, question.line)
            in_this_file.add(key)


def _bank_of_these_questions(session: Session, doc: BankDoc) -> Bank | None:
    """The stored bank a file whose bank name is new holds the questions of (its name changed?): the file gives
    every question a slug, each is a question of this one bank, and each of its roles is a role of it."""
    slugs = {q.slug for role in doc.roles for q in role.questions}
    if not slugs or None in slugs:
        return None
    banks = session.execute(select(Question.bank_id, func.count()).where(Question.slug.in_(slugs))
                            .group_by(Question.bank_id)).all()
    if len(banks) != 1 or banks[0][1] != len(slugs):
        return None
    roles = set(session.scalars(select(Role.slug).where(Role.bank_id == banks[0][0])))
    if any((role.slug or slugify(role.name)) not in roles for role in doc.roles):
        return None
    return session.get(Bank, banks[0][0])


def settle_left_out(session: Session, summary: ImportSummary, *, prune: bool = False) -> None:
    """After every file of an import: list the live questions of the roles the files gave that none of them
    holds (kept: a bank may be built from several files, and a file may be a part), or retire them with `prune`."""
    if not summary.roles_held:
        return
    rows = session.execute(
        select(Question, Role.name, Bank.name).join(Role, Role.id == Question.role_id)
        .join(Bank, Bank.id == Role.bank_id)
        .where(Question.role_id.in_(summary.roles_held), Question.retired_at.is_(None))
        .order_by(Bank.name, Role.position, Question.position)).all()
    left = [(question, role, bank) for question, role, bank in rows if question.id not in summary.held]
    summary.left_out += [(bank, role, question.slug) for question, role, bank in left]
    if prune and left:
        retire_questions(session, [question.id for question, _, _ in left])
        summary.retired += len(left)


def retire_questions(session: Session, question_ids: Sequence[int]) -> None:
    """Take questions out of the bank: out of lists, search, practice, mocks and exports; attempts, reviews and
    revisions stay (a deleted question would take a candidate's attempts with it)."""
    session.execute(update(Question).where(Question.id.in_(question_ids), Question.retired_at.is_(None))
                    .values(retired_at=utcnow()))
    search_index.remove(session, question_ids)


def restore_question(session: Session, question: Question) -> None:
    """Put a retired question back in the bank."""
    session.execute(update(Question).where(Question.id == question.id).values(retired_at=None))
    session.expire(question)
    reindex_question(session, question.id)


def _renamed(by_text: dict, said: Counter, claimed: set[str], role_id: int, doc: QuestionDoc) -> Question | None:
    """The stored question a file's question renames: the one question of its role with the same text
    (spacing and case aside), whose own slug no question of the file asks for."""
    key = (role_id, same_text(doc.text))
    twin = by_text.get(key)
    if doc.slug is None or twin is None or said[key] != 1 or twin.slug in claimed:
        return None
    return twin


def _said_change(what: str, attribute: str, old: str | None, new: str) -> str:
    if attribute == "description":  # long text: that it changed is enough
        return f"{what}: description changed"
    return f"{what}: {attribute} {old or 'none'!r} -> {new!r}"


def _upsert_role(session: Session, bank: Bank, doc: RoleDoc, existing: dict[str, Role],
                 summary: ImportSummary | None = None) -> Role:
    """The bank's role the file's role is, made if new; `summary` (for a bank stored before) hears of a new
    role and of a changed name or description, which a heading typo ("## Role Data Scientist") can cause."""
    slug = doc.slug or slugify(doc.name)
    role = existing.get(slug)
    if role is None and doc.slug is None:
        # A file that gives no slug for a role (a page has no place for one) names it: the bank's role of that
        # name, whatever slug it was given ("Site Reliability Engineer" stored as "sre"), not a second role.
        role = next((r for r in sorted(existing.values(), key=lambda r: r.position)
                     if same_text(r.name) == same_text(doc.name)), None)
    if role is None:
        # A bank built from several files keeps its roles in the order they arrived.
        role = Role(bank_id=bank.id, slug=slug, name=doc.name, description=doc.description,
                    position=max((r.position for r in existing.values()), default=-1) + 1)
        session.add(role)
        session.flush()
        existing[slug] = role
        if summary is not None:
            summary.changes.append(f"bank {bank.slug}: new role {doc.name!r} ({slug})")
        return role
    for attribute, value in (("name", doc.name), ("description", doc.description)):
        if value is not None and getattr(role, attribute) != value:
            if summary is not None:
                summary.changes.append(_said_change(f"role {role.slug}", attribute, getattr(role, attribute), value))
            setattr(role, attribute, value)
    return role


def _points_of(doc: QuestionDoc) -> tuple[list[str], str]:
    if doc.talking_points is not None:
        return list(doc.talking_points), "file"
    return list(parse_talking_points(doc.intent)), "intent"


def _competencies_of(doc: QuestionDoc) -> list[str]:
    return list(dict.fromkeys(doc.competencies)) or infer_competencies(f"{doc.text} {doc.intent or ''}")


def _insert_questions(session: Session, bank: Bank, role: Role, rows: list[tuple[str, int, QuestionDoc]]
                      ) -> list[int]:
    """Bulk insert: one INSERT per table, so a 10,000-question file imports in seconds. Returns the new ids."""
    if not rows:
        return []
    values = []
    extras = []
    for slug, position, doc in rows:
        points, source = _points_of(doc)
        competencies = _competencies_of(doc)
        values.append({
            "bank_id": bank.id, "role_id": role.id, "slug": slug, "text": doc.text, "kind": doc.kind or "other",
            "position": position, "intent": doc.intent, "talking_points": points, "talking_points_source": source,
            "search_document": search_document(doc.text, doc.intent, points, competencies, doc.example_answer),
        })
        extras.append((doc, points, competencies))
    ids = session.scalars(insert(Question).returning(Question.id, sort_by_parameter_order=True), values).all()
    competency_rows, answer_rows, index_rows = [], [], []
    for question_id, row, (doc, points, competencies) in zip(ids, values, extras, strict=True):
        competency_rows += [{"question_id": question_id, "name": name, "position": i}
                            for i, name in enumerate(competencies)]
        # Every question starts with revision 1, a full snapshot (empty text: no example answer), so
        # community edits and later imports share one history and have a base to compare with.
        answer_rows.append({"question_id": question_id, "revision": 1, "text": doc.example_answer or "",
                            "source": "import", "created_at": utcnow(), "intent": doc.intent,
                            "talking_points": points, "file_values": _file_values(doc, points)})
        index_rows.append(search_index.IndexRow(question_id, row["text"], doc.intent, points, competencies,
                                                doc.example_answer))
    if competency_rows:
        session.execute(insert(QuestionCompetency), competency_rows)
    if answer_rows:
        session.execute(insert(ExampleAnswer), answer_rows)
    search_index.write(session, index_rows)
    return list(ids)


def _file_values(doc: QuestionDoc, points: Sequence[str]) -> dict:
    return {"example_answer": doc.example_answer or None, "intent": doc.intent, "talking_points": list(points)}


def _update_question(session: Session, question: Question, role: Role, position: int, doc: QuestionDoc,
                     summary: ImportSummary | None = None, file: str = "", slug: str | None = None
                     ) -> tuple[str, ...]:
    """Bring a stored question in line with the file; returns the names of the fields that changed
    (none: unchanged), as a reader says them ("example answer", "talking points", "position").

    The example answer, intent and talking points are merged with the question's history: a field
    whose stored value an import wrote takes the file's value; a field a community edit set keeps it
    unless the file gives a value the question never had (see `_values_ever_held`), and then the
    import warns that it replaced the edit.
    """
    changes: dict = {}
    kind = question.kind if "kind" in doc.omitted else doc.kind or "other"
    for attribute, value in (("role_id", role.id), ("slug", slug or question.slug), ("text", doc.text),
                             ("kind", kind), ("position", position)):
        if getattr(question, attribute) != value:
            changes[attribute] = value
    points, source = _points_of(doc)
    if "intent" in doc.omitted and doc.talking_points is None:  # points derived from the intent kept
        points = list(parse_talking_points(question.intent))
    competencies = question.competency_names if "competencies" in doc.omitted else _competencies_of(doc)
    competencies_changed = question.competency_names != competencies
    current_answer = question.example_answers[-1] if question.example_answers else None
    imported = next((row.file_values for row in reversed(question.example_answers) if row.file_values), None)
    now = {"example_answer": (current_answer.text or None) if current_answer else None,
           "intent": question.intent, "talking_points": list(question.talking_points or ())}
    incoming = _file_values(doc, points)
    for name in doc.omitted & incoming.keys():
        # The file has no place for this field: it says nothing about it, so the stored value stays, and
        # the last file that did give it remains the base of the next merge.
        incoming[name] = (imported or now).get(name)
    merged = dict(now)
    for name, value in incoming.items():
        if name in doc.omitted or value == now[name]:
            continue
        if name == "example_answer" and not value:
            if summary is not None and imported and imported.get("example_answer"):  # the file dropped it: say so
                summary.kept_answers.append(question.slug)
            continue  # a file without an example answer never removes one
        if _community_edited(question, name, now[name]):
            if value in _values_ever_held(question.example_answers, name):
                continue  # what the question said before the edit: the file has not changed this field since
            if summary is not None:
                summary.warnings.append(ImportWarning(
                    file, doc.line,
                    f"question {question.slug!r}: the file changed the {name.replace('_', ' ')}, replacing a "
                    "community edit made since the last import (it stays in the question's history)"))
        merged[name] = value
    if merged["intent"] != question.intent:
        changes["intent"] = merged["intent"]
    if merged["talking_points"] != now["talking_points"]:
        changes["talking_points"] = merged["talking_points"]
        changes["talking_points_source"] = source if merged["talking_points"] == points else "editor"
    content_changed = merged != now
    if not changes and not competencies_changed and not content_changed and imported == incoming:
        return ()
    if changes:
        session.execute(update(Question).where(Question.id == question.id).values(**changes))
    if competencies_changed:
        session.execute(delete(QuestionCompetency).where(QuestionCompetency.question_id == question.id))
    if competencies_changed and competencies:  # insert() with no rows would insert one row of defaults
        session.execute(insert(QuestionCompetency), [
            {"question_id": question.id, "name": name, "position": i} for i, name in enumerate(competencies)])
    if content_changed or imported != incoming:
        if content_changed or current_answer is None:
            revision = (current_answer.revision if current_answer else 0) + 1
            session.add(ExampleAnswer(question_id=question.id, revision=revision, text=merged["example_answer"] or "",
                                      intent=merged["intent"], talking_points=merged["talking_points"],
                                      file_values=incoming, source="import", created_at=utcnow()))
        else:  # the file moved on, but the question already says it all: remember what the file says now
            current_answer.file_values = incoming
    session.flush()
    session.expire(question)
    reindex_question(session, question.id)
    fields = [_FIELD_NAMES.get(name, name) for name in changes if name != "talking_points_source"]
    fields += ["competencies"] if competencies_changed else []
    fields += ["example answer"] if merged["example_answer"] != now["example_answer"] else []
    return tuple(dict.fromkeys(fields))


def _field_of(row: ExampleAnswer, name: str) -> tuple[bool, object]:
    """(whether the revision recorded the field, its value there); rows older than snapshots kept only
    the example answer."""
    if name == "example_answer":
        return True, row.text or None
    if row.talking_points is None:
        return False, None
    return True, row.intent if name == "intent" else list(row.talking_points)


def _community_edited(question: Question, name: str, value: object) -> bool:
    """Whether the field's stored value is a person's edit (an accepted suggestion, an editor's edit or
    revert), not what an import wrote: the revision that last changed the field was not an import, or
    the question says something no revision recorded (an editor's override of its talking points)."""
    setter, said = None, None
    for row in question.example_answers:
        recorded, at_row = _field_of(row, name)
        if recorded and (setter is None or at_row != said):
            setter, said = row, at_row
    if name == "talking_points" and question.talking_points_source == "editor":
        return True
    if setter is None:
        return False
    return setter.source != "import" or said != value


def _values_ever_held(rows: Sequence[ExampleAnswer], name: str) -> list:
    """Every value the field had in the question's history, and every value an import's file gave it.

    The base of an import's merge, when a community edit stands: a file "changed" the field only when
    it says something new. Remembering the last import alone was not enough: importing an export (which
    carries the edit) made the edit the last imported value, and the author's unchanged master file,
    imported next, then looked changed and silently put back the wording the edit had replaced.
    Files are not told apart (the same bank arrives as pm.yaml, pm.v2.yaml, an export, a backup), so
    any earlier import counts: an import never brings back wording the question had before an edit;
    an editor restores an old revision from the question's history for that.
    """
    values = [value for recorded, value in (_field_of(row, name) for row in rows) if recorded]
    return values + [row.file_values.get(name) for row in rows if row.file_values and name in row.file_values]


_FIELD_NAMES = {"role_id": "role", "talking_points": "talking points"}


def reindex_question(session: Session, question_id: int) -> None:
    """Rebuild one question's search row after any edit."""
    question = session.get(Question, question_id)
    if question.retired_at is not None:  # an edit of a retired question: kept, still out of search
        search_index.remove(session, [question_id])
        return
    example = current_example_answer(session, question_id)
    points, competencies = list(question.talking_points), question.competency_names
    session.execute(update(Question).where(Question.id == question_id).values(
        search_document=search_document(question.text, question.intent, points, competencies, example)))
    search_index.write(session, [search_index.IndexRow(question_id, question.text, question.intent, points,
                                                       competencies, example)])


def current_example_answer(session: Session, question_id: int) -> str | None:
    """The current revision's example answer; None when it has none (stored as empty text)."""
    return session.scalar(select(ExampleAnswer.text).where(ExampleAnswer.question_id == question_id)
                          .order_by(ExampleAnswer.revision.desc()).limit(1)) or None
