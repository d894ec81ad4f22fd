"""Chinese numbering and number words for official documents (GB/T 9704, GB/T 15835)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

_DIGITS = "零一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一, 100 → 一百 (heading numbers and 一是/二是)."""
    if n <= 0 or n >= 1000:
        raise ValueError(f"chinese_numeral supports 1–999, got {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            out += "零"
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def heading_number(level: int, index: int) -> str:
    """The number of the ``index``-th heading (1-based) at ``level``: 一、 （一） 1. （1）."""
    if level == 1:
        return f"{chinese_numeral(index)}、"
    if level == 2:
        return f"（{chinese_numeral(index)}）"
    if level == 3:
        return f"{index}."
    if level == 4:
        return f"（{index}）"
    raise ValueError(f"heading levels are 1–4, got {level}")


def ordinal_item(index: int) -> str:
    """一是、二是 … the items inside a paragraph."""
    return f"{chinese_numeral(index)}是"


def approximate(n: int) -> tuple[str, bool]:
    """A count as custom writes it when large: 23 → ("20余", True); 8 → ("8", False).

    Meetings are always written exactly; participant counts (人次) and articles from 20 up are
    usually rounded down with 余. Returns the text and whether it was approximated.
    """
    if n < 20:
        return str(n), False
    step = 10 if n < 1000 else 100 if n < 10000 else 1000
    base = n - n % step
    if base == n:
        return str(n), False
    return f"{base}余", True


def format_amount(yuan: Decimal | int | float) -> str:
    """Money per GB/T 15835 custom: 3456 → 3456元; 125000 → 12.5万元; 345000000 → 3.45亿元."""
    value = Decimal(str(yuan))
    if abs(value) >= Decimal("100000000"):
        return f"{_trim(value / Decimal('100000000'))}亿元"
    if abs(value) >= Decimal("10000"):
        return f"{_trim(value / Decimal('10000'))}万元"
    return f"{_trim(value)}元"


def _trim(value: Decimal) -> str:
    rounded = value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_percent(percentage: float | Decimal) -> str:
    """A value already in percent: 93.40 → 93.4%; 100.0 → 100%."""
    return f"{_trim(Decimal(str(percentage)))}%"
