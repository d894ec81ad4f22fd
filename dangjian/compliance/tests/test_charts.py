"""党建看板: the charts' numbers, recounted from the records, and each point's link."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.activities import actions as activity_actions
from dangjian.activities.models import ActivityType, Attendance
from dangjian.compliance import charts
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.recruitment import actions as recruitment_actions
from dangjian.recruitment.models import Case


def _hold(bureau, day: datetime.date, statuses: dict) -> None:  # type: ignore[no-untyped-def]
    when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    activity = activity_actions.do_plan(
        acting_user=None,
        organization=bureau.branch_1,
        activity_type=ActivityType.objects.get(code="theme_day"),
        topic="主题党日",
        planned_at=when,
    )
    activity_actions.do_record(
        activity, acting_user=None, attendance=statuses, held_at=when, topic="主题党日"
    )


@pytest.fixture
def year_of_records(bureau):  # type: ignore[no-untyped-def]
    this_month = today().replace(day=1)
    m1, m2, m3 = bureau.members[:3]
    _hold(bureau, this_month, {m1.pk: ("present", ""), m2.pk: ("absent", ""), m3.pk: ("leave", "出差")})
    recruitment_actions.do_open_case(
        application_date=today() - datetime.timedelta(days=5),
        acting_user=None,
        name="申请人甲",
        gender="female",
        birth_date=datetime.date(1998, 5, 20),
        phone="13800000000",
        department="办公室",
        organization=bureau.branch_1,
    )
    return this_month


def test_attendance_rate_of_a_month_is_present_over_expected(year_of_records, bureau, personas):
    months = charts.months_of(Period.year(today().year))
    chart = charts.attendance_by_month(bureau.branch_1, months, personas.admin)
    row = chart["rows"][-1]
    rows = Attendance.objects.filter(activity__held_on__gte=year_of_records, member__isnull=False)
    expected = round(100 * rows.filter(status="present").count() / rows.count(), 1)
    assert row["values"] == [expected] and row["label"] == f"{today().month}月"
    assert row["url"] == reverse("activities:list") + f"?org={bureau.branch_1.pk}&period={today():%Y-%m}"


def test_pipeline_counts_open_cases_by_stage(year_of_records, bureau, personas):
    chart = charts.pipeline_by_stage(bureau.organ_committee, personas.admin)
    counted = {r["label"]: r["values"][0] for r in chart["rows"]}
    assert counted["入党申请人"] == Case.objects.filter(stage="application", status="open").count() == 1
    assert sum(counted.values()) == 1


def test_the_page_shows_each_chart_with_its_table(year_of_records, bureau, personas, client):
    client.force_login(personas.agency_officer)
    page = client.get(reverse("compliance:charts") + f"?org={bureau.organ_committee.pk}").content.decode()
    for title in (
        "出勤率（按月）",
        "应开展与已开展（按支部）",
        "党费收缴（按月）",
        "发展党员（在办，按阶段）",
        "合规预警",
    ):
        assert title in page
    assert page.count('<details class="chart-table">') == 5
    assert "metrics/echarts.min.js" in page


def test_a_month_not_yet_begun_is_not_charted():
    months = charts.months_of(Period.year(today().year))
    assert months[-1].start == today().replace(day=1) and len(months) == today().month


def test_year_ledger_lists_every_held_activity_with_its_attendance(year_of_records, bureau, personas, client):
    client.force_login(personas.secretary_of_branch_1)
    page = client.get(reverse("compliance:ledger") + f"?org={bureau.branch_1.pk}").content.decode()
    assert f"{bureau.branch_1.name}<br>{today().year}年党建工作台账" in page
    assert "二、组织生活（1次）" in page
    # present 1, leave 1, absent 1 — as recorded above
    row = page.split('id="ledger-activities"')[1].split("</tr>")[1]
    assert row.count(">1人<") == 3


def test_year_ledger_of_another_branch_is_not_found(bureau, personas, client):
    client.force_login(personas.secretary_of_branch_1)
    assert client.get(reverse("compliance:ledger") + f"?org={bureau.branch_2.pk}").status_code == 404
