"""Two officers recording one meeting at once: the second is shown the first's record, not lost."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from dangjian.activities.tests.conftest import at, recent_day

pytestmark = pytest.mark.django_db


def test_a_concurrent_record_is_shown_and_a_second_save_decides(
    personas, bureau, make_plan, branch_1_members
):
    activity = make_plan(bureau.branch_1, topic="主题党日")
    url = reverse("activities:record", args=[activity.pk])
    first, second = Client(), Client()
    first.force_login(personas.secretary_of_branch_1)
    second.force_login(personas.agency_officer)
    tokens = [c.get(url).context["form"]["edit_baseline"].value() for c in (first, second)]
    base = {"held_at": at(recent_day()).strftime("%Y-%m-%dT%H:%M")}
    base.update({f"att-{m.pk}": "present" for m in branch_1_members})

    done = first.post(url, {**base, "topic": "研究发展党员", "edit_baseline": tokens[0]})
    assert done.status_code == 302, done.context["form"].errors
    absent = {**base, f"att-{bureau.member_1.pk}": "absent"}
    response = second.post(url, {**absent, "topic": "研究党费收缴", "edit_baseline": tokens[1]})
    assert response.status_code == 200
    text = response.content.decode()
    assert "在您编辑期间" in text and "zb1" in text and "研究发展党员" in text
    activity.refresh_from_db()
    assert activity.topic == "研究发展党员"
    assert activity.attendances.get(member=bureau.member_1).status == "present"

    fresh = response.context["form"]["edit_baseline"].value()
    again = second.post(url, {**absent, "topic": "研究党费收缴", "edit_baseline": fresh})
    assert again.status_code == 302
    activity.refresh_from_db()
    assert activity.topic == "研究党费收缴"
    assert activity.attendances.get(member=bureau.member_1).status == "absent"
