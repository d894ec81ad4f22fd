"""The 18-digit resident ID number (GB 11643-1999): check digit, birth date, validation, masking."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_PATTERN = re.compile(r"^\d{17}[\dX]$")


def id_check_digit(first17: str) -> str:
    return _CHECK[sum(int(d) * w for d, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def normalize_id_number(value: str) -> str:
    """Strip spaces and turn full-width digits and a lowercase x into the canonical form."""
    table = {ord("０") + i: ord("0") + i for i in range(10)}
    table.update({ord("Ｘ"): ord("X"), ord("ｘ"): ord("X"), ord("x"): ord("X")})
    return re.sub(r"\s+", "", value.translate(table))


def id_birth_date(value: str) -> datetime.date | None:
    try:
        return datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def validate_id_number(value: str) -> None:
    """Raise a Chinese ValidationError unless ``value`` is a well-formed ID with a correct check digit."""
    if not _PATTERN.match(value):
        raise ValidationError("身份证号应为18位，前17位为数字，最后一位为数字或X。", code="id_format")
    if id_birth_date(value) is None:
        raise ValidationError("身份证号中的出生日期无效。", code="id_birth")
    expected = id_check_digit(value[:17])
    if value[17] != expected:
        raise ValidationError(f"身份证号校验位不正确（应为{expected}），请核对。", code="id_check")


def mask_id_number(value: str) -> str:
    """110105198503121234 → 110***********1234."""
    if not value:
        return ""
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]
