"""Forms for campaigns, their teams and plans, service pledges and research projects.

Choices are limited to what the user may write (organizations) or see (members, activities);
the actions check again, so a forged id is refused there too.
"""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.activities.forms import DateInput, MemberChoiceField, member_choices, writable_orgs
from dangjian.activities.models import Activity, ActivityType
from dangjian.campaigns.actions import MOBILIZATION
from dangjian.campaigns.choices import TeamKind
from dangjian.campaigns.models import Campaign, PlanItem, ResearchOutput, ResearchProject, ServicePledge
from dangjian.core.lookup import TEXT_MAX, first_matches, member_lookup, org_lookup
from dangjian.core.scope import restrict
from dangjian.orgs.choices import OrgKind


def _orgs(user: Any) -> Any:
    return writable_orgs(user).exclude(kind=OrgKind.CELL)


class ActivityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Activity) -> str:  # type: ignore[override]
        when = obj.held_on.strftime("%Y-%m-%d") if obj.held_on else "未召开"
        return f"{when} {obj.organization.short_name or obj.organization.name} {obj.topic}"


class CampaignForm(forms.ModelForm):
    # Files are checked by the action (kind by its bytes, size), not put on the instance by the form.
    plan_document = forms.FileField(label="方案文件", required=False)
    mobilization = ActivityChoiceField(
        Activity.objects.none(),
        required=False,
        label="动员部署会",
        help_text="选择已登记的“动员部署会”活动；尚未召开的可先不选。",
    )

    class Meta:
        model = Campaign
        fields = [
            "organization",
            "name",
            "kind",
            "goal_formula",
            "started_on",
            "ended_on",
            "plan_title",
            "plan_adopted_on",
        ]
        widgets = {"started_on": DateInput(), "ended_on": DateInput(), "plan_adopted_on": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = _orgs(user)
        self.fields["organization"].queryset = orgs
        self.fields["mobilization"].queryset = (
            restrict(Activity.objects.all(), user)
            .filter(activity_type__code=MOBILIZATION)
            .select_related("organization")
            .order_by("-held_on", "-id")
        )
        self.fields["plan_document"].help_text = "PDF或Word文档（.docx），不超过20 MB。"
        org_lookup(self.fields["organization"])
        if self.instance.pk:
            self.initial["mobilization"] = self.instance.mobilization_id
        elif orgs.count() == 1:
            self.initial.setdefault("organization", orgs.first().pk)

    @property
    def fieldsets(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                "基本情况",
                [self[n] for n in ("organization", "name", "kind", "goal_formula", "started_on", "ended_on")],
            ),
            (
                "部署与方案",
                [self[n] for n in ("mobilization", "plan_title", "plan_adopted_on", "plan_document")],
            ),
        ]


def team_candidates(user: Any, campaign: Any) -> Any:
    """Who may join the campaign's teams: active members the user sees in the campaign's own
    subtree (the action refuses anyone else)."""
    return member_choices(user).filter(organization__path__startswith=campaign.organization.path)


def find_team_candidates(user: Any, campaign: Any, text: str) -> tuple[list[Any], bool]:
    """The team form's search: up to LOOKUP_MAX of the campaign's candidates by name, pinyin
    initials or branch (``Member.objects.lookup``), and whether there were more."""
    text = text.strip()[:TEXT_MAX]
    if not text:
        return [], False
    qs = team_candidates(user, campaign).only("pk", "name", "organization__name", "organization__short_name")
    return first_matches(qs.lookup(text), text, ("organization__path", "name", "pk"))


class TeamMemberForm(forms.Form):
    """Add a member to a campaign's team. The page offers the member by a search (a province's
    campaign reaches tens of thousands of members, too many for a select); the field only checks
    the chosen id against the same candidates."""

    team = forms.ChoiceField(label="机构", choices=TeamKind.choices)
    member = MemberChoiceField(None, label="成员")
    role = forms.CharField(
        label="职务", max_length=20, initial="成员", help_text="如：组长、副组长、成员、联络员"
    )

    def __init__(self, *args: Any, user: Any, campaign: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = team_candidates(user, campaign)


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["title", "activity_type", "target_count", "due_by"]
        widgets = {"due_by": DateInput()}
        help_texts = {"activity_type": "按此类型统计已开展次数；不选则只作记录。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity_type"].queryset = ActivityType.objects.filter(active=True)


class LinkActivityForm(forms.Form):
    activity = ActivityChoiceField(Activity.objects.none(), label="活动")

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = queryset


class LinkCampaignForm(forms.Form):
    """On an activity's page: the campaign it counts towards."""

    campaign = forms.ModelChoiceField(Campaign.objects.none(), label="计入专题活动")

    def __init__(self, *args: Any, queryset: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = queryset


class PledgeForm(forms.ModelForm):
    class Meta:
        model = ServicePledge
        fields = [
            "organization",
            "campaign",
            "title",
            "source",
            "category",
            "collected_by",
            "collected_on",
            "handler",
            "deadline",
            "status",
            "solved_on",
            "beneficiaries",
            "beneficiary_unit",
            "amount",
            "result",
        ]
        widgets = {
            "collected_on": DateInput(),
            "deadline": DateInput(),
            "solved_on": DateInput(),
            "result": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"collected_by": MemberChoiceField, "handler": MemberChoiceField}
        help_texts = {
            "amount": "涉及资金的填写，单位万元。",
            "solved_on": "办结或形成长效机制时填写。",
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = _orgs(user)
        self.fields["organization"].queryset = orgs
        self.fields["campaign"].queryset = restrict(Campaign.objects.all(), user)
        for name in ("collected_by", "handler"):
            self.fields[name].queryset = member_choices(user)
            member_lookup(self.fields[name])
        org_lookup(self.fields["organization"])
        if not self.instance.pk and orgs.count() == 1:
            self.initial.setdefault("organization", orgs.first().pk)

    @property
    def fieldsets(self) -> list[tuple[str, list[Any]]]:
        return [
            (
                "事项",
                [
                    self[n]
                    for n in (
                        "organization",
                        "campaign",
                        "title",
                        "source",
                        "category",
                        "collected_by",
                        "collected_on",
                    )
                ],
            ),
            ("办理", [self[n] for n in ("handler", "deadline", "status", "solved_on", "result")]),
            ("成效", [self[n] for n in ("beneficiaries", "beneficiary_unit", "amount")]),
        ]


class ProjectForm(forms.ModelForm):
    team = forms.ModelMultipleChoiceField(
        None, required=False, label="课题组成员", widget=forms.SelectMultiple(attrs={"size": 6})
    )

    class Meta:
        model = ResearchProject
        fields = ["organization", "campaign", "title", "leader", "started_on", "finished_on", "status"]
        widgets = {"started_on": DateInput(), "finished_on": DateInput()}
        field_classes = {"leader": MemberChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = _orgs(user)
        self.fields["organization"].queryset = orgs
        self.fields["campaign"].queryset = restrict(Campaign.objects.all(), user)
        self.fields["leader"].queryset = member_choices(user)
        self.fields["team"].queryset = member_choices(user)
        org_lookup(self.fields["organization"])
        member_lookup(self.fields["leader"])
        member_lookup(self.fields["team"], multiple=True)
        if self.instance.pk:
            self.initial["team"] = list(self.instance.team.values_list("pk", flat=True))
        elif orgs.count() == 1:
            self.initial.setdefault("organization", orgs.first().pk)


class OutputForm(forms.ModelForm):
    document = forms.FileField(
        label="文件", required=False, help_text="PDF或Word文档（.docx），不超过20 MB。"
    )

    class Meta:
        model = ResearchOutput
        fields = ["kind", "title", "issued_on", "adopted"]
        widgets = {"issued_on": DateInput()}
