"""Forms for the roster: add/edit a member, transfer out, change status, committee posts.

Choices of organizations and members are limited to what the user may change, and every
error names its field in Chinese.
"""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.concurrency import EditConflictMixin
from dangjian.core.dates import today
from dangjian.core.lookup import member_lookup, org_lookup, use_lookup
from dangjian.core.scope import restrict
from dangjian.members import extensions
from dangjian.members.choices import ACTIVE_STATUSES, MemberStatus
from dangjian.members.models import Member, Post
from dangjian.members.validators import normalize_id_number
from dangjian.orgs.choices import OrgKind, PostKind
from dangjian.orgs.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChineseErrorsMixin:
    """Required/invalid messages that name the field, e.g. “请填写姓名。”."""

    def name_errors(self) -> None:
        for field in self.fields.values():  # type: ignore[attr-defined]
            label = field.label
            verb = "选择" if isinstance(field, forms.ChoiceField | forms.ModelChoiceField) else "填写"
            field.error_messages["required"] = f"请{verb}{label}。"
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = f"{label}格式不正确，请按“年-月-日”填写，如 1985-03-12。"
            if isinstance(field, forms.DecimalField | forms.IntegerField):
                field.error_messages["invalid"] = f"{label}应为数字。"
            if isinstance(field, forms.ChoiceField | forms.ModelChoiceField):
                field.error_messages["invalid_choice"] = f"所选{label}无效或不在您的权限范围内。"
            if isinstance(field, forms.DateField):
                field.widget = DateInput(attrs=field.widget.attrs)


def _org_label(org: Organization) -> str:
    return org.name


class MemberForm(EditConflictMixin, ChineseErrorsMixin, forms.ModelForm):
    """The 花名册 fields; status is set here only when adding — later through the status form.

    Two officers editing one member at once: the second save is stopped and shown what the first
    changed (core/concurrency.py).
    """

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "native_place",
            "education",
            "id_number",
            "phone",
            "department",
            "job_title",
            "organization",
            "cell",
            "status",
            "admission_date",
            "confirmation_date",
            "dues_category",
            "is_mobile",
            "note",
        ]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        orgs = restrict(Organization.objects.all(), user, "change").order_by("path")
        self.fields["organization"].queryset = orgs.exclude(kind=OrgKind.CELL).exclude(
            kind=OrgKind.LEADING_GROUP
        )
        self.fields["organization"].label_from_instance = _org_label
        self.fields["cell"].queryset = orgs.filter(kind=OrgKind.CELL).select_related("parent")
        self.fields["cell"].label_from_instance = lambda c: f"{c.parent.name} · {c.name}"
        self.fields["cell"].empty_label = "（不在党小组）"
        self.fields["organization"].empty_label = "请选择党支部"
        # A province administrator reaches 10,000 organizations and their 党小组: selects of them
        # all took the form seconds, so both are searches (core.lookup).
        org_lookup(
            self.fields["organization"],
            kinds=(OrgKind.ORGAN_COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH),
        )
        use_lookup(
            self.fields["cell"],
            "orgs:lookup",
            placeholder="党小组名称",
            hint="在上方输入名称查找党小组；不在党小组的不选。",
            params="cells=1&kind=cell",
        )
        if self.instance.pk:
            # Status changes carry a date and a reason: they go through their own form.
            del self.fields["status"]
        else:
            self.fields["status"].choices = [(s.value, s.label) for s in ACTIVE_STATUSES]
        self.fields["id_number"].help_text = "18位，最后一位可为X；系统会核对校验位。"
        # Fields other apps keep (the dues base), showing what that app holds now.
        held = (
            {field.key: value for field, value in extensions.shown(self.instance)} if self.instance.pk else {}
        )
        for field in extensions.registered():
            self.fields[field.key] = field.form_field()
            self.initial.setdefault(field.key, held.get(field.key))
        for name in ("gender", "education"):
            self.fields[name].choices = [("", "请选择"), *list(self.fields[name].choices)[1:]]
        self.name_errors()

    # The 花名册 fields in three groups, so the long form reads like the paper register.
    GROUPS = [
        (
            "基本信息",
            ["name", "gender", "ethnicity", "birth_date", "native_place", "education", "id_number", "phone"],
        ),
        ("工作单位", ["department", "job_title"]),
        (
            "党籍信息",
            ["organization", "cell", "status", "admission_date", "confirmation_date", "is_mobile"],
        ),
        ("党费及其他", ["dues_category", "note"]),
    ]

    @property
    def fieldsets(self) -> list[tuple[str, list[Any]]]:
        groups = [(legend, list(names)) for legend, names in self.GROUPS]
        for field in extensions.registered():
            for _legend, names in groups:
                if field.after in names:
                    names.insert(names.index(field.after) + 1, field.key)
        return [(legend, [self[name] for name in names if name in self.fields]) for legend, names in groups]

    def clean_id_number(self) -> str | None:
        value = normalize_id_number(self.cleaned_data.get("id_number") or "")
        if value:
            # The model's validator runs on the field before this; re-run it on the normalized value.
            from dangjian.members.validators import validate_id_number

            validate_id_number(value)
        return value or None

    def clean_name(self) -> str:
        return (self.cleaned_data.get("name") or "").strip()


class TransferOutForm(ChineseErrorsMixin, forms.Form):
    """组织关系转出: where to, when, the letter."""

    date = forms.DateField(label="转出日期")
    counterpart = forms.CharField(label="转往党组织", max_length=100)
    letter_number = forms.CharField(label="介绍信编号", max_length=50, required=False)
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = today()
        self.name_errors()

    def clean_date(self) -> Any:
        value = self.cleaned_data["date"]
        if value > today():
            raise forms.ValidationError("转出日期不能晚于今天。")
        return value

    def clean_counterpart(self) -> str:
        value = self.cleaned_data["counterpart"].strip()
        if not value:
            raise forms.ValidationError("请填写转往党组织。")
        return value


class StatusForm(ChineseErrorsMixin, forms.Form):
    """A dated status change: 转正, 去世, 出党 … (transfers out have their own form)."""

    status = forms.ChoiceField(label="新状态")
    date = forms.DateField(label="日期")
    reason = forms.CharField(label="原因", max_length=200, required=False)

    def __init__(self, *args: Any, member: Member, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", "请选择")] + [
            (s.value, s.label)
            for s in MemberStatus
            if s != member.status and s != MemberStatus.TRANSFERRED_OUT
        ]
        self.fields["date"].initial = today()
        self.name_errors()


class PostForm(ChineseErrorsMixin, forms.Form):
    """Appoint a member to a committee post in one organization."""

    kind = forms.ChoiceField(label="职务", choices=[("", "请选择")] + list(PostKind.choices))
    member = forms.ModelChoiceField(label="任职党员", queryset=Member.objects.none(), empty_label="请选择")
    started_on = forms.DateField(label="任职日期")

    def __init__(self, *args: Any, organization: Organization, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = restrict(Member.objects.active(), user, "change").select_related("organization")
        if organization.kind not in (OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE):
            members = members.filter(organization__path__startswith=organization.path)
        self.fields["member"].queryset = members.order_by("organization__path", "name")
        if organization.kind in (OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE):
            # Their posts may go to anyone in the user's reach, a province's 20,000 members: a
            # search. A branch's posts keep the select of its own few members.
            member_lookup(self.fields["member"])
        self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.organization.name}）"
        self.fields["started_on"].initial = today()
        self.name_errors()


class PostEndForm(ChineseErrorsMixin, forms.Form):
    ended_on = forms.DateField(label="卸任日期")

    def __init__(self, *args: Any, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.post = post
        self.fields["ended_on"].initial = today()
        self.name_errors()
