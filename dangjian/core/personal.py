"""Personal data as a reader without the right to it sees it: one masking rule for every page,
export and draft.

A masked ID number beside the full birth date and 籍贯 identifies a person almost as well as the
number itself, so the three are masked together: the ID number keeps its first 3 and last 4
characters, the phone its first 3 and last 4 digits, the birth date only its year, and the
籍贯 is withheld. Who may see the unmasked values is decided by ``scope.can_see_personal_data``.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from dangjian.core.id_numbers import mask_id_number

WITHHELD = "（已隐去）"


def mask_phone(value: str) -> str:
    """13900001234 → 139****1234; anything shorter than 8 characters is hidden whole."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) < 8:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_birth_date(value: datetime.date | None) -> str:
    return f"{value.year}年" if value else ""


@dataclass(frozen=True)
class Personal:
    """The identifying fields of a member or applicant, masked or not, ready to show."""

    id_number: str
    phone: str
    birth_date: str
    native_place: str
    masked: bool


def personal(record: Any, *, show: bool) -> Personal:
    """``record``'s identifying fields as the reader may see them (``show``: unmasked)."""
    birth: datetime.date | None = getattr(record, "birth_date", None)
    id_number = getattr(record, "id_number", "") or ""
    phone = getattr(record, "phone", "") or ""
    place = getattr(record, "native_place", "") or ""
    if show:
        return Personal(
            id_number=id_number,
            phone=phone,
            birth_date=f"{birth.year}年{birth.month}月{birth.day}日" if birth else "",
            native_place=place,
            masked=False,
        )
    return Personal(
        id_number=mask_id_number(id_number),
        phone=mask_phone(phone),
        birth_date=mask_birth_date(birth),
        native_place=WITHHELD if place else "",
        masked=True,
    )
