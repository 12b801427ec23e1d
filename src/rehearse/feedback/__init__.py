"""rehearse.feedback: a pure library that scores an interview answer against its question.

No web, no SQL, no clock, no network: question and answer in, a frozen Report out.
See README.md in this folder.
"""

from .backends import Backend, BackendUnavailable, load_backend, prepare_model, remember
from .engine import analyze, analyze_many, prepare_question
from .language import unreadable_script
from .lexicon import Lexicon
from .models import (
    MAX_ANSWER_CHARS,
    AnswerTooLong,
    BreakdownItem,
    Delivery,
    Question,
    Report,
    Specificity,
    Structure,
    Suggestion,
    TalkingPointResult,
)
from .prepare import rubric_vectors

__all__ = [
    "MAX_ANSWER_CHARS",
    "AnswerTooLong",
    "Backend",
    "BackendUnavailable",
    "BreakdownItem",
    "Delivery",
    "Lexicon",
    "Question",
    "Report",
    "Specificity",
    "Structure",
    "Suggestion",
    "TalkingPointResult",
    "analyze",
    "analyze_many",
    "load_backend",
    "prepare_model",
    "prepare_question",
    "remember",
    "rubric_vectors",
    "unreadable_script",
]
