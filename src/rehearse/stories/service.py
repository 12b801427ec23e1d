"""Story use cases: a user's own STAR stories, suggested for a question, scored against one.

Every read and write takes the user and filters by it: a story is its owner's alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import Question, utcnow
from rehearse.formats.model import is_blank

from . import fit
from .models import Story

if TYPE_CHECKING:
    from rehearse.practice.scoring import PreparedQuestion

log = logging.getLogger("rehearse.stories")
MAX_TITLE = 200
MAX_PART = 5_000  # characters in each of situation, task, action and result: a story, not a memoir
MAX_TAGS, MAX_TAG = 20, 40
MAX_STORIES = 500  # per user
PARTS = ("situation", "task", "action", "result")
NO_PART = "Write at least one of situation, task, action and result."


class StoryRejected(ValueError):
    """`problems` pairs each message with the form field it is about ("" for none), so a form marks them all."""

    def __init__(self, message: str, status: int = 422, *, problems: tuple[tuple[str, str], ...] = ()):
        self.status = status
        self.problems = problems or (("", message),)
        super().__init__(message)


@dataclass(frozen=True)
class StoryInput:
    title: str
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = ""
    competencies: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


def _clean_names(values, what: str, plural: str) -> list[str]:
    names: list[str] = []
    for number, value in enumerate(values, start=1):
        name = " ".join(str(value).split()).lower().replace(" ", "-")
        if is_blank(name):  # spaces or invisible characters (a zero-width space) would tag it with nothing visible
            raise StoryRejected(f"{what.capitalize()} {number} is empty: give each {what} some words, or leave it out.")
        if len(name) > MAX_TAG:
            raise StoryRejected(f"A {what} is at most {MAX_TAG} characters: {name[:MAX_TAG]}…")
        if "," in name:  # the story form lists them separated by commas: one with a comma would split on save
            raise StoryRejected(f"A {what} cannot hold a comma ({name!r}): make it two {plural}, or use other words.")
        if name not in names:
            names.append(name)
    if len(names) > MAX_TAGS:
        raise StoryRejected(f"A story has at most {MAX_TAGS} {plural}, not {len(names)}.")
    return names


def check(data: StoryInput) -> StoryInput:
    """The input cleaned, or StoryRejected naming every field that is wrong and why (all of them at once)."""
    problems: list[tuple[str, StoryRejected]] = []

    def checked(field: str, clean):
        try:
            return clean()
        except StoryRejected as error:
            problems.append((field, error))
            return None

    title = checked("title", lambda: _checked_title(data.title))
    parts = {part: checked(part, lambda part=part: _checked_part(part, getattr(data, part))) or "" for part in PARTS}
    competencies = checked("competencies", lambda: _clean_names(data.competencies, "competency", "competencies"))
    tags = checked("tags", lambda: _clean_names(data.tags, "tag", "tags"))
    if not any(parts.values()) and not any(field in PARTS for field, _ in problems):
        problems.append(("situation", StoryRejected(NO_PART)))
    if problems:
        raise StoryRejected(" ".join(str(error) for _, error in problems), problems[0][1].status,
                            problems=tuple((field, str(error)) for field, error in problems))
    return StoryInput(title, **parts, competencies=tuple(competencies), tags=tuple(tags))


def _checked_title(title: str) -> str:
    title = " ".join(title.split())
    if is_blank(title):  # a title of zero-width spaces would list the story as a link that shows nothing
        raise StoryRejected("Give the story a title.")
    if len(title) > MAX_TITLE:
        raise StoryRejected(f"The title is {len(title):,} characters long; the limit is {MAX_TITLE}.")
    return title


def _checked_part(part: str, text: str) -> str:
    text = text.strip()
    if is_blank(text):  # invisible characters tell nothing: the part is empty
        text = ""
    if len(text) > MAX_PART:
        raise StoryRejected(f"The {part} is {len(text):,} characters long; the limit is {MAX_PART:,}. "
                            "Tell it as you would in an interview.", 413)
    if "\x00" in text:
        raise StoryRejected(f"The {part} contains a NUL character; send plain text.", 400)
    return text


def create(session: Session, *, user: User, data: StoryInput) -> Story:
    data = check(data)
    if len(list_stories(session, user=user)) >= MAX_STORIES:
        raise StoryRejected(f"You have {MAX_STORIES} stories, the most one account keeps; delete one first.", 409)
    now = utcnow()
    story = Story(user_id=user.id, title=data.title, situation=data.situation, task=data.task, action=data.action,
                  result=data.result, competencies=list(data.competencies), tags=list(data.tags), created_at=now,
                  updated_at=now)
    session.add(story)
    session.flush()
    return story


def get(session: Session, *, user: User, story_id: int) -> Story | None:
    return session.scalar(select(Story).where(Story.id == story_id, Story.user_id == user.id))


def get_or_404(session: Session, *, user: User, story_id: int) -> Story:
    story = get(session, user=user, story_id=story_id)
    if story is None:
        raise StoryRejected(f"You have no story with id {story_id}.", 404)
    return story


def update(session: Session, *, user: User, story_id: int, data: StoryInput) -> Story:
    story = get_or_404(session, user=user, story_id=story_id)
    data = check(data)
    for name in ("title", *PARTS):
        setattr(story, name, getattr(data, name))
    story.competencies, story.tags, story.updated_at = list(data.competencies), list(data.tags), utcnow()
    session.flush()
    return story


def delete(session: Session, *, user: User, story_id: int) -> None:
    session.delete(get_or_404(session, user=user, story_id=story_id))
    session.flush()


def has_stories(session: Session, *, user: User) -> bool:
    """Whether the user has any story (without reading them all)."""
    return session.scalar(select(Story.id).where(Story.user_id == user.id).limit(1)) is not None


def list_stories(session: Session, *, user: User) -> list[Story]:
    return list(session.scalars(select(Story).where(Story.user_id == user.id)
                                .order_by(Story.updated_at.desc(), Story.id.desc())))


# --- fit: suggestions and scoring --------------------------------------------------------------

_reports: OrderedDict[tuple, dict[str, Any]] = OrderedDict()
_reports_lock = threading.Lock()
CACHED_REPORTS = 512  # (story version, question version) pairs; a story scored once is not scored again


def question_version(prepared: PreparedQuestion) -> str:
    """What the engine is given of the question (text, talking points, example answer, intent, kind,
    competencies), as a digest: it changes when an accepted suggestion, an editor or an import changes
    any of them, so a report cached for the old question is not given for the new one."""
    content = json.dumps(asdict(prepared.question), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(content.encode()).hexdigest()


def score(session: Session, *, story: Story, question: Question, backend: str = "auto",
          scorer=None, prepared: PreparedQuestion | None = None) -> dict[str, Any]:
    """The feedback engine's report of the story told as the answer to the question.

    With the web app's `scorer` the read transaction ends before scoring (no connection is held
    while it runs, or while a worker scores it through the queue); without one it is scored here.
    `prepared`: the question as `practice.scoring.prepare` reads it, when the caller has it already.
    """
    from rehearse.db.database import release
    from rehearse.practice.queued_scoring import score_here
    from rehearse.practice.scoring import prepare

    prepared = prepared or prepare(session, question)
    key = (story.id, story.updated_at.isoformat(), question.id, question_version(prepared), backend)
    with _reports_lock:
        if key in _reports:
            _reports.move_to_end(key)
            return _reports[key]
    answer = story.told_in_parts[:MAX_PART * 4]
    if scorer is not None:
        release(session)
        report = scorer.score(prepared, answer)
    else:
        report = score_here(prepared, answer, backend=backend)
    with _reports_lock:
        _reports[key] = report
        while len(_reports) > CACHED_REPORTS:
            _reports.popitem(last=False)
    return report


def _similarities(question: Question, stories: list[Story], backend: str) -> tuple[list[float], str]:
    """How close each story is in meaning to the question, and how that was measured."""
    texts = [f"{s.title}. {s.text}" for s in stories]
    query = " ".join(filter(None, [question.text, question.intent or ""]))
    try:
        from rehearse import feedback

        loaded = feedback.load_backend(backend)
        vectors = loaded.encode_cached([query, *texts])
        return [float(v) for v in fit.cosine(vectors[0], vectors[1:])], str(loaded.info().get("backend", "vectors"))
    except Exception:  # noqa: BLE001 - any backend failure falls back to word overlap, and says so
        log.exception("story suggestions: sentence vectors unavailable, using word overlap")
        return [fit.word_similarity(query, text) for text in texts], "word overlap"


def _meaning_rank(session: Session, story: Story, question: Question, backend: str) -> int | None:
    """Where the question stands among its bank's questions closest in meaning to the story (1: the closest):
    the story as a passage against each question as a query, the way e5 was trained to retrieve. None without a
    model that reads meaning."""
    from rehearse import feedback
    from rehearse.plans import vectors

    try:
        encoder = feedback.load_backend(backend)
        if not encoder.info().get("semantic"):
            return None
        questions = list(session.scalars(select(Question).where(Question.bank_id == question.bank_id,
                                                                Question.retired_at.is_(None))
                                         .order_by(Question.id)))
        asked = [q.text for q in questions]
        told = vectors.encode(encoder, [f"{story.title}. {story.text}"], "passage")[0]
        similarities = fit.cosine(told, vectors.for_texts(session, encoder, asked, "query"))
    except Exception:  # noqa: BLE001 - without vectors the word guard stands alone, as it did before
        log.exception("story suggestions: sentence vectors unavailable for the meaning check")
        return None
    index = next((i for i, q in enumerate(questions) if q.id == question.id), None)
    return None if index is None else fit.rank_of([float(v) for v in similarities], index)


def suggest(session: Session, *, user: User, question: Question, limit: int = 3,
            backend: str = "auto") -> list[dict[str, Any]]:
    """The stories that fit the question best (at most `limit`, maybe none), each with why: shared competencies
    and the talking points it covers (the engine's own judgement of the story told as the answer)."""
    stories = list_stories(session, user=user)
    if not stories:
        return []
    similarities, measure = _similarities(question, stories, backend)
    ranked = fit.rank(similarities, [s.competencies for s in stories], question.competency_names,
                      max(limit, fit.CANDIDATES))
    from rehearse.practice.scoring import prepare

    prepared = prepare(session, question)  # read once for all the candidates (and their cache keys)
    out = []
    for item in ranked:
        if len(out) == limit:
            break
        story = stories[item.index]
        report = score(session, story=story, question=question, backend=backend, prepared=prepared)
        meaning_rank = (_meaning_rank(session, story, question, backend)
                        if fit.worth_it(report) and fit.told_for_another_question(report) else None)
        if not fit.fits(report, meaning_rank):  # off topic, too thin, or another question's story: no claim
            continue
        out.append({
            "story_id": story.id, "title": story.title, "similarity": round(item.similarity, 3), "measure": measure,
            "shared_competencies": list(item.shared),
            "covers": [p["point"] for p in report.get("talking_points", ()) if p.get("covered")],
            "score": report.get("score"),
        })
    return out
