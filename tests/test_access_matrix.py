"""The access matrix, generated from urls.py: every URL × every persona × a record inside and
outside the persona's reach, GET and POST, held to the ``@access`` declaration kept next to each
view (dangjian/core/scope.py documents the one 403/404 rule).

A URL without a declaration fails here. The expected answer is worked out from the declaration
and from who reaches which record (tests/access_world.py, written from the rules, not from the
scope helper under test):

- anonymous → the login page (public pages excepted);
- a persona outside the page's audience → 403;
- a record (in the path or the query) outside the persona's reach → 404;
- a write (or a write-only form) by a read-only role, or a supervisor's step by someone who does
  not oversee the organization → 403;
- otherwise an answer that is neither 403, 404 nor 500.

Refused answers never carry the record's data and write nothing; 纪检 never sees a full ID number,
on pages or in downloads. Django's own admin (/admin/) has its own staff check and is covered by
the login tests.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from dangjian.core.scope import Access, Audience, get_access
from tests.access_world import ID_NUMBERS, PERSONAS, World, build_world

SKIP_NAMESPACES = {"admin"}


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    kwargs: tuple[str, ...]
    view: Any


def _routes() -> list[Route]:
    found: list[Route] = []

    def walk(patterns: Any, namespace: str) -> None:
        for entry in patterns:
            if isinstance(entry, URLResolver):
                if entry.namespace in SKIP_NAMESPACES:
                    continue
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry.url_patterns, ns)
            elif isinstance(entry, URLPattern) and entry.name:
                found.append(Route(namespace + entry.name, tuple(entry.pattern.converters), entry.callback))

    walk(get_resolver().url_patterns, "")
    return found


ROUTES = _routes()


def test_every_url_declares_who_may_open_it() -> None:
    missing = [r.name for r in ROUTES if get_access(r.view) is None]
    assert missing == [], f"add @access(...) to: {', '.join(missing)}"


def test_every_declared_target_names_a_model_the_world_builds(world, db) -> None:  # type: ignore[no-untyped-def]
    for route in ROUTES:
        declared = get_access(route.view)
        labels = [declared.target] if declared.target else []
        labels += [label for _key, label in declared.query]
        for label in labels:
            assert label in world.inside, f"{route.name}: tests/access_world.py builds no {label}"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    """One world for the whole module (built once: ~1 s); every request below runs in a savepoint
    that is rolled back, so no test sees another's writes, and the world goes at the end."""
    from dangjian.testing.factories import org_tree

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield build_world(org_tree())
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def _pdf_without_libreoffice(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    # The matrix asks who may start a PDF export, not whether LibreOffice converts (the reports
    # tests do): a stand-in saves one LibreOffice run per persona allowed (~1 min in all).
    monkeypatch.setattr("dangjian.reports.jobs.docx_to_pdf", lambda docx, **kw: b"%PDF-1.4\n%%EOF\n")


# ---- one request and its expected answer --------------------------------------------------------


def _variants(route: Route, declared: Access) -> list[tuple[str, str | None]]:
    """(where, label) pairs to try: the target inside and outside, or each query parameter."""
    if "pk" in route.kwargs:
        return [("inside", declared.target), ("outside", declared.target)]
    if declared.query:
        return [(None, None), *[(w, None) for w in ("inside", "outside")]]  # type: ignore[list-item]
    return [(None, None)]


def _url(route: Route, declared: Access, world: World, where: str | None) -> str:
    kwargs = {k: world.samples[k] for k in route.kwargs if k != "pk"}
    if "pk" in route.kwargs:
        kwargs["pk"] = getattr(world, where)[declared.target].pk  # type: ignore[arg-type]
    params = [world.queries[route.name]] if route.name in world.queries else []
    if where and "pk" not in route.kwargs and declared.query:
        params += [f"{key}={getattr(world, where)[label].pk}" for key, label in declared.query]
    url = reverse(route.name, kwargs=kwargs)
    return f"{url}?{'&'.join(params)}" if params else url


def _expected(declared: Access, world: World, persona: str, where: str | None, method: str) -> str:
    """ "login", 403, 404, 405 or "ok" for this persona, record and method."""
    if declared.audience == Audience.PUBLIC:
        return "public"
    if persona == "anonymous":
        return "login"
    if not _in_audience(declared.audience, persona):
        return 403
    if declared.post_only and method == "GET":
        return 405  # answered before anything is looked up: it tells nothing about a record
    labels = [declared.target] if declared.target and where else []
    labels += [label for _key, label in declared.query] if where else []
    if where and any(not world.reaches(persona, label, where) for label in labels if label):
        return 404
    writing = declared.get_writes or (declared.writes and method == "POST")
    if writing and not world.writes(persona):
        return 403
    if where is None and declared.query_required:
        return 404
    if declared.oversee and method == "POST" and not world.oversees(persona, where or ""):
        return 403
    return "ok"


def _in_audience(audience: Audience, persona: str) -> bool:
    return {
        Audience.ANYONE: True,
        Audience.MEMBERS: persona != "outsider",
        Audience.OFFICERS: persona not in ("outsider", "member"),
        Audience.SUPERVISORS: persona in ("agency_officer", "admin"),
        Audience.ADMIN: persona == "admin",
    }[audience]


def _body(response: Any) -> str:
    """The text a user gets: the page, or the text inside a downloaded .xlsx/.docx/file."""
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            xml = " ".join(
                archive.read(n).decode("utf-8", "replace") for n in archive.namelist() if n.endswith(".xml")
            )
        return re.sub(r"<[^>]+>", " ", xml)
    return data.decode("utf-8", "replace")


def _secrets(world: World, where: str | None, declared: Access) -> list[str]:
    """Text that must not appear in a refusal: the names of the records the URL named."""
    if not where:
        return []
    labels = [declared.target] if declared.target else [label for _k, label in declared.query]
    found = []
    for label in labels:
        record = getattr(world, where)[label]
        name = getattr(record, "name", "") or getattr(record, "topic", "") or getattr(record, "title", "")
        if label == "orgs.Organization":
            continue  # organization names appear in every page's navigation of officers
        if name:
            found.append(str(name))
    return found


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_access_matrix(route: Route, world: World, client, db) -> None:  # type: ignore[no-untyped-def]
    from dangjian.core.models import AuditLog

    declared = get_access(route.view)
    assert declared is not None, f"{route.name} has no @access declaration"
    world.put_files()
    problems: list[str] = []
    for where, _label in _variants(route, declared):
        url = _url(route, declared, world, where)
        methods = (
            ["GET", "POST"] if (declared.writes or declared.post_only) and not declared.download else ["GET"]
        )
        for method in methods:
            for persona in PERSONAS:
                expected = _expected(declared, world, persona, where, method)
                if expected == "public":
                    continue
                client.logout()
                if world.users[persona] is not None:
                    client.force_login(world.users[persona])
                before = AuditLog.objects.count()
                with transaction.atomic():
                    response = client.post(url, {}) if method == "POST" else client.get(url)
                    written = AuditLog.objects.count() - before
                    transaction.set_rollback(True)
                status = response.status_code
                where_text = f"{persona} {method} {url}"
                if expected == "login":
                    if status != 302 or not response["Location"].startswith(reverse("login")):
                        problems.append(f"{where_text}: {status}, expected the login page")
                elif expected == "ok":
                    if status in (403, 404, 405) or status >= 500:
                        problems.append(f"{where_text}: {status}, expected an answer")
                elif status != expected:
                    problems.append(f"{where_text}: {status}, expected {expected}")
                if expected == 404:
                    body = _body(response)
                    problems += [
                        f"{where_text}: refusal shows “{s}”"
                        for s in _secrets(world, where, declared)
                        if s in body
                    ]
                if status in (403, 404) and expected != "ok":
                    if written:
                        problems.append(f"{where_text}: refused but wrote {written} audit rows")
                if persona == "discipline" and status == 200:
                    body = _body(response)
                    problems += [
                        f"{where_text}: 纪检 sees the full ID number {n}" for n in ID_NUMBERS if n in body
                    ]
    assert problems == [], "\n".join(problems)
