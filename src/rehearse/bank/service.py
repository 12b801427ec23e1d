"""Bank use cases: import, export, browse and look up questions. The only code here that touches the session."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.orm import Session, joinedload, selectinload

from rehearse.formats import BankDoc, ImportWarning, QuestionDoc, RoleDoc, parse_talking_points, slugify
from rehearse.formats.checks import MAX_SLUG

from . import search as search_index
from .competencies import infer_competencies
from .models import Bank, ExampleAnswer, Question, QuestionCompetency, Role, utcnow

Progress = Callable[[int], None]


@dataclass
class ImportSummary:
    banks: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    warnings: list[ImportWarning] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


class QuestionNotFound(LookupError):
    """No question matches a reference, or several do."""


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
                summary: ImportSummary | None = None) -> ImportSummary:
    """Create or update a bank from a parsed file. Idempotent: the same file twice changes nothing."""
    summary = summary or ImportSummary()
    bank_slug = slugify(doc.name)
    bank = session.scalar(select(Bank).where(Bank.slug == bank_slug))
    if bank is None:
        bank = Bank(slug=bank_slug, name=doc.name, source=doc.source, licence=doc.licence,
                    description=doc.description, imported_at=utcnow())
        session.add(bank)
        session.flush()
    else:
        if bank.name != doc.name:  # "Leadership Bank" and "leadership bank!" are one bank: say so
            summary.warnings.append(ImportWarning(
                doc.source or doc.name, None,
                f"bank {bank.name!r} renamed to {doc.name!r} (a bank is the one its name's slug, "
                f"{bank_slug!r}, gives); its questions are updated, not duplicated"))
        for attribute in ("name", "source", "licence", "description"):
            value = getattr(doc, attribute)
            if value is not None and getattr(bank, attribute) != value:
                setattr(bank, attribute, value)
    credited = list(dict.fromkeys([*(bank.contributors or ()), *doc.contributors]))
    if credited != (bank.contributors or []):
        bank.contributors = credited
    summary.banks.append(bank.name)

    existing_roles = {role.slug: role for role in session.scalars(select(Role).where(Role.bank_id == bank.id))}
    existing = {q.slug: q for q in session.scalars(
        select(Question).where(Question.bank_id == bank.id).options(selectinload(Question.example_answers))
    )}
    # A question a file gives without a slug (the page format has no place for one) is the stored question
    # of the same text in the same role, whatever slug that one was given.
    by_text = {(q.role_id, _same_text(q.text)): q for q in existing.values()}
    all_questions = [q for role in doc.roles for q in role.questions]
    slugs = iter(_unique_slugs([q.slug or slugify(q.text) for q in all_questions]))
    changed_before = summary.created + summary.updated
    for role_doc in doc.roles:
        role = _upsert_role(session, bank, role_doc, existing_roles)
        new_rows = []
        for position, question_doc in enumerate(role_doc.questions):
            slug = next(slugs)
            current = existing.get(slug)
            if question_doc.slug is None and (current is None or current.role_id != role.id):
                current = by_text.get((role.id, _same_text(question_doc.text)), current)
                slug = current.slug if current is not None else slug
            if current is None:
                new_rows.append((slug, position, question_doc))
            elif _update_question(session, current, role, position, question_doc, summary,
                                  doc.source or doc.name):
                summary.updated += 1
            else:
                summary.unchanged += 1
            if progress:
                progress(1)
        _insert_questions(session, bank, role, new_rows)
        summary.created += len(new_rows)
    if summary.created + summary.updated > changed_before:
        bank.imported_at = utcnow()
    return summary


def _same_text(text: str) -> str:
    return " ".join(text.split()).casefold()


def _upsert_role(session: Session, bank: Bank, doc: RoleDoc, existing: dict[str, Role]) -> Role:
    slug = doc.slug or slugify(doc.name)
    role = existing.get(slug)
    if role is None:
        # A bank built from several files keeps its roles in the order they arrived.
        role = Role(bank_id=bank.id, slug=slug, name=doc.name, description=doc.description,
                    position=max((r.position for r in existing.values()), default=-1) + 1)
        session.add(role)
        session.flush()
        existing[slug] = role
        return role
    for attribute, value in (("name", doc.name), ("description", doc.description)):
        if value is not None and getattr(role, attribute) != value:
            setattr(role, attribute, value)
    return role


def _points_of(doc: QuestionDoc) -> tuple[list[str], str]:
    if doc.talking_points is not None:
        return list(doc.talking_points), "file"
    return list(parse_talking_points(doc.intent)), "intent"


def _competencies_of(doc: QuestionDoc) -> list[str]:
    return list(dict.fromkeys(doc.competencies)) or infer_competencies(f"{doc.text} {doc.intent or ''}")


def _insert_questions(session: Session, bank: Bank, role: Role, rows: list[tuple[str, int, QuestionDoc]]) -> None:
    """Bulk insert: one INSERT per table, so a 10,000-question file imports in seconds."""
    if not rows:
        return
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


def _file_values(doc: QuestionDoc, points: Sequence[str]) -> dict:
    return {"example_answer": doc.example_answer or None, "intent": doc.intent, "talking_points": list(points)}


def _update_question(session: Session, question: Question, role: Role, position: int, doc: QuestionDoc,
                     summary: ImportSummary | None = None, file: str = "") -> bool:
    """Bring a stored question in line with the file; returns whether anything changed.

    The example answer, intent and talking points are merged with the question's history: a field
    the file did not change since the last import keeps any community edit made since; a field the
    file changed takes the file's value, and a community edit it replaces is reported as a warning.
    """
    changes: dict = {}
    kind = question.kind if "kind" in doc.omitted else doc.kind or "other"
    for attribute, value in (("role_id", role.id), ("text", doc.text), ("kind", kind), ("position", position)):
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
        if name in doc.omitted:
            continue
        if name == "example_answer" and not value:
            continue  # a file without an example answer never removes one
        if imported is not None and imported.get(name) == value:
            continue  # the file has not changed this field since it was last imported: keep edits
        if imported is None and name == "talking_points" and question.talking_points_source == "editor":
            continue
        if value != now[name] and summary is not None and imported is not None and imported.get(name) != now[name]:
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
        return False
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
    return content_changed or bool(changes) or competencies_changed


def reindex_question(session: Session, question_id: int) -> None:
    """Rebuild one question's search row after any edit."""
    question = session.get(Question, question_id)
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


# --- reading ---------------------------------------------------------------------------------


def list_banks(session: Session) -> list[Bank]:
    return list(session.scalars(select(Bank).order_by(Bank.name)))


def list_roles(session: Session) -> list[tuple[Role, int]]:
    """Every role with its question count, ordered by bank and position."""
    counts = (select(Question.role_id, func.count().label("n")).group_by(Question.role_id).subquery())
    rows = session.execute(
        select(Role, func.coalesce(counts.c.n, 0)).join(Bank).outerjoin(counts, counts.c.role_id == Role.id)
        .options(selectinload(Role.bank)).order_by(Bank.name, Role.position)
    )
    return [(role, count) for role, count in rows]


@dataclass(frozen=True)
class RoleCard:
    """What the home page shows of a role: plain values, safe to keep between requests."""

    id: int
    slug: str
    name: str
    description: str | None
    bank_name: str
    question_count: int
    bank_slug: str = ""
    slug_shared: bool = False  # another bank has a role with this slug: links name the bank too


def role_cards(session: Session) -> list[RoleCard]:
    """Every role with its bank's name and its question count, ordered by bank and position: one query."""
    counts = select(Question.role_id, func.count().label("n")).group_by(Question.role_id).subquery()
    rows = session.execute(
        select(Role.id, Role.slug, Role.name, Role.description, Bank.name, func.coalesce(counts.c.n, 0), Bank.slug)
        .join(Bank, Bank.id == Role.bank_id).outerjoin(counts, counts.c.role_id == Role.id)
        .order_by(Bank.name, Role.position)
    ).all()
    uses = Counter(row[1] for row in rows)
    return [RoleCard(*row, slug_shared=uses[row[1]] > 1) for row in rows]


def get_role(session: Session, reference: str, *, bank: str | None = None) -> Role | None:
    """A role by id, or by slug (of the given bank's slug); None when no role, or several, match."""
    roles = find_roles(session, reference, bank=bank)
    return roles[0] if len(roles) == 1 else None


def find_roles(session: Session, reference: str, *, bank: str | None = None) -> list[Role]:
    """The roles a reference names: one by id, or every role with that slug (in the bank of that slug, if
    given), ordered by bank name. Banks are imported independently, so two may both have, say, a role
    "account-executive"."""
    query = select(Role).options(selectinload(Role.bank)).join(Bank, Bank.id == Role.bank_id)
    if reference.isdigit():
        return list(session.scalars(query.where(Role.id == int(reference))))
    query = query.where(Role.slug == reference)
    if bank:
        query = query.where(Bank.slug == bank)
    return list(session.scalars(query.order_by(Bank.name, Bank.id)))


def list_questions(session: Session, *, role: str | None = None, competency: str | None = None,
                   query: str | None = None, bank: str | None = None, limit: int | None = None,
                   offset: int = 0) -> list[Question]:
    """Questions filtered by role (id or slug), competency, bank slug and a text query."""
    statement = select(Question).join(Role).join(Bank, Bank.id == Question.bank_id).options(
        selectinload(Question.role).selectinload(Role.bank))
    if role:
        statement = statement.where(Role.id == int(role) if role.isdigit() else Role.slug == role)
    if bank:
        statement = statement.where(Bank.slug == bank)
    if competency:
        statement = statement.where(Question.id.in_(
            select(QuestionCompetency.question_id).where(QuestionCompetency.name == competency.lower())))
    if query:
        ranked = search_index.search_ids(session, query, limit=None)
        order = {question_id: rank for rank, question_id in enumerate(ranked)}
        questions = [q for q in session.scalars(statement.where(Question.id.in_(ranked)))]
        questions.sort(key=lambda q: order[q.id])
        return questions[offset: offset + limit if limit else None]
    statement = statement.order_by(Bank.name, Role.position, Role.id, Question.position).offset(offset)
    return list(session.scalars(statement.limit(limit) if limit else statement))


def get_question(session: Session, reference: str | int) -> Question:
    """A question by id, slug or a unique part of its text; raises QuestionNotFound with the reason."""
    base = select(Question).options(selectinload(Question.role).selectinload(Role.bank))
    text = str(reference).strip()
    if not text:
        raise QuestionNotFound("no question given")
    if text.isdigit():
        question = session.scalar(base.where(Question.id == int(text)))
        if question:
            return question
    by_slug = session.scalars(base.where(Question.slug == text)).all()
    if len(by_slug) == 1:
        return by_slug[0]
    if text.isdigit() and not by_slug:
        # a number is an id: "0" must not pick the one question whose text holds "30"
        raise QuestionNotFound(f"no question with id {text} (give an id, a slug or part of the text)")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = session.scalars(base.where(Question.text.ilike(f"%{escaped}%", escape="\\")).limit(6)).all()
    if len(matches) == 1:
        return matches[0]
    if not matches and not by_slug:
        raise QuestionNotFound(f"no question matches {text!r} (give an id, a slug or part of the text)")
    candidates = by_slug or matches
    listed = "; ".join(f"{q.id} {q.slug}" for q in candidates[:5])
    raise QuestionNotFound(f"{text!r} matches several questions ({listed}); be more specific")


def search(session: Session, query: str, *, limit: int = 20) -> list[Question]:
    """Full-text search across every bank, best match first."""
    ids = search_index.search_ids(session, query, limit=limit)
    if not ids:
        return []
    # Joined rather than select-in loading: a search page is small, and one round trip beats three.
    by_id = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids)).options(
        joinedload(Question.role).joinedload(Role.bank)))}
    return [by_id[i] for i in ids if i in by_id]


def example_answers_for(session: Session, question_ids: Sequence[int]) -> dict[int, str]:
    """The current example answer of each question, in one query."""
    latest = (select(ExampleAnswer.question_id, func.max(ExampleAnswer.revision).label("revision"))
              .where(ExampleAnswer.question_id.in_(question_ids)).group_by(ExampleAnswer.question_id).subquery())
    rows = session.execute(select(ExampleAnswer.question_id, ExampleAnswer.text).join(
        latest, (latest.c.question_id == ExampleAnswer.question_id) & (latest.c.revision == ExampleAnswer.revision)))
    return {question_id: text for question_id, text in rows.all() if text}


def export_bank(session: Session, bank_slug: str | None = None) -> list[BankDoc]:
    """Banks as documents, ready for any writer; all banks unless one slug is given.

    A bank that states no licence but took community suggestions is exported under the licence those were
    accepted under (DEFAULT_LICENCE), with everyone credited: those accepted here and those its files named.
    """
    from rehearse.community.rules import DEFAULT_LICENCE

    statement = select(Bank).options(selectinload(Bank.roles).selectinload(Role.questions)).order_by(Bank.name)
    if bank_slug:
        statement = statement.where(or_(Bank.slug == bank_slug, Bank.name == bank_slug))
    banks = session.scalars(statement).all()
    credits = contributors_of(session, [bank.id for bank in banks])
    question_ids = [q.id for bank in banks for role in bank.roles for q in role.questions]
    answers = example_answers_for(session, question_ids) if question_ids else {}
    docs = []
    for bank in banks:
        roles = tuple(RoleDoc(
            name=role.name, slug=role.slug, description=role.description,
            questions=tuple(QuestionDoc(
                text=q.text, slug=q.slug, kind=q.kind, competencies=tuple(q.competency_names), intent=q.intent,
                talking_points=tuple(q.talking_points), example_answer=answers.get(q.id),
            ) for q in role.questions),
        ) for role in bank.roles)
        contributors = tuple(dict.fromkeys([*credits.get(bank.id, ()), *(bank.contributors or ())]))
        licence = bank.licence or (DEFAULT_LICENCE if credits.get(bank.id) else None)
        docs.append(BankDoc(name=bank.name, source=bank.source, licence=licence,
                            description=bank.description, roles=roles, contributors=contributors))
    return docs


def contributors_of(session: Session, bank_ids: Sequence[int]) -> dict[int, list[str]]:
    """Per bank, the display names of people whose suggestions were accepted into it, most revisions first."""
    from rehearse.accounts.models import User

    if not bank_ids:
        return {}
    count = func.count(ExampleAnswer.id)
    rows = session.execute(
        select(Question.bank_id, User.display_name, count)
        .join(ExampleAnswer, ExampleAnswer.question_id == Question.id).join(User, User.id == ExampleAnswer.author_id)
        .where(Question.bank_id.in_(bank_ids), ExampleAnswer.source == "suggestion")
        .group_by(Question.bank_id, User.id, User.display_name).order_by(Question.bank_id, count.desc(),
                                                                         User.display_name))
    credits: dict[int, list[str]] = {}
    for bank_id, name, _ in rows:
        credits.setdefault(bank_id, []).append(name)
    return credits
