"""An iCalendar (RFC 5545) feed of an organization's activities, written by hand.

Only what a calendar needs: one VEVENT per activity with a stable UID, CRLF line endings,
escaped text and lines folded at 75 octets (RFC 5545 §3.1, §3.3.11).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from dangjian.activities.models import Activity

PRODID = "-//dangjian//党建台账 组织生活//ZH"
DEFAULT_DURATION = datetime.timedelta(hours=2)


def escape(text: str) -> str:
    """TEXT value escaping: backslash, semicolon, comma and newlines (§3.3.11)."""
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\r", "\\n")
        .replace("\n", "\\n")
    )


def fold(line: str) -> str:
    """Fold a content line so no physical line exceeds 75 octets, never splitting a UTF-8 character."""
    out: list[str] = []
    current, size, limit = "", 0, 75
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            out.append(current)
            current, size, limit = " ", 1, 75
        current += char
        size += width
    out.append(current)
    return "\r\n".join(out)


def _utc(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def build_calendar(name: str, activities: Iterable[Activity], *, host: str, now: datetime.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
        "X-WR-TIMEZONE:Asia/Shanghai",
    ]
    for activity in activities:
        start = activity.held_at or activity.planned_at
        if start is None:
            continue
        summary = f"{activity.activity_type.name}：{activity.topic}"
        description = f"{activity.organization.name}（{activity.get_status_display()}）"
        lines += [
            "BEGIN:VEVENT",
            f"UID:activity-{activity.pk}@{host}",
            f"DTSTAMP:{_utc(now)}",
            f"DTSTART:{_utc(start)}",
            f"DTEND:{_utc(start + DEFAULT_DURATION)}",
            f"SUMMARY:{escape(summary)}",
            f"DESCRIPTION:{escape(description)}",
            f"LAST-MODIFIED:{_utc(activity.updated_at)}",
            f"STATUS:{'CONFIRMED' if activity.is_held or activity.status == 'approved' else 'TENTATIVE'}",
        ]
        if activity.place:
            lines.append(f"LOCATION:{escape(activity.place)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
