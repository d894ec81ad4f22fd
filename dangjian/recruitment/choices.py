"""Stages, case states and step kinds of the admission pipeline (names from GLOSSARY.md)."""

from __future__ import annotations

from django.db import models


class Stage(models.TextChoices):
    """The five stages of the 中组部 flowchart."""

    APPLICATION = "application", "入党申请人"
    ACTIVIST = "activist", "入党积极分子"
    CANDIDATE = "candidate", "发展对象"
    ADMISSION = "admission", "预备党员接收"
    PROBATION = "probation", "预备党员"


class CaseStatus(models.TextChoices):
    OPEN = "open", "进行中"
    COMPLETED = "completed", "已转正归档"
    CANCELLED = "cancelled", "已取消预备党员资格"
    CLOSED = "closed", "已终止"


class StepKind(models.TextChoices):
    """A numbered flowchart step, or one of the events beside the 25 steps."""

    STEP = "step", "流程步骤"
    EXTENSION = "extension", "延长预备期"
    CANCELLATION = "cancellation", "取消预备党员资格"
    CLOSURE = "closure", "终止发展"


class DueReason(models.TextChoices):
    """Why a case appears on the "due this month" list."""

    TALK = "talk", "应谈话"
    REVIEW = "review", "半年考察到期"
    APPROVAL = "approval", "待上级审批"
    PROBATION_END = "probation_end", "预备期满"
    DEADLINE = "deadline", "期限将至"
