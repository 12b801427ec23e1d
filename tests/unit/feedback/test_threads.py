"""Many threads scoring at once get exactly what one thread gets."""

from __future__ import annotations

import json
import random
import string
from concurrent.futures import ThreadPoolExecutor

import snowballstemmer

from rehearse.feedback import analyze
from rehearse.feedback import text as feedback_text

from .conftest import INCIDENTS, STRATEGY, UNDERPERFORMER

ANSWERS = [
    (STRATEGY, "I would listen for a month, then plan three phases with milestones. We would pause "
               "features for a quarter to pay down debt, and every goal maps to an OKR."),
    (UNDERPERFORMER, "An engineer on my team had three reverts in a month. I checked his work, agreed a "
                     "six-week plan with weekly pairing, and by week five he shipped with no reverts."),
    (INCIDENTS, "Severity levels, an on-call rotation, blameless postmortems with owners for each "
                "action, and mean time to recovery on a monthly chart."),
]


def test_stems_of_new_words_are_right_when_eight_threads_stem_at_once():
    reference = snowballstemmer.stemmer("english")
    rng = random.Random(7)
    words = ["".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(6, 16))) + suffix
             for suffix in ("ational", "ization", "fulness", "ingly", "ments") for _ in range(800)]
    feedback_text.stem.cache_clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        stems = list(pool.map(feedback_text.stem, words))
    wrong = [(w, s) for w, s in zip(words, stems, strict=True) if s != reference.stemWord(w)]
    assert wrong == []


def test_eight_threads_scoring_the_same_answers_give_the_reports_of_one_thread(backend, lexicon):
    def report(pair):
        question, answer = pair
        return json.dumps(analyze(question, answer, backend=backend, lexicon=lexicon).to_dict(), sort_keys=True)

    alone = [report(pair) for pair in ANSWERS]
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(report, ANSWERS * 8))
    assert together == alone * 8


def test_eight_threads_building_the_bank_caches_at_once_give_the_reports_of_one_thread(backend, lexicon):
    """The bank-wide caches (word index, hashed overlap vectors, prepared questions) are built
    by whichever thread asks first; eight asking at once must see the same finished index."""
    from rehearse.feedback import bankwords, prepare

    def report(pair):
        question, answer = pair
        return json.dumps(analyze(question, answer, backend=backend, lexicon=lexicon).to_dict(), sort_keys=True)

    alone = [report(pair) for pair in ANSWERS]
    for cache in (bankwords._INDEXES, prepare._BANKS, prepare._PREPARED):
        cache.clear()
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(report, ANSWERS * 8))
    assert together == alone * 8
