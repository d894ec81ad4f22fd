"""Whole-site smoke test: every demo account clicks through the site as its user would.

The demo bureau (``dangjian demo``, the session's ``demo_bureau``) is built once inside a
transaction that is rolled back at the end, so this works on SQLite and PostgreSQL alike and
leaves the test database clean. Then, for each demo account, a breadth-first crawl from "/" follows every same-site
``<a href>`` (GET only) and checks each answer:

- no status ≥ 500; no 404 or 403 for a link the user was shown (a page must not link to what
  its reader cannot open); no link that bounces a logged-in user to the login page;
- HTML pages have a ``<title>``, Chinese text, no "None"/"nan" and no ``{{``/``{%`` residue;
- no English UI words in what the user reads (code/pre, URLs and technical tokens excluded);
- file downloads answer 200 with a non-HTML content type and a body (they are not parsed).

Every problem of every role is collected and reported in one failure message.
"""

from __future__ import annotations

import os
import re
import time
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, parse_qsl, urljoin, urlsplit, urlunsplit

import pytest
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client

ROLES = ["admin", "jgdw", "zb1", "zb2", "jj", "dy1"]
MAX_PAGES = 400
MAX_SECONDS = 240  # per role; the crawl stops (and says so) when it runs out
MAX_PAGE_NUMBER = 2
# Pages of one shape (/members/12/ and /members/13/) are mostly the same template: a few of each
# are enough, and the page budget then reaches every kind of page instead of one long list.
MAX_PER_SHAPE = 6
SKIP_PREFIXES = ("/logout", "/admin/", "/static/", "/media/")

# Capitalised English UI words, matched as whole words in visible text.
ENGLISH_UI = re.compile(
    r"(?<![A-Za-z])("
    r"Submit|Save|Delete|Cancel|Edit|Search|Next|Previous|Page|Back|Add|Create|Update|Remove|"
    r"Export|Import|Download|Upload|Filter|Reset|Clear|Close|Confirm|Login|Log in|Logout|Log out|"
    r"Home|View|Details|Yes|No|True|False|Unknown|Loading|Error|Warning|Actions|Name|Date|Status|"
    r"Total|Showing|results|Choose|Browse|Currently|Change|Not Found|Forbidden|Server Error|"
    r"This field is required|Enter a valid|Select a valid|Ensure this value|"
    r"January|February|March|April|June|July|August|September|October|November|December|"
    r"Jan\.|Feb\.|Aug\.|Sept\.|Oct\.|Nov\.|Dec\.|"
    r"Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|a\.m\.|p\.m\.|midnight|noon"
    r")(?![A-Za-z])"
)
# Any other Latin word is allowed only if it is a known technical token.
TECH_TOKENS = {
    "gb",
    "t",
    "pdf",
    "word",
    "excel",
    "htmx",
    "id",
    "docx",
    "xlsx",
    "xls",
    "ics",
    "csv",
    "txt",
    "zip",
    "png",
    "jpg",
    "jpeg",
    "url",
    "http",
    "https",
    "www",
    "utf",
    "ok",
    "wps",
    "ai",
    "it",
    "cpc",
    "ccp",
    "q",
    "h",
    "vs",
    "kb",
    "mb",
    "x",
    "n",
    "a",
    "b",
    "c",
    "d",
    "xx",  # the proofreader's description of placeholder residue ("xx、某某")
    "zs",  # the members search box's example of pinyin initials (张三 → zs)
}
NONE_RESIDUE = re.compile(r"(?<![A-Za-z])(None|nan|NaN)(?![A-Za-z])")
TEMPLATE_RESIDUE = re.compile(r"\{\{|\{%|%\}|\}\}")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
URLISH = re.compile(
    r"(https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|\S+\.(docx|xlsx|xls|ics|pdf|csv|txt|zip))"
)
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


class _PageParser(HTMLParser):
    """Collects links, the title and the text a reader sees (not script/style/code/pre)."""

    HIDDEN = {"script", "style", "pre", "code", "template", "noscript", "kbd", "samp"}
    VOID = {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.title: str | None = None
        self.text: list[str] = []
        self.raw_text: list[str] = []  # everything but script/style, to look for template residue
        self._stack: list[str] = []
        self._in_title = False
        # Elements marked translate="no" hold recorded data (usernames, raw values in the audit
        # log), not UI text: they are not checked for English.
        self._raw_stack: list[bool] = []
        self._raw_depth = 0

    def _hidden(self) -> bool:
        return self._raw_depth > 0 or any(tag in self.HIDDEN for tag in self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        if tag == "title":
            self._in_title = True
            self.title = ""
        if not self._hidden():
            # What a reader also sees: placeholders, button captions, tooltips, prefilled values.
            for name in ("placeholder", "title", "aria-label", "alt"):
                if a.get(name):
                    self.text.append(a[name] or "")
            # Radio/checkbox values are codes the reader never sees; captions and typed values are seen.
            kind = (a.get("type") or "text").lower()
            if (
                tag == "input"
                and kind not in ("hidden", "password", "radio", "checkbox", "file")
                and a.get("value")
            ):
                self.text.append(a["value"] or "")
        if tag not in self.VOID:
            self._stack.append(tag)
            raw = a.get("translate") == "no"
            self._raw_stack.append(raw)
            self._raw_depth += raw

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID and self._stack and self._stack[-1] == tag:
            self._pop()

    def _pop(self) -> str:
        self._raw_depth -= self._raw_stack.pop()
        return self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False
        if tag in self._stack:
            while self._stack:
                if self._pop() == tag:
                    break

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title = (self.title or "") + data
        if not any(tag in ("script", "style") for tag in self._stack):
            self.raw_text.append(data)
        if not self._hidden():
            self.text.append(data)


@dataclass
class CrawlResult:
    role: str
    visited: int = 0
    files: int = 0
    seconds: float = 0.0
    problems: list[str] = field(default_factory=list)
    stopped: str = ""
    urls: list[str] = field(default_factory=list)


def _normalise(href: str, base: str) -> str | None:
    """The same-site path+query to fetch for ``href`` on page ``base``, or None to skip it."""
    href = href.strip()
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc not in ("testserver", "127.0.0.1", "localhost"):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    page = parse_qs(parts.query).get("page", ["1"])[0]
    if page.isdigit() and int(page) > MAX_PAGE_NUMBER:
        return None
    return urlunsplit(("", "", path, parts.query, ""))


def _shape(url: str) -> str:
    parts = urlsplit(url)
    path = re.sub(r"/\d+(?=/|$)", "/<n>", parts.path)
    keys = sorted({k for k, _ in parse_qsl(parts.query, keep_blank_values=True)} - {"page"})
    return path + ("?" + "&".join(keys) if keys else "")


def _english_words(text: str) -> list[str]:
    text = URLISH.sub(" ", text)
    found = [m.group(1) for m in ENGLISH_UI.finditer(text)]
    for word in LATIN_WORD.findall(text):
        if word.lower() not in TECH_TOKENS and word not in found and not _idlike(word):
            found.append(word)
    return found


def _idlike(word: str) -> bool:
    # Abbreviations and codes (ID, GB, JSON…) are written in capitals; words of a UI are not.
    return word.isupper() and len(word) <= 6


def _snippet(text: str, match: re.Match[str], width: int = 30) -> str:
    start, end = max(0, match.start() - width), min(len(text), match.end() + width)
    return " ".join(text[start:end].split())


def _check_html(url: str, body: str, problems: list[str]) -> list[str]:
    parser = _PageParser()
    parser.feed(body)
    parser.close()
    visible = "\n".join(parser.text)
    if not (parser.title or "").strip():
        problems.append(f"{url}: 页面没有 <title>")
    if not CHINESE.search(visible):
        problems.append(f"{url}: 页面没有中文文字")
    for m in NONE_RESIDUE.finditer(visible):
        problems.append(f"{url}: 显示了 {m.group(1)!r}：…{_snippet(visible, m)}…")
        break
    raw = "\n".join(parser.raw_text)
    for m in TEMPLATE_RESIDUE.finditer(raw):
        problems.append(f"{url}: 模板残留 {m.group(0)!r}：…{_snippet(raw, m)}…")
        break
    english = _english_words(visible)
    if english:
        problems.append(f"{url}: 英文界面文字 {english[:8]}")
    return parser.links


def _fetch(client: Client, url: str, errors: list[str]):  # type: ignore[no-untyped-def]
    # Each request runs in a savepoint that is rolled back: the crawl only reads, and on
    # PostgreSQL a failed query must not poison the rest of the crawl.
    with transaction.atomic():
        response = client.get(url)
        content = b"".join(response.streaming_content) if response.streaming else response.content
        transaction.set_rollback(True)
    return response, content


def crawl(client: Client, role: str) -> CrawlResult:
    result = CrawlResult(role=role)
    seen: dict[str, str] = {"/": "(start)"}  # url → the first page that linked to it
    queue: deque[str] = deque(["/"])
    errors: list[str] = []
    shapes: dict[str, int] = {}

    def enqueue(href: str, base: str) -> None:
        nxt = _normalise(href, base)
        if nxt is None or nxt in seen:
            return
        shape = _shape(nxt)
        if shapes.get(shape, 0) >= MAX_PER_SHAPE:
            return
        shapes[shape] = shapes.get(shape, 0) + 1
        seen[nxt] = base
        queue.append(nxt)

    def on_exception(sender, request=None, **kwargs):  # type: ignore[no-untyped-def]
        exc = traceback.format_exc(limit=-3).strip().splitlines()
        errors.append(" | ".join(line.strip() for line in exc[-5:]))

    shapes["/"] = 1
    got_request_exception.connect(on_exception, weak=False)
    started = time.monotonic()
    try:
        while queue:
            if result.visited >= MAX_PAGES:
                result.stopped = f"reached {MAX_PAGES} pages with {len(queue)} links left"
                break
            if time.monotonic() - started > MAX_SECONDS:
                result.stopped = f"ran out of time ({MAX_SECONDS}s) with {len(queue)} links left"
                break
            url = queue.popleft()
            referrer = seen[url]
            errors.clear()
            response, content = _fetch(client, url, errors)
            result.visited += 1
            result.urls.append(f"{response.status_code} {url}")
            where = f"[{role}] {url} (linked from {referrer})"
            status = response.status_code
            if status >= 500:
                result.problems.append(f"{where}: HTTP {status} {errors[-1] if errors else ''}")
                continue
            if status in (403, 404, 405, 410):
                result.problems.append(f"{where}: HTTP {status} for a link shown to this user")
                continue
            if status in (301, 302, 303, 307, 308):
                target = response["Location"]
                if urlsplit(target).path.startswith("/login"):
                    result.problems.append(f"{where}: redirects a logged-in user to the login page")
                    continue
                enqueue(target, url)
                continue
            if status != 200:
                result.problems.append(f"{where}: unexpected HTTP {status}")
                continue
            ctype = response.get("Content-Type", "")
            if not ctype.startswith("text/html"):
                result.files += 1
                if not content:
                    result.problems.append(f"{where}: empty download ({ctype})")
                continue
            page_problems: list[str] = []
            links = _check_html(url, content.decode(response.charset or "utf-8", "replace"), page_problems)
            result.problems.extend(f"[{role}] {p} (linked from {referrer})" for p in page_problems)
            for href in links:
                enqueue(href, url)
    finally:
        got_request_exception.disconnect(on_exception)
    result.seconds = time.monotonic() - started
    return result


@pytest.fixture(scope="module")
def report_drafts(_demo_database, django_db_blocker) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """The shared demo bureau plus report drafts (below), made once for this module in a savepoint
    rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        _report_drafts()
        yield
        transaction.set_rollback(True)


SETUP_PROBLEMS: list[str] = []


def _report_drafts() -> None:
    """One report draft per genre for the organ committee and branch 1, so draft pages are crawled.

    The demo has no drafts and a draft is made by a POST; a genre that cannot compose a draft
    for an organization of a kind it accepts is itself a problem worth reporting.
    """
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    from dangjian.core.dates import today
    from dangjian.core.models import Role
    from dangjian.core.period import Period
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization
    from dangjian.reports import actions
    from dangjian.reports.models import Genre

    jgdw = get_user_model().objects.get(username="jgdw")
    organ = Organization.objects.get(kind=OrgKind.ORGAN_COMMITTEE)
    branch_1 = Role.objects.get(user__username="zb1").organization
    period = Period.parse(str(today().year - 1))
    for genre in Genre.objects.order_by("pk"):
        for org in (organ, branch_1):
            try:
                with transaction.atomic():
                    actions.do_create_draft(genre=genre, organization=org, period=period, acting_user=jgdw)
            except ValidationError:
                continue  # this genre is not for this kind of organization
            except Exception as exc:  # noqa: BLE001 — reported with the crawl's problems
                SETUP_PROBLEMS.append(f"生成报告初稿失败：{genre} / {org} / {period.code}: {exc!r}")


RESULTS: dict[str, CrawlResult] = {}


@pytest.mark.parametrize("role", ROLES)
def test_every_link_a_user_sees_works(demo_bureau, report_drafts, role):  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=role)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    result = crawl(client, role)
    RESULTS[role] = result
    if os.environ.get("CRAWL_LOG"):  # a folder: write each role's visited URLs there, for a look
        Path(os.environ["CRAWL_LOG"], f"{role}.txt").write_text(
            "\n".join(result.urls) + "\n", encoding="utf-8"
        )
    print(
        f"\n[{role}] visited {result.visited} pages ({result.files} files) in {result.seconds:.1f}s"
        + (f"; {result.stopped}" if result.stopped else "")
    )
    assert result.visited > 5, f"{role}: the crawl found almost nothing ({result.visited} pages)"
    result.problems[:0] = SETUP_PROBLEMS if role == ROLES[0] else []
    assert not result.problems, f"{len(result.problems)} problems for {role}:\n" + "\n".join(result.problems)
