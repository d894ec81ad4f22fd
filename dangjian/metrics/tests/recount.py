"""Independent recounts for the figure tests: plain walks over the records, sharing no query code
with the figures."""

from __future__ import annotations


def independent_attendance_ids(org, period, statuses=None):  # type: ignore[no-untyped-def]
    """Recompute by walking the rows in Python: no shared query code with the figures."""
    from dangjian.activities.models import Attendance
    from dangjian.members.models import StatusChange

    left = {}
    for change in StatusChange.objects.filter(to_status__in=["transferred_out", "deceased", "removed"]):
        left[change.member_id] = min(change.date, left.get(change.member_id, change.date))
    ids = []
    for a in Attendance.objects.select_related("activity__organization"):
        act = a.activity
        if a.member_id is None or act.status not in ("held", "verified") or not act.held_on:
            continue
        if not (period.start <= act.held_on <= period.end) or not act.organization.path.startswith(org.path):
            continue
        if a.member_id in left and left[a.member_id] < act.held_on:
            continue
        if statuses and a.status not in statuses:
            continue
        ids.append(a.pk)
    return sorted(ids)
