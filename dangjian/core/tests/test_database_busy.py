"""A busy database: writers wait for each other, and a write that still cannot proceed gets 系统繁忙.

The settings tests read ``database_settings()`` directly; the SQLite behaviour tests open real
connections to a database file with those settings; the page test holds a write lock from a
second connection while an officer saves a member.
"""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper
from django.urls import reverse

from dangjian.core.database import database_settings, is_busy_error


def test_sqlite_uses_wal_a_busy_timeout_and_immediate_transactions():
    config = database_settings("sqlite:////tmp/x.sqlite3", sqlite_timeout=7)
    assert config["OPTIONS"]["timeout"] == 7
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]


def test_postgres_has_statement_and_lock_timeouts_and_health_checks():
    config = database_settings(
        "postgres://u@db:5432/dj", pg_statement_timeout_ms=30_000, pg_lock_timeout_ms=5_000
    )
    assert "-c statement_timeout=30000" in config["OPTIONS"]["options"]
    assert "-c lock_timeout=5000" in config["OPTIONS"]["options"]
    assert config["CONN_HEALTH_CHECKS"] is True


def _wrapper(path: str, timeout: int) -> DatabaseWrapper:
    config = database_settings(f"sqlite:///{path}", sqlite_timeout=timeout)
    config.update({"TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "CONN_MAX_AGE": 0})
    wrapper = DatabaseWrapper(config, alias=f"busy-{timeout}")
    return wrapper


@pytest.fixture
def sqlite_file(tmp_path, django_db_blocker):  # type: ignore[no-untyped-def]
    path = tmp_path / "busy.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (n INTEGER)")
        raw.execute("INSERT INTO t VALUES (1)")
    # These connections are our own, to a scratch file, not the test database.
    with django_db_blocker.unblock():
        yield str(path)


def test_a_writer_waits_for_another_writer_instead_of_failing(sqlite_file):
    holder, waiter = _wrapper(sqlite_file, 10), _wrapper(sqlite_file, 10)
    holder.connect()
    holder.cursor().execute("BEGIN IMMEDIATE")
    holder.cursor().execute("UPDATE t SET n = 2")

    def release() -> None:
        time.sleep(0.5)
        holder.connection.commit()

    releaser = threading.Thread(target=release)
    releaser.start()
    started = time.monotonic()
    # A read-then-write transaction: with BEGIN DEFERRED this failed at once with "database is locked".
    waiter.set_autocommit(False)
    cursor = waiter.cursor()
    cursor.execute("SELECT n FROM t")
    cursor.execute("UPDATE t SET n = n + 10")
    waiter.commit()
    releaser.join()
    assert time.monotonic() - started >= 0.4
    cursor.execute("SELECT n FROM t")
    assert cursor.fetchone() == (12,)
    holder.close()
    waiter.close()


def test_readers_are_not_blocked_by_an_open_write_transaction(sqlite_file):
    holder, reader = _wrapper(sqlite_file, 1), _wrapper(sqlite_file, 1)
    holder.connect()
    holder.cursor().execute("BEGIN IMMEDIATE")
    holder.cursor().execute("UPDATE t SET n = 5")
    cursor = reader.cursor()
    cursor.execute("PRAGMA journal_mode")
    assert cursor.fetchone() == ("wal",)
    cursor.execute("SELECT n FROM t")
    assert cursor.fetchone() == (1,)  # the last committed value, without waiting
    holder.connection.rollback()
    holder.close()
    reader.close()


def test_a_write_that_cannot_get_the_lock_in_time_is_a_busy_error(sqlite_file):
    holder, waiter = _wrapper(sqlite_file, 1), _wrapper(sqlite_file, 1)
    holder.connect()
    holder.cursor().execute("BEGIN IMMEDIATE")
    with pytest.raises(OperationalError) as caught:
        waiter.cursor().execute("UPDATE t SET n = 3")
    assert is_busy_error(caught.value)
    holder.connection.rollback()
    holder.close()
    waiter.close()


def test_other_database_errors_are_not_busy_errors():
    assert not is_busy_error(OperationalError("no such table: members_member"))
    assert not is_busy_error(ValueError("database is locked"))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="holds a SQLite write lock")
@pytest.mark.django_db(transaction=True)
def test_saving_while_another_connection_holds_the_write_lock_answers_busy_with_the_input(
    personas, bureau, login
):
    member = bureau.members[1]
    client = login(personas.secretary_of_branch_1)
    page = client.get(reverse("members:edit", args=[member.pk]))
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, False)}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["department"] = "预算股（繁忙时填写）"
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), timeout=0, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    other.execute("UPDATE members_member SET note = note WHERE id = ?", (member.pk,))
    try:
        response = client.post(reverse("members:edit", args=[member.pk]), data)
    finally:
        other.rollback()
        other.close()
    assert response.status_code == 503
    text = response.content.decode()
    assert "系统繁忙，请稍后重试" in text
    assert 'value="预算股（繁忙时填写）"' in text  # the input comes back for 重新提交
    member.refresh_from_db()
    assert member.department != "预算股（繁忙时填写）"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL session settings")
@pytest.mark.django_db
def test_postgres_sessions_run_with_the_configured_timeouts():
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"
        cursor.execute("SHOW lock_timeout")
        assert cursor.fetchone()[0] == "5s"
    assert connection.settings_dict["CONN_HEALTH_CHECKS"] is True


@pytest.mark.skipif(connection.vendor != "postgresql", reason="holds a PostgreSQL row lock")
@pytest.mark.django_db(transaction=True)
def test_a_row_lock_held_elsewhere_answers_busy_on_postgres(personas, bureau, login):
    import psycopg

    member = bureau.members[1]
    client = login(personas.secretary_of_branch_1)
    page = client.get(reverse("members:edit", args=[member.pk]))
    data = {k: v for k, v in page.context["form"].initial.items() if v not in (None, False)}
    data = {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
    data["department"] = "预算股（繁忙时填写）"
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '300ms'")  # the test need not wait the full 5 s
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    try:
        with psycopg.connect(**params) as other:
            other.execute("SELECT id FROM members_member WHERE id = %s FOR UPDATE", (member.pk,))
            started = time.monotonic()
            response = client.post(reverse("members:edit", args=[member.pk]), data)
            other.rollback()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET lock_timeout")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert "系统繁忙，请稍后重试" in response.content.decode()


def test_a_value_out_of_range_gets_a_chinese_400_not_a_500(rf):
    from django.contrib.auth.models import AnonymousUser

    from dangjian.core.middleware import DatabaseBusyMiddleware

    request = rf.post("/activities/types/new/", {"order": "9" * 30})
    request.user = AnonymousUser()
    middleware = DatabaseBusyMiddleware(lambda r: None)  # type: ignore[arg-type,return-value]
    response = middleware.process_exception(
        request, OverflowError("Python int too large to convert to SQLite INTEGER")
    )
    assert response is not None and response.status_code == 400
    assert "超出了允许的范围" in response.content.decode()
    assert middleware.process_exception(request, ValueError("something else")) is None


@pytest.mark.django_db
def test_a_nul_character_in_the_query_is_refused_in_chinese(client, django_user_model):
    user = django_user_model.objects.create_user("nul", password="pw-nul-char-1")
    client.force_login(user)
    response = client.get("/audit/", {"q": "a\x00b"})
    assert response.status_code == 400 and "不可见的控制字符" in response.content.decode()
    assert client.get("/audit/", {"q": "ab"}).status_code != 400
