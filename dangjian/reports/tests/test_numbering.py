from decimal import Decimal

import pytest

from dangjian.reports.numbering import (
    approximate,
    chinese_numeral,
    format_amount,
    format_percent,
    heading_number,
    ordinal_item,
)


@pytest.mark.parametrize(
    "n, text",
    [
        (1, "一"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (999, "九百九十九"),
    ],
)
def test_chinese_numerals(n: int, text: str) -> None:
    assert chinese_numeral(n) == text


def test_heading_numbers_follow_gbt_9704_levels() -> None:
    assert [heading_number(level, 3) for level in (1, 2, 3, 4)] == ["三、", "（三）", "3.", "（3）"]
    assert ordinal_item(2) == "二是"
    with pytest.raises(ValueError):
        heading_number(5, 1)


@pytest.mark.parametrize(
    "n, text, approx",
    [
        (0, "0", False),
        (8, "8", False),
        (19, "19", False),
        (20, "20", False),
        (23, "20余", True),
        (51, "50余", True),
        (156, "150余", True),
        (1234, "1200余", True),
        (12345, "12000余", True),
    ],
)
def test_approximate_counts(n: int, text: str, approx: bool) -> None:
    assert approximate(n) == (text, approx)


@pytest.mark.parametrize(
    "value, text",
    [
        (3456, "3456元"),
        (Decimal("125000"), "12.5万元"),
        (345000000, "3.45亿元"),
        (Decimal("10000"), "1万元"),
        (Decimal("99.50"), "99.5元"),
    ],
)
def test_amounts_use_wan_and_yi(value, text) -> None:  # type: ignore[no-untyped-def]
    assert format_amount(value) == text


def test_percent_is_trimmed() -> None:
    assert format_percent(Decimal("93.40")) == "93.4%"
    assert format_percent(Decimal("100.0")) == "100%"
