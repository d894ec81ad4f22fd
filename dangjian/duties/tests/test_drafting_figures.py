"""The figures the longer drafts name record by record (metrics/figures/drafting.py), each recounted
by a plain walk over the records."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from dangjian import metrics
from dangjian.activities.models import Activity, Attendance
from dangjian.campaigns.models import Campaign
from dangjian.core.period import Period
from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison
from dangjian.members.models import Post

D = datetime.date
Y2025 = Period.year(2025)
pytestmark = pytest.mark.django_db


@pytest.fixture
def ledger(bureau, held):  # type: ignore[no-untyped-def]
    b1, b2, lg, oc = bureau.branch_1, bureau.branch_2, bureau.leading_group, bureau.organ_committee
    m1, m4 = bureau.member_1, bureau.member_of_branch_2
    task = KeyTask.objects.create
    task(organization=b1, year=2025, kind="flood", name="汛期“防汛”值守", started_on=D(2025, 6, 1),
         lead=m4, people=10, person_days=40, amount=Decimal("2.50"))  # fmt: skip
    task(
        organization=oc,
        year=2025,
        kind="flood",
        name="抢险",
        started_on=D(2025, 8, 1),
        people=3,
        person_days=5,
    )
    task(
        organization=b2,
        year=2025,
        kind="rural",
        name="帮扶",
        started_on=D(2025, 3, 1),
        people=4,
        person_days=12,
    )
    task(
        organization=b2,
        year=2024,
        kind="flood",
        name="旧",
        started_on=D(2024, 6, 1),
        lead=m4,
        people=9,
        person_days=9,
    )
    Campaign.objects.create(organization=oc, name="甲学习教育", kind="discipline_study", started_on=D(2025, 3, 1),
                            ended_on=D(2025, 7, 31))  # fmt: skip
    Campaign.objects.create(
        organization=lg, name="乙专项整治", kind="rectification", started_on=D(2025, 9, 1)
    )
    Campaign.objects.create(organization=oc, name="丙", kind="discipline_study", started_on=D(2024, 3, 1),
                            ended_on=D(2024, 7, 31))  # fmt: skip
    result = BusinessResult.objects.create
    result(organization=oc, name="政府采购节约资金", value=Decimal("1260.50"), unit="万元", period_kind="year",
           period_start=D(2025, 1, 1), period_end=D(2025, 12, 31), source_document="总结")  # fmt: skip
    result(organization=oc, name="热线办结率", value=Decimal("98.60"), unit="%", period_kind="quarter",
           period_start=D(2025, 1, 1), period_end=D(2025, 3, 31), source_document="通报")  # fmt: skip
    result(organization=oc, name="全市绩效考评排名", value=Decimal("3"), unit="名", period_kind="year",
           period_start=D(2024, 1, 1), period_end=D(2024, 12, 31), source_document="通报")  # fmt: skip
    start = D(2024, 1, 1)
    Post.objects.create(organization=lg, kind="secretary", member=m4, started_on=start)
    Post.objects.create(organization=b1, kind="secretary", member=m1, started_on=start)
    Post.objects.create(organization=b2, kind="secretary", member=bureau.members[4], started_on=D(2025, 6, 1))
    for signer, year in ((m1, 2025), (bureau.members[4], 2025), (m1, 2024)):
        Letter.objects.create(kind="responsibility", title="t", year=year, signer=signer, counterpart=m4,
                              signed_on=D(year, 2, 1))  # fmt: skip
    Letter.objects.create(
        kind="pledge", title="p", year=2025, signer=m1, counterpart=m4, signed_on=D(2025, 3, 1)
    )
    Liaison.objects.create(leader=m4, branch=b1, started_on=start)
    held(b1, "liaison_visit", D(2025, 4, 1), host=m4)
    held(b1, "liaison_visit", D(2025, 9, 1), host=m4)
    held(b2, "liaison_visit", D(2024, 9, 1), host=m4)  # another year
    held(lg, "central_study", D(2025, 2, 1), host=m4)
    held(lg, "central_study", D(2025, 5, 1), host=m4)
    held(b1, "committee_meeting", D(2025, 5, 2), host=m4)
    held(b1, "report_hearing", D(2025, 6, 2), host=m4)
    lecture = held(b1, "party_lecture", D(2025, 7, 1))
    Activity.objects.filter(pk=lecture.pk).update(lecturer=m4)
    for member, status in ((m1, "present"), (bureau.members[1], "present"), (bureau.members[2], "absent")):
        Attendance.objects.create(activity=lecture, member=member, status=status)
    for other, day in (
        (m1, D(2025, 4, 2)),
        (bureau.members[4], D(2025, 3, 2)),
        (bureau.members[4], D(2025, 8, 2)),
    ):
        talk = held(b1, "talk", day)
        Activity.objects.filter(pk=talk.pk).update(talk_party_a=m4, talk_party_b=other)
    return bureau


def _tasks(org, kind):  # type: ignore[no-untyped-def]
    return [
        t
        for t in KeyTask.objects.select_related("organization")
        if t.kind == kind and t.organization.path.startswith(org.path) and t.started_on.year == 2025
    ]


@pytest.mark.parametrize("which", ["leading_group", "organ_committee", "branch_1"])
def test_key_tasks_by_kind_recount(ledger, which) -> None:  # type: ignore[no-untyped-def]
    org = getattr(ledger, which)
    base = "duties.key_tasks.kind.flood"
    found = metrics.compute([base, f"{base}.people", f"{base}.person_days", f"{base}.amount"], org, Y2025)
    tasks = _tasks(org, "flood")
    assert found[base].evidence_ids == sorted(t.pk for t in tasks)
    assert found[base].names == tuple(t.name.replace("“", "‘").replace("”", "’") for t in tasks)
    assert found[f"{base}.people"].value == sum(t.people for t in tasks)
    assert found[f"{base}.person_days"].value == sum(t.person_days for t in tasks)
    assert found[f"{base}.amount"].value == sum((t.amount for t in tasks if t.amount), Decimal("0"))
    if which == "leading_group":
        assert found[base].value == 2 and found[f"{base}.people"].value == 13
        assert found[base].names[0] == "汛期‘防汛’值守"
        rural = metrics.compute(["duties.key_tasks.kind.rural.amount"], org, Y2025)
        assert rural["duties.key_tasks.kind.rural.amount"].value == 0  # entered without money


def test_campaigns_by_name_and_those_below(ledger) -> None:  # type: ignore[no-untyped-def]
    def walk(org, strictly_below):  # type: ignore[no-untyped-def]
        return [
            c.name
            for c in Campaign.objects.select_related("organization").order_by("started_on")
            if c.organization.path.startswith(org.path)
            and not (strictly_below and c.organization_id == org.pk)
            and c.started_on <= D(2025, 12, 31)
            and (c.ended_on is None or c.ended_on >= D(2025, 1, 1))
        ]

    for org in (ledger.leading_group, ledger.organ_committee):
        found = metrics.compute(["named.campaigns", "named.campaigns.below"], org, Y2025)
        assert list(found["named.campaigns"].names) == walk(org, False)
        assert list(found["named.campaigns.below"].names) == walk(org, True)
    lg = metrics.compute(["named.campaigns.below"], ledger.leading_group, Y2025)["named.campaigns.below"]
    assert lg.names == ("甲学习教育",)  # the 党组's own campaign is its {campaign}, not "below"


def test_business_results_are_named_with_their_values_and_shorter_periods(ledger) -> None:  # type: ignore[no-untyped-def]
    found = metrics.compute(["named.results"], ledger.leading_group, Y2025)["named.results"]
    walk = [r for r in BusinessResult.objects.all() if D(2025, 1, 1) <= r.period_end <= D(2025, 12, 31)]
    assert found.evidence_ids == sorted(r.pk for r in walk)
    assert found.names == ("热线办结率98.6%（2025年第一季度）", "政府采购节约资金1260.5万元")
    rank = metrics.compute(["named.results"], ledger.leading_group, Period.year(2024))["named.results"]
    assert rank.names == ("全市绩效考评排名第3名",)


def test_the_leading_group_above_is_cited_as_its_own_figure(ledger) -> None:  # type: ignore[no-untyped-def]
    key = "activities.count.central_study"
    own = metrics.compute([key], ledger.leading_group, Y2025)[key]
    above = metrics.compute([f"leading_group.{key}"], ledger.organ_committee, Y2025)[f"leading_group.{key}"]
    sessions = [
        a.pk
        for a in Activity.objects.select_related("activity_type")
        if a.activity_type.code == "central_study" and a.held_on.year == 2025
    ]
    assert above.value == own.value == 2 and above.evidence_ids == sorted(sessions)
    assert above.label.startswith("党组")
    # A 党组 has no 党组 above it: its own figure says it, the cited one is zero.
    assert (
        metrics.compute([f"leading_group.{key}"], ledger.leading_group, Y2025)[f"leading_group.{key}"].value
        == 0
    )


def test_a_subjects_own_part_recounts(ledger) -> None:  # type: ignore[no-untyped-def]
    m4 = ledger.member_of_branch_2
    whats = ["letters", "liaison_branches", "key_tasks", "chaired", "lecture_listeners", "talked_secretaries"]
    found = metrics.compute([f"person.{m4.pk}.{w}" for w in whats], ledger.leading_group, Y2025)
    get = {w: found[f"person.{m4.pk}.{w}"] for w in whats}
    letters = [
        x.pk
        for x in Letter.objects.all()
        if x.counterpart_id == m4.pk and x.year == 2025 and x.kind == "responsibility"
    ]
    assert get["letters"].evidence_ids == sorted(letters) and get["letters"].value == 2
    assert get["liaison_branches"].evidence_ids == [ledger.branch_1.pk]
    assert get["liaison_branches"].names == (ledger.branch_1.name.split("（")[0],)
    assert get["key_tasks"].names == ("汛期‘防汛’值守",)  # the 2024 task is another year's
    acts = list(Activity.objects.select_related("activity_type"))
    told_apart = {"talk", "central_study", "liaison_visit", "report_hearing"}
    chaired = [
        a.pk
        for a in acts
        if a.host_id == m4.pk and a.held_on.year == 2025 and a.activity_type.code not in told_apart
    ]
    assert get["chaired"].evidence_ids == sorted(chaired) and get["chaired"].value == 1
    listeners = [
        x.pk for x in Attendance.objects.all() if x.activity.lecturer_id == m4.pk and x.status == "present"
    ]
    assert get["lecture_listeners"].evidence_ids == sorted(listeners) and get["lecture_listeners"].value == 2
    # Talks with m1 (secretary since 2024) and with members[4] after they became secretary (June).
    talks = [a for a in acts if a.talk_party_a_id == m4.pk]
    secretaries = [
        a.pk for a in talks if a.talk_party_b_id == ledger.member_1.pk or a.held_on >= D(2025, 6, 1)
    ]
    assert (
        get["talked_secretaries"].evidence_ids == sorted(secretaries) and get["talked_secretaries"].value == 2
    )


def test_hearings_name_the_branches_heard_or_the_meeting(ledger, held) -> None:  # type: ignore[no-untyped-def]
    m4, lg = ledger.member_of_branch_2, ledger.leading_group
    one = held(lg, "report_hearing", D(2025, 9, 2), host=m4)
    Activity.objects.filter(pk=one.pk).update(topic=f"党组会议听取{ledger.branch_2.name}党建工作汇报")
    every = held(lg, "report_hearing", D(2025, 1, 20), host=m4)
    Activity.objects.filter(pk=every.pk).update(topic="各党支部书记抓基层党建工作述职评议")
    keys = [f"person.{m4.pk}.heard_branches", f"person.{m4.pk}.hearing_meetings"]
    found = metrics.compute(keys, lg, Y2025)
    hearings = [
        a
        for a in Activity.objects.select_related("activity_type")
        if a.activity_type.code == "report_hearing" and a.host_id == m4.pk and a.held_on.year == 2025
    ]
    branches = [ledger.branch_1, ledger.branch_2]
    heard = sorted({b.pk for a in hearings for b in branches if b.name in a.topic})
    assert found[keys[0]].evidence_ids == heard == [ledger.branch_2.pk]
    meetings = sorted(a.pk for a in hearings if not any(b.name in a.topic for b in branches))
    assert found[keys[1]].evidence_ids == meetings and found[keys[1]].value == len(meetings) == 2
    assert "各党支部书记抓基层党建工作述职评议" in found[keys[1]].names


def test_renewed_committees_are_named_by_their_organization(ledger) -> None:  # type: ignore[no-untyped-def]
    from dangjian.orgs.models import Term

    Term.objects.create(organization=ledger.branch_1, elected_on=D(2025, 5, 1), length_years=3)
    Term.objects.create(organization=ledger.branch_2, elected_on=D(2022, 5, 1), length_years=3)
    found = metrics.compute(["named.renewed", "terms.renewed"], ledger.leading_group, Y2025)
    walk = [t.pk for t in Term.objects.all() if t.elected_on.year == 2025]
    assert found["named.renewed"].evidence_ids == sorted(walk) == found["terms.renewed"].evidence_ids
    assert found["named.renewed"].names == (ledger.branch_1.name.split("（")[0],)


def test_solved_pledges_are_named_as_pledges_solved_counts_them(ledger) -> None:  # type: ignore[no-untyped-def]
    from dangjian.campaigns.models import ServicePledge

    make = ServicePledge.objects.create
    common = {
        "source": "survey",
        "category": "policy",
        "handler": ledger.member_1,
        "collected_on": D(2025, 2, 1),
    }
    make(organization=ledger.branch_1, title="甲", status="solved", solved_on=D(2025, 5, 1), **common)
    make(organization=ledger.branch_2, title="乙“码”", status="mechanism", solved_on=D(2025, 4, 1), **common)
    make(organization=ledger.branch_2, title="丙", status="open", **common)
    make(organization=ledger.branch_1, title="丁", status="solved", solved_on=D(2024, 5, 1), **common)
    found = metrics.compute(["named.pledges", "pledges.solved"], ledger.leading_group, Y2025)
    walk = [
        p
        for p in ServicePledge.objects.order_by("solved_on")
        if p.status != "open" and p.solved_on.year == 2025
    ]
    assert (
        found["named.pledges"].evidence_ids
        == sorted(p.pk for p in walk)
        == found["pledges.solved"].evidence_ids
    )
    assert found["named.pledges"].names == ("乙‘码’", "甲")


def test_rituals_are_the_activities_whose_topic_is_one(ledger, held) -> None:  # type: ignore[no-untyped-def]
    b1, m = ledger.branch_1, ledger.members
    oath = held(b1, "theme_day", D(2025, 7, 1))
    Activity.objects.filter(pk=oath.pk).update(topic="主题党日：重温入党誓词，过政治生日")
    other = held(b1, "theme_day", D(2025, 8, 1))
    Activity.objects.filter(pk=other.pk).update(topic="学习党章")
    old = held(b1, "theme_day", D(2024, 7, 1))
    Activity.objects.filter(pk=old.pk).update(topic="重温入党誓词")
    for member, status in ((m[0], "present"), (m[1], "present"), (m[2], "leave")):
        Attendance.objects.create(activity=oath, member=member, status=status)
    found = metrics.compute(["rituals.count", "rituals.participants"], ledger.leading_group, Y2025)
    words = ("入党誓词", "政治生日", "入党宣誓")
    acts = [a for a in Activity.objects.all() if a.held_on.year == 2025 and any(w in a.topic for w in words)]
    assert found["rituals.count"].evidence_ids == sorted(a.pk for a in acts) == [oath.pk]
    present = [x.pk for x in Attendance.objects.all() if x.activity_id == oath.pk and x.status == "present"]
    assert (
        found["rituals.participants"].evidence_ids == sorted(present)
        and found["rituals.participants"].value == 2
    )
