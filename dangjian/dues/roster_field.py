"""The dues base as a roster field: the 交纳基数 column, the member form's field, the member page's line.

Registered from ``DuesConfig.ready()`` (see ``members.extensions`` for why the roster reaches
the base this way). The one home of a member's base is ``DuesBase``: the roster import and the
member form write there (``do_set_roster_bases``), and the export, the form and the member page
show the base in force this month — the one the monthly standard is computed from.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms

from dangjian.core.cells import CellProblem, clean_text
from dangjian.core.dates import today
from dangjian.core.sheets import Column
from dangjian.dues.actions import do_set_roster_bases
from dangjian.dues.allocation import month_start
from dangjian.dues.models import DuesBase
from dangjian.dues.rates import DuesInputError, monthly_standard, parse_amount
from dangjian.members.extensions import MemberField
from dangjian.members.models import Member


def bases_in_force(member_ids: Sequence[int], month: datetime.date | None = None) -> dict[int, DuesBase]:
    """Each member's base in force in ``month`` (default: this month), in one query."""
    month = month_start(month or today())
    found: dict[int, DuesBase] = {}
    rows = (
        DuesBase.objects.filter(member_id__in=list(member_ids), effective_month__lte=month)
        .order_by("member_id", "effective_month")
        .only("member_id", "effective_month", "category", "amount", "standard", "rate", "rates_from")
    )
    for row in rows:
        found[row.member_id] = row  # the latest effective month wins
    return found


class DuesBaseField(MemberField):
    """交纳基数: the member's monthly base (a farmer's chosen amount), kept as ``DuesBase`` rows."""

    key = "dues_base"
    label = "党费交纳基数（元/月）"
    column = Column(
        "dues_base",
        "交纳基数",
        ("党费基数", "党费交纳基数", "缴纳基数"),
        False,
        10,
        "元/月，数字。新党员从入党当月起执行；已有基数的，从导入当月起执行新基数。不填则不改。",
    )
    after = "dues_category"
    number_format = "0.00"
    example = 6000

    def parse_cell(self, raw: Any) -> Decimal | None:
        if isinstance(raw, str):
            raw = clean_text(raw).replace(" ", "")
        if raw is None or raw == "":
            return None
        try:
            return parse_amount(raw)
        except DuesInputError as exc:
            raise CellProblem(str(exc)) from None

    def form_field(self) -> forms.Field:
        return forms.DecimalField(
            label=self.label,
            required=False,
            min_value=Decimal("0"),
            max_digits=12,
            decimal_places=2,
            help_text="党费在“党费”中按此基数计算；不填则不改。",
        )

    def check(self, member: Member, value: Decimal) -> str | None:
        try:
            monthly_standard(member.dues_category, value)
        except DuesInputError as exc:
            return str(exc)
        return None

    def current(self, members: Sequence[Member]) -> dict[int, DuesBase]:
        if not members:
            return {}
        return bases_in_force([m.pk for m in members])

    def shown(self, state: DuesBase | None) -> Decimal | None:
        return state.amount if state is not None else None

    def differs(self, member: Member, value: Decimal, state: DuesBase | None) -> bool:
        # A changed category with the same amount is a new base too: the standard depends on both.
        return state is None or state.amount != value or state.category != member.dues_category

    def write(self, items: Sequence[tuple[Member, Any]], *, acting_user: Any, via: str) -> None:
        do_set_roster_bases(items, acting_user=acting_user, via=via)
