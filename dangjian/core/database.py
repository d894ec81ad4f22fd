"""The database connection settings, and telling a busy database from a broken one.

``database_settings()`` turns DANGJIAN_DATABASE_URL into Django's DATABASES entry with the
options that keep several server processes working side by side:

- SQLite (the default): WAL so readers never wait for a writer, a busy timeout so a writer
  waits for another writer instead of failing at once, and ``BEGIN IMMEDIATE`` for every
  transaction so a transaction that first reads and then writes cannot hit SQLITE_BUSY the
  moment it tries to upgrade its lock (the busy timeout does not apply there).
- PostgreSQL: a statement timeout and a lock timeout, so one held lock or runaway query cannot
  stall every page (the login page included), and health checks so a connection that died
  with a server restart is replaced instead of failing the next request.

``is_busy_error()`` recognises the errors that mean "try again in a moment" so the web layer
can answer 系统繁忙 (503) with the user's input instead of a 500.
"""

from __future__ import annotations

from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

# Substrings of the messages SQLite and PostgreSQL give when a lock or timeout stopped a statement.
_BUSY_MESSAGES = (
    "database is locked",  # SQLite: the busy timeout ran out
    "database table is locked",  # SQLite shared cache (the in-memory test database)
    "database is busy",
    "lock timeout",  # PostgreSQL: canceling statement due to lock timeout
    "statement timeout",  # PostgreSQL: canceling statement due to statement timeout
    "could not obtain lock",  # PostgreSQL: SELECT … FOR UPDATE NOWAIT
    "deadlock detected",
)


def database_settings(
    url: str,
    *,
    conn_max_age: int = 60,
    sqlite_timeout: int = 20,
    pg_statement_timeout_ms: int = 30_000,
    pg_lock_timeout_ms: int = 5_000,
) -> dict[str, Any]:
    """Django's DATABASES["default"] for ``url``, with the options described in the module doc."""
    try:
        config = dj_database_url.parse(url, conn_max_age=conn_max_age)
    except ValueError as exc:
        raise ImproperlyConfigured(f"DANGJIAN_DATABASE_URL is not a valid database URL: {exc}") from exc
    options = config.setdefault("OPTIONS", {})
    engine = config["ENGINE"]
    if engine == "django.db.backends.sqlite3":
        options.update(
            {
                "timeout": sqlite_timeout,
                "transaction_mode": "IMMEDIATE",
                # synchronous=NORMAL is safe with WAL (a power cut may lose the last commit, never
                # corrupt the file) and saves an fsync per commit.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            }
        )
        # A SQLite connection is a file handle: cheap to open per request.
        config["CONN_MAX_AGE"] = 0
    elif engine in ("django.db.backends.postgresql", "django.contrib.gis.db.backends.postgis"):
        pg_options = [
            f"-c statement_timeout={pg_statement_timeout_ms}",
            f"-c lock_timeout={pg_lock_timeout_ms}",
            # A session left "idle in transaction" holds its locks; end it rather than stall others.
            "-c idle_in_transaction_session_timeout=60000",
        ]
        existing = options.get("options", "")
        options["options"] = " ".join([existing, *pg_options]).strip()
        options.setdefault("connect_timeout", 5)
        config["CONN_HEALTH_CHECKS"] = True
    config.setdefault("TEST", {})
    return config


def is_busy_error(exc: BaseException | None) -> bool:
    """Whether ``exc`` says the database was busy (a lock or timeout), not that a query was wrong."""
    if not isinstance(exc, DatabaseError):
        return False
    text = str(exc).lower()
    return any(message in text for message in _BUSY_MESSAGES)
