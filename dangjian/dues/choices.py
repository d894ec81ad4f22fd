"""Choices for the dues ledger (党费)."""

from __future__ import annotations

from django.db import models

from dangjian.members.choices import DuesCategory

__all__ = ["BaseSource", "DuesCategory", "PaymentMethod", "ReductionKind"]


class PaymentMethod(models.TextChoices):
    CASH = "cash", "现金"
    TRANSFER = "transfer", "转账"
    WECHAT = "wechat", "微信"
    ALIPAY = "alipay", "支付宝"
    PAYROLL = "payroll", "工资代扣"
    OTHER = "other", "其他"


class ReductionKind(models.TextChoices):
    REDUCED = "reduced", "少交"
    EXEMPT = "exempt", "免交"


class BaseSource(models.TextChoices):
    IMPORT = "import", "Excel导入"
    MANUAL = "manual", "逐人录入"
    ROSTER = "roster", "花名册"
