"""Forms of the integrity ledgers."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.lookup import org_lookup
from dangjian.duties.forms import DateInput, writable_orgs
from dangjian.integrity.models import PublicExpense, UnitRule


class RuleForm(forms.ModelForm):
    class Meta:
        model = UnitRule
        fields = ["organization", "title", "kind", "issued_on", "document_number", "revises"]
        widgets = {"issued_on": DateInput()}

    def __init__(self, *args: Any, user: Any, org: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from dangjian.core.scope import restrict

        self.fields["organization"].queryset = writable_orgs(user)
        # A search, not a select: a province reaches 10,000 organizations (the form took 2.6 s).
        org_lookup(self.fields["organization"])
        self.fields["revises"].queryset = restrict(UnitRule.objects.all(), user).order_by("-issued_on")
        if org is not None and not self.instance.pk:
            self.initial.setdefault("organization", org.pk)


class ExpenseForm(forms.ModelForm):
    class Meta:
        model = PublicExpense
        fields = ["organization", "year", "travel_abroad", "vehicles", "reception", "source_document"]

    def __init__(self, *args: Any, user: Any, org: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from dangjian.orgs.choices import OrgKind

        # 三公经费 is the unit's (the 党组's or the 机关党委's), not a branch's.
        self.fields["organization"].queryset = writable_orgs(
            user, OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE
        )
        self.fields["source_document"].help_text = "如：2025年度部门决算公开表（三公经费支出情况）"
