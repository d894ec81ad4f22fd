"""Choices for the roster (花名册)."""

from __future__ import annotations

from django.db import models


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class Education(models.TextChoices):
    DOCTORATE = "doctorate", "博士研究生"
    MASTER = "master", "硕士研究生"
    BACHELOR = "bachelor", "大学本科"
    COLLEGE = "college", "大学专科"
    SECONDARY = "secondary", "中专"
    HIGH_SCHOOL = "high_school", "高中"
    JUNIOR = "junior", "初中及以下"


class MemberStatus(models.TextChoices):
    PROBATIONARY = "probationary", "预备党员"
    FULL = "full", "正式党员"
    TRANSFERRED_OUT = "transferred_out", "已转出"
    DECEASED = "deceased", "已去世"
    REMOVED = "removed", "已出党"


# Statuses of people still on the roll of an organization of this agency.
ACTIVE_STATUSES = (MemberStatus.PROBATIONARY, MemberStatus.FULL)


class DuesCategory(models.TextChoices):
    IN_SERVICE = "in_service", "在职"
    RETIRED = "retired", "离退休"
    FARMER = "farmer", "农民"
    STUDENT = "student", "学生"
    UNEMPLOYED = "unemployed", "下岗失业"
    ALLOWANCE = "allowance", "低保"


# Words officers write for a dues category besides its label (every Excel import reads these).
DUES_CATEGORY_WORDS = {
    "离休": DuesCategory.RETIRED,
    "退休": DuesCategory.RETIRED,
    "离退休干部": DuesCategory.RETIRED,
}


class TransferDirection(models.TextChoices):
    IN = "in", "转入"
    OUT = "out", "转出"


# Age bands offered by the roster filter: (code, label, min age, max age inclusive).
AGE_BANDS: list[tuple[str, str, int, int]] = [
    ("u35", "35岁及以下", 0, 35),
    ("36_45", "36至45岁", 36, 45),
    ("46_55", "46至55岁", 46, 55),
    ("56_60", "56至60岁", 56, 60),
    ("o60", "60岁以上", 61, 200),
]
