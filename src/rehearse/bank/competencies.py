"""Guess competency tags for imported questions that come without any.

A small keyword table, applied to the question and its guidance; an editor can
replace the result. Tags match the ones the built-in bank uses.
"""

from __future__ import annotations

KEYWORDS: dict[str, tuple[str, ...]] = {
    "strategy": ("strategy", "strategic", "roadmap", "vision", "long-term", "okr", "direction", "plan for"),
    "hiring": ("hiring", "hire", "recruit", "interview loop", "onboard", "headcount", "candidate"),
    "people-management": ("underperform", "performance review", "1:1", "one-on-one", "direct report", "manage",
                          "motivat", "delegat", "conflict"),
    "coaching": ("coach", "mentor", "career", "grow", "develop", "feedback"),
    "delivery": ("deadline", "deliver", "ship", "release", "launch", "execution", "velocity", "prioriti"),
    "architecture": ("architect", "system design", "scalab", "platform", "monolith", "microservice", "multi-tenant",
                     "build vs", "in-house", "data infrastructure"),
    "technical-debt": ("technical debt", "tech debt", "legacy", "refactor", "fragile codebase"),
    "incidents": ("incident", "outage", "on-call", "sev-1", "postmortem", "alerting", "reliability"),
    "security": ("security", "privacy", "compliance", "vulnerab", "breach"),
    "quality": ("quality", "testing", "tests", "code review", "bug"),
    "metrics": ("metric", "measure", "kpi", "dora", "cycle time", "analytics", "data-driven"),
    "stakeholders": ("stakeholder", "sales", "customer", "founder", "executive", "product leader", "partner with"),
    "communication": ("communicat", "influence", "present", "alignment", "explain"),
    "culture": ("culture", "values", "rituals", "inclusion", "diversity", "psychological safety", "morale"),
    "budget": ("budget", "cost", "spend", "finance", "vendor"),
    "product": ("product", "design", "user", "discovery"),
    "change-management": ("change", "pivot", "ambiguity", "transformation", "reorg", "uncertain"),
    "remote": ("remote", "distributed", "time zone", "async"),
}
MAX_TAGS = 3
_ORDER = {tag: index for index, tag in enumerate(KEYWORDS)}


def _has_word_starting(text: str, keyword: str) -> bool:
    """`keyword` occurs at the start of a word; a cheap substring test first, as imports run this often."""
    start = text.find(keyword)
    while start != -1:
        if start == 0 or not text[start - 1].isalnum():
            return True
        start = text.find(keyword, start + 1)
    return False


def infer_competencies(text: str) -> list[str]:
    """Up to three tags, ordered by how many of their keywords appear."""
    lowered = text.lower()
    scores = []
    for tag, words in KEYWORDS.items():
        hits = sum(1 for word in words if _has_word_starting(lowered, word))
        if hits:
            scores.append((-hits, _ORDER[tag], tag))
    return [tag for *_, tag in sorted(scores)[:MAX_TAGS]]
