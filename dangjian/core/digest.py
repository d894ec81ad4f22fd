"""The daily e-mail digest: each user's to-do items and unread notifications, at most once a day.

Sent by ``dangjian digest`` (run it from cron each morning; README "E-mail"). Only when
DANGJIAN_EMAIL_URL is configured; only to active users with an e-mail address and a role; only
when there is something to say. A DigestSent row per user and day makes a second run that day
(a retry, two cron entries) send nothing twice.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction

from dangjian.core.agenda import due_items
from dangjian.core.models import DigestSent
from dangjian.core.notify import inbox

# A mail longer than this many items lists the first ones and points to the home page.
MAX_LINES = 40


@dataclass(frozen=True)
class Digest:
    subject: str
    body: str
    count: int


def _absolute(url: str) -> str:
    return f"{settings.BASE_URL}{url}" if url.startswith("/") else url


def build(user: Any, on: datetime.date) -> Digest | None:
    """The digest for ``user`` on ``on``, or None when there is nothing to do or read."""
    items = due_items(user, on)
    unread = list(inbox(user).filter(read_at__isnull=True)[:MAX_LINES])
    if not items and not unread:
        return None
    lines = [f"{user.get_full_name() or user.get_username()}，您好：", ""]
    if items:
        overdue = sum(1 for item in items if item.overdue)
        lines.append(f"待办事项 {len(items)} 项" + (f"（其中已逾期 {overdue} 项）" if overdue else "") + "：")
        for number, item in enumerate(items[:MAX_LINES], 1):
            when = ""
            if item.due_on:
                when = f"，{'已逾期，应于' if item.overdue else ''}{item.due_on:%Y-%m-%d}前"
            lines.append(f"{number}. 【{item.label}】{item.title}（{item.org_name}{when}）")
            lines.append(f"   办理：{_absolute(item.url)}")
        if len(items) > MAX_LINES:
            lines.append(f"另有 {len(items) - MAX_LINES} 项，请登录系统首页查看。")
        lines.append("")
    if unread:
        lines.append(f"未读通知 {len(unread)} 条：")
        for note in unread:
            lines.append(f"· {note.title}（{note.created_at:%m-%d %H:%M}）")
            if note.url:
                lines.append(f"   查看：{_absolute(note.url)}")
        lines.append("")
    lines.append(f"登录系统：{settings.BASE_URL}/")
    lines.append("此邮件由党建台账每日自动发送，每人每天至多一封。")
    subject = f"党建台账 {on:%m月%d日} 待办{len(items)}项" + (f"、未读通知{len(unread)}条" if unread else "")
    return Digest(subject, "\n".join(lines), len(items) + len(unread))


def recipients() -> Any:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    return users.filter(role__isnull=False) | users.filter(is_superuser=True)


def send_all(on: datetime.date, *, dry_run: bool = False) -> tuple[int, int]:
    """Send each recipient their digest for ``on``; returns (sent, skipped because already sent)."""
    sent = skipped = 0
    for user in recipients().distinct().order_by("pk"):
        if DigestSent.objects.filter(user=user, on=on).exists():
            skipped += 1
            continue
        digest = build(user, on)
        if digest is None:
            continue
        if dry_run:
            sent += 1
            continue
        # The row first: a concurrent run loses the race on the unique constraint. The mail is
        # sent outside the transaction (SMTP may take seconds; SQLite would block every writer),
        # and a failed send removes the row so that the next run tries again.
        try:
            with transaction.atomic():
                row = DigestSent.objects.create(user=user, on=on, items=digest.count)
        except IntegrityError:
            skipped += 1
            continue
        try:
            send_mail(digest.subject, digest.body, settings.DEFAULT_FROM_EMAIL, [user.email])
        except Exception:
            row.delete()
            raise
        sent += 1
    return sent, skipped
