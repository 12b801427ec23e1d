"""How an answer is said: length and speaking time, fillers, hedges, clichés, I vs we."""

from __future__ import annotations

import re
from collections import Counter

from . import language as _language
from . import text as _text
from .models import Delivery

WORDS_PER_MINUTE = 150  # a typical interview speaking rate
TARGET_SECONDS = (60, 180)  # about one to three minutes spoken
# a few seconds either side of the target is within it: "about 0:58 spoken" is a minute, said at a pace
# the estimate cannot know (no "too short" nag, no lost marks within a tenth of the range's ends)
LENGTH_TOLERANCE = 0.1
# an answer outside the target keeps at most this share of its delivery marks: the report shows
# delivery out of 5, and "5/5" beside "Too short: about 0:54 spoken" contradicts itself
OFF_TARGET_MAX = 0.8

FILLERS = ("um", "uh", "er", "erm", "hmm", "you know", "like,", "i mean", "basically",
           "literally", "so yeah", "kind of", "sort of", "stuff like that", "honestly")
# "actually" as a filler opens a clause or stands between commas ("Actually, we…", "so actually we"), not
# when it stresses what was done ("then actually reduce their workload", "it actually got stronger")
_ACTUALLY_FILLER = re.compile(r"(?:^|[.!?;:]\s*|\b(?:so|and|but|um|uh|like|yeah|well)\s+)actually\b|\bactually\s*,",
                              re.M)
# "like" as a filler without its comma: after a verb of being or another filler, before an adverb,
# a number or a verb ("the site was like really slow", "it's been like eight months"), not before
# what it compares with ("it was like a nightmare", "tools like Jira")
_LIKE_FILLER = re.compile(
    r"\b(?:was|were|is|are|been|be|'s|basically|just|so|and|um|uh|literally)\s+like\b(?!,)"
    r"(?!\s+(?:a|an|the|this|that|these|those|to|it|him|her|them|me|us|you|my|our|his|their|what|how)\b)")
# "I believe in X" states a value ("I believe in holistic care"); "I believe (that) we…" hedges
HEDGES = ("i think", "i guess", "i believe", "maybe", "perhaps", "probably", "possibly",
          "might", "i suppose", "hopefully", "not sure", "i feel like", "somewhat",
          "more or less")  # "kind of" and "sort of" are counted once, as fillers
CLICHES = ("at the end of the day", "people person", "team player", "outside the box",
           "hit the ground running", "synergy", "move the needle", "low-hanging fruit",
           "110%", "hundred and ten percent", "perfectionist", "work hard", "circle back",
           "touch base", "win-win", "game changer", "game-changer", "passionate",
           "go above and beyond", "think big", "bring to the table", "wear many hats",
           "best practice", "best practices", "results-driven", "self-starter", "it is what it is",
           "communication is key", "lead by example", "open door policy", "open-door policy",
           "committed to excellence", "drive outcomes", "driving outcomes", "drive results", "bias for action",
           "growth mindset", "at scale", "thought leader", "thought leadership", "detail-oriented",
           "detail oriented", "results-oriented", "go-getter", "best-in-class", "world-class", "world class",
           "cutting-edge", "paradigm shift", "value-add", "hard worker", "fast-paced environment")

# "maybe" repeated over a list of possibilities ("maybe workload, maybe something at home, or maybe…")
_LISTED_MAYBES = re.compile(r"\bmaybe\b[^,.;:!?]{1,50}(?:[,;]\s*(?:or\s+|and\s+)?maybe\b[^,.;:!?]{1,50})+")


def clock(seconds: float) -> str:
    """A speaking time as the report shows it everywhere, minutes and seconds ("0:51", "3:00"): one unit
    beside the target, whichever part of the report says it."""
    whole = int(round(seconds))
    return f"{whole // 60}:{whole % 60:02d}"


# who acted: the subject "I" against the subject "we"; "our team" and "my team" say whose, not who
# did it, and "us" is done to ("they asked us"), so an answer of "our …" is no answer of "we …"
_I = re.compile(r"\bi(?:'m|'ve|'d|'ll)?\b(?!\.e\b)", re.I)
_WE = re.compile(r"\bwe(?:'re|'ve|'d|'ll)?\b", re.I)


# "kind of" and "sort of" after a determiner mean what they say: "the same kind of problem", "this
# kind of thing", "what sort of test" (a filler hedges a verb or an adjective: "I kind of talked")
_DETERMINERS = ("this", "that", "these", "those", "what", "which", "same", "the", "a", "an", "any", "every",
                "each", "some", "no", "one", "another", "other", "whatever", "different", "similar", "right",
                "my", "our", "your", "his", "her", "their", "its")
_LITERAL_AFTER = "".join(rf"(?<!\b{d} )" for d in _DETERMINERS)
_LITERAL = {"kind of", "sort of"}
# "looks like," and "sounds like," compare ("what good practice looks like, who will buddy them"): the
# "like" of a verb of seeming or sensing is no filler
_SEEMING = ("look", "looks", "looked", "looking", "sound", "sounds", "sounded", "feel", "feels", "felt",
            "seem", "seems", "seemed", "smell", "smells", "taste", "tastes", "would", "'d")
_AFTER = {"like,": "".join(rf"(?<!\b{re.escape(v)} )" if v[0].isalpha() else rf"(?<!{re.escape(v)} )"
                            for v in _SEEMING)}
# what must not follow: "I believe in" states a value, not a doubt
_NOT_BEFORE = {"i believe": r"(?!\s+in\b)"}


def count_phrases(lower: str, phrases: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in phrases:
        core = p.rstrip(",")
        pat = ((_LITERAL_AFTER if core in _LITERAL else "") + _AFTER.get(p, "") + r"(?<![\w'])" + re.escape(core)
               + (r"\s*," if p.endswith(",") else r"(?![\w'])") + _NOT_BEFORE.get(p, ""))
        n = len(re.findall(pat, lower))
        if n:
            out[re.sub(r"\bi\b", "I", core)] = n  # shown as written: "I think", not "i think"
    return out



def delivery(answer: str, n_sentences: int, spoken_seconds: float | None = None) -> Delivery:
    """Length, speaking time, fillers, hedges, clichés, I vs we.

    `spoken_seconds`: the speaking time measured on a recording of the answer (its transcription's
    `speaking_s`), used for the speaking time, the verdict, the length and the pace (this answer's words
    over the measured minutes); None (typed answers) estimates it from the words at WORDS_PER_MINUTE."""
    lower = answer.lower().replace("’", "'")
    n_words = len(_text.words(answer))
    if spoken_seconds is None:
        pace, seconds = WORDS_PER_MINUTE, round(n_words / WORDS_PER_MINUTE * 60, 1)
    else:
        # to the hundredth a transcription measures it to, so the two say the same time
        pace, seconds = round(n_words / spoken_seconds * 60), round(spoken_seconds, 2)
    lo, hi = TARGET_SECONDS
    verdict = ("empty" if n_words == 0 else "short" if seconds < lo * (1 - LENGTH_TOLERANCE)
               else "long" if seconds > hi * (1 + LENGTH_TOLERANCE) else "ok")
    if _language.reads_as_english(answer):
        fillers = count_phrases(lower, FILLERS)
        for word, pattern in (("like", _LIKE_FILLER), ("actually", _ACTUALLY_FILLER)):
            if found := len(set(m.end() for m in pattern.finditer(lower))):
                fillers[word] = fillers.get(word, 0) + found
        # "maybe workload, maybe something at home" lists possible causes: no hedge
        hedges = count_phrases(_LISTED_MAYBES.sub(" ", lower), HEDGES)
        cliches = count_phrases(lower, CLICHES)
    else:  # the lists are English: "um" is Portuguese for "a", "er" German for "he"
        fillers, hedges, cliches = {}, {}, {}
    i_n, we_n = len(_I.findall(lower)), len(_WE.findall(lower))
    we_share = round(we_n / (i_n + we_n), 3) if i_n + we_n else None
    if n_words == 0:
        score = 0.0
    else:
        if verdict == "ok":
            length = 1.0
        elif verdict == "short":
            length = min(OFF_TARGET_MAX, max(0.2, seconds / lo))
        else:
            length = min(OFF_TARGET_MAX, max(0.3, 1.0 - (seconds - hi) / (2 * hi)))
        per100 = 100.0 / max(n_words, 1)
        noise = (sum(fillers.values()) * 1.0 + sum(hedges.values()) * 0.6
                 + sum(cliches.values()) * 1.5) * per100
        score = length * max(0.0, 1.0 - noise / 8.0)  # ~8 noise words per 100 zero it
    return Delivery(n_words, n_sentences, pace, seconds, TARGET_SECONDS, verdict,
                    dict(Counter(fillers)), hedges, cliches, i_n, we_n, we_share, round(score, 3))
