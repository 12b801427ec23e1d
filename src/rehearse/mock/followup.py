"""PURE: the one follow-up question an interviewer asks after an answer, from what the answer lacked.

In order: the first talking point the answer missed (points are listed most important first),
then a missing STAR part, then a result without numbers, then a situational answer with no steps.
The wording comes from the point itself, in its own words, closed by a question chosen by the thing
the point names first (its head); a point whose head says nothing more specific gets a neutral close,
since the follow-up's answer is scored against that point. No model is needed, and the same report
always gives the same follow-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FollowUp:
    reason: str  # missed_point | star_situation | star_task | star_action | star_result | quantify | steps
    point: str  # what the follow-up asks for: it is the talking point the follow-up is scored against
    prompt: str  # the interviewer's words


# (kind, stems that name it as a point's head, closing words for a story told (behavioural), for a plan (situational));
# checked in order, the first match wins. A point is classed by its head alone -- the thing it names first
# ("evidence linking the debt to outcomes the PM cares about" is evidence, not an outcome to measure) --
# and a close that would ask for something else than the point (a success number for evidence, "who
# would you involve" for a hiring plan) is worse than the neutral one, which asks about the point in
# its own words: when in doubt, the point is "other".
POINT_KINDS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("measure", ("measur", "metric", "number", "kpi", "okr"),
     "what changed, in numbers?", "what would you measure, and what number would tell you it worked?"),
    ("people", ("stakeholder", "customer", "people", "communicat", "buy-in"),
     "who was involved, and how did you bring them along?",
     "who would you involve, and how would you bring them along?"),
    ("tradeoff", ("trade-off", "tradeoff", "option", "priorit"),
     "what did you weigh, and what did you give up?", "what would you weigh, and what would you give up?"),
    ("risk", ("risk", "failure", "mitigat"),
     "what went wrong or could have, and how did you catch it?",
     "what could go wrong, and how would you catch it early?"),
    ("plan", ("plan", "re-plan", "roadmap", "phase", "step", "rollout"),
     "what did you do first, and what next?", "what would you do first, and what next?"),
)
DEFAULT_CLOSES = ("can you tell me about that?", "how would you cover that?")
STAR_PROMPTS = {
    "situation": "Set the scene for me: what was the situation, and what was at stake?",
    "task": "What exactly were you responsible for there?",
    "action": "What did you personally do — walk me through your own actions?",
    "result": "How did it end? What was the result, and what did you learn?",
}
STAR_POINTS = {
    "situation": "the situation and what was at stake",
    "task": "what you were responsible for",
    "action": "the actions you took yourself",
    "result": "the result and what you learned",
}
# The follow-ups that ask for a part of the answer's shape, and that part as the engine names it
# (feedback.Question.asked_part): the engine's rules for that part judge the answer to them.
REASON_PARTS = {**{f"star_{part}": part for part in STAR_POINTS}, "quantify": "numbers", "steps": "steps"}
QUESTION_WORDS = ("how", "what", "why", "when", "where", "which", "whether", "who")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# A point's head is the thing it names first: after its determiners, the words up to the first of these
# (a preposition, a conjunction, a relative, a pronoun, a determiner). "evidence linking the debt to
# outcomes …" is headed by "evidence", "the metrics you would track on the hiring funnel" by "metrics".
_DETERMINERS = _words("the a an your their its our his her my this these those some any each every")
_HEAD_ENDS = _DETERMINERS | _words("""
    of for to with on in from about against after before between by at into onto over under during across beyond
    within without through towards toward per via versus vs and or but nor that which who whom whose where when
    while once so because if than rather such as like you we they it he she them us
""")
_QUANTIFIERS = _words("number set list handful couple few range")  # "a small number of owned items": items
# A participle after the head qualifies it ("the result measured against your estimate" is no measure)
_PARTICIPLES = _words("made broken taken given done chosen shown known built kept")
# Words in -ing that name a thing rather than an act ("hiring plan", "onboarding plan")
_NOUNS_IN_ING = _words("""
    hiring onboarding engineering planning training testing funding staffing mentoring coaching pairing reporting
    budgeting tooling monitoring alerting logging
""")
_AUXILIARIES = _words("would will did do does could should can might must have had are were")
# A point that names two things ("the measurable outcome and what you learned", "the options you considered
# and why you chose one"): a close about one of them would leave the other out, so it gets the neutral one.
_JOINS_ANOTHER = re.compile(r"\b(?:and|or)\s+(?:its|their|the|his|her|your|our|a|an|what|how|why|who|whom|whether"
                            r"|when|where|which)\b")
_WORD = re.compile(r"[a-z0-9][a-z0-9'’-]*")


def _head(point: str) -> tuple[str, ...]:
    """The words of a point's head, its head word last: for a point that asks about an act of yours
    ("how you measured success"), the verb; for an act ("setting targets from data"), the act; otherwise
    its first noun phrase with its modifiers ("the measured improvement after the change")."""
    words = _WORD.findall(point.lower())
    if not words:
        return ()
    if words[0] in QUESTION_WORDS:
        if len(words) < 3 or words[1] not in ("you", "we"):
            return ()  # "what changed afterwards", "how the engineer reacted": no act of yours to class it by
        verbs = [word for word in words[2:] if word not in _AUXILIARIES]
        return tuple(verbs[:1])
    index, determined = 0, False
    while index < len(words) - 1 and (words[index] in _DETERMINERS or (
            words[index].endswith("ly") and words[index + 1].endswith("ing"))):  # "jointly prioritising"
        determined |= words[index] in _DETERMINERS
        index += 1
    first = words[index]
    if not determined and first.endswith("ing") and first not in _NOUNS_IN_ING:
        return (first,)  # "mapping key-person risk and succession": an act, classed by its verb
    head: list[str] = []
    for word in words[index:]:
        if not head and word in _DETERMINERS:
            continue
        if head and word == "of" and head[-1] in _QUANTIFIERS:
            head = []
            continue
        if head and (word in ("and", "or") or word in _PARTICIPLES
                     or (word.endswith("ed") and not word.endswith("eed") and len(word) > 4)):
            # "a trade-off or allocation model", "a hiring plan broken down by team and seniority": the
            # head is shared or qualified by what follows, and a close about the head alone would miss it
            return ()
        if head and word in _HEAD_ENDS:
            break
        head.append(word)
    return tuple(head)


def point_kind(point: str, question_kind: str | None = None) -> tuple[str, str]:
    """What a talking point is about, by its head alone, and the closing words of its follow-up (past
    tense for a behavioural question, conditional for the others)."""
    tense = 0 if question_kind == "behavioural" else 1
    head = _head(point)
    if head and "baseline" not in head and not _JOINS_ANOTHER.search(point.lower()):
        for kind, stems, *closes in POINT_KINDS:
            # a measured thing is a measure whatever it is ("the measured improvement", "measurable signs")
            if head[-1].startswith(stems) or (kind == "measure" and any(w.startswith("measur") for w in head)):
                return kind, closes[tense]
    return "other", DEFAULT_CLOSES[tense]


def _as_clause(point: str) -> str:
    point = point.strip().rstrip(".;:")
    first = point.split(" ", 1)[0]
    if sum(ch.isupper() for ch in first) < 2:  # keep acronyms such as OKRs, SLOs
        point = point[:1].lower() + point[1:]
    return point


# A point written as an instruction ("recount and check recent entries") reads as something done, not a
# thing mentioned: "You didn't say whether you (would) recount …". Verbs that are seldom nouns, so a point
# such as "review cadence" or "plan and support" is not read as one.
_ACTION_VERBS = _words("""
    recount check escalate document confirm verify agree build measure track define share ask involve
    communicate listen apologise apologize follow train coach delegate prioritise prioritize split reduce
    monitor explain describe give keep make take tell call contact inform notify identify assess prepare
    schedule investigate analyse analyze compare consider acknowledge clarify gather collect seek offer
    provide protect ensure avoid admit fix stop start write set raise refuse decline pause
""")


def phrase_missed_point(point: str, question_kind: str | None = None) -> str:
    """The interviewer's follow-up for a talking point the answer missed."""
    clause = _as_clause(point)
    _, close = point_kind(point, question_kind)
    if clause.split(" ", 1)[0].lower() in _ACTION_VERBS:
        would = "" if question_kind == "behavioural" else "would "
        return f"You didn't say whether you {would}{clause} — {close}"
    verb = "say" if re.match(rf"({'|'.join(QUESTION_WORDS)})\b", clause) else "mention"
    return f"You didn't {verb} {clause} — {close}"


def choose(report: dict[str, Any], *, talking_points: list[str] | tuple[str, ...] = (),
           question_kind: str | None = None) -> FollowUp | None:
    """The follow-up for an answer's report, or None when the answer left nothing obvious out."""
    if not report or (report.get("delivery") or {}).get("length_verdict") == "empty":
        return None
    points = report.get("talking_points") or []
    order = {p: i for i, p in enumerate(talking_points)}
    missed = [p for p in points if not p.get("covered")]
    missed.sort(key=lambda p: order.get(p.get("point"), len(order)))  # rubric order: most important first
    if missed:
        point = missed[0]["point"]
        kind = question_kind or (report.get("structure") or {}).get("kind")
        return FollowUp("missed_point", point, phrase_missed_point(point, kind))
    structure = report.get("structure") or {}
    star = structure.get("star")
    if star:
        for part in ("result", "action", "situation", "task"):  # the parts whose absence costs most first
            if star.get(part) is False:
                return FollowUp(f"star_{part}", STAR_POINTS[part], STAR_PROMPTS[part])
        if structure.get("result_quantified") is False:
            return FollowUp("quantify", "the result in numbers",
                            "You mentioned the result — can you put numbers on it? What changed, and by how much?")
    elif structure.get("framework") is False:
        return FollowUp("steps", "the steps in order",
                        "How would you sequence that — what would you do first, second and third?")
    return None
