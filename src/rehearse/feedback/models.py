"""Frozen dataclasses in and out of the feedback engine."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ANSWER_CHARS = 30_000  # ~5,000 words (~33 min spoken): far past any real answer, still fast
KINDS = ("behavioural", "situational", "other")
# What a follow-up may ask for that is a part of the answer's shape, not a point of the rubric
ASKED_PARTS = ("situation", "task", "action", "result", "numbers", "steps")


class AnswerTooLong(ValueError):
    """The answer is longer than MAX_ANSWER_CHARS."""

    def __init__(self, length: int, limit: int = MAX_ANSWER_CHARS) -> None:
        self.length = length
        self.limit = limit
        super().__init__(
            f"answer is {length:,} characters long; the feedback engine accepts at most "
            f"{limit:,} characters (about {limit // 6:,} words). Shorten it or split it."
        )


@dataclass(frozen=True)
class Question:
    """A question as the engine sees it: text, rubric (talking points), optional example."""

    text: str
    talking_points: tuple[str, ...] = ()
    example_answer: str | None = None
    intent: str | None = None
    kind: str | None = None  # "behavioural" | "situational" | "other" | None: detect from text
    competencies: tuple[str, ...] = ()
    # The points this answer is asked about, when not all (a mock's follow-up: "You didn't say how
    # you measured it…"): every point is judged, so each is read against the others as the full
    # rubric was calibrated, but only these are reported and scored. Empty: all of them.
    focus: tuple[str, ...] = ()
    # A part of the story or plan the answer is asked for ("How did it end?", "Can you put numbers on
    # it?"), one of ASKED_PARTS: its point, the one in `focus`, is judged by the rules that find that
    # part (a sentence encoder cannot tell "the result and what you learned" from any other sentence).
    asked_part: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.text, str):
            raise TypeError("Question.text must be a string")
        # accept lists from callers but keep the dataclass hashable and frozen
        object.__setattr__(self, "talking_points", tuple(p for p in self.talking_points if p))
        object.__setattr__(self, "competencies", tuple(self.competencies))
        object.__setattr__(self, "focus", tuple(self.focus))
        if not set(self.focus) <= set(self.talking_points):
            raise ValueError("Question.focus must name talking points of the question")
        if self.asked_part is not None and (self.asked_part not in ASKED_PARTS or len(self.focus) != 1):
            raise ValueError(f"Question.asked_part must be one of {ASKED_PARTS}, with one point in focus")
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"Question.kind must be one of {KINDS} or None, not {self.kind!r}")


@dataclass(frozen=True)
class TalkingPointResult:
    point: str
    covered: bool
    strength: float  # 0-1, graded match
    evidence: str | None  # the answer's sentence(s) that cover the point, or None
    example: str | None = None  # the example answer's sentence that shows the point


@dataclass(frozen=True)
class BreakdownItem:
    part: str
    weight: float  # the most this part can give, in points
    value: float  # 0-1
    points: float  # weight * value (before any off-topic cap)
    note: str = ""


@dataclass(frozen=True)
class Structure:
    kind: str
    kind_source: str  # "question" (given) or "detected"
    star: dict[str, bool] | None  # behavioural: situation/task/action/result present
    result_quantified: bool | None
    framework: bool | None  # situational: steps or a framework laid out
    steps: int
    score: float  # 0-1


@dataclass(frozen=True)
class Specificity:
    numbers: tuple[str, ...]
    time_frames: tuple[str, ...]
    named_practices: tuple[str, ...]
    job_terms: tuple[str, ...]
    score: float  # 0-1


@dataclass(frozen=True)
class Delivery:
    words: int
    sentences: int
    words_per_minute: int
    speaking_seconds: float
    target_seconds: tuple[int, int]
    length_verdict: str  # "short" | "ok" | "long" | "empty"
    fillers: dict[str, int]
    hedges: dict[str, int]
    cliches: dict[str, int]
    i_count: int  # "I" as a subject (I, I'm, I've, I'd, I'll): not "me" or "my"
    we_count: int  # "we" as a subject (we, we're, we've, we'd, we'll): not "us" or "our"
    we_share: float | None  # we / (I + we)
    score: float  # 0-1


@dataclass(frozen=True)
class Suggestion:
    kind: str  # "missed_point" | "quantify_result" | "structure" | "length" | "we" | ...
    message: str
    example: str | None = None


@dataclass(frozen=True)
class Report:
    score: int
    grade: str
    breakdown: tuple[BreakdownItem, ...]
    coverage: float | None
    coverage_basis: str  # "talking_points" | "example_answer" | "none"
    talking_points: tuple[TalkingPointResult, ...]
    on_topic: bool
    relevance: float  # 0-1
    relevance_detail: dict[str, Any]
    structure: Structure
    specificity: Specificity
    delivery: Delivery
    suggestions: tuple[Suggestion, ...]
    engine: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-able dict (tuples become lists)."""
        return _jsonable(asdict(self))


def _jsonable(obj: Any) -> Any:
    if isinstance(obj, dict):
        return {k: _jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_jsonable(v) for v in obj]
    if isinstance(obj, float):
        return round(obj, 4)
    return obj
