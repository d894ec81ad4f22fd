"""The date rules of every step, as pure functions over events (no database)."""

from __future__ import annotations

import datetime

import pytest

from dangjian.recruitment import rules
from dangjian.recruitment.choices import Stage, StepKind
from dangjian.recruitment.rules import Event
from dangjian.recruitment.tests.conftest import happy_dates

D = datetime.date
TODAY = D(2030, 1, 1)
START = D(2023, 6, 1)


def events_upto(last: int, start: D = START) -> list[Event]:
    dates = happy_dates(start)
    return [
        Event(n, dates[n], passed=True if n in rules.VOTE_STEPS else None, seq=n) for n in range(1, last + 1)
    ]


def check(events: list[Event], number: int, day: D, **kw) -> rules.Check:  # type: ignore[no-untyped-def]
    return rules.check_step(rules.build(events), number, day, today=TODAY, **kw)


# --- every step ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", range(2, 26))
def test_every_step_is_accepted_on_its_happy_path_date(number: int) -> None:
    result = check(events_upto(number - 1), number, happy_dates(D(2023, 6, 1))[number])
    assert result.errors == []


@pytest.mark.parametrize("number", range(2, 26))
def test_every_step_dated_before_its_prerequisite_is_refused(number: int) -> None:
    events = events_upto(number - 1)
    timeline = rules.build(events)
    latest = max(rules._first_of(timeline, r) for r in rules.RULES[number].requires)  # type: ignore[type-var]
    result = check(events, number, latest - datetime.timedelta(days=1))
    assert result.errors
    assert f"第{number}步" in result.errors[0]


@pytest.mark.parametrize("number", range(2, 26))
def test_every_step_without_its_prerequisites_is_refused_naming_them(number: int) -> None:
    result = check([Event(1, D(2023, 6, 1))], number, D(2029, 1, 1)) if number > 2 else None
    if result is None:  # step 2 needs only step 1: take step 1 away instead
        result = check([], 2, D(2023, 6, 5))
    assert any("尚未完成" in e for e in result.errors)
    assert rules.RULES[number].source in result.errors[0]


def test_every_rule_has_a_stage_a_source_and_known_prerequisites() -> None:
    assert sorted(rules.RULES) == list(range(1, 26))
    for rule in rules.RULES.values():
        assert rule.source
        assert all(r < rule.number for r in rule.requires)
    assert [r.stage for r in rules.RULES.values()].count(Stage.APPLICATION) == 2


def test_a_step_in_the_future_is_refused() -> None:
    result = rules.check_step(rules.build(events_upto(1)), 2, D(2023, 6, 5), today=D(2023, 6, 4))
    assert "不能晚于今天" in result.errors[0]


def test_a_step_cannot_be_recorded_twice_but_reviews_can() -> None:
    events = events_upto(6)
    assert "不能重复登记" in check(events, 5, D(2024, 1, 1)).errors[0]
    assert check(events, 6, D(2024, 3, 1)).errors == []


# --- the first talk (细则第七条) ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applied", "deadline"),
    [
        (D(2023, 1, 31), D(2023, 2, 28)),  # month end clamps
        (D(2024, 1, 31), D(2024, 2, 29)),  # leap year
        (D(2024, 2, 29), D(2024, 3, 29)),  # applied on a leap day
        (D(2023, 12, 15), D(2024, 1, 15)),  # across the year
    ],
)
def test_talk_deadline_is_one_calendar_month_after_the_application(applied: D, deadline: D) -> None:
    nxt = rules.next_step(rules.build([Event(1, applied)]))
    assert nxt is not None and nxt.rule.number == 2
    assert nxt.deadline == deadline
    assert "细则第七条" in nxt.deadline_source


def test_a_late_talk_is_recorded_with_a_warning_not_refused() -> None:
    result = check([Event(1, D(2023, 1, 31))], 2, D(2023, 3, 1))
    assert result.errors == []
    assert "已超过期限" in result.warnings[0] and "2023年2月28日" in result.warnings[0]
    assert check([Event(1, D(2023, 1, 31))], 2, D(2023, 2, 28)).warnings == []


# --- activist: reviews every 6 months, candidate after a year ----------------------------------


def test_review_falls_due_six_months_after_the_last_one_clamped_at_month_end() -> None:
    events = [Event(1, D(2023, 1, 2)), Event(2, D(2023, 1, 20)), Event(3, D(2023, 8, 31), seq=3)]
    assert rules.review_due(rules.build(events)) == D(2024, 2, 29)
    events.append(Event(6, D(2024, 2, 10), seq=9))
    assert rules.review_due(rules.build(events)) == D(2024, 8, 10)


def test_no_review_is_owed_once_the_activist_is_a_candidate() -> None:
    assert rules.review_due(rules.build(events_upto(7))) is None
    assert rules.review_due(rules.build(events_upto(2))) is None


def test_candidate_one_day_before_a_year_as_activist_is_refused_citing_article_13() -> None:
    events = events_upto(6)
    activist = happy_dates(D(2023, 6, 1))[3]  # 2023-07-01
    result = check(events, 7, D(2024, 6, 30))
    assert "细则第十三条" in result.errors[0] and "2024年7月1日" in result.errors[0]
    assert check(events, 7, D(2024, 7, 1)).errors == []
    assert activist == D(2023, 7, 1)


def test_candidate_after_a_leap_day_activist_may_be_named_on_feb_28() -> None:
    events = [
        Event(1, D(2024, 1, 2)),
        Event(2, D(2024, 1, 10)),
        Event(3, D(2024, 2, 29), seq=3),
        Event(4, D(2024, 3, 1), seq=4),
        Event(5, D(2024, 3, 1), seq=5),
        Event(6, D(2024, 8, 1), seq=6),
    ]
    nxt = rules.next_step(rules.build(events))
    assert nxt is not None and nxt.rule.number == 7 and nxt.earliest == D(2025, 2, 28)


# --- admission: vote, approval within 3 (6) months, age -----------------------------------------


@pytest.mark.parametrize(
    ("eligible", "present", "votes_for", "against", "abstain", "quorum", "passed"),
    [
        (5, 3, 3, 0, 0, True, True),
        (5, 3, 2, 0, 1, True, False),  # "for" must exceed half of those who SHOULD attend
        (4, 3, 2, 1, 0, True, False),  # exactly half is not more than half
        (4, 2, 2, 0, 0, False, False),  # exactly half present: no quorum
        (7, 7, 4, 3, 0, True, True),
    ],
)
def test_vote_quorum_and_majority(eligible, present, votes_for, against, abstain, quorum, passed) -> None:  # type: ignore[no-untyped-def]
    result = rules.vote_result(eligible, present, votes_for)
    assert (result.quorum, result.passed) == (quorum, passed)
    errors = rules.vote_errors(eligible, present, votes_for, against, abstain)
    assert (errors == []) == quorum


def test_vote_figures_that_cannot_be_right_are_refused() -> None:
    assert "实到人数不能多于应到人数" in rules.vote_errors(3, 4, 1, 0, 0)[0]
    assert "票数之和" in rules.vote_errors(5, 3, 3, 1, 0)[0]
    assert "不足法定人数" in rules.vote_errors(6, 3, 3, 0, 0)[0]
    assert rules.vote_errors(None, 3, 3, 0, 0)


def test_a_failed_vote_does_not_complete_the_step_and_a_later_one_counts_from_its_own_date() -> None:
    events = events_upto(14)
    failed = Event(15, D(2024, 9, 1), passed=False, seq=100)
    timeline = rules.build([*events, failed])
    assert 15 not in timeline.done
    assert rules.next_step(timeline).rule.number == 15  # type: ignore[union-attr]
    passed = Event(15, D(2024, 12, 2), passed=True, seq=101)
    timeline = rules.build([*events, failed, passed])
    nxt = rules.next_step(timeline)
    assert nxt is not None and nxt.rule.number == 16 and nxt.deadline == D(2025, 3, 2)
    # Step 16 dated between the two votes is before its prerequisite (the passed vote).
    assert "早于其前置步骤第15步" in check([*events, failed, passed], 16, D(2024, 10, 1)).errors[0]


def test_approval_deadline_is_three_months_or_six_in_special_cases() -> None:
    events = [*events_upto(15, D(2023, 6, 1))]
    vote_day = happy_dates(D(2023, 6, 1))[15]
    timeline = rules.build([*events, Event(16, vote_day + datetime.timedelta(days=3), seq=200)])
    normal = rules.limits(rules.RULES[17], timeline)
    special = rules.limits(rules.RULES[17], timeline, special=True)
    assert (normal.deadline, special.deadline) == (
        rules.add_months(vote_day, 3),
        rules.add_months(vote_day, 6),
    )
    late = rules.add_months(vote_day, 4)
    assert check([*events, Event(16, vote_day, seq=200)], 17, late).warnings
    assert check([*events, Event(16, vote_day, seq=200)], 17, late, special=True).warnings == []


def test_under_18_at_the_vote_is_refused() -> None:
    events = events_upto(14)
    vote_day = happy_dates(D(2023, 6, 1))[15]
    born = D(vote_day.year - 18, vote_day.month, vote_day.day) + datetime.timedelta(days=1)
    result = check(events, 15, vote_day, birth_date=born)
    assert "未满18周岁" in result.errors[0]
    assert check(events, 15, vote_day, birth_date=born - datetime.timedelta(days=1)).errors == []


def test_an_application_under_18_is_refused() -> None:
    assert "未满18周岁" in check([], 1, D(2024, 2, 29), birth_date=D(2006, 3, 1)).errors[0]
    assert check([], 1, D(2024, 3, 1), birth_date=D(2006, 3, 1)).errors == []


# --- probation: one year, extension, confirmation --------------------------------------------------


def test_probation_ends_a_year_after_a_leap_day_vote_on_feb_28() -> None:
    events = [Event(n, D(2024, 2, 29), passed=True if n == 15 else None, seq=n) for n in (15, 17)]
    timeline = rules.build(events)
    timeline.done.update({n: D(2023, 1, 1) for n in range(1, 15)})
    assert timeline.probation_end == D(2025, 2, 28)


def test_confirmation_application_before_probation_ends_is_refused() -> None:
    events = events_upto(21)
    end = rules.build(events).probation_end
    assert end is not None
    result = check(events, 22, end - datetime.timedelta(days=1))
    assert "党章第七条" in result.errors[0]
    assert check(events, 22, end).errors == []


def test_extension_moves_the_end_of_probation_and_restarts_confirmation() -> None:
    events = events_upto(23)
    events[-1] = Event(23, events[-1].date, passed=False, seq=23)  # the confirmation vote failed
    end = rules.build(events).probation_end
    assert end is not None
    assert rules.check_extension(rules.build(events), events[-1].date, 6, today=TODAY).errors == []
    ext = Event(None, events[-1].date, kind=StepKind.EXTENSION, months=6, seq=300)
    timeline = rules.build([*events, ext])
    assert timeline.probation_end == rules.add_months(happy_dates(D(2023, 6, 1))[15], 18)
    assert 22 not in timeline.done
    nxt = rules.next_step(timeline)
    assert nxt is not None and nxt.rule.number == 22 and nxt.earliest == timeline.probation_end
    # The old application (before the extension) no longer counts.
    assert check([*events, ext], 23, timeline.probation_end).errors


def test_extension_of_a_vote_on_aug_31_by_six_months_ends_on_feb_28_or_29() -> None:
    base = {n: D(2023, 1, 1) for n in range(1, 15)}
    timeline = rules.build(
        [
            Event(15, D(2023, 8, 31), passed=True, seq=15),
            Event(17, D(2023, 9, 10), seq=17),
            Event(None, D(2024, 8, 31), kind=StepKind.EXTENSION, months=6, seq=20),
        ]
    )
    timeline.done.update(base)
    assert timeline.probation_end == D(2025, 2, 28)
    timeline2 = rules.build(
        [
            Event(15, D(2022, 8, 31), passed=True, seq=15),
            Event(17, D(2022, 9, 10), seq=17),
            Event(None, D(2023, 8, 31), kind=StepKind.EXTENSION, months=6, seq=20),
        ]
    )
    assert timeline2.probation_end == D(2024, 2, 29)


@pytest.mark.parametrize(("months", "ok"), [(5, False), (6, True), (12, True), (13, False)])
def test_extension_length_is_six_to_twelve_months(months: int, ok: bool) -> None:
    events = events_upto(21)
    end = rules.build(events).probation_end
    result = rules.check_extension(rules.build(events), end, months, today=TODAY)  # type: ignore[arg-type]
    assert (result.errors == []) == ok


def test_extension_only_once_and_not_before_probation_ends() -> None:
    events = events_upto(21)
    end = rules.build(events).probation_end
    assert end is not None
    early = rules.check_extension(rules.build(events), end - datetime.timedelta(days=1), 6, today=TODAY)
    assert "不能早于该日" in early.errors[0]
    twice = [*events, Event(None, end, kind=StepKind.EXTENSION, months=6, seq=400)]
    assert "不能再次延长" in rules.check_extension(rules.build(twice), end, 6, today=TODAY).errors[0]


def test_confirmation_approval_deadline_is_three_months_after_the_vote() -> None:
    events = events_upto(23)
    nxt = rules.next_step(rules.build(events))
    assert nxt is not None and nxt.rule.number == 24
    assert nxt.deadline == rules.add_months(events[-1].date, 3)


def test_stage_follows_the_steps() -> None:
    assert rules.build(events_upto(2)).stage == Stage.APPLICATION
    assert rules.build(events_upto(3)).stage == Stage.ACTIVIST
    assert rules.build(events_upto(7)).stage == Stage.CANDIDATE
    assert rules.build(events_upto(12)).stage == Stage.ADMISSION
    assert rules.build(events_upto(16)).stage == Stage.ADMISSION
    assert rules.build(events_upto(17)).stage == Stage.PROBATION


def test_a_closed_case_has_no_next_step_and_refuses_steps() -> None:
    events = [*events_upto(3), Event(None, D(2024, 1, 1), kind=StepKind.CLOSURE, seq=99)]
    assert rules.next_step(rules.build(events)) is None
    assert "已终止" in check(events, 4, D(2024, 2, 1)).errors[0]
