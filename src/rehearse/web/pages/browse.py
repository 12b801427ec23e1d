"""Browsing pages: home, a role's questions, a question, search and similar questions."""

from __future__ import annotations

from collections import OrderedDict
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from rehearse.bank import service as bank
from rehearse.practice import service as practice
from rehearse.web import questions as question_cache
from rehearse.web.deps import SessionDep
from rehearse.web.security import OptionalUser
from rehearse.web.similar import similar_questions
from rehearse.web.templating import render

router = APIRouter()
MAX_QUERY = 200  # characters of a search query that are used (the index reads at most 12 terms)


@router.get("/")
def home(request: Request, session: SessionDep, user: OptionalUser) -> Response:
    banks: OrderedDict[str, list] = OrderedDict()
    for role, count in bank.list_roles(session):
        banks.setdefault(role.bank.name, []).append((role, count))
    recent = practice.history(session, user=user, limit=5) if user else []
    return render(request, "bank/home.html", {"banks": banks, "recent": recent})


@router.get("/roles/{reference}")
def show_role(reference: str, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    role = bank.get_role(session, reference[:120])
    if role is None:
        raise HTTPException(404, "There is no role at this address.")
    questions = bank.list_questions(session, role=str(role.id))
    groups: OrderedDict[str, list] = OrderedDict()
    for question in questions:
        names = question.competency_names
        groups.setdefault(names[0] if names else "general", []).append(question)
    scores = practice.last_scores(session, user=user, question_ids=[q.id for q in questions])
    return render(request, "bank/role.html", {"role": role, "groups": groups, "scores": scores,
                                              "count": len(questions)})


@router.get("/questions/{question_id}")
def show_question(question_id: int, request: Request, session: SessionDep, user: OptionalUser,
                  show: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    view = question_cache.get(request.app, session, question_id)
    if view is None:
        raise HTTPException(404, f"There is no question with id {question_id}.")
    last = practice.latest(session, user=user, question_id=question_id) if user else None
    return render(request, "bank/question.html", {"q": view, "last": last,
                                                  "show_example": show == "example" or last is not None})


@router.get("/questions/{question_id}/improve")
def improve_answer(question_id: int, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    view = question_cache.get(request.app, session, question_id)
    if view is None:
        raise HTTPException(404, f"There is no question with id {question_id}.")
    return render(request, "bank/improve.html", {"q": view})


@router.get("/search")
def search(request: Request, session: SessionDep, user: OptionalUser,
           q: Annotated[str, Query(max_length=2000)] = "",
           like: Annotated[int | None, Query()] = None) -> Response:
    query = q.strip()[:MAX_QUERY]
    source = None
    if like is not None:
        source = question_cache.get(request.app, session, like)
        if source is None:
            raise HTTPException(404, f"There is no question with id {like}.")
        results, method = similar_questions(session, like,
                                             backend=request.app.state.settings.feedback_backend)
    else:
        results, method = (bank.search(session, query, limit=30) if query else []), "full-text"
    scores = practice.last_scores(session, user=user, question_ids=[r.id for r in results])
    return render(request, "bank/search.html", {"query": query, "results": results, "source": source,
                                                "method": method, "scores": scores})


@router.get("/random")
def random_question(session: SessionDep, role: Annotated[int | None, Query()] = None) -> Response:
    question_id = practice.random_question_id(session, role_id=role)
    if question_id is None:
        raise HTTPException(404, "There are no questions to practise yet; import a bank first.")
    return RedirectResponse(f"/practice/{question_id}", status_code=303)
