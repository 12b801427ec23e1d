"""Prep plan use cases: from a pasted job posting to the role that fits and the questions to practise,
ordered by relevance and by the user's weakest competencies; the plan feeds the review queue and a mock.

Every read takes the user and filters by it: a plan is its owner's alone.
"""

from __future__ import annotations

import logging
import re
import threading
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts.models import User
from rehearse.bank.models import Question, Role, utcnow

from . import match, vectors
from .models import PrepPlan

log = logging.getLogger("rehearse.plans")
MIN_POSTING, MAX_POSTING = 80, 30_000  # characters: a few lines at least; a long posting is about 10,000
PLAN_SIZE = 15  # questions kept at most: fewer when fewer match a line strongly (match.OWN_ROLE_RELEVANCE)
OTHER_ROLES = 5  # at most this many of them from other roles than the one the plan is for,
OTHER_ROLE_RELEVANCE = 2 / 3  # and those only from relevance 67%, a third above the bar: the role's own come first;
# but any other role's question that matches more strongly than every one of the role's own is kept, whatever
# the cap and from the bar (50%): a plan never hides a better match than the best it shows
UNKNOWN_WEAKNESS = 0.5  # a competency the user has not practised counts as half weak
WEAK_SCORE = 60  # a latest score under 60 (a review rating under "Good") makes a question a weak spot
NO_MATCH = ("This posting doesn't match the roles in your banks ({roles}): too few of its lines match their "
            "questions closely enough to be worth practising for it.")
NO_QUESTION = ("None of your banks' questions matches a line of this posting strongly enough to be worth "
               "practising for it (its title names {role}). Paste the responsibilities as the posting lists them, "
               "one duty to a line (\"run blameless postmortems after incidents\"), not only the title and a "
               "summary; or practise the {role} questions directly.")
TITLE = 200  # characters a plan's title keeps (the column's size)


class PlanRejected(ValueError):
    def __init__(self, message: str, status: int = 422, *, field: str = "posting"):
        self.status = status
        self.field = field  # the form field the problem is about
        super().__init__(message)


def normal_line_ends(text: str) -> str:
    """Line ends as the user's editor counts them: one character each."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_posting(posting: str) -> str:
    posting = normal_line_ends(posting)  # a form sends each line end as CRLF: counted, it was 2 characters
    text = posting.strip()
    if len(posting) > MAX_POSTING:
        raise PlanRejected(f"The posting is {len(posting):,} characters long; the limit is {MAX_POSTING:,}. "
                           "Paste the description and the responsibilities, not the whole page.", 413)
    if "\x00" in text:
        raise PlanRejected("The posting contains a NUL character; paste plain text.", 400)
    if len(text) < MIN_POSTING or not match.phrases(text):
        raise PlanRejected(f"Paste the job posting: at least {MIN_POSTING} characters, with its responsibilities.")
    return text


def _encoder(backend: str):
    """The feedback engine's sentence encoder, or None when it cannot be loaded."""
    try:
        from rehearse import feedback

        return feedback.load_backend(backend)
    except Exception:  # noqa: BLE001 - without vectors the plan is made from shared job terms alone
        log.exception("prep plan: sentence vectors unavailable, matching job terms only")
        return None


def _vectors(session: Session, phrases: list[str], questions: list[str], backend: str
             ) -> tuple[dict[str, np.ndarray], str]:
    """The posting's phrases as queries, the questions as passages and as queries (stored ones read back),
    and what made them; no vectors for a backend without meaning (word counts say what the words say)."""
    encoder = _encoder(backend)
    if encoder is None or not vectors.stored(encoder):
        return {}, "job terms only"
    try:
        return {"phrase_vectors": vectors.encode(encoder, phrases, "query"),
                "question_vectors": vectors.for_texts(session, encoder, questions),
                "query_vectors": vectors.for_texts(session, encoder, questions, "query")}, \
            str(encoder.info().get("backend"))
    except Exception:  # noqa: BLE001 - as above: the plan is still made, from job terms
        log.exception("prep plan: sentence vectors unavailable, matching job terms only")
        return {}, "job terms only"


def _documents(questions) -> list[str]:
    """What a question's job terms are taken from: its text, intent and talking points."""
    return [" ".join(filter(None, [q.text, q.intent or "", "; ".join(q.talking_points)])) for q in questions]


def warm(database, *, backend: str) -> int:
    """Get a process ready to plan: store the vectors of questions that have none yet, and read every
    question's job terms once so that their stems are cached. Returns how many questions were encoded."""
    encoder = _encoder(backend)
    encoded = vectors.warm(database, encoder) if encoder is not None else 0
    with database.transaction() as session:
        for document in _documents(session.scalars(select(Question))):
            match.terms(document)
    return encoded


_warming = threading.Lock()
_running: set[tuple[str, str]] = set()


def warm_in_background(database, *, backend: str) -> threading.Thread | None:
    """Run `warm` in a daemon thread, unless one is already running for this database and backend.

    Called at start, when the plan page opens and after a plan is made: pasting a posting takes longer
    than encoding a few hundred questions, and once stored a vector serves every process.
    """
    key = (database.url, backend)
    with _warming:
        if key in _running:
            return None
        _running.add(key)

    def run() -> None:
        try:
            encoded = warm(database, backend=backend)
            if encoded:
                log.info("prep plan: %d question vectors encoded and stored", encoded)
        except Exception:  # noqa: BLE001 - warming is an optimisation; a plan still works without it
            log.exception("prep plan: could not get the questions ready ahead of time")
        finally:
            with _warming:
                _running.discard(key)

    thread = threading.Thread(target=run, daemon=True, name="rehearse-plan-warm")
    thread.start()
    return thread


def weakness_by_competency(session: Session, *, user: User) -> dict[str, float]:
    """1 − the share of talking points the user covered, per competency they have practised."""
    from rehearse.progress.service import coverage_by_competency

    return {c["competency"]: 1.0 - c["coverage"] for c in coverage_by_competency(session, user=user)
            if c["coverage"] is not None}


def question_weakness(question: Question, weak: dict[str, float]) -> float:
    """The weakness of the question's weakest competency (UNKNOWN_WEAKNESS for one not practised)."""
    return round(max(weak.get(n, UNKNOWN_WEAKNESS) for n in question.competency_names or ["general"]), 3)


def make(session: Session, *, user: User, posting: str, backend: str = "auto", role: str | None = None
         ) -> PrepPlan:
    """Match the posting against every question of every bank, pick the role (or take the one given), order
    the plan, keep it."""
    return store(session, user=user, planned=compute(session, user=user, posting=posting, backend=backend,
                                                     role=role))


def store(session: Session, *, user: User, planned: dict[str, Any]) -> PrepPlan:
    plan = PrepPlan(user_id=user.id, created_at=utcnow(), **planned)
    session.add(plan)
    session.flush()
    return plan


def chosen_role(session: Session, reference: str, questions) -> int:
    """The id of the role a user asks a plan to be for (its id or slug), which must have questions."""
    from rehearse.bank.service import find_roles

    found = find_roles(session, reference.strip())
    if len(found) > 1:
        raise PlanRejected(f"The role slug “{reference}” is in several banks ("
                           f"{', '.join(r.bank.name for r in found)}); give the role's id (GET /api/roles).",
                           field="role")
    if not found:
        raise PlanRejected(f"There is no role “{reference}”; give a role's id or slug (GET /api/roles lists them), "
                           "or none to let Rehearse choose.", field="role")
    if not any(q.role_id == found[0].id for q in questions):
        raise PlanRejected(f"The role {found[0].name} has no questions to plan with; choose another.", field="role")
    return found[0].id


def roles_to_plan_for(session: Session) -> list[Role]:
    """The roles a plan can be for: those with questions, by name."""
    return list(session.scalars(select(Role).where(Role.id.in_(select(Question.role_id).where(
        Question.retired_at.is_(None)))).order_by(Role.name, Role.id)))


def compute(session: Session, *, user: User, posting: str, backend: str = "auto", role: str | None = None
            ) -> dict[str, Any]:
    """The plan for a posting (reads only; the matching itself needs no database), for the role given (an id or
    slug) or else the one that fits."""
    posting = check_posting(posting)
    questions = session.scalars(select(Question).where(Question.retired_at.is_(None))
                                .options(selectinload(Question.competencies)).order_by(Question.id)).all()
    if not questions:
        raise PlanRejected("There are no questions to plan with; import a bank first.", 409)
    wanted = chosen_role(session, role, questions) if role and role.strip() else None
    cut = match.phrases(posting)
    question_texts = [q.text for q in questions]
    given, measure = _vectors(session, cut, question_texts, backend)
    matches = match.match(cut, _documents(questions), **given)
    first_line = match.title(posting) or "Job posting"
    roles = {r.id: r.name for r in session.scalars(select(Role).where(Role.id.in_({q.role_id for q in questions})))}
    strong = [m for m in matches if m.relevance >= match.MIN_RELEVANCE]
    role_id = wanted or match.choose_role(first_line, roles, [(questions[m.index].role_id, m.phrase, m.relevance)
                                                             for m in strong], lines=len(match.lines(posting)))
    if role_id is None:
        raise PlanRejected(NO_MATCH.format(roles=", ".join(sorted(roles.values()))))
    own = [m for m in matches if questions[m.index].role_id == role_id and m.relevance >= match.OWN_ROLE_RELEVANCE]
    best_own = own[0].relevance if own else float("inf")  # none of its own: the cap alone
    others = [m for m in strong if questions[m.index].role_id != role_id]  # strongest first
    others = [m for rank, m in enumerate(others) if m.relevance > best_own
              or (rank < OTHER_ROLES and m.relevance >= OTHER_ROLE_RELEVANCE)][:PLAN_SIZE]
    own = own[:PLAN_SIZE - len(others)]
    kept = sorted(own + others, key=lambda m: (-m.relevance, m.index))
    if not kept:  # the title named a role, but only other roles' questions matched, and none well enough
        raise PlanRejected(NO_QUESTION.format(role=roles[role_id]))
    weak = weakness_by_competency(session, user=user)
    scores = latest_scores(session, user=user, question_ids=[questions[m.index].id for m in kept])

    weakness_of = [question_weakness(questions[m.index], weak) for m in kept]
    own_role = [questions[m.index].role_id == role_id for m in kept]
    ordered = match.order([m.relevance for m in kept], weakness_of)
    items = []
    # the role's own questions first, then the other roles' (shown apart, "From other roles"), each by
    # relevance × (0.5 + weakness): the order never contradicts the relevance and weakness shown
    for position in [i for i in ordered if own_role[i]] + [i for i in ordered if not own_role[i]]:
        m = kept[position]
        q = questions[m.index]
        written = match.written_forms(m.phrase or "")  # the matched line's words, not another line's of that stem
        items.append({"question_id": q.id, "relevance": m.relevance, "meaning": m.meaning,
                      "phrase": match.excerpt(m.phrase), "terms": [written.get(t, t) for t in m.shared_terms],
                      "weakness": weakness_of[position], "last_score": scores.get(q.id),
                      "competencies": q.competency_names, "measure": measure})
    return {"title": plan_title(first_line, roles[role_id]), "posting": posting, "role_id": role_id, "items": items}


def plan_title(first_line: str, role: str) -> str:
    """"<the posting's title> — <role>", without the role where the title already says it; a first line too
    long for a title is cut at a sentence's end or a word, never inside one."""
    title = shorten(first_line, TITLE)
    if match.role_in_title(title, {1: role}) is not None:
        return title
    suffix = f" — {shorten(role, TITLE // 2)}"
    return shorten(first_line, TITLE - len(suffix)) + suffix


def shorten(text: str, limit: int) -> str:
    """The text if it fits in `limit` characters, else its first sentence where that fits (its full stop
    dropped, as in a title), else its words up to the limit and an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    sentence = _SENTENCE.match(text)
    if sentence and len(sentence.group(1)) <= limit:
        return sentence.group(1).rstrip(".")
    room = text[:limit]  # the ellipsis takes the place of the space before the word cut off
    cut = room.rsplit(" ", 1)[0] if " " in room else room[:limit - 1]
    return (match.excerpt(cut) or cut)[:limit - 1] + "…"


_SENTENCE = re.compile(r"(.+?[.!?])\s")  # a first sentence: up to the first full stop, "!" or "?" and a space


def latest_scores(session: Session, *, user: User | int, question_ids: list[int]) -> dict[int, int]:
    """The score of the user's latest answer to each of these questions they have answered."""
    from rehearse.progress.models import AttemptMetrics

    user_id = user if isinstance(user, int) else user.id
    latest = (select(func.max(AttemptMetrics.attempt_id))
              .where(AttemptMetrics.user_id == user_id, AttemptMetrics.question_id.in_(question_ids))
              .group_by(AttemptMetrics.question_id))
    return dict(session.execute(select(AttemptMetrics.question_id, AttemptMetrics.score)
                                .where(AttemptMetrics.attempt_id.in_(latest))).all())


def weak_spot(item: dict[str, Any]) -> bool:
    """Whether a plan's question is a weak spot: the user's latest answer to it scored under WEAK_SCORE."""
    return item.get("last_score") is not None and item["last_score"] < WEAK_SCORE


def get(session: Session, *, user: User, plan_id: int) -> PrepPlan | None:
    return session.scalar(select(PrepPlan).where(PrepPlan.id == plan_id, PrepPlan.user_id == user.id))


def get_or_404(session: Session, *, user: User, plan_id: int) -> PrepPlan:
    plan = get(session, user=user, plan_id=plan_id)
    if plan is None:
        raise PlanRejected(f"You have no prep plan with id {plan_id}.", 404)
    return plan


def delete(session: Session, *, user: User, plan_id: int) -> None:
    """Delete one of the user's plans (review cards it added and mocks it started stay)."""
    session.delete(get_or_404(session, user=user, plan_id=plan_id))
    session.flush()


def list_plans(session: Session, *, user: User) -> list[PrepPlan]:
    return list(session.scalars(select(PrepPlan).where(PrepPlan.user_id == user.id)
                                .order_by(PrepPlan.created_at.desc(), PrepPlan.id.desc())))


def questions_of(session: Session, plan: PrepPlan) -> dict[int, Question]:
    ids = [item["question_id"] for item in plan.items]
    return {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids))
                                             .options(selectinload(Question.role),
                                                      selectinload(Question.competencies)))}


def to_review(session: Session, *, user: User, plan_id: int) -> int:
    """Put the plan's questions in the review queue, due now (those already there keep their schedule)."""
    from rehearse.review import service as review

    plan = get_or_404(session, user=user, plan_id=plan_id)
    present = questions_of(session, plan)
    return sum(review.ensure_card(session, user_id=user.id, question_id=item["question_id"])
               for item in plan.items if item["question_id"] in present)


def start_mock(session: Session, *, user: User, plan_id: int, count: int = 5, seconds: int | None = None):
    """A mock interview of the plan's first questions, in the plan's order, timed and with follow-ups
    as the user's last mock was (3 minutes and follow-ups for a first mock)."""
    from rehearse.mock import service as mocks

    plan = get_or_404(session, user=user, plan_id=plan_id)
    last = next(iter(mocks.list_mocks(session, user=user)), None)
    follow_ups = last.follow_ups if last is not None else True
    seconds = seconds or (last.seconds_per_answer if last is not None else mocks.DEFAULT_SECONDS)
    ids = [item["question_id"] for item in plan_view(session, plan)]  # the first five as the page shows them
    if not ids:
        raise PlanRejected("None of the plan's questions exist any more.", 409)
    try:
        return mocks.create(session, user=user, question_ids=ids[:count], count=min(count, len(ids)),
                            seconds=seconds, follow_ups=follow_ups, title=f"Mock interview: {plan.title}"[:300])
    except mocks.MockRejected as error:
        raise PlanRejected(str(error), error.status) from None


def role_choice(session: Session, plan: PrepPlan, items: list[dict[str, Any]]) -> dict[str, Any]:
    """The role the plan is for and why, and the other roles it could be for: those whose questions are in the
    plan (matched the posting well), then every other role with questions. `items` as plan_view shows them."""
    roles = roles_to_plan_for(session)
    names = {r.id: r.name for r in roles}
    role = session.get(Role, plan.role_id) if plan.role_id is not None else None
    own_lines = len({item["phrase"] for item in items if not item["other_role"] and item["phrase"]})
    matched = f"{own_lines} of the posting's lines match its questions" if own_lines else None
    posting_title = match.title(plan.posting) or ""
    how = match.title_names(posting_title, names, role.id) if role is not None and role.id in names else None
    if how == "named":
        reason = f"The posting's title, “{shorten(posting_title, 80)}”, names it."
    elif how == "suggested":
        reason = (f"The posting's title, “{shorten(posting_title, 80)}”, is its name with words left out"
                  + (f", and {matched}." if matched else "."))
    else:
        reason = f"{matched}." if matched else None
    fitting: dict[int, list[float]] = {}
    for item in items:
        if item["other_role"]:
            fitting.setdefault(session.get(Question, item["question_id"]).role_id, []).append(item["relevance"])
    alternatives = [{"id": role_id, "name": names.get(role_id, "?"), "questions": len(found), "best": max(found)}
                    for role_id, found in sorted(fitting.items(), key=lambda pair: (-max(pair[1]), pair[0]))]
    rest = [{"id": r.id, "name": r.name, "questions": 0, "best": None} for r in roles
            if r.id not in fitting and (role is None or r.id != role.id)]
    return {"role": role.name if role is not None else None, "reason": reason, "alternatives": alternatives + rest}


def plan_view(session: Session, plan: PrepPlan) -> list[dict[str, Any]]:
    """The plan's questions as shown: the role's own first, then those of other roles (older plans kept them
    interleaved), each group the most urgent first; the matched line without the punctuation its cut left
    ("…five platform teams;").

    The weakness, the latest score (and so the weak spot) and the order they give are the user's data now, not
    when the plan was made: a plan is used for weeks, and a question practised since is no longer "3 last time",
    nor its competency as urgent."""
    present = questions_of(session, plan)
    scores = latest_scores(session, user=plan.user_id, question_ids=list(present))
    weak = weakness_by_competency(session, user=session.get(User, plan.user_id))
    shown = []
    for item in plan.items:
        if item["question_id"] not in present:
            continue
        question, latest = present[item["question_id"]], scores.get(item["question_id"])
        shown.append({**item, "last_score": latest, "weak_spot": weak_spot({"last_score": latest}),
                      "weakness": question_weakness(question, weak),
                      "phrase": match.excerpt(item.get("phrase")), "question": question.text,
                      "role": question.role.name,
                      "other_role": plan.role_id is not None and question.role_id != plan.role_id})
    groups = [[item for item in shown if not item["other_role"]], [item for item in shown if item["other_role"]]]
    return [group[i] for group in groups
            for i in match.order([item["relevance"] for item in group], [item["weakness"] for item in group])]
