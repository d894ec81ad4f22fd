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
from dangjian.core.personal import mask_phone

# One answer whoever holds the number, so a branch secretary cannot probe which ID numbers other
# branches keep (the unique check itself cannot be hidden, where the person sits can).
ID_ALREADY_REGISTERED = "该身份证号已有登记，不能重复录入；如为转入的党员，请联系机关党委办理组织关系转接。"

__all__ = [
    "ID_ALREADY_REGISTERED",
    "id_birth_date",
    "id_check_digit",
    "mask_id_number",
    "mask_phone",
    "normalize_id_number",
    "validate_id_number",
]
