"""PURE: the one follow-up question an interviewer asks after an answer, from what the answer lacked.

In order: the first talking point the answer missed (points are listed most important first),
then a missing STAR part, then a result without numbers, then a situational answer with no steps.
The wording comes from the point itself, through a small set of templates chosen by what the
point is about. No model is needed, and the same report always gives the same follow-up.
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


# (kind, words that show it, closing words for a story told (behavioural), for a plan (situational));
# checked in order, the first match wins.
POINT_KINDS: tuple[tuple[str, tuple[str, ...], str, str], ...] = (
    ("measure", ("measur", "metric", "number", "kpi", "result", "impact", "outcome", "success", "data", "okr",
                 "cost", "roi"), "what changed, in numbers?", "what would you measure, and what number would "
                                                              "tell you it worked?"),
    # not "team" or "engineer": nearly every point names one ("options to relieve the platform team")
    ("people", ("stakeholder", "people", "customer", "communicat", "hire", "hiring",
                "leader", "buy-in", "align", "coach", "onboard"),
     "who was involved, and how did you bring them along?", "who would you involve, and how would you bring them "
                                                            "along?"),
    ("tradeoff", ("trade-off", "tradeoff", "trade off", "priorit", "balance", "versus", " vs", "option"),
     "what did you weigh, and what did you give up?", "what would you weigh, and what would you give up?"),
    ("risk", ("risk", "fail", "incident", "burnout", "security", "mitigat"),
     "what went wrong or could have, and how did you catch it?", "what could go wrong, and how would you catch it "
                                                                 "early?"),
    ("plan", ("plan", "approach", "process", "step", "phase", "roadmap", "loop", "rotation", "framework",
              "strategy"), "what did you do first, and what next?", "what would you do first, and what next?"),
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


_SUBORDINATE = re.compile(r"\s(?:so|that|which|while|without|because)\s")
ASKED_WORDS = 3  # "how you measured ...": the words after the question word say what it asks


def _about(point: str) -> str:
    """The words that say what a point is about: after a question word, the next few ("what you did
    during the incident to support the responders" is about what was done, not about the incident);
    otherwise its main phrase ("psychological safety so people raise problems" is not about people)."""
    lowered = point.lower().strip()
    if re.match(rf"({'|'.join(QUESTION_WORDS)})\b", lowered):
        return " " + " ".join(lowered.split()[1:1 + ASKED_WORDS]) + " "
    return " " + _SUBORDINATE.split(lowered, maxsplit=1)[0] + " "


def point_kind(point: str, question_kind: str | None = None) -> tuple[str, str]:
    """What a talking point is about, and the closing words of its follow-up (past tense for a
    behavioural question, conditional for the others)."""
    lowered = _about(point)
    tense = 0 if question_kind == "behavioural" else 1
    for kind, words, *closes in POINT_KINDS:
        if any(word in lowered for word in words):
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
_ACTION_VERBS = frozenset("""
    recount check escalate document confirm verify agree build measure track define share ask involve
    communicate listen apologise apologize follow train coach delegate prioritise prioritize split reduce
    monitor explain describe give keep make take tell call contact inform notify identify assess prepare
    schedule investigate analyse analyze compare consider acknowledge clarify gather collect seek offer
    provide protect ensure avoid admit fix stop start write set raise refuse decline pause
""".split())  # noqa: SIM905


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
