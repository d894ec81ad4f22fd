"""Forms of the reports pages: a new draft, the officer's inputs, editing, genres, proofreading."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dangjian.core.period import Period, PeriodError
from dangjian.core.scope import restrict
from dangjian.orgs.choices import OrgKind
from dangjian.orgs.models import Organization
from dangjian.reports.models import Draft, Genre, validate_genre_body


def subject_choices(org: Organization | None) -> Any:
    """Who may be a 述职报告's subject: the current committee post holders of the organization."""
    from dangjian.members.models import Member, Post

    if org is None:
        return Member.objects.none()
    holders = Post.objects.current().filter(organization=org).values("member_id")
    return Member.objects.filter(pk__in=holders).order_by("name")


class NewDraftForm(forms.Form):
    genre = forms.ModelChoiceField(queryset=Genre.objects.none(), label="文体", empty_label=None)
    organization = forms.ModelChoiceField(
        queryset=Organization.objects.none(), label="党组织", empty_label=None
    )
    period = forms.CharField(
        label="期间",
        max_length=30,
        help_text="如 2022（全年）、2022H1（上半年）、2022Q3（三季度）、2022-05（5月）",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["genre"].queryset = restrict(Genre.objects.all(), user)
        self.fields["organization"].queryset = restrict(
            Organization.objects.exclude(kind=OrgKind.CELL), user
        ).order_by("path")

    def clean_period(self) -> Period:
        try:
            return Period.parse(self.cleaned_data["period"])
        except PeriodError as exc:
            raise ValidationError(str(exc)) from exc


class InputsForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = subject_choices(self.instance.organization)
        self.fields["subject"].empty_label = "（默认：该党组织书记）"

    class Meta:
        model = Draft
        fields = ["title", "subject", "opening", "problems", "next_steps", "signer"]
        widgets = {
            "opening": forms.Textarea(attrs={"rows": 4}),
            "problems": forms.Textarea(
                attrs={
                    "rows": 5,
                    "placeholder": "每行一条，如：学用结合还不够紧密，理论学习成果转化不够充分。",
                }
            ),
            "next_steps": forms.Textarea(
                attrs={"rows": 5, "placeholder": "每行一条，如：每月至少开展1次中心组集中学习。"}
            ),
        }


class ExportForm(forms.Form):
    """Export a saved version: the format and the 成文日期 under the signature (today by default)."""

    FORMATS = [("docx", "Word（.docx）"), ("pdf", "PDF"), ("txt", "纯文本")]

    fmt = forms.ChoiceField(label="格式", choices=FORMATS, error_messages={"required": "请选择导出格式。"})
    date = forms.DateField(
        label="成文日期",
        help_text="落款下的日期，默认今天；按 GB/T 9704 写作“2026年5月8日”。",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"],
        error_messages={"required": "请填写成文日期。", "invalid": "成文日期应为 2026-05-08 这样的日期。"},
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from dangjian.core.dates import today

        super().__init__(*args, **kwargs)
        self.fields["date"].initial = today()


class GenreForm(forms.ModelForm):
    body_text = forms.CharField(
        label="模板（JSON）", widget=forms.Textarea(attrs={"rows": 24, "class": "mono"})
    )

    class Meta:
        model = Genre
        fields = ["name", "code", "description"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk or self.instance.body:
            self.fields["body_text"].initial = json.dumps(self.instance.body, ensure_ascii=False, indent=2)

    def clean_body_text(self) -> dict[str, Any]:
        text = self.cleaned_data["body_text"]
        try:
            body = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValidationError(
                f"模板不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}。"
            ) from exc
        validate_genre_body(body)
        return body

    def save(self, commit: bool = True) -> Genre:
        self.instance.body = self.cleaned_data["body_text"]
        return super().save(commit=commit)


class ProofreadForm(forms.Form):
    text = forms.CharField(label="文稿", required=False, widget=forms.Textarea(attrs={"rows": 14}))
    upload = forms.FileField(label="或上传 .docx / .txt 文件", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("text") and not data.get("upload"):
            raise ValidationError("请粘贴文稿或上传文件。")
        return data
