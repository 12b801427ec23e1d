"""Mock interview use cases: start (a seeded, balanced draw), answer one item at a time, follow-ups,
finish with the end report, share read-only, resume.

Every read takes the user and filters by it: a mock is its owner's alone (a shared link shows the
finished report, read-only, and nothing else).
"""

from __future__ import annotations

import dataclasses
import secrets
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased, selectinload

from rehearse.accounts.models import User
from rehearse.bank.models import Bank, Question, Role, utcnow
from rehearse.practice.service import has_words
from rehearse.scheduling.fsrs_card import utc

from . import draw as drawing
from . import followup, summary
from .models import MockInterview, MockItem

MIN_QUESTIONS, MAX_QUESTIONS, DEFAULT_QUESTIONS = 1, 15, 5
# Per answer: below 30 s nobody can answer a leadership question; past 15 min it is no longer an interview.
MIN_SECONDS, MAX_SECONDS, DEFAULT_SECONDS = 30, 900, 180
RECENT_MOCKS = 3  # questions answered in the user's last three mocks are drawn only when the rest run out
MODES = ("typed", "spoken")
SEED_LIMIT = 2**31 - 1  # the seed column is a 32-bit integer on PostgreSQL
GRACE_S = 10  # an answer reaching the server this long after zero still counts as on time (a click in flight)
EARLY_S = 2  # ...and from this long before zero as sent at zero (processes behind a balancer differ by a second)


class MockRejected(ValueError):
    """The request cannot be carried out; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 422):
        self.status = status
        super().__init__(message)


class AlreadyAnswered(MockRejected):
    """An answer to a question answered already with another text (another tab, another device): it is not
    kept, and says so (409), rather than vanishing as if it were the same answer sent twice."""

    def __init__(self, item: MockItem):
        self.item_id, self.number, self.follow_up = item.id, item.number, item.follow_up
        super().__init__("This question was already answered (in another tab or window?) with another text; "
                         "this answer was not kept.", 409)


class MockInProgress(MockRejected):
    """A new mock while one is unfinished: one interview at a time, as in a real one (409). It names the
    unfinished mock, so that whoever asked can offer to resume or abandon it instead."""

    def __init__(self, mock: MockInterview):
        item = current_item(mock)
        self.mock_id, self.number = mock.id, item.number if item else mock.question_count
        super().__init__(f"You have an unfinished mock interview (“{mock.title}”, at question {self.number} of "
                         f"{mock.question_count}): resume or abandon it before starting another, one interview at "
                         f"a time. It is at /mocks/{mock.id} (API: GET or DELETE /api/mocks/{mock.id}).", 409)


def same_answer(stored: str | None, sent: str) -> bool:
    """Whether a sent answer is the one stored (a form sends line ends as CRLF, a script may send LF)."""
    return (stored or "").replace("\r\n", "\n") == sent.replace("\r\n", "\n")


def _check(count: int, seconds: int, mode: str, seed: int | None) -> None:
    if not MIN_QUESTIONS <= count <= MAX_QUESTIONS:
        raise MockRejected(f"A mock has {MIN_QUESTIONS} to {MAX_QUESTIONS} questions, not {count}.")
    if not MIN_SECONDS <= seconds <= MAX_SECONDS:
        raise MockRejected(f"The time per answer is {MIN_SECONDS} s to {MAX_SECONDS // 60} minutes, not {seconds} s.")
    if mode not in MODES:
        raise MockRejected(f"The mode is typed or spoken, not {mode!r}.")
    if seed is not None and not 0 <= seed <= SEED_LIMIT:
        raise MockRejected(f"The seed is a whole number from 0 to {SEED_LIMIT}.")


def _scope(session: Session, role: str | None, bank: str | None) -> tuple[Role | None, Bank | None, str]:
    """A role to draw from, or a whole bank. Given both, the bank says which role of that slug is meant,
    as on a role page (/roles/SLUG?bank=BANK); a role outside that bank is refused, never drawn from."""
    from rehearse.bank import service as bank_service

    found_bank = None
    if bank:
        found_bank = session.scalar(select(Bank).where(Bank.slug == bank))
        if found_bank is None:
            raise MockRejected(f"There is no bank {bank!r}.", 404)
    if not role:
        if found_bank is None:
            raise MockRejected("Choose a role (or a bank) for the mock interview.")
        return None, found_bank, found_bank.name
    roles = bank_service.find_roles(session, role)
    if not roles:
        raise MockRejected(f"There is no role {role!r}.", 404)
    if found_bank is not None:
        roles = [r for r in roles if r.bank_id == found_bank.id]
        if not roles:
            raise MockRejected(f"The bank {bank!r} has no role {role!r}: give the role alone, or one of that "
                               "bank's roles.")
    if len(roles) > 1:
        banks = ", ".join(r.bank.slug for r in roles)
        raise MockRejected(f"Several banks have a role {role!r} ({banks}): give `bank` too, to say which.")
    return roles[0], None, roles[0].name


def recent_question_ids(session: Session, *, user: User) -> set[int]:
    """The questions answered in the user's last RECENT_MOCKS mocks (not those drawn and never reached)."""
    recent = select(MockInterview.id).where(MockInterview.user_id == user.id) \
        .order_by(MockInterview.created_at.desc(), MockInterview.id.desc()).limit(RECENT_MOCKS).subquery()
    return set(session.scalars(select(MockItem.question_id).where(MockItem.mock_id.in_(select(recent.c.id)),
                                                                  MockItem.answered_at.is_not(None))))


def _avoid(session: Session, *, user: User, seed: int | None, role: Role | None, bank: Bank | None) -> set[int]:
    """What the draw sets aside: without a seed, the recently answered questions; with one, what the user's
    own mock drawn with it from the same role or bank set aside (so that it replays that set), or nothing
    (a seed of one's own, or someone else's: the same set for everyone with the same bank)."""
    if seed is None:
        return recent_question_ids(session, user=user)
    drawn = session.scalar(select(MockInterview).where(
        MockInterview.user_id == user.id, MockInterview.seed == seed,
        MockInterview.role_id == role.id if role else MockInterview.role_id.is_(None),
        MockInterview.bank_id == bank.id if bank else MockInterview.bank_id.is_(None),
    ).order_by(MockInterview.created_at, MockInterview.id).limit(1))
    return set(drawn.avoided or ()) if drawn is not None else set()


def latest_unfinished(session: Session, *, user: User) -> MockInterview | None:
    """The user's most recent mock still in progress (None: none is)."""
    return session.scalar(select(MockInterview).where(MockInterview.user_id == user.id,
                                                      MockInterview.status == "in_progress")
                          .order_by(MockInterview.created_at.desc(), MockInterview.id.desc()).limit(1)
                          .options(selectinload(MockInterview.items)))


def _none_unfinished(session: Session, *, user: User) -> None:
    """MockInProgress when the user has a mock in progress. The user's row is locked until the transaction
    ends (PostgreSQL; on SQLite the write lock already orders writers), so that two starts at once are
    checked one after the other: the second sees the first one's mock, and is refused."""
    session.execute(select(User.id).where(User.id == user.id).with_for_update())
    unfinished = latest_unfinished(session, user=user)
    if unfinished is not None:
        raise MockInProgress(unfinished)


def create(session: Session, *, user: User, role: str | None = None, bank: str | None = None,
           count: int = DEFAULT_QUESTIONS, seconds: int = DEFAULT_SECONDS, mode: str = "typed",
           follow_ups: bool = True, seed: int | None = None, now: datetime | None = None,
           question_ids: list[int] | None = None, title: str | None = None) -> MockInterview:
    """A new mock: questions drawn (seeded, balanced), or the given ones in order (a prep plan's).
    No countdown has started: the first question's starts when it is shown (`start_clock`).

    Refused (MockInProgress, 409) while the user has a mock in progress: one interview at a time."""
    _check(count, seconds, mode, seed)
    replay = seed is not None
    seed = secrets.randbelow(SEED_LIMIT) if seed is None else seed
    avoid: set[int] = set()
    if question_ids:
        _none_unfinished(session, user=user)
        found_role = found_bank = None
        ids = list(question_ids)[:count]
        name = title or "Mock interview"
    else:
        found_role, found_bank, name = _scope(session, role, bank)
        statement = select(Question).where(Question.retired_at.is_(None)).options(selectinload(Question.competencies))
        statement = statement.where(Question.role_id == found_role.id) if found_role else \
            statement.where(Question.bank_id == found_bank.id)
        questions = session.scalars(statement).all()
        if not questions:
            raise MockRejected(f"{name} has no questions to draw from.", 409)
        _none_unfinished(session, user=user)
        candidates = [drawing.Candidate(q.id, tuple(q.competency_names), q.kind) for q in questions]
        avoid = _avoid(session, user=user, seed=seed if replay else None, role=found_role, bank=found_bank)
        ids = drawing.draw(candidates, count, seed, avoid=avoid)
        name = f"Mock interview: {name}"
    now = now or utcnow()
    mock = MockInterview(user_id=user.id, role_id=found_role.id if found_role else None,
                         bank_id=found_bank.id if found_bank else None, title=name[:300], seed=seed,
                         avoided=sorted(avoid) or None,
                         question_count=len(ids), seconds_per_answer=seconds, mode=mode, follow_ups=follow_ups,
                         status="in_progress", created_at=now)
    session.add(mock)
    session.flush()
    for number, question_id in enumerate(ids, start=1):
        session.add(MockItem(mock_id=mock.id, number=number, follow_up=False, question_id=question_id,
                             started_at=None, timed_out=False))
    session.flush()
    return mock


def get(session: Session, *, user: User, mock_id: int, lock: bool = False) -> MockInterview | None:
    """One of the user's own mocks; anybody else's is None, exactly like a missing one.

    `lock`: the mock's row is locked until the transaction ends (PostgreSQL; SQLite's write lock already
    orders writers), so that two answers to one question are stored one after the other, the second
    judged against the first."""
    statement = select(MockInterview).where(MockInterview.id == mock_id, MockInterview.user_id == user.id) \
        .options(selectinload(MockInterview.items).selectinload(MockItem.question)
                 .selectinload(Question.competencies))
    if lock:
        statement = statement.with_for_update(of=MockInterview).execution_options(populate_existing=True)
    return session.scalar(statement)


def get_or_404(session: Session, *, user: User, mock_id: int, lock: bool = False) -> MockInterview:
    mock = get(session, user=user, mock_id=mock_id, lock=lock)
    if mock is None:
        raise MockRejected(f"You have no mock interview with id {mock_id}.", 404)
    return mock


def list_mocks(session: Session, *, user: User, limit: int = 50) -> list[MockInterview]:
    return list(session.scalars(select(MockInterview).where(MockInterview.user_id == user.id)
                                .order_by(MockInterview.created_at.desc(), MockInterview.id.desc()).limit(limit)))


def abandon(session: Session, *, user: User, mock_id: int) -> None:
    """Give up an unfinished mock: it is deleted, so it is no longer offered to resume. The main answers
    given so far stay, as practice attempts (history, review queue, progress); a finished mock is kept."""
    mock = get_or_404(session, user=user, mock_id=mock_id)
    if mock.status == "finished":
        raise MockRejected("A finished mock interview cannot be abandoned: its report is kept.", 409)
    session.delete(mock)
    session.flush()


def current_item(mock: MockInterview) -> MockItem | None:
    """The item waiting for an answer (items are ordered question, its follow-up, next question...)."""
    return next((item for item in mock.items if item.answered_at is None), None)


def start_clock(session: Session, item: MockItem, now: datetime | None = None) -> None:
    """The item is being shown (its page, an API answer that holds it): its countdown starts now, if it has not.

    Not when it became the current question: building its page may take seconds (it used to work out the
    story suggestions first), and those seconds were the candidate's."""
    if item.started_at is None:
        item.started_at = now or utcnow()
        session.flush()


def remaining_seconds(mock: MockInterview, item: MockItem, now: datetime | None = None) -> int:
    """Whole seconds left on the item's countdown (all of them before it is shown); 0 when it ran out (the page
    was closed past zero)."""
    now = utc(now or utcnow())
    if item.started_at is None:
        return mock.seconds_per_answer
    left = mock.seconds_per_answer - (now - utc(item.started_at)).total_seconds()
    return max(0, int(left + 0.999))


def resume(session: Session, *, user: User, mock_id: int, now: datetime | None = None) -> MockInterview:
    """Coming back to a mock whose countdown ran out while away: the current question's time starts again."""
    mock = get_or_404(session, user=user, mock_id=mock_id)
    if mock.status == "finished":  # as abandoning one is refused: nothing is left to answer
        raise MockRejected("A finished mock interview cannot be resumed: every question has its answer, and its "
                           "report is kept.", 409)
    item = current_item(mock)
    if item is not None and remaining_seconds(mock, item, now) == 0:
        item.started_at = now or utcnow()
        session.flush()
    return mock


def prepare_item(session: Session, item: MockItem):
    """Read what scoring an item's answer needs, so that scoring itself needs no database."""
    from rehearse import feedback
    from rehearse.practice.scoring import PreparedQuestion, prepare

    parent = prepare(session, item.question)
    if not item.follow_up:
        return parent
    point, points = item.follow_up_point, parent.question.talking_points
    if point:
        # A follow-up is judged as part of its question (its example answer, its other points, its bank
        # for relevance) and reported on the point it asks about alone; one about a part of the story
        # (what you were responsible for, the result in numbers) asks for that part as one more point.
        # Asked as a one-point question of its own, it was graded as a whole reference answer and its
        # bank took the parent for "another question": good one-line answers were missed or off-topic.
        # A part of the story's shape (the result, numbers, steps) is found by the engine's rules for it.
        return dataclasses.replace(parent, question=dataclasses.replace(
            parent.question, talking_points=points if point in points else (*points, point), focus=(point,),
            asked_part=followup.REASON_PARTS.get(item.follow_up_reason or "")))
    kind = item.question.kind if item.question.kind in ("behavioural", "situational") else None
    question = feedback.Question(text=item.prompt or item.question.text, kind=kind,  # no point to ask about
                                 competencies=tuple(item.question.competency_names))
    return PreparedQuestion(question, parent.lexicon, item.question.bank_id)


def score_prepared(prepared, answer: str, *, backend: str, scorer=None,
                   spoken_seconds: float | None = None) -> dict[str, Any]:
    """The report of an answer (an empty one, sent when time ran out, scores as empty).

    `scorer` (the web app's) may score it through the job queue; without one it is scored here.
    `spoken_seconds`: a spoken answer's measured speaking time (None: typed)."""
    from rehearse.practice.queued_scoring import score_here

    if scorer is not None:
        if spoken_seconds is None:
            return scorer.score(prepared, answer)
        return scorer.score(prepared, answer, spoken_seconds=spoken_seconds)
    return score_here(prepared, answer, backend=backend, spoken_seconds=spoken_seconds)


def score_item(session: Session, item: MockItem, answer: str, *, backend: str) -> dict[str, Any]:
    return score_prepared(prepare_item(session, item), answer, backend=backend)


def time_ran_out(mock: MockInterview, item: MockItem, answer: str, *, claimed: bool,
                 now: datetime | None = None) -> bool:
    """Whether an answer reaching the server `now` was sent when the item's time ran out, by the server's clock.

    More than GRACE_S after zero it was, whatever the client says (a page left open, a script): it is
    kept and marked so, and POST .../resume starts the time again for whoever would rather answer anew.
    From EARLY_S before zero it was when the client's countdown says so, or when it is empty (only the
    countdown sends an empty answer). Before that it was not, whatever the client says; nor was it for a
    question never shown (its clock has not started)."""
    end = deadline(mock, item)
    if end is None:
        return False
    now = utc(now or utcnow())
    if now > end + timedelta(seconds=GRACE_S):
        return True
    return now >= end - timedelta(seconds=EARLY_S) and (claimed or not has_words(answer))


def check_answer(mock: MockInterview, item_id: int, answer: str, *, max_chars: int, timed_out: bool = False,
                 now: datetime | None = None) -> MockItem | None:
    """The item this answer is for; None when it was answered already with this text (a repeated submit
    changes nothing), AlreadyAnswered when with another (another tab's answer is not silently dropped).

    An empty answer is refused while the item has time left: a click on Next is not giving up the question."""
    item = next((i for i in mock.items if i.id == item_id), None)
    if item is not None and item.answered_at is not None:
        if same_answer(item.answer, answer):
            return None
        raise AlreadyAnswered(item)
    if mock.status == "finished":
        return None
    if item is None:
        # an item's id, not the question's number in the mock: "question 1" misread item 1 as the first question
        raise MockRejected(f"Item {item_id} is not part of this mock: item_id is an item's id (GET the mock for its "
                           f"items' ids and numbers), not a question's number.", 404)
    if item is not current_item(mock):
        raise MockRejected("Answer the questions in order: this one is not the current question.", 409)
    if len(answer) > max_chars:
        raise MockRejected(f"The answer is {len(answer):,} characters long; the limit is {max_chars:,}.", 413)
    if "\x00" in answer:
        raise MockRejected("The answer contains a NUL character; send plain text.", 400)
    if not has_words(answer) and not time_ran_out(mock, item, answer, claimed=timed_out, now=now):
        raise MockRejected(f"The answer is empty and this question has {remaining_seconds(mock, item, now)} s left: "
                           "write your answer, then send it (an empty answer is sent only when the time runs out).")
    return item


def record_answer(session: Session, *, user: User, mock: MockInterview, item: MockItem, answer: str,
                  report: dict[str, Any], timed_out: bool = False, speech: dict[str, Any] | None = None,
                  now: datetime | None = None) -> MockItem | None:
    """Keep an answer and its report, ask the follow-up if one is due.

    Returns the next item (None when the mock is finished, with its end report kept); its countdown starts
    when it is shown (`start_clock`).
    """
    from rehearse.practice import service as practice

    now = now or utcnow()
    item.answer, item.answered_at, item.timed_out = answer, now, timed_out
    item.duration_s = min((utc(now) - utc(item.started_at)).total_seconds(), float(mock.seconds_per_answer + GRACE_S)) \
        if item.started_at else None
    item.score, item.report = int(report["score"]), report
    if not item.follow_up and has_words(answer):
        # A drawn question answered in a mock is practice too: history, review card, dashboard.
        attempt = practice.record(session, user=user, question=item.question, answer=answer, report=report,
                                  mode="spoken" if speech else "typed", duration_s=item.duration_s, speech=speech)
        item.attempt_id = attempt.id
    elif not item.follow_up:
        # Time ran out on an empty answer: no attempt to keep (history holds answers), but the question
        # was failed outright, so its review card (made if missing) is reviewed as a 0 and comes back soon.
        from rehearse.review.service import review_question

        review_question(session, user_id=user.id, question_id=item.question_id, score=0, now=now)
    if speech:
        item.report = {**report, "speech": speech}
    session.flush()
    if mock.follow_ups and not item.follow_up:
        chosen = followup.choose(report, talking_points=tuple(item.question.talking_points),
                                 question_kind=item.question.kind)
        if chosen is not None:
            follow = MockItem(mock_id=mock.id, number=item.number, follow_up=True, question_id=item.question_id,
                              prompt=chosen.prompt, follow_up_reason=chosen.reason, follow_up_point=chosen.point,
                              started_at=None, timed_out=False)
            session.add(follow)
            session.flush()
            session.refresh(mock, attribute_names=["items"])
            return follow
    following = current_item(mock)
    if following is None:
        finish(session, mock=mock, now=now)
        return None
    return following


def summary_items(mock: MockInterview) -> list[summary.Item]:
    return [summary.Item(number=i.number, follow_up=i.follow_up, question=i.question.text,
                         competencies=tuple(i.question.competency_names), score=i.score, report=i.report,
                         timed_out=i.timed_out, prompt=i.prompt, empty=not has_words(i.answer),
                         words_per_minute=((i.report or {}).get("speech") or {}).get("words_per_minute"))
            for i in mock.items]


def follow_up_reports(session: Session, *, attempt_ids: list[int]) -> dict[int, dict[str, Any]]:
    """The report of the follow-up asked after each of these attempts, for those answered in a mock that asked
    one: what it covered was given once asked (summary.missed_with_follow_up)."""
    if not attempt_ids:
        return {}
    follow = aliased(MockItem)
    rows = session.execute(
        select(MockItem.attempt_id, follow.report)
        .join(follow, (follow.mock_id == MockItem.mock_id) & (follow.number == MockItem.number)
              & follow.follow_up.is_(True))
        .where(MockItem.attempt_id.in_(attempt_ids), MockItem.follow_up.is_(False), follow.report.is_not(None)))
    return {attempt_id: report for attempt_id, report in rows}


def report_of(mock: MockInterview) -> dict[str, Any] | None:
    """The end report kept when the mock finished. One kept before the report told `asked` from `answered`
    (it counted a question left empty when time ran out as answered) is made again from the answers."""
    if mock.summary is None or "asked" in mock.summary:
        return mock.summary
    return summary.summarise(summary_items(mock))


def finish(session: Session, *, mock: MockInterview, now: datetime | None = None) -> None:
    mock.status, mock.finished_at = "finished", now or utcnow()
    mock.summary = summary.summarise(summary_items(mock))
    session.flush()


def share(session: Session, *, user: User, mock_id: int) -> MockInterview:
    """A read-only link to a finished mock's report (the same link until it is revoked)."""
    mock = get_or_404(session, user=user, mock_id=mock_id)
    if mock.status != "finished":
        raise MockRejected("Only a finished mock interview can be shared.", 409)
    if mock.share_token is None:
        mock.share_token = secrets.token_urlsafe(24)
    session.flush()
    return mock


def unshare(session: Session, *, user: User, mock_id: int) -> bool:
    """Revoke the link: whoever has it now gets a 404. False when there was no link to revoke."""
    mock = get_or_404(session, user=user, mock_id=mock_id)
    if mock.share_token is None:
        return False
    mock.share_token = None
    session.flush()
    return True


def shared(session: Session, *, token: str) -> MockInterview | None:
    if not token or len(token) > 64:
        return None
    return session.scalar(select(MockInterview).where(MockInterview.share_token == token,
                                                      MockInterview.status == "finished")
                          .options(selectinload(MockInterview.items).selectinload(MockItem.question)))


def unfinished(session: Session, *, user: User) -> list[tuple[int, datetime]]:
    """(id, created_at) of the user's mocks still in progress (whatever their age: the start page lists only
    the latest)."""
    rows = session.execute(select(MockInterview.id, MockInterview.created_at)
                           .where(MockInterview.user_id == user.id, MockInterview.status == "in_progress")
                           .order_by(MockInterview.id))
    return [(row.id, row.created_at) for row in rows]


def count_in_progress(session: Session, *, user: User) -> int:
    return session.scalar(select(func.count()).select_from(MockInterview)
                          .where(MockInterview.user_id == user.id, MockInterview.status == "in_progress")) or 0


def deadline(mock: MockInterview, item: MockItem) -> datetime | None:
    return utc(item.started_at) + timedelta(seconds=mock.seconds_per_answer) if item.started_at else None
