"""Text handling for the feedback engine: cleaning, sentences, words, stems, synonyms."""

from __future__ import annotations

import html
import re
import threading
from functools import lru_cache

import snowballstemmer

# A Snowball stemmer keeps its working buffer on the object, so two threads sharing one
# corrupt each other's stems: every thread gets its own.
_STEMMERS = threading.local()

# Real HTML only: a known element's tag or a comment. "< 200 ms", "List<String>" and "a -> b"
# are what engineers type, and stay as written.
_HTML_NAMES = (
    "a|abbr|article|aside|b|big|blockquote|body|br|button|caption|center|cite|code|col|dd|del|details|"
    "div|dl|dt|em|figcaption|figure|font|footer|form|h[1-6]|head|header|hr|html|i|img|input|ins|kbd|label|"
    "li|link|main|mark|meta|nav|ol|p|pre|q|s|samp|section|small|span|strike|strong|style|sub|summary|sup|"
    "table|tbody|td|tfoot|th|thead|title|tr|tt|u|ul|var"
)
HTML_TAG = re.compile(rf"<!--.*?-->|</?(?:{_HTML_NAMES})(?:\s[^<>]{{0,400}})?/?>", re.I | re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.I | re.S)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_EMPH = re.compile(r"(\*\*|__|\*|~~|`+)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*", re.M)
_MD_QUOTE = re.compile(r"^\s{0,3}>\s?", re.M)
_MD_RULE = re.compile(r"^\s*([-*_]\s*){3,}$", re.M)
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d{1,2}[.)])\s+", re.M)
_BLOCK_TAGS = re.compile(r"</?(p|div|li|ul|ol|br|h[1-6]|tr|table|section|blockquote)\b[^>]*>", re.I)
_WS = re.compile(r"[ \t\f\v\u00a0]+")
# Bidirectional overrides and isolates reorder how a quote is displayed ("Trojan source"); an
# answer's words never need them
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069]")
_SPACE_PUNCT = re.compile(r" ([.,;:!?])(?=\s|$)")

# A sentence ends at . ! ? (optionally followed by a quote/bracket) before whitespace and
# a capital, digit or quote; common abbreviations are protected first.
_ABBREV = re.compile(r"\b(e\.g|i\.e|etc|vs|mr|mrs|ms|dr|inc|ltd|approx|no|jr|sr)\.", re.I)
# The closing quote or bracket stays with its sentence: 'ask privately, "How are you really doing?"'
# is quoted with both its quotes
_SENT_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)\]]))\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_CLAUSE = re.compile(r"\s*;\s*|\s+(?:—|–|-{2})\s+")

LONG_SENTENCE_WORDS = 45  # MiniLM reads up to 256 tokens; shorter units also localise evidence
WINDOW = 30  # words in each piece of a run-on sentence
# A 20,000-character answer of real prose has about 150 sentences; beyond this many units
# (thousands of one-word lines) neighbours are packed together, so the cost of an answer
# is bounded by its length, not by how often it breaks lines.
MAX_UNITS = 160
_WORD = re.compile(r"[a-z0-9]+(?:[-'’][a-z0-9]+)*")


def clean(text: str) -> str:
    """Strip pasted HTML (tags, entities) and Markdown markup; keep one line per block/bullet.

    Only real HTML tags are stripped: "< 200 ms" and "List<String>" are kept as typed."""
    t = _BIDI.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    if "<" in t and HTML_TAG.search(t):  # pasted HTML: its tags go, its text stays
        t = _SCRIPT.sub(" ", t)
        t = _BLOCK_TAGS.sub("\n", t)
        t = HTML_TAG.sub(" ", t)
    t = html.unescape(t)
    t = _join_broken_lines(t)
    t = _MD_LINK.sub(r"\1", t)
    t = _MD_RULE.sub("", t)
    t = _MD_HEADING_LINE.sub(_heading_content, t)
    t = _MD_QUOTE.sub("", t)
    t = _BULLET.sub("", t)
    t = _MD_EMPH.sub("", t)
    t = _WS.sub(" ", t)
    t = _SPACE_PUNCT.sub(r"\1", t)
    lines = [ln.strip() for ln in t.split("\n")]
    return "\n".join(ln for ln in lines if ln and not _LONE_LABEL.fullmatch(ln))


# a line that ends a sentence (or introduces what follows), and one that goes on with a sentence
_ENDS_SENTENCE = re.compile(r"[.!?:;][\"'”’)\]]*[ \t]*$")
_GOES_ON = re.compile(r"[ \t]*[a-z]")


def _join_broken_lines(text: str) -> str:
    """A line break inside a sentence (a transcript or a mail wrapped by hand: "look at what we\nplanned")
    reads as a space: the line does not end the sentence and the next goes on in lower case. A list's
    items ("- ", "1. "), a heading and a line that starts in capitals keep their breaks."""
    out: list[str] = []
    for line in text.split("\n"):
        if (out and out[-1].strip() and _GOES_ON.match(line) and not _ENDS_SENTENCE.search(out[-1])
                and not _MD_HEADING.match(out[-1])):
            out[-1] = out[-1].rstrip() + " " + line.lstrip()
        else:
            out.append(line)
    return "\n".join(out)


# A heading is where a part begins, not what the candidate said ("## Situation", "Result:" on its own line):
# it is never a unit, evidence or a specific; a heading that goes on after a STAR label ("## Result: 9 of 10
# sprints") keeps what follows the label
_STAR_LABEL = r"(?:situation|task|action|actions|result|results|outcome|outcomes|context|background)"
_MD_HEADING_LINE = re.compile(r"^[ \t]{0,3}#{1,6}(?:[ \t]+(.*))?$", re.M)  # "#1 priority" is no heading
_LONE_LABEL = re.compile(rf"{_STAR_LABEL}\s*[:.—–-]?", re.I)
_LEADING_LABEL = re.compile(rf"^[*_\s]*{_STAR_LABEL}[*_\s]*[:—–-][*_\s]*", re.I)


def _heading_content(m: re.Match) -> str:
    heading = m.group(1) or ""
    after_label = _LEADING_LABEL.sub("", heading, count=1)
    return after_label if after_label != heading else ""


def sentences(text: str) -> list[str]:
    """Split cleaned text into sentences (lines first, then sentence ends); split long ones."""
    out = [piece for sentence in whole_sentences(text) for piece in _split_long(sentence)]
    units = [s for s in out if _WORD.search(s.lower())]
    return _pack(units) if len(units) > MAX_UNITS else units


def whole_sentences(text: str) -> list[str]:
    """Cleaned text's sentences as written, long ones whole: what a reader is shown of an example."""
    out: list[str] = []
    for line in text.split("\n"):
        protected = _ABBREV.sub(lambda m: m.group(0).replace(".", "\u2024"), line)
        out.extend(part.replace("\u2024", ".").strip() for part in _SENT_END.split(protected))
    return [s for s in out if s]


def _pack(units: list[str]) -> list[str]:
    """Join consecutive units until each holds about its share of the words (at most MAX_UNITS)."""
    share = -(-sum(len(u.split()) for u in units) // MAX_UNITS)  # ceiling division
    packed: list[str] = []
    current: list[str] = []
    size = 0
    for unit in units:
        current.append(unit)
        size += len(unit.split())
        if size >= share:
            packed.append(" ".join(current))
            current, size = [], 0
    if current:
        packed.append(" ".join(current))
    return packed


def _split_long(sentence: str) -> list[str]:
    words = sentence.split()
    if len(words) <= LONG_SENTENCE_WORDS:
        return [sentence]
    pieces = [p for p in _CLAUSE.split(sentence) if p.strip()]
    if len(pieces) > 1:
        return [q for p in pieces for q in _split_long(p)]
    # a run-on sentence with no clause breaks: pieces of about WINDOW words, each ending at the
    # comma nearest that size where there is one ("…for a quarter,"), not in mid-phrase; never at a
    # colon, whose first half introduces the second ("the problem was not ability: he had never…")
    pieces, start = [], 0
    while len(words) - start > LONG_SENTENCE_WORDS:
        ends = [i for i in range(start + WINDOW // 2, min(start + LONG_SENTENCE_WORDS, len(words) - WINDOW // 3) + 1)
                if words[i - 1].endswith(",")]
        end = min(ends, key=lambda i: abs(i - start - WINDOW)) if ends else start + WINDOW
        pieces.append(" ".join(words[start:end]))
        start = end
    pieces.append(" ".join(words[start:]))
    return pieces


_LABEL = re.compile(r"^\s*(?:situation|task|action|actions|result|results|outcome|context|background)\s*[:—–-]\s+",
                    re.I)
# the same at the start of any line or sentence of an answer ("Situation: we had…")
_LABELS = re.compile(rf"(?:^|(?<=[.!?] ))[ \t]*{_STAR_LABEL}[ \t]*[:—–-][ \t]+", re.I | re.M)


def without_labels(text: str) -> str:
    """A text without the STAR labels its lines or sentences open with: a heading is not a specific."""
    return _LABELS.sub("", text)


def without_label(sentence: str) -> str:
    """A sentence without the STAR heading a model answer may open it with ("Task: we had to…"),
    for showing it on its own."""
    rest = _LABEL.sub("", sentence, count=1)
    return rest[:1].upper() + rest[1:] if rest else sentence


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return [w.replace("’", "'") for w in _WORD.findall(text.lower())]


STOPWORDS = frozenset(
    """
    a about above after again against all also am an and any are aren't as at be because
    been before being below between both but by can can't cannot could couldn't did
    didn't do does doesn't doing don't down during each either else even ever every few
    for from further get gets got had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm
    i've if in into is isn't it it's its itself just let let's like make made many may
    me might more most much must mustn't my myself need no nor not now of off on once
    one only or other ought our ours ourselves out over own per quite rather really said
    same say says see she she'd she'll she's should shouldn't so some such than that
    that's the their theirs them themselves then there there's these they they'd they'll
    they're they've thing things this those though through to too under until up upon us
    use used using very via was wasn't way we we'd we'll we're we've were weren't what
    what's when when's where where's whether which while who who's whom whose why why's
    will with within without won't would wouldn't yes yet you you'd you'll you're you've
    your yours yourself yourselves e.g i.e etc within well back lot lots
""".split()  # noqa: SIM905
)

# Words that carry no substance on their own in an interview answer (used to tell a
# keyword-only mention from a sentence that does something).
VAGUE = frozenset(
    """
    important importance key crucial critical essential vital always never think believe
    feel really very definitely basically actually generally usually often sometimes
    stuff thing things good great best better nice big huge lot lots kind sort type way
    ways everything something anything everyone someone people person aspect aspects
    area areas matter matters focus focused keep try tried trying want wanted like love
    passionate value values priority top level end day obviously clearly certainly truly
    simply make sure whole overall general
""".split()  # noqa: SIM905
)

# Small synonym groups of interview language: every member maps to the group's first word.
_SYNONYM_GROUPS = [
    "goal objective okr target aim",
    "metric measure kpi indicator measurement number",
    "stakeholder partner executive leadership sponsor",
    "hire recruit hiring recruiting recruitment candidate",
    "engineer developer programmer",
    "incident outage downtime breach",
    "postmortem post-mortem retrospective retro",
    "debt legacy",
    "deploy deployment release ship rollout launch",
    "customer user client",
    "plan roadmap",
    "prioritise prioritize priority triage",
    "tradeoff trade-off compromise",
    "feedback critique",
    "coach mentor mentoring coaching",
    "budget cost spend spending funding",
    "team squad group",
    "manager lead leader",
    "conflict disagreement dispute tension",
    "risk danger exposure",
    "test testing qa",
    "quality reliability",
    "communicate communication update inform share",
    "decide decision choice",
    "estimate estimation forecast sizing",
    "culture norms",
    "ceo founder cto board",
    "quarter quarterly",
    "improve improvement increase reduce reduction cut",
    "align alignment tie link map connect",
    "expectation expectations bar standard",
    "document documentation write-up writeup",
    "underperform underperformance underperforming struggling",
    "career growth promotion progression development",
    "remote distributed async asynchronous",
    "security vulnerability threat",
    "architecture design system",
    "velocity throughput speed",
    "scope requirement requirements",
    "process practice ritual",
]


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Snowball stem of one lower-case word (thread-safe; the cache is shared)."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word.replace("'", ""))


def _build_synonyms() -> dict[str, str]:
    table: dict[str, str] = {}
    for group in _SYNONYM_GROUPS:
        members = group.split()
        head = stem(members[0])
        for m in members:
            table.setdefault(stem(m), head)
    return table


SYNONYMS = _build_synonyms()


def content_stems(text: str) -> list[str]:
    """Stems of the content words (stopwords dropped), synonyms mapped to one form."""
    out = []
    for w in words(text):
        if w in STOPWORDS or len(w) < 2:
            continue
        s = stem(w)
        out.append(SYNONYMS.get(s, s))
    return out


def substance_words(text: str, exclude: frozenset[str] = frozenset()) -> list[str]:
    """Content words that are neither vague nor in `exclude` (stems): what the sentence adds."""
    out = []
    for w in words(text):
        if w in STOPWORDS or w in VAGUE or len(w) < 3:
            continue
        s = stem(w)
        s = SYNONYMS.get(s, s)
        if s in exclude or s in _VAGUE_STEMS:
            continue
        out.append(w)
    return out


_VAGUE_STEMS = frozenset(stem(w) for w in VAGUE)


def substance_stems(text: str) -> frozenset[str]:
    """Stems (synonyms folded) of the non-vague content words of a text."""
    out = set()
    for w in words(text):
        if w in STOPWORDS or w in VAGUE or len(w) < 3:
            continue
        s = stem(w)
        s = SYNONYMS.get(s, s)
        if s not in _VAGUE_STEMS:
            out.add(s)
    return frozenset(out)

# Words in every answer to every question: never a job term on their own (a specific answer names
# practices, tools, metrics; "making" or "issues" is not a specific), nor part of one.
GENERIC_WORDS = """
    able across add added agree agreed ahead already another answer ask asked away
    become began begin bring brought build built call called came case change changed
    clear come comes company context cover day days decide decided describe did done
    each early example explain face felt find first found gave give given goes going
    gone hand happen happened help helped hold how idea include including instead
    interview keep kept know knew last later lead learn learned least left less long
    look looked lost made main mean meant meet meeting met month months move moved name
    new next night number once open part people person place point points put question
    ran reason right run said second set show showed side since small someone start
    started step still take taken talk team teams tell than time times took turn turned
    two three four five six ten understand week weeks went whole work worked working
    year years would
    finally together real around roughly afterwards short needs need avoid staying
    creating handle list head missing specific write written shared check stopped owns
    dropped proposed measured percent getting explicit concrete offered noticed raising
    confirmed handled watch pay spend
    nobody everybody anybody everyone anyone along past pick chose choose chosen told
    wait waiting group groups fail failing map plan job jobs
    make makes making get gets got use uses using do does doing see saw seen think thought try
    tried want wants let lets letting leave leaves leaving act acting became becomes becoming
    break breaks breaking broke broken care cares caring catch follow follows following grow
    grows growing feel feels feeling hear heard lose loses losing treat treats rise rises rising
    matter matters stay stays carry consider considering provide providing focus focusing adjust
    adjusting address addressing admit admitting identify identifying ensure ensuring define
    defining maintain maintaining match matching protect protecting sacrifice sacrificing
    celebrate celebrating burn burning damage damages damaging impose imposing implement
    implementing reflect respond deal good better best bad worse worst easy easier hard harder
    high higher low lower full old current previous original similar single separate different
    possible necessary multiple common immediate existing other others wrong big large quick
    slow fast late simple difficult important major minor certain general various enough own
    ready sure thing things way ways lot kind sort area areas issue issues problem problems
    moment moments room date location luck effect shape spot path paths versus behind beyond mix
    under directly direct honestly honest cause caused causes causing depend depends depending
    expect expected expecting reduce reduced reducing regular regularly struggle struggling
    push pushed pushing update updated updating root core reliable split splitting observe
    observed progress result results involve involved sign signed fairly
""".split()  # noqa: SIM905
GENERIC_STEMS = frozenset(stem(w) for w in GENERIC_WORDS)
# Everyday words that are no job term on their own ("the code", "a mistake", "our customers") but
# can be part of one ("code review", "system design", "customer experience"): kept apart from
# GENERIC_WORDS, which no term may contain. A word specific to one field and plain in most answers
# ("model", "domain", "test") belongs here; the abstract nouns of keyword-stuffing ("quality",
# "trust", "growth") too, and the nouns of any project in any business ("risks", "deadline", "scope",
# "data", "platform"): alone they say nothing an interviewer could check. Matched as written, not
# by stem: "production" and "management" share one with "product" and "manager".
PLAIN_ALONE_WORDS = frozenset("""
    mistake mistakes error errors customer customers client clients user users experience
    experiences fix fixes fixed fixing guide guides code coding domain domains system systems
    option options design designs designed designing model models modelled modeled estimate
    estimates estimated estimating rewrite rewrites rewrote rewriting level levels diagnose
    diagnosed diagnosing test tests tested testing process processes decision decisions
    conversation conversations goal goals support supported supporting action actions task tasks
    solve solved success successful future realistic visible cheaper connect connected track
    tracked tracking concern concerns colleague colleagues close closed peer peers role roles
    behaviour behavior pressure engineer engineers engineering manager managers leader leaders
    business product products software technical quality trust trusted impact impacts
    improvement improvements growth communication culture deliberate feature features
    several term terms choice choices standard standards structured individual individuals default
    adopt adopted invested agreement agreements documented operated manageable stretched disagree
    frame framed costing bet bets poor
    risk risks mitigation mitigations loop loops formal informal requirement requirements deadline deadlines
    cost costs programme programmes program programs data review reviews operation operations request
    requests platform platforms scope delivery deliveries board boards disagreement disagreements communicate
    onboarding project projects resource meeting meetings
""".split())  # noqa: SIM905


_HEDGE_WORDS = frozenset(("maybe", "perhaps", "probably", "possibly", "guess", "somewhat",
                          "kinda", "sorta", "um", "uh", "honestly", "yeah"))


def plain_counts(text: str) -> tuple[int, int]:
    """(content words that are neither vague nor hedges, all content words) of a text."""
    ws = [w for w in words(text) if w not in STOPWORDS and len(w) > 1]
    plain = [w for w in ws if w not in VAGUE and w not in _HEDGE_WORDS
             and stem(w) not in _VAGUE_STEMS]
    return len(plain), len(ws)
