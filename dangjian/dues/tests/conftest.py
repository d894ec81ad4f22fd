"""Dues fixtures: the shared bureau with bases on record from January 2026."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

JAN = datetime.date(2026, 1, 1)


@pytest.fixture
def bases(bureau):  # type: ignore[no-untyped-def]
    """Bases for all five members: 4500 (1%), 6000 (1.5%), the probationary member 2800, 3000, 12000."""
    from dangjian.dues.actions import do_set_base

    amounts = ["4500", "6000", "2800", "3000", "12000"]
    rows = []
    for member, amount in zip(bureau.members, amounts, strict=True):
        rows.append(do_set_base(member, amount, effective_month=JAN, acting_user=None, via="test"))
    return rows


def pay(member, amount, receipt, *, on=datetime.date(2026, 11, 10), **kw):  # type: ignore[no-untyped-def]
    from dangjian.dues.actions import do_record_payment

    return do_record_payment(
        member,
        Decimal(amount),
        paid_on=on,
        method=kw.pop("method", "wechat"),
        receipt_number=receipt,
        acting_user=kw.pop("acting_user", None),
        via="test",
        **kw,
    )
