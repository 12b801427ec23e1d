"""PURE: a mock interview's end report from its answered items.

Per question: the score, whether the answer read as one to another question (and which), the
talking points missed, the follow-up beside its parent. Overall: delivery (length, fillers, hedges,
pace of spoken answers), the three suggestions that would raise the score most (each weighed by the
points the answers' score breakdowns say it would win back), and the mean score by competency (for
the chart).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean
from typing import Any

# What each kind of suggestion would win back, as entries of the engine's score breakdown: the parts of
# the score it would raise (a part gave `points` of its `weight`) and the caps it would lift (a cap's
# `points` are what it took, below zero). An off-topic answer's coverage is credited nothing, whatever its
# value, and its score is capped besides: both are its suggestion's to win back.
SUGGESTION_LOSSES = {
    "off_topic": ("coverage", "off_topic"), "other_question": ("coverage",),
    "missed_point": ("coverage", "coverage_cap"),
    "empty": ("coverage", "structure", "specificity", "delivery"),  # nothing said: every part lost
    "structure": ("structure",), "quantify_result": ("structure",),
    "specificity": ("specificity",),
    "length": ("delivery", "length_cap", "short_cap"), "delivery": ("delivery",), "we": ("delivery",),
    "real_example": ("hypothetical",),
}
TOP_SUGGESTIONS = 3
# Said of one answer alone: "This answer … reads more like an answer to: <the question closest to it>"
# names a question of that answer's own, true of no other (even where two answers name the same one).
PER_ANSWER = ("off_topic", "other_question")
# One suggestion of another kind stands for every answer that got one; where their words differ ("too
# short: about 7 s" and "about 40 s"), the mock report says it once for all of them, and each answer's
# own report keeps the details.
ACROSS_ANSWERS = {
    "structure": "Give each answer its structure: a story told as situation, task, action and result; "
                 "a plan as steps (each answer's report says what was missing).",
    "length": "Mind the length: aim for one to three minutes spoken (each answer's report gives its time).",
    "delivery": "Cut the fillers, hedges and clichés each answer's report lists.",
    "we": "Say “I” for what you did yourself: these answers said “we” far more.",
}


@dataclass(frozen=True)
class Item:
    number: int
    follow_up: bool
    question: str
    competencies: tuple[str, ...]
    score: int | None
    report: dict[str, Any] | None
    timed_out: bool = False
    words_per_minute: float | None = None
    prompt: str | None = None
    empty: bool = False  # no answer at all: the time ran out before one was written


@dataclass
class _Suggestion:
    kind: str
    message: str
    weight: float = 0.0
    questions: list[int] = field(default_factory=list)
    answers: list[tuple[int, bool]] = field(default_factory=list)  # (question number, whether the follow-up)


def _numbers(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"question {numbers[0]}"
    return "questions " + ", ".join(map(str, numbers[:-1])) + f" and {numbers[-1]}"


def where(answers: list[tuple[int, bool]]) -> str:
    """Which answers a suggestion is about, in words: "question 1", "the follow-up to question 2",
    "questions 1 and 3 and their follow-ups"."""
    mains = sorted({n for n, follow_up in answers if not follow_up})
    follows = sorted({n for n, follow_up in answers if follow_up})
    both = [n for n in mains if n in follows]
    parts = []
    if only_main := [n for n in mains if n not in follows]:
        parts.append(_numbers(only_main))
    if both:
        parts.append(_numbers(both) + (" and its follow-up" if len(both) == 1 else " and their follow-ups"))
    if only_follow := [n for n in follows if n not in mains]:
        parts.append(("the follow-up to " if len(only_follow) == 1 else "the follow-ups to ") + _numbers(only_follow))
    return "; ".join(parts)


def _lost(report: dict[str, Any], kind: str) -> float:
    """The points an answer lost that a suggestion of this kind would win back, as its breakdown says."""
    entries = SUGGESTION_LOSSES.get(kind, ("delivery",))
    lost = 0.0
    for item in report.get("breakdown") or ():
        if item.get("part") not in entries:
            continue
        weight = float(item.get("weight", 0))
        given = item.get("points")
        given = weight * float(item.get("value", 0)) if given is None else float(given)
        lost += weight - given  # a cap has no weight: what it took
    if kind == "missed_point":  # the coverage lost is shared by the points missed, not lost again for each
        lost /= max(1, sum(1 for s in report.get("suggestions") or () if s.get("kind") == "missed_point"))
    return lost


def off_topic_note(report: dict[str, Any]) -> str | None:
    """What the engine says of an answer that reads as one to another question ("… It reads more like an
    answer to: “…”"), or None for an answer on topic (or none at all)."""
    if report.get("on_topic") is not False or report.get("grade") == "no answer":
        return None
    said = [s.get("message") for s in report.get("suggestions") or () if s.get("kind") == "off_topic"]
    return said[0] if said and said[0] else "This answer does not seem to address the question asked."


TIMED_OUT_EMPTY = "Time ran out before you wrote anything: answer within the time, even briefly."


def covered_points(report: dict[str, Any] | None) -> list[str]:
    """The talking points an answer covered; a follow-up's were given once asked, so they count as covered
    wherever a question's answer is judged with its follow-up (this report, the prep sheet)."""
    return [p["point"] for p in (report or {}).get("talking_points") or () if p.get("covered")]


def missed_with_follow_up(report: dict[str, Any] | None, follow_up_report: dict[str, Any] | None) -> list[str]:
    """The talking points an answer missed that its follow-up (when there was one) did not give either."""
    given = set(covered_points(follow_up_report))
    return [p.get("point", "") for p in (report or {}).get("talking_points") or ()
            if not p.get("covered") and p.get("point", "") not in given]


def summarise(items: list[Item]) -> dict[str, Any]:
    """The end report, as JSON-ready data.

    Of its counts, `asked` is every question that got an answer or ran out of time; `answered`, those with
    something written; `unanswered`, those whose time ran out before anything was written (they score 0 in
    `score` and by competency, as they do in review and on the progress page); `follow_ups`, the follow-ups
    asked; `timed_out`, the answers of either kind sent when the time had run out, written or empty."""
    answered = [i for i in items if i.report is not None]
    mains = [i for i in answered if not i.follow_up]
    by_number: dict[int, dict[str, Any]] = {}
    for item in sorted(answered, key=lambda i: (i.number, i.follow_up)):
        points = item.report.get("talking_points") or ()
        missed = [p["point"] for p in points if not p.get("covered")]
        entry = {"question": item.prompt or item.question, "score": item.score, "missed": missed,
                 "covered": covered_points(item.report),
                 "points": len(points), "timed_out": item.timed_out,
                 "empty": item.empty, "off_topic": off_topic_note(item.report)}
        if item.follow_up:
            by_number.setdefault(item.number, {"number": item.number})["follow_up"] = entry
        else:
            by_number.setdefault(item.number, {"number": item.number}).update(entry,
                                                                             competencies=list(item.competencies))

    # A point the follow-up covered was given once asked: "cover it" would tell the user to do what they did.
    given_when_asked = {n: entry["follow_up"]["covered"] for n, entry in by_number.items() if "follow_up" in entry}
    suggestions: dict[str, _Suggestion] = {}
    for item in answered:
        for s in item.report.get("suggestions") or ():
            kind = s.get("kind", "")
            if kind == "missed_point" and item.report.get("on_topic") is False:
                continue  # the off-topic suggestion says it, with the same points at stake
            if kind == "missed_point" and not item.follow_up and any(
                    f"“{point}”" in s.get("message", "") for point in given_when_asked.get(item.number, ())):
                continue
            if kind == "empty":  # the engine's "nothing to score yet" reads as if the mock were still running
                s = {**s, "message": TIMED_OUT_EMPTY}
            key = f"{kind}:{s.get('message')}" if kind == "missed_point" else \
                f"{kind}:{item.number}:{item.follow_up}" if kind in PER_ANSWER else kind
            found = suggestions.setdefault(key, _Suggestion(kind, s.get("message", "")))
            if s.get("message", "") != found.message:
                found.message = ACROSS_ANSWERS.get(kind, found.message)
            found.weight += _lost(item.report, kind) or 1.0
            if item.number not in found.questions:
                found.questions.append(item.number)
            if (item.number, item.follow_up) not in found.answers:
                found.answers.append((item.number, item.follow_up))
    top = sorted(suggestions.values(), key=lambda s: (-s.weight, s.kind, s.message))[:TOP_SUGGESTIONS]

    words = [int((i.report.get("delivery") or {}).get("words") or 0) for i in answered]
    # The length of an answer: the questions' own, not the follow-ups (one point each, short by design)
    # nor an empty one sent when time ran out (no answer has no length).
    lengths = [int((i.report.get("delivery") or {}).get("words") or 0) for i in mains if not i.empty]
    fillers = sum(sum((i.report.get("delivery") or {}).get("fillers", {}).values()) for i in answered)
    hedges = sum(sum((i.report.get("delivery") or {}).get("hedges", {}).values()) for i in answered)
    paces = [i.words_per_minute for i in answered if i.words_per_minute]
    competency_scores: dict[str, list[int]] = defaultdict(list)
    for item in mains:
        for name in item.competencies or ("other",):
            competency_scores[name].append(item.score or 0)
    return {
        "score": round(mean(i.score or 0 for i in mains)) if mains else None,
        "asked": len(mains),
        "answered": sum(1 for i in mains if not i.empty),
        "unanswered": sum(1 for i in mains if i.empty),
        "follow_ups": sum(1 for i in answered if i.follow_up),
        "timed_out": sum(1 for i in answered if i.timed_out),
        "questions": [by_number[n] for n in sorted(by_number)],
        "delivery": {
            "mean_words": round(mean(lengths)) if lengths else 0,
            "fillers": fillers,
            "fillers_per_100_words": round(100 * fillers / sum(words), 1) if sum(words) else 0.0,
            "hedges": hedges,
            "words_per_minute": round(mean(paces)) if paces else None,
        },
        "suggestions": [{"kind": s.kind, "message": s.message, "questions": s.questions, "where": where(s.answers),
                         "points_at_stake": round(s.weight, 1)} for s in top],
        "competencies": [{"competency": name, "score": round(mean(scores)), "questions": len(scores)}
                         for name, scores in sorted(competency_scores.items())],
    }
