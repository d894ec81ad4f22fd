"""Choices of campaigns, service to the public and research projects."""

from __future__ import annotations

from django.db import models


class CampaignKind(models.TextChoices):
    THEME_EDUCATION = "theme_education", "主题教育"
    HISTORY_STUDY = "history_study", "党史学习教育"
    DISCIPLINE_STUDY = "discipline_study", "党纪学习教育"
    RECTIFICATION = "rectification", "专项整治"
    OTHER = "other", "其他专项活动"


class TeamKind(models.TextChoices):
    LEADING_GROUP = "leading_group", "领导小组"
    WORKING_TEAM = "working_team", "工作专班"


class PledgeSource(models.TextChoices):
    SURVEY = "survey", "调研走访"
    VISIT = "visit", "上门走访"
    HOTLINE = "hotline", "热线电话"
    INSPECTION = "inspection", "督查检查"
    FORUM = "forum", "座谈会"
    ONLINE = "online", "网上留言"
    OTHER = "other", "其他"


class PledgeCategory(models.TextChoices):
    POLICY = "policy", "政策落实"
    SERVICE = "service", "办事服务"
    LIVELIHOOD = "livelihood", "民生保障"
    ENTERPRISE = "enterprise", "惠企服务"
    GRASSROOTS = "grassroots", "基层减负"
    OTHER = "other", "其他"


class PledgeStatus(models.TextChoices):
    OPEN = "open", "办理中"
    SOLVED = "solved", "已办结"
    MECHANISM = "mechanism", "形成长效机制"


class BeneficiaryUnit(models.TextChoices):
    PEOPLE = "people", "人"
    ENTERPRISES = "enterprises", "家企业"
    HOUSEHOLDS = "households", "户"


class ProjectStatus(models.TextChoices):
    ONGOING = "ongoing", "进行中"
    FINISHED = "finished", "已结题"


class OutputKind(models.TextChoices):
    REPORT = "report", "调研报告"
    PROPOSAL = "proposal", "政策建议"
    ARTICLE = "article", "理论文章"
    OTHER = "other", "其他成果"
