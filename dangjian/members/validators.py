"""Validators of the roster's personal data; the ID-number rules live in ``core.id_numbers``.

Every import (roster, dues) parses ID numbers, so the GB 11643 rules sit in core; the names stay
importable from here for the model, the forms and the demo.
"""

from __future__ import annotations

from dangjian.core.id_numbers import (
    id_birth_date,
    id_check_digit,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)

__all__ = [
    "id_birth_date",
    "id_check_digit",
    "mask_id_number",
    "mask_phone",
    "normalize_id_number",
    "validate_id_number",
]


def mask_phone(value: str) -> str:
    if len(value) < 7:
        return value
    return value[:3] + "****" + value[-4:]
