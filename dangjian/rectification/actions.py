"""Audited writes on the rectification ledger: register a finding, add and complete measures,
close it (销号) after verification, reopen it, register an inspection.

Every function checks its own permission (a branch records its own findings; closing and
reopening are a supervisor's step — 机关党委 or the organization above — and the verifier is never
the person responsible) and validates through ``Model.clean()`` before anything is written.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from dangjian.core import audit
from dangjian.core.scope import check_oversee, check_write
from dangjian.rectification.choices import FindingStatus
from dangjian.rectification.models import Finding, Inspection, Measure

FINDING_FIELDS = (
    "organization",
    "source",
    "found_on",
    "description",
    "meeting",
    "inspection",
    "campaign",
    "responsible",
    "deadline",
)
INSPECTION_FIELDS = (
    "organization",
    "kind",
    "title",
    "conducted_by",
    "started_on",
    "ended_on",
    "report_number",
    "amount_checked",
)


def _user(acting_user: Any) -> Any:
    return acting_user if getattr(acting_user, "is_authenticated", False) else None


@transaction.atomic
def do_create_finding(
    *, acting_user: Any, via: str = "web", measures: list[str] | None = None, **fields: Any
) -> Finding:
    """Register a finding (问题) with the measures planned against it (one line each)."""
    with audit.acting(acting_user, via):
        finding = Finding(**{k: v for k, v in fields.items() if k in FINDING_FIELDS})
        check_write(acting_user, finding.organization if finding.organization_id else None, "登记")
        finding.full_clean()
        finding.save()
        for text in measures or ():
            if text.strip():
                Measure.objects.create(
                    finding=finding, text=text.strip()[:300], responsible=finding.responsible
                )
    return finding


@transaction.atomic
def do_update_finding(finding: Finding, *, acting_user: Any, via: str = "web", **fields: Any) -> Finding:
    """Change what was registered; a closed finding is changed only by reopening it first."""
    with audit.acting(acting_user, via):
        check_write(acting_user, finding.organization, "修改")
        if finding.status == FindingStatus.CLOSED:
            raise ValidationError("该问题已销号，如需修改请先重新整改。")
        for name, value in fields.items():
            if name in FINDING_FIELDS:
                setattr(finding, name, value)
        check_write(acting_user, finding.organization, "登记")
        finding.full_clean()
        finding.save()
    return finding


@transaction.atomic
def do_add_measure(
    finding: Finding,
    *,
    text: str,
    acting_user: Any,
    responsible: Any = None,
    deadline: datetime.date | None = None,
    via: str = "web",
) -> Measure:
    with audit.acting(acting_user, via):
        check_write(acting_user, finding.organization, "登记整改措施于")
        if finding.status == FindingStatus.CLOSED:
            raise ValidationError("该问题已销号，不能再添加整改措施。")
        measure = Measure(
            finding=finding, text=(text or "").strip(), responsible=responsible, deadline=deadline
        )
        measure.full_clean()
        measure.save()
    return measure


@transaction.atomic
def do_complete_measure(
    measure: Measure, *, done_on: datetime.date, acting_user: Any, via: str = "web"
) -> Measure:
    with audit.acting(acting_user, via):
        check_write(acting_user, measure.finding.organization, "登记整改措施于")
        measure.done_on = done_on
        measure.full_clean()
        measure.save()
    return measure


@transaction.atomic
def do_close_finding(
    finding: Finding, *, closed_on: datetime.date, evidence: str, acting_user: Any, via: str = "web"
) -> Finding:
    """销号: the overseeing organization verifies the result; the acting user is the verifier."""
    with audit.acting(acting_user, via):
        check_oversee(acting_user, finding.organization, "验收销号")
        if finding.status == FindingStatus.CLOSED:
            raise ValidationError("该问题已经销号。")
        verifier = _user(acting_user)
        if verifier is None:
            raise ValidationError({"verified_by": "销号须由验收人本人登录办理。"})
        open_measures = finding.measures.filter(done_on__isnull=True).count()
        if open_measures:
            raise ValidationError(f"还有{open_measures}项整改措施未完成，不能销号。")
        finding.status = FindingStatus.CLOSED
        finding.closed_on = closed_on
        finding.closing_evidence = (evidence or "").strip()
        finding.verified_by = verifier
        finding.full_clean()
        finding.save()
        audit.record(finding, "验收销号", {"closed_on": closed_on})
    return finding


@transaction.atomic
def do_reopen_finding(
    finding: Finding,
    *,
    reason: str,
    on: datetime.date,
    acting_user: Any,
    deadline: datetime.date | None = None,
    via: str = "web",
) -> Finding:
    """重新整改: a closed finding found not fixed after all goes back to the ledger, counted."""
    with audit.acting(acting_user, via):
        check_oversee(acting_user, finding.organization, "退回重新整改")
        if finding.status != FindingStatus.CLOSED:
            raise ValidationError("只有已销号的问题才能重新整改。")
        reason = (reason or "").strip()
        if not reason:
            raise ValidationError({"reason": "请写明重新整改的原因。"})
        previous = {"closed_on": finding.closed_on, "verified_by": str(finding.verified_by or "")}
        finding.status = FindingStatus.OPEN
        finding.closed_on = None
        finding.verified_by = None
        finding.reopen_count += 1
        finding.reopened_on = on
        finding.reopen_reason = reason[:300]
        if deadline is not None:
            if deadline < on:
                raise ValidationError({"deadline": "新的整改时限不能早于重新整改日期。"})
            finding.deadline = deadline
        elif finding.deadline < on:
            # Without a new deadline the old, passed one would make it overdue at once: a month.
            finding.deadline = on + datetime.timedelta(days=30)
        finding.full_clean()
        finding.save()
        audit.record(finding, "重新整改", {**previous, "reason": reason})
    return finding


@transaction.atomic
def do_create_inspection(*, acting_user: Any, via: str = "web", **fields: Any) -> Inspection:
    with audit.acting(acting_user, via):
        inspection = Inspection(**{k: v for k, v in fields.items() if k in INSPECTION_FIELDS})
        check_write(acting_user, inspection.organization if inspection.organization_id else None, "登记")
        inspection.full_clean()
        inspection.save()
    return inspection


@transaction.atomic
def do_update_inspection(
    inspection: Inspection, *, acting_user: Any, via: str = "web", **fields: Any
) -> Inspection:
    with audit.acting(acting_user, via):
        check_write(acting_user, inspection.organization, "修改")
        for name, value in fields.items():
            if name in INSPECTION_FIELDS:
                setattr(inspection, name, value)
        check_write(acting_user, inspection.organization, "登记")
        inspection.full_clean()
        inspection.save()
    return inspection
