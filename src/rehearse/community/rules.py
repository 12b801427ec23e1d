"""Community rules shared by every part of the workflow: what is compared, the size limits, the per-user
rate limits, the errors (each with the HTTP status that says why), input checks and permissions, and the
licence contributions are published under."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import Bank, Question, Role, utcnow
from rehearse.db.database import begin_writing
from rehearse.formats.checks import MAX_COMPETENCY, MAX_TALKING_POINTS
from rehearse.formats.model import KINDS as QUESTION_KINDS
from rehearse.formats.model import is_blank, same_text
from rehearse.throttle import service as throttle
from rehearse.throttle.models import Throttle
from rehearse.throttle.service import Rule

FIELDS = ("example_answer", "intent", "talking_points")
DEFAULT_LICENCE = "CC-BY-4.0"  # banks that state none publish community edits under this licence
# Size limits: a long example answer is ~600 words (~4,000 characters); these leave room for
# five times that and refuse pasted books.
MAX_ANSWER = 20_000
MAX_INTENT = 2_000
MAX_POINTS = MAX_TALKING_POINTS  # the same for a suggestion as for a bank file, and what the API documents
MAX_POINT = 300
MAX_QUESTION = 1_000
MAX_REASON = 2_000
MAX_COMMENT = 5_000
MAX_COMPETENCIES = 8  # a suggested question's competencies: the bank's questions have 1–3; room for more
QUEUE_PAGE = 20  # suggestions per queue page, each shown with its diff (the diffs are the cost)
HISTORY_PAGE = 20  # revisions (with their diffs) per history page; the diffs are the cost


# Per-user limits, counted in the database (rehearse.throttle: one locked row per rule and user), so
# they hold across app processes. Fixed windows: a keen contributor suggests a few an hour.
SUGGESTION_LIMIT = Rule("community-suggestions", free=20, window=timedelta(hours=1))
COMMENT_LIMIT = Rule("community-comments", free=30, window=timedelta(minutes=10))
VOTE_LIMIT = Rule("community-votes", free=120, window=timedelta(minutes=10))  # voting down a queue is fine
# Previews run the feedback engine (CPU): checked before the engine runs, counted after.
PREVIEW_LIMIT = Rule("community-previews", free=60, window=timedelta(minutes=10))
_ACTIONS = {SUGGESTION_LIMIT.name: "suggestions", COMMENT_LIMIT.name: "comments", VOTE_LIMIT.name: "votes",
            PREVIEW_LIMIT.name: "previews"}


class CommunityError(ValueError):
    """Bad input or a refused action; the message is safe to show. `field` names the input it is about, as
    the forms and the API name it ("example_answer", "talking_points", "text" …), or None (a limit, a conflict)."""

    status = 400

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


# checked_text's names for a text, where the form's field is called otherwise.
_FIELD_OF_TEXT = {"question": "text"}


class NotFound(CommunityError):
    status = 404


class Forbidden(CommunityError):
    status = 403


class Conflict(CommunityError):
    """The suggestion no longer fits the current revision, or was decided already."""

    status = 409


class RateLimited(CommunityError):
    status = 429

    def __init__(self, limit: Rule, retry_after: int):
        self.retry_after = max(1, retry_after)
        minutes = max(1, round(self.retry_after / 60))
        super().__init__(f"Too many {_ACTIONS.get(limit.name, limit.name)}: at most {limit.free} in "
                         f"{_span(limit.window)}. Try again in about {minutes} minute{'s' if minutes != 1 else ''}.")


def _span(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    return f"{minutes // 60} hour{'s' if minutes >= 120 else ''}" if minutes % 60 == 0 else f"{minutes} minutes"


def checked_text(value: str | None, name: str, limit: int, *, required: bool = False) -> str | None:
    """The text with Windows line ends folded and spaces trimmed; CommunityError if missing, empty or too long.

    A text that shows nothing (spaces, zero-width spaces, other invisible characters) is empty: "" when
    not `required`. Every never-blank rule of the community comes through here or `clean_points`."""
    field = _FIELD_OF_TEXT.get(name, name.replace(" ", "_"))
    if value is None:
        if required:
            raise CommunityError(f"The {name} is missing.", field=field)
        return None
    value = value.replace("\r\n", "\n").strip()
    if is_blank(value):
        value = ""
    if required and not value:
        raise CommunityError(f"The {name} is empty.", field=field)
    if len(value) > limit:
        raise CommunityError(f"The {name} is {len(value):,} characters long; the most allowed is {limit:,}.",
                             field=field)
    return value


POINTS, COMPETENCIES = "talking_points", "competencies"


def clean_points(points: Sequence[str] | str | None, *, required: bool = True) -> list[str] | None:
    """Talking points from a list (each item a point) or from text with one point per line (blank lines
    skipped). CommunityError for an empty item, a point given twice, too many or too long ones, and (when
    `required`) for none at all: a question without points is scored against nothing. A point that shows
    nothing (only invisible characters) is empty: a blank line, or an empty item."""
    if points is None:
        return None
    items = [line for line in points.splitlines() if not is_blank(line)] if isinstance(points, str) else list(points)
    cleaned = [" ".join(str(p).split()).lstrip("-*• ").strip() for p in items]
    cleaned = ["" if is_blank(p) else p for p in cleaned]
    if (blank := next((number for number, p in enumerate(cleaned, start=1) if not p), None)) is not None:
        raise CommunityError(f"Talking point {blank} is empty: give each point some words, or leave it out.",
                             field=POINTS)
    if required and not cleaned:
        raise CommunityError("There are no talking points: a question needs at least one, or answers to it "
                             "are scored against nothing.", field=POINTS)
    if len(cleaned) > MAX_POINTS:
        raise CommunityError(f"There are {len(cleaned)} talking points; the most allowed is {MAX_POINTS}.",
                             field=POINTS)
    seen: set[str] = set()
    for point in cleaned:
        if len(point) > MAX_POINT:
            raise CommunityError(f"A talking point is {len(point)} characters long; the most allowed is {MAX_POINT}.",
                                 field=POINTS)
        if same_text(point) in seen:
            raise CommunityError(f"The talking point “{shorten(point)}” is given twice.", field=POINTS)
        seen.add(same_text(point))
    return cleaned


def checked_kind(kind: str | None) -> str | None:
    """A suggested question's kind, one of the bank's (behavioural, situational, other), or None (""
    included): worked out from the question's text on acceptance. CommunityError for any other."""
    if kind is None or not kind.strip():
        return None
    kind = kind.strip().lower()
    if kind not in QUESTION_KINDS:
        raise CommunityError(f"A question's kind is one of {', '.join(QUESTION_KINDS)}, not “{shorten(kind)}”.",
                             field="kind")
    return kind


def clean_competencies(names: Sequence[str] | str | None) -> list[str] | None:
    """A suggested question's competencies, from a list or from text separated by commas, written as the
    bank writes them ("People management" is "people-management"), each once; None when none are given
    (they are then inferred on acceptance, as an import infers them). CommunityError for a name too long
    or a list too long; a name that shows nothing is skipped."""
    if names is None:
        return None
    items = names.split(",") if isinstance(names, str) else list(names)
    cleaned: list[str] = []
    for item in items:
        if "," in item:
            raise CommunityError(f"A competency is one name without commas, not “{shorten(item)}”.",
                                 field=COMPETENCIES)
        name = "-".join(item.lower().split())
        if is_blank(name):
            continue
        if len(name) > MAX_COMPETENCY:
            raise CommunityError(f"A competency is {len(name)} characters long; the most allowed is "
                                 f"{MAX_COMPETENCY}.", field=COMPETENCIES)
        if name not in cleaned:
            cleaned.append(name)
    if len(cleaned) > MAX_COMPETENCIES:
        raise CommunityError(f"There are {len(cleaned)} competencies; the most allowed is {MAX_COMPETENCIES}.",
                             field=COMPETENCIES)
    return cleaned or None


def require_active(user: User) -> None:
    """Forbidden for a suspended account."""
    if not user.active:
        raise Forbidden("This account is suspended.")


def require_editor(user: User) -> None:
    """Forbidden unless the user is an active editor or admin."""
    require_active(user)
    if user.role not in ("editor", "admin"):
        raise Forbidden("Only editors can do this.")


def count_action(session: Session, user: User, limit: Rule, now: datetime) -> None:
    """Count one action by this user; RateLimited (and nothing counted) once past the rule."""
    try:
        with session.begin_nested():
            throttle.hit(session, limit, f"user:{user.id}", now=now)
    except throttle.Limited as limited:
        raise RateLimited(limit, limited.retry_after) from None


def preview_allowed(session: Session, *, user: User, now: datetime | None = None) -> None:
    """Refuse (RateLimited) a preview from a user past the preview limit; reads only, so the engine
    is not run for someone who must wait. `count_preview` counts the preview once it has run."""
    require_active(user)
    now = now or utcnow()
    row = session.get(Throttle, throttle.key(PREVIEW_LIMIT, f"user:{user.id}"))
    blocked = row.blocked_until if row is not None else None
    if blocked is not None and blocked.tzinfo is None:
        blocked = blocked.replace(tzinfo=now.tzinfo)
    if blocked is not None and blocked > now:
        raise RateLimited(PREVIEW_LIMIT, int((blocked - now).total_seconds()) + 1)


def count_preview(session: Session, *, user: User, now: datetime | None = None) -> None:
    """Count one preview (in a writing transaction)."""
    count_action(session, user, PREVIEW_LIMIT, now or utcnow())


T = TypeVar("T")


def counted_preview(session: Session, *, user: User, make: Callable[[], T]) -> T:
    """Run the engine for a preview (`make`) if the user is within the preview limit, then count it:
    the check only reads, so no write lock is held while the answer is scored."""
    preview_allowed(session, user=user)
    made = make()
    begin_writing(session)
    count_preview(session, user=user)
    return made


def licence_of(session: Session, *, question_id: int | None = None, role_id: int | None = None) -> str:
    """The licence community contributions to this question's (or role's) bank are published under."""
    statement = select(Bank.licence)
    if question_id is not None:
        statement = statement.join(Question, Question.bank_id == Bank.id).where(Question.id == question_id)
    else:
        statement = statement.join(Role, Role.bank_id == Bank.id).where(Role.id == role_id)
    return session.scalar(statement) or DEFAULT_LICENCE


def shorten(text: str, limit: int = 80) -> str:
    """The text cut to `limit` characters with an ellipsis, for a notification."""
    return text if len(text) <= limit else text[: limit - 1] + "…"
