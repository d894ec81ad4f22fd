"""Choices of integrity work: the unit's rules, expense categories."""

from __future__ import annotations

from django.db import models


class RuleKind(models.TextChoices):
    INTEGRITY = "integrity", "廉政建设"
    DECISION = "decision", "议事决策（三重一大）"
    FINANCE = "finance", "财务管理"
    STYLE = "style", "作风建设"
    OFFICIAL_RECEPTION = "reception", "公务接待"
    OTHER = "other", "其他"
