"""Score an answer to a stored question with the feedback engine.

The one place that turns a database question into the engine's plain
`Question` and supplies the bank's job-term lexicon; the CLI, the API and the
practice pages all call `analyze_answer` or `analyze_many`.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Text, cast, func, select
from sqlalchemy.orm import Session

from rehearse import feedback
from rehearse.bank.models import ExampleAnswer, Question
from rehearse.bank.service import example_answers_for

_lexicons: dict[tuple, feedback.Lexicon] = {}
_lock = threading.Lock()
MAX_CACHED_LEXICONS = 32  # one per bank in use; banks are few


def to_engine_question(question: Question, example_answer: str | None) -> feedback.Question:
    return feedback.Question(
        text=question.text,
        talking_points=tuple(question.talking_points),
        example_answer=example_answer,
        intent=question.intent,
        kind=question.kind if question.kind in ("behavioural", "situational") else None,
        competencies=tuple(question.competency_names),
    )


def bank_lexicon(session: Session, bank_id: int) -> feedback.Lexicon:
    """The job-term lexicon of a bank, rebuilt only when its questions or answers change.

    The version is the number of questions, the newest example answer and the total length of
    the questions' texts, intents and talking points: an import or an edit that changes a
    question's points (no new example answer) must not leave the old ones in the lexicon."""
    version = session.execute(
        select(func.count(Question.id), func.max(ExampleAnswer.id),
               func.sum(func.length(Question.text) + func.length(func.coalesce(Question.intent, ""))
                        + func.length(cast(Question.talking_points, Text))))
        .select_from(Question).outerjoin(ExampleAnswer, ExampleAnswer.question_id == Question.id)
        .where(Question.bank_id == bank_id)
    ).one()
    key = (str(session.get_bind().engine.url), bank_id, *version)
    with _lock:
        cached = _lexicons.get(key)
    if cached is not None:
        return cached
    questions = session.scalars(select(Question).where(Question.bank_id == bank_id)).all()
    answers = example_answers_for(session, [q.id for q in questions])
    lexicon = feedback.Lexicon.from_questions([to_engine_question(q, answers.get(q.id)) for q in questions])
    with _lock:
        if len(_lexicons) >= MAX_CACHED_LEXICONS:
            _lexicons.clear()
        _lexicons[key] = lexicon
    return lexicon


@dataclass(frozen=True)
class PreparedQuestion:
    """Everything scoring needs from the database, read up front so scoring itself needs none."""

    question: feedback.Question
    lexicon: feedback.Lexicon
    bank_id: int | None = None  # whose lexicon it is: a worker scoring it elsewhere reads it again


def prepare(session: Session, question: Question) -> PreparedQuestion:
    """Read what scoring an answer to this question needs (example answer, the bank's lexicon)."""
    return prepare_many(session, [question])[0]


def prepare_many(session: Session, questions: Sequence[Question]) -> list[PreparedQuestion]:
    """`prepare` for many questions: their example answers in one query, each bank's lexicon once."""
    examples = example_answers_for(session, [q.id for q in questions])
    lexicons = {bank_id: bank_lexicon(session, bank_id) for bank_id in {q.bank_id for q in questions}}
    return [PreparedQuestion(to_engine_question(q, examples.get(q.id)), lexicons[q.bank_id], q.bank_id)
            for q in questions]


def analyze_prepared(prepared: PreparedQuestion, answer: str, *, backend: str = "auto",
                     spoken_seconds: float | None = None) -> feedback.Report:
    """The feedback report for one answer, with no database work; raises feedback.AnswerTooLong.

    `spoken_seconds`: a spoken answer's measured speaking time (its transcription's), None for a typed one."""
    return feedback.analyze(prepared.question, answer, backend=feedback.load_backend(backend),
                            lexicon=prepared.lexicon, spoken_seconds=spoken_seconds)


def analyze_answer(session: Session, question: Question, answer: str, *, backend: str = "auto") -> feedback.Report:
    """The feedback report for one answer; raises feedback.AnswerTooLong above the limit."""
    return analyze_prepared(prepare(session, question), answer, backend=backend)


def analyze_many(session: Session, pairs: Sequence[tuple[Question, str]], *,
                 backend: str = "auto") -> list[feedback.Report]:
    """Reports for many (question, answer) pairs, in order, with the model loaded once.

    Pairs are grouped by bank, so each group is scored with its own lexicon in one engine call.
    """
    loaded = feedback.load_backend(backend)
    answers = example_answers_for(session, list({q.id for q, _ in pairs}))
    by_bank: dict[int, list[int]] = {}
    for index, (question, _) in enumerate(pairs):
        by_bank.setdefault(question.bank_id, []).append(index)
    reports: list[feedback.Report | None] = [None] * len(pairs)
    for bank_id, indexes in by_bank.items():
        group = [(to_engine_question(pairs[i][0], answers.get(pairs[i][0].id)), pairs[i][1]) for i in indexes]
        scored = feedback.analyze_many(group, backend=loaded, lexicon=bank_lexicon(session, bank_id))
        for index, report in zip(indexes, scored, strict=True):
            reports[index] = report
    return reports  # type: ignore[return-value]
