"""The calculator: every bracket boundary, rounding, fixed amounts, and refusing bad input."""

from __future__ import annotations

import decimal
from decimal import Decimal

import pytest

from dangjian.dues.rates import RATE_TABLES, DuesInputError, monthly_standard, parse_amount, table_for

D = Decimal

IN_SERVICE = [
    # base, rate, monthly amount — upper bounds inclusive, the rate applies to the whole base
    ("0", "0.005", "0.00"),
    ("0.01", "0.005", "0.00"),
    ("100", "0.005", "0.50"),
    ("2999.99", "0.005", "15.00"),
    ("3000", "0.005", "15.00"),
    ("3000.01", "0.01", "30.00"),
    ("3333.33", "0.01", "33.33"),
    ("4999.99", "0.01", "50.00"),
    ("5000", "0.01", "50.00"),
    ("5000.01", "0.015", "75.00"),
    ("6666.67", "0.015", "100.00"),
    ("9999.99", "0.015", "150.00"),
    ("10000", "0.015", "150.00"),
    ("10000.01", "0.02", "200.00"),
    ("12345.67", "0.02", "246.91"),
    ("100000", "0.02", "2000.00"),
]

RETIRED = [
    ("0", "0.005", "0.00"),
    ("0.01", "0.005", "0.00"),
    ("3000", "0.005", "15.00"),
    ("3000.01", "0.005", "15.00"),
    ("4999.99", "0.005", "25.00"),
    ("5000", "0.005", "25.00"),
    ("5000.01", "0.01", "50.00"),
    ("10000", "0.01", "100.00"),
    ("10000.01", "0.01", "100.00"),
]


@pytest.mark.parametrize(("base", "rate", "amount"), IN_SERVICE)
def test_in_service_brackets_at_every_boundary(base: str, rate: str, amount: str) -> None:
    result = monthly_standard("in_service", D(base))
    assert result.rate == D(rate)
    assert result.amount == D(amount)
    assert str(result.amount) == amount  # always two decimals
    assert result.source == "党费规定第二条"


@pytest.mark.parametrize(("base", "rate", "amount"), RETIRED)
def test_retired_brackets_at_every_boundary(base: str, rate: str, amount: str) -> None:
    result = monthly_standard("retired", D(base))
    assert (result.rate, result.amount) == (D(rate), D(amount))
    assert result.source == "党费规定第五条"


@pytest.mark.parametrize(
    ("base", "amount"),
    [
        ("1001", "5.01"),  # 5.005 → half up (a float would give 5.00)
        ("2100.90", "10.50"),  # 10.5045
        ("3001", "30.01"),
        ("4111.50", "41.12"),  # 41.115 → half up
        ("5555.50", "83.33"),  # 83.3325
        ("10000.25", "200.01"),  # 200.005 → half up
    ],
)
def test_rounding_half_up_to_the_fen(base: str, amount: str) -> None:
    assert monthly_standard("in_service", D(base)).amount == D(amount)


def test_rounding_is_a_setting(settings) -> None:  # type: ignore[no-untyped-def]
    settings.DUES_ROUNDING = decimal.ROUND_HALF_EVEN
    assert monthly_standard("in_service", D("4111.50")).amount == D("41.12")  # 41.115 → even
    assert monthly_standard("in_service", D("1001")).amount == D("5.00")  # 5.005 → even
    settings.DUES_ROUNDING = decimal.ROUND_DOWN
    assert monthly_standard("in_service", D("10000.25")).amount == D("200.00")


@pytest.mark.parametrize("category", ["student", "unemployed", "allowance"])
def test_fixed_categories_pay_twenty_fen_whatever_the_base(category: str) -> None:
    for base in ("0", "8000"):
        result = monthly_standard(category, D(base))
        assert result.amount == D("0.20")
        assert result.rate is None and result.rate_label == "定额"


@pytest.mark.parametrize(
    ("chosen", "ok"), [("0.19", False), ("0.2", True), ("0.5", True), ("1", True), ("1.01", False)]
)
def test_farmer_chooses_between_twenty_fen_and_one_yuan(chosen: str, ok: bool) -> None:
    if ok:
        assert monthly_standard("farmer", D(chosen)).amount == D(chosen).quantize(D("0.01"))
    else:
        with pytest.raises(DuesInputError, match="0.2元至1元"):
            monthly_standard("farmer", D(chosen))


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "不能为负数"),
        ("abc", "不是数字"),
        ("", "不能为空"),
        (None, "不能为空"),
        ("1.234", "两位小数"),
        ("NaN", "不是数字"),
    ],
)
def test_bad_base_is_refused_in_chinese(raw: object, message: str) -> None:
    with pytest.raises(DuesInputError, match=message):
        parse_amount(raw)


def test_amounts_are_read_without_float_error() -> None:
    assert parse_amount("4,500.10") == D("4500.10")
    assert parse_amount(4500.1) == D("4500.1")
    assert parse_amount("3000元") == D("3000")


def test_rates_are_data_with_their_source() -> None:
    table = table_for()
    assert table in RATE_TABLES
    assert [b.upper for b in table.in_service] == [D("3000"), D("5000"), D("10000"), None]
    assert table.regulation.startswith("中组部")
