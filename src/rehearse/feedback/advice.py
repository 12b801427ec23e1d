"""The report's suggestions: what would raise the score most, in the order a candidate acts on them."""

from __future__ import annotations

from .delivery import clock
from .models import Specificity, Suggestion
from .quoting import excerpt

OTHER_QUESTION_RATIO = -0.9  # bm25_ratio at or below which an on-topic answer is told its words point elsewhere


def advice_for(points, structure, spec: Specificity, delivery, on_topic, detail, basis,
               hypothetical: bool = False, language: str | None = None) -> tuple[Suggestion, ...]:
    """The suggestions for a report: off-topic first, then each point missed (with the bank's example of
    it), the story's shape, specifics, length and delivery. `detail`: the relevance judge's; `basis`:
    what coverage was judged against (talking points, or the example answer's parts). `language`: the
    language the answer is written in, when it is not English (language.other_language)."""
    out: list[Suggestion] = []
    if language:
        # said first: it explains the rest of the report (a point the model missed, no specifics found)
        out.append(Suggestion("language", f"This answer reads as {language}. Rehearse judges the talking points "
                              "by meaning in any language, but it reads structure, specifics and delivery in "
                              "English only, so it may miss them here: answer in English for the full report."))
    if not on_topic:
        other = detail.get("closest_other_question")
        msg = "This answer does not seem to address the question asked."
        if other and detail.get("margin", 0) < 0 and "floor" not in detail:  # not about the bank at all
            msg += f" It reads more like an answer to: “{other}”"
        out.append(Suggestion("off_topic", msg))
    elif (detail.get("bm25_ratio", 0.0) <= OTHER_QUESTION_RATIO and detail.get("closest_other_question")
          and "floor" not in detail and "not_judged" not in detail):
        # on topic by the judge, but its words point elsewhere: said, not scored (train: 2% of the
        # questions' own answers get this, and 34% of the off-topic pairs the judge lets through). The
        # other question is named only where the two word measures agree on it: the closest by shared
        # words and the one the BM25 ratio compares with (train: right 8 times of 11 then, and 6 of 20
        # where they differ, when the report named a question unrelated to the answer)
        other = detail["closest_other_question"]
        if detail.get("words_closest_question", other) == other:
            said = f"its words match another question more closely (“{other}”)."
        else:
            said = "its words match other questions of the bank more closely than this one."
        out.append(Suggestion("other_question", f"Check that this answers the question asked: {said}"))
    for p in points:
        if not p.covered:
            what = "point" if basis == "talking_points" else "part of the example answer"
            msg = (f"Cover the {what} “{p.point}”" if basis == "talking_points"
                   else f"Cover this {what}: “{p.point}”")
            if p.strength >= 0.3 and p.evidence and on_topic:
                msg += f": you touch on it (“{excerpt(p.evidence, p.point)}”) but give it no substance."
            else:
                msg += "."
            out.append(Suggestion("missed_point", msg, p.example))
    if hypothetical:
        out.append(Suggestion("real_example", "The question asks about a time you did this: "
                              "tell one real example (what was happening, what you did, what "
                              "changed) rather than what you would do."))
    elif structure.kind == "behavioural":
        star = structure.star or {}
        missing = [k for k, v in star.items() if not v]
        if star.get("situation") and star.get("action") and "task" in missing:
            # a scene and what was done imply the task; strong stories rarely state it (the
            # blind set: 5% of strong answers say "my goal was…"), so asking for it is noise
            missing.remove("task")
        if missing:
            out.append(Suggestion("structure", "Use STAR: add the missing "
                                  + ", ".join(missing) + "."))
        if not structure.result_quantified and star.get("result"):  # no result: "add the missing result" says it
            out.append(Suggestion("quantify_result", "Quantify the result: a number (a metric before and "
                                  "after) or a time frame that shows what changed."))
    elif structure.kind == "situational" and not structure.framework:
        out.append(Suggestion("structure", "Lay out your approach as steps (first…, then…, "
                              "finally…) or name the framework you would use."))
    if spec.score < 0.4:
        out.append(Suggestion("specificity", "Add specifics: numbers, time frames, and the "
                              "practices or tools you used."))
    lo, hi = (clock(s) for s in delivery.target_seconds)
    if delivery.length_verdict == "short":
        # in the unit of the target, m:ss as the rest of the report: "20 words; aim for 60–180 s" asked
        # the reader to convert, and "51 s" beside "0:51 spoken" to compare two units
        said = (f"about {clock(delivery.speaking_seconds)} spoken" if delivery.speaking_seconds >= 10
                else f"{delivery.words} word{'s' if delivery.words != 1 else ''}, under 0:10 spoken")
        out.append(Suggestion("length", f"Too short: {said}; aim for {lo}–{hi}."))
    elif delivery.length_verdict == "long":
        out.append(Suggestion("length", f"Too long: about {clock(delivery.speaking_seconds)} "
                              f"spoken; keep it under {hi}."))
    if (structure.kind == "behavioural" and delivery.we_share is not None
            and delivery.we_share > 0.6 and delivery.we_count >= 4):
        out.append(Suggestion("we", f"Too much “we” ({delivery.we_count} vs "
                              f"{delivery.i_count} “I”): say what you did yourself."))
    for label, counts in (("filler words", delivery.fillers), ("hedges", delivery.hedges)):
        if sum(counts.values()) >= 3:
            top = ", ".join(f"“{k}” ×{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
            out.append(Suggestion("delivery", f"Cut the {label}: {top}."))
    if delivery.cliches:
        out.append(Suggestion("delivery", "Replace clichés with specifics: "
                              + ", ".join(f"“{k}”" for k in delivery.cliches) + "."))
    return tuple(out)
