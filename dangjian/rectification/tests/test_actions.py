"""Writes on the rectification ledger: who may register, close and reopen, and what closing needs."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from dangjian.core.models import AuditLog
from dangjian.rectification import actions
from dangjian.rectification.models import Finding

D = datetime.date


def test_secretary_registers_a_finding_of_their_own_branch_with_measures(bureau, personas):
    finding = actions.do_create_finding(
        acting_user=personas.secretary_of_branch_1,
        organization=bureau.branch_1,
        source="self",
        found_on=D(2026, 3, 1),
        deadline=D(2026, 6, 30),
        responsible=bureau.members[1],
        description="党费收缴台账不规范",
        measures=["重新核对台账", "", "建立月度核对制度"],
    )
    assert [m.text for m in finding.measures.all()] == ["重新核对台账", "建立月度核对制度"]
    assert AuditLog.objects.filter(object_id=str(finding.pk), action="create").exists()


def test_secretary_cannot_register_a_finding_of_another_branch(bureau, personas):
    with pytest.raises(PermissionDenied):
        actions.do_create_finding(
            acting_user=personas.secretary_of_branch_1,
            organization=bureau.branch_2,
            source="self",
            found_on=D(2026, 3, 1),
            deadline=D(2026, 6, 30),
            responsible=bureau.member_of_branch_2,
            description="x",
        )


def test_discipline_cannot_register_anything(bureau, personas):
    with pytest.raises(PermissionDenied):
        actions.do_create_finding(
            acting_user=personas.discipline,
            organization=bureau.branch_1,
            source="self",
            found_on=D(2026, 3, 1),
            deadline=D(2026, 6, 30),
            responsible=bureau.member_1,
            description="x",
        )


def test_deadline_before_found_date_is_refused(make_finding):
    with pytest.raises(ValidationError) as exc:
        make_finding(found_on=D(2026, 3, 1), deadline=D(2026, 2, 1))
    assert "整改时限不能早于发现日期" in str(exc.value)


def test_meeting_must_match_the_source(bureau, make_finding):
    from dangjian.activities.models import Activity, ActivityType

    theme_day = Activity.objects.create(
        organization=bureau.branch_1,
        activity_type=ActivityType.objects.get(code="theme_day"),
        topic="主题党日",
    )
    with pytest.raises(ValidationError) as exc:
        make_finding(source="org_life", meeting=theme_day)
    assert "组织生活会" in str(exc.value)


def test_branch_secretary_cannot_close_their_own_branch_finding(make_finding, personas):
    finding = make_finding()
    with pytest.raises(PermissionDenied):
        actions.do_close_finding(
            finding, closed_on=D(2026, 5, 1), evidence="已整改", acting_user=personas.secretary_of_branch_1
        )


def test_agency_officer_closes_with_evidence_and_becomes_the_verifier(make_finding, personas):
    finding = make_finding(measures=("建立制度",))
    measure = finding.measures.get()
    actions.do_complete_measure(measure, done_on=D(2026, 4, 1), acting_user=personas.secretary_of_branch_1)
    actions.do_close_finding(
        finding, closed_on=D(2026, 5, 1), evidence="制度已印发", acting_user=personas.agency_officer
    )
    finding.refresh_from_db()
    assert (finding.status, finding.closed_on, finding.verified_by) == (
        "closed",
        D(2026, 5, 1),
        personas.agency_officer,
    )
    assert AuditLog.objects.filter(object_id=str(finding.pk), verb="验收销号").exists()


def test_closing_needs_every_measure_done_and_evidence(make_finding, personas):
    finding = make_finding(measures=("建立制度",))
    with pytest.raises(ValidationError) as exc:
        actions.do_close_finding(
            finding, closed_on=D(2026, 5, 1), evidence="x", acting_user=personas.agency_officer
        )
    assert "1项整改措施未完成" in str(exc.value)
    finding.measures.update(done_on=D(2026, 4, 1))
    with pytest.raises(ValidationError) as exc:
        actions.do_close_finding(
            finding, closed_on=D(2026, 5, 1), evidence="  ", acting_user=personas.agency_officer
        )
    assert "整改成效及佐证" in str(exc.value)
    assert Finding.objects.get(pk=finding.pk).status == "open"


def test_the_verifier_must_not_be_the_person_responsible(bureau, make_finding, personas):
    from dangjian.core.models import Role

    Role.objects.filter(user=personas.agency_officer).update(member=bureau.members[1])
    personas.agency_officer.refresh_from_db()
    finding = make_finding(responsible=bureau.members[1])
    with pytest.raises(ValidationError) as exc:
        actions.do_close_finding(
            finding, closed_on=D(2026, 5, 1), evidence="已整改", acting_user=personas.agency_officer
        )
    assert "验收人不能是该问题的整改责任人本人" in str(exc.value)


def test_reopen_counts_clears_the_closing_and_sets_a_new_deadline(make_finding, personas):
    finding = make_finding()
    actions.do_close_finding(finding, closed_on=D(2026, 5, 1), evidence="已整改", acting_user=personas.admin)
    with pytest.raises(PermissionDenied):
        actions.do_reopen_finding(
            finding, reason="复查未解决", on=D(2026, 7, 1), acting_user=personas.secretary_of_branch_1
        )
    actions.do_reopen_finding(
        finding,
        reason="复查未解决",
        on=D(2026, 7, 1),
        deadline=D(2026, 9, 30),
        acting_user=personas.agency_officer,
    )
    finding.refresh_from_db()
    assert (finding.status, finding.reopen_count, finding.closed_on, finding.verified_by) == (
        "open",
        1,
        None,
        None,
    )
    assert (finding.deadline, finding.reopened_on, finding.reopen_reason) == (
        D(2026, 9, 30),
        D(2026, 7, 1),
        "复查未解决",
    )
    with pytest.raises(ValidationError):
        actions.do_reopen_finding(finding, reason="again", on=D(2026, 7, 2), acting_user=personas.admin)


def test_a_closed_finding_is_changed_only_after_reopening(make_finding, personas):
    finding = make_finding()
    actions.do_close_finding(finding, closed_on=D(2026, 5, 1), evidence="已整改", acting_user=personas.admin)
    with pytest.raises(ValidationError):
        actions.do_update_finding(finding, acting_user=personas.admin, description="改")
