"""Workflow states, attendance and the built-in activity types (codes from GLOSSARY.md)."""

from __future__ import annotations

from django.db import models


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PLANNED = "planned", "已报计划"
    APPROVED = "approved", "已审批"
    RETURNED = "returned", "已退回"
    HELD = "held", "已开展"
    VERIFIED = "verified", "已审核"


# Activities in these states happened; counts and compliance read only these.
HELD_STATUSES = (ActivityStatus.HELD, ActivityStatus.VERIFIED)


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    LEAVE = "leave", "请假"
    ABSENT = "absent", "缺席"


class ReflectionStatus(models.TextChoices):
    SUBMITTED = "submitted", "待审阅"
    ACCEPTED = "accepted", "已通过"
    RETURNED = "returned", "已退回"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "照片"
    SIGN_IN = "sign_in", "签到表"
    MINUTES = "minutes", "会议记录"
    MATERIAL = "material", "学习材料"
    OTHER = "other", "其他"


# (code, 中文名, counts as organizational life for the member 6-month rule, takes attendance,
#  codes it may also count as). The last column models practice such as a 主题党日 that
#  includes a 党课, or an 组织生活会 combined with 民主评议党员 (支部工作条例 Art 19).
BUILTIN_TYPES: list[tuple[str, str, bool, bool, tuple[str, ...]]] = [
    ("general_meeting", "支部党员大会", True, True, ("party_lecture", "member_appraisal", "study_session")),
    ("committee_meeting", "支部委员会会议", True, True, ("study_session",)),
    ("cell_meeting", "党小组会", True, True, ("study_session",)),
    ("party_lecture", "党课", True, True, ()),
    (
        "theme_day",
        "主题党日",
        True,
        True,
        ("party_lecture", "volunteer_service", "warning_education", "study_session"),
    ),
    ("org_life_meeting", "组织生活会", True, True, ("member_appraisal",)),
    ("democratic_life_meeting", "民主生活会", True, True, ()),
    ("member_appraisal", "民主评议党员", True, True, ()),
    ("talk", "谈心谈话", False, False, ()),
    ("central_study", "理论学习中心组学习", True, True, ()),
    ("study_session", "专题学习", True, True, ()),
    ("warning_education", "警示教育", True, True, ()),
    ("volunteer_service", "志愿服务", False, True, ()),
    ("field_research", "调研", False, True, ()),
    ("biweekly_forum", "双周讲坛", True, True, ()),
    # Records behind the duties ledgers (issue 10): a leader's visit to the branch they liaise with,
    # the 党组 hearing branch reports, integrity talks (talks of their own kinds), campaign meetings.
    ("liaison_visit", "挂点联系", False, False, ()),
    ("report_hearing", "听取党建工作汇报", False, False, ()),
    ("integrity_talk", "廉政谈话", False, False, ()),
    ("reminder_talk", "提醒谈话", False, False, ()),
    ("admonishment_talk", "诫勉谈话", False, False, ()),
    ("integrity_meeting", "党风廉政建设工作会议", False, True, ()),
    ("mobilization_meeting", "动员部署会", False, True, ()),
    ("site_visit", "红色教育现场教学", True, True, ()),
]
# Types recorded as a talk between two people (谈话人, 谈话对象) rather than a meeting.
TALK_TYPES = ("talk", "integrity_talk", "reminder_talk", "admonishment_talk")
