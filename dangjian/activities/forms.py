"""Forms for planning, recording and the small side records (talks, make-up, reflections)."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from dangjian.activities.choices import ActivityStatus, AttachmentKind, AttendanceStatus
from dangjian.activities.models import Activity, ActivityType, Reflection
from dangjian.activities.roster import member_votes_on, roster
from dangjian.core.concurrency import EditConflictMixin
from dangjian.core.dates import today
from dangjian.core.lookup import member_lookup, org_lookup, use_lookup
from dangjian.core.scope import get_scope, restrict
from dangjian.members.choices import ACTIVE_STATUSES
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def writable_orgs(user: Any) -> Any:
    """Organizations a user may plan for (a 党小组会 is the cell's own activity)."""
    scope = get_scope(user)
    qs = Organization.objects.order_by("path")
    if not scope.can_write:
        return qs.none()
    return restrict(qs, user)


def member_choices(user: Any) -> Any:
    return restrict(Member.objects.filter(status__in=ACTIVE_STATUSES), user).select_related("organization")


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Member) -> str:  # type: ignore[override]
        return f"{obj.name}（{obj.organization.short_name or obj.organization.name}）"


class TypeMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class PlanForm(forms.ModelForm):
    also_counts_as = TypeMultipleChoiceField(
        ActivityType.objects.none(),
        required=False,
        label="同时计为",
        help_text="如主题党日中包含一次党课，勾选“党课”，两类各计一次。",
    )
    cells = forms.ModelMultipleChoiceField(
        Organization.objects.none(),
        required=False,
        label="参加党小组",
        widget=forms.CheckboxSelectMultiple,
        help_text="只由部分党小组参加时勾选；不勾选为全体党员。",
    )
    confirm_past = forms.BooleanField(
        required=False,
        label="确认计划时间已过",
        help_text="计划时间早于现在时须勾选（补报计划）。",
    )

    class Meta:
        model = Activity
        fields = [
            "organization",
            "activity_type",
            "topic",
            "planned_at",
            "place",
            "host",
            "lecturer",
            "lecturer_name",
            "is_first_agenda",
            "agenda",
        ]
        widgets = {"planned_at": DateTimeLocalInput(), "agenda": forms.Textarea(attrs={"rows": 3})}
        field_classes = {"host": MemberChoiceField, "lecturer": MemberChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = writable_orgs(user)
        self.fields["organization"].queryset = orgs
        self.fields["activity_type"].queryset = ActivityType.objects.filter(active=True).exclude(code="talk")
        self.fields["also_counts_as"].queryset = ActivityType.objects.filter(active=True)
        self.fields["cells"].queryset = restrict(Organization.objects.filter(kind=OrgKind.CELL), user)
        self.fields["planned_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["planned_at"].required = True
        for name in ("host", "lecturer"):
            self.fields[name].queryset = member_choices(user)
        # A province administrator reaches 10,000 organizations (their 党小组 among them) and
        # 20,000 members: selects of them all took the form seconds, so these are searches.
        org_lookup(self.fields["organization"], cells=True)
        use_lookup(
            self.fields["cells"],
            "orgs:lookup",
            multiple=True,
            placeholder="党小组名称",
            hint="在上方输入名称查找党小组；不选为全体党员。",
            params="cells=1&kind=cell",
        )
        member_lookup(self.fields["host"])
        member_lookup(self.fields["lecturer"])
        if self.instance.pk:
            self.initial["also_counts_as"] = list(self.instance.also_counts_as.values_list("pk", flat=True))
            self.initial["cells"] = list(self.instance.cells.values_list("pk", flat=True))
        # The user's only organization, or the one their role is for (a secretary's branch rather
        # than one of its 党小组), is chosen already.
        own = get_scope(user).org_id
        if orgs.count() == 1:
            self.initial.setdefault("organization", orgs.first().pk)
        elif own and orgs.filter(pk=own).exists():
            self.initial.setdefault("organization", own)
        # Asked only once a past time has been entered (see clean_planned_at), not on a blank form.
        if not self.is_bound:
            del self.fields["confirm_past"]

    def clean_planned_at(self) -> Any:
        planned_at = self.cleaned_data.get("planned_at")
        if planned_at and planned_at < timezone.now() and not self.data.get("confirm_past"):
            raise forms.ValidationError(
                f"计划时间 {timezone.localtime(planned_at):%Y-%m-%d %H:%M} 早于现在。"
                "如确是补报已定的计划，请勾选下方“确认计划时间已过”后再保存；否则请改为将来的时间。"
            )
        return planned_at


class RecordForm(EditConflictMixin, forms.ModelForm):
    conflict_on_any_change = True  # attendance lives beside the form
    also_counts_as = TypeMultipleChoiceField(ActivityType.objects.none(), required=False, label="同时计为")
    guests = forms.CharField(
        label="列席人员",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="非本组织人员，每行一个姓名。",
    )

    class Meta:
        model = Activity
        fields = [
            "topic",
            "held_at",
            "place",
            "host",
            "lecturer",
            "lecturer_name",
            "is_first_agenda",
            "agenda",
            "decisions",
            "minutes",
            "has_vote",
            "vote_subject",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "is_highlight",
            "highlight_text",
        ]
        widgets = {
            "held_at": DateTimeLocalInput(),
            "agenda": forms.Textarea(attrs={"rows": 3}),
            "decisions": forms.Textarea(attrs={"rows": 3}),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "highlight_text": forms.Textarea(attrs={"rows": 2}),
        }
        field_classes = {"host": MemberChoiceField, "lecturer": MemberChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        activity: Activity = self.instance
        self.fields["held_at"].required = True
        self.fields["held_at"].input_formats = [DATETIME_FORMAT, "%Y-%m-%d %H:%M"]
        self.fields["also_counts_as"].queryset = activity.activity_type.may_also_count_as.all()
        self.initial["also_counts_as"] = list(activity.also_counts_as.values_list("pk", flat=True))
        self.initial["guests"] = "\n".join(
            activity.attendances.filter(member__isnull=True).values_list("guest_name", flat=True)
        )
        if not activity.held_at and activity.planned_at:
            self.initial["held_at"] = activity.planned_at
        for name in ("host", "lecturer"):
            self.fields[name].queryset = member_choices(user)
            member_lookup(self.fields[name])  # the user's whole reach: a search, not a select
        if activity.activity_type.code != "general_meeting":
            for name in ("has_vote", "vote_subject", "votes_for", "votes_against", "votes_abstain"):
                del self.fields[name]

    def guest_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("guests", "").splitlines() if line.strip()]


class AttendanceGridForm(forms.Form):
    """The attendance grid of a record: one status and leave reason per member on the day's roster.

    The roster is the organization's (or the chosen cells', or the committee's) on the day the
    activity was held, read from the submitted 召开时间 when there is one. The form only collects;
    the rules (a reason for leave, nobody left out, quorum) are checked once, in ``do_record``.
    """

    def __init__(self, data: Any = None, *, activity: Activity) -> None:
        super().__init__(data)
        self.activity = activity
        self.day = self._day(data)
        self.members = roster(
            activity.organization, self.day, list(activity.cells.all()), activity.activity_type.code
        )
        existing = {a.member_id: a for a in activity.attendances.filter(member__isnull=False)}
        # After 扫码签到 the list is what happened: who did not sign in starts as absent.
        # member id → the scan-in row, to show who signed in (and who was late) beside the buttons.
        self.signed = {pk: a for pk, a in existing.items() if a.signed_in_at}
        signed = bool(self.signed)
        default = AttendanceStatus.ABSENT if signed else AttendanceStatus.PRESENT
        for member in self.members:
            row = existing.get(member.pk)
            self.fields[f"att-{member.pk}"] = forms.ChoiceField(
                choices=AttendanceStatus.choices,
                initial=row.status if row else default,
                required=False,
                label=member.name,
            )
            self.fields[f"reason-{member.pk}"] = forms.CharField(
                initial=row.leave_reason if row else "", required=False, max_length=100
            )

    def _day(self, data: Any) -> datetime.date:
        activity = self.activity
        when = activity.held_at or activity.planned_at or timezone.now()
        if data is not None:
            for fmt in (DATETIME_FORMAT, "%Y-%m-%d %H:%M"):
                try:
                    when = timezone.make_aware(datetime.datetime.strptime(data.get("held_at", ""), fmt))
                    break
                except ValueError:
                    continue
        return timezone.localdate(when) if when <= timezone.now() else today()

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(name, "") or "")
        return str(self.fields[name].initial or "")

    @property
    def rows(self) -> list[dict[str, Any]]:
        """One row per member for the template: who, the chosen status, the reason, a vote."""
        return [
            {
                "member": m,
                "status": self._value(f"att-{m.pk}") or AttendanceStatus.PRESENT,
                "reason": self._value(f"reason-{m.pk}"),
                "voter": member_votes_on(m, self.day),
                "signed": self.signed.get(m.pk),
            }
            for m in self.members
        ]

    def attendance(self) -> dict[int, tuple[str, str]]:
        """member id → (status, leave reason) as submitted, for ``do_record`` to check and write.

        Every ``att-<id>`` posted is passed on, also for someone not on the roster, so that the
        action refuses it with a message instead of the form dropping it unseen.
        """
        found: dict[int, tuple[str, str]] = {}
        for key in self.data:
            if key.startswith("att-") and key[4:].isdecimal():
                found[int(key[4:])] = (self.data.get(key, ""), self.data.get(f"reason-{key[4:]}", ""))
        return found


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因", max_length=200, widget=forms.TextInput(attrs={"placeholder": "填写原因"})
    )


class MakeupForm(forms.Form):
    makeup_on = forms.DateField(label="补学日期", widget=DateInput())
    note = forms.CharField(label="补学内容", max_length=200)


class TalkForm(forms.Form):
    kind = forms.ChoiceField(label="谈话类别", required=False)
    party_a = MemberChoiceField(Member.objects.none(), label="谈话人")
    party_b = MemberChoiceField(Member.objects.none(), label="谈话对象")
    held_on = forms.DateField(label="谈话日期", widget=DateInput())
    topic = forms.CharField(label="谈话主题", max_length=200)
    place = forms.CharField(label="地点", max_length=100, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["party_a"].queryset = member_choices(user)
        self.fields["party_b"].queryset = member_choices(user)
        member_lookup(self.fields["party_a"])
        member_lookup(self.fields["party_b"])
        from dangjian.activities.choices import TALK_TYPES

        # 谈心谈话 and the integrity talks (廉政谈话、提醒谈话、诫勉谈话) are recorded alike.
        names = dict(
            ActivityType.objects.filter(code__in=TALK_TYPES, active=True).values_list("code", "name")
        )
        self.fields["kind"].choices = [(code, names[code]) for code in TALK_TYPES if code in names]


class AttachmentForm(forms.Form):
    file = forms.FileField(label="文件")
    kind = forms.ChoiceField(label="类别", choices=AttachmentKind.choices)


class DrawForm(forms.Form):
    count = forms.IntegerField(label="抽取人数", min_value=1, max_value=50, initial=2)


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["member", "activity", "title", "submitted_on", "text"]
        labels = {
            "member": "党员",
            "activity": "相关活动",
        }  # the model's foreign keys have no Chinese verbose_name
        widgets = {"submitted_on": DateInput(), "text": forms.Textarea(attrs={"rows": 6})}
        field_classes = {"member": MemberChoiceField}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = member_choices(user)
        member_lookup(self.fields["member"])
        # The latest 200 activities: bounded, so a select still.
        self.fields["activity"].queryset = (
            restrict(Activity.objects.filter(status__in=[ActivityStatus.HELD, ActivityStatus.VERIFIED]), user)
            .select_related("organization", "activity_type")
            .order_by("-held_on")[:200]
        )
        self.fields["activity"].required = False


class ActivityTypeForm(forms.ModelForm):
    may_also_count_as = TypeMultipleChoiceField(
        ActivityType.objects.all(), required=False, label="可同时计为"
    )

    class Meta:
        model = ActivityType
        fields = ["code", "name", "counts_as_org_life", "takes_attendance", "order", "active", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["may_also_count_as"].queryset = ActivityType.objects.exclude(pk=self.instance.pk)
            self.initial["may_also_count_as"] = list(
                self.instance.may_also_count_as.values_list("pk", flat=True)
            )
            if self.instance.is_builtin:
                self.fields["code"].disabled = True
