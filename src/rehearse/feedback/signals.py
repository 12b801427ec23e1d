"""Rule-based signals of an answer: question kind, concreteness, specificity (structure: star.py;
delivery: delivery.py)."""

from __future__ import annotations

import re

from . import text as _text

# delivery, WORDS_PER_MINUTE and TARGET_SECONDS are read here too (the engine, the web pages)
from .delivery import CLICHES, TARGET_SECONDS, WORDS_PER_MINUTE, clock, count_phrases, delivery  # noqa: F401
from .lexicon import Lexicon
from .models import Specificity
from .specifics import DATE as _DATE
from .specifics import DIGIT as _DIGIT
from .specifics import GENERIC_SPECIFIC_PHRASES, GENERIC_SPECIFICS, bare_marker, in_date, named_day, named_tools
from .specifics import NUMBER as _NUMBER
from .specifics import PRACTICES as _PRACTICES
from .specifics import TIME_FRAME as _TIME_FRAME
from .star import FIRST_PERSON_ACTION

_BEHAVIOURAL = re.compile(
    r"\b(tell (me|us) about a (time|situation|moment|project)|describe an? (time|situation|"
    r"moment|occasion|project|instance|example)|give (me |us )?an? (example|instance)|share an? "
    r"(example|experience|time|story)|walk (me|us) through an? (time|situation|project)|"
    r"(have you|did you) ever|when (was|did) the last time|recall a time|talk about a time|"
    r"what (was|is) the (hardest|toughest|most difficult|biggest)|can you think of a time)\b",
    re.I,
)
_SITUATIONAL = re.compile(
    r"\b(how (would|will|do|should|could|can) you|what would you|what'?s your approach|"
    r"what is your approach|what (is|are) your (strategy|process|framework|plan)|imagine|"
    r"suppose|if you (were|had|joined|inherit)|say you|what steps|how do you (approach|handle|"
    r"decide|build|measure|ensure|manage|balance|structure|run|scale|think))\b",
    re.I,
)


def detect_kind(question_text: str) -> str:
    """'behavioural', 'situational' or 'other' from the wording of the question."""
    if _BEHAVIOURAL.search(question_text):
        return "behavioural"
    if _SITUATIONAL.search(question_text):
        return "situational"
    return "other"


# Words that sound like an answer and say nothing on their own: a sentence made of them is
# keyword-stuffing, however close it sits to the rubric.
_BUZZ = re.compile(
    r"\b(leverag\w*|synerg\w*|holistic\w*|paradigm\w*|ecosystem\w*|best[- ]practices?|world[- ]class|"
    r"cutting[- ]edge|state[- ]of[- ]the[- ]art|data[- ]driven|value[- ](?:add|driven)|empower\w*|"
    r"streamlin\w*|robust|seamless\w*|proactive\w*|innovat\w*|transformation\w*|mindset|"
    r"north[- ]star|alignment|align|stakeholders?|strategic\w*|impactful|end[- ]to[- ]end|"
    r"cross[- ]functional\w*|excellence|frameworks?|optimi[sz]\w*|scalab\w*|agile|"
    r"visibility|transparen\w*|accountab\w*|outcomes?|drive|driving|enablement|"
    r"game[- ]changer|move the needle|deliver value|key|crucial|critical|essential|vital)\b", re.I)
_PROPER = re.compile(r"(?<=[a-z,;:] )[A-Z][a-zA-Z0-9]+")  # a capitalised word inside a sentence: a name
_ACTION = re.compile(FIRST_PERSON_ACTION, re.I)


def concreteness(sentence: str) -> tuple[int, int, int]:
    """(concrete markers, buzzwords, words) of one sentence.

    Markers: numbers, time frames, named practices or tools, names, and first-person
    actions ("I moved", "we split"): what a hiring manager could check.
    """
    markers = (len(_NUMBER.findall(sentence)) + len(_TIME_FRAME.findall(sentence))
               + len(_PRACTICES.findall(sentence)) + len(_PROPER.findall(sentence))
               + len(_ACTION.findall(sentence)))
    return markers, len(_BUZZ.findall(sentence)), len(sentence.split())



# an item of a list the candidate wrote: a bullet or "1." at a line's start, or "2) …" inline
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+\S|(?:^|(?<=[.:;]\s))\d{1,2}\)\s+(?=[A-Za-z])", re.M)


def list_items(raw: str) -> int:
    """How many list items the answer, as written, holds: each is a step laid out."""
    return len(_LIST_ITEM.findall(raw))


# A number that is part of a name or no amount: "SOC 2", "ISO 27001" (after an acronym), "One Friday"
# (one day, not a count), "cost per thousand queries" (a rate's unit)
_ACRONYM_BEFORE = re.compile(r"\b[A-Z]{2,}[ -]$")
_ONE_DAY = re.compile(r"\s+(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|morning|afternoon|evening|"
                      r"night|weekend)\b", re.I)


def _names_no_amount(answer: str, m: re.Match) -> bool:
    figure = m.group(0).strip()
    before = answer[: m.start()]
    if figure.isdigit() and _ACRONYM_BEFORE.search(before):
        return True
    if figure.lower() == "one" and _ONE_DAY.match(answer, m.end()):
        return True
    return figure.lower() in ("hundred", "thousand", "million") and before.rstrip().lower().endswith("per")


def _list_marker(answer: str, m: re.Match) -> bool:
    """"2)" opening a list item ("…a quarter. 2) What is the exit cost") counts nothing."""
    before = answer[: m.start()].rstrip()
    return (m.group(0).strip().isdigit() and len(m.group(0).strip()) <= 2
            and answer[m.end(): m.end() + 1] == ")" and (not before or before[-1] in ".:;\n"))


def _one_line(found: str) -> str:
    """A specific as a chip shows it: one line, single spaces ("for two sprints", never "for two\nsprints")."""
    return " ".join(found.split())


def _once(items) -> tuple[str, ...]:
    """Each item once, whatever its case, as first written ("SLOs", not "slos")."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return tuple(seen.values())


def _derived(word: str, term: str | None) -> bool:
    """`word` is a job term's adverb ("safely", "clinically" of "safe", "clinical"): how, not what (a
    bank's own terms are never adverbs: lexicon)."""
    return term is not None and word != term and word.endswith("ly") and not term.endswith("ly")


# what stands before a verb, not a noun: "I didn't blame", "I'd invest", "we commit", "to own" (a word of
# the bank's used as a verb is something done, told as an action, not a thing an interviewer could check;
# "to" is left out: "to partners" as often as "to own")
_BEFORE_A_VERB = frozenset("""
    i we you they he she i'd we'd i'll we'll they'd would will can could should must might didn't don't
    doesn't won't wouldn't never always
""".split())  # noqa: SIM905
# endings that make another word of a bank's word with the same stem: "balancer" (of "load balancer") is
# no "balance", "processing" (of "stream processing") no "process"
_OTHER_WORD_ENDINGS = ("er", "ers", "ing")


def _another_word(written: str, display: str) -> bool:
    """The answer's word is the bank's term made another word (a derivation, not an inflection)."""
    return written != display and any(written.endswith(e) and not display.endswith(e) for e in _OTHER_WORD_ENDINGS)


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def _says_nothing(term: str, written: str, cliched: set[str], display: str = "") -> bool:
    """A job term that is no specific: a word of everyday English alone ("code", "customer"), or
    made only of words the report calls buzzwords or clichés (`cliched`: stems of the clichés the
    answer used; "stakeholder", and "practices" where it says "best practices"), or a term the answer
    writes in the past tense and the bank does not (`display`: "drafted", "shipped" for "draft", "ship"):
    what was done, told as an action, not a thing of the job an interviewer could check."""
    parts = term.split()
    if len(parts) == 1 and (written in _text.PLAIN_ALONE_WORDS or (written.endswith("ed") and written != display)
                            or _another_word(written, display.lower())):
        return True
    # values, aims and people in general ("leadership", "senior", "psychological safety", "staff")
    if written in GENERIC_SPECIFIC_PHRASES:
        return True
    return all(part in cliched or word in GENERIC_SPECIFICS or _singular(word) in GENERIC_SPECIFICS
               or _BUZZ.fullmatch(word)
               for part, word in zip(parts, written.split(), strict=False))


def specificity(answer: str, lexicon: Lexicon | None, echo: frozenset[str] = frozenset()) -> Specificity:
    """Numbers, time frames, named practices and the bank's job terms found in the answer.

    `echo`: stems of the question and its talking points. A job term the answer only repeats
    from them ("evidence", "improvement plan") is the rubric read back, not a specific. Neither
    buzzwords nor words for people in general ("leadership", "staff", "nurses") are specifics, nor a
    list's marker or a table's cell ("0"), nor "1:1" (a practice) a number."""
    answer = _text.without_labels(answer)  # "Situation: we had…": a heading, not a specific
    # "6 weeks" of "in 6 weeks" is a quantity and a time frame, and counts as both (a report lists it
    # once: practice.report_view.specifics_shown)
    # a date's figures ("by 1 October", "Q3 2022") are its time frame's, no numbers of their own
    dates = [m.span() for m in _DATE.finditer(answer)]
    numbers = _once(_one_line(m.group(0)) for m in _NUMBER.finditer(answer)
                    if not _list_marker(answer, m) and not bare_marker(answer, m) and not _names_no_amount(answer, m)
                    and not in_date(m.span(), dates))
    frames = _once(_one_line(m.group(0)) for m in _TIME_FRAME.finditer(answer) if not named_day(answer, m))
    # a practice the question itself names ("SLOs and error budgets") is read back, not a specific
    practices = _once(_one_line(p) for p in [m.group(0) for m in _PRACTICES.finditer(answer)] + named_tools(answer)
                      if not all(_text.stem(w) in echo for w in _text.words(p)))
    # "CI" and "CD" beside "CI/CD", "SOC" beside "SOC 2": the one practice
    parts = {part.lower() for p in practices for part in re.split(r"[/ ]", p) if part != p}
    practices = tuple(p for p in practices if p.lower() not in parts)
    terms: list[str] = []
    if lexicon is not None and lexicon.job_terms:
        ws = _text.words(answer)
        stems = [_text.stem(w) for w in ws]
        # each job term as the candidate wrote it ("commits", not the bank's "commitments"); a term
        # told only as an adverb ("safely") is how, not what
        written: dict[str, str] = {}
        for i, st in enumerate(stems):
            if not _derived(ws[i], lexicon.job_terms.get(st)) and not (i and ws[i - 1] in _BEFORE_A_VERB):
                written.setdefault(st, ws[i].removesuffix("'s"))
            if i + 1 < len(stems):
                written.setdefault(st + " " + stems[i + 1], ws[i] + " " + ws[i + 1])
        cliched = {_text.stem(w) for c in count_phrases(answer.lower(), CLICHES) for w in _text.words(c)}
        found = [s for s in lexicon.job_terms if s in written and not all(part in echo for part in s.split())
                 and not _says_nothing(s, written[s], cliched, lexicon.job_terms[s])]
        # a term inside a longer one, or sharing a word with a named practice, is listed once: "pull
        # requests", not "requests" beside it; "code reviews" or "DORA" as a practice, not again as a
        # term ("review", "dora metrics")
        named = {_text.stem(w) for p in practices for w in _text.words(p)}
        longer = [set(s.split()) for s in found if " " in s]
        terms = list(dict.fromkeys(
            written[s] for s in found
            if not set(s.split()) & named and not any(set(s.split()) < other for other in longer)))
    digits = sum(1 for n in numbers if _DIGIT.search(n))
    raw = (min(digits, 3) * 1.0 + min(len(numbers) - digits, 2) * 0.5 + min(len(frames), 2) * 0.75
           + min(len(practices), 3) * 0.75 + min(len(terms), 6) * 0.25)
    score = min(1.0, raw / 5.0)  # five "units" of specifics make a fully specific answer
    return Specificity(numbers, frames, practices, tuple(terms[:25]), round(score, 3))
