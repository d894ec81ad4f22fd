"""In-app notifications: what an action tells the people it concerns (a plan returned to its
planner, a reflection reviewed), with an unread badge in the page header.

Apps call ``notify()`` from their ``do_*`` actions, after the change itself (which the action has
already audit-logged). A notification belongs to its recipient only: ``inbox(user)`` is the one
way to read them, so nobody reads another's messages whatever their role.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from dangjian.core.models import Notification


def notify(users: Iterable[Any], title: str, *, url: str = "", body: str = "", kind: str = "") -> int:
    """Send ``title`` to each distinct, active user in ``users`` (None and duplicates skipped)."""
    seen: set[int] = set()
    rows = []
    for user in users:
        if user is None or not getattr(user, "is_active", False) or user.pk in seen:
            continue
        seen.add(user.pk)
        rows.append(Notification(user=user, title=title[:200], body=body, url=url[:300], kind=kind[:40]))
    Notification.objects.bulk_create(rows)
    _forget(seen)
    return len(rows)


# The header shows the unread count on every page: kept in the shared cache (every server process
# sees the same), dropped whenever a user's notifications change, again once the change commits
# (a page read between the two would otherwise cache the old count), and at most this old anyway.
UNREAD_SECONDS = 300


def _key(user_id: int) -> str:
    return f"notify:unread:{user_id}"


def _forget(user_ids: Iterable[int]) -> None:
    keys = [_key(pk) for pk in user_ids]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    found = cache.get(_key(user.pk))
    if found is None:
        found = inbox(user).filter(read_at__isnull=True).count()
        cache.set(_key(user.pk), found, UNREAD_SECONDS)
    return found


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications read: the given ones, or all of them; returns how many changed."""
    unread = inbox(user).filter(read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=list(ids))
    changed = unread.update(read_at=timezone.now())
    _forget([user.pk])
    return changed
