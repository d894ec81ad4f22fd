"""Rule kinds, cell statuses and the legend of the compliance matrix."""

from __future__ import annotations

from django.db import models


class RuleKind(models.TextChoices):
    COUNT = "count", "按类型计次"
    SECRETARY_LECTURE = "secretary_lecture", "书记讲党课"
    TALK_COVERAGE = "talk_coverage", "谈心谈话全覆盖"
    LAPSE = "lapse", "连续未参加组织生活"
    TERM = "term", "委员会任期"


class Frequency(models.TextChoices):
    MONTH = "month", "每月"
    QUARTER = "quarter", "每季度"
    HALF = "half", "每半年"
    YEAR = "year", "每年"


class SourceStatus(models.TextChoices):
    CONFIRMED = "C", "已核对原文"
    INFERRED = "C*", "数值已核对、条款号推定"
    LOCAL = "L", "地方实践（可调整）"


class CellStatus(models.TextChoices):
    DONE = "done", "已完成"
    MISSING = "missing", "未完成"
    DUE = "due", "待完成"
    NA = "n/a", "不适用"


# Kinds judged cell by cell in the org × slot matrix; the others yield member or term warnings.
MATRIX_KINDS = (RuleKind.COUNT, RuleKind.SECRETARY_LECTURE, RuleKind.TALK_COVERAGE)
