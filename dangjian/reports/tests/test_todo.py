"""A report draft with open prompts (【待补充：…】) is on its author's to-do list, and only theirs."""

from __future__ import annotations

import datetime

import pytest

from dangjian.core.dates import today
from dangjian.reports.document import Document
from dangjian.reports.due import agenda_items
from dangjian.reports.models import Genre

pytestmark = pytest.mark.django_db


def test_a_recent_draft_with_prompts_is_a_to_do_of_its_author(bureau, personas):
    from dangjian.core.period import Period
    from dangjian.reports.actions import do_create_draft

    this_half = Period.containing(today(), "half")
    draft = do_create_draft(
        genre=Genre.objects.get(code="work_summary"),
        organization=bureau.organ_committee,
        period=this_half,
        acting_user=personas.agency_officer,
    )
    prompts = len(Document.from_json(draft.versions.order_by("-number").first().document).prompts())
    assert prompts > 0  # an empty ledger leaves the figures' sentences as prompts
    until = today() + datetime.timedelta(days=7)
    found = agenda_items(personas.agency_officer, today(), until)
    assert [(i.kind, i.title, i.url) for i in found] == [
        ("report_prompts", f"{draft.title}（{prompts}处待补充）", f"/reports/{draft.pk}/")
    ]
    assert agenda_items(personas.admin, today(), until) == []  # not the author
    assert agenda_items(personas.member, today(), until) == []
