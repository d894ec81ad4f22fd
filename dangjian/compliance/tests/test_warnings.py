"""Warnings: missing and due cells, members close to or past six months without organizational
life (党章 Art 9), committee terms due or overdue — each citing its source."""

from __future__ import annotations

import datetime

import pytest

from dangjian.compliance.warnings import collect, lapse_warnings, term_warnings

D = datetime.date
pytestmark = pytest.mark.django_db
ON = D(2022, 10, 1)


def test_lapse_warning_after_six_months_and_due_soon_before(bureau, make_activity, personas):
    from dangjian.members.actions import do_transfer_out

    m1, m2, _m3, m4, m5 = bureau.members
    b1, b2 = bureau.branch_1, bureau.branch_2
    make_activity(b1, "committee_meeting", D(2022, 3, 10), attend={m1: "present", m2: "present"})
    make_activity(b1, "theme_day", D(2022, 5, 15), attend={m1: "present", m2: "absent"})
    # Absent but made up: counts as organizational life.
    make_activity(b2, "theme_day", D(2022, 9, 1), attend={m4: "absent"}, makeup={m4: D(2022, 9, 5)})
    # A talk does not count as organizational life.
    make_activity(b2, "talk", D(2022, 9, 2), talk_party_a=m5, talk_party_b=m4, attend={m5: "present"})
    found = {w.member_id: w for w in lapse_warnings(bureau.leading_group, ON)}
    assert (
        found[m2.pk].level == "danger" and "自2022年3月10日以来未参加组织生活，已满6个月" in found[m2.pk].text
    )
    assert found[m1.pk].level == "warn" and "即将满6个月" in found[m1.pk].text  # last 15 May
    assert m4.pk not in found
    assert found[m5.pk].level == "danger" and "没有参加组织生活的记录" in found[m5.pk].text
    assert found[m2.pk].source == "《中国共产党章程》第九条"
    # Transferred out: no longer on the roll, no warning.
    do_transfer_out(m5, date=D(2022, 9, 20), counterpart="外单位党支部", acting_user=personas.admin)
    assert m5.pk not in {w.member_id for w in lapse_warnings(bureau.leading_group, ON)}
    # A branch secretary sees only their branch's members.
    mine = {w.member_id for w in lapse_warnings(bureau.leading_group, ON, personas.secretary_of_branch_1)}
    assert mine == {m1.pk, m2.pk}


def test_term_warnings(bureau):
    from dangjian.orgs.models import Term

    Term.objects.create(organization=bureau.branch_1, elected_on=D(2019, 9, 1), length_years=3)
    Term.objects.create(organization=bureau.branch_2, elected_on=D(2019, 12, 1), length_years=3)
    Term.objects.create(organization=bureau.organ_committee, elected_on=D(2021, 1, 1), length_years=5)
    found = {w.org_id: w for w in term_warnings(bureau.leading_group, ON)}
    assert set(found) == {bureau.branch_1.pk, bureau.branch_2.pk}
    assert (
        found[bureau.branch_1.pk].level == "danger"
        and "已于2022年9月1日届满" in found[bureau.branch_1.pk].text
    )
    assert found[bureau.branch_2.pk].level == "warn"
    assert found[bureau.branch_1.pk].source == "《中国共产党支部工作条例（试行）》第二十一条"


def test_collect_groups_missing_slots_per_rule_and_cites_the_article(bureau, make_activity):
    for month in (1, 2, 4, 5, 6, 7, 8):
        make_activity(bureau.branch_1, "committee_meeting", D(2022, month, 3))
    found = collect(bureau.branch_1, on=D(2022, 9, 25))
    line = next(w for w in found if "支委会未按要求完成" in w.text)
    assert "3月、9月" not in line.text and "3月" in line.text
    assert line.source == "《中国共产党支部工作条例（试行）》第十二条" and line.level == "danger"
    due = next(w for w in found if "2022年9月支委会尚未完成" in w.text)
    assert due.level == "warn" and "还剩6天" in due.text
    assert found[0].level == "danger"
