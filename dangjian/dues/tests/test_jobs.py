"""The monthly dues run from the overview page is a job; ``dangjian worker`` runs it from the queue."""

from __future__ import annotations

import signal
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse

from dangjian.core.models import Job
from dangjian.dues.models import MonthlyDue
from dangjian.dues.tests.conftest import pay


@pytest.fixture
def ledger(bases, bureau):  # type: ignore[no-untyped-def]
    pay(bureau.member_1, "45.00", "R-own", first_month="2026-11")
    return bureau


def test_the_run_button_starts_a_job_that_reports_the_month(ledger, personas, login):
    client = login(personas.agency_officer)
    response = client.post(reverse("dues:run"), {"month": "2026-11"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "dues.run_month" and job.title == "生成2026年11月党费台账"
    assert job.state == Job.State.DONE and job.result["month"] == "2026-11"
    assert MonthlyDue.objects.filter(month="2026-11-01").count() == job.result["lines"] > 0
    page = client.get(job.get_absolute_url()).content.decode()
    assert "2026年11月党费台账已生成" in page and "查看党费收缴总览" in page
    assert reverse("dues:overview") + "?month=2026-11" in page


@pytest.mark.parametrize("persona", ["secretary_of_branch_1", "discipline", "member"])
def test_only_the_organ_committee_and_administrators_start_the_run(ledger, personas, login, persona):
    response = login(getattr(personas, persona)).post(reverse("dues:run"), {"month": "2026-11"})
    assert response.status_code == 403 and not Job.objects.exists()


def test_a_run_whose_owner_lost_the_right_while_it_queued_fails_and_writes_nothing(
    ledger, personas, login, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    login(personas.agency_officer).post(reverse("dues:run"), {"month": "2026-11"})
    job = Job.objects.get()
    lines = MonthlyDue.objects.count()
    personas.agency_officer.role.kind = "discipline"
    personas.agency_officer.role.save()
    job.owner.refresh_from_db()
    from dangjian.core.jobs import execute

    execute(job.pk, job.attempt)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "只有机关党委/党组和系统管理员" in job.error
    assert MonthlyDue.objects.count() == lines


@pytest.fixture
def restore_signals():  # type: ignore[no-untyped-def]
    # db_worker installs its own SIGINT/SIGTERM handlers for a graceful stop; give pytest its own back.
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_dangjian_worker_runs_what_is_queued_and_exits_with_batch(
    ledger, personas, login, settings, restore_signals
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    login(personas.agency_officer).post(reverse("dues:run"), {"month": "2026-11"})
    job = Job.objects.get()
    lines = MonthlyDue.objects.filter(month="2026-11-01").count()
    assert job.state == Job.State.QUEUED
    out = StringIO()
    from django_tasks_db.management.commands import db_worker

    # The worker drops connections that are not in autocommit; the test's is, inside its transaction.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        call_command("worker", "--batch", stdout=out)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert MonthlyDue.objects.filter(month="2026-11-01").count() == job.result["lines"] > lines
    assert "后台任务程序已启动" in out.getvalue()
