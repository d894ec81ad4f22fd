"""Fixtures for the reports tests: a bureau with a half-year of held activities."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from dangjian.testing import factories


def make_activity(org, code, day, *, attendees=(), absent=(), **fields):  # type: ignore[no-untyped-def]
    """An activity held at 15:00 with ``attendees`` present and ``absent`` absent."""
    attend = {m: "present" for m in attendees} | {m: "absent" for m in absent}
    return factories.activity(org, code, day, at=(15, 0), attend=attend, **fields)


@pytest.fixture
def ledger(bureau):  # type: ignore[no-untyped-def]
    """2025 first half: branch 1 holds 5 committee meetings, 2 general meetings, 6 theme days (one with
    a lecture), a talk; branch 2 holds 1 general meeting; one activity is a highlight."""
    b1, b2 = bureau.branch_1, bureau.branch_2
    m = bureau.members
    acts = []
    for month in range(1, 6):
        acts.append(make_activity(b1, "committee_meeting", datetime.date(2025, month, 10), attendees=m[:2]))
    acts.append(
        make_activity(b1, "general_meeting", datetime.date(2025, 3, 28), attendees=m[:2], absent=m[2:3])
    )
    acts.append(make_activity(b1, "general_meeting", datetime.date(2025, 6, 30), attendees=m[:3]))
    for month in range(1, 7):
        also = ("party_lecture",) if month == 4 else ()
        acts.append(
            make_activity(b1, "theme_day", datetime.date(2025, month, 20), attendees=m[:3], also=also)
        )
    acts.append(make_activity(b2, "general_meeting", datetime.date(2025, 2, 14), attendees=m[3:5]))
    acts.append(
        make_activity(
            b2,
            "volunteer_service",
            datetime.date(2025, 5, 4),
            attendees=m[3:5],
            topic="社区义务植树",
            is_highlight=True,
            highlight_text="组织党员到社区开展义务植树，共栽种树苗120株。",
        )
    )
    talk = make_activity(b1, "talk", datetime.date(2025, 4, 2), talk_party_a=m[0], talk_party_b=m[1])
    # Outside the period: must not be counted.
    make_activity(b1, "committee_meeting", datetime.date(2025, 7, 1), attendees=m[:2])
    return SimpleNamespace(activities=acts, talk=talk, period="2025H1")
