"""Importing a bank: create or update its roles and questions, idempotently, keeping editors' changes.

Split from the bank's use cases (`service`) because it is the one part that writes: a re-import
matches questions by slug, updates what the file changed, and keeps what editors changed since.
This module decides what each of a file's banks, roles and questions is in storage (the same one
renamed, a copy, a new one); `merging` writes the questions, and `lifecycle` keeps their search rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rehearse.formats import BankDoc, FormatError, ImportWarning, QuestionDoc, RoleDoc, slugify
from rehearse.formats.checks import MAX_SLUG
from rehearse.formats.model import same_text

from .lifecycle import current_example_answer, reindex_question, restore_question, retire_questions, search_document
from .merging import insert_questions, update_question
from .models import Bank, Question, Role, utcnow

# Callers import these from here (and `service` re-exports them): the bank's writes, named in one place.
__all__ = ["ImportSummary", "Progress", "check_files_apart", "current_example_answer", "import_bank",
           "reindex_question", "restore_question", "retire_questions", "search_document", "settle_left_out"]

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
                fields = update_question(session, current, role, position, question_doc, summary, file, slug=slug)
                summary.updated += 1
                summary.updates.append((slug, ("restored", *(name for name in fields if name != "position"))))
            elif not (fields := update_question(session, current, role, position, question_doc, summary,
                                                 file, slug=slug)):
                summary.unchanged += 1
            elif fields == ("position",):
                summary.moved += 1
            else:
                summary.updated += 1
                summary.updates.append((slug, tuple(name for name in fields if name != "position")))
            if progress:
                progress(1)
        summary.held.update(insert_questions(session, bank, role, new_rows))
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
