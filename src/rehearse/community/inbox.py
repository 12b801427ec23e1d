"""Notifications inside the app: "your suggestion was accepted / rejected / commented on", and the unread
count."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow

from .models import Notification
from .rules import NotFound


def notify(session: Session, *, user_id: int, kind: str, message: str, suggestion_id: int | None = None,
           now: datetime | None = None) -> None:
    session.add(Notification(user_id=user_id, kind=kind, suggestion_id=suggestion_id, message=message,
                             created_at=now or utcnow()))


def unread_count(session: Session, *, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def notifications(session: Session, *, user_id: int, limit: int = 50, offset: int = 0) -> list[Notification]:
    """A page of the user's notifications, newest first."""
    return list(session.scalars(select(Notification).where(Notification.user_id == user_id)
                                .order_by(Notification.id.desc()).limit(limit).offset(offset)))


def notification_count(session: Session, *, user_id: int) -> int:
    """How many notifications the user has, read or not (the pages of `notifications`)."""
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id)) or 0


def mark_read(session: Session, *, user_id: int, ids: Sequence[int] | None = None) -> int:
    """Mark some (or all) of a user's notifications read; returns how many changed."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    return session.execute(statement.values(read_at=utcnow())).rowcount or 0


def open_notification(session: Session, *, user_id: int, notification_id: int) -> Notification:
    """One of the user's notifications, marked read because they opened it; anyone else's is NotFound, as if
    it did not exist. The caller's transaction must be a writing one."""
    note = session.scalar(select(Notification).where(Notification.id == notification_id,
                                                     Notification.user_id == user_id))
    if note is None:
        raise NotFound(f"There is no notification with id {notification_id}.")
    mark_read(session, user_id=user_id, ids=[note.id])
    return note
