"""The roster's (花名册) columns: headers and their variants, what each cell holds, how it is read.

The template, the import and the export share these, so an export re-imports unchanged. Columns
whose value another app keeps (the dues base, see ``members.extensions``) are slotted in where
they belong by ``columns()``.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from typing import Any

from dangjian.core.cells import (
    choice_labels,
    choice_map,
    clean_text,
    parse_bool,
    parse_choice,
    parse_id_number,
    parse_name,
)
from dangjian.core.sheets import ID_NUMBER_ALIASES, NAME_ALIASES, Column
from dangjian.members import extensions
from dangjian.members.choices import DUES_CATEGORY_WORDS, DuesCategory, Education, Gender, MemberStatus

EXAMPLE_MARK = "（示例）"  # rows whose name starts with this are the template's example: skipped
EXAMPLE_MARK_NFKC = unicodedata.normalize("NFKC", EXAMPLE_MARK)

# The Member's own columns; the key is the Member field.
MEMBER_COLUMNS: tuple[Column, ...] = (
    Column("name", "姓名", NAME_ALIASES, True, 10, "必填。"),
    Column("gender", "性别", (), True, 6, "必填：男 或 女。"),
    Column("ethnicity", "民族", (), False, 8, "如 汉族；不填按汉族。"),
    Column(
        "birth_date",
        "出生日期",
        ("出生年月", "出生年月日", "出生时间"),
        True,
        12,
        "必填。可写 1985-03-12、1985.3.12、1985/3/12、1985年3月12日；只写到月（1985.03）时，"
        "日取身份证号中的日（年月与身份证号不符时取1日）。",
    ),
    Column("native_place", "籍贯", (), False, 10, ""),
    Column(
        "education",
        "学历",
        ("文化程度", "最高学历", "学历学位"),
        False,
        10,
        "博士研究生、硕士研究生、大学本科、大学专科、中专、高中、初中及以下（也认 本科、大专、研究生 等简写）。",
    ),
    Column(
        "id_number",
        "身份证号",
        ID_NUMBER_ALIASES,
        True,
        21,
        "必填，18位，含校验位。已在花名册中的身份证号视为修改该党员的信息。",
    ),
    Column("phone", "联系电话", ("手机号码", "手机号", "手机", "电话", "联系方式"), False, 14, ""),
    Column(
        "department", "所在股室", ("工作部门", "所在科室", "股室", "科室", "部门", "工作单位"), False, 12, ""
    ),
    Column("job_title", "职务", ("现任职务", "职务职级"), False, 10, ""),
    Column(
        "organization",
        "所在支部",
        ("所属支部", "所在党组织", "所属党组织", "所在党支部", "所属党支部", "党支部"),
        True,
        16,
        "必填，填写党组织的全称或简称，须在您管理的范围内。",
    ),
    Column(
        "cell", "所在党小组", ("党小组", "所属党小组"), False, 12, "可不填；填写时须是所在支部下的党小组。"
    ),
    Column(
        "status",
        "党员状态",
        ("人员类别", "党员类别", "党籍状态"),
        False,
        10,
        "预备党员 或 正式党员（也认 已转出、已去世、已出党）。整列缺失时：有转正时间的按正式党员，否则按预备党员。",
    ),
    Column("admission_date", "入党时间", ("入党日期",), True, 12, "必填，写到日。入党时须年满18周岁。"),
    Column(
        "confirmation_date",
        "转正时间",
        ("转正日期",),
        False,
        12,
        "正式党员必填，写到日，须在入党一年以后；预备党员不填。",
    ),
    Column(
        "dues_category",
        "党费类别",
        ("交纳类别",),
        False,
        10,
        "在职、离退休、农民、学生、下岗失业、低保；不填按在职。",
    ),
    Column("is_mobile", "流动党员", ("是否流动党员",), False, 8, "是 或 否；不填按否。"),
    Column("note", "备注", (), False, 16, ""),
)
MEMBER_KEYS = [c.key for c in MEMBER_COLUMNS]
DATE_KEYS = ("birth_date", "admission_date", "confirmation_date")
TEXT_KEYS = ("id_number", "phone")  # written as text so Excel keeps every digit


def columns() -> tuple[Column, ...]:
    """Every roster column in sheet order: the Member's own, with other apps' fields after theirs."""
    return _columns(extensions.registered())


@functools.cache
def _columns(fields: tuple[extensions.MemberField, ...]) -> tuple[Column, ...]:
    out = list(MEMBER_COLUMNS)
    for field in fields:
        keys = [c.key for c in out]
        out.insert(keys.index(field.after) + 1 if field.after in keys else len(out), field.column)
    return tuple(out)


def column(key: str) -> Column:
    return next(c for c in columns() if c.key == key)


GENDERS = choice_map(Gender, {"男性": Gender.MALE, "女性": Gender.FEMALE})
EDUCATIONS = choice_map(
    Education,
    {
        "博士": Education.DOCTORATE,
        "研究生(博士)": Education.DOCTORATE,
        "硕士": Education.MASTER,
        "研究生": Education.MASTER,
        "研究生(硕士)": Education.MASTER,
        "本科": Education.BACHELOR,
        "大学": Education.BACHELOR,
        "大专": Education.COLLEGE,
        "专科": Education.COLLEGE,
        "中等专科": Education.SECONDARY,
        "中专/中技": Education.SECONDARY,
        "技校": Education.SECONDARY,
        "初中": Education.JUNIOR,
        "小学": Education.JUNIOR,
    },
)
STATUSES = choice_map(
    MemberStatus,
    {"预备": MemberStatus.PROBATIONARY, "正式": MemberStatus.FULL, "转出": MemberStatus.TRANSFERRED_OUT},
)
DUES_CATEGORIES = choice_map(DuesCategory, DUES_CATEGORY_WORDS)
_EDUCATION_LABELS = choice_labels(Education)
_DUES_CATEGORY_LABELS = choice_labels(DuesCategory)

# How each plain column's cell is read (dates, organization and cell need more: see roster_import).
PARSERS: dict[str, Callable[[Any], Any]] = {
    "name": parse_name,
    "gender": lambda v: parse_choice(v, GENDERS, "性别", "男、女"),
    "ethnicity": lambda v: clean_text(v).replace(" ", ""),
    "native_place": clean_text,
    "education": lambda v: parse_choice(v, EDUCATIONS, "学历", _EDUCATION_LABELS),
    "id_number": parse_id_number,
    "phone": lambda v: clean_text(v).replace(" ", "").replace("-", ""),
    "department": clean_text,
    "job_title": clean_text,
    "status": lambda v: parse_choice(v, STATUSES, "党员状态", "预备党员、正式党员"),
    "dues_category": lambda v: parse_choice(v, DUES_CATEGORIES, "党费类别", _DUES_CATEGORY_LABELS),
    "is_mobile": parse_bool,
    "note": clean_text,
}
