"""Rule-based signals of an answer: question kind, STAR/framework, specificity, delivery."""

from __future__ import annotations

import re
from collections import Counter

from . import text as _text
from .lexicon import Lexicon
from .models import Delivery, Specificity, Structure

WORDS_PER_MINUTE = 150  # a typical interview speaking rate
TARGET_SECONDS = (60, 180)  # about one to three minutes spoken

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


_NUMBER_WORDS = ("(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 "forty|fifty|sixty|seventy|eighty|ninety|hundred|half)")
# "I moved", "we split", "I am telling him": an action the candidate names as theirs; a checkable
# marker of concreteness too (see concreteness)
_FIRST_PERSON_ACTION = (
    r"\b(i|we) (then |first |also |personally |quickly )?([a-z]+ed|set|ran|met|wrote|"
    r"began|built|made|took|led|held|put|brought|sat|spoke|gave|chose|drove|kept|sent|"
    r"split|cut|shut|let|dug|paid|sought|taught|bought|went|told|found|rewrote|"
    r"rebuilt|hired|fired|moved|pushed|pulled|proposed|pitched|created|agreed)\b"
    # the story told in the present, as many non-native speakers and speakers tell it
    # ("then I am telling him directly", "we are making a plan")
    r"|\b(i am|i'm|we are|we're) (then |now |also )?[a-z]{3,}ing\b"
)
_STAR = {
    "situation": re.compile(
        r"\b(when i (joined|arrived|took over|started|inherited)|at my (last|previous|current|"
        r"first)|at (a|an|our) [a-z\- ]{0,30}(company|startup|firm|scale-?up|bank|team|org)|"
        r"(last|that|this|one) (year|quarter|summer|spring|autumn|fall|winter)|in (19|20)\d\d|"
        r"(years|months) ago|back (then|in)|there was|there were|there is|there are|we were|we had|the team (was|"
        r"had)|our (team|company|product|platform|system) (was|had)|i was (the|a|an|leading|"
        r"managing|running|working)|situation|context|background)\b", re.I),
    "task": re.compile(
        r"\b(i (needed|had|wanted) to|my (job|task|goal|role|responsibility|mandate|brief|"
        r"challenge) (was|became)|i was (asked|tasked|responsible|expected|brought in|hired)|"
        r"the (goal|task|challenge|ask|mandate|aim) was|we needed to|it was my|i owned|"
        r"i was accountable|i (must|have to|had to)|task|responsib)\w*", re.I),
    "action": re.compile(
        _FIRST_PERSON_ACTION +
        # ...or in the simple present ("First I speak with each one alone", "we make a small spike")
        r"|\b(first|then|next|after that|so|and) (i|we) (?!(am|have|think|know|want|need|like|love|feel|believe|"
        r"guess|hope|mean|would|will|can|could|should|must|do|don't|did|didn't)\b)[a-z]{3,}\b"
        r"|\b(i|we) (speak|talk|make|ask|meet|write|call|decide|propose|suggest|give|tell|explain|start|"
        r"create|build|organi[sz]e|schedule|review|check|fix|change|bring|take|show|send|share|invite|offer|"
        r"find|pair|add|remove|run)s?\b"
        # ...or tersely, with no subject: "Cut scope to checkout, told the VP early, shipped on time"
        r"|(?:^|[,;:]\s+|\band\s+)(?:then\s+)?(?:told|cut|set|ran|met|wrote|built|made|took|led|held|split|hired|"
        r"moved|[a-z]{3,}ed)\s+(?!(?:and|or|but|by|as|of|in|at|from|that|than|for)\b)[a-z]{2,}\b", re.I),
    "result": re.compile(
        r"\b(as a result|result(ed|s)?|outcome|in the end|by the end|ended up|since then|"
        r"within (a|an|one|two|three|four|five|six|\d+) |went (from|down|up)|dropped|fell|rose|"
        r"grew|reduced|increased|improved|cut|doubled|halved|tripled|saved|shipped|launched|"
        r"delivered|succeeded|achieved|we hit|i learned|lesson|today|now (the|our|we)|"
        r"(i|we) (learned|learnt|learn|realised|realized|saw|noticed)|drop(ped|ping)?|"
        r"(reduc|decreas|increas|improv)(ing|es)|"
        rf"from (\d[\d.,]*\s?%?|{_NUMBER_WORDS})\b[^.]{{0,30}}?\bto (\d|{_NUMBER_WORDS})\b)\b",
        re.I),
}
# What an outcome sounds like once the story has told its action ("Afterwards both teams released
# twice as often", "a month later nobody asked who owned it"): read only after the first action,
# where "more than …" or "since …" no longer describe the starting point.
_RESULT_AFTER_ACTION = re.compile(
    r"\b(afterwards|after (that|this)|from then on|ever since|since then|later|no longer|never again|"
    r"any ?more|as (often|fast|quickly|many|much) as|as often|times (as|more|faster|fewer|less)|"
    r"(faster|fewer|more|less|lower|higher|better|shorter|quicker|cheaper) than (before|it was|"
    r"we|they|the)|compared (to|with)|went away|stopped|recovered|stayed|retained|promoted|"
    r"on time|for the first time|paid off|worked out|it worked|went (well|better|smoothly))\b", re.I)
# "one" is a number unless it is "one of …", "no one" or part of "one-on-one"
_NUMBER = re.compile(
    # "20%", "24/7", "2-3 weeks", "$1.5 million": each one number, as written
    r"(?<![\w.\-/])(?:[$€£]\s?)?\d+(?:[.,:/]\d+)*(?:\s?[-–]\s?\d+(?:[.,]\d+)*)?"
    r"(?:\s?%|\s?(?:million|billion|thousand|percent|x|k|m|bn|ms|s|h|hrs|hours|days|"
    r"weeks|months|years|people|engineers|teams|customers|users|points|minutes)\b|\b)"
    # in words, "eighty five percent" and "two hundred" each one number too
    r"|\b(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|six|"
    r"seven|eight|nine)\b)?|(?<!no )(?<!-)(?<!each )(?<!every )(?<!any )(?<!the )(?<!this )(?<!that )(?<!which )"
    r"one(?!-|\s+of\b)|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
    r"thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|"
    r"hundred|thousand|million|billion|dozen|half|double|twice|triple)"
    r"(?:\s(?:percent|per cent|hundred|thousand|million|billion)\b)?\b",
    re.I,
)
_DIGIT = re.compile(r"\d")
_TIME_FRAME = re.compile(
    # "by week five", "in month 3" (before "by week" alone)
    r"\b(?:by|in|from|until|after|before) (?:week|month|sprint|quarter|day|year) (?:\d+|one|two|three|four|"
    r"five|six|seven|eight|nine|ten|eleven|twelve)\b|"
    r"\b(?:within|in|over|after|for|by|every|each|per|first|next|last|the first) "
    r"(?:a |an |the )?(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|twelve|few|"
    r"couple of )?\s?(?:-?\s?)?(?:day|week|sprint|month|quarter|year|half|days|weeks|sprints|"
    r"months|quarters|years|minutes|hours)\b|\bq[1-4]\b|\b(?:quarterly|weekly|monthly|daily|"
    r"fortnightly|annual|annually|biweekly)\b|\b\d{1,3}[- ](?:day|week|month)\b"
    # "a month later", "three weeks behind", "two years ago"
    r"|\b(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twelve|a few|a couple of) "
    r"(?:day|week|sprint|month|quarter|year)s? (?:later|earlier|before|after|behind|ahead|ago|late|early)\b"
    # "forty minutes", "eight months", "the week after"
    r"|\b(?:\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:one|two|three|four|five|"
    r"six|seven|eight|nine))?|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|eighteen) "
    r"(?:minutes|hours|days|weeks|sprints|months|quarters|years)\b"
    r"|\bthe (?:day|week|month|sprint|quarter|year) (?:after|before)\b",
    re.I,
)
# Named practices, metrics and tools an interviewer recognises as concrete (generic, any role).
_PRACTICES = re.compile(
    r"\b(okrs?|kpis?|dora|mttr|mttd|slos?|slas?|slis?|error budgets?|p9[059]|latency|uptime|"
    r"availability|nps|churn|retention|conversion|throughput|lead time|cycle time|"
    r"deployment frequency|change failure rate|postmortems?|post-mortems?|blameless|"
    r"retrospectives?|retros?|rfcs?|adrs?|design docs?|design reviews?|code reviews?|pairing|"
    r"pair programming|mob programming|1:1s?|one-on-ones?|skip-levels?|pips?|performance "
    r"improvement plan|career ladders?|levell?ing|calibration|scorecards?|structured "
    r"interviews?|rubrics?|kanban|scrum|sprints?|standups?|stand-ups?|backlog|roadmaps?|"
    r"ci/cd|ci|cd|continuous (?:integration|delivery|deployment)|feature flags?|canary|"
    r"blue-green|trunk-based|monorepo|microservices?|monolith|kubernetes|k8s|terraform|aws|"
    r"gcp|azure|jira|github|gitlab|slack|datadog|grafana|prometheus|pagerduty|on-call|"
    r"runbooks?|incident commander|raci|swot|rice|moscow|wsjf|a/b tests?|experiments?|"
    r"dashboards?|brag docs?|okr|north star|tech radar|threat model(?:ling|ing)?|pen ?tests?|"
    r"soc ?2|iso ?27001|gdpr|budget|headcount|capex|opex|unit economics|sla)\b",
    re.I,
)
_STEP_MARKERS = re.compile(
    r"(?:^|[\s,;(])(first(?:ly)?|second(?:ly)?|third(?:ly)?|then|next|after that|afterwards|"
    r"finally|lastly|step (?:one|two|three|\d)|phase (?:one|two|three|\d)|to start|"
    r"start(?:ing)? (?:by|with)|in (?:the )?(?:first|second|next) \d+ (?:days|weeks|months)|"
    r"(?:day|week|month) \d+|once that|from there|in parallel|meanwhile|at the same time)\b",
    re.I,
)

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
_ACTION = re.compile(_FIRST_PERSON_ACTION, re.I)


def concreteness(sentence: str) -> tuple[int, int, int]:
    """(concrete markers, buzzwords, words) of one sentence.

    Markers: numbers, time frames, named practices or tools, names, and first-person
    actions ("I moved", "we split"): what a hiring manager could check.
    """
    markers = (len(_NUMBER.findall(sentence)) + len(_TIME_FRAME.findall(sentence))
               + len(_PRACTICES.findall(sentence)) + len(_PROPER.findall(sentence))
               + len(_ACTION.findall(sentence)))
    return markers, len(_BUZZ.findall(sentence)), len(sentence.split())


FILLERS = ("um", "uh", "er", "erm", "hmm", "you know", "like,", "i mean", "basically",
           "literally", "actually", "so yeah", "kind of", "sort of", "stuff like that", "honestly")
# "like" as a filler without its comma: after a verb of being or another filler, before an adverb,
# a number or a verb ("the site was like really slow", "it's been like eight months"), not before
# what it compares with ("it was like a nightmare", "tools like Jira")
_LIKE_FILLER = re.compile(
    r"\b(?:was|were|is|are|been|be|'s|basically|just|so|and|um|uh|literally)\s+like\b(?!,)"
    r"(?!\s+(?:a|an|the|this|that|these|those|to|it|him|her|them|me|us|you|my|our|his|their|what|how)\b)")
HEDGES = ("i think", "i guess", "i believe", "maybe", "perhaps", "probably", "possibly",
          "might", "i suppose", "hopefully", "not sure", "i feel like", "somewhat",
          "more or less")  # "kind of" and "sort of" are counted once, as fillers
CLICHES = ("at the end of the day", "people person", "team player", "outside the box",
           "hit the ground running", "synergy", "move the needle", "low-hanging fruit",
           "110%", "hundred and ten percent", "perfectionist", "work hard", "circle back",
           "touch base", "win-win", "game changer", "game-changer", "passionate about",
           "go above and beyond", "think big", "bring to the table", "wear many hats",
           "best practices", "results-driven", "self-starter", "it is what it is",
           "communication is key", "lead by example", "open door policy", "open-door policy")

_I = re.compile(r"\b(i|me|my|mine|myself|i'm|i've|i'd|i'll)\b", re.I)
_WE = re.compile(r"\b(we|us|our|ours|ourselves|we're|we've|we'd|we'll)\b", re.I)


def _count_phrases(lower: str, phrases: tuple[str, ...]) -> dict[str, int]:
    out: dict[str, int] = {}
    for p in phrases:
        core = p.rstrip(",")
        pat = r"(?<![\w'])" + re.escape(core) + (r"\s*," if p.endswith(",") else r"(?![\w'])")
        n = len(re.findall(pat, lower))
        if n:
            out[re.sub(r"\bi\b", "I", core)] = n  # shown as written: "I think", not "i think"
    return out


_PAST = re.compile(r"\b(was|were|had|used to|grew|became|\w{3,}ed)\b", re.I)
_SCENE_MIN_WORDS = 6  # "It worked." is not a scene


def _sets_scene(sents: list[str]) -> bool:
    """The opening sentence tells of a past state ("Our platform group had grown to fourteen")."""
    return bool(sents) and len(sents[0].split()) >= _SCENE_MIN_WORDS and bool(_PAST.search(sents[0]))


# "I'd write a memo", "we will pull the numbers": an action, told as a plan rather than a memory
# (a behavioural answer in this voice gets the "tell one real example" advice, not "action missing")
_PLANNED_ACTION = re.compile(
    r"\b(i|we)\s*(would|'d|will|'ll)\s+(then |first |also |start by |begin by )?"
    r"(?!(say|think|guess|imagine|like|love|probably|be|need|want|hope|try)\b)[a-z]{3,}", re.I)
_WOULD = re.compile(r"\b(i|we)\s*(would|'d|will|'ll|should|could|might)\b|\b(i|we)\s+(always|usually|tend to)\b"
                    r"|^\s*(first|then|start|begin)\b", re.I)


def names_an_action(text: str) -> bool:
    """Whether the text tells something the candidate did or would do ("I rolled it back")."""
    return bool(_STAR["action"].search(text) or _PLANNED_ACTION.search(text.replace("’", "'")))


def hypothetical(sents: list[str]) -> bool:
    """Most sentences say what the candidate would do, and none tells what happened.

    A behavioural question ("Tell me about a time…") asks for one real example; interviewers
    read "I would…" as having none. Told by wording only: conditional or habitual statements
    ("I would", "I'd", "we always") in most sentences, and no past-tense sentence."""
    if not sents:
        return False
    would = sum(1 for sent in sents if _WOULD.search(sent.replace("’", "'")))
    past = sum(1 for sent in sents if _PAST.search(sent) and not _WOULD.search(sent.replace("’", "'")))
    return would * 2 > len(sents) and past == 0


# an item of a list the candidate wrote: a bullet or "1." at a line's start, or "2) …" inline
_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+•]|\d{1,2}[.)])[ \t]+\S|(?:^|(?<=[.:;]\s))\d{1,2}\)\s+(?=[A-Za-z])", re.M)


def list_items(raw: str) -> int:
    """How many list items the answer, as written, holds: each is a step laid out."""
    return len(_LIST_ITEM.findall(raw))


def _list_marker(answer: str, m: re.Match) -> bool:
    """"2)" opening a list item ("…a quarter. 2) What is the exit cost") counts nothing."""
    before = answer[: m.start()].rstrip()
    return (m.group(0).strip().isdigit() and len(m.group(0).strip()) <= 2
            and answer[m.end(): m.end() + 1] == ")" and (not before or before[-1] in ".:;\n"))


# a talking point about what came of it ("the measurable outcome", "what changed afterwards")
_OUTCOME_POINT = re.compile(
    r"\b(?:the|its|any) (?:\w+ )?(?:outcomes?|results?|effects?)\b|\b(?:what changed|afterwards|recurrence|"
    r"measur(?:ed|able) (?:change|improvement|signs?))\b", re.I)


def outcome_point(point: str) -> bool:
    """Whether a talking point asks for the result (its evidence is then the STAR result); "how
    you ran a review afterwards" asks for an action."""
    return bool(_OUTCOME_POINT.search(point)) and not re.match(r"\s*how (?:you|i|we)\b", point, re.I)


def structure(kind: str, kind_source: str, sents: list[str], listed: int = 0,
              outcomes: tuple[str, ...] = ()) -> Structure:
    """STAR parts for behavioural answers, steps/framework for situational ones; `listed`: the
    list items of the answer as written (cleaning takes the markers off); `outcomes`: the
    evidence of covered talking points about the result, which the STAR result then agrees with
    (a report that quotes "we removed 6,000 lines" for the outcome must not ask for a result)."""
    steps = max(sum(len(_STEP_MARKERS.findall(s)) for s in sents), listed if listed >= 2 else 0)
    if kind == "behavioural":
        star = {part: any(p.search(s) for s in sents) for part, p in _STAR.items()}
        # a story that opens in the past tense opens by setting the scene, whatever its words
        star["situation"] = star["situation"] or _sets_scene(sents)
        acted = [i for i, s in enumerate(sents) if names_an_action(s)]
        star["action"] = bool(acted)
        result_sents = [s for i, s in enumerate(sents) if _STAR["result"].search(s)
                        or (acted and i > acted[0] and _RESULT_AFTER_ACTION.search(s))] + list(outcomes)
        star["result"] = bool(result_sents)
        quantified = any(_DIGIT.search(s) or _NUMBER.search(s) for s in result_sents)
        if hypothetical(sents):
            # "I would measure the outcome" is a plan: no scene happened and nothing resulted
            star["situation"] = star["result"] = quantified = False
        score = 0.8 * sum(star.values()) / 4 + (0.2 if quantified else 0.0)
        return Structure(kind, kind_source, star, quantified, None, steps, round(score, 3))
    if kind == "situational":
        framework = steps >= 2 or (len(sents) >= 4 and steps >= 1)
        score = 1.0 if steps >= 3 else 0.8 if framework else 0.5 if len(sents) >= 4 else 0.3
        return Structure(kind, kind_source, None, None, framework, steps, score)
    score = 1.0 if len(sents) >= 4 else 0.6 if len(sents) >= 2 else 0.3
    return Structure(kind, kind_source, None, None, None, steps, score)


def _once(items) -> tuple[str, ...]:
    """Each item once, whatever its case, as first written ("SLOs", not "slos")."""
    seen: dict[str, str] = {}
    for item in items:
        seen.setdefault(item.lower(), item)
    return tuple(seen.values())


def specificity(answer: str, lexicon: Lexicon | None, echo: frozenset[str] = frozenset()) -> Specificity:
    """Numbers, time frames, named practices and the bank's job terms found in the answer.

    `echo`: stems of the question and its talking points. A job term the answer only repeats
    from them ("evidence", "improvement plan") is the rubric read back, not a specific."""
    # "6 weeks" of "in 6 weeks" is a quantity and a time frame, and counts as both (a report lists it
    # once: practice.report_view.specifics_shown)
    numbers = _once(m.group(0).strip() for m in _NUMBER.finditer(answer) if not _list_marker(answer, m))
    frames = _once(m.group(0).strip() for m in _TIME_FRAME.finditer(answer))
    # a practice the question itself names ("SLOs and error budgets") is read back, not a specific
    practices = _once(m.group(0) for m in _PRACTICES.finditer(answer)
                      if not all(_text.stem(w) in echo for w in _text.words(m.group(0))))
    terms: list[str] = []
    if lexicon is not None and lexicon.job_terms:
        ws = _text.words(answer)
        stems = [_text.stem(w) for w in ws]
        # each job term as the candidate wrote it ("commits", not the bank's "commitments")
        written: dict[str, str] = {}
        for i, st in enumerate(stems):
            written.setdefault(st, ws[i])
            if i + 1 < len(stems):
                written.setdefault(st + " " + stems[i + 1], ws[i] + " " + ws[i + 1])
        found = [s for s in lexicon.job_terms if s in written and not all(part in echo for part in s.split())]
        # a term inside a longer one, or inside a named practice, is listed once: "pull requests", not
        # "requests" beside it; "code reviews" as a practice, not again as a term
        named = {_text.stem(w) for p in practices for w in _text.words(p)}
        longer = [set(s.split()) for s in found if " " in s]
        terms = list(dict.fromkeys(
            written[s] for s in found
            if not set(s.split()) <= named and not any(set(s.split()) < other for other in longer)))
    digits = sum(1 for n in numbers if _DIGIT.search(n))
    raw = (min(digits, 3) * 1.0 + min(len(numbers) - digits, 2) * 0.5 + min(len(frames), 2) * 0.75
           + min(len(practices), 3) * 0.75 + min(len(terms), 6) * 0.25)
    score = min(1.0, raw / 5.0)  # five "units" of specifics make a fully specific answer
    return Specificity(numbers, frames, practices, tuple(terms[:25]), round(score, 3))


def delivery(answer: str, n_sentences: int) -> Delivery:
    """Length, speaking time, fillers, hedges, clichés, I vs we."""
    lower = answer.lower().replace("’", "'")
    n_words = len(_text.words(answer))
    seconds = round(n_words / WORDS_PER_MINUTE * 60, 1)
    lo, hi = TARGET_SECONDS
    verdict = ("empty" if n_words == 0 else "short" if seconds < lo
               else "long" if seconds > hi else "ok")
    fillers = _count_phrases(lower, FILLERS)
    bare_like = len(_LIKE_FILLER.findall(lower))
    if bare_like:
        fillers["like"] = fillers.get("like", 0) + bare_like
    hedges = _count_phrases(lower, HEDGES)
    cliches = _count_phrases(lower, CLICHES)
    i_n, we_n = len(_I.findall(lower)), len(_WE.findall(lower))
    we_share = round(we_n / (i_n + we_n), 3) if i_n + we_n else None
    if n_words == 0:
        score = 0.0
    else:
        if verdict == "ok":
            length = 1.0
        elif verdict == "short":
            length = max(0.2, seconds / lo)
        else:
            length = max(0.3, 1.0 - (seconds - hi) / (2 * hi))
        per100 = 100.0 / max(n_words, 1)
        noise = (sum(fillers.values()) * 1.0 + sum(hedges.values()) * 0.6
                 + sum(cliches.values()) * 1.5) * per100
        score = length * max(0.0, 1.0 - noise / 8.0)  # ~8 noise words per 100 zero it
    return Delivery(n_words, n_sentences, WORDS_PER_MINUTE, seconds, TARGET_SECONDS, verdict,
                    dict(Counter(fillers)), hedges, cliches, i_n, we_n, we_share, round(score, 3))
