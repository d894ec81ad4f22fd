"""Audited writes on the organization tree and committee terms."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from dangjian.core import audit
from dangjian.core.scope import check_write
from dangjian.orgs.models import Organization, Term


def _check_place(org: Organization, acting_user: Any) -> None:
    """The user must manage the organization, and the parent it is put under when that changes.

    A branch secretary may rename their own branch, whose parent they do not manage, but not
    move it, nor set up an organization outside their subtree.
    """
    before = Organization.objects.filter(pk=org.pk).first() if org.pk else None
    if before is not None:
        check_write(acting_user, before, "修改")
        if before.parent_id == org.parent_id:
            return
    if org.parent_id:
        check_write(acting_user, org.parent, "在其下设立或调整")
    elif not check_write(acting_user, None if before is None else before, "修改").whole_agency:
        raise PermissionDenied("只有机关党委/党组或系统管理员可以设立顶层党组织。")


@transaction.atomic
def do_save_organization(org: Organization, *, acting_user: Any, via: str = "web") -> Organization:
    """Add or change an organization; the user must manage it and its parent."""
    _check_place(org, acting_user)
    with audit.acting(acting_user, via):
        org.full_clean()
        org.save()
    return org


@transaction.atomic
def do_record_election(
    organization: Organization,
    *,
    elected_on: datetime.date,
    acting_user: Any,
    length_years: int | None = None,
    note: str = "",
    via: str = "web",
) -> Term:
    """Record a re-election: the open term ends on the election day and a new one starts."""
    check_write(acting_user, organization, "记录换届")
    with audit.acting(acting_user, via):
        term = Term(
            organization=organization,
            elected_on=elected_on,
            length_years=length_years or organization.term_years or 0,
            note=note,
        )
        term.full_clean()
        for previous in organization.terms.filter(ended_on__isnull=True, elected_on__lt=elected_on):
            previous.ended_on = elected_on
            previous.save()
        term.save()
    return term
