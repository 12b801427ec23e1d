"""Community pages: "Help us improve this answer", suggestions, votes and comments, the editors'
queue, a question's history, notifications and the admins' editor list. Thin: each view parses the
form, calls one service function and renders (or redirects back)."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Query, Request
from fastapi.responses import RedirectResponse, Response

from rehearse.accounts.models import User
from rehearse.bank import service as bank
from rehearse.bank.competencies import KEYWORDS as KNOWN_COMPETENCIES
from rehearse.community import service as community
from rehearse.web import questions as question_cache
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing
from rehearse.web.form_errors import FormErrors, Problem, each_field, in_form_order, with_refusal
from rehearse.web.params import IdPath
from rehearse.web.security import CsrfForm, OptionalUser, PageUser
from rehearse.web.templating import render

router = APIRouter()
_BIG = 100_000  # form fields past this are refused by validation; the service gives the exact limit


def page_editor(user: PageUser) -> User:
    if user.role not in ("editor", "admin") or not user.active:
        raise HTTPException(403, "Only editors can see this page.")
    return user


def page_admin(user: PageUser) -> User:
    if user.role != "admin" or not user.active:
        raise HTTPException(403, "Only admins can see this page.")
    return user


EditorPage = Annotated[User, Depends(page_editor)]
AdminPage = Annotated[User, Depends(page_admin)]
Text = Annotated[str, Form(max_length=_BIG)]


def _back(path: str) -> Response:
    return RedirectResponse(path, status_code=303)


def _question(request: Request, session, question_id: int):
    view = question_cache.get(request.app, session, question_id)
    if view is None:
        raise HTTPException(404, f"There is no question with id {question_id}.")
    return view


# --- suggest -------------------------------------------------------------------------------------

EDIT_FIELDS = ["example_answer", "intent", "talking_points", "reason", "accept_licence"]
QUESTION_FIELDS = ["text", "kind", "competencies", "intent", "talking_points", "example_answer", "reason",
                   "accept_licence"]


def _field_of(refusal: Exception, fields: list[str]) -> tuple[str, ...]:
    """The field of this form a refusal is about; none when it is about none of them (a limit, a conflict)."""
    named = getattr(refusal, "field", None)
    return (named,) if named in fields else ()


def _sending_problems(*, reason: str, accept_licence: bool, licence: str) -> FormErrors:
    """What sending needs besides the suggestion itself, checked apart so that every missing piece is told."""
    errors = each_field(community.CommunityError, [
        ("reason", lambda: community.checked_text(reason, "reason", community.MAX_REASON, required=True))])
    if not accept_licence:
        errors.problems.append(Problem(f"Agree to publish your suggestion under the bank's licence ({licence}) to "
                                       "send it.", ("accept_licence",)))
    return errors


def _suggestion_errors(refusal: Exception, fields: list[str], also: FormErrors) -> FormErrors:
    return in_form_order(with_refusal(also, refusal, *_field_of(refusal, fields)), fields)




def _improve_page(request: Request, session, question_id: int, *, form: dict | None = None,
                  preview: community.Preview | None = None, errors: FormErrors | None = None, status_code: int = 200):
    q = _question(request, session, question_id)
    now = community.current(session, question_id)
    form = form or {"example_answer": now.example_answer or "", "intent": now.intent or "",
                    "talking_points": "\n".join(now.talking_points), "reason": "", "base_revision": now.revision}
    return render(request, "community/improve.html", {
        "q": q, "form": form, "preview": preview, "errors": errors, "revision": now.revision,
        "licence": community.licence_of(session, question_id=question_id),
        "pending": community.question_suggestions(session, question_id=question_id),
    }, status_code=status_code)


@router.get("/questions/{question_id}/improve")
def improve_answer(question_id: IdPath, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return _improve_page(request, session, question_id)


@router.post("/questions/{question_id}/improve", dependencies=[CsrfForm])
def suggest_edit(question_id: IdPath, request: Request, session: ReadSessionDep, settings: SettingsDep,
                 user: PageUser, example_answer: Text = "", intent: Text = "", talking_points: Text = "",
                 reason: Text = "", base_revision: Annotated[int, Form(ge=0)] = 0,
                 accept_licence: Annotated[bool, Form()] = False,
                 action: Annotated[str, Form(max_length=20)] = "preview") -> Response:
    """Preview (diff and engine report) or send a suggested edit."""
    form = {"example_answer": example_answer, "intent": intent, "talking_points": talking_points,
            "reason": reason, "base_revision": base_revision, "accept_licence": accept_licence}
    fields = {"example_answer": example_answer, "intent": intent, "talking_points": talking_points}
    try:
        preview = community.counted_preview(session, user=user, make=lambda: community.preview_edit(
            session, question_id=question_id, backend=settings.feedback_backend, scorer=request.app.state.scorer,
            **fields))
        if action != "send":
            return _improve_page(request, session, question_id, form=form, preview=preview)
        suggestion = community.suggest_edit(session, user=user, question_id=question_id, reason=reason,
                                            accept_licence=accept_licence, base_revision=base_revision,
                                            report=preview.report, **fields)
    except community.NotFound as missing:
        raise HTTPException(404, str(missing)) from None
    except community.CommunityError as error:
        sending = (_sending_problems(reason=reason, accept_licence=accept_licence,
                                     licence=community.licence_of(session, question_id=question_id))
                   if action == "send" else FormErrors())
        return _improve_page(request, session, question_id, form=form, status_code=error.status,
                             errors=_suggestion_errors(error, EDIT_FIELDS, sending))
    return _back(f"/suggestions/{suggestion.id}")


def _new_question_page(request: Request, session, role, *, form: dict, preview=None, notice: str | None = None,
                       errors: FormErrors | None = None, status_code: int = 200) -> Response:
    return render(request, "community/new_question.html", {
        "role": role, "form": form, "preview": preview, "notice": notice, "errors": errors,
        "licence": community.licence_of(session, role_id=role.id), "known_competencies": list(KNOWN_COMPETENCIES)},
        status_code=status_code)


def _question_problems(form: dict) -> FormErrors:
    """Each field of a suggested question checked apart, as the service checks them, so all are told at once."""
    return each_field(community.CommunityError, [
        ("text", lambda: community.checked_text(form["text"], "question", community.MAX_QUESTION, required=True)),
        ("kind", lambda: community.checked_kind(form["kind"])),
        ("competencies", lambda: community.clean_competencies(form["competencies"])),
        ("intent", lambda: community.checked_text(form["intent"], "intent", community.MAX_INTENT)),
        ("talking_points", lambda: community.clean_points(form["talking_points"])),
        ("example_answer", lambda: community.checked_text(form["example_answer"], "example answer",
                                                          community.MAX_ANSWER))])


@router.get("/roles/{role_id}/suggest")
def suggest_question_page(role_id: IdPath, request: Request, session: SessionDep, user: PageUser) -> Response:
    role = bank.get_role(session, str(role_id))
    if role is None:
        raise HTTPException(404, f"There is no role with id {role_id}.")
    return _new_question_page(request, session, role, form={})


@router.post("/roles/{role_id}/suggest", dependencies=[CsrfForm])
def suggest_question(role_id: IdPath, request: Request, session: ReadSessionDep, settings: SettingsDep,
                     user: PageUser, text: Text = "", example_answer: Text = "", intent: Text = "",
                     talking_points: Text = "", reason: Text = "", kind: Annotated[str, Form(max_length=40)] = "",
                     competencies: Text = "", accept_licence: Annotated[bool, Form()] = False,
                     action: Annotated[str, Form(max_length=20)] = "preview",
                     previewed: Annotated[str, Form(max_length=64)] = "") -> Response:
    """Preview a suggested new question (as its page would show it, with the engine's report), or send it.

    It is sent only once its author has seen the preview of exactly what is sent: a send with no
    preview, or after an edit since the last one, shows the (new) preview instead."""
    role = bank.get_role(session, str(role_id))
    if role is None:
        raise HTTPException(404, f"There is no role with id {role_id}.")
    form = {"text": text, "example_answer": example_answer, "intent": intent, "talking_points": talking_points,
            "reason": reason, "kind": kind, "competencies": competencies, "accept_licence": accept_licence}
    preview = None
    try:
        preview = community.counted_preview(session, user=user, make=lambda: community.preview_question(
            session, role_id=role_id, text=text, intent=intent, talking_points=talking_points,
            example_answer=example_answer, kind=kind, competencies=competencies, backend=settings.feedback_backend,
            scorer=request.app.state.scorer))
        if action != "send" or previewed != preview.digest:
            notice = ("Your question has changed since the preview, or has not been previewed: check it as it "
                      "will appear, then send it." if action == "send" else None)
            return _new_question_page(request, session, role, form=form, preview=preview, notice=notice)
        suggestion = community.suggest_question(
            session, user=user, role_id=role_id, text=preview.text, reason=reason, accept_licence=accept_licence,
            intent=preview.intent, talking_points=preview.talking_points, example_answer=preview.example_answer,
            kind=preview.kind, competencies=preview.competencies, report=preview.report)
    except community.NotFound as missing:
        raise HTTPException(404, str(missing)) from None
    except community.CommunityError as error:
        problems = _question_problems(form)
        if action == "send":
            problems.problems += _sending_problems(reason=reason, accept_licence=accept_licence,
                                                   licence=community.licence_of(session, role_id=role_id)).problems
        return _new_question_page(request, session, role, form=form, preview=preview, status_code=error.status,
                                  errors=_suggestion_errors(error, QUESTION_FIELDS, problems))
    return _back(f"/suggestions/{suggestion.id}")


# --- a suggestion: read, vote, comment, decide ---------------------------------------------------


def _suggestion_page(request: Request, session, suggestion_id: int, user, *, errors: FormErrors | None = None,
                     status_code: int = 200) -> Response:
    try:
        view = community.view_suggestion(session, suggestion_id, viewer=user)
    except community.NotFound as missing:
        raise HTTPException(404, str(missing)) from None
    editor = user is not None and user.role in ("editor", "admin") and user.active
    edit_values = view.merge or view.proposed
    return render(request, "community/suggestion.html", {
        "v": view, "s": view.suggestion, "errors": errors, "is_editor": editor,
        "edit": {**edit_values, "talking_points": "\n".join(edit_values.get("talking_points") or ())},
    }, status_code=status_code)


@router.get("/suggestions/{suggestion_id}")
def show_suggestion(suggestion_id: IdPath, request: Request, session: SessionDep, user: OptionalUser) -> Response:
    return _suggestion_page(request, session, suggestion_id, user)


def _act(request: Request, session, suggestion_id: int, user, action, *, field=None) -> Response:
    """Run one service call; back to the suggestion on success, the page with the reason otherwise, tied to
    `field`: the form field the refusal is about, or a function of the refusal that names it."""
    try:
        action()
    except community.CommunityError as error:
        session.rollback()
        named = field(error) if callable(field) else field
        errors = FormErrors.of(str(error), *(named,) if named else ())
        return _suggestion_page(request, session, suggestion_id, user, errors=errors, status_code=error.status)
    return _back(f"/suggestions/{suggestion_id}")


@router.post("/suggestions/{suggestion_id}/vote", dependencies=[CsrfForm])
def vote(suggestion_id: IdPath, request: Request, session: SessionDep, user: PageUser,
         value: Annotated[int, Form(ge=-1, le=1)] = 0) -> Response:
    return _act(request, session, suggestion_id, user,
                lambda: community.vote(session, user=user, suggestion_id=suggestion_id, value=value))


@router.post("/suggestions/{suggestion_id}/comments", dependencies=[CsrfForm])
def add_comment(suggestion_id: IdPath, request: Request, session: SessionDep, user: PageUser, body: Text = "",
                reply_to: Annotated[int | None, Form()] = None) -> Response:
    return _act(request, session, suggestion_id, user, lambda: community.add_comment(
        session, user=user, suggestion_id=suggestion_id, body=body, reply_to=reply_to), field="comment")


@router.post("/suggestions/{suggestion_id}/comments/{comment_id}/report", dependencies=[CsrfForm])
def report_comment(suggestion_id: IdPath, comment_id: IdPath, request: Request, session: SessionDep, user: PageUser,
                   reason: Text = "") -> Response:
    return _act(request, session, suggestion_id, user, lambda: community.report_comment(
        session, user=user, comment_id=comment_id, reason=reason), field=f"report-{comment_id}")


@router.post("/suggestions/{suggestion_id}/comments/{comment_id}/hide", dependencies=[CsrfForm])
def hide_comment(suggestion_id: IdPath, comment_id: IdPath, request: Request, session: SessionDep, user: EditorPage,
                 reason: Text = "") -> Response:
    return _act(request, session, suggestion_id, user, lambda: community.hide_comment(
        session, editor=user, comment_id=comment_id, reason=reason), field=f"hide-{comment_id}")


@router.post("/suggestions/{suggestion_id}/withdraw", dependencies=[CsrfForm])
def withdraw(suggestion_id: IdPath, request: Request, session: SessionDep, user: PageUser) -> Response:
    return _act(request, session, suggestion_id, user,
                lambda: community.withdraw(session, user=user, suggestion_id=suggestion_id))


# The ids of the "Edit, then accept" form's fields, by the field names the refusals use.
EDITED_IDS = {"example_answer": "edit-answer", "intent": "edit-intent", "talking_points": "edit-points",
              "kind": "edit-kind", "competencies": "edit-competencies"}


def _edited_field(refusal: Exception) -> str | None:
    named = _field_of(refusal, list(EDITED_IDS))
    return EDITED_IDS[named[0]] if named else None


@router.post("/suggestions/{suggestion_id}/accept", dependencies=[CsrfForm])
def accept(suggestion_id: IdPath, request: Request, session: SessionDep, user: EditorPage, note: Text = "",
           edit: Annotated[bool, Form()] = False, example_answer: Text = "", intent: Text = "",
           talking_points: Text = "", edited_base: Annotated[int | None, Form(ge=0)] = None,
           kind: Annotated[str | None, Form(max_length=40)] = None,
           competencies: Annotated[str | None, Form(max_length=_BIG)] = None) -> Response:
    """Accept as suggested, or (edit=true) accept the editor's edit of it; the edit of a suggested new
    question may also give its kind and competencies (the form of an edit to a question has neither)."""
    edited = None
    if edit:
        edited = {"example_answer": example_answer, "intent": intent, "talking_points": talking_points,
                  "kind": kind, "competencies": competencies}
    response = _act(request, session, suggestion_id, user, lambda: community.accept(
        session, editor=user, suggestion_id=suggestion_id, note=note or None, edited=edited,
        edited_base=edited_base), field=_edited_field if edit else None)
    suggestion = community.get_suggestion(session, suggestion_id)
    if suggestion.question_id:
        question_cache.forget(request.app, suggestion.question_id)
    return response


@router.post("/suggestions/{suggestion_id}/reject", dependencies=[CsrfForm])
def reject(suggestion_id: IdPath, request: Request, session: SessionDep, user: EditorPage,
           reason: Text = "") -> Response:
    return _act(request, session, suggestion_id, user, lambda: community.reject(
        session, editor=user, suggestion_id=suggestion_id, reason=reason), field="reject-reason")


# --- editors' queue and history -------------------------------------------------------------------


@router.get("/community/queue")
def moderation_queue(request: Request, session: SessionDep, user: EditorPage,
                     page: Annotated[int, Query(ge=1, le=10_000)] = 1) -> Response:
    items, total = community.queue(session, limit=community.QUEUE_PAGE, offset=(page - 1) * community.QUEUE_PAGE)
    return render(request, "community/queue.html", {
        "items": items, "total": total, "page": page, "diffs": community.queue_diffs(session, items),
        "pages": max(1, -(-total // community.QUEUE_PAGE)), "reported": community.reported_comments(session)})


@router.get("/questions/{question_id}/history")
def question_history(question_id: IdPath, request: Request, session: SessionDep, user: OptionalUser,
                     page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> Response:
    q = _question(request, session, question_id)
    entries, total = community.history(session, question_id=question_id, page=page)
    return render(request, "community/history.html", {
        "q": q, "entries": entries, "total": total, "page": page,
        "pages": max(1, -(-total // community.HISTORY_PAGE)),
        "is_editor": user is not None and user.role in ("editor", "admin"), "errors": None})


@router.post("/questions/{question_id}/revert", dependencies=[CsrfForm])
def revert(question_id: IdPath, request: Request, session: SessionDep, user: EditorPage,
           revision: Annotated[int, Form(ge=1)] = 1, reason: Text = "") -> Response:
    try:
        community.revert(session, editor=user, question_id=question_id, to_revision=revision, reason=reason)
    except community.CommunityError as error:
        session.rollback()
        q = _question(request, session, question_id)
        entries, total = community.history(session, question_id=question_id)
        return render(request, "community/history.html", {
            "q": q, "entries": entries, "total": total, "page": 1, "pages": 1, "is_editor": True,
            "errors": FormErrors.of(str(error), f"revert-{revision}")}, status_code=error.status)
    question_cache.forget(request.app, question_id)
    return _back(f"/questions/{question_id}/history")


# --- notifications, my suggestions ---------------------------------------------------------------


@router.get("/notifications")
def notifications(request: Request, session: SessionDep, user: PageUser) -> Response:
    return render(request, "community/notifications.html", {
        "notes": community.notifications(session, user_id=user.id),
        "unread": community.unread_count(session, user_id=user.id),
        "mine": community.user_suggestions(session, user_id=user.id)})


@router.post("/notifications/read", dependencies=[CsrfForm])
def mark_read(session: SessionDep, user: PageUser) -> Response:
    community.mark_read(session, user_id=user.id)
    return _back("/notifications")


@router.get("/notifications/read")
def mark_read_page(user: PageUser) -> Response:
    """Where "mark all read" posts: opened as a page (a bookmark, a reload of an old tab), the list, unchanged."""
    return _back("/notifications")


@router.get("/notifications/{notification_id}")
def open_notification(notification_id: IdPath, session: SessionDep, user: PageUser) -> Response:
    """A notification's link: opening it marks it read, then goes to its suggestion (or back to the list).

    A GET, so that the link opens like any other (a new tab, a bookmark); reading it again changes nothing."""
    begin_writing(session)
    try:
        note = community.open_notification(session, user_id=user.id, notification_id=notification_id)
    except community.NotFound as missing:
        raise HTTPException(404, str(missing)) from None
    return _back(f"/suggestions/{note.suggestion_id}" if note.suggestion_id else "/notifications")


# --- admins: editors and bans --------------------------------------------------------------------


Search = Annotated[str, Query(max_length=320)]
UsersPage = Annotated[int, Query(ge=1, le=100_000)]


def _editors_page(request: Request, session, *, q: str, page: int, errors: FormErrors | None = None,
                  status_code: int = 200) -> Response:
    """A page of accounts (one more is read, to know whether a next page exists)."""
    users = community.list_users(session, query=q, limit=community.USERS_PAGE + 1,
                                 offset=(page - 1) * community.USERS_PAGE)
    return render(request, "community/editors.html", {
        "users": users[:community.USERS_PAGE], "more": len(users) > community.USERS_PAGE, "q": q, "page": page,
        "errors": errors}, status_code=status_code)


@router.get("/community/editors")
def editors(request: Request, session: SessionDep, user: AdminPage, q: Search = "", page: UsersPage = 1) -> Response:
    return _editors_page(request, session, q=q, page=page)


@router.post("/community/editors", dependencies=[CsrfForm])
def set_role(request: Request, session: SessionDep, user: AdminPage, user_id: Annotated[int, Form()],
             role: Annotated[str, Form(max_length=20)] = "", ban: Annotated[bool, Form()] = False,
             reinstate: Annotated[bool, Form()] = False, reason: Text = "",
             q: Annotated[str, Form(max_length=320)] = "", page: Annotated[int, Form(ge=1, le=100_000)] = 1
             ) -> Response:
    """Change a role, suspend or reinstate; back to the same search and page."""
    try:
        if ban:
            community.ban(session, admin=user, user_id=user_id, reason=reason)
        elif reinstate:
            community.reinstate(session, admin=user, user_id=user_id)
        else:
            community.set_role(session, admin=user, user_id=user_id, role=role)
    except community.CommunityError as error:
        session.rollback()
        field = f"reason-{user_id}" if ban else None if reinstate else f"role-{user_id}"
        return _editors_page(request, session, q=q, page=page, status_code=error.status,
                             errors=FormErrors.of(str(error), *(field,) if field else ()))
    return _back("/community/editors" + (f"?{urlencode({'q': q, 'page': page})}" if q or page > 1 else ""))
