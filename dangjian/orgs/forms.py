"""Forms for the organization tree and committee terms; choices limited to the user's scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q

from dangjian.core.concurrency import EditConflictMixin
from dangjian.core.dates import today
from dangjian.core.lookup import org_lookup
from dangjian.core.scope import get_scope, restrict
from dangjian.orgs.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class OrganizationForm(EditConflictMixin, forms.ModelForm):
    """Add or edit an organization; the parent must lie inside the user's scope."""

    class Meta:
        model = Organization
        fields = [
            "name",
            "short_name",
            "kind",
            "parent",
            "order",
            "established_on",
            "dissolved_on",
            "has_committee",
            "description",
        ]
        widgets = {
            "established_on": DateInput(),
            "dissolved_on": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "name": {"required": "请填写名称。"},
            "kind": {"required": "请选择类别。"},
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        scope = get_scope(user)
        parents = restrict(Organization.objects.all(), user, "change")
        if self.instance.pk:
            # An organization cannot move under itself or its own descendants.
            parents = Organization.objects.filter(
                Q(pk__in=parents.values("pk")) | Q(pk=self.instance.parent_id)
            ).exclude(path__startswith=self.instance.path)
        self.fields["parent"].queryset = parents.order_by("path")
        self.fields["parent"].label_from_instance = lambda o: "　" * o.depth + o.name
        self.fields["parent"].empty_label = "（顶层组织）"
        self.fields["parent"].error_messages["invalid_choice"] = "所选上级组织不存在或不在您的权限范围内。"
        if not scope.whole_agency:
            # Below the whole agency, every new organization hangs under one the user manages.
            self.fields["parent"].required = not (self.instance.pk and self.instance.pk == scope.org_id)
            self.fields["parent"].error_messages["required"] = "请选择上级组织。"
            if self.instance.pk and self.instance.pk == scope.org_id:
                self.fields["parent"].disabled = True
                self.fields["parent"].help_text = "您负责的组织本身不能调整上级。"
        if self.fields["parent"].disabled:
            # Shown, not chosen: a select of the one parent it has.
            self.fields["parent"].queryset = Organization.objects.filter(pk=self.instance.parent_id)
        else:
            # A province administrator reaches 10,000 organizations: a search, not a select.
            org_lookup(self.fields["parent"])


class ElectionForm(forms.Form):
    """Record a re-election (换届): the open term ends and a new one starts."""

    elected_on = forms.DateField(
        label="选举日期",
        widget=DateInput(),
        error_messages={"required": "请填写选举日期。", "invalid": "选举日期格式不正确。"},
    )
    length_years = forms.IntegerField(
        label="任期（年）",
        required=False,
        min_value=1,
        max_value=10,
        help_text="留空则按组织类别的规定任期。",
        error_messages={
            "min_value": "任期至少1年。",
            "max_value": "任期不能超过10年。",
            "invalid": "请填写整数年数。",
        },
    )
    note = forms.CharField(label="备注", required=False, max_length=200)

    def __init__(self, *args: Any, organization: Organization, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organization = organization
        if organization.term_years:
            self.fields["length_years"].widget.attrs["placeholder"] = f"{organization.term_years}"
        self.fields["elected_on"].initial = today()
