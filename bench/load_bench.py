"""Load benchmark: N concurrent users on a mix of officer pages against a running ``dangjian serve``.

    # once: a demo bureau in its own database, then the server
    DANGJIAN_VAR_DIR=/tmp/lb/var .venv/bin/dangjian migrate && DANGJIAN_VAR_DIR=/tmp/lb/var .venv/bin/dangjian demo
    DANGJIAN_VAR_DIR=/tmp/lb/var .venv/bin/dangjian serve --port 8731 &
    .venv/bin/python bench/load_bench.py --port 8731 --users 50 --requests 4000

Each virtual user logs in (as one of the demo accounts of several roles, before the clock
starts: argon2 is slow on purpose) and then, with no think time, fetches pages from the mix
over one keep-alive connection until the bounded request budget or the time limit runs out.
Reported: requests/s, latency percentiles, errors (any status but 200, or a connection error),
and the machine's load average before and after — the machine is shared, so a figure taken
while others' tests run says so. Targets (issue 14): ≥ 60 requests/s and p95 < 500 ms at 50
users with 0 errors.

With no think time (the default) every user sends its next request as soon as the last one is
answered, so the run measures the server's capacity, and by Little's law the mean latency is
users ÷ throughput: p95 < 500 ms at 50 such users needs > 100 requests/s. ``--think S`` adds a
person's pause (uniform 0.5–1.5 × S) between requests, for latency at a realistic load.

Only loopback addresses are accepted as the target.
"""

from __future__ import annotations

import argparse
import http.client
import ipaddress
import json
import os
import random
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field

# (account, pages) — officers of every reach, and the read-only discipline inspector.
ROLES = [
    ("jgdw", "agency"),
    ("admin", "agency"),
    ("zb1", "branch"),
    ("zb2", "branch"),
    ("zb3", "branch"),
    ("jj", "agency"),
]
PAGES = {
    "home": "/",
    "activities": "/activities/",
    "members": "/members/",
    "compliance": "/compliance/",
    "orgs": "/orgs/",
    "org_detail": "/orgs/{org}/",
    "member_detail": "/members/{member}/",
    "dues": "/dues/month/",
    "recruitment": "/recruitment/",
}
# How often each page is asked for: lists and the home page most.
WEIGHTS = {
    "home": 4,
    "activities": 3,
    "members": 3,
    "compliance": 2,
    "orgs": 1,
    "org_detail": 2,
    "member_detail": 2,
    "dues": 1,
    "recruitment": 1,
}


@dataclass
class Tally:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    lock: threading.Lock = field(default_factory=threading.Lock)
    issued: int = 0

    def claim(self, budget: int) -> bool:
        with self.lock:
            if self.issued >= budget:
                return False
            self.issued += 1
            return True

    def add(self, page: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latencies[page].append(seconds)
            if error:
                self.errors[f"{page}: {error}"] += 1


class Browser:
    """One user: a keep-alive connection, the session and CSRF cookies."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.conn = http.client.HTTPConnection(host, port, timeout=60)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str, dict[str, str]]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()), "Host": self.host}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://{self.host}:{self.port}{path}"
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                break
            except (http.client.HTTPException, ConnectionError, OSError):
                # The server closed an idle keep-alive connection (a worker restarting): reconnect once.
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                if attempt:
                    raise
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text, dict(response.getheaders())

    def login(self, username: str, password: str) -> None:
        status, page, _ = self.request("GET", "/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or not token:
            raise SystemExit(f"login page for {username}: HTTP {status}")
        body = urllib.parse.urlencode(
            {"csrfmiddlewaretoken": token.group(1), "username": username, "password": password, "next": "/"}
        )
        status, _, headers = self.request("POST", "/login/", body)
        if status != 302:
            raise SystemExit(f"login as {username} failed: HTTP {status}")


def discover(browser: Browser) -> dict[str, str]:
    """An organization and a member this user may open, read from the lists."""
    found = {}
    _, orgs, _ = browser.request("GET", "/orgs/")
    match = re.findall(r'href="/orgs/(\d+)/"', orgs)
    found["org"] = random.choice(match) if match else None
    _, members, _ = browser.request("GET", "/members/")
    match = re.findall(r'href="/members/(\d+)/"', members)
    found["member"] = random.choice(match) if match else None
    return found


def user_loop(
    browser: Browser, ids: dict[str, str], tally: Tally, budget: int, deadline: float, think: float = 0.0
) -> None:
    pages = [
        p for p in PAGES if "{" not in PAGES[p] or all(ids.get(k) for k in re.findall(r"{(\w+)}", PAGES[p]))
    ]
    weights = [WEIGHTS[p] for p in pages]
    rng = random.Random()
    while time.monotonic() < deadline and tally.claim(budget):
        page = rng.choices(pages, weights)[0]
        path = PAGES[page].format(**ids)
        started = time.perf_counter()
        try:
            status, _, _ = browser.request("GET", path)
            error = None if status == 200 else f"HTTP {status}"
        except Exception as exc:  # noqa: BLE001 - every failure is counted, none stops the run
            error = type(exc).__name__
        tally.add(page, time.perf_counter() - started, error)
        if think:
            time.sleep(rng.uniform(0.5 * think, 1.5 * think))  # a person reading the page


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


# Each save moves the ledger version (core.audit): every cached derived part and rendered page is
# dropped, so the next view of each page in each scope is built again. A separate process, so the
# load generator's own threads carry no Django.
_WRITER = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dangjian.settings")
import django
django.setup()
from dangjian.core.audit import ledger_changed
every = float(sys.argv[1])
while True:
    ledger_changed()
    time.sleep(every)
"""


def _start_writer(every: float) -> subprocess.Popen[bytes]:
    if "DANGJIAN_VAR_DIR" not in os.environ:
        raise SystemExit(
            "--write-every needs the server's DANGJIAN_VAR_DIR (its cache holds the ledger version)"
        )
    return subprocess.Popen([sys.executable, "-c", _WRITER, str(every)])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--requests", type=int, default=4000, help="request budget (bounded)")
    parser.add_argument("--seconds", type=float, default=180, help="time limit (bounded)")
    parser.add_argument(
        "--think", type=float, default=0.0, help="mean pause between a user's requests (0: back to back)"
    )
    parser.add_argument("--password", default=os.environ.get("DANGJIAN_DEMO_PASSWORD", "demo-pass-2024"))
    parser.add_argument(
        "--write-every",
        type=float,
        default=0.0,
        help="move the ledger version every S seconds, as a save would (needs the server's DANGJIAN_VAR_DIR "
        "and DANGJIAN_DATABASE_URL in the environment): cached pages are then rebuilt under load",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    try:
        loopback = ipaddress.ip_address(args.host if args.host != "localhost" else "127.0.0.1").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise SystemExit("load_bench only targets this machine (127.0.0.0/8, ::1)")

    load_before = os.getloadavg()
    browsers = []
    for n in range(args.users):
        username, _reach = ROLES[n % len(ROLES)]
        browser = Browser(args.host, args.port)
        browser.login(username, args.password)
        browsers.append((browser, discover(browser)))
    # Warm-up: every user fetches the home page once (caches, first connections) off the clock.
    for browser, _ids in browsers:
        browser.request("GET", "/")

    tally = Tally()
    deadline = time.monotonic() + args.seconds
    threads = [
        threading.Thread(target=user_loop, args=(b, ids, tally, args.requests, deadline, args.think))
        for b, ids in browsers
    ]
    writer = _start_writer(args.write_every) if args.write_every > 0 else None
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    if writer is not None:
        writer.terminate()
        writer.wait()
    load_after = os.getloadavg()

    every = [s for values in tally.latencies.values() for s in values]
    summary = {
        "users": args.users,
        "think_seconds": args.think,
        "write_every_seconds": args.write_every,
        "requests": len(every),
        "seconds": round(elapsed, 1),
        "requests_per_second": round(len(every) / elapsed, 1),
        "p50_ms": round(percentile(every, 0.50) * 1000),
        "p95_ms": round(percentile(every, 0.95) * 1000),
        "p99_ms": round(percentile(every, 0.99) * 1000),
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "pages": {
            page: {
                "n": len(values),
                "median_ms": round(statistics.median(values) * 1000),
                "p95_ms": round(percentile(values, 0.95) * 1000),
            }
            for page, values in sorted(tally.latencies.items())
        },
    }
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(
            f"{summary['users']} users (think {args.think} s, ledger moved every {args.write_every or '—'} s), "
            f"{summary['requests']} requests in {summary['seconds']} s: "
            f"{summary['requests_per_second']} req/s, p50 {summary['p50_ms']} ms, "
            f"p95 {summary['p95_ms']} ms, p99 {summary['p99_ms']} ms, errors {summary['errors']}"
        )
        print(f"load average before {summary['load_average_before']}, after {summary['load_average_after']}")
        for page, row in summary["pages"].items():
            print(f"  {page:14} n={row['n']:5}  median {row['median_ms']:5} ms  p95 {row['p95_ms']:5} ms")
        for kind, count in summary["error_kinds"].items():
            print(f"  error {kind}: {count}")
    return 0 if summary["errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
