"""Discussing a suggestion: one vote per user (changeable), Markdown comments and replies, reports of a
comment and editors hiding it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts.models import User
from rehearse.bank.models import utcnow

from .inbox import (
    notify,
)
from .models import Comment, CommentReport, Suggestion, Vote
from .rules import (
    COMMENT_LIMIT,
    MAX_COMMENT,
    MAX_REASON,
    VOTE_LIMIT,
    CommunityError,
    Conflict,
    Forbidden,
    NotFound,
    checked_text,
    count_action,
    require_active,
    require_editor,
)
from .suggestions import (
    get_suggestion,
)


def vote(session: Session, *, user: User, suggestion_id: int, value: int, now: datetime | None = None) -> Suggestion:
    """Vote a suggestion up (1) or down (-1), change the vote, or take it back (0)."""
    now = now or utcnow()
    require_active(user)
    if value not in (-1, 0, 1):
        raise CommunityError("A vote is 1 (up), -1 (down) or 0 (take the vote back).")
    suggestion = get_suggestion(session, suggestion_id)
    if suggestion.author_id == user.id:
        raise Forbidden("You cannot vote on your own suggestion.")
    if suggestion.status != "pending":
        raise Conflict(f"This suggestion was {suggestion.status}; votes are closed.")
    count_action(session, user, VOTE_LIMIT, now)
    existing = session.scalar(select(Vote).where(Vote.suggestion_id == suggestion_id, Vote.user_id == user.id)
                              .with_for_update())
    old = existing.value if existing else 0
    if value == old:
        return suggestion
    if existing is None:
        try:
            with session.begin_nested():
                session.add(Vote(suggestion_id=suggestion_id, user_id=user.id, value=value, created_at=now,
                                 updated_at=now))
        except IntegrityError:
            raise Conflict("Your vote changed at the same moment; reload and vote again.") from None
    elif value == 0:
        session.delete(existing)
    else:
        existing.value, existing.updated_at = value, now
    # Counters change by the difference, in SQL, so concurrent votes add up.
    session.execute(update(Suggestion).where(Suggestion.id == suggestion_id).values(
        votes=Suggestion.votes + (value - old),
        up=Suggestion.up + (int(value == 1) - int(old == 1)),
        down=Suggestion.down + (int(value == -1) - int(old == -1))))
    session.flush()
    return get_suggestion(session, suggestion_id)


def add_comment(session: Session, *, user: User, suggestion_id: int, body: str, reply_to: int | None = None,
                now: datetime | None = None) -> Comment:
    """A Markdown comment on a suggestion; the suggestion's author is told."""
    now = now or utcnow()
    require_active(user)
    body = checked_text(body, "comment", MAX_COMMENT, required=True)
    suggestion = get_suggestion(session, suggestion_id)
    if suggestion.status == "withdrawn":  # its author took it back (or was suspended): as closed as for votes
        raise Conflict("This suggestion was withdrawn; comments are closed.")
    if reply_to is not None:
        parent = session.get(Comment, reply_to)
        if parent is None or parent.suggestion_id != suggestion_id:
            raise NotFound(f"There is no comment {reply_to} on this suggestion.")
        if parent.hidden:
            raise Conflict("That comment was hidden by an editor; it cannot be replied to.")
    count_action(session, user, COMMENT_LIMIT, now)
    comment = Comment(suggestion_id=suggestion_id, author_id=user.id, reply_to_id=reply_to, body=body,
                      hidden=False, reports=0, created_at=now)
    session.add(comment)
    session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                    .values(comment_count=Suggestion.comment_count + 1))
    if suggestion.author_id != user.id:
        notify(session, user_id=suggestion.author_id, kind="commented", suggestion_id=suggestion_id,
               message=f"{user.display_name} commented on your suggestion #{suggestion_id}.", now=now)
    session.flush()
    return comment


def report_comment(session: Session, *, user: User, comment_id: int, reason: str) -> Comment:
    """Flag a comment for the editors; one report per user and comment, never on one's own."""
    require_active(user)
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"There is no comment with id {comment_id}.")
    if comment.author_id == user.id:
        raise Forbidden("You cannot report your own comment.")
    already = Conflict("You have reported this comment already.")
    if session.get(CommentReport, (comment_id, user.id)) is not None:
        raise already
    try:  # the same report sent twice at once: the second waits for the first, then finds its row
        with session.begin_nested():
            session.add(CommentReport(comment_id=comment_id, user_id=user.id, reason=reason, created_at=utcnow()))
    except IntegrityError:
        raise already from None
    session.execute(update(Comment).where(Comment.id == comment_id).values(reports=Comment.reports + 1))
    session.flush()
    session.refresh(comment)
    return comment


def hide_comment(session: Session, *, editor: User, comment_id: int, reason: str, hidden: bool = True) -> Comment:
    require_editor(editor)
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"There is no comment with id {comment_id}.")
    comment.hidden = hidden
    comment.hidden_by_id = editor.id if hidden else None
    comment.hidden_reason = checked_text(reason, "reason", MAX_REASON, required=hidden) if hidden else None
    session.flush()
    return comment


@dataclass(frozen=True)
class Report:
    """One person's report of a comment, as editors see it."""

    reporter: str
    reason: str
    created_at: datetime


@dataclass(frozen=True)
class ReportedComment:
    comment: Comment
    reports: tuple[Report, ...]  # oldest first


REPORTED = (Comment.reports > 0, Comment.hidden.is_(False))  # what editors still have to look at


def reported_comments(session: Session, *, limit: int = 100, offset: int = 0) -> list[ReportedComment]:
    """A page of the reported comments not hidden yet, most reported first, each with who reported it and why."""
    comments = list(session.scalars(select(Comment).where(*REPORTED)
                                    .options(selectinload(Comment.author))
                                    .order_by(Comment.reports.desc(), Comment.id).limit(limit).offset(offset)))
    reports: dict[int, list[Report]] = {}
    if comments:
        for comment_id, reporter, reason, created_at in session.execute(
                select(CommentReport.comment_id, User.display_name, CommentReport.reason, CommentReport.created_at)
                .join(User, User.id == CommentReport.user_id)
                .where(CommentReport.comment_id.in_([comment.id for comment in comments]))
                .order_by(CommentReport.created_at, CommentReport.user_id)):
            reports.setdefault(comment_id, []).append(Report(reporter, reason, created_at))
    return [ReportedComment(comment, tuple(reports.get(comment.id, ()))) for comment in comments]


def reported_comment_count(session: Session) -> int:
    """How many reported comments are not hidden yet (the pages of `reported_comments`)."""
    return session.scalar(select(func.count()).select_from(Comment).where(*REPORTED)) or 0
