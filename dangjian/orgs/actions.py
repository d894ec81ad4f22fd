"""Audited writes on the organization tree and committee terms."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from dangjian.core import audit
from dangjian.orgs.models import Organization, Term


@transaction.atomic
def do_save_organization(org: Organization, *, acting_user: Any, via: str = "web") -> Organization:
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
