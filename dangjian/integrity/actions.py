"""Writes to the integrity ledgers: each checks the organization's write permission and is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from dangjian.core import audit
from dangjian.core.scope import check_write
from dangjian.integrity.models import PublicExpense, UnitRule


def do_save_rule(rule: UnitRule, *, acting_user: Any, via: str = "web") -> UnitRule:
    if rule.pk:
        check_write(acting_user, UnitRule.objects.get(pk=rule.pk).organization, "修改")
    check_write(acting_user, rule.organization if rule.organization_id else None, "登记")
    rule.full_clean()
    with audit.acting(acting_user, via), transaction.atomic():
        rule.save()
    return rule


def do_save_expense(expense: PublicExpense, *, acting_user: Any, via: str = "web") -> PublicExpense:
    """Save the year's 三公经费 as typed by the finance officer; who typed it is recorded."""
    if expense.pk:
        check_write(acting_user, PublicExpense.objects.get(pk=expense.pk).organization, "修改")
    check_write(acting_user, expense.organization if expense.organization_id else None, "登记")
    if getattr(acting_user, "is_authenticated", False):
        expense.entered_by = acting_user
    expense.full_clean()
    with audit.acting(acting_user, via), transaction.atomic():
        expense.save()
    return expense


def do_save(obj: Any, *, acting_user: Any, via: str = "web") -> Any:
    """The sheet import's entry point: the fitting action for the record."""
    if isinstance(obj, PublicExpense):
        return do_save_expense(obj, acting_user=acting_user, via=via)
    return do_save_rule(obj, acting_user=acting_user, via=via)
