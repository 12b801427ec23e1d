"""Browsing pages: home, a role's questions, a question, search and similar questions."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from functools import partial
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from rehearse.bank import service as bank
from rehearse.practice import service as practice
from rehearse.web import identity, one_hop
from rehearse.web import questions as question_cache
from rehearse.web.deps import SessionDep
from rehearse.web.params import IdPath, OptionalIdQuery
from rehearse.web.security import (
    OptionalUser,
    after_request_session,
    is_anonymous,
    remembered_user,
    resolve_user,
)
from rehearse.web.similar import similar_questions
from rehearse.web.templating import render, review_due

router = APIRouter()
MAX_QUERY = 200  # characters of a search query that are used (the index reads at most 12 terms)


HOME = ("home",)  # the key of the home page's lists among what this process remembers for a user
RECENT = 5  # answers and due cards the home page lists


@dataclass(frozen=True)
class HomeLists:
    """What the home page shows of one user: shared by the requests of the next moment, so immutable."""

    recent: tuple[practice.AttemptRow, ...]
    due: tuple  # review.DueCard, most overdue first
    due_total: int


@router.get("/")
async def home(request: Request) -> Response:
    """Signed in and seen a moment ago: rendered from what this process remembers (web/identity.py),
    no database and no thread; otherwise one trip to a page thread."""
    if not is_anonymous(request):
        page = _home_from_memory(request)
        if page is not None:
            return page
    generation = identity.request_generation(request)
    return await one_hop.page(request, partial(_home, request, generation))


def _home_from_memory(request: Request) -> Response | None:
    cards = question_cache.peek_roles(request.app)
    remembered = remembered_user(request) if cards is not None else None
    if remembered is None:
        return None
    lists = identity.of(request.app).view(remembered[1], HOME)
    return None if lists is identity.MISSING else _render_home(request, cards, lists)


def _home(request: Request, generation: int, session, user) -> Response:
    from rehearse.review import service as review

    cards = question_cache.role_cards(request.app, session)
    lists = None
    if user:
        recent = tuple(practice.history(session, user=user, limit=RECENT))
        due = tuple(review.due_cards(session, user=user, limit=RECENT))
        # Fewer due than the list's length: that is all of them, no need to count.
        due_total = review_due(request, user, session, fresh=True, known=len(due) if len(due) < RECENT else None)
        lists = HomeLists(recent, due, due_total or 0)
        if due_total is not None:  # counted (not a failed count shown as none)
            identity.of(request.app).remember_view(getattr(request.state, "identity_key", None), HOME, lists,
                                                   generation=generation)
    return _render_home(request, cards, lists)


def _render_home(request: Request, cards, lists: HomeLists | None) -> Response:
    banks: OrderedDict[str, list] = OrderedDict()
    for card in cards:
        banks.setdefault(card.bank_name, []).append((card, card.question_count))
    context = {"banks": banks, "recent": (), "due": (), "due_total": 0}
    if lists is not None:
        context.update(recent=lists.recent, due=lists.due, due_total=lists.due_total, review_due=lists.due_total)
    return render(request, "bank/home.html", context)


@router.get("/roles/{reference}")
def show_role(
    reference: str, request: Request, session: SessionDep, user: OptionalUser,
    bank_slug: Annotated[str | None, Query(alias="bank", max_length=120)] = None,
) -> Response:
    """A role by id or slug; `?bank=<bank slug>` picks one when banks share the slug, and without it such a
    slug shows the roles to choose from."""
    roles = bank.find_roles(session, reference[:120], bank=bank_slug)
    if not roles:
        raise HTTPException(404, "There is no role at this address.")
    if len(roles) > 1:
        return render(request, "bank/role_choice.html", {"slug": reference[:120], "roles": roles})
    [role] = roles
    questions = bank.list_questions(session, role=str(role.id))
    groups: OrderedDict[str, list] = OrderedDict()
    for question in questions:
        names = question.competency_names
        groups.setdefault(names[0] if names else "general", []).append(question)
    scores = practice.last_scores(session, user=user, question_ids=[q.id for q in questions])
    return render(
        request,
        "bank/role.html",
        {"role": role, "groups": groups, "scores": scores, "count": len(questions)},
    )


@router.get("/questions/{question_id}")
async def show_question(question_id: IdPath, request: Request) -> Response:
    """The most visited page. Its common case, an anonymous visitor, costs no database query
    and no thread hop: the page rendered for everyone in the last few seconds is sent again.

    `?show=example` unfolds the example answer (read from the query string directly: one
    declared parameter fewer is measurably cheaper on this page).
    """
    show_example = request.query_params.get("show") == "example"
    if is_anonymous(request):
        page = question_cache.cached_page(request.app, (question_id, show_example))
        if page is not None:
            return HTMLResponse(page)
    else:  # signed in: when this process remembers all the page needs, neither database nor thread
        page = _question_page_from_memory(request, question_id, show_example)
        if page is not None:
            return page
    return await one_hop.in_lane(request, partial(_question_page, request, question_id, show_example))


def _question_page_from_memory(request: Request, question_id: int, show_example: bool) -> Response | None:
    found, view = question_cache.peek(request.app, question_id)
    if not found or view is None:
        return None
    remembered = remembered_user(request)
    if remembered is None:
        return None
    user, key = remembered
    due, latest = identity.of(request.app).remembered(key)
    if due is None or question_id not in latest:
        return None
    last = latest[question_id]
    return render(request, "bank/question.html",
                  {"q": view, "last": last, "show_example": show_example or last is not None, "review_due": due})


def _question_page(request: Request, question_id: int, show_example: bool) -> Response:
    try:
        return _render_question_page(request, question_id, show_example)
    finally:
        after_request_session(request)


def _render_question_page(request: Request, question_id: int, show_example: bool) -> Response:
    cache = identity.of(request.app)
    with request.app.state.database.transaction() as session:
        user = resolve_user(request, session)
        view = question_cache.get(request.app, session, question_id)
        if view is None:
            raise HTTPException(404, f"There is no question with id {question_id}.")
        last = None
        if user is not None:
            generation = identity.request_generation(request)
            last = practice.latest(session, user=user, question_id=question_id)
            cache.remember_latest(getattr(request.state, "identity_key", None), question_id, last,
                                  generation=generation)
        response = render(
            request,
            "bank/question.html",
            {"q": view, "last": last, "show_example": show_example or last is not None,
             "review_due": review_due(request, user, session)},
        )
    if user is None and not getattr(request.state, "csrf_used", False):
        question_cache.store_page(request.app, (question_id, show_example), response.body)
    return response


@router.get("/search")
def search(
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    q: Annotated[str, Query(max_length=2000)] = "",
    like: OptionalIdQuery = None,
) -> Response:
    query = q.strip()[:MAX_QUERY]
    source = None
    if like is not None:
        source = question_cache.get(request.app, session, like)
        if source is None:
            raise HTTPException(404, f"There is no question with id {like}.")
        results, method = similar_questions(
            session, like, backend=request.app.state.settings.feedback_backend
        )
    else:
        results, method = (bank.search(session, query, limit=30) if query else []), "full-text"
    scores = practice.last_scores(session, user=user, question_ids=[r.id for r in results])
    return render(
        request,
        "bank/search.html",
        {"query": query, "results": results, "source": source, "method": method, "scores": scores},
    )


@router.get("/random")
def random_question(session: SessionDep, role: OptionalIdQuery = None) -> Response:
    question_id = practice.random_question_id(session, role_id=role)
    if question_id is None:
        raise HTTPException(404, "There are no questions to practise yet; import a bank first.")
    return RedirectResponse(f"/practice/{question_id}", status_code=303)
