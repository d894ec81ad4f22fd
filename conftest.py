"""Shared test fixtures: the frozen day, a small bureau, the personas every view test uses, and
the demo bureau built once per test process.

Personas (STYLE.md §11): ``admin``, ``agency_officer`` (机关党委), ``secretary_of_branch_1``
(党务干部 of branch 1's subtree), ``discipline`` (纪检, read-only), ``member`` (an ordinary
member of branch 1, sees only themselves) and ``outsider`` (logged in, no role).

The clock: every test runs on 2026-11-29 from 10:00 Beijing time (the clock ticks on from there).
``@pytest.mark.today("2026-03-31")`` (or a date, or "2026-03-31 23:30") runs one test on another
day; the ``clock`` fixture tells a test the day and moves it (``clock.move_to(...)``).

The demo bureau (``demo_bureau``): ``dangjian demo`` is built once per test process, inside a
transaction rolled back after the last test that uses it. Tests using it are run together (see
``pytest_collection_modifyitems``) and each runs in its own savepoint, so what one writes no
other test sees.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from dangjian.testing import factories
from dangjian.testing.clock import FROZEN_NOW, Clock, parse_day

# A loaded machine (CI, or nine agents on two cores) must not fail a property test for being slow:
# the properties are what is tested, not the time one example takes.
hypothesis_settings.register_profile("dangjian", deadline=None, suppress_health_check=[HealthCheck.too_slow])
hypothesis_settings.load_profile("dangjian")

# ---- the clock ----------------------------------------------------------------------------------

_SESSION_TRAVEL: time_machine.travel | None = None


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", 'today(day): run the test on another day ("2026-03-31", "2026-03-31 23:30" or a date)'
    )
    # Started here, not in a fixture, so that session and module fixtures (the demo, the access
    # matrix's world) are built on the frozen day too.
    global _SESSION_TRAVEL
    _SESSION_TRAVEL = time_machine.travel(FROZEN_NOW, tick=True)
    _SESSION_TRAVEL.start()


def pytest_unconfigure(config: pytest.Config) -> None:
    if _SESSION_TRAVEL is not None:
        _SESSION_TRAVEL.stop()


@pytest.fixture(autouse=True)
def clock(request: pytest.FixtureRequest) -> Iterator[Clock]:
    """The frozen clock; a test marked ``@pytest.mark.today(...)`` starts on that day instead."""
    marker = request.node.get_closest_marker("today")
    with Clock(parse_day(*marker.args) if marker else None) as frozen:
        yield frozen


# ---- the demo bureau, once per test process -----------------------------------------------------


class _DemoDatabase:
    """The state of the shared demo: open (built, inside a transaction) or closed."""

    def __init__(self) -> None:
        self.atomic: Any = None
        self.output = ""
        self.builds = 0

    def open(self, blocker: Any) -> None:
        from django.core.management import call_command
        from django.db import transaction
        from django.test import override_settings

        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            out = io.StringIO()
            # As every test has (the fixtures below): fast hashes, and no writes to var/cache.
            with override_settings(
                PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
            ):
                call_command("demo", "--if-empty", stdout=out)
            self.output = out.getvalue()
            self.builds += 1

    def close(self, blocker: Any) -> None:
        from django.db import transaction

        if self.atomic is None:
            return
        with blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


DEMO = _DemoDatabase()
_DEMO_BLOCKER: list[Any] = []


@pytest.fixture(scope="session")
def _demo_database(django_db_setup, django_db_blocker) -> Iterator[_DemoDatabase]:  # type: ignore[no-untyped-def]
    _DEMO_BLOCKER.append(django_db_blocker)
    DEMO.open(django_db_blocker)
    yield DEMO
    DEMO.close(django_db_blocker)


@pytest.fixture
def demo_bureau(_demo_database: _DemoDatabase, db) -> _DemoDatabase:  # type: ignore[no-untyped-def]
    """The demo bureau (``dangjian demo``, built once); ``.output`` is what the command printed."""
    if _demo_database.atomic is None:
        pytest.fail(
            "演示数据已回滚：使用 demo_bureau 的测试须连续运行（见 conftest.py 的排序）", pytrace=False
        )
    return _demo_database


def _uses_demo(item: pytest.Item) -> bool:
    # Directly (demo_bureau) or through a module fixture built on top of it (_demo_database).
    return "_demo_database" in getattr(item, "fixturenames", ())


def _in_db_group(item: pytest.Item) -> bool:
    """Whether pytest-django runs the item among the database tests that roll back (its group 0)."""
    fixtures = getattr(item, "fixturenames", ())
    marker = item.get_closest_marker("django_db")
    if "transactional_db" in fixtures or "live_server" in fixtures:
        return False
    if marker is not None and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return False
    return marker is not None or "db" in fixtures


def pytest_itemcollected(item: pytest.Item) -> None:
    # Under `pytest -n N --dist loadgroup` the tests on the demo go to one worker: one build.
    if _uses_demo(item):
        item.add_marker(pytest.mark.xdist_group("demo"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the demo's tests together, right after the other rolled-back database tests and before
    the transactional ones (which flush the database, and must not run inside the demo's
    transaction). Runs after pytest-django's own ordering."""
    demo = [item for item in items if _uses_demo(item)]
    if not demo:
        return
    rest = [item for item in items if not _uses_demo(item)]
    cut = next((n for n, item in enumerate(rest) if not _in_db_group(item)), len(rest))
    items[:] = [*rest[:cut], *demo, *rest[cut:]]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    yield
    # The last test on the demo has run: roll the demo back before anything else uses the database.
    if DEMO.atomic is not None and (nextitem is None or not _uses_demo(nextitem)):
        DEMO.close(_DEMO_BLOCKER[-1])


# ---- settings every test runs with --------------------------------------------------------------


@pytest.fixture(autouse=True)
def _seed_rows_after_a_serialized_flush(request: pytest.FixtureRequest) -> None:
    """A transactional test starts with the rows migrations and post_migrate put in.

    Django flushes after a serialized_rollback test without post_migrate (test_backup), so the
    next transactional test on that worker found no built-in activity types (which test follows
    which depends on how the tests are spread over the workers).
    """
    marker = request.node.get_closest_marker("django_db")
    fixtures = request.fixturenames
    transactional = "live_server" in fixtures or "transactional_db" in fixtures
    if marker is not None and marker.kwargs.get("transaction"):
        transactional = True
    if not transactional:
        return
    request.getfixturevalue("transactional_db")
    from django.core.management.sql import emit_post_migrate_signal

    from dangjian.activities.models import ActivityType

    if not ActivityType.objects.filter(is_builtin=True).exists():
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    # argon2 is deliberately slow; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _jobs_run_at_once(settings, tmp_path):  # type: ignore[no-untyped-def]
    # Jobs run inside the request that starts them (django-tasks' ImmediateBackend), so a view
    # test sees the finished job; tests of the worker itself switch to the database backend.
    # Their files go to the test's own folder, never to var/.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.JOBS_DIR = tmp_path / "jobs"


@pytest.fixture(autouse=True)
def _clear_login_throttle(settings):  # type: ignore[no-untyped-def]
    # The site's cache is a directory shared by its server processes (var/cache); a test run
    # must neither read what a running dev server cached nor clear it, so tests get an
    # in-process cache, emptied between tests. (The login throttle itself is in the database.)
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def bureau(db):  # type: ignore[no-untyped-def]
    """党组 → 机关党委 → 第一党支部 (with 2 党小组) and 第二党支部, with a few members each."""
    return factories.org_tree()


# Names other fixtures (tests/access_world.py …) and older tests import from here.
build_bureau = factories.org_tree
_user = factories.user


@pytest.fixture
def personas(bureau):  # type: ignore[no-untyped-def]
    return factories.personas(bureau)


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """``login(user)`` logs the test client in as that persona and returns the client."""

    def _login(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return _login
