"""Export a user's data as one JSON document, import it into another Rehearse, delete an account.

Questions are referred to by their bank's slug and their own slug, so a document made on one
server imports on another that has the same banks. The document holds no time of export and
no database ids, so export → import → export gives the same document again. An import is
one transaction: a document that does not fit is refused whole, naming what is wrong.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError, StatementError
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts import users as accounts
from rehearse.accounts.models import User
from rehearse.bank.models import Bank, Question, Role
from rehearse.community import revisions
from rehearse.mock.models import MockInterview, MockItem
from rehearse.plans.models import PrepPlan
from rehearse.practice.models import Attempt
from rehearse.progress.metrics import metrics_of
from rehearse.progress.models import AttemptMetrics
from rehearse.review.models import ReviewCard, ReviewLogEntry, SchedulerParameters
from rehearse.scheduling.fsrs_card import utc
from rehearse.stories.models import Story

from . import community
from .checks import Unfit, checked_rows
from .schemas import problem

FORMAT, VERSION = "rehearse-user-data", 5
# Version 1 named an edit suggestion's base by the source server's revision number; it still loads (the
# base is then unknown here, so the suggestion counts as stale and accepting merges or refuses). Versions 1
# and 2 named an accepted suggestion's revision by its number there; they load without that number.
# Versions 1 to 3 did not say which revision an attempt was scored against; their attempts load without it.
# Versions 1 to 4 did not carry a suggested new question's kind and competencies; they load without them
# (worked out from the question's text on acceptance, as for a suggestion that gave none).
READS = (1, 2, 3, 4, 5)
MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # far past a year of daily practice (about 5 MB)


class ImportRejected(ValueError):
    """A document that is not loaded, and why; `line` is set when the bytes are not JSON (where they break)."""

    def __init__(self, message: str, status: int = 422, line: int | None = None):
        self.status, self.line = status, line
        super().__init__(message)


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a number JSON has")


def read_document(data: bytes, *, file: str) -> Any:
    """The JSON value in the bytes of an uploaded or given file; ImportRejected (400) with the line where
    they stop being UTF-8 or JSON."""
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ImportRejected(f"{file} is larger than {MAX_DOCUMENT_BYTES // 2**20} MB.", 413)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[:error.start].count(b"\n") + 1
        raise ImportRejected(f"not UTF-8 text (byte {error.start + 1}); nothing was imported.", 400, line) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ImportRejected(f"not valid JSON ({error.msg}, column {error.colno}); nothing was imported.", 400,
                             error.lineno) from None
    except (ValueError, RecursionError) as error:  # NaN or Infinity, 4,300 digits and more, nesting too deep
        reason = str(error) if "JSON has" in str(error) else (
            "a number is too long" if isinstance(error, ValueError) else "the nesting is too deep")
        raise ImportRejected(f"not a document this Rehearse reads ({reason}); nothing was imported.", 400) from None


def _time(moment: datetime | None) -> str | None:
    return utc(moment).isoformat() if moment else None


def _parse_time(value: Any, where: str) -> datetime | None:
    if value is None:
        return None
    try:
        return utc(datetime.fromisoformat(str(value)))
    except ValueError:
        raise ImportRejected(f"{where}: {value!r} is not an ISO date and time") from None


# --- export ------------------------------------------------------------------------------------


def export_user(session: Session, *, user: User) -> dict[str, Any]:
    """Everything the user has: attempts with their reports, cards and their review log, parameters,
    stories, mock interviews, prep plans, and their community data (suggestions, comments, votes, reports of
    comments and notifications)."""
    questions: dict[int, dict[str, str]] = {}

    def ref(question_id: int) -> dict[str, str]:
        if question_id not in questions:
            slug, bank = session.execute(select(Question.slug, Bank.slug).join(Bank, Bank.id == Question.bank_id)
                                         .where(Question.id == question_id)).one()
            questions[question_id] = {"bank": bank, "question": slug}
        return questions[question_id]

    attempts = session.scalars(select(Attempt).where(Attempt.user_id == user.id).order_by(Attempt.id)).all()
    fingerprints: dict[tuple[int, int], str | None] = {}

    def scored_against(question_id: int, number: int | None) -> str | None:
        """The scored revision by what it said, not by its number: numbers differ between servers."""
        if not number:
            return None
        if (question_id, number) not in fingerprints:
            seen = revisions.revision(session, question_id, number)
            fingerprints[(question_id, number)] = revisions.fingerprint(seen) if seen else None
        return fingerprints[(question_id, number)]

    number = {a.id: index + 1 for index, a in enumerate(attempts)}  # attempts are referred to by their number
    cards = session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id)
                            .order_by(ReviewCard.created_at, ReviewCard.id)).all()
    logs: dict[int, list[ReviewLogEntry]] = {}
    for entry in session.scalars(select(ReviewLogEntry).where(ReviewLogEntry.user_id == user.id)
                                 .order_by(ReviewLogEntry.reviewed_at, ReviewLogEntry.id)):
        logs.setdefault(entry.card_id, []).append(entry)
    params = session.get(SchedulerParameters, user.id)
    mocks = session.scalars(select(MockInterview).where(MockInterview.user_id == user.id)
                            .order_by(MockInterview.created_at, MockInterview.id)
                            .options(selectinload(MockInterview.items))).all()
    stories = session.scalars(select(Story).where(Story.user_id == user.id)
                              .order_by(Story.created_at, Story.id)).all()
    plans = session.scalars(select(PrepPlan).where(PrepPlan.user_id == user.id)
                            .order_by(PrepPlan.created_at, PrepPlan.id)).all()
    role_ids = {m.role_id for m in mocks if m.role_id} | {p.role_id for p in plans if p.role_id}
    roles = {r.id: r for r in session.scalars(select(Role).where(Role.id.in_(role_ids)))}
    banks = {b.id: b.slug for b in session.scalars(select(Bank))}
    return {
        "format": FORMAT, "version": VERSION,
        "user": {"email": user.email, "display_name": user.display_name},
        "attempts": [{
            "number": number[a.id], "question": ref(a.question_id), "answer": a.answer, "mode": a.mode,
            "duration_s": a.duration_s, "score": a.score, "grade": a.grade, "report": a.report, "speech": a.speech,
            "created_at": _time(a.created_at), "tries_again": number.get(a.previous_attempt_id),
            "scored_against": scored_against(a.question_id, a.example_revision),
        } for a in attempts],
        "cards": [{
            "question": ref(c.question_id), "state": c.state, "step": c.step, "stability": c.stability,
            "difficulty": c.difficulty, "due": _time(c.due), "last_review": _time(c.last_review),
            "reviews": c.reviews, "created_at": _time(c.created_at),
            "log": [{"attempt": number.get(e.attempt_id), "score": e.score, "suggested_rating": e.suggested_rating,
                     "rating": e.rating, "source": e.source, "reviewed_at": _time(e.reviewed_at)}
                    for e in logs.get(c.id, [])],
        } for c in cards],
        "scheduler": {"parameters": params.parameters, "desired_retention": params.desired_retention,
                      "review_count": params.review_count, "optimised_at": _time(params.optimised_at)}
        if params else None,
        "stories": [{"title": s.title, "situation": s.situation, "task": s.task, "action": s.action,
                     "result": s.result, "competencies": s.competencies, "tags": s.tags,
                     "created_at": _time(s.created_at), "updated_at": _time(s.updated_at)} for s in stories],
        "mocks": [{
            "title": m.title,
            "role": {"bank": banks[roles[m.role_id].bank_id], "role": roles[m.role_id].slug} if m.role_id else None,
            "bank": banks.get(m.bank_id) if m.bank_id else None, "seed": m.seed, "question_count": m.question_count,
            "seconds_per_answer": m.seconds_per_answer, "mode": m.mode, "follow_ups": m.follow_ups,
            "status": m.status, "summary": m.summary,  # a share link is not carried over: it is a capability
            "created_at": _time(m.created_at), "finished_at": _time(m.finished_at),
            "items": [{
                "number": i.number, "follow_up": i.follow_up, "question": ref(i.question_id), "prompt": i.prompt,
                "follow_up_reason": i.follow_up_reason, "follow_up_point": i.follow_up_point,
                "started_at": _time(i.started_at), "answer": i.answer, "answered_at": _time(i.answered_at),
                "duration_s": i.duration_s, "timed_out": i.timed_out, "score": i.score, "report": i.report,
                "attempt": number.get(i.attempt_id),
            } for i in m.items],
        } for m in mocks],
        "plans": [{
            "title": p.title, "posting": p.posting, "created_at": _time(p.created_at),
            "role": {"bank": banks[roles[p.role_id].bank_id], "role": roles[p.role_id].slug} if p.role_id else None,
            "items": [{**{k: v for k, v in item.items() if k != "question_id"}, "question": ref(item["question_id"])}
                      for item in p.items],
        } for p in plans],
        "community": community.export_community(session, user=user, ref=ref),
    }


# --- import ------------------------------------------------------------------------------------


def _has_data(session: Session, user: User) -> bool:
    return any(session.scalar(select(model.id).where(model.user_id == user.id).limit(1)) is not None
               for model in (Attempt, ReviewCard, Story, MockInterview, PrepPlan)) \
        or community.has_community_data(session, user)


def import_user(session: Session, *, user: User, document: Any) -> dict[str, int]:
    """Load an exported document into this (empty) account; counts of what was loaded."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportRejected(f"This is not a Rehearse user-data document (expected \"format\": \"{FORMAT}\").")
    if document.get("version") not in READS:
        raise ImportRejected(f"This document is version {document.get('version')!r}; this Rehearse reads "
                             f"versions {', '.join(map(str, READS))}.")
    if _has_data(session, user):
        raise ImportRejected("This account already has answers, cards, stories, mocks or community activity; "
                             "import into a new, empty account.", 409)
    if (unfit := problem(document)) is not None:  # a value the app could never have made: nothing is loaded
        raise ImportRejected(f"{unfit.rstrip('.')}; nothing was imported.")  # a rule's sentence ends in one
    try:
        # A document that fails half-way leaves nothing behind; each row is checked against its columns first.
        with session.begin_nested(), checked_rows(session):
            return _load(session, user, document)
    except ImportRejected:
        raise
    except Unfit as error:
        raise ImportRejected(f"A value does not fit: {error}; nothing was imported.") from None
    except (LookupError, TypeError, AttributeError, ValueError, ArithmeticError, RecursionError) as error:
        # The item models (schemas.py) name the item and field; this is the last resort, without Python's names.
        raise ImportRejected(f"The document is missing or misshapes a field ({_short(error)}); "
                             "nothing was imported.") from None
    except StatementError as error:
        if isinstance(error, OperationalError):  # the database itself failed (locked, gone): not the document
            raise
        raise ImportRejected(f"The database refused a value ({_short(error.orig)}); nothing was imported.") from None


def _short(error: BaseException | None) -> str:
    text = str(error).splitlines()[0] if str(error) else error.__class__.__name__
    return text if len(text) <= 200 else text[:197] + "..."


def _questions(session: Session, document: dict) -> dict[tuple[str, str], int]:
    wanted = set()
    for a in document["attempts"]:
        wanted.add((a["question"]["bank"], a["question"]["question"]))
    for c in document["cards"]:
        wanted.add((c["question"]["bank"], c["question"]["question"]))
    for m in document["mocks"]:
        for i in m["items"]:
            wanted.add((i["question"]["bank"], i["question"]["question"]))
    for p in document.get("plans", ()):
        for i in p["items"]:
            wanted.add((i["question"]["bank"], i["question"]["question"]))
    for ref in community.question_refs(document.get("community") or {}):
        wanted.add((ref["bank"], ref["question"]))
    bank_slugs = sorted({b for b, _ in wanted})
    rows = session.execute(select(Bank.slug, Question.slug, Question.id).join(Bank, Bank.id == Question.bank_id)
                           .where(Bank.slug.in_(bank_slugs))).all() if bank_slugs else []
    found = {(b, q): i for b, q, i in rows}
    missing = sorted(wanted - set(found))
    if missing:
        shown = ", ".join(f"{b}/{q}" for b, q in missing[:5])
        raise ImportRejected(f"{len(missing)} question(s) of the document are not on this server ({shown}"
                             f"{'…' if len(missing) > 5 else ''}); import their banks first. Nothing was imported.")
    return found


def _load(session: Session, user: User, document: dict) -> dict[str, int]:
    questions = _questions(session, document)
    if (name := (document.get("user") or {}).get("display_name")) is not None:
        accounts.rename(session, user=user, display_name=name)  # checked as the settings form checks it

    def qid(ref: dict) -> int:
        return questions[(ref["bank"], ref["question"])]

    attempt_ids: dict[int, int] = {}
    scored: dict[tuple[int, str], int | None] = {}

    def scored_revision(question_id: int, fingerprint: Any, where: str) -> int | None:
        """The revision here that says what the attempt was scored against; None when none does."""
        if fingerprint is None:
            return None
        if not isinstance(fingerprint, str) or len(fingerprint) > 64:
            raise ImportRejected(f"{where}: \"scored_against\" is a revision's fingerprint (a short text); "
                                 "nothing was imported.")
        if (question_id, fingerprint) not in scored:
            scored[(question_id, fingerprint)] = revisions.revision_by_fingerprint(session, question_id, fingerprint)
        return scored[(question_id, fingerprint)]

    for a in document["attempts"]:
        where = f"attempt {a['number']}"
        created = _parse_time(a["created_at"], where)
        question_id = qid(a["question"])
        attempt = Attempt(user_id=user.id, question_id=question_id, answer=a["answer"], mode=a["mode"],
                          duration_s=a["duration_s"], score=a["score"], grade=a["grade"], report=a["report"],
                          speech=a["speech"], created_at=created,
                          example_revision=scored_revision(question_id, a.get("scored_against"), where),
                          previous_attempt_id=attempt_ids.get(a["tries_again"]) if a["tries_again"] else None)
        session.add(attempt)
        session.flush()
        attempt_ids[a["number"]] = attempt.id
        m = metrics_of(a["report"], a["speech"])
        session.add(AttemptMetrics(attempt_id=attempt.id, user_id=user.id, question_id=attempt.question_id,
                                   created_at=created, score=attempt.score, points_total=m.points_total,
                                   points_covered=m.points_covered, words=m.words, fillers=m.fillers,
                                   hedges=m.hedges, words_per_minute=m.words_per_minute))
    for index, c in enumerate(document["cards"]):
        where = f"card {index + 1}"
        card = ReviewCard(user_id=user.id, question_id=qid(c["question"]), state=c["state"], step=c["step"],
                          stability=c["stability"], difficulty=c["difficulty"], due=_parse_time(c["due"], where),
                          last_review=_parse_time(c["last_review"], where), reviews=c["reviews"],
                          created_at=_parse_time(c["created_at"], where))
        session.add(card)
        session.flush()
        for e in c["log"]:
            if e["rating"] not in (1, 2, 3, 4):
                raise ImportRejected(f"{where}: the rating {e['rating']!r} does not exist (1-4).")
            session.add(ReviewLogEntry(card_id=card.id, user_id=user.id, attempt_id=attempt_ids.get(e["attempt"]),
                                       score=e["score"], suggested_rating=e["suggested_rating"], rating=e["rating"],
                                       source=e["source"], reviewed_at=_parse_time(e["reviewed_at"], where)))
    if document.get("scheduler"):
        p = document["scheduler"]
        session.add(SchedulerParameters(user_id=user.id, parameters=list(p["parameters"]),
                                        desired_retention=p["desired_retention"], review_count=p["review_count"],
                                        optimised_at=_parse_time(p["optimised_at"], "scheduler")))
    for s in document["stories"]:
        session.add(Story(user_id=user.id, title=s["title"], situation=s["situation"], task=s["task"],
                          action=s["action"], result=s["result"], competencies=list(s["competencies"]),
                          tags=list(s["tags"]), created_at=_parse_time(s["created_at"], "story"),
                          updated_at=_parse_time(s["updated_at"], "story")))
    for index, m in enumerate(document["mocks"]):
        where = f"mock {index + 1}"
        role_id = bank_id = None
        if m["role"]:
            role_id = session.scalar(select(Role.id).join(Bank, Bank.id == Role.bank_id)
                                     .where(Bank.slug == m["role"]["bank"], Role.slug == m["role"]["role"]))
        if m["bank"]:
            bank_id = session.scalar(select(Bank.id).where(Bank.slug == m["bank"]))
        mock = MockInterview(user_id=user.id, role_id=role_id, bank_id=bank_id, title=m["title"], seed=m["seed"],
                             question_count=m["question_count"], seconds_per_answer=m["seconds_per_answer"],
                             mode=m["mode"], follow_ups=m["follow_ups"], status=m["status"],
                             share_token=None, summary=m["summary"], created_at=_parse_time(m["created_at"], where),
                             finished_at=_parse_time(m["finished_at"], where))
        session.add(mock)
        session.flush()
        for i in m["items"]:
            session.add(MockItem(mock_id=mock.id, number=i["number"], follow_up=i["follow_up"],
                                 question_id=qid(i["question"]), prompt=i["prompt"],
                                 follow_up_reason=i["follow_up_reason"], follow_up_point=i["follow_up_point"],
                                 started_at=_parse_time(i["started_at"], where), answer=i["answer"],
                                 answered_at=_parse_time(i["answered_at"], where), duration_s=i["duration_s"],
                                 timed_out=i["timed_out"], score=i["score"], report=i["report"],
                                 attempt_id=attempt_ids.get(i["attempt"])))
    for index, p in enumerate(document.get("plans", ())):
        role_id = None
        if p["role"]:
            role_id = session.scalar(select(Role.id).join(Bank, Bank.id == Role.bank_id)
                                     .where(Bank.slug == p["role"]["bank"], Role.slug == p["role"]["role"]))
        items = [{**{k: v for k, v in item.items() if k != "question"}, "question_id": qid(item["question"])}
                 for item in p["items"]]
        session.add(PrepPlan(user_id=user.id, title=p["title"], posting=p["posting"], role_id=role_id, items=items,
                             created_at=_parse_time(p["created_at"], f"plan {index + 1}")))
    session.flush()
    shared = community.import_community(session, user=user, part=document.get("community") or {}, question_id=qid,
                                        parse_time=_parse_time, rejected=ImportRejected)
    return {"attempts": len(document["attempts"]), "cards": len(document["cards"]),
            "reviews": sum(len(c["log"]) for c in document["cards"]), "stories": len(document["stories"]),
            "mocks": len(document["mocks"]), "plans": len(document.get("plans", ())), **shared}


# --- deletion ----------------------------------------------------------------------------------


def delete_account(session: Session, *, user: User) -> None:
    """Delete the account and everything it holds (the database cascades to every table that refers to it;
    the rate-limit buckets, keyed by its e-mail address or id, are deleted here)."""
    from rehearse.accounts.service import SIGN_IN_ACCOUNT, SIGN_IN_ACCOUNT_ADDRESS
    from rehearse.throttle import service as throttle

    community.forget(session, user=user)
    throttle.forget(session, keys=(throttle.key(SIGN_IN_ACCOUNT, user.email),),
                    prefixes=(throttle.key(SIGN_IN_ACCOUNT_ADDRESS, f"{user.email}|"),),
                    suffixes=(f":user:{user.id}",))  # the community's limits, counted per account
    session.execute(delete(User).where(User.id == user.id))
    session.flush()
