"""Forms of the responsibility ledgers: organizations limited to where the user writes, people to
the chosen organization's subtree (a province-wide drop-down of every member would not load)."""

from __future__ import annotations

from typing import Any

from django import forms

from dangjian.core.dates import today
from dangjian.core.lookup import member_lookup, org_lookup, use_lookup
from dangjian.core.scope import restrict
from dangjian.duties.models import BusinessResult, KeyTask, Letter, Liaison, ResponsibilityItem
from dangjian.members.models import Member
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("format", "%Y-%m-%d")
        super().__init__(**kwargs)


def writable_orgs(user: Any, *kinds: str) -> Any:
    orgs = restrict(Organization.objects.active(), user, "change").exclude(kind=OrgKind.CELL)
    return orgs.filter(kind__in=kinds) if kinds else orgs


def people_of(org: Organization | None, user: Any) -> Any:
    """Active members a record may name: the organization's subtree (the whole reach without one)."""
    members = Member.objects.active().select_related("organization").order_by("organization__path", "name")
    if org is None:
        return restrict(members, user)
    return restrict(members.filter(organization__path__startswith=org.path), user)


def leaders(user: Any) -> Any:
    """Members holding a current 党组 post: the people who liaise with branches."""
    from dangjian.duties.due import LEADERSHIP_POSTS
    from dangjian.members.models import Post

    posts = Post.objects.current(today()).filter(
        organization__kind=OrgKind.LEADING_GROUP, kind__in=LEADERSHIP_POSTS
    )
    return Member.objects.filter(pk__in=posts.values("member_id")).order_by("name")


class LedgerForm(forms.ModelForm):
    """Base: pick the organization field's choices and the people of the chosen organization."""

    org_field = "organization"
    org_kinds: tuple[str, ...] = ()
    people_fields: tuple[str, ...] = ()
    # The people fields as searches (not when the form narrows them further than an organization).
    lookup_people = True

    def __init__(self, *args: Any, user: Any, org: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if self.org_field and self.org_field in self.fields:
            self.fields[self.org_field].queryset = writable_orgs(user, *self.org_kinds)
            chosen = self._chosen_org() or org or self._own_org()
            if chosen is not None and not self.is_bound and not self.instance.pk:
                if not self.initial.get(self.org_field):
                    self.initial[self.org_field] = chosen.pk
        else:
            chosen = org
        for name in self.people_fields:
            if name in self.fields:
                self.fields[name].queryset = people_of(chosen, user)
                self.fields[name].label_from_instance = lambda m: f"{m.name}（{m.organization.name}）"
        # Searches, not selects: a province reaches 10,000 organizations and 17,000 members (a
        # form of them all took 5–10 s). The people are searched within the chosen organization.
        if self.org_field and self.org_field in self.fields:
            org_lookup(self.fields[self.org_field], kinds=self.org_kinds)
        for name in self.people_fields:
            if name in self.fields and self.lookup_people:
                member_lookup(self.fields[name], within=chosen)
        for field in self.fields.values():
            if isinstance(field, forms.DateField):
                field.widget = DateInput()

    def _own_org(self) -> Organization | None:
        """A branch officer's own organization, the usual choice (None for agency-wide roles)."""
        from dangjian.core.scope import get_scope

        scope = get_scope(self.user)
        if scope.whole_agency or not scope.org_id:
            return None
        return self.fields[self.org_field].queryset.filter(pk=scope.org_id).first()

    def _chosen_org(self) -> Organization | None:
        raw = str(self.data.get(self.org_field) or "").strip() if self.is_bound else ""
        if raw:
            # a value that is no id names no organization: the field's own error says so
            return (
                writable_orgs(self.user).filter(pk=int(raw)).first()
                if raw.isdecimal() and raw.isascii()
                else None
            )
        return (
            getattr(self.instance, self.org_field, None)
            if getattr(self.instance, f"{self.org_field}_id", None)
            else None
        )


class ItemForm(LedgerForm):
    people_fields = ("responsible",)

    class Meta:
        model = ResponsibilityItem
        fields = [
            "organization",
            "year",
            "duty_kind",
            "task",
            "responsible",
            "deadline",
            "status",
            "done_on",
            "evidence",
        ]
        widgets = {"evidence": forms.Textarea(attrs={"rows": 3}), "task": forms.TextInput(attrs={"size": 60})}


class CompleteForm(forms.Form):
    done_on = forms.DateField(label="完成日期", widget=DateInput())
    evidence = forms.CharField(
        label="完成情况及佐证", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(label="退回原因", max_length=200)


class LiaisonForm(LedgerForm):
    org_field = "branch"
    org_kinds = (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH)

    class Meta:
        model = Liaison
        fields = ["leader", "branch", "started_on", "ended_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders(self.user)


def signers(user: Any) -> Any:
    """Members who must sign the year's responsibility letter (holders of the obliged posts)."""
    from dangjian.duties.due import obliged_posts

    return people_of(None, user).filter(pk__in=obliged_posts(user, today()).values("member_id"))


class LetterForm(LedgerForm):
    org_field = ""  # the people are the signer's organization's, given by the page
    people_fields = ("signer", "counterpart")
    lookup_people = False  # signers are post holders (their own lookup), counterparts leaders (few)

    class Meta:
        model = Letter
        fields = [
            "kind",
            "title",
            "year",
            "signer",
            "counterpart",
            "counterpart_org",
            "signed_on",
            "document",
        ]

    def __init__(self, *args: Any, org: Organization | None = None, **kwargs: Any) -> None:
        super().__init__(*args, org=org, **kwargs)
        # Letters are signed with the 党组 or the 机关党委 (or with a person of the 党组).
        self.fields["counterpart_org"].queryset = Organization.objects.active().filter(
            kind__in=(OrgKind.LEADING_GROUP, OrgKind.ORGAN_COMMITTEE)
        )
        self.fields["counterpart_org"].required = False
        self.fields["counterpart"].queryset = leaders(self.user)
        self.fields["counterpart"].label_from_instance = lambda m: m.name
        if org is None:
            # Without a chosen organization: those who must sign (leaders and secretaries).
            self.fields["signer"].queryset = signers(self.user)
            # A province has thousands of them (the form took over a second): a search.
            use_lookup(
                self.fields["signer"],
                "duties:signer-lookup",
                placeholder="姓名、拼音首字母或支部",
                hint="在上方输入姓名或支部名称，查找须签订责任书的领导班子成员和书记。",
            )
        else:
            member_lookup(self.fields["signer"], within=org)

    def clean_document(self) -> Any:
        """A scan is a PDF or a photo, judged by its bytes, at most 20 MB."""
        from pathlib import Path

        from dangjian.core.uploads import sniff

        upload = self.cleaned_data.get("document")
        if not upload or not hasattr(upload, "size") or getattr(upload, "_committed", False):
            return upload
        kinds = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
        suffix = Path(upload.name).suffix.lower()
        if suffix not in kinds:
            raise forms.ValidationError(f"文件“{upload.name}”的类型不支持，扫描件只能是 PDF、JPG 或 PNG。")
        if upload.size > 20 * 1024 * 1024 or upload.size == 0:
            raise forms.ValidationError(f"文件“{upload.name}”是空文件或超过20MB。")
        if sniff(upload.file if hasattr(upload, "file") else upload) != kinds[suffix]:
            raise forms.ValidationError(f"文件“{upload.name}”的内容与扩展名不符。")
        return upload


class KeyTaskForm(LedgerForm):
    people_fields = ("lead",)

    class Meta:
        model = KeyTask
        fields = [
            "organization",
            "year",
            "kind",
            "name",
            "started_on",
            "ended_on",
            "lead",
            "people",
            "person_days",
            "amount",
            "description",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class ResultForm(LedgerForm):
    period_code = forms.CharField(label="期间", help_text="如 2026、2026H1、2026Q3、2026-05")

    class Meta:
        model = BusinessResult
        fields = ["organization", "name", "value", "unit", "source_document", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["period_code"] = self.instance.period.code
        self.order_fields(["organization", "name", "value", "unit", "period_code", "source_document", "note"])

    def clean_period_code(self) -> Any:
        from dangjian.core.period import Period, PeriodError

        try:
            period = Period.parse(self.cleaned_data["period_code"])
        except PeriodError as exc:
            raise forms.ValidationError(str(exc)) from None
        self.instance.period = period
        return period.code
