"""What the user-data API returns, and what an imported document may hold (the document itself is described in
the README).

An import stores only what the app itself could have made: the same ranges and names as the paths that create
each thing (a score of 0-100, a mode, a grade, the mock limits, a story the story form would take, no date in
the future). The types of the values are checked against their columns as the rows are written (checks.py);
these are the rules on top, in one place, each refusal naming the item ("mock 2: seconds_per_answer is 30 to
900, not 0").
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from typing import Annotated, Any

from fsrs.scheduler import DEFAULT_PARAMETERS
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from rehearse.accounts.users import MAX_DISPLAY_NAME
from rehearse.bank.models import utcnow
from rehearse.feedback.engine import GRADES
from rehearse.formats.model import is_blank
from rehearse.mock import service as mocks
from rehearse.mock.models import STATUSES
from rehearse.practice.models import MODES
from rehearse.scheduling.fsrs_card import utc
from rehearse.stories import service as story_rules


class ImportResult(BaseModel):
    attempts: int
    cards: int
    reviews: int
    stories: int
    mocks: int
    plans: int = 0
    suggestions: int = 0
    comments: int = 0
    votes: int = 0
    notifications: int = 0
    comment_reports: int = 0
    community_left_out: int = Field(0, description="Votes, comments, notifications and reports of comments on "
                                                   "someone else's suggestion that is not on this server, so not "
                                                   "imported.")


# --- what an imported document may hold ---------------------------------------------------------

FUTURE_SLACK = timedelta(days=1)  # two servers' clocks differ; no export was made a day ahead of this one
PLAN_ITEMS = 25  # the most questions a plan has ever kept (15 now)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def within(low: float | None, high: float | None) -> AfterValidator:
    """A number from `low` to `high` (None: no bound). A value that is not a number is left to the column
    checks, which say so."""

    def check(value: Any) -> Any:
        if _number(value) and ((low is not None and value < low) or (high is not None and value > high)):
            span = f"{low} to {high}" if low is not None and high is not None else \
                f"at least {low}" if low is not None else f"at most {high}"
            raise ValueError(f"is {span}, not {value!r}")
        return value

    return AfterValidator(check)


def one_of(*names: Any) -> AfterValidator:
    def check(value: Any) -> Any:
        if value not in names:
            raise ValueError(f"is {' or '.join(map(repr, names))}, not {_show(value)}")
        return value

    return AfterValidator(check)


def _not_blank(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        raise ValueError("is empty")
    return value


def _not_future(value: Any) -> Any:
    """A date that is not in the future (one the loader cannot read is left to it: it says which)."""
    try:
        moment = datetime.fromisoformat(str(value)) if value is not None else None
    except ValueError:
        return value
    if moment is not None and utc(moment) > utcnow() + FUTURE_SLACK:
        raise ValueError(f"is in the future ({value})")
    return value


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


Moment = Annotated[Any, AfterValidator(_not_future)]
Score = Annotated[Any, within(0, 100)]
Text = Annotated[Any, AfterValidator(_not_blank)]


class _Part(BaseModel):
    """Every field the loader reads is named here (a missing one is "attempt 1: report is missing", never a
    KeyError); those with rules are checked here, the rest against their columns as they load."""

    model_config = ConfigDict(extra="ignore")


def _ref(*keys: str) -> Any:
    """An object of short texts under these keys ({"bank", "question"}), as the export names a question."""
    shape = "{" + ", ".join(f'"{key}": …' for key in keys) + "}"

    def check(value: Any) -> Any:
        if not (isinstance(value, dict) and all(isinstance(value.get(key), str) for key in keys)):
            raise ValueError(f"is {shape}, not {_show(value)}")
        return value

    return check


QuestionRef = Annotated[Any, AfterValidator(_ref("bank", "question"))]
RoleRef = Annotated[Any, AfterValidator(lambda v: v if v is None else _ref("bank", "role")(v))]
# Attempts, comments and suggestions are referred to by their number in the document.
Number = Annotated[int, Field(strict=True, ge=1)]
NumberOrNone = Annotated[int | None, Field(strict=True, ge=1)]
Maybe = Annotated[Any, Field()]  # any value, null included, but present: the loader reads it


GRADE_NAMES = (*(name for _, name in GRADES), "off-topic", "no answer")  # what the engine calls a report


class AttemptIn(_Part):
    number: Number
    question: QuestionRef
    answer: Text
    mode: Annotated[Any, one_of(*MODES)]
    duration_s: Annotated[Any, within(0, None)]  # practice.record keeps no duration past four hours
    score: Score
    grade: Annotated[Any, one_of(*GRADE_NAMES)]
    report: Maybe
    speech: Maybe
    created_at: Moment
    tries_again: NumberOrNone


class ReviewIn(_Part):
    attempt: NumberOrNone
    score: Score
    suggested_rating: Annotated[Any, one_of(None, 1, 2, 3, 4)]
    rating: Annotated[Any, one_of(1, 2, 3, 4)]
    source: Annotated[Any, one_of("score", "override")]
    reviewed_at: Moment


class CardIn(_Part):
    question: QuestionRef
    state: Annotated[Any, one_of(1, 2, 3)]  # fsrs.State: learning, review, relearning
    step: Annotated[Any, within(0, None)]
    stability: Annotated[Any, within(0, None)]
    difficulty: Annotated[Any, within(1, 10)]  # FSRS keeps it in 1-10
    due: Maybe  # in the future, as a card's due time is
    reviews: Annotated[Any, within(0, None)]
    last_review: Moment
    created_at: Moment
    log: list[ReviewIn]


class SchedulerIn(_Part):
    parameters: list[Any]
    desired_retention: Annotated[Any, within(0.01, 0.99)]
    review_count: Annotated[Any, within(0, None)]
    optimised_at: Moment

    @model_validator(mode="after")
    def _as_many_as_fsrs(self) -> SchedulerIn:
        if len(self.parameters) != len(DEFAULT_PARAMETERS):
            raise ValueError(f"parameters are {len(DEFAULT_PARAMETERS)} numbers (FSRS's), not {len(self.parameters)}")
        return self


class StoryIn(_Part):
    title: Any
    situation: Any
    task: Any
    action: Any
    result: Any
    competencies: list[Any]
    tags: list[Any]
    created_at: Moment
    updated_at: Moment

    @model_validator(mode="after")
    def _as_the_story_form_takes_it(self) -> StoryIn:
        """The story service's own rules: a title, one part at least, lengths, no comma in a tag."""
        parts = (self.title, self.situation, self.task, self.action, self.result)
        if all(isinstance(part, str) for part in parts):  # other types: the column checks say so
            try:
                story_rules.check(story_rules.StoryInput(*parts, competencies=tuple(map(str, self.competencies)),
                                                 tags=tuple(map(str, self.tags))))
            except story_rules.StoryRejected as rejected:
                raise ValueError(str(rejected)) from None
        return self


class MockItemIn(_Part):
    number: Annotated[Any, within(1, mocks.MAX_QUESTIONS)]
    follow_up: Maybe
    question: QuestionRef
    prompt: Maybe
    follow_up_reason: Maybe
    follow_up_point: Maybe
    answer: Maybe
    duration_s: Annotated[Any, within(0, mocks.MAX_SECONDS + mocks.GRACE_S)]
    timed_out: Maybe
    score: Score
    report: Maybe
    started_at: Moment
    answered_at: Moment
    attempt: NumberOrNone


class MockIn(_Part):
    role: RoleRef
    bank: Annotated[str | None, Field(strict=True)]
    title: Text
    question_count: Annotated[Any, within(mocks.MIN_QUESTIONS, mocks.MAX_QUESTIONS)]
    seconds_per_answer: Annotated[Any, within(mocks.MIN_SECONDS, mocks.MAX_SECONDS)]
    seed: Annotated[Any, within(0, mocks.SEED_LIMIT)]
    mode: Annotated[Any, one_of(*mocks.MODES)]
    status: Annotated[Any, one_of(*STATUSES)]
    follow_ups: Maybe
    summary: Maybe
    created_at: Moment
    finished_at: Moment
    items: list[MockItemIn] = Field(max_length=2 * mocks.MAX_QUESTIONS)  # each question and its follow-up

    @model_validator(mode="after")
    def _items_of_its_questions(self) -> MockIn:
        if _number(self.question_count):
            beyond = [i.number for i in self.items if _number(i.number) and i.number > self.question_count]
            if beyond:
                raise ValueError(f"has {self.question_count} questions, but an item is question {beyond[0]}")
        if (self.status == "finished") != (self.finished_at is not None):
            raise ValueError(f"is {self.status!r} with finished_at {self.finished_at!r}: a mock is finished when "
                             "it has a finishing time, and only then")
        return self


class PlanItemIn(_Part):
    question: QuestionRef
    last_score: Score = None


class PlanIn(_Part):
    role: RoleRef
    title: Text
    posting: Text
    created_at: Moment
    items: list[PlanItemIn] = Field(max_length=PLAN_ITEMS)


def _display_name(value: Any) -> Any:
    """The settings form's rules (accounts.users.rename): text, not blank once runs of spaces are one space,
    at most 120 characters."""
    if not isinstance(value, str):
        raise ValueError(f"is text, not {_show(value)}")
    name = " ".join(value.split())
    if is_blank(name):
        raise ValueError("is empty")
    if len(name) > MAX_DISPLAY_NAME:
        raise ValueError(f"is at most {MAX_DISPLAY_NAME} characters, not {len(name)}")
    return value


class UserIn(_Part):
    display_name: Annotated[Any, AfterValidator(_display_name)] = None  # left out: the account keeps its own


class DocumentIn(_Part):
    user: UserIn | None = None
    attempts: list[AttemptIn]
    cards: list[CardIn]
    scheduler: SchedulerIn | None = None
    stories: list[StoryIn] = Field(max_length=story_rules.MAX_STORIES)  # the most one account keeps
    mocks: list[MockIn]
    plans: list[PlanIn] = []


ITEM_NAMES = {"attempts": "attempt", "cards": "card", "log": "review", "stories": "story", "mocks": "mock",
              "items": "item", "plans": "plan"}


def _where(location: tuple) -> tuple[str, str]:
    """("mocks", 1, "items", 0, "score") → ("mock 2, item 1", "score")."""
    named, field, steps = [], [], list(location)
    while steps:
        step = steps.pop(0)
        if step in ITEM_NAMES and steps and isinstance(steps[0], int):
            named.append(f"{ITEM_NAMES[step]} {steps.pop(0) + 1}")
        else:
            field.append(str(step))
    return ", ".join(named) or "the document", ".".join(field)


def problem(document: dict) -> str | None:
    """What in the document the app could not have made ("attempt 3: score is 0 to 100, not 1000"), or None."""
    try:
        DocumentIn.model_validate(document)
    except ValidationError as invalid:
        error = invalid.errors(include_url=False)[0]
        where, field = _where(error["loc"])
        if error["type"] == "value_error":
            said = str(error["ctx"]["error"])
        elif error["type"] == "missing":
            said = "is missing"
        elif error["type"] == "too_long":
            said = f"holds more than the {error['ctx']['max_length']} there can be"
        elif error["type"] in ("model_type", "dict_type"):
            said = "is not an object"
        elif error["type"] == "list_type":
            said = "is not a list"
        elif error["type"] in ("int_type", "greater_than_equal"):  # the numbers items refer to each other by
            said = f"is an item's number (a whole number from 1){' or null' if field != 'number' else ''}, " \
                   f"not {_show(error['input'])}"
        elif error["type"] == "string_type":
            said = f"is text or null, not {_show(error['input'])}"
        else:
            said = error["msg"][0].lower() + error["msg"][1:]
        return f"{where}: {field} {said}" if field else f"{where}: {said}"
    return None
