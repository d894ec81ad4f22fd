"""The proofreader's tests need no Django: neutralise the project-wide autouse fixture that
asks pytest-django for `settings`, so `pytest -p no:django dangjian/proofread` works too."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing():
    yield


@pytest.fixture(autouse=True)
def _clear_login_throttle():
    yield


@pytest.fixture(autouse=True)
def _jobs_run_at_once():
    yield
