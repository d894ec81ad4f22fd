"""The named figures the study-campaign, integrity and model-organ drafts quote, each recounted by
hand from the records the test makes, and the placeholders that print their names."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from dangjian import metrics
from dangjian.activities.actions import sync_credits
from dangjian.activities.models import Activity, ActivityType
from dangjian.core.period import Period
from dangjian.reports.composer import Context, render_sentence

D = datetime.date
pytestmark = pytest.mark.django_db


def held(org, code, day, topic, *, also=(), place=""):  # type: ignore[no-untyped-def]
    at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(9)))
    a = Activity.objects.create(
        organization=org,
        activity_type=ActivityType.objects.get(code=code),
        status="verified",
        topic=topic,
        held_at=at,
        planned_at=at,
        place=place,
    )
    sync_credits(a, list(ActivityType.objects.filter(code__in=also)))
    return a


def _walk(period):  # type: ignore[no-untyped-def]
    """Held activities of the period with their credited type codes, walked in Python."""
    out = []
    for a in Activity.objects.prefetch_related("credits__activity_type"):
        if a.status in ("held", "verified") and a.held_on and period.start <= a.held_on <= period.end:
            out.append((a, {c.activity_type.code for c in a.credits.all()}))
    return out


def test_places_themes_cases_regulations_and_discipline_lectures_recount(bureau) -> None:  # type: ignore[no-untyped-def]
    b1, b2 = bureau.branch_1, bureau.branch_2
    held(b1, "site_visit", D(2025, 4, 1), "现场教学", place="纪念馆")
    held(b2, "site_visit", D(2025, 5, 1), "现场教学", place="廉政教育基地")
    held(b1, "theme_day", D(2025, 6, 1), "主题党日：财政系统警示教育案例学习", also=("warning_education",))
    held(b2, "warning_education", D(2025, 6, 2), "观看警示教育片")
    held(b1, "theme_day", D(2025, 7, 1), "主题党日：学习《中国共产党纪律处分条例》")
    held(b1, "study_session", D(2025, 7, 2), "学习预算法及实施条例")  # a law, not a discipline rule
    held(b1, "mobilization_meeting", D(2025, 3, 1), "八项规定学习教育动员部署会")  # no study
    held(b2, "party_lecture", D(2025, 8, 1), "严守纪律规矩")
    held(b2, "party_lecture", D(2025, 8, 2), "弘扬伟大建党精神")
    held(b1, "site_visit", D(2024, 4, 1), "去年的现场教学", place="旧址")  # another year
    period = Period.year(2025)
    keys = [
        "places.site_visit",
        "themes.warning_education",
        "cases.study",
        "regulations.study",
        "lectures.discipline",
    ]
    found = metrics.compute(keys, bureau.leading_group, period)
    walk = _walk(period)
    visits = [a for a, codes in walk if a.activity_type.code == "site_visit"]
    assert found["places.site_visit"].evidence_ids == sorted(a.pk for a in visits)
    assert set(found["places.site_visit"].names) == {a.place for a in visits}
    warning = [a for a, codes in walk if "warning_education" in codes]
    assert found["themes.warning_education"].evidence_ids == sorted(a.pk for a in warning)
    assert "财政系统警示教育案例学习" in found["themes.warning_education"].names
    cases = [a for a in warning if "案例" in a.topic or "案件" in a.topic or "通报" in a.topic]
    assert found["cases.study"].evidence_ids == sorted(a.pk for a in cases)
    rules = [
        a for a, codes in walk if "纪律处分条例" in a.topic and a.activity_type.code != "mobilization_meeting"
    ]
    assert found["regulations.study"].evidence_ids == sorted(a.pk for a in rules)
    lectures = [a for a, codes in walk if "party_lecture" in codes and "纪律" in a.topic]
    assert found["lectures.discipline"].evidence_ids == sorted(a.pk for a in lectures)


def test_results_key_tasks_and_honours_name_their_records(bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.duties.models import BusinessResult, KeyTask
    from dangjian.honours.models import Honour

    for name, value, unit, source in (
        ("全市绩效考评排名", "3", "名", "考评通报"),
        ("政府采购节约资金", "1260.50", "万元", "采购总结"),
    ):
        BusinessResult.objects.create(
            organization=bureau.organ_committee,
            name=name,
            value=Decimal(value),
            unit=unit,
            period_kind="year",
            period_start=D(2025, 1, 1),
            period_end=D(2025, 12, 31),
            source_document=source,
        )
    KeyTask.objects.create(
        organization=bureau.organ_committee,
        year=2025,
        kind="flood",
        name="防汛值守",
        started_on=D(2025, 6, 1),
    )
    found = metrics.compute(
        ["duties.results", "duties.results.sources", "duties.key_tasks"],
        bureau.leading_group,
        Period.year(2025),
    )
    assert set(found["duties.results"].names) == {"全市绩效考评排名第3名", "政府采购节约资金1260.5万元"}
    assert set(found["duties.results.sources"].names) == {"考评通报", "采购总结"}
    assert found["duties.results.sources"].evidence_ids == sorted(
        BusinessResult.objects.values_list("pk", flat=True)
    )
    assert found["duties.key_tasks"].names == ("防汛值守",)
    Honour.objects.create(
        organization=bureau.branch_1,
        title="先进党支部",
        level="municipal",
        awarded_on=D(2025, 7, 1),
        grantor="市直工委",
    )
    Honour.objects.create(
        organization=bureau.branch_1,
        member=bureau.member_1,
        title="优秀共产党员",
        level="municipal",
        awarded_on=D(2025, 7, 1),
        grantor="市直工委",
    )
    honours = metrics.compute(["honours.members", "honours.orgs"], bureau.leading_group, Period.year(2025))
    assert honours["honours.members"].names == ("优秀共产党员",)
    assert honours["honours.orgs"].names == ("先进党支部",)


def test_list_and_docs_placeholders_print_names_and_quotes_nest() -> None:
    fig = metrics.figures.Figure("k", "l", 2, "项", "m", [1, 2], names=("甲方案", "开展“乙”活动"))
    ctx = Context(org_name="单位", period_words="2025年", year=2025, seed="s", figures={"k": fig})
    text = lambda t: "".join(r.text for r in render_sentence(t, ctx, {}))  # noqa: E731
    assert text("{list:k}。") == "甲方案、开展“乙”活动。"
    assert text("{docs:k}。") == "《甲方案》《开展“乙”活动》。"
    assert text("{names:k}等。") == "“甲方案”“开展‘乙’活动”等。"
    empty = metrics.figures.Figure("k", "l", 0, "项", "m", [])
    ctx = Context(org_name="单位", period_words="2025年", year=2025, seed="s", figures={"k": empty})
    assert render_sentence("包括{list:k}。", ctx, {}) is None


def test_a_leading_group_reports_on_the_campaign_its_organ_committee_ran(bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.campaigns.models import Campaign, PlanItem, TeamMember
    from dangjian.reports.build import build
    from dangjian.reports.genres import load_builtin

    mobilization = held(bureau.organ_committee, "mobilization_meeting", D(2025, 3, 10), "动员部署会")
    c = Campaign.objects.create(
        organization=bureau.organ_committee,
        name="党纪学习教育",
        kind="discipline_study",
        goal_formula="学纪、知纪、明纪、守纪",
        started_on=D(2025, 3, 10),
        ended_on=D(2025, 7, 31),
        mobilization=mobilization,
        plan_title="党纪学习教育实施方案",
        plan_adopted_on=D(2025, 3, 5),
    )
    PlanItem.objects.create(campaign=c, title="专题学习", target_count=2)
    TeamMember.objects.create(campaign=c, team="leading_group", member=bureau.member_1, role="组长")
    built = build(
        load_builtin("study_campaign_summary"),
        bureau.leading_group,
        Period.year(2025),
        genre_code="study_campaign_summary",
    )
    text = built.document.plain_text()
    assert "党纪学习教育" in text and "3月10日" in text and "《党纪学习教育实施方案》" in text
    assert bureau.member_1.name in text  # the leading group's head
    figs = {f["key"]: f for f in built.figures_json()}
    direct = metrics.compute([f"campaign.{c.pk}.leading_group"], bureau.leading_group, Period.year(2025))
    assert (
        figs["thiscampaign.leading_group"]["evidence"]["ids"]
        == direct[f"campaign.{c.pk}.leading_group"].evidence_ids
    )
