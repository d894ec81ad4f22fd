"""Choices of the responsibility system: duty kinds, item status, letters, key tasks."""

from __future__ import annotations

from django.db import models


class DutyKind(models.TextChoices):
    MAIN = "main", "主体责任"
    FIRST = "first", "第一责任人责任"
    DUAL = "dual", "一岗双责"
    SUPERVISION = "supervision", "监督责任"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "未开始"
    IN_PROGRESS = "in_progress", "推进中"
    DONE = "done", "已完成"
    DROPPED = "dropped", "已取消"


OPEN_ITEM_STATUSES = (ItemStatus.PLANNED, ItemStatus.IN_PROGRESS)


class LetterKind(models.TextChoices):
    RESPONSIBILITY = "responsibility", "责任书"
    PLEDGE = "pledge", "承诺书"


class KeyTaskKind(models.TextChoices):
    EMERGENCY = "emergency", "应急值守"
    FLOOD = "flood", "防汛抗灾"
    EPIDEMIC = "epidemic", "疫情防控"
    RURAL = "rural", "乡村振兴"
    PLANNING = "planning", "规划编制"
    REFORM = "reform", "改革攻坚"
    OTHER = "other", "其他中心工作"
