"""Choices of the rectification ledger: where a finding came from, its state, inspections."""

from __future__ import annotations

from django.db import models


class FindingSource(models.TextChoices):
    INSPECTION = "inspection", "巡察"
    DEMOCRATIC_LIFE = "democratic_life", "民主生活会"
    ORG_LIFE = "org_life", "组织生活会"
    CAMPAIGN = "campaign", "专项整治"
    AUDIT = "audit", "审计"
    FUND_CHECK = "fund_check", "专项资金检查"
    SUPERVISION = "supervision", "督查检查"
    SELF = "self", "自查自纠"


class FindingStatus(models.TextChoices):
    OPEN = "open", "整改中"
    CLOSED = "closed", "已销号"


class InspectionKind(models.TextChoices):
    INSPECTION = "inspection", "巡察"
    AUDIT = "audit", "审计"
    FUND_CHECK = "fund_check", "专项资金检查"
    SUPERVISION = "supervision", "督查检查"


# The finding source that an inspection of each kind produces.
SOURCE_OF_INSPECTION = {
    InspectionKind.INSPECTION: FindingSource.INSPECTION,
    InspectionKind.AUDIT: FindingSource.AUDIT,
    InspectionKind.FUND_CHECK: FindingSource.FUND_CHECK,
    InspectionKind.SUPERVISION: FindingSource.SUPERVISION,
}
# Meetings whose records a finding may come from.
MEETING_SOURCES = {
    FindingSource.DEMOCRATIC_LIFE: "democratic_life_meeting",
    FindingSource.ORG_LIFE: "org_life_meeting",
}
