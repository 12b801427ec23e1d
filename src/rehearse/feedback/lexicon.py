"""Bank context for the engine: job terms, word rarity, and the other questions of the bank."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from collections.abc import Iterable

from . import text as _text
from .models import Question

MIN_TERM_QUESTIONS = 2  # a job term must appear in at least this many questions' material
MAX_JOB_TERMS = 400  # keep the list readable in a report


_CLAUSE_BREAK = re.compile(r"[.,;:!?()\n]+")
# numbers in words are counted as numbers; as job terms they counted twice ("the ones that
# matter" in a guidance line made "ones" a term that any "one" in an answer matched)
NUMBER_STEMS = frozenset(_text.stem(w) for w in (
    "zero", "one", "ones", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "fifteen", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds",
    "thousand", "thousands", "million", "millions", "dozen", "half", "double", "twice", "triple"))


def _plain(w: str) -> bool:
    """A word that can be part of a job term: not a stopword, vague, generic or a number."""
    if w in _text.STOPWORDS or w in _text.VAGUE or len(w) < 3 or w[0].isdigit() or w.endswith("ly"):
        return False
    stem = _text.stem(w)
    return stem not in _text.GENERIC_STEMS and stem not in NUMBER_STEMS


class Lexicon:
    """Job terms and term rarities learned from a bank's questions (intents, examples)."""

    def __init__(self, questions: tuple[Question, ...], job_terms: dict[str, str],
                 idf: dict[str, float]) -> None:
        self.questions = questions
        self.job_terms = job_terms  # stem -> display form
        self.idf = idf  # stem -> inverse document frequency over the bank's questions
        # everything the bank-wide caches are built from (word indexes, heads), so a bank
        # whose example answer or points were edited never reads a stale index
        h = hashlib.blake2b(digest_size=12)
        for q in questions:
            for part in (q.text, q.intent or "", "\x1f".join(q.talking_points), q.example_answer or ""):
                h.update(part.encode("utf-8", "surrogatepass"))
                h.update(b"\x00")
            h.update(b"\x1e")
        self.key = h.hexdigest()
        self._default_idf = math.log(1 + len(questions)) + 1.0 if questions else 1.0

    def __repr__(self) -> str:
        return f"Lexicon({len(self.questions)} questions, {len(self.job_terms)} job terms)"

    @classmethod
    def from_questions(cls, questions: Iterable[Question]) -> Lexicon:
        """Learn job terms and word rarities from the questions of a bank."""
        qs = tuple(questions)
        df: Counter[str] = Counter()
        term_df: Counter[str] = Counter()
        surface: dict[str, Counter[str]] = {}
        for q in qs:
            material = " ".join([q.text, q.intent or "", " ".join(q.talking_points),
                                 q.example_answer or ""])
            df.update(set(_text.content_stems(material)))
            # job terms come from what the bank says a good answer contains: single words from the
            # guidance and talking points only (an example answer's story is full of plain words
            # such as "told" or "nobody"), two-word terms from the example answer too
            guidance = " ".join([q.intent or "", " ".join(q.talking_points)])
            source = guidance + ". " + (q.example_answer or "")
            seen: set[str] = set()
            for clause in _CLAUSE_BREAK.split(guidance):
                for w in _text.words(clause):
                    # a past participle alone ("picked", "mapped") is how, not what
                    if _plain(w) and not w.endswith("ed"):
                        s = _text.stem(w)
                        surface.setdefault(s, Counter())[w] += 1
                        seen.add(s)
            # terms never span a sentence or clause boundary
            for clause in _CLAUSE_BREAK.split(source):
                ws = _text.words(clause)
                # two-word terms ("error budget", "code review")
                for a, b in zip(ws, ws[1:], strict=False):
                    if _plain(a) and _plain(b):
                        s = _text.stem(a) + " " + _text.stem(b)
                        surface.setdefault(s, Counter())[a + " " + b] += 1
                        seen.add(s)
            term_df.update(seen)
        n = max(1, len(qs))
        idf = {s: math.log((1 + n) / (1 + d)) + 1.0 for s, d in df.items()}
        # a job term recurs across the bank but is not everywhere (then it is just "team")
        min_q = MIN_TERM_QUESTIONS if n >= 4 else 1
        cands = [(s, d) for s, d in term_df.items() if d >= min_q and d <= max(2, 0.6 * n)
                 and s not in _text.GENERIC_STEMS]
        cands.sort(key=lambda sd: (-sd[1], sd[0]))
        job_terms = {s: surface[s].most_common(1)[0][0] for s, _ in cands[:MAX_JOB_TERMS]}
        return cls(qs, job_terms, idf)

    def weight(self, stem: str) -> float:
        """Rarity weight of a stem in this bank (unknown stems count as rare)."""
        return self.idf.get(stem, self._default_idf)
