"""Shared test fixtures: a small bureau and the personas every view test uses.

Personas (STYLE.md §11): ``admin``, ``agency_officer`` (机关党委), ``secretary_of_branch_1``
(党务干部 of branch 1's subtree), ``discipline`` (纪检, read-only), ``member`` (an ordinary
member of branch 1, sees only themselves) and ``outsider`` (logged in, no role).
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest


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
    return build_bureau()


def build_bureau() -> SimpleNamespace:
    """The ``bureau`` fixture's organizations and members, for fixtures of a wider scope."""
    from dangjian.members.models import Member
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    lg = Organization.objects.create(name="测试局党组", kind=OrgKind.LEADING_GROUP, order=1)
    oc = Organization.objects.create(name="测试局机关党委", kind=OrgKind.ORGAN_COMMITTEE, parent=lg, order=1)
    b1 = Organization.objects.create(name="第一党支部", kind=OrgKind.BRANCH, parent=oc, order=1)
    b2 = Organization.objects.create(name="第二党支部", kind=OrgKind.BRANCH, parent=oc, order=2)
    c1 = Organization.objects.create(name="第一党小组", kind=OrgKind.CELL, parent=b1, order=1)
    c2 = Organization.objects.create(name="第二党小组", kind=OrgKind.CELL, parent=b1, order=2)

    def make(name: str, org, cell=None, status="full", born=(1985, 3, 12), admitted=(2010, 7, 1), **kw):  # type: ignore[no-untyped-def]
        admission = datetime.date(*admitted)
        return Member.objects.create(
            name=name,
            gender=kw.pop("gender", "male"),
            birth_date=datetime.date(*born),
            organization=org,
            cell=cell,
            status=status,
            admission_date=admission,
            confirmation_date=None
            if status == "probationary"
            else admission.replace(year=admission.year + 1),
            **kw,
        )

    m1 = make("赵一明", b1, c1)
    m2 = make("钱二华", b1, c2, gender="female", born=(1990, 8, 20))
    m3 = make("孙三立", b1, c1, status="probationary", born=(1998, 1, 5), admitted=(2026, 3, 1))
    m4 = make("李四清", b2, born=(1970, 11, 2), admitted=(1995, 6, 30))
    m5 = make("周五平", b2, gender="female", born=(1979, 4, 18))
    return SimpleNamespace(
        leading_group=lg,
        organ_committee=oc,
        branch_1=b1,
        branch_2=b2,
        cell_1=c1,
        cell_2=c2,
        members=[m1, m2, m3, m4, m5],
        member_1=m1,
        member_of_branch_2=m4,
    )


def _user(username: str, kind: str | None, *, org=None, member=None, **extra):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    from dangjian.core.models import Role

    user = get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)
    if kind:
        Role.objects.create(user=user, kind=kind, organization=org, member=member)
    return user


@pytest.fixture
def personas(bureau):  # type: ignore[no-untyped-def]
    return SimpleNamespace(
        admin=_user("admin", "admin", is_staff=True, is_superuser=True),
        agency_officer=_user("jgdw", "agency_officer", org=bureau.organ_committee),
        secretary_of_branch_1=_user("zb1", "org_officer", org=bureau.branch_1),
        discipline=_user("jj", "discipline"),
        member=_user("dy1", "member", member=bureau.member_1),
        outsider=_user("outsider", None),
    )


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """``login(user)`` logs the test client in as that persona and returns the client."""

    def _login(user):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return _login
