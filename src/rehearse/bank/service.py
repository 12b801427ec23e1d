"""Bank use cases: import, export, browse and look up questions. The only code here that touches the session.

Importing, the one part that writes, lives in `importing`; its use cases are named here too, so callers
find every bank use case in one module.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

from . import search as search_index
from .importing import (  # noqa: F401 (re-exported: the bank's use cases in one module)
    ImportSummary,
    Progress,
    check_files_apart,
    current_example_answer,
    import_bank,
    reindex_question,
    restore_question,
    retire_questions,
    settle_left_out,
)
from .models import Bank, ExampleAnswer, Question, QuestionCompetency, Role

MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def _as_id(reference: str) -> int | None:
    """The id a reference of digits names; None for anything else. A number past MAX_ID names nothing (0)
    rather than reaching the database, which would refuse it as out of range."""
    if not (reference.isascii() and reference.isdigit()):
        return None
    number = int(reference)
    return number if number <= MAX_ID else 0


LIVE = Question.retired_at.is_(None)  # a question still in its bank (not retired)


class QuestionNotFound(LookupError):
    """No question matches a reference, or several do."""


# --- reading ---------------------------------------------------------------------------------


def list_banks(session: Session) -> list[Bank]:
    return list(session.scalars(select(Bank).order_by(Bank.name)))


def list_roles(session: Session) -> list[tuple[Role, int]]:
    """Every role with its question count, ordered by bank and position."""
    counts = (select(Question.role_id, func.count().label("n")).where(LIVE).group_by(Question.role_id).subquery())
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
    counts = select(Question.role_id, func.count().label("n")).where(LIVE).group_by(Question.role_id).subquery()
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
    if (role_id := _as_id(reference)) is not None:
        return list(session.scalars(query.where(Role.id == role_id)))
    query = query.where(Role.slug == reference)
    if bank:
        query = query.where(Bank.slug == bank)
    return list(session.scalars(query.order_by(Bank.name, Bank.id)))


def list_questions(session: Session, *, role: str | None = None, competency: str | None = None,
                   query: str | None = None, bank: str | None = None, limit: int | None = None,
                   offset: int = 0) -> list[Question]:
    """Questions filtered by role (id or slug), competency, bank slug and a text query."""
    statement = select(Question).join(Role).join(Bank, Bank.id == Question.bank_id).where(LIVE).options(
        selectinload(Question.role).selectinload(Role.bank))
    if role:
        role_id = _as_id(role)
        statement = statement.where(Role.id == role_id if role_id is not None else Role.slug == role)
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


def get_question(session: Session, reference: str | int, *, bank: str | None = None) -> Question:
    """A question by id, slug or a unique part of its text (in the bank of that slug or name, if given);
    raises QuestionNotFound with the reason."""
    base = select(Question).options(selectinload(Question.role).selectinload(Role.bank))
    if bank:
        base = base.join(Bank, Bank.id == Question.bank_id).where(or_(Bank.slug == bank, Bank.name == bank))
    text = str(reference).strip()
    if not text:
        raise QuestionNotFound("no question given")
    if (question_id := _as_id(text)) is not None:
        question = session.scalar(base.where(Question.id == question_id))
        if question:
            return question
    by_slug = session.scalars(base.where(Question.slug == text)).all()
    if len(by_slug) == 1:
        return by_slug[0]
    if question_id is not None and not by_slug:
        # a number is an id: "0" must not pick the one question whose text holds "30"
        raise QuestionNotFound(f"no question with id {text} (give an id, a slug or part of the text)")
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    matches = session.scalars(base.where(Question.text.ilike(f"%{escaped}%", escape="\\")).limit(6)).all()
    if len(matches) == 1:
        return matches[0]
    if not matches and not by_slug:
        raise QuestionNotFound(f"no question matches {text!r} (give an id, a slug or part of the text)")
    candidates = by_slug or matches
    listed = "; ".join(f"{q.id} {q.slug} ({q.role.name}, {q.role.bank.slug})" for q in candidates[:5])
    raise QuestionNotFound(f"{text!r} matches several questions ({listed}); give its id, or its bank with --bank")


def search(session: Session, query: str, *, limit: int = 20) -> list[Question]:
    """Full-text search across every bank, best match first."""
    ids = search_index.search_ids(session, query, limit=limit)
    if not ids:
        return []
    # Joined rather than select-in loading: a search page is small, and one round trip beats three.
    by_id = {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids), LIVE).options(
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
    question_ids = [q.id for bank in banks for role in bank.roles for q in role.questions if q.retired_at is None]
    answers = example_answers_for(session, question_ids) if question_ids else {}
    docs = []
    for bank in banks:
        roles = tuple(RoleDoc(
            name=role.name, slug=role.slug, description=role.description,
            questions=tuple(QuestionDoc(
                text=q.text, slug=q.slug, kind=q.kind, competencies=tuple(q.competency_names), intent=q.intent,
                talking_points=tuple(q.talking_points), example_answer=answers.get(q.id),
            ) for q in role.questions if q.retired_at is None),
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
