"""The default activity list puts what needs doing first, in the same order on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from dangjian.activities import actions
from dangjian.activities.models import Activity
from dangjian.activities.tests.conftest import all_present, at, recent_day

pytestmark = pytest.mark.django_db


def test_overdue_then_upcoming_then_undated_then_held(
    personas, bureau, types, make_plan, branch_1_members, login
):
    held_long_ago = make_plan(bureau.branch_1, topic="早已开展", days_ago=40)
    held_recently = make_plan(bureau.branch_1, topic="最近开展", days_ago=3)
    for activity, days in ((held_long_ago, 40), (held_recently, 3)):
        actions.do_record(
            activity,
            acting_user=personas.secretary_of_branch_1,
            held_at=at(recent_day(days)),
            attendance=all_present(branch_1_members),
        )
    overdue_old = make_plan(bureau.branch_1, topic="逾期较久", days_ago=20)
    overdue_new = make_plan(bureau.branch_1, topic="刚过期", days_ago=2)
    next_week = make_plan(bureau.branch_1, topic="下周开展", days_ago=-7)
    tomorrow = make_plan(bureau.branch_1, topic="明天开展", days_ago=-1, status="planned")
    undated = Activity.objects.create(
        organization=bureau.branch_1, activity_type=types.theme_day, topic="没有日期的草稿"
    )

    expected = [overdue_new, overdue_old, tomorrow, next_week, undated, held_recently, held_long_ago]
    ordered = list(Activity.objects.filter(organization=bureau.branch_1).today_first())
    assert [a.topic for a in ordered] == [a.topic for a in expected]
    assert [a.when_bucket for a in ordered] == [0, 0, 1, 1, 2, 3, 3]

    page = login(personas.secretary_of_branch_1).get("/activities/").content.decode()
    positions = [page.index(a.topic) for a in expected]
    assert positions == sorted(positions)
    assert page.count('badge-danger">已过计划时间') == 2 and page.count('badge-ok">即将开展') == 2


def test_the_plan_form_questions_a_time_in_the_past(personas, bureau, types, login):
    client = login(personas.secretary_of_branch_1)
    form = client.get("/activities/plan/").content.decode()
    # The secretary plans only for their branch: it is chosen already; no past-time question yet.
    assert f'name="organization" value="{bureau.branch_1.pk}" checked' in form
    assert "confirm_past" not in form

    data = {
        "organization": bureau.branch_1.pk,
        "activity_type": types.theme_day.pk,
        "topic": "补报的主题党日",
        "planned_at": at(recent_day(2)).strftime("%Y-%m-%dT%H:%M"),
        "submit": "1",
    }
    page = client.post("/activities/plan/", data)
    assert page.status_code == 200
    assert "早于现在" in page.content.decode() and 'name="confirm_past"' in page.content.decode()
    assert not Activity.objects.filter(topic="补报的主题党日").exists()

    done = client.post("/activities/plan/", {**data, "confirm_past": "on"})
    assert done.status_code == 302
    assert Activity.objects.get(topic="补报的主题党日").status == "planned"
