"""Forms for the dues pages. Amounts stay text until the action parses them as Decimal."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from dangjian.core.dates import today
from dangjian.dues.allocation import parse_month
from dangjian.dues.choices import DuesCategory, PaymentMethod, ReductionKind


class MonthInput(forms.TextInput):
    """A month typed as 2026-11 (a plain text box: browsers show type=month in their own language)."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(
            {"placeholder": "如 2026-11", "inputmode": "numeric", "autocomplete": "off", **(attrs or {})}
        )

    def format_value(self, value: Any) -> str | None:
        if isinstance(value, datetime.date):
            return value.strftime("%Y-%m")
        return super().format_value(value)


class MonthField(forms.CharField):
    """A month as 2026-11 (the browser's month picker), cleaned to the month's first day."""

    widget = MonthInput

    def to_python(self, value: Any) -> datetime.date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_month(text)
        except ValueError as exc:
            raise ValidationError(str(exc)) from exc


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put an action's field errors on the form (unknown fields become form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for name, messages in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, exc.messages)


class PaymentForm(forms.Form):
    amount = forms.CharField(
        label="交纳金额（元）", max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal"})
    )
    paid_on = forms.DateField(
        label="交纳日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    method = forms.ChoiceField(label="交纳方式", choices=PaymentMethod.choices, initial=PaymentMethod.WECHAT)
    receipt_number = forms.CharField(label="收据号", max_length=40)
    first_month = MonthField(
        label="从哪个月起计入",
        required=False,
        help_text="不填则先补最早的欠交月份，再依次预交以后月份。",
    )
    is_extra = forms.BooleanField(
        label="自愿多交党费（不抵每月应交）",
        required=False,
        help_text="一次性自愿多交1000元以上的，全部上缴中央（党费规定第十一条）。",
    )
    override_reason = forms.CharField(
        label="越限补交原因",
        max_length=200,
        required=False,
        help_text="补交一般不超过6个月（党费规定第十二条）；确需补交更早月份时填写，记入审计日志。",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["paid_on"].initial = today()


class BaseForm(forms.Form):
    effective_month = MonthField(label="起始月份", help_text="从领取新工资的当月起执行（党费规定第十条）。")
    category = forms.ChoiceField(label="党费类别", choices=DuesCategory.choices)
    amount = forms.CharField(
        label="交纳基数（元/月）",
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        help_text="税后固定月收入；农民党员填写本人选定的每月交纳额（0.2至1元）；学生、下岗失业、低保填0。",
    )
    note = forms.CharField(label="备注", max_length=200, required=False)


class ReductionForm(forms.Form):
    kind = forms.ChoiceField(label="方式", choices=ReductionKind.choices)
    amount = forms.DecimalField(
        label="减免后每月交纳（元）",
        required=False,
        min_value=0,
        decimal_places=2,
        max_digits=12,
        help_text="少交时填写；免交不填。",
    )
    first_month = MonthField(label="起始月份")
    last_month = MonthField(label="截止月份")
    reason = forms.CharField(label="困难情况", max_length=200)
    approved_by = forms.CharField(
        label="审批党组织", max_length=100, help_text="支部审核，上级党委批准（党费规定第七条）。"
    )
    approver = forms.CharField(label="审批人", max_length=50, required=False)
    approved_on = forms.DateField(
        label="批准日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    document_number = forms.CharField(label="批准文号", max_length=60)


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel文件（.xlsx）")
    month = MonthField(
        label="月份", help_text="基数表：新基数的起始月份；交纳表：未填“交纳月份”的行计入此月。"
    )
    dry_run = forms.BooleanField(label="仅检查，不写入（试导入）", required=False, initial=True)
