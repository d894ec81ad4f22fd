"""Choices of honours and internal selections."""

from __future__ import annotations

from django.db import models


class HonourLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    MUNICIPAL = "municipal", "市级"
    DISTRICT = "district", "县区级"
    INTERNAL = "internal", "本机关"


class SelectionKind(models.TextChoices):
    STAR_MEMBER = "star_member", "星级党员"
    EXCELLENT_MEMBER = "excellent_member", "优秀共产党员"
    EXCELLENT_WORKER = "excellent_worker", "优秀党务工作者"
    ADVANCED_BRANCH = "advanced_branch", "先进基层党组织"
    MODEL_BRANCH = "model_branch", "标准化规范化建设示范党支部"
    OTHER = "other", "其他评选"


class NomineeResult(models.TextChoices):
    NOMINATED = "nominated", "已推荐"
    SHORTLISTED = "shortlisted", "入围"
    SELECTED = "selected", "当选"
    NOT_SELECTED = "not_selected", "未当选"
