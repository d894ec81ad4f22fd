"""The test set-up itself (conftest.py): the frozen clock, the `today` marker, and the demo bureau
built once, run together and rolled back."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

import conftest
from dangjian.core.dates import today
from dangjian.testing.clock import FROZEN_NOW

D = datetime.date


def test_tests_run_on_the_frozen_day_in_beijing(clock) -> None:  # type: ignore[no-untyped-def]
    assert clock.today == D(2026, 11, 29) == today() == timezone.localdate()
    assert FROZEN_NOW <= clock.now < FROZEN_NOW + datetime.timedelta(hours=6)  # it ticks on
    assert datetime.date.today() == D(2026, 11, 29)


@pytest.mark.today("2026-03-31 23:30")
def test_the_today_marker_moves_the_day_in_beijing_time(clock) -> None:  # type: ignore[no-untyped-def]
    assert today() == D(2026, 3, 31)
    assert timezone.now().astimezone(datetime.UTC).date() == D(2026, 3, 31)  # 15:30 in UTC
    clock.move_to(D(2024, 2, 29))
    assert today() == D(2024, 2, 29) and clock.now.hour == 10
    clock.shift(datetime.timedelta(hours=15))
    assert today() == D(2024, 3, 1)


def test_the_day_is_back_after_a_marked_test() -> None:
    assert today() == D(2026, 11, 29)


def _transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(
        {"transactional_db", "live_server"} & set(item.fixturenames)
        or (marker is not None and marker.kwargs.get("transaction"))
    )


def _positions(items: list[pytest.Item], test: object) -> list[int]:
    return [n for n, item in enumerate(items) if test(item)]  # type: ignore[operator]


def test_demo_tests_run_together_after_the_rolled_back_ones_and_before_the_transactional(request) -> None:  # type: ignore[no-untyped-def]
    items = request.session.items
    demo = _positions(items, conftest._uses_demo)
    assert demo, "no test uses the demo bureau"
    assert demo == list(range(demo[0], demo[-1] + 1)), "the demo's tests are split up"
    transactional = _positions(items, _transactional)
    assert all(n > demo[-1] for n in transactional)
    rolled_back = _positions(items, lambda i: conftest._in_db_group(i) and not conftest._uses_demo(i))
    assert all(n < demo[0] for n in rolled_back)


@pytest.mark.django_db
def test_a_test_of_its_own_sees_no_demo() -> None:
    from dangjian.orgs.models import Organization

    assert not Organization.objects.filter(name__contains="江临市").exists()


def test_a_write_on_the_demo_stays_in_its_test(demo_bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.orgs.models import Organization

    assert Organization.objects.filter(name__contains="江临市").exists()
    Organization.objects.filter(parent__isnull=True, name__contains="江临市").update(name="改过的名称")
    assert Organization.objects.filter(name="改过的名称").exists()


def test_the_next_demo_test_sees_the_demo_as_built(demo_bureau) -> None:  # type: ignore[no-untyped-def]
    from dangjian.orgs.models import Organization

    assert not Organization.objects.filter(name="改过的名称").exists()
    assert Organization.objects.filter(parent__isnull=True, name__contains="江临市").exists()
    assert demo_bureau.builds == 1
