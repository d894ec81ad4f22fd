"""Forms of the rectification ledger; choices are limited to what the user may write."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.activities.forms import MemberChoiceField, member_choices
from dangjian.activities.models import Activity
from dangjian.campaigns.models import Campaign
from dangjian.core.lookup import member_lookup, org_lookup
from dangjian.core.scope import restrict
from dangjian.members.models import Member
from dangjian.orgs.models import Organization
from dangjian.rectification.choices import MEETING_SOURCES
from dangjian.rectification.models import Finding, Inspection


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def writable_orgs(user: Any) -> Any:
    return restrict(Organization.objects.active().order_by("path"), user, "change")


def meeting_choices(user: Any) -> Any:
    """Held 民主生活会 and 组织生活会 the user may see, newest first."""
    return (
        restrict(Activity.objects.held().of_type(*MEETING_SOURCES.values()), user)
        .select_related("organization", "activity_type")
        .order_by("-held_on", "-id")
    )


class MeetingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:  # type: ignore[override]
        return f"{obj.held_on:%Y-%m-%d} {obj.organization.name}{obj.activity_type.name}"


class FindingForm(forms.ModelForm):
    """Registering or changing a finding; new findings may list their measures, one a line."""

    responsible = MemberChoiceField(Member.objects.none(), label="责任人")
    meeting = MeetingChoiceField(
        Activity.objects.none(),
        required=False,
        label="查摆会议",
        help_text="问题来源为民主生活会或组织生活会时，选择查摆出该问题的那次会议。",
    )
    measures = forms.CharField(
        label="整改措施",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="每行一条；以后也可在问题页面逐条添加。",
    )

    class Meta:
        model = Finding
        fields = [
            "organization",
            "source",
            "found_on",
            "description",
            "meeting",
            "inspection",
            "campaign",
            "responsible",
            "deadline",
        ]
        widgets = {
            "found_on": DateInput(),
            "deadline": DateInput(),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_orgs(user)
        self.fields["responsible"].queryset = member_choices(user)
        # Searches, not selects: a province reaches 10,000 organizations and 30,000 members.
        org_lookup(self.fields["organization"], cells=True)
        member_lookup(self.fields["responsible"])
        self.fields["meeting"].queryset = meeting_choices(user)
        self.fields["inspection"].queryset = restrict(Inspection.objects.select_related("organization"), user)
        # Campaigns are run by the 党组 or the 机关党委 above a branch: a branch names them too.
        self.fields["campaign"].queryset = Campaign.objects.order_by("-started_on")
        if self.instance.pk:
            del self.fields["measures"]

    @property
    def measure_lines(self) -> list[str]:
        text = self.cleaned_data.get("measures") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class MeasureForm(forms.Form):
    text = forms.CharField(label="整改措施", max_length=300)
    responsible = MemberChoiceField(Member.objects.none(), label="责任人", required=False)
    deadline = forms.DateField(label="时限", required=False, widget=DateInput())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = member_choices(user)
        member_lookup(self.fields["responsible"])


class MeasureDoneForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DateInput())


class CloseForm(forms.Form):
    closed_on = forms.DateField(label="销号日期", widget=DateInput())
    evidence = forms.CharField(
        label="整改成效及佐证",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="写明整改结果和佐证材料（文件、制度、台账名称）。",
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label="重新整改原因", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label="新的整改时限", required=False, widget=DateInput())


class InspectionForm(forms.ModelForm):
    class Meta:
        model = Inspection
        fields = [
            "organization",
            "kind",
            "title",
            "conducted_by",
            "started_on",
            "ended_on",
            "report_number",
            "amount_checked",
        ]
        widgets = {"started_on": DateInput(), "ended_on": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = writable_orgs(user)
        org_lookup(self.fields["organization"], cells=True)
