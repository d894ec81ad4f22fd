"""Cell parsers shared by every Excel import: names, ID numbers, dates and months, yes/no, choices."""

from __future__ import annotations

import datetime

import pytest
from django.db import models

from dangjian.core.cells import (
    CellProblem,
    MonthOnly,
    choice_map,
    clean_text,
    normalize_header,
    parse_bool,
    parse_choice,
    parse_date,
    parse_day,
    parse_id_number,
    parse_month,
    parse_name,
)
from dangjian.testing import factories


class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


def make_id(birth: str, seq: str = "123") -> str:
    return factories.id_number(datetime.datetime.strptime(birth, "%Y%m%d").date(), seq)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1985-03-12", datetime.date(1985, 3, 12)),
        ("1985.3.12", datetime.date(1985, 3, 12)),
        ("1985/3/12", datetime.date(1985, 3, 12)),
        ("1985年3月12日", datetime.date(1985, 3, 12)),
        ("１９８５年３月１２日", datetime.date(1985, 3, 12)),
        (" 1985 . 3 . 12 ", datetime.date(1985, 3, 12)),
        ("19850312", datetime.date(1985, 3, 12)),
        ("1985-03-12 00:00:00", datetime.date(1985, 3, 12)),
        (datetime.datetime(1985, 3, 12), datetime.date(1985, 3, 12)),
        ("1985.03", MonthOnly(1985, 3)),
        ("198503", MonthOnly(1985, 3)),
        ("1985年3月", MonthOnly(1985, 3)),
        ("", None),
    ],
)
def test_dates_are_read_in_the_ways_officers_write_them(text, expected):
    assert parse_date(text) == expected


def test_a_birth_month_in_a_number_cell_is_read_but_a_lone_point_one_is_asked_about():
    assert parse_date(1985.03) == MonthOnly(1985, 3)
    assert parse_date(1985.1, "0.00") == MonthOnly(1985, 10)
    with pytest.raises(CellProblem, match="1月还是10月"):
        parse_date(1985.1)


@pytest.mark.parametrize("text", ["1985-13-01", "1985-02-30", "昨天", "1899-01-01"])
def test_impossible_or_unreadable_dates_are_refused_in_chinese(text):
    with pytest.raises(CellProblem, match="日期"):
        parse_date(text)


def test_a_date_that_must_have_its_day_names_what_it_is():
    assert parse_day("2026.11.5", "交纳日期") == datetime.date(2026, 11, 5)
    with pytest.raises(CellProblem, match="交纳日期须写到日"):
        parse_day("2026.11", "交纳日期")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11", datetime.date(2026, 11, 1)),
        ("2026年11月", datetime.date(2026, 11, 1)),
        ("２０２６．１１", datetime.date(2026, 11, 1)),
        (datetime.date(2026, 11, 17), datetime.date(2026, 11, 1)),
        (datetime.datetime(2026, 11, 17, 8, 0), datetime.date(2026, 11, 1)),
        (None, None),
    ],
)
def test_months_are_read_like_dates_to_the_first_day(value, expected):
    assert parse_month(value) == expected


def test_a_month_in_a_number_cell_follows_the_cells_format():
    assert parse_month(2026.1, "0.00") == datetime.date(2026, 10, 1)
    with pytest.raises(CellProblem, match="1月还是10月"):
        parse_month(2026.1)
    with pytest.raises(CellProblem, match="无法识别的月份"):
        parse_month("下个月")


def test_names_lose_padding_and_full_width_forms():
    assert parse_name("张  三") == "张三"
    assert parse_name(" 第一党支部 ") == "第一党支部"
    assert parse_name("Li Na") == "Li Na"  # a Latin name keeps its space
    assert clean_text("１３９００　０００") == "13900 000"


def test_id_numbers_are_normalized_and_their_check_digit_verified():
    good = make_id("19850312")
    assert parse_id_number(" " + good[:6] + " " + good[6:].lower()) == good
    assert parse_id_number("".join(chr(ord(c) + 0xFEE0) for c in good)) == good  # full-width digits
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(CellProblem, match=f"校验位不正确（应为{good[17]}）"):
        parse_id_number(wrong)
    assert parse_id_number(wrong, check=False) == wrong
    with pytest.raises(CellProblem, match="18位"):
        parse_id_number("123")
    assert parse_id_number(None) == ""


def test_an_id_number_stored_as_a_number_has_lost_digits_and_says_so():
    with pytest.raises(CellProblem, match="存成了数字"):
        parse_id_number(1.10105198503121e17)
    with pytest.raises(CellProblem, match="存成了数字"):
        parse_id_number(110105198503121234)


def test_yes_no_and_choices():
    assert parse_bool("是") is True and parse_bool("") is False and parse_bool("×") is False
    with pytest.raises(CellProblem, match="是 或 否"):
        parse_bool("也许")
    genders = choice_map(Gender, {"男性": Gender.MALE})
    assert parse_choice("男性", genders, "性别", "男、女") == Gender.MALE
    assert parse_choice("female", genders, "性别", "男、女") == Gender.FEMALE
    assert parse_choice("", genders, "性别", "男、女") == ""
    with pytest.raises(CellProblem, match="无法识别的性别“未知”，应填写：男、女。"):
        parse_choice("未知", genders, "性别", "男、女")


def test_headers_are_compared_without_notes_marks_or_spaces():
    assert normalize_header("交纳基数（元/月）") == "交纳基数"
    assert normalize_header("*姓 名(必填)：") == "姓名"
