"""PURE: match a job posting's lines to questions, by meaning and by shared words, and show the job terms they share.

The posting is cut into phrases (its lines and sentences, prose as well as bullets, and the duties a sentence
lists at its commas, its "and"s and in brackets); its title, headings and sentences about the company are no
duty and give none. Each phrase is compared with each question in two ways, and a question is in a plan only
where one phrase matches it strongly; nothing fills a plan up to a count, and a posting none of whose lines
match strongly gets none.

* Meaning: the phrase as an e5 query ("query: <phrase>") against the question as a passage, cosine of the
  sentence vectors. A small e5 model puts any two sentences about work at a cosine of 0.8 and more, so the
  cosine is calibrated per question against the banks themselves: how many standard deviations closer the
  phrase is than the banks' other questions (as queries) are to it. A phrase close to every question ("you
  have managed engineers and talked to executives") lifts none of them in particular, so each phrase's mean
  over all questions is taken off (the lift).
* Words: BM25 of the phrase's stemmed words against the question's material (its text, intent and talking
  points), divided by the rarity of a word only one question uses, so that it reads as "about this many of
  the question's own words" whatever the size of the banks. A posting's business context ("a system that
  moves 2 billion euros a year") shares no rare word with any question and adds nothing here, while
  "postmortems" or "underperformance" point at the questions that use them. Everyday verbs ("moves",
  "runs") count EVERYDAY_WEIGHT of their rarity: "Northwind moves freight" is not about moving an organisation.

A question's strength is its best phrase's lift plus WORD_WEIGHT × its words (words alone without sentence
vectors); it belongs in a plan from STRONG (STRONG_WORDS) up. Its relevance, shown as a percentage, is the
strength over twice that bar: 50% is just strong enough, 100% twice as strong. The plan is for the role the
posting's title names, else the one it suggests ("Head of Engineering": Head of Software Engineering) where a few
of its lines confirm it, else, of the roles whose questions match ROLE_PHRASES of its phrases strongly, the one
whose best matches are strongest; with none there is no plan (see choose_role). Once the role is chosen, its
own questions count from OWN_ROLE_RELEVANCE. The bars, the weight, ROLE_PHRASES and OWN_ROLE_RELEVANCE were
chosen on the tuning half of benchmarks/data/postings (python -m benchmarks.plan_quality), never on the held-out
half.
The shared job terms shown are the distinctive ones (in few questions of the banks) that the question
shares with the phrase it matched.
"""

from __future__ import annotations

import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer

MAX_PHRASES = 150  # a long posting's first 150 lines and sentences carry its responsibilities
MIN_PHRASE_WORDS = 3  # "Benefits", "Apply now": headings, not responsibilities
CALIBRATION_SAMPLE = 400  # other questions each question is calibrated against: enough for a steady spread
# The bars below were set on the tuning postings (benchmarks/data/postings, labels.yaml): every posting of a
# role no bank covers refused, none of a covered role, and the most plan questions a coach would pick.
STRONG = 3.0  # strength a question needs to be in a plan: about three standard deviations of lift
STRONG_WORDS = 1.75  # the same without sentence vectors: nearly two of the question's rare words
WORD_WEIGHT = 0.8  # a rare word shared with the phrase counts 0.8 standard deviations of meaning
MIN_RELEVANCE = 0.5  # relevance is strength / (2 × the bar): a plan's questions are at 50% or more
OWN_ROLE_RELEVANCE = 0.42  # once the role is known, its own questions count from 42% (5/6 of the bar): a
# posting for the role makes its questions likelier to fit ("handle underperformance with care" -> turning around
# an underperforming engineer). Set on the tuning postings: recall 67% -> 81%, precision 86% -> 83%.
BM25_K1, BM25_B = 1.2, 0.75  # Robertson's usual term-frequency saturation and length normalisation
DISTINCTIVE_SHARE = 0.05  # a job term in more than 5% of the questions ("engineering", "team") explains nothing
_SENTENCE_END = re.compile(r"(?<=[.!?;])\s+")  # a sentence (or a clause before a semicolon) ends there
HEADING_WORDS = 15  # a title or heading is short; a line of more words says something
_PERSONS = frozenset({"you", "your", "we", "our", "us"})  # a sentence to the reader, not a heading
_CASED_WORD = re.compile(r"[A-Za-z][A-Za-z0-9+#-]*")
_TRAILING = " \t.,;:-–—…"  # what a shown excerpt drops at its end
_JOINED = re.compile(r"\s+(?:and|while|as well as|whilst)\s+")  # joins two duties
_BRACKETS = re.compile(r"\(([^()]*)\)")
_CLAUSE = re.compile(r"(,\s+(?:and\s+)?)")  # kept by split: a cut that is undone puts it back
_ADJECTIVE_ENDINGS = ("ous", "ful", "able", "ible", "less", "ical")  # endings nouns rarely have ("-ent",
# "-ive", "-al" they often do: incident, executive, proposal)
_ATTRIBUTIVE_WORDS = """
a an the our your their its his her this that these those every each any some no another
clear concise honest direct candid frank specific regular frequent timely early quick fast simple open fair
good great strong solid small large big high low new modern robust stable safe secure healthy hard kind
constructive effective efficient inclusive diverse proactive collaborative productive supportive
"""  # a comma after one of these is between two adjectives ("clear, actionable feedback") or a slip, never
# the end of a duty: the determiners, and the adjectives postings put before a noun
_ATTRIBUTIVE = frozenset(_ATTRIBUTIVE_WORDS.split())
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s*")
_WORD = re.compile(r"[a-z][a-z0-9+#-]*")
_STOP_WORDS = """
a an and are as at be been being but by can could did do does for from had has have how i if in  into is it
its may more most must no not of on or our out over should so some such than that  the their them then there
these they this those through to under up us very was we were what  when where which while who why will with
within without would you your yours about across  after also all any both each every few like make made many
much new other own same well able  ability work working strong experience years year team teams role company
help including  tell time describe give example
report reports reporting join joining looking ideal candidate candidates salary benefits apply hybrid remote
office location based
"""  # the last two lines: a posting's boilerplate ("you report to the Director", "apply now"), not duties
STOP = frozenset(_STOP_WORDS.split())
EVERYDAY_WEIGHT = 0.25  # an everyday word shared with a question counts a quarter of its rarity in the banks
_EVERYDAY_WORDS = """
move run build grow set get take put keep turn bring go come find show use hold start need want try call leave
begin let look mean seem feel stop open drive own handle create provide
"""  # common English verbs: a business line ("Northwind moves freight") shares them with a question by chance
# ("move an engineering organisation to continuous delivery"). A few banks of 80 questions use "move" rarely;
# English does not, and nouns that are also verbs ("lead", "change", "support") stay out: they name duties.


def _sentences(posting: str) -> list[tuple[str, bool]]:
    """The posting's sentences, each with whether its line was a bullet; bullets removed."""
    out = []
    for line in posting.splitlines():
        bulleted = _BULLET.match(line) is not None and bool(line.strip())
        for piece in _SENTENCE_END.split(_BULLET.sub("", line)):
            if piece.strip():
                out.append((piece.strip(), bulleted))
    return out


def heading(text: str, *, bulleted: bool = False) -> bool:
    """Whether a line names rather than says: a title ("Staff Software Engineer - Infrastructure", "Head of
    Engineering at Lumen Health."), a heading ("What you'll do", "Requirements:") or a line of names ("Lumen
    Pay · London"). Every word that could say a duty is capitalised, or there is none, or it ends with a
    colon; a sentence to the reader ("As VP you will report to the CEO") is not one, nor a bullet: it lists a
    duty, whatever its capitals ("Migrate to AWS and Kubernetes")."""
    if bulleted or len(text.split()) > HEADING_WORDS:
        return False
    words = _CASED_WORD.findall(text)
    said = [w for w in words if w.lower() not in STOP and len(w) > 2]
    addressed = bool(said) and any(w.lower() in _PERSONS for w in words)  # "As VP you will report to the CEO"
    return text.rstrip().endswith(":") or (all(w[0].isupper() for w in said) and not addressed)


def title(posting: str) -> str:
    """The posting's title: its first line, or where that line is a paragraph its first sentence."""
    first = next((line.strip() for line in posting.splitlines() if line.strip()), "")
    sentences = [piece for piece in _SENTENCE_END.split(first) if piece.strip()]
    return sentences[0].strip().rstrip(".") if len(sentences) > 1 and heading(sentences[0]) else first


def names(posting: str) -> frozenset[str]:
    """The names a posting uses: the capitalised words of its headings ("Northwind Logistics") and those
    capitalised in the middle of a sentence ("at Lumen Health"), stop words aside."""
    found = set()
    for text, bulleted in _sentences(posting):
        words = _CASED_WORD.findall(text)
        found.update(w for w in (words if heading(text, bulleted=bulleted) else words[1:])
                     if w[0].isupper() and w.lower() not in STOP)
    return frozenset(found)


def about_the_company(text: str, known: frozenset[str], *, bulleted: bool = False) -> bool:
    """Whether a sentence of prose is about the company, not the job: it opens with a name ("Northwind moves
    freight…", "Lumen is a 120-person healthtech company", "Card Payments processes…"). A bullet is a duty."""
    words = _CASED_WORD.findall(text)
    if bulleted or not words or words[0].lower() in STOP or not words[0][0].isupper():
        return False
    return words[0] in known or (len(words) > 1 and words[1][0].isupper() and words[1].lower() not in STOP)


def lines(posting: str) -> list[str]:
    """The posting's lines and sentences that are long enough to say something, bullets removed; not its
    titles and headings, which name the job or a section, nor what it says about the company: no duty."""
    known = names(posting)
    return [text for text, bulleted in _sentences(posting)
            if len(text.split()) >= MIN_PHRASE_WORDS and not heading(text, bulleted=bulleted)
            and not about_the_company(text, known, bulleted=bulleted)]


def excerpt(phrase: str | None) -> str | None:
    """A phrase as the user is shown it: without the punctuation its cut left at the end ("…five platform
    teams;" -> "…five platform teams"); a question mark stays."""
    return phrase.rstrip(_TRAILING) if phrase else phrase


def phrases(posting: str) -> list[str]:
    """The posting's lines and sentences (see `lines`), each followed by the duties it lists: its
    comma-separated clauses ("set the strategy, grow the team, run incidents well": one sentence is far from
    each question about one of them), and the parts of a clause joined by "and" or "while" or set in
    brackets ("coach engineers toward promotion and handle underperformance with care"). A sentence about the
    company gives the duties it joins ("Lumen is a healthtech company and we want someone to lead…": the
    second part)."""
    out = []
    known = names(posting)
    for text, bulleted in _sentences(posting):
        if len(text.split()) < MIN_PHRASE_WORDS or heading(text, bulleted=bulleted):
            continue
        clauses = _clauses(text)
        parts = [text, *(clauses if len(clauses) > 1 else [])]
        parts += [piece for clause in clauses for piece in _duties(clause)]
        for part in parts:
            if (len(part.split()) >= MIN_PHRASE_WORDS and part not in out
                    and not about_the_company(part, known, bulleted=bulleted)):
                out.append(part)
            if len(out) == MAX_PHRASES:
                return out
    return out


def _duties(clause: str) -> list[str]:
    """The duties a clause joins ("run weekly one-on-ones and give clear, actionable feedback": both), and
    what it says in brackets apart from the rest ("drive large migrations (our move from a monolith to
    services)"); nothing where it joins none."""
    bracketed = _BRACKETS.findall(clause)
    plain = " ".join(_BRACKETS.sub(" ", clause).split())
    pieces = [p.strip() for p in _JOINED.split(plain) if p.strip()]
    return [*(pieces if len(pieces) > 1 else []), *([plain] if bracketed else []), *bracketed]


def _clauses(text: str) -> list[str]:
    """The text cut at its commas (and ", and"), except a comma after a determiner or an adjective: a list of
    adjectives ("give clear, actionable feedback") is one duty, and its first piece would end in "clear"."""
    pieces = _CLAUSE.split(text)  # [clause, separator, clause, separator, …, clause]
    out = [pieces[0]]
    for separator, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        last = (_WORD.findall(out[-1].lower()) or [""])[-1]
        if last in _ATTRIBUTIVE or last.endswith(_ADJECTIVE_ENDINGS):
            out[-1] += separator + piece
        else:
            out.append(piece)
    return [c.strip() for c in out]


_local = threading.local()  # a snowball stemmer keeps state while it works: one per thread


@lru_cache(maxsize=50_000)  # words seen across banks and postings; a stem is ~1 µs cached, ~25 µs not
def _stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2]


@lru_cache(maxsize=1)
def everyday() -> frozenset[str]:
    """The stems of the everyday verbs ("moves", "moved", "moving": "move")."""
    return frozenset(_stem(w) for w in _EVERYDAY_WORDS.split())


def stems(text: str) -> list[str]:
    """The text's content words, stemmed, in order."""
    return [_stem(w) for w in _content_words(text)]


def terms(text: str) -> set[str]:
    """Stemmed content words and adjacent pairs of them."""
    found = stems(text)
    return set(found) | {f"{a} {b}" for a, b in zip(found, found[1:], strict=False)}


def written_forms(text: str) -> dict[str, str]:
    """Each stem of `terms(text)`'s single words with the word as the text first wrote it
    ("engin" -> "engineers"): what the user is shown."""
    out: dict[str, str] = {}
    for w in _content_words(text):
        out.setdefault(_stem(w), w)
    return out


def _title_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP]


def role_in_title(title: str, roles: dict[int, str]) -> int | None:
    """The role whose name's words the posting's title all says, in any order and among others ("Senior
    Engineering Manager, Payments" names Engineering Manager, "Staff Software Engineer" Staff Engineer),
    the longest name where several fit; None where none does."""
    words = set(_title_words(title))
    named = [(len(set(wanted)), -role_id) for role_id, name in roles.items()
             if (wanted := _title_words(name)) and set(wanted) <= words]
    return -max(named)[1] if named else None


_TITLE_PARTS = re.compile(r"\s+(?:[-–—|·/]|at|for)\s+|[,;:()\[\]|/–—]")  # where a title's job name ends:
# "Head of Engineering - Fernweh Travel", "… at Lumen Health", "…, Payments", "… (Software Engineering)"
_RANKS = frozenset({"senior", "interim", "acting"})  # "Interim Head of Engineering" is still that job


def _name_stems(text: str) -> set[str]:
    return {_stem(w) for w in _title_words(text)} - _RANKS


def roles_title_suggests(title: str, roles: dict[int, str]) -> list[int]:
    """The roles whose name a part of the title says with words left out ("Head of Engineering" for Head of
    Software Engineering): a part (cut at dashes, commas, brackets and "at") of two words or more, every one
    in the role's name, one of them not in every role's name ("head", not "engineering"). Of those, the roles
    sharing the most with it, each word weighed by its rarity among the names; all of them where several tie
    ("Head of Engineering" with Head of Data Engineering beside it), none where none fits."""
    names = {role_id: _name_stems(name) for role_id, name in roles.items()}
    frequency = Counter(stem for stems in names.values() for stem in stems)
    rarity = {stem: math.log(len(names) / n) for stem, n in frequency.items()}  # 0: in every role's name
    weight: dict[int, float] = {}
    for part in _TITLE_PARTS.split(title):
        said = _name_stems(part)
        if len(said) < 2:
            continue
        for role_id, stems in names.items():
            if said <= stems and max(rarity[s] for s in said) > 0:
                weight[role_id] = max(weight.get(role_id, 0.0), sum(rarity[s] for s in said))
    top = max(weight.values(), default=0.0)
    return sorted(role_id for role_id, w in weight.items() if w >= top - 1e-9) if weight else []


def title_names(title: str, roles: dict[int, str], role_id: int) -> str | None:
    """How the posting's title names a role: "named" (every word of its name), "suggested" (its name with
    words left out, see roles_title_suggests), or None."""
    if role_in_title(title, roles) == role_id:
        return "named"
    return "suggested" if role_id in roles_title_suggests(title, roles) else None


@dataclass(frozen=True)
class Match:
    index: int  # the question's position in the input
    relevance: float  # strength / (2 × the bar), 0-1: a plan's questions are at OWN_ROLE_RELEVANCE or more
    strength: float  # lift + WORD_WEIGHT × words of the phrase matched (words alone without vectors)
    meaning: float  # the raw cosine to the phrase matched (0 without vectors)
    phrase: str | None  # the posting's phrase it matched
    shared_terms: tuple[str, ...]


_PLAIN_ADVERBS = "fully mostly largely truly closely highly partly mainly nearly simply quickly easily newly"
_ADVERB = re.compile(r"[a-z]{2,}(?:al|ent|ant|ive|ous|ful|ate|ab|ib|ed|ing|less|ic|ct|ear|ete|ire|ick|ep|ose|ong|"
                     r"ure|ain)ly|[a-z]{3,}arly")  # "actually", "regularly", "quickly", "probably": an adjective
# made an adverb. Not "weekly", "quarterly", "family", "supply", "anomaly", "assembly": what they name may be a duty.


def plain_adverb(word: str) -> bool:
    """Whether a word is an everyday adverb ("actually", "clearly"): never a job term a line shares."""
    return word in _PLAIN_ADVERBS.split() or _ADVERB.fullmatch(word) is not None


def shown_terms(text: str) -> set[str]:
    """The stems of the text's single words that may be shown as shared with a question: not its adverbs
    ("actually" would show as "actual", a question's adjective)."""
    return {_stem(w) for w in _content_words(text) if not plain_adverb(w)}


@lru_cache(maxsize=1)
def plain_words() -> frozenset[str]:
    """Stems that are never shown as a shared job term, however rare in the banks: the everyday verbs, the
    feedback engine's everyday words and stop words ("stay", "becoming", "between"), and plain adverbs."""
    from rehearse.feedback.text import GENERIC_WORDS, STOPWORDS

    return everyday() | frozenset(_stem(w.replace("'", "")) for w in (*GENERIC_WORDS, *STOPWORDS,
                                                                      *_PLAIN_ADVERBS.split()))


def distinctive(question_terms: Sequence[set[str]]) -> set[str]:
    """The single-word terms found in few of the questions, everyday words aside: those that say what a
    question is about."""
    plain = plain_words()
    counts = Counter(t for own in question_terms for t in own if " " not in t and t not in plain)
    limit = max(2, DISTINCTIVE_SHARE * len(question_terms))
    return {t for t, n in counts.items() if n <= limit}


def _unit(vectors: np.ndarray) -> np.ndarray:
    return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def calibration(question_vectors: np.ndarray, query_vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per question, the mean and spread of the cosines of (a sample of) the banks' other questions, read
    as queries, to it: what "as close as any other question" is on this model's scale."""
    q, asked = _unit(question_vectors), _unit(query_vectors)
    step = max(1, len(q) // CALIBRATION_SAMPLE)
    sample = np.arange(0, len(q), step)[:CALIBRATION_SAMPLE]  # evenly spread: the same sample every time
    others = asked[sample] @ q.T  # (sample, questions)
    itself = sample[:, None] == np.arange(len(q))[None, :]
    if (~itself).sum(0).min(initial=len(sample)) < 2:  # one or two questions: nothing to calibrate against
        return np.zeros(len(q)), np.ones(len(q))
    kept = np.ma.masked_array(others, mask=itself)
    return np.asarray(kept.mean(0)), np.maximum(np.asarray(kept.std(0)), 1e-3)


def lift(phrase_vectors: np.ndarray, question_vectors: np.ndarray, query_vectors: np.ndarray
         ) -> tuple[np.ndarray, np.ndarray]:
    """(phrases, questions): the raw cosines, and each calibrated (standard deviations above the other
    questions' closeness to the question) less the phrase's mean over all questions."""
    cosine = _unit(phrase_vectors) @ _unit(question_vectors).T
    mean, spread = calibration(question_vectors, query_vectors)
    z = (cosine - mean) / spread
    return cosine, z - z.mean(1, keepdims=True)


@dataclass(frozen=True)
class WordIndex:
    """BM25 postings of the questions' material: stem -> (questions, weight)."""

    size: int
    weights: dict[str, tuple[np.ndarray, np.ndarray]]

    def words(self, text: str) -> np.ndarray:
        """The text's BM25 against every question (each distinct stem once), over the rarity of a word only
        one question uses: about how many of each question's own words the text uses."""
        out = np.zeros(self.size)
        for stem in set(stems(text)):
            hit = self.weights.get(stem)
            if hit is not None:
                out[hit[0]] += hit[1]
        return out / math.log((self.size + 1) / 1.5) if self.size > 1 else out


@lru_cache(maxsize=4)  # the banks change rarely: a plan reuses the index of the last one
def word_index(documents: tuple[str, ...]) -> WordIndex:
    counts = [Counter(stems(d)) for d in documents]
    n = len(counts)
    frequency = Counter(s for c in counts for s in c)
    common = everyday()
    rarity = {s: math.log((n + 1) / (f + 0.5)) * (EVERYDAY_WEIGHT if s in common else 1.0)
              for s, f in frequency.items()}
    lengths = [sum(c.values()) for c in counts]
    average = max(1.0, float(np.mean(lengths))) if lengths else 1.0
    postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for j, c in enumerate(counts):
        norm = 1 - BM25_B + BM25_B * lengths[j] / average
        for s, k in c.items():
            postings[s].append((j, rarity[s] * k * (BM25_K1 + 1) / (k + BM25_K1 * norm)))
    return WordIndex(n, {s: (np.array([j for j, _ in p], dtype=np.int64), np.array([w for _, w in p]))
                         for s, p in postings.items()})


def match(posting_phrases: Sequence[str], documents: Sequence[str], *, phrase_vectors: np.ndarray | None = None,
          question_vectors: np.ndarray | None = None, query_vectors: np.ndarray | None = None) -> list[Match]:
    """Every question (given by its material: text, intent, talking points) with its strength and relevance
    to the posting's phrases, strongest first (ties keep input order). The vectors are the phrases as
    queries, the questions as passages and, for calibration, the questions as queries (the passages where
    not given); without them the shared words alone count."""
    n = len(documents)
    has_vectors = (phrase_vectors is not None and question_vectors is not None and len(posting_phrases) > 0
                   and n > 0)
    index = word_index(tuple(documents))
    words = np.array([index.words(p) for p in posting_phrases]).reshape(len(posting_phrases), n)
    if has_vectors:
        cosine, lifted = lift(phrase_vectors, question_vectors,
                              query_vectors if query_vectors is not None else question_vectors)
        strength, bar = lifted + WORD_WEIGHT * words, STRONG
    else:
        cosine, strength, bar = np.zeros_like(words), words, STRONG_WORDS
    question_terms = [terms(d) for d in documents]
    telling = distinctive(question_terms)
    phrase_terms = [shown_terms(p) for p in posting_phrases]
    results = []
    for j in range(n):
        if not len(posting_phrases):
            results.append(Match(j, 0.0, 0.0, 0.0, None, ()))
            continue
        best = int(strength[:, j].argmax())
        value = float(strength[best, j])
        relevance = min(1.0, max(0.0, value / (2 * bar)))
        shown = value > 0
        results.append(Match(j, round(relevance, 4), round(value, 4), round(float(cosine[best, j]), 4),
                             posting_phrases[best] if shown else None,
                             tuple(sorted(question_terms[j] & telling & phrase_terms[best]))[:8] if shown else ()))
    return sorted(results, key=lambda m: (-m.strength, m.index))


ROLE_PHRASES = 4  # a role no title names fits when strong matches of its questions come from 4 of the
# posting's phrases or more: a sales or nursing posting has a line or three that read like a leadership
# question, a leader's has many. A short posting needs half as many as it has lines (two at least), and
# as it may list several duties in one sentence, its strong questions count, not the phrases they match.
# Among the roles that fit, the one whose matches add up to the most relevance is chosen (each phrase once).


def phrases_needed(lines: int) -> int:
    """How many of a posting's phrases (of its questions, for a short posting) must match a role's questions
    strongly for the role to fit it, where the title names none, for a posting of this many lines."""
    return max(2, min(ROLE_PHRASES, math.ceil(lines / 2)))


def choose_role(title: str, roles: dict[int, str], strong: Sequence[tuple[int, str | None, float]],
                lines: int) -> int | None:
    """The role a plan is for, from the questions strong enough for a plan ((role, phrase matched, relevance)
    triples) of a posting of this many lines and sentences; None when no role fits.

    * The role the posting's title names, where any question is among them (an "Engineering Manager,
      Platform" posting may match only another role's question on platform requests: the plan is still for
      an engineering manager).
    * Else the role the title suggests ("Head of Engineering": Head of Software Engineering), where its own
      questions match half as many phrases as a role needs to fit: the title is evidence, the lines confirm it.
    * Else, of the roles whose strong questions match phrases_needed of the posting's phrases, the one whose
      matches add up to the most relevance (a phrase counted once, at its best question): a role with a few
      questions that say the posting's duties almost word for word beats one with more that only clear the
      bar ("report to the CEO and the board")."""
    named = role_in_title(title, roles)
    if named is not None and strong:
        return named
    best: dict[int, dict[str | None, float]] = defaultdict(dict)  # role -> phrase (or question) -> relevance
    for number, (role, phrase, value) in enumerate(strong):
        key = phrase if lines >= ROLE_PHRASES else f"{number}"  # a short posting: each question counts
        best[role][key] = max(best[role].get(key, 0.0), value)

    def strength(role: int) -> tuple[float, int]:
        return round(sum(best[role].values()), 6), -role

    needed = phrases_needed(lines)
    suggested = [r for r in roles_title_suggests(title, roles) if len(best[r]) >= max(1, needed // 2)]
    if suggested:
        return max(suggested, key=strength)
    fitting = [r for r in list(best) if len(best[r]) >= needed]
    return max(fitting, key=strength) if fitting else None


def order(relevance: Sequence[float], weakness: Sequence[float]) -> list[int]:
    """Positions in the order to practise: relevant questions in the user's weakest competencies first."""
    priority = [r * (0.5 + w) for r, w in zip(relevance, weakness, strict=True)]  # weakness 0-1 lifts up to 3×
    return sorted(range(len(priority)), key=lambda i: (-priority[i], i))
