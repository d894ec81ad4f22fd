"""Hostile input gets a clear answer, never a server error (issue 14, point 5).

For every URL in urls.py (the access matrix's list, with real ids from tests/access_world.py) and
for the personas whose code paths differ (the admin, a branch secretary, an ordinary member),
hypothesis drives:

- the query string: every parameter the view reads (found in its source) and the ones every list
  page shares, each set to a hostile value (``abc``, ``1e309``, ``²``, ``9999-12``, a period of
  eight thousand years, markup, NUL, 5,000 characters …) or random text;
- every form the page shows to that persona (parsed from its HTML): each field gets a hostile
  value, file fields get broken or random bytes.

An answer of 500 or above, or an exception, fails. Each request runs in a rolled-back
transaction. The number of examples per URL comes from the hypothesis profile: ``ci`` (the
default, 4 per URL and persona) or ``deep`` (``HYPOTHESIS_PROFILE=deep``, 60), whose run is
recorded in bench/RESULTS.md.
"""

from __future__ import annotations

import inspect
import os
import re
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from dangjian.core.scope import get_access
from tests.access_world import World
from tests.test_access_matrix import ROUTES, Route, _url

settings.register_profile(
    "ci",
    max_examples=4,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "deep",
    max_examples=60,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

HOSTILE = [
    "",
    " ",
    "abc",
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "9" * 30,
    "²",
    "٣",
    "２０２６",
    "9999-12",
    "0000-00",
    "2026-13",
    "2026-02-30",
    "0001-01-01..9999-12-31",
    "1921-01-01..2100-12-31",
    "2026Q9",
    "2026H3",
    "2026-05..2025-01",
    "<script>alert(1)</script>",
    "' OR '1'='1",
    "\x00",
    "%00",
    "../../../etc/passwd",
    "a" * 5000,
    "1,2,3",
    "[]",
    "None",
    "+1",
    "0x10",
    "1.5",
    "23:61",
    "2026-11-29T25:00",
]
VALUES = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
FILES = st.sampled_from(
    [
        b"",
        b"PK\x03\x04not a zip at all",
        b"\x00" * 64,
        "姓名,身份证号\n张三,1\n".encode(),
        os.urandom(256),
    ]
)
# Parameters list pages share (paging, filters) besides what a view reads itself.
COMMON_KEYS = ["page", "org", "period", "year", "month", "q", "status", "v", "type", "sort"]
READ_PATTERNS = [
    re.compile(
        r"""(?:GET|POST|params|query|data|request\.GET|request\.POST)\.get(?:list)?\(\s*["'](\w+)["']"""
    ),
    re.compile(r"""(?:GET|POST|params)\[\s*["'](\w+)["']\s*\]"""),
    re.compile(r"""period_param\([^,()]+,\s*["'](\w+)["']"""),
]
PERSONAS = ["admin", "own_secretary", "member"]


def _keys(route: Route) -> list[str]:
    try:
        source = inspect.getsource(inspect.unwrap(route.view))
    except (OSError, TypeError):
        source = ""
    found = {m for pattern in READ_PATTERNS for m in pattern.findall(source)}
    return sorted(found | set(COMMON_KEYS))


class _Forms(HTMLParser):
    """The forms of a page: (method, action, {field: kind}) with kind "file", "select" or "text"."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self._open = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(((a.get("method") or "get").lower(), a.get("action", ""), {}))
            self._open = True
        elif self._open and tag in ("input", "select", "textarea") and a.get("name"):
            if a["name"] == "csrfmiddlewaretoken":
                return
            kind = "file" if a.get("type") == "file" else "text"
            self.forms[-1][2][a["name"]] = kind

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = False


def _forms(html: str, page_path: str) -> list[tuple[str, str, dict[str, str]]]:
    parser = _Forms()
    parser.feed(html)
    found = []
    for method, action, fields in parser.forms:
        target = urlsplit(action).path or page_path
        if not target.startswith("/") or target.startswith(("/admin/", "/logout")):
            continue
        found.append((method, target, fields))
    return found


def _request(client: Any, method: str, path: str, data: dict[str, Any]) -> int:
    with transaction.atomic():
        response = client.post(path, data) if method == "post" else client.get(path, data)
        transaction.set_rollback(True)
    return response.status_code


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_values_never_give_a_server_error(
    route: Route, persona: str, world: World, client, db
) -> None:  # type: ignore[no-untyped-def]
    declared = get_access(route.view)
    assert declared is not None
    client.force_login(world.users[persona])
    world.put_files()
    url = _url(route, declared, world, "inside" if ("pk" in route.kwargs or declared.query) else None)
    path, _, base_query = url.partition("?")
    base = dict(pair.split("=", 1) for pair in base_query.split("&") if "=" in pair)
    with transaction.atomic():
        page = client.get(url)
        transaction.set_rollback(True)
    assert page.status_code < 500, f"GET {url}: {page.status_code}"
    html = page.content.decode("utf-8", "replace") if "html" in page.get("Content-Type", "") else ""
    forms = _forms(html, path) if page.status_code == 200 else []
    keys = _keys(route)

    @given(st.data())
    def drive(data: st.DataObject) -> None:
        query = {**base, **{k: data.draw(VALUES, label=k) for k in keys if data.draw(st.booleans())}}
        status = _request(client, "get", path, query)
        assert status < 500, f"{persona} GET {path} {query!r}: {status}"
        for method, target, fields in forms:
            values: dict[str, Any] = {}
            for name, kind in fields.items():
                if kind == "file":
                    values[name] = SimpleUploadedFile("名单.xlsx", data.draw(FILES, label=name))
                else:
                    values[name] = data.draw(VALUES, label=name)
            status = _request(client, method, target, values)
            assert status < 500, f"{persona} {method.upper()} {target} {sorted(values)!r}: {status}"

    drive()


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    from conftest import build_bureau
    from tests.access_world import build_world

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(build_bureau())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
