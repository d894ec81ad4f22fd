from dangjian.metrics.tests.conftest import make_activity, types  # noqa: F401 - shared fixtures
