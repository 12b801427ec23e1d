"""The shape of an answer: STAR parts of a story (situation, task, action, result, and whether the
result is quantified), steps of an approach, and whether a story is told as a plan instead."""

from __future__ import annotations

import re

from . import text as _text
from .models import Structure
from .specifics import DIGIT as _DIGIT
from .specifics import NUMBER as _NUMBER
from .specifics import NUMBER_WORDS as _NUMBER_WORDS
from .specifics import TIME_FRAME as _TIME_FRAME
from .specifics import UP_TO_NOW as _UP_TO_NOW

# "I moved", "we split", "I am telling him": an action the candidate names as theirs; a checkable
# marker of concreteness too (see signals.concreteness)
FIRST_PERSON_ACTION = (
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
        r"i was accountable|i (must|have to|had to)|task|responsib|(it|that|this) was (on|up to) me|"
        r"(was|were) mine|my (call|decision|job)|i (was|became) the (owner|one|person)|i took (on|over)|"
        # a task set by the situation: "hard deadline 1 Nov because the old contract expired"
        r"(hard|fixed|firm|immovable|non-negotiable) deadline|the deadline (was|is)|we had until)\w*", re.I),
    "action": re.compile(
        FIRST_PERSON_ACTION +
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
    r"on time|for the first time|paid off|worked out|it worked|went (well|better|smoothly)|renewed|"
    r"no (repeat|recurrence|repeats|recurrences|further)\b|(back|returned) to normal|(fine|healthy|stable) again|"
    r"(hit|met|made) (every|each|all|the|our|his|her|their) (goal|goals|target|targets|deadline|date)|"
    r"(chose|picked|accepted|adopted|approved|went with) (my|our) (alternative|proposal|option|plan|"
    r"recommendation|approach)|signed off|"
    # a state reached since ("he got back on track", "she is now one of the strongest", "it has since become")
    r"(got|get|gets|was|were|is|are|came|been) back on track|(got|became|grew) (better|faster|stronger|more confident)|"
    r"(the team|everyone|others|people|they|the client|the customer) noticed|(is|are) now|"
    r"(has|have) (now |since )(become|been|grown|stayed|led|run|taken)|(has|have) become)\b", re.I)
_STEP_MARKERS = re.compile(
    r"(?:^|[\s,;(])(first(?:ly)?|second(?:ly)?|third(?:ly)?|then|next|after that|afterwards|"
    r"finally|lastly|step (?:one|two|three|\d)|phase (?:one|two|three|\d)|to start|"
    r"start(?:ing)? (?:by|with)|in (?:the )?(?:first|second|next) \d+ (?:days|weeks|months)|"
    r"(?:day|week|month) \d+|once that|from there|in parallel|meanwhile|at the same time|"
    # the same markers in the other languages answers come in (the model reads them; the rules should too)
    r"primero|primeiro|después|despues|luego|depois|em seguida|a continuación|por último|por ultimo|por fim|"
    r"finalmente|d'abord|ensuite|puis|enfin|zuerst|zunächst|danach|anschließend|schließlich|infine)\b",
    re.I,
)

_PAST = re.compile(r"\b(was|were|had|used to|grew|became|\w{3,}ed)\b", re.I)
_SCENE_MIN_WORDS = 6  # "It worked." is not a scene
# an opening that places the story: where ("At Tandem Health I ran engineering"), when ("In Q3 2022 we…"),
# or how big ("about 60 people in seven teams")
_PLACES_THE_STORY = re.compile(
    r"^\W*(?:at|in|during|back in|while at|when i was at) (?:[A-Z0-9]|(?:my|our|a|an|the|that|this) )"
    rf"|\b(?:\d+|{_NUMBER_WORDS}|{'|'.join(('twenty', 'thirty', 'forty', 'fifty', 'sixty'))})\s+(?:people|engineers|"
    r"developers|teams|nurses|staff|reports|direct reports)\b")


def _sets_scene(sents: list[str]) -> bool:
    """The opening sentence tells of a past state ("Our platform group had grown to fourteen") or places
    the story in a company, a time or a team's size ("At Tandem Health I ran engineering, about 60 people")."""
    if not sents or len(sents[0].split()) < _SCENE_MIN_WORDS:
        return False
    first = sents[0]
    return bool(_PAST.search(first)) or (bool(_PLACES_THE_STORY.search(first)) and not _plan(first))


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


# "would" or "'d" as a sentence's verb, whatever its subject ("The lesson would be…", "my manager would
# have…"): a plan or a supposition, and the participles after it ("would be well structured") no past
# action; "I'd done", "she'd already left" are "had"
_MODAL = re.compile(r"\bwould\b|\w'd\s+(?!(?:been|done|gone|had|already|never|just)\b|\w+ed\b)", re.I)
_CONDITION = re.compile(r"\b(?:if|unless|whether)\b[^,;]*", re.I)  # "if we missed the date, …": not a memory
_PAST_VERB = (r"(?:was|were|had|said|told|asked|wrote|rewrote|made|took|gave|found|kept|left|went|came|ran|"
              r"met|built|led|held|chose|sent|spoke|began|became|brought|saw|knew|thought|got|\w{3,}ed)")
# a past action told with its subject, or a past verb ahead of the "would" (reported speech: "she
# said it would fail, so I rewrote it", "the CEO asked what would happen"): the memory wins
_PAST_ACTION = re.compile(rf"\b(?:i|we|he|she|they|it)\s+(?:then |also |just |finally |quickly )?{_PAST_VERB}\b", re.I)
_PAST_AHEAD = re.compile(rf"\b{_PAST_VERB}\b", re.I)
# what stands before a participle used as an adjective ("a structured loop", "more structured")
_ADJECTIVE_SLOT = re.compile(r"(?:^|\b(?:a|an|the|this|that|these|those|my|our|your|his|her|their|its|more|most|"
                             r"less|well|very|fully|be|been|being|is|are)\s+)$", re.I)


def _plan(sent: str) -> bool:
    return bool(_WOULD.search(sent) or _MODAL.search(sent))


def _tells_the_past(sent: str) -> bool:
    """A past-tense sentence; in a plan only its past main verbs count ("she said it would fail")."""
    if not _plan(sent):
        return bool(_PAST.search(sent))
    said = _CONDITION.sub("", sent)
    if _PAST_ACTION.search(said):
        return True
    modal = _MODAL.search(said) or _WOULD.search(said)
    ahead = said[: modal.start()] if modal else ""
    return any(not _ADJECTIVE_SLOT.search(ahead[: m.start()]) for m in _PAST_AHEAD.finditer(ahead))


def hypothetical(sents: list[str]) -> bool:
    """Most sentences say what the candidate would do, and none tells what happened.

    A behavioural question ("Tell me about a time…") asks for one real example; interviewers
    read "I would…" as having none. Told by wording only: conditional or habitual statements
    ("I would", "I'd", "we always", "the lesson would be") in most sentences, and no past-tense
    sentence."""
    if not sents:
        return False
    plain = [sent.replace("’", "'") for sent in sents]
    would = sum(1 for sent in plain if _plan(sent))
    past = sum(1 for sent in plain if _tells_the_past(sent))
    return would * 2 > len(sents) and past == 0


# a talking point about what came of it ("the measurable outcome", "what changed afterwards")
_OUTCOME_POINT = re.compile(
    r"\b(?:the|its|any) (?:\w+ )?(?:outcomes?|results?|effects?)\b|\b(?:the|any) (?:[\w-]+ )?impact\b|"
    r"\b(?:what changed|afterwards|recurr\w*|resulted|before[- ]and[- ]after|"
    r"measur(?:ed|able) (?:change|improvement|signs?))\b"
    # "that the incidents stopped", "how the process improved": a change, told of what changed (what
    # "you stopped" or "worked on" is an action)
    r"|(?<!\byou )(?<!\bi )(?<!\bwe )(?<!\bthe )\b(?:stopped|improved|worked(?!\s+(?:on|with|through|for|"
    r"together|alongside)\b))\b", re.I)


def outcome_point(point: str) -> bool:
    """Whether a talking point asks for the result (its evidence is then the STAR result); "how
    you ran a review afterwards" asks for an action, "its impact on the team" (of a behaviour) a fact."""
    return bool(_OUTCOME_POINT.search(point)) and not re.match(r"\s*how (?:you|i|we)\b", point, re.I)


def _tells_what_came_after(text: str) -> bool:
    return bool(_RESULT_AFTER_ACTION.search(text) or _UP_TO_NOW.search(text))


def _results_told(evidence: str, result_sents: list[str]) -> list[str]:
    """The sentences of an outcome point's evidence that tell the result: the evidence may be a pair of
    sentences ("We agreed a plan with a weekly check-in. He got back on track"), whose plan holds no
    result however many numbers it gives. A pair neither of whose sentences the rules read as a result
    gives its last one (what came after); a single sentence is the result the judge found."""
    told = _text.sentences(evidence.replace(" / ", "\n"))
    if len(told) <= 1:
        return [evidence]
    results = [s for s in told if any(s in r or r in s for r in result_sents)]
    return results or told[-1:]


_CLAUSE_BREAK = re.compile(r";|\s[\u2014\u2013-]{1,2}\s|,\s(?:and|so)\s")


def _after_first_clause(sentence: str) -> str:
    """The words after a sentence's first clause ("I got four teams onto one library; we had no repeat in
    nine months"): where a one-sentence story tells what came of its action."""
    parts = _CLAUSE_BREAK.split(sentence, maxsplit=1)
    return parts[1] if len(parts) > 1 else ""


# a result that says nothing came of it: no quantified result, whatever numbers stand beside it
_EMPTY_RESULT = re.compile(r"\b(?:nothing|no one|nobody) (?:really |much |actually |ever )?(?:changed|happened|"
                           r"improved|came of it)\b|\bnothing came of\b", re.I)
# a time frame that measures nothing: "over a few months", "for weeks", "a couple of days later"
_VAGUE_FRAME = re.compile(r"\b(?:a few|a couple of|couple of|few|several|some)\b|^\w+ (?:days|weeks|months|years|"
                          r"quarters|sprints)$", re.I)


def _told_before(told: str, sents: list[str], first_action: int) -> bool:
    """Whether an evidence sentence is one of the answer's sentences before its first action (the scene)."""
    at = next((i for i, s in enumerate(sents) if told in s or s in told), None)
    return at is not None and at < first_action


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
        result_sents = [s for i, s in enumerate(sents) if _STAR["result"].search(s) or (
            acted and i >= acted[0] and _tells_what_came_after(s if i > acted[0] else _after_first_clause(s)))]
        # a talking point's evidence that tells the scene, before any action, is no result of it
        told_after = [s for told in outcomes for s in _results_told(told, result_sents)
                      if not (acted and _told_before(s, sents, acted[0]))]
        star["result"] = bool(result_sents or told_after)
        result_sents += told_after
        # what the advice to quantify asks for: a number, or a time frame ("a month later", "within two weeks");
        # not "nothing really changed", nor "over a few months" (a result, not quantified)
        quantified = any(_DIGIT.search(s) or _NUMBER.search(s)
                         or any(not _VAGUE_FRAME.search(m.group(0)) for m in _TIME_FRAME.finditer(s))
                         for s in result_sents if not _EMPTY_RESULT.search(s))
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


def shows_part(part: str, kind: str, sents: list[str], listed: int = 0) -> str | None:
    """The sentence that shows the asked part of an answer (a follow-up's "How did it end?"), or None.

    `part`: a STAR part, "numbers" (a number or a time frame) or "steps" (the approach in order).
    The answer is itself the asked part, so a result needs no action before it ("It worked out: the
    client renewed")."""
    if part == "numbers":
        return next((s for s in sents if _DIGIT.search(s) or _NUMBER.search(s) or _TIME_FRAME.search(s)), None)
    if part == "steps":
        if not structure("situational", "question", sents, listed).framework:
            return None
        return next((s for s in sents if _STEP_MARKERS.search(s)), sents[0] if sents else None)
    if part == "result":
        extra = [s for s in sents if _RESULT_AFTER_ACTION.search(s) or _UP_TO_NOW.search(s)]
        if extra and not hypothetical(sents):
            return extra[0]
    for end in range(1, len(sents) + 1):
        if structure("behavioural", "question", sents[:end]).star[part]:
            return sents[end - 1]
    return None
