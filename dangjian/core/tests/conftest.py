import pytest


@pytest.fixture(autouse=True)
def _clear_cache():  # type: ignore[no-untyped-def]
    # Login throttles live in the process-wide cache; one test's failures must not lock another's login.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
