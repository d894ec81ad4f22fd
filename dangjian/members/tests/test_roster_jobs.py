"""Big roster files go through the job worker: stored, queued, imported exactly once, then reported."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import timezone

from dangjian.core import jobs
from dangjian.core.models import AuditLog, Job
from dangjian.members import jobs as roster_jobs
from dangjian.members.models import Member
from dangjian.members.tests.roster_helpers import make_id, row, xlsx

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def upload(client, data: bytes, dry_run: bool = False):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    post = {"file": SimpleUploadedFile("花名册.xlsx", data)}
    if dry_run:
        post["dry_run"] = "on"
    return client.post(reverse("members:import"), post)


@pytest.fixture
def big_files(settings):  # type: ignore[no-untyped-def]
    """Every upload counts as big enough for the background."""
    settings.ROSTER_INLINE_MAX_BYTES = 10


@pytest.fixture
def database_queue(settings):  # type: ignore[no-untyped-def]
    """Jobs wait in the database queue (django-tasks-db) until a worker runs them, as in production."""
    settings.TASKS = DATABASE_QUEUE


def work(max_tasks: int = 1) -> None:
    """What ``dangjian worker`` does, in this process: take queued tasks and run them."""
    from django_tasks_db.management.commands import db_worker

    # The worker drops connections that are not in autocommit; the test's is, inside its transaction.
    with mock.patch.object(db_worker, "close_old_connections", lambda: None):
        _work(max_tasks)


def _work(max_tasks: int) -> None:
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=max_tasks,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def two_rows() -> bytes:
    return xlsx([row(), row(姓名="郑八", 身份证号=make_id("19900101", "222"), 出生日期="1990-01-01")])


def ledger_counts() -> tuple[int, int]:
    return Member.objects.count(), AuditLog.objects.count()


# ---- through the pages ---------------------------------------------------------------------------


def test_a_big_dry_run_becomes_a_job_whose_page_shows_the_import_report(big_files, personas, login):
    client = login(personas.secretary_of_branch_1)
    response = upload(client, xlsx([row()]), dry_run=True)
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.kind == "members.roster_import" and job.owner == personas.secretary_of_branch_1
    assert job.title == "试导入花名册：花名册.xlsx" and job.state == Job.State.DONE
    page = client.get(job.get_absolute_url()).content.decode()
    assert "试导入通过" in page and 'id="import-report"' in page and "every 1s" not in page
    assert not Member.objects.filter(name="吴六安").exists()
    # The checked file stays for 确认导入 (until JOB_KEEP_DAYS): the button the report offers works.
    assert "确认导入" in page and job.input_path.exists()
    confirmed = client.post(reverse("members:import-confirm"), {"job": job.pk})
    done = Job.objects.exclude(pk=job.pk).get()
    assert confirmed["Location"] == done.get_absolute_url() and done.result["imported"] is True
    assert Member.objects.filter(name="吴六安").exists()
    assert not done.input_path.exists()  # a real import's upload is deleted once it is written


def test_a_big_import_writes_the_members_once_with_their_audit_rows(big_files, bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    upload(client, two_rows())
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.result["imported"] is True
    assert (job.done, job.total) == (2, 2)
    assert "导入完成：新增 2 人" in client.get(job.get_absolute_url()).content.decode()
    wu = Member.objects.get(name="吴六安")
    assert wu.organization == bureau.branch_1
    log = AuditLog.objects.get(object_id=str(wu.pk), content_type__model="member")
    assert log.actor == personas.secretary_of_branch_1 and log.verb == "花名册导入"


def test_a_file_with_a_bad_row_is_reported_by_row_and_column_and_writes_nothing(big_files, personas, login):
    bad = make_id("19900101", "222")
    bad = bad[:17] + ("0" if bad[17] != "0" else "1")
    client = login(personas.secretary_of_branch_1)
    before = ledger_counts()
    upload(client, xlsx([row(), row(姓名="郑八", 身份证号=bad, 出生日期="1990-01-01")]))
    job = Job.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.state == Job.State.DONE  # the job worked; the file was refused
    assert "整个文件未导入" in page and "第3行" in page and "G列（身份证号）" in page
    assert ledger_counts() == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("secretary_of_branch_1", 200), ("admin", 200), ("agency_officer", 404), ("outsider", 404)],
)
def test_an_import_job_is_seen_only_by_its_uploader_and_administrators(
    big_files, personas, login, persona, status
):
    upload(login(personas.secretary_of_branch_1), xlsx([row()]), dry_run=True)
    job = Job.objects.get()
    assert login(getattr(personas, persona)).get(job.get_absolute_url()).status_code == status


def test_a_queued_import_keeps_its_file_on_disk_and_its_page_polls(
    big_files, database_queue, personas, login
):
    client = login(personas.agency_officer)
    data = xlsx([row()])
    upload(client, data)
    job = Job.objects.get()
    assert job.state == Job.State.QUEUED and job.input_path.read_bytes() == data
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page
    work()
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "导入完成：新增 1 人" in fragment and "every 1s" not in fragment


# ---- the worker, its queue, and dying in the middle -------------------------------------------------


def test_the_database_queue_holds_the_import_until_one_worker_iteration_runs_it(
    big_files, database_queue, personas, login
):
    from django_tasks_db.models import DBTaskResult

    upload(login(personas.secretary_of_branch_1), two_rows())
    job = Job.objects.get()
    task = DBTaskResult.objects.get()
    assert job.state == Job.State.QUEUED and job.task_id == str(task.id)
    assert task.status == "READY" and task.task_path == "dangjian.core.tasks.run_job"
    assert task.args_kwargs["args"] == [job.pk, 1]
    assert not Member.objects.filter(name="吴六安").exists()

    work()

    job.refresh_from_db()
    task.refresh_from_db()
    assert task.status == "SUCCESSFUL" and job.state == Job.State.DONE
    assert job.result["created"] == 2 and Member.objects.filter(name__in=["吴六安", "郑八"]).count() == 2


def test_a_worker_killed_after_the_commit_does_not_import_twice_when_the_task_runs_again(
    big_files, database_queue, personas, login, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    upload(login(personas.secretary_of_branch_1), two_rows())
    job = Job.objects.get()
    before = ledger_counts()

    # The worker process dies right after the import committed, before it could tell the queue.
    def die(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise SystemExit("killed")

    monkeypatch.setattr(DBTaskResult, "set_successful", die)
    monkeypatch.setattr(DBTaskResult, "set_failed", die)
    with pytest.raises(SystemExit):
        work()
    monkeypatch.undo()
    after_first = ledger_counts()
    assert after_first[0] == before[0] + 2
    job.refresh_from_db()
    assert job.state == Job.State.DONE  # committed together with the members

    # A restarted worker runs the unfinished queue entry again: nothing more is written.
    DBTaskResult.objects.update(status="READY")
    work()
    assert ledger_counts() == after_first
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    with pytest.raises(jobs.JobError):
        jobs.retry(job)  # and a done job cannot be retried


def test_a_worker_killed_before_the_commit_leaves_nothing_and_the_retry_imports_once(
    big_files, database_queue, personas, login, monkeypatch
):
    from django_tasks_db.models import DBTaskResult

    client = login(personas.secretary_of_branch_1)
    upload(client, two_rows())
    job = Job.objects.get()
    before = ledger_counts()
    finish = jobs.JobRun.finish

    def killed_while_committing(self, **kwargs):  # type: ignore[no-untyped-def]
        raise SystemExit("killed")  # members written in the transaction, not yet committed

    monkeypatch.setattr(jobs.JobRun, "finish", killed_while_committing)
    work()
    monkeypatch.setattr(jobs.JobRun, "finish", finish)
    assert ledger_counts() == before
    job.refresh_from_db()
    assert job.state == Job.State.RUNNING  # as a killed worker leaves it: "正在写入" ...
    assert DBTaskResult.objects.get().status == "FAILED"

    # ... until its heartbeat is older than JOB_STALE_SECONDS: then it reads as failed, with a retry.
    Job.objects.update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
    page = client.get(job.get_absolute_url()).content.decode()
    assert "后台任务程序在处理过程中中断" in page and "重试" in page
    assert client.post(reverse("core:job-retry", args=[job.pk])).status_code == 302
    job.refresh_from_db()
    assert job.state == Job.State.QUEUED and job.attempt == 2 and job.input_path.exists()
    work()
    job.refresh_from_db()
    assert job.state == Job.State.DONE and ledger_counts()[0] == before[0] + 2
    assert "导入完成：新增 2 人" in client.get(job.get_absolute_url()).content.decode()


def test_an_attempt_declared_dead_that_was_only_slow_rolls_its_import_back(
    big_files, personas, login, settings, monkeypatch
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    upload(login(personas.secretary_of_branch_1), two_rows())
    job = Job.objects.get()
    before = ledger_counts()
    real_import = roster_jobs.import_roster

    def slow_import(*args, progress, **kwargs):  # type: ignore[no-untyped-def]
        def checked(done: int, total: int) -> None:
            if done >= total:
                # Meanwhile the page found the heartbeat stale and the owner pressed 重试.
                Job.objects.filter(pk=job.pk).update(state=Job.State.QUEUED, attempt=2)
            progress(done, total)

        return real_import(*args, progress=checked, **kwargs)

    monkeypatch.setattr(roster_jobs, "import_roster", slow_import)
    jobs.execute(job.pk, 1)
    assert ledger_counts() == before  # attempt 1's members were rolled back with its refused "done"
    monkeypatch.setattr(roster_jobs, "import_roster", real_import)
    jobs.execute(job.pk, 2)
    job.refresh_from_db()
    assert job.state == Job.State.DONE and ledger_counts()[0] == before[0] + 2
