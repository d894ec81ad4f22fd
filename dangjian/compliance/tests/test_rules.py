"""Each rule against hand-computed expectations, with the edge cases of issue 3."""

from __future__ import annotations

import datetime

import pytest

from dangjian.compliance.evaluator import evaluate
from dangjian.compliance.models import Rule
from dangjian.core.period import Period
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

D = datetime.date
pytestmark = pytest.mark.django_db


def statuses(matrix, org, code):  # type: ignore[no-untyped-def]
    """{slot code: status} for one organization and rule."""
    row = matrix.org(org.pk)
    spec = matrix.rule(code)
    return {slot.code: matrix.cell(row, spec, slot).status for slot in matrix.slots_for(spec)}


def cell(matrix, org, code, slot):  # type: ignore[no-untyped-def]
    spec = matrix.rule(code)
    slot_obj = next(s for s in matrix.slots_for(spec) if s.code == slot)
    return matrix.cell(matrix.org(org.pk), spec, slot_obj)


def test_rules_are_seeded_from_rules_md_with_their_sources():
    rule = Rule.objects.get(code="committee_meeting")
    assert rule.source == "《中国共产党支部工作条例（试行）》第十二条"
    assert (rule.frequency, rule.minimum, rule.needs_committee, rule.source_status) == ("month", 1, True, "C")
    assert Rule.objects.get(code="party_lecture").source_status == "L"
    assert Rule.objects.get(code="lapse").source == "《中国共产党章程》第九条"
    assert Rule.objects.get(code="central_study").org_kinds == ["leading_group"]
    assert Rule.objects.count() == 13


def test_committee_meeting_monthly_done_missing_and_due(bureau, make_activity):
    b1 = bureau.branch_1
    held = {}
    for month in range(1, 12):
        if month != 3:
            held[month] = make_activity(b1, "committee_meeting", D(2022, month, 10))
    make_activity(b1, "committee_meeting", D(2022, 3, 5), status="planned")  # planned only: does not count
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2022, 12, 20))
    got = statuses(matrix, b1, "committee_meeting")
    assert got["2022-01"] == "done" and got["2022-11"] == "done"
    assert got["2022-03"] == "missing"
    assert got["2022-12"] == "due"  # the month is not over yet
    assert cell(matrix, b1, "committee_meeting", "2022-05").evidence == (held[5].pk,)
    assert sum(1 for s in got.values() if s == "done") == 10


def test_branch_without_committee_has_no_committee_meeting_rule(bureau, make_activity):
    Organization.objects.filter(pk=bureau.branch_2.pk).update(has_committee=False)
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    c = cell(matrix, bureau.branch_2, "committee_meeting", "2022-01")
    assert (c.status, c.reason) == ("n/a", "未设支部委员会")
    assert statuses(matrix, bureau.branch_1, "committee_meeting")["2022-01"] == "missing"


def test_rules_do_not_apply_to_other_kinds(bureau):
    matrix = evaluate(bureau.leading_group, Period.parse("2022"), on=D(2023, 1, 5))
    assert set(statuses(matrix, bureau.cell_1, "committee_meeting").values()) == {"n/a"}
    assert set(statuses(matrix, bureau.organ_committee, "general_meeting").values()) == {"n/a"}
    assert set(statuses(matrix, bureau.branch_1, "central_study").values()) == {"n/a"}
    assert set(statuses(matrix, bureau.leading_group, "central_study").values()) == {"missing"}


def test_meeting_on_last_day_of_quarter_late_evening_counts_in_that_quarter(bureau, make_activity):
    b1 = bureau.branch_1
    late = make_activity(b1, "general_meeting", D(2022, 3, 31), at=(23, 30))
    # 00:30 on 1 April in Beijing is still 31 March in UTC: it belongs to Q2.
    early = make_activity(b1, "general_meeting", D(2022, 4, 1), at=(0, 30))
    assert late.held_on == D(2022, 3, 31) and early.held_on == D(2022, 4, 1)
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    assert statuses(matrix, b1, "general_meeting") == {
        "2022Q1": "done",
        "2022Q2": "done",
        "2022Q3": "missing",
        "2022Q4": "missing",
    }
    assert cell(matrix, b1, "general_meeting", "2022Q1").evidence == (late.pk,)
    assert cell(matrix, b1, "general_meeting", "2022Q2").evidence == (early.pk,)


def test_month_period_still_judges_its_quarter_and_year(bureau, make_activity):
    make_activity(bureau.branch_1, "general_meeting", D(2022, 4, 20))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022-05"), on=D(2022, 5, 31))
    assert statuses(matrix, bureau.branch_1, "general_meeting") == {"2022Q2": "done"}
    assert statuses(matrix, bureau.branch_1, "committee_meeting") == {"2022-05": "due"}
    assert statuses(matrix, bureau.branch_1, "org_life_meeting") == {"2022": "due"}


def test_cell_meeting_counts_only_for_that_cell(bureau, make_activity):
    own = make_activity(bureau.cell_1, "cell_meeting", D(2022, 2, 8))
    joint = make_activity(bureau.branch_1, "cell_meeting", D(2022, 3, 8), cells=(bureau.cell_2,))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    c1 = statuses(matrix, bureau.cell_1, "cell_meeting")
    c2 = statuses(matrix, bureau.cell_2, "cell_meeting")
    assert c1["2022-02"] == "done" and c2["2022-02"] == "missing"
    assert c2["2022-03"] == "done" and c1["2022-03"] == "missing"
    assert cell(matrix, bureau.cell_1, "cell_meeting", "2022-02").evidence == (own.pk,)
    assert cell(matrix, bureau.cell_2, "cell_meeting", "2022-03").evidence == (joint.pk,)
    assert set(statuses(matrix, bureau.branch_1, "cell_meeting").values()) == {"n/a"}


def test_theme_day_that_includes_a_lecture_counts_for_both(bureau, make_activity):
    b1 = bureau.branch_1
    day = make_activity(b1, "theme_day", D(2022, 2, 15), also=("party_lecture",))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    assert statuses(matrix, b1, "theme_day")["2022-02"] == "done"
    assert statuses(matrix, b1, "party_lecture") == {
        "2022Q1": "done",
        "2022Q2": "missing",
        "2022Q3": "missing",
        "2022Q4": "missing",
    }
    assert cell(matrix, b1, "party_lecture", "2022Q1").evidence == (day.pk,)


def test_branch_created_mid_year_is_not_judged_before_it_existed(bureau, make_activity):
    b3 = Organization.objects.create(
        name="第三党支部", kind=OrgKind.BRANCH, parent=bureau.organ_committee, established_on=D(2022, 7, 15)
    )
    make_activity(b3, "committee_meeting", D(2022, 8, 3))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    got = statuses(matrix, b3, "committee_meeting")
    assert [got[f"2022-{m:02d}"] for m in range(1, 7)] == ["n/a"] * 6
    assert cell(matrix, b3, "committee_meeting", "2022-06").reason == "尚未成立"
    assert got["2022-07"] == "n/a"  # the month it was set up: not required
    assert got["2022-08"] == "done" and got["2022-09"] == "missing"
    assert statuses(matrix, b3, "general_meeting") == {
        "2022Q1": "n/a",
        "2022Q2": "n/a",
        "2022Q3": "n/a",
        "2022Q4": "missing",
    }


def test_dissolved_branch_is_not_judged_afterwards(bureau):
    Organization.objects.filter(pk=bureau.branch_2.pk).update(dissolved_on=D(2022, 7, 1))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    got = statuses(matrix, bureau.branch_2, "theme_day")
    assert got["2022-06"] == "missing" and got["2022-07"] == "n/a" and got["2022-12"] == "n/a"


def test_rule_whose_value_changed_on_a_date_is_two_rows(bureau, make_activity):
    old = Rule.objects.get(code="central_study")
    old.valid_to = D(2022, 6, 30)
    old.save()
    new = Rule.objects.get(pk=old.pk)
    new.pk = None
    new.valid_from, new.valid_to, new.minimum = D(2022, 7, 1), None, 2
    new.save()
    lg = bureau.leading_group
    for month in range(1, 13):
        make_activity(lg, "central_study", D(2022, month, 12))
    make_activity(lg, "central_study", D(2022, 9, 26))
    matrix = evaluate(lg, Period.parse("2022"), on=D(2023, 1, 5))
    got = statuses(matrix, lg, "central_study")
    assert [got[f"2022-{m:02d}"] for m in range(1, 7)] == ["done"] * 6
    assert got["2022-07"] == "missing" and got["2022-09"] == "done"
    assert cell(matrix, lg, "central_study", "2022-08").minimum == 2
    # A period entirely before the rule existed: not applicable.
    Rule.objects.filter(code="central_study", valid_from__isnull=True).update(valid_from=D(2021, 1, 1))
    assert "central_study" not in [
        spec.code for spec in evaluate(lg, Period.parse("2020"), on=D(2023, 1, 5)).rules
    ]


def test_yearly_rules_org_life_meeting_and_appraisal(bureau, make_activity):
    b1, b2 = bureau.branch_1, bureau.branch_2
    meeting = make_activity(b1, "org_life_meeting", D(2022, 12, 28), also=("member_appraisal",))
    make_activity(b2, "org_life_meeting", D(2022, 11, 2))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    assert statuses(matrix, b1, "org_life_meeting") == {"2022": "done"}
    assert statuses(matrix, b1, "member_appraisal") == {"2022": "done"}
    assert cell(matrix, b1, "member_appraisal", "2022").evidence == (meeting.pk,)
    assert statuses(matrix, b2, "member_appraisal") == {"2022": "missing"}
    assert statuses(
        evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2022, 12, 1)), b2, "member_appraisal"
    ) == {"2022": "due"}


def test_secretary_lecture_needs_the_secretary_as_lecturer(bureau, make_activity):
    from dangjian.activities.models import Activity

    b1, b2 = bureau.branch_1, bureau.branch_2
    by_secretary = make_activity(b1, "party_lecture", D(2022, 6, 1), lecturer=bureau.member_1)
    Activity.objects.filter(pk=by_secretary.pk).update(lecturer_is_secretary=True)
    make_activity(b2, "party_lecture", D(2022, 6, 1))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    assert statuses(matrix, b1, "secretary_lecture") == {"2022": "done"}
    assert cell(matrix, b1, "secretary_lecture", "2022").evidence == (by_secretary.pk,)
    assert statuses(matrix, b2, "secretary_lecture") == {"2022": "missing"}
    assert statuses(matrix, b2, "party_lecture")["2022Q2"] == "done"


def test_talk_coverage_ignores_a_member_transferred_out_mid_year(bureau, make_activity, personas):
    from dangjian.members.actions import do_transfer_out

    b2 = bureau.branch_2
    m4, m5 = bureau.members[3], bureau.members[4]
    talk = make_activity(b2, "talk", D(2022, 3, 3), talk_party_a=m4, talk_party_b=bureau.member_1)
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    assert statuses(matrix, b2, "talk_coverage") == {"2022": "missing"}  # 周五平 had no talk
    assert cell(matrix, b2, "talk_coverage", "2022").reason == "已谈1人，在册2人"
    do_transfer_out(m5, date=D(2022, 6, 1), counterpart="外单位党支部", acting_user=personas.admin)
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    done = cell(matrix, b2, "talk_coverage", "2022")
    assert (done.status, done.evidence) == ("done", (talk.pk,))
    # Still on the roll at the end of 2021: expected to have had a talk that year.
    assert statuses(
        evaluate(bureau.organ_committee, Period.parse("2021"), on=D(2023, 1, 5)), b2, "talk_coverage"
    ) == {"2021": "missing"}
    # branch 1: 赵一明 talked (as the other party); 钱二华 did not; 孙三立 not yet admitted in 2022.
    assert cell(matrix, bureau.branch_1, "talk_coverage", "2022").reason == "已谈1人，在册2人"


def test_future_slots_are_not_judged(bureau):
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2022, 6, 15))
    got = statuses(matrix, bureau.branch_1, "theme_day")
    assert got["2022-05"] == "missing" and got["2022-06"] == "due" and got["2022-07"] == "n/a"
    assert cell(matrix, bureau.branch_1, "theme_day", "2022-07").reason == "未到期"


def test_matrix_json_lists_every_cell_with_evidence_only_when_done(bureau, make_activity):
    a = make_activity(bureau.branch_1, "theme_day", D(2022, 1, 9))
    data = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5)).to_json()
    assert data["org"] == bureau.organ_committee.pk and data["period"] == "2022"
    first = next(c for c in data["cells"] if c["rule"] == "theme_day" and c["org"] == bureau.branch_1.pk)
    assert first == {
        "org": bureau.branch_1.pk,
        "org_name": "第一党支部",
        "rule": "theme_day",
        "slot": "2022-01",
        "status": "done",
        "evidence": [a.pk],
    }
    assert all(c["evidence"] == [] for c in data["cells"] if c["status"] != "done")
    # 5 organizations × (4 monthly×12 + 2 quarterly×4 + 5 yearly) = 5 × 61 cells
    assert len(data["cells"]) == 5 * 61


def test_query_count_is_constant_in_the_number_of_organizations(
    bureau, make_activity, django_assert_max_num_queries
):
    make_activity(bureau.branch_1, "theme_day", D(2022, 1, 9))
    with django_assert_max_num_queries(16):
        small = evaluate(bureau.leading_group, Period.parse("2022"), on=D(2023, 1, 5))
        small.summary()
    for i in range(30):
        branch = Organization.objects.create(
            name=f"新建第{i}党支部", kind=OrgKind.BRANCH, parent=bureau.organ_committee
        )
        Organization.objects.create(name=f"新建第{i}党小组", kind=OrgKind.CELL, parent=branch)
        make_activity(branch, "committee_meeting", D(2022, 2, 1))
    with django_assert_max_num_queries(16):
        big = evaluate(bureau.leading_group, Period.parse("2022"), on=D(2023, 1, 5))
        big.summary()
    assert len(big.orgs) == len(small.orgs) + 60
    assert big.query_count == small.query_count


def test_without_the_secretary_lecture_rule_the_rest_still_evaluates(bureau, make_activity):
    Rule.objects.filter(code="secretary_lecture").update(active=False)
    make_activity(bureau.branch_1, "party_lecture", D(2022, 2, 2))
    matrix = evaluate(bureau.organ_committee, Period.parse("2022"), on=D(2023, 1, 5))
    assert statuses(matrix, bureau.branch_1, "party_lecture")["2022Q1"] == "done"
    assert "secretary_lecture" not in [s.code for s in matrix.rules]
