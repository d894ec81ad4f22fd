"""A big roster import in a real browser: the job page waits for the worker, then shows the report."""

from __future__ import annotations

import os
import threading

import pytest

from dangjian.core.models import Job
from dangjian.members.models import Member
from dangjian.members.tests.roster_helpers import make_id, row, xlsx

# Set here as well as in the browser conftest: this module must also stand alone.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker_once() -> None:
    """One iteration of ``dangjian worker`` in a thread of its own, as the server's child would."""
    from django.db import connection
    from django_tasks_db.management.commands.db_worker import Worker

    try:
        Worker(
            queue_names=["default"],
            interval=0.2,
            batch=False,
            backend_name="default",
            startup_delay=False,
            max_tasks=1,
            worker_id="browser-test",
            excluded_queue_names=[],
        ).run()
    finally:
        connection.close()


def test_a_big_roster_import_waits_for_the_worker_then_shows_the_report(
    live_server, page, personas, bureau, browser_login, tmp_path, settings
):
    settings.ROSTER_INLINE_MAX_BYTES = 10  # every file goes through the job worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(
        xlsx([row(), row(姓名="郑八", 身份证号=make_id("19900101", "222"), 出生日期="1990-01-01")])
    )

    browser_login(page, personas.secretary_of_branch_1)
    page.goto(f"{live_server.url}/members/import/")
    page.set_input_files("#id_file", str(path))
    page.uncheck("#id_dry_run")
    page.click("#roster-import-form button[type=submit]")
    page.wait_for_url("**/jobs/*/")
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED
    assert "排队中" in page.inner_text("#job-stage") and page.locator("#job progress").count() == 1
    assert not Member.objects.filter(name="吴六安").exists()

    # The worker starts: the page, polling every second, turns into the import report by itself.
    worker = threading.Thread(target=run_worker_once, daemon=True)
    worker.start()
    page.wait_for_selector("#import-report", timeout=30_000)
    worker.join(timeout=30)
    assert "导入完成：新增 2 人" in page.inner_text("#import-summary")
    assert page.inner_text("#job-state") == "已完成"
    assert Member.objects.get(name="吴六安").organization == bureau.branch_1
