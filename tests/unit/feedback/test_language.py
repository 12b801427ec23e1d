"""An answer in another language than English is told what the report can and cannot read of it."""

from __future__ import annotations

import pytest

from rehearse.feedback import analyze
from rehearse.feedback.language import other_language

from .conftest import UNDERPERFORMER

IN_OTHER_LANGUAGES = [
    ("Portuguese", "Primeiro eu conversei com ele em particular para entender o que estava acontecendo, "
                   "e depois fizemos um plano de seis semanas com metas claras e uma revisão toda sexta."),
    ("Spanish", "Primero hablé con él a solas para entender qué pasaba, y después hicimos un plan de seis "
                "semanas con metas claras y una revisión cada viernes."),
    ("German", "Zuerst habe ich mit ihm unter vier Augen gesprochen, um zu verstehen, was los war, und dann "
               "haben wir einen Plan für sechs Wochen mit klaren Zielen gemacht."),
    ("French", "D'abord je lui ai parlé seul à seul pour comprendre ce qui se passait, puis nous avons fait un "
               "plan de six semaines avec des objectifs clairs et une revue chaque vendredi."),
    ("Italian", "Prima ho parlato con lui da solo per capire cosa stava succedendo, e poi abbiamo fatto un piano "
                "di sei settimane con obiettivi chiari e una revisione ogni venerdì."),
    ("Dutch", "Eerst heb ik met hem apart gesproken om te begrijpen wat er aan de hand was, en daarna hebben we "
              "een plan van zes weken gemaakt met duidelijke doelen."),
]

ENGLISH_NOTES = [
    "- Context: fintech, 40 engineers, Go services.\n- Problem: p95 latency 900ms, churn up 3%.\n"
    "- Fix: cache layer, SLOs, on-call rota.\n- Result: p95 180ms in 6 weeks.",
    "Cut scope to checkout. Told VP early. Shipped on time. Churn flat.",
    "I sat down with him privately, asked what was going on, and we agreed a six-week plan with weekly check-ins.",
]


@pytest.mark.parametrize(("language", "answer"), IN_OTHER_LANGUAGES)
def test_an_answer_in_a_common_language_is_known_by_its_own_function_words(language, answer):
    assert other_language(answer) == language


@pytest.mark.parametrize("answer", ENGLISH_NOTES)
def test_english_notes_with_few_stopwords_are_not_taken_for_another_language(answer):
    assert other_language(answer) is None


def test_the_report_says_first_that_it_reads_structure_specifics_and_delivery_in_english_only(backend):
    language, answer = IN_OTHER_LANGUAGES[0]
    report = analyze(UNDERPERFORMER, answer, backend=backend)
    note = report.suggestions[0]
    assert note.kind == "language" and language in note.message and "English only" in note.message
    english = analyze(UNDERPERFORMER, ENGLISH_NOTES[2], backend=backend)
    assert not any(s.kind == "language" for s in english.suggestions)
