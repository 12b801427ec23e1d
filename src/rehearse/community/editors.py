"""Administration: admins make editors, suspend accounts (withdrawing their pending suggestions and
the votes they cast on others' pending ones), reinstate them and list who is who."""

from __future__ import annotations

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from rehearse.accounts.models import ROLES, User
from rehearse.bank.models import utcnow

from .models import Notification, Suggestion, Vote
from .rules import (
    MAX_REASON,
    CommunityError,
    Conflict,
    Forbidden,
    NotFound,
    checked_text,
    require_active,
)


def set_role(session: Session, *, admin: User, user_id: int, role: str) -> User:
    """Admins make editors (and take the role back)."""
    require_active(admin)
    if admin.role != "admin":
        raise Forbidden("Only admins manage editors.")
    if role not in ROLES:
        raise CommunityError(f"Role must be one of {', '.join(ROLES)}.")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if user.id == admin.id and role != "admin":
        raise CommunityError("Admins cannot demote themselves; ask another admin.")
    user.role = role
    session.flush()
    return user


USERS_PAGE = 50  # accounts per page of the admins' list (each row holds three small forms)
MAX_USERS_PAGE = 500  # the most the API lists at once


def _require_admin(admin: User | None, doing: str) -> None:
    """Forbidden unless `admin` is an active admin; None is the operator at the command line (`rehearse
    users suspend`), who holds the database itself and answers to no account."""
    if admin is None:
        return
    require_active(admin)
    if admin.role != "admin":
        raise Forbidden(f"Only admins {doing}.")


# Public: anyone may read a withdrawn suggestion, so the admin's reason (a complaint, a name) is not in it.
WITHDRAWN_BY_SUSPENSION = "Withdrawn: the author's account was suspended."


def ban(session: Session, *, admin: User | None, user_id: int, reason: str) -> int:
    """Suspend an account and withdraw its pending suggestions; returns how many were withdrawn.

    Its votes on suggestions still pending are taken back too, so accounts suspended for pushing
    a suggestion up (or someone else's down) stop moving the queue; votes on decided suggestions
    are history and stay. A reinstated account may vote again."""
    _require_admin(admin, "ban users")
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if admin is not None and user.id == admin.id:
        raise CommunityError("Admins cannot ban themselves.")
    if not user.active:  # a second suspension would withdraw nothing and say so as if it had worked
        raise Conflict(f"{user.email} is already suspended.")
    user.active = False
    # The reason is the admins' own (a complaint, a name): each active admin keeps it among their notifications.
    admins = session.scalars(select(User.id).where(User.role == "admin", User.active.is_(True))).all()
    session.add_all(Notification(user_id=admin_id, kind="suspension",
                                 message=f"{user.email} (#{user.id}) was suspended: {reason}") for admin_id in admins)
    withdrawn = session.execute(
        update(Suggestion).where(Suggestion.author_id == user_id, Suggestion.status == "pending")
        .values(status="withdrawn", decided_at=utcnow(), decided_by_id=admin.id if admin else None,
                decision_reason=WITHDRAWN_BY_SUSPENSION))
    pending_votes = session.execute(
        select(Vote.suggestion_id, Vote.value).join(Suggestion, Suggestion.id == Vote.suggestion_id)
        .where(Vote.user_id == user_id, Suggestion.status == "pending")).all()
    for suggestion_id, value in pending_votes:  # by the difference, in SQL, as votes are counted
        # up and down too: they went on showing the vote `votes` no longer counted
        session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                        .values(votes=Suggestion.votes - value, up=Suggestion.up - int(value == 1),
                                down=Suggestion.down - int(value == -1)))
    if pending_votes:
        session.execute(delete(Vote).where(Vote.user_id == user_id,
                                           Vote.suggestion_id.in_([s for s, _v in pending_votes])))
    session.flush()
    return withdrawn.rowcount or 0


def reinstate(session: Session, *, admin: User | None, user_id: int) -> User:
    """Lift a suspension: the account may sign in and take part again.

    Suggestions withdrawn by the suspension stay withdrawn (they were decided, and their text is kept
    on the author's page to send again).
    """
    _require_admin(admin, "reinstate users")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if user.active:
        raise Conflict(f"{user.email} is not suspended; there is nothing to reinstate.")
    user.active = True
    session.flush()
    return user


def list_users(session: Session, *, query: str | None = None, limit: int = USERS_PAGE,
               offset: int = 0) -> list[User]:
    """Accounts, admins and editors first, then by age; with `query`, those whose e-mail address or display
    name contains it (case aside), so an admin finds any account however many there are."""
    statement = select(User)
    if query and query.strip():
        needle = query.strip().lower()
        statement = statement.where(or_(func.lower(User.email).contains(needle, autoescape=True),
                                        func.lower(User.display_name).contains(needle, autoescape=True)))
    return list(session.scalars(statement.order_by(User.role != "admin", User.role != "editor", User.id)
                                .limit(min(limit, MAX_USERS_PAGE)).offset(offset)))
