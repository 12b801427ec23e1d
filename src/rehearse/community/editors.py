"""Administration: admins make editors, suspend accounts (withdrawing their pending suggestions),
reinstate them and list who is who."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rehearse.accounts.models import ROLES, User
from rehearse.bank.models import utcnow

from .models import Suggestion
from .rules import (
    MAX_REASON,
    CommunityError,
    Forbidden,
    NotFound,
    checked_text,
    require_active,
    shorten,
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


def ban(session: Session, *, admin: User, user_id: int, reason: str) -> int:
    """Suspend an account and withdraw its pending suggestions; returns how many were withdrawn."""
    require_active(admin)
    if admin.role != "admin":
        raise Forbidden("Only admins ban users.")
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if user.id == admin.id:
        raise CommunityError("Admins cannot ban themselves.")
    user.active = False
    withdrawn = session.execute(
        update(Suggestion).where(Suggestion.author_id == user_id, Suggestion.status == "pending")
        .values(status="withdrawn", decided_at=utcnow(), decided_by_id=admin.id,
                decision_reason=f"Withdrawn: the author's account was suspended ({shorten(reason, 150)})."))
    session.flush()
    return withdrawn.rowcount or 0


def reinstate(session: Session, *, admin: User, user_id: int) -> User:
    """Lift a suspension: the account may sign in and take part again.

    Suggestions withdrawn by the suspension stay withdrawn (they were decided, and their text is kept
    on the author's page to send again).
    """
    require_active(admin)
    if admin.role != "admin":
        raise Forbidden("Only admins reinstate users.")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    user.active = True
    session.flush()
    return user


def list_users(session: Session, *, limit: int = 200) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role != "admin", User.role != "editor", User.id)
                                .limit(limit)))
