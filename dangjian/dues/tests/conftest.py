"""Dues fixtures: the shared bureau with bases on record from January of the frozen year."""

from __future__ import annotations

import pytest

from dangjian.testing import factories
from dangjian.testing.clock import FROZEN_TODAY

JAN = FROZEN_TODAY.replace(month=1, day=1)  # 2026-01-01
PAY_DAY = FROZEN_TODAY.replace(day=10)  # 2026-11-10


@pytest.fixture
def bases(bureau):  # type: ignore[no-untyped-def]
    """Bases for all five members: 4500 (1%), 6000 (1.5%), the probationary member 2800, 3000, 12000."""
    amounts = ["4500", "6000", "2800", "3000", "12000"]
    return [factories.dues_base(m, a, JAN) for m, a in zip(bureau.members, amounts, strict=True)]


def pay(member, amount, receipt, *, on=PAY_DAY, **kw):  # type: ignore[no-untyped-def]
    """A payment (on the 10th of the frozen month unless ``on``)."""
    return factories.dues_payment(member, amount, receipt, on=on, **kw)
