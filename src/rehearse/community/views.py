"""JSON API for the community workflow: suggest, vote, comment, moderate, history, notifications.

Who may call what is declared per route by the user dependency: `ApiUser` (any signed-in
account), `EditorUser` (editors and admins) or `AdminUser`; the service checks the same again.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, HTTPException, Query, Request
from fastapi.responses import Response

from rehearse.accounts.models import User
from rehearse.idempotency import service as idempotency
from rehearse.idempotency.api import Once
from rehearse.web import questions as question_cache
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing
from rehearse.web.params import IdPath, OffsetQuery
from rehearse.web.security import ApiUser, CsrfApi, OptionalUser

from . import schemas, service

router = APIRouter(prefix="/api", tags=["community"])


def editor_user(user: ApiUser) -> User:
    if user.role not in ("editor", "admin") or not user.active:
        raise HTTPException(403, "Only editors can do this.")
    return user


def admin_user(user: ApiUser) -> User:
    if user.role != "admin" or not user.active:
        raise HTTPException(403, "Only admins can do this.")
    return user


EditorUser = Annotated[User, Depends(editor_user)]
AdminUser = Annotated[User, Depends(admin_user)]

ERRORS = {400: {"description": "Bad input; `detail` says what"}, 403: {"description": "Not allowed"},
          404: {"description": "No such question, suggestion or comment"},
          409: {"description": "Decided already, or stale and conflicting"},
          429: {"description": "Rate limited; see Retry-After"}}
# The accept route's 409 says what to send: a stale suggestion that cannot be merged waits for an edit.
ACCEPT_ERRORS = {**ERRORS, 409: {"description": (
    "Decided already; or the suggestion is stale and the current revision changed the same words (nothing is "
    "changed): edit it against the current revision and send the edit as `edited` with `edited_base` set to "
    "that revision's number (without `edited_base` the edit counts as made against the suggestion's own "
    "revision and is refused the same way)")}}

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=idempotency.MAX_KEY,
    description="Any unique string (a UUID). Sending the same request again with the same key returns the first "
                "answer (200, `Idempotent-Replayed: true`) instead of storing it twice (kept for 24 hours); the "
                "same key with another body is a 422.")]


def created_once(model: type, what: str) -> dict:
    """The routes' 200: a retry with an Idempotency-Key already answered."""
    return {200: {"model": model, "description": f"A retry with the same Idempotency-Key and body: the {what} "
                                                 "stored the first time (nothing new is stored)."}}


# Lists a page at a time, like the queue; the list stays the body (as before paging) and the total is a header.
LimitQuery = Annotated[int, Query(ge=1, le=200, description="At most this many (1 to 200).")]
TOTAL_HEADER = "X-Total-Count"
PAGED = {200: {"description": "One page, in order; how many there are in all is in X-Total-Count.",
               "headers": {TOTAL_HEADER: {"description": "How many there are in all, over every page.",
                                          "required": True, "schema": {"type": "integer", "minimum": 0}}}}}


def paged(response: Response, total: int) -> None:
    response.headers[TOTAL_HEADER] = str(total)


# The administration routes answer about accounts, not suggestions.
ADMIN_ERRORS = {400: {"description": "Bad input; `detail` says what (e.g. an admin demoting or banning themself)"},
                403: {"description": "Only admins can do this"},
                404: {"description": "There is no user with that id"}}


def failed(error: service.CommunityError) -> HTTPException:
    """The service's refusal as an HTTP error with its sentence."""
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, service.RateLimited) else None
    return HTTPException(error.status, str(error), headers=headers)


# --- suggesting ----------------------------------------------------------------------------------


@router.post("/questions/{question_id}/suggestions/preview", response_model=schemas.PreviewRead,
             responses=ERRORS, dependencies=[CsrfApi])
def preview_suggestion(question_id: IdPath, body: schemas.EditFields,
                       request: Request, user: ApiUser, session: ReadSessionDep,
                       settings: SettingsDep) -> schemas.PreviewRead:
    """The word-level diff against the current revision and the engine's report; nothing is stored."""
    try:
        preview = service.counted_preview(session, user=user, make=lambda: service.preview_edit(
            session, question_id=question_id, backend=settings.feedback_backend, scorer=request.app.state.scorer,
            **body.model_dump()))
    except service.CommunityError as error:
        raise failed(error) from None
    return schemas.PreviewRead.of(preview)


@router.post("/questions/{question_id}/suggestions", response_model=schemas.SuggestionRead, status_code=201,
             responses={**ERRORS, **created_once(schemas.SuggestionRead, "suggestion")}, dependencies=[CsrfApi])
def create_suggestion(question_id: IdPath, body: schemas.SuggestionCreate,
                      request: Request, user: ApiUser, session: ReadSessionDep,
                      settings: SettingsDep, idempotency_key: IdempotencyKey = None) -> Response:
    """Suggest an edit of the example answer, intent or talking points (give only what you change)."""
    once = Once.of(user.id, idempotency_key, f"/api/questions/{question_id}/suggestions", body)
    if (replay := once.replayed(session)) is not None:
        return replay  # before the engine runs: a retry costs no scoring and no preview
    fields = body.model_dump(include={"example_answer", "intent", "talking_points"})
    try:
        preview = scored_once(session, user, once, lambda: service.preview_edit(
            session, question_id=question_id, backend=settings.feedback_backend, scorer=request.app.state.scorer,
            **fields))
        if isinstance(preview, Response):
            return preview
        suggestion = service.suggest_edit(session, user=user, question_id=question_id, reason=body.reason,
                                          accept_licence=body.accept_licence, base_revision=body.base_revision,
                                          report=preview.report, **fields)
        return once.created(schemas.SuggestionRead.of_view(service.view_suggestion(session, suggestion.id,
                                                                                   viewer=user)))
    except service.CommunityError as error:
        raise failed(error) from None


def scored_once(session, user: User, once: Once, make):
    """`service.counted_preview` with the Idempotency-Key claimed between the engine and the count: a retry
    racing with the first request gets its answer (a Response) and counts no preview."""
    service.preview_allowed(session, user=user)
    made = make()
    begin_writing(session)
    if (replay := once.claim(session)) is not None:
        return replay
    service.count_preview(session, user=user)
    return made


@router.post("/roles/{role_id}/suggestions/preview", response_model=schemas.QuestionPreviewRead,
             responses=ERRORS, dependencies=[CsrfApi])
def preview_question_suggestion(role_id: IdPath, body: schemas.QuestionFields, request: Request, user: ApiUser,
                                session: ReadSessionDep, settings: SettingsDep) -> schemas.QuestionPreviewRead:
    """A suggested new question as its page would show it, and the engine's report of its example
    answer against its own talking points; nothing is stored."""
    try:
        preview = service.counted_preview(session, user=user, make=lambda: service.preview_question(
            session, role_id=role_id, backend=settings.feedback_backend, scorer=request.app.state.scorer,
            **body.model_dump()))
    except service.CommunityError as error:
        raise failed(error) from None
    return schemas.QuestionPreviewRead.of(preview)


@router.post("/roles/{role_id}/suggestions", response_model=schemas.SuggestionRead, status_code=201,
             responses={**ERRORS, **created_once(schemas.SuggestionRead, "suggestion")}, dependencies=[CsrfApi])
def create_question_suggestion(role_id: IdPath, body: schemas.QuestionSuggestionCreate, request: Request,
                               user: ApiUser, session: ReadSessionDep, settings: SettingsDep,
                               idempotency_key: IdempotencyKey = None) -> Response:
    """Suggest a new question (with intent, talking points and example answer) for a role."""
    once = Once.of(user.id, idempotency_key, f"/api/roles/{role_id}/suggestions", body)
    if (replay := once.replayed(session)) is not None:
        return replay
    try:
        report = scored_once(session, user, once, lambda: service.engine_report(
            session, None, body.model_dump(), backend=settings.feedback_backend, scorer=request.app.state.scorer,
            question_text=body.text))
        if isinstance(report, Response):
            return report
        suggestion = service.suggest_question(session, user=user, role_id=role_id, report=report,
                                              **body.model_dump())
        return once.created(schemas.SuggestionRead.of_view(service.view_suggestion(session, suggestion.id,
                                                                                   viewer=user)))
    except service.CommunityError as error:
        raise failed(error) from None


@router.get("/questions/{question_id}/suggestions", response_model=list[schemas.SuggestionSummary],
            responses=ERRORS)
def list_question_suggestions(question_id: IdPath, session: SessionDep) -> list[schemas.SuggestionSummary]:
    """Pending suggestions for a question, most votes first (404 for a question that does not exist)."""
    try:
        pending = service.question_suggestions(session, question_id=question_id)
    except service.CommunityError as error:
        raise failed(error) from None
    return [schemas.SuggestionSummary.of(s) for s in pending]


@router.get("/suggestions/mine", response_model=list[schemas.SuggestionSummary], responses=PAGED)
def my_suggestions(user: ApiUser, session: SessionDep, response: Response, limit: LimitQuery = 50,
                   offset: OffsetQuery = 0) -> list[schemas.SuggestionSummary]:
    """Your suggestions, newest first, with their decisions (and an editor's reason for a rejection)."""
    paged(response, service.user_suggestion_count(session, user_id=user.id))
    return [schemas.SuggestionSummary.of(s)
            for s in service.user_suggestions(session, user_id=user.id, limit=limit, offset=offset)]


@router.get("/suggestions/{suggestion_id}", response_model=schemas.SuggestionRead, responses=ERRORS)
def get_suggestion(suggestion_id: IdPath, session: SessionDep, user: OptionalUser) -> schemas.SuggestionRead:
    """A suggestion with its diffs, the engine's report, staleness, votes and comments."""
    try:
        return schemas.SuggestionRead.of_view(service.view_suggestion(session, suggestion_id, viewer=user))
    except service.CommunityError as error:
        raise failed(error) from None


@router.post("/suggestions/{suggestion_id}/withdraw", response_model=schemas.SuggestionSummary,
             responses=ERRORS, dependencies=[CsrfApi])
def withdraw_suggestion(suggestion_id: IdPath, user: ApiUser, session: SessionDep) -> schemas.SuggestionSummary:
    try:
        return schemas.SuggestionSummary.of(service.withdraw(session, user=user, suggestion_id=suggestion_id))
    except service.CommunityError as error:
        raise failed(error) from None


# --- votes and comments --------------------------------------------------------------------------


@router.post("/suggestions/{suggestion_id}/vote", response_model=schemas.SuggestionSummary, responses=ERRORS,
             dependencies=[CsrfApi])
def vote(suggestion_id: IdPath, body: schemas.VoteCreate, user: ApiUser,
         session: SessionDep) -> schemas.SuggestionSummary:
    """One vote per user, changeable; not on your own suggestion."""
    try:
        return schemas.SuggestionSummary.of(service.vote(session, user=user, suggestion_id=suggestion_id,
                                                         value=body.value))
    except service.CommunityError as error:
        raise failed(error) from None


@router.post("/suggestions/{suggestion_id}/comments", response_model=schemas.CommentRead, status_code=201,
             responses={**ERRORS, **created_once(schemas.CommentRead, "comment")}, dependencies=[CsrfApi])
def add_comment(suggestion_id: IdPath, body: schemas.CommentCreate, user: ApiUser,
                session: SessionDep, idempotency_key: IdempotencyKey = None) -> Response:
    once = Once.of(user.id, idempotency_key, f"/api/suggestions/{suggestion_id}/comments", body)
    if (replay := once.claim(session)) is not None:  # the session is writing already
        return replay
    try:
        comment = service.add_comment(session, user=user, suggestion_id=suggestion_id, body=body.body,
                                      reply_to=body.reply_to)
    except service.CommunityError as error:
        raise failed(error) from None
    session.refresh(comment, ["author"])
    return once.created(schemas.CommentRead.of(comment))


@router.post("/comments/{comment_id}/report", status_code=204, responses=ERRORS, dependencies=[CsrfApi])
def report_comment(comment_id: IdPath, body: schemas.ReasonBody, user: ApiUser, session: SessionDep) -> Response:
    """Flag a comment for the editors."""
    try:
        service.report_comment(session, user=user, comment_id=comment_id, reason=body.reason)
    except service.CommunityError as error:
        raise failed(error) from None
    return Response(status_code=204)


# --- moderation (editors) ------------------------------------------------------------------------


@router.get("/community/queue", response_model=schemas.QueueRead, responses=ERRORS)
def moderation_queue(user: EditorUser, session: SessionDep, limit: LimitQuery = 50,
                     offset: OffsetQuery = 0) -> schemas.QueueRead:
    """Pending suggestions, most votes first, then oldest first (editors)."""
    items, total = service.queue(session, limit=limit, offset=offset)
    return schemas.QueueRead(total=total, items=[schemas.QueueItemRead.of(i) for i in items])


@router.post("/suggestions/{suggestion_id}/accept", response_model=schemas.SuggestionRead, responses=ACCEPT_ERRORS,
             dependencies=[CsrfApi])
def accept_suggestion(suggestion_id: IdPath, body: schemas.AcceptBody, user: EditorUser, session: SessionDep,
                      request: Request) -> schemas.SuggestionRead:
    """Accept into a new revision crediting the author; `edited` accepts your edit of it instead (editors).

    A suggestion made against an older revision is merged onto the current one; where both
    changed the same words the answer is 409 and nothing changes."""
    try:
        row = service.accept(session, editor=user, suggestion_id=suggestion_id, note=body.note,
                             edited=body.edited.model_dump() if body.edited else None, edited_base=body.edited_base)
        question_cache.forget(request.app, row.question_id)  # this process shows the new revision at once
        return schemas.SuggestionRead.of_view(service.view_suggestion(session, suggestion_id, viewer=user))
    except service.CommunityError as error:
        raise failed(error) from None


@router.post("/suggestions/{suggestion_id}/reject", response_model=schemas.SuggestionSummary, responses=ERRORS,
             dependencies=[CsrfApi])
def reject_suggestion(suggestion_id: IdPath, body: schemas.ReasonBody, user: EditorUser,
                      session: SessionDep) -> schemas.SuggestionSummary:
    """Reject with a reason the author sees (editors)."""
    try:
        return schemas.SuggestionSummary.of(service.reject(session, editor=user, suggestion_id=suggestion_id,
                                                           reason=body.reason))
    except service.CommunityError as error:
        raise failed(error) from None


@router.post("/comments/{comment_id}/hide", status_code=204, responses=ERRORS, dependencies=[CsrfApi])
def hide_comment(comment_id: IdPath, body: schemas.HideBody, user: EditorUser, session: SessionDep) -> Response:
    """Hide (or show again) a comment (editors)."""
    try:
        service.hide_comment(session, editor=user, comment_id=comment_id, reason=body.reason, hidden=body.hidden)
    except service.CommunityError as error:
        raise failed(error) from None
    return Response(status_code=204)


@router.get("/community/reported-comments", response_model=list[schemas.ReportedCommentRead],
            responses={**ERRORS, **PAGED})
def reported_comments(user: EditorUser, session: SessionDep, response: Response, limit: LimitQuery = 50,
                      offset: OffsetQuery = 0) -> list[schemas.ReportedCommentRead]:
    """Reported comments not hidden yet, most reported first, with their suggestion and each report's
    reporter and reason (editors)."""
    paged(response, service.reported_comment_count(session))
    return [schemas.ReportedCommentRead.of_reported(c)
            for c in service.reported_comments(session, limit=limit, offset=offset)]


# --- history -------------------------------------------------------------------------------------


@router.get("/questions/{question_id}/history", response_model=schemas.HistoryRead, responses=ERRORS)
def question_history(question_id: IdPath, session: SessionDep,
                     page: Annotated[int, Query(ge=1, le=100_000)] = 1) -> schemas.HistoryRead:
    """A question's revisions, newest first, with author, date, reason and diff (50 a page)."""
    try:
        entries, total = service.history(session, question_id=question_id, page=page)
    except service.CommunityError as error:
        raise failed(error) from None
    return schemas.HistoryRead(question_id=question_id, total=total, page=page,
                               revisions=[schemas.HistoryEntryRead.of(e) for e in entries])


@router.post("/questions/{question_id}/revert", response_model=schemas.RevisionRead, status_code=201,
             responses=ERRORS, dependencies=[CsrfApi])
def revert_question(question_id: IdPath, body: schemas.RevertBody, user: EditorUser, session: SessionDep,
                    request: Request) -> schemas.RevisionRead:
    """Restore an earlier revision as a new revision; nothing is erased (editors)."""
    try:
        row = service.revert(session, editor=user, question_id=question_id, to_revision=body.revision,
                             reason=body.reason)
    except service.CommunityError as error:
        raise failed(error) from None
    question_cache.forget(request.app, question_id)
    return schemas.RevisionRead(revision=row.revision, question_id=question_id, source=row.source,
                                author_id=row.author_id, suggestion_id=row.suggestion_id,
                                reverted_from=row.reverted_from, created_at=row.created_at)


# --- notifications -------------------------------------------------------------------------------


@router.get("/notifications", response_model=list[schemas.NotificationRead], responses=PAGED)
def list_notifications(user: ApiUser, session: SessionDep, response: Response, limit: LimitQuery = 50,
                       offset: OffsetQuery = 0) -> list[schemas.NotificationRead]:
    """Your notifications, newest first (the unread count is GET /api/notifications/unread)."""
    paged(response, service.notification_count(session, user_id=user.id))
    return [schemas.NotificationRead.of(n)
            for n in service.notifications(session, user_id=user.id, limit=limit, offset=offset)]


@router.get("/notifications/unread", response_model=schemas.UnreadRead)
def unread_notifications(user: ApiUser, session: SessionDep) -> schemas.UnreadRead:
    return schemas.UnreadRead(unread=service.unread_count(session, user_id=user.id))


@router.post("/notifications/read", response_model=schemas.UnreadRead, dependencies=[CsrfApi])
def mark_notifications_read(user: ApiUser, session: SessionDep,
                            body: schemas.MarkRead | None = None) -> schemas.UnreadRead:
    """Mark the given notifications read, or all of them when no body (or no "ids") is sent."""
    service.mark_read(session, user_id=user.id, ids=body.ids if body else None)
    return schemas.UnreadRead(unread=service.unread_count(session, user_id=user.id))


# --- administration (admins) ---------------------------------------------------------------------


@router.get("/community/users", response_model=list[schemas.UserRead],
            responses={403: ADMIN_ERRORS[403]})
def list_users(user: AdminUser, session: SessionDep,
               q: Annotated[str | None, Query(max_length=320, description="Only accounts whose e-mail address "
                                              "or display name contains this (case aside).")] = None,
               limit: Annotated[int, Query(ge=1, le=service.MAX_USERS_PAGE)] = 100,
               offset: OffsetQuery = 0) -> list[schemas.UserRead]:
    """Accounts, admins and editors first, then oldest first, a page at a time (admins)."""
    return [schemas.UserRead.of(u) for u in service.list_users(session, query=q, limit=limit, offset=offset)]


@router.put("/community/users/{user_id}/role", response_model=schemas.UserRead, responses=ADMIN_ERRORS,
            dependencies=[CsrfApi])
def set_user_role(user_id: IdPath, body: schemas.RoleBody, user: AdminUser, session: SessionDep) -> schemas.UserRead:
    """Give an account a role: candidate, editor (moderates suggestions) or admin (also manages accounts,
    this route included) (admins). An admin cannot demote themself, so an installation keeps one."""
    try:
        changed = service.set_role(session, admin=user, user_id=user_id, role=body.role)
    except service.CommunityError as error:
        raise failed(error) from None
    return schemas.UserRead.of(changed)


@router.post("/community/users/{user_id}/ban", response_model=schemas.BanRead,
             responses={**ADMIN_ERRORS, 409: {"description": "The account is suspended already"}},
             dependencies=[CsrfApi])
def ban_user(user_id: IdPath, body: schemas.ReasonBody, user: AdminUser, session: SessionDep) -> schemas.BanRead:
    """Suspend an account; its pending suggestions are withdrawn (admins). Answers how many."""
    try:
        return schemas.BanRead(withdrawn=service.ban(session, admin=user, user_id=user_id, reason=body.reason))
    except service.CommunityError as error:
        raise failed(error) from None


@router.post("/community/users/{user_id}/reinstate", response_model=schemas.UserRead,
             responses={**ADMIN_ERRORS, 409: {"description": "The account is not suspended"}},
             dependencies=[CsrfApi])
def reinstate_user(user_id: IdPath, user: AdminUser, session: SessionDep) -> schemas.UserRead:
    """Lift a suspension (admins); suggestions it withdrew stay withdrawn."""
    try:
        return schemas.UserRead.of(service.reinstate(session, admin=user, user_id=user_id))
    except service.CommunityError as error:
        raise failed(error) from None
