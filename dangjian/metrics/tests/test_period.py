"""Period parsing, slots, words, containment and clamping."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from dangjian.core.period import Period, PeriodError

D = datetime.date


@pytest.mark.parametrize(
    ("code", "start", "end", "label", "kind"),
    [
        ("2022", D(2022, 1, 1), D(2022, 12, 31), "2022年", "year"),
        ("2022H1", D(2022, 1, 1), D(2022, 6, 30), "2022年上半年", "half"),
        ("2022h2", D(2022, 7, 1), D(2022, 12, 31), "2022年下半年", "half"),
        ("2022Q3", D(2022, 7, 1), D(2022, 9, 30), "2022年第三季度", "quarter"),
        ("2024Q1", D(2024, 1, 1), D(2024, 3, 31), "2024年第一季度", "quarter"),
        ("2022-05", D(2022, 5, 1), D(2022, 5, 31), "2022年5月", "month"),
        ("2024-2", D(2024, 2, 1), D(2024, 2, 29), "2024年2月", "month"),
        ("2022-03-01..2022-06-30", D(2022, 3, 1), D(2022, 6, 30), "2022年3月1日至2022年6月30日", "range"),
        (" 2022-3-1 .. 2022-6-30 ", D(2022, 3, 1), D(2022, 6, 30), "2022年3月1日至2022年6月30日", "range"),
    ],
)
def test_period_parses_every_code(code, start, end, label, kind):  # type: ignore[no-untyped-def]
    period = Period.parse(code)
    assert (period.start, period.end, period.label, period.kind) == (start, end, label, kind)
    assert Period.parse(period.code) == period


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("", "期间不能为空"),
        ("2022Q5", "无法识别的期间“2022Q5”"),
        ("2022-13", "月份应在1至12之间"),
        ("2022H3", "无法识别的期间"),
        ("1800", "年份超出范围"),
        ("2022-06-30..2022-03-01", "结束日期早于开始日期"),
        ("2022-02-30..2022-03-01", "不存在的日期"),
        ("去年", "无法识别的期间“去年”"),
        ("0001-01-01..9999-12-31", "年份超出范围"),
    ],
)
def test_bad_period_codes_raise_chinese_errors(code, message):  # type: ignore[no-untyped-def]
    with pytest.raises(PeriodError) as info:
        Period.parse(code)
    assert message in str(info.value)


def test_slots_are_whole_calendar_slots_overlapping_the_period():
    year = Period.parse("2022")
    assert [s.code for s in year.slots("quarter")] == ["2022Q1", "2022Q2", "2022Q3", "2022Q4"]
    assert len(year.slots("month")) == 12 and year.slots("half")[1].code == "2022H2"
    may = Period.parse("2022-05")
    assert [s.code for s in may.slots("quarter")] == ["2022Q2"]
    assert [s.code for s in may.slots("year")] == ["2022"]
    span = Period.parse("2022-03-15..2022-04-10")
    assert [s.code for s in span.slots("month")] == ["2022-03", "2022-04"]
    clamped = span.slots("month", clamp=True)
    assert (clamped[0].start, clamped[-1].end) == (D(2022, 3, 15), D(2022, 4, 10))


def test_words_for_reports():
    assert Period.parse("2022").words() == "2022年"
    assert Period.parse("2022H1").words() == "2022年上半年"
    assert Period.parse("2022Q3").words() == "2022年第三季度"
    assert Period.parse("2022Q3").words(with_year=False) == "三季度"
    assert Period.parse("2022-05").words() == "2022年5月"
    assert Period.parse("2022-05").words(with_year=False) == "5月"


def test_containment_overlap_and_clamp_to_an_organizations_life():
    year = Period.parse("2022")
    assert D(2022, 12, 31) in year and D(2023, 1, 1) not in year
    assert year.contains(Period.parse("2022Q4")) and not Period.parse("2022Q4").contains(year)
    assert year.overlaps(Period.parse("2022-12-31..2023-01-05"))
    assert not Period.parse("2022H1").overlaps(Period.parse("2022H2"))
    org = SimpleNamespace(established_on=D(2022, 7, 15), dissolved_on=D(2022, 11, 1))
    life = year.clamp_to_life(org)
    assert (life.start, life.end) == (D(2022, 7, 15), D(2022, 10, 31))
    assert Period.parse("2021").clamp_to_life(org) is None
    assert year.clamp_to_life(SimpleNamespace(established_on=None, dissolved_on=None)) == year


def test_pages_refuse_a_period_longer_than_the_setting(settings):  # type: ignore[no-untyped-def]
    from dangjian.core.period import period_param

    settings.PERIOD_MAX_YEARS = 10
    default = Period.parse("2026")
    found, error = period_param({"period": "1921-01-01..2100-12-31"}, "period", default)
    assert found == default and "长于10年" in error
    found, error = period_param({"period": "2017-01-01..2026-12-31"}, "period", default)
    assert found == Period.parse("2017-01-01..2026-12-31") and error == ""
