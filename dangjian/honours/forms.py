"""Forms of honours and selections; choices are limited to what the user may write."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.activities.forms import MemberChoiceField, member_choices
from dangjian.core.lookup import member_lookup, org_lookup
from dangjian.core.scope import restrict
from dangjian.honours.choices import NomineeResult
from dangjian.honours.models import Honour, Selection
from dangjian.members.models import Member
from dangjian.orgs.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def writable_orgs(user: Any) -> Any:
    return restrict(Organization.objects.active().order_by("path"), user, "change")


class HonourForm(forms.ModelForm):
    member = MemberChoiceField(
        Member.objects.none(), label="获表彰党员", required=False, help_text="表彰党组织时不填。"
    )

    class Meta:
        model = Honour
        fields = [
            "title",
            "level",
            "grantor",
            "awarded_on",
            "document_number",
            "member",
            "organization",
            "note",
        ]
        widgets = {"awarded_on": DateInput()}
        help_texts = {"organization": "表彰党员时可不填，默认为该党员所在党组织。"}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_orgs(user)
        self.fields["organization"].required = False
        self.fields["member"].queryset = member_choices(user)
        # Searches, not selects: a province reaches 10,000 organizations and 30,000 members.
        org_lookup(self.fields["organization"], cells=True)
        member_lookup(self.fields["member"])

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("member") and not data.get("organization"):
            self.add_error("organization", "请选择获表彰的党组织，或选择获表彰党员。")
        return data

    def _post_clean(self) -> None:
        # The organization defaults to the member's before the model's own rules run.
        if self.cleaned_data.get("member") and not self.cleaned_data.get("organization"):
            self.cleaned_data["organization"] = self.cleaned_data["member"].organization
        super()._post_clean()


class SelectionForm(forms.ModelForm):
    class Meta:
        model = Selection
        fields = ["organization", "year", "kind", "name", "quota"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_orgs(user)
        org_lookup(self.fields["organization"], cells=True)


class RoundForm(forms.Form):
    name = forms.CharField(label="环节", max_length=40, help_text="如：支部推荐、机关党委审核、公示、表彰")
    held_on = forms.DateField(label="日期", widget=DateInput())


class NomineeForm(forms.Form):
    member = MemberChoiceField(
        Member.objects.none(), label="党员", required=False, empty_label="（推荐党员时选择）"
    )
    organization = forms.ModelChoiceField(
        Organization.objects.none(), label="党组织", required=False, empty_label="（推荐党组织时选择）"
    )

    def __init__(self, *args: Any, selection: Selection, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        inside = selection.organization.path
        self.fields["member"].queryset = member_choices(user).filter(organization__path__startswith=inside)
        self.fields["organization"].queryset = restrict(
            Organization.objects.active().filter(path__startswith=inside).order_by("path"), user
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if bool(data.get("member")) == bool(data.get("organization")):
            raise forms.ValidationError("请选择一名党员或一个党组织（二者选一）。")
        return data


class ResultForm(forms.Form):
    result = forms.ChoiceField(label="结果", choices=NomineeResult.choices)
    reached_round = forms.IntegerField(label="进入轮次", min_value=1, required=False)
    votes = forms.IntegerField(label="得票", min_value=0, required=False)
    awarded_on = forms.DateField(label="表彰日期", required=False, widget=DateInput())
    document_number = forms.CharField(label="表彰文号", max_length=60, required=False)
