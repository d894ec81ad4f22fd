"""Forms for cases and steps; the step form shows only the fields its rule needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf

from dangjian.core.dates import today
from dangjian.core.lookup import org_lookup, use_lookup
from dangjian.core.scope import restrict
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member
from dangjian.members.validators import normalize_id_number
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.recruitment import rules
from dangjian.recruitment.models import Case


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several uploads in one input (Django's documented pattern)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


def branches_for(user: Any) -> Any:
    return restrict(
        Organization.objects.of_kind(OrgKind.BRANCH, OrgKind.GENERAL_BRANCH), user, "change"
    ).active()


def add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CaseForm(forms.ModelForm):
    """Opening a case: the person, the branch, and the application (step 1)."""

    opened_on = forms.DateField(label="递交入党申请书日期", widget=DateInput())
    checklist = forms.MultipleChoiceField(
        label="已备材料",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c, c) for c in rules.RULES[rules.APPLICATION].checklist],
    )
    notes = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    class Meta:
        model = Case
        fields = ["name", "gender", "birth_date", "id_number", "phone", "department", "organization"]
        widgets = {"birth_date": DateInput()}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = branches_for(user)
        # A province administrator reaches 10,000 branches: a search, not a select (core.lookup).
        org_lookup(self.fields["organization"], kinds=(OrgKind.BRANCH, OrgKind.GENERAL_BRANCH))
        self.fields["id_number"].help_text = "18位，最后一位可为X。"

    def clean_id_number(self) -> str:
        return normalize_id_number(self.cleaned_data.get("id_number") or "")


class StepForm(forms.Form):
    """Recording one flowchart step; fields follow the step's rule."""

    date = forms.DateField(label="日期", widget=DateInput())
    checklist = forms.MultipleChoiceField(
        label="已备材料", required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    documents = MultipleFileField(
        label="上传材料",
        required=False,
        help_text="可多选；PDF、JPG/PNG、Word、Excel，每个文件不超过10MB。",
    )

    def __init__(self, *args: Any, case: Case, rule: rules.StepRule, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.case, self.rule = case, rule
        self.fields["checklist"].choices = [(c, c) for c in rule.checklist]
        if not rule.checklist:
            del self.fields["checklist"]
        if rule.people:
            label = "培养联系人" if rule.people == "mentors" else "入党介绍人"
            self.fields["people"] = forms.ModelMultipleChoiceField(
                label=label,
                widget=forms.CheckboxSelectMultiple,
                queryset=Member.objects.filter(organization=case.organization, status=MemberStatus.FULL),
                help_text=rule.note,
            )
        if rule.vote:
            from dangjian.activities.models import Activity

            meetings = (
                Activity.objects.held().of_type("general_meeting").filter(organization=case.organization)
            )
            self.fields["meeting"] = forms.ModelChoiceField(
                label="支部党员大会记录",
                required=False,
                queryset=meetings.order_by("-held_on"),
                empty_label="（未在组织生活台账中登记）",
                help_text="选择后以会议登记的应到、实到有表决权党员人数为准。",
            )
            for name, label in [
                ("eligible", "应到会有表决权的正式党员（人）"),
                ("present", "实到会有表决权的正式党员（人）"),
                ("votes_for", "赞成（票）"),
                ("against", "反对（票）"),
                ("abstain", "弃权（票）"),
            ]:
                self.fields[name] = forms.IntegerField(label=label, min_value=0, required=False)
            self.fields["eligible"].help_text = "预备党员没有表决权，不计入。"
        if rule.number == rules.TRAINING:
            self.fields["training_days"] = forms.IntegerField(
                label="培训天数（天）", min_value=0, required=False
            )
            self.fields["training_hours"] = forms.IntegerField(
                label="培训学时（学时）", min_value=0, required=False
            )
        if rule.deadline is not None and rule.deadline.special_months:
            self.fields["special_case"] = forms.BooleanField(
                label=f"特殊情况，审批期限延至{rule.deadline.special_months}个月（{rule.deadline.source}）",
                required=False,
            )
        if rule.number == rules.ASSIGN:
            self.fields["cell"] = forms.ModelChoiceField(
                label="编入党小组",
                required=False,
                queryset=Organization.objects.filter(parent=case.organization, kind=OrgKind.CELL),
            )
        self.initial.setdefault("date", today())

    VOTE_FIELDS = ("meeting", "eligible", "present", "votes_for", "against", "abstain")

    def vote_fields(self) -> list[Any]:
        return [self[n] for n in self.VOTE_FIELDS if n in self.fields]

    def other_fields(self) -> list[Any]:
        return [f for f in self.visible_fields() if f.name not in self.VOTE_FIELDS]


class ExtensionForm(forms.Form):
    date = forms.DateField(label="支部大会决定日期", widget=DateInput())
    months = forms.IntegerField(
        label="延长月数（月）",
        min_value=1,
        max_value=24,
        help_text=f"{rules.EXTENSION_MIN_MONTHS}至{rules.EXTENSION_MAX_MONTHS}个月（{rules.EXTENSION_SOURCE}）。",
    )
    notes = forms.CharField(label="情况说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class EndForm(forms.Form):
    """Cancelling probation or closing a case: a date and the reason."""

    date = forms.DateField(label="日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200)


TRANSFER_HINT = "在上方输入党支部名称查找，也可输入其上级组织名称。"


def transfer_targets(case: Case) -> QuerySet[Organization]:
    """The branches a case may be transferred to: any active 党支部 or 党总支 of the agency but
    its own. The sending branch acts, so the receiving one may lie outside the user's own
    subtree (``actions.do_transfer_case`` checks the write on the sending branch)."""
    return (
        Organization.objects.of_kind(OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)
        .active()
        .exclude(pk=case.organization_id)
        # A province has hundreds of 第一党支部: the search names each one's parent beside it.
        .annotate(lookup_note=Coalesce(NullIf("parent__short_name", Value("")), "parent__name", Value("")))
    )


def find_transfer_targets(found: QuerySet[Organization], text: str) -> QuerySet[Organization]:
    """The transfer search: a branch by its own name, or by its parent's (a bureau's branches)."""
    return found.filter(
        Q(name__contains=text)
        | Q(short_name__contains=text)
        | Q(parent__name__contains=text)
        | Q(parent__short_name__contains=text)
    )


class TransferForm(forms.Form):
    to = forms.ModelChoiceField(label="转入党支部", queryset=Organization.objects.none())
    date = forms.DateField(label="转接日期", widget=DateInput())
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args: Any, case: Case, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to"].queryset = transfer_targets(case)
        # Every branch of a province is a choice: a search (of this case's choices), not a select.
        use_lookup(
            self.fields["to"],
            "recruitment:transfer-lookup",
            url_args=(case.pk,),
            placeholder="党支部或其上级组织名称",
            hint=TRANSFER_HINT,
        )
        self.initial.setdefault("date", today())


class PlanForm(forms.Form):
    """A yearly plan; saving the same organization and year again updates it."""

    organization = forms.ModelChoiceField(label="党组织", queryset=Organization.objects.none())
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    planned = forms.IntegerField(label="计划发展人数（人）", min_value=0, max_value=9999)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = restrict(
            Organization.objects.exclude(kind=OrgKind.CELL), user, "change"
        ).active()
        org_lookup(self.fields["organization"])  # 10,000 of them in a province: a search
