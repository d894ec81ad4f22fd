"""Forms for campaigns, their teams and plans, service pledges and research projects.

Choices are limited to what the user may write (organizations) or see (members, activities);
the actions check again, so a forged id is refused there too.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Case, IntegerField, Q, When

from dangjian.activities.forms import DateInput, MemberChoiceField, member_choices, writable_orgs
from dangjian.activities.models import Activity, ActivityType
from dangjian.campaigns.actions import MOBILIZATION
from dangjian.campaigns.choices import TeamKind
from dangjian.campaigns.models import Campaign, PlanItem, ResearchOutput, ResearchProject, ServicePledge
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
        use_lookup(self.fields["organization"], "orgs")
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


# How many matches a lookup field lists at once.
LOOKUP_MAX = 20
# Per kind of lookup: the search box's placeholder and the hint shown before any search.
LOOKUP_TEXT = {
    "members": ("姓名、拼音首字母或支部", "在上方输入姓名、拼音首字母或支部名称查找党员。"),
    "orgs": ("组织名称", "在上方输入名称查找党组织。"),
}


class LookupWidget(forms.Widget):
    """A search box listing at most LOOKUP_MAX matches as radio buttons (checkboxes for a
    multiple choice) named like the field, fetched with htmx from a lookup page
    (``campaigns:lookup-members`` / ``campaigns:lookup-orgs``): a province reaches 20,000 members
    and 10,000 organizations, and a select of them all took the form 20 seconds to render.
    The chosen values are rendered checked and kept across searches; the field still checks the
    posted ids against its own queryset."""

    template_name = "campaigns/widgets/lookup.html"

    def __init__(self, kind: str, *, multiple: bool = False, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.kind, self.multiple = kind, multiple
        self.queryset: Any = None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from django.urls import reverse

        context = super().get_context(name, value, attrs)
        wanted = value if isinstance(value, list | tuple) else [value]
        ids = [int(v) for v in wanted if str(v).isdecimal()]
        chosen = list(self.queryset.filter(pk__in=ids)) if ids and self.queryset is not None else []
        context["widget"].update(
            {
                "url": reverse(f"campaigns:lookup-{self.kind}"),
                "placeholder": LOOKUP_TEXT[self.kind][0],
                "hint": LOOKUP_TEXT[self.kind][1],
                "multiple": self.multiple,
                "results": {
                    "field": name,
                    "multiple": self.multiple,
                    "required": self.is_required,
                    "chosen": [lookup_row(obj) for obj in chosen],
                    "found": [],
                    "q": "",
                },
            }
        )
        return context

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return data.getlist(name) if self.multiple and hasattr(data, "getlist") else data.get(name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        # An unchecked checkbox list sends nothing: that means "nobody", not "unchanged".
        return False if self.multiple else name not in data


def lookup_row(obj: Any) -> dict[str, Any]:
    """What a lookup lists for one record: its id, its name and (a member) their branch."""
    org = getattr(obj, "organization", None)
    note = (org.short_name or org.name) if org is not None else ""
    return {"pk": obj.pk, "name": obj.name, "note": note}


def use_lookup(field: forms.Field, kind: str, *, multiple: bool = False) -> None:
    """Show ``field`` (a model choice field whose queryset is already set) as a lookup."""
    widget = LookupWidget(kind, multiple=multiple)
    widget.queryset = field.queryset  # type: ignore[attr-defined]
    widget.is_required = field.required
    field.widget = widget


def find(qs: Any, text: str, *, members: bool) -> tuple[list[Any], bool]:
    """Up to LOOKUP_MAX records of ``qs`` matching ``text`` (members by name, pinyin initials
    or branch; organizations by name), an exact name first; and whether there were more.

    Not ``Member.objects.search``: that also matches phone numbers, and a lookup shows only
    names and branches, so it must not let anyone probe whose number is whose."""
    text = text.strip()[:40]
    if not text:
        return [], False
    if members:
        q = Q(name__contains=text) | Q(organization__name__contains=text)
        q |= Q(organization__short_name__contains=text)
        if text.isascii() and text.isalpha():
            q |= Q(pinyin_initials__startswith=text.lower())
        qs = qs.only("pk", "name", "organization__name", "organization__short_name")
        order = ("exact", "organization__path", "name", "pk")
    else:
        q = Q(name__contains=text) | Q(short_name__contains=text)
        order = ("exact", "path", "pk")
    found = list(
        qs.filter(q)
        .annotate(exact=Case(When(name=text, then=0), default=1, output_field=IntegerField()))
        .order_by(*order)[: LOOKUP_MAX + 1]
    )
    return found[:LOOKUP_MAX], len(found) > LOOKUP_MAX


def team_candidates(user: Any, campaign: Any) -> Any:
    """Who may join the campaign's teams: active members the user sees in the campaign's own
    subtree (the action refuses anyone else)."""
    return member_choices(user).filter(organization__path__startswith=campaign.organization.path)


def find_team_candidates(user: Any, campaign: Any, text: str) -> tuple[list[Any], bool]:
    """The team form's search: up to LOOKUP_MAX of the campaign's candidates (see ``find``)."""
    return find(team_candidates(user, campaign), text, members=True)


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
            use_lookup(self.fields[name], "members")
        use_lookup(self.fields["organization"], "orgs")
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
        use_lookup(self.fields["organization"], "orgs")
        use_lookup(self.fields["leader"], "members")
        use_lookup(self.fields["team"], "members", multiple=True)
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
