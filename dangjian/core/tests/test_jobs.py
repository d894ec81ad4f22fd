"""The job mechanism: enqueue, claim once, progress, finish or fail, a dead worker, retry, the pages."""

from __future__ import annotations

import datetime
import os
import stat
import time

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from dangjian.core import jobs
from dangjian.core.jobs import Job, JobError, JobRun, job_kind

DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
DATABASE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
CALLS: list[tuple[int, int]] = []


@job_kind("tests.echo", label="回显")
def echo(run: JobRun) -> None:
    """Counts to the given number with progress, then returns the input it was given."""
    CALLS.append((run.job.pk, run.job.attempt))
    total = run.arguments.get("count", 0)
    for done in range(1, total + 1):
        run.progress(done, total, f"第 {done} 步")
    data = run.input_bytes().decode() if run.job.input_name else ""
    if run.arguments.get("file"):
        run.finish(stage="好了。", file=data.encode(), filename="结果.txt")
    else:
        run.finish(
            stage="好了。", result={"echo": data, "count": total}, url="/somewhere/", url_label="去看看"
        )


@job_kind("tests.fail", label="出错")
def fail(run: JobRun) -> None:
    how = run.arguments["how"]
    if how == "job_error":
        raise JobError("文件第3行不对。")
    if how == "permission":
        raise PermissionDenied("您无权这样做。")
    raise RuntimeError("a bug")


@job_kind("tests.sleep", label="等待")
def sleep(run: JobRun) -> None:
    """Says nothing for a while, then tells whether the heartbeat thread wrote meanwhile."""
    time.sleep(run.arguments["seconds"])
    beat = Job.objects.values_list("heartbeat_at", flat=True).get(pk=run.job.pk)
    run.finish(result={"beat_after_start": beat > run.job.started_at})


@job_kind("tests.go", label="跳转", go_to_result=True)
def go(run: JobRun) -> None:
    run.finish(stage="已生成。", url=reverse("home"))


@pytest.fixture(autouse=True)
def _forget_calls():  # type: ignore[no-untyped-def]
    CALLS.clear()


def test_a_job_runs_with_its_stored_input_and_records_progress_and_result(personas):
    job = jobs.enqueue(
        "tests.echo",
        owner=personas.agency_officer,
        title="回显一下",
        arguments={"count": 3},
        upload="你好".encode(),
        upload_name="问候.txt",
    )
    assert job.state == Job.State.DONE and job.attempt == 1 and job.task_id
    assert (job.done, job.total, job.stage) == (3, 3, "好了。")
    assert job.result == {"echo": "你好", "count": 3}
    assert (job.result_url, job.result_label, job.input_name) == ("/somewhere/", "去看看", "问候.txt")
    assert job.owner == personas.agency_officer and job.started_at and job.finished_at
    # The upload served its purpose once the work was done: personal data does not linger.
    assert not job.input_path.exists()


def test_the_upload_is_on_disk_readable_only_by_the_server_before_the_job_runs(personas, settings):
    settings.TASKS = DUMMY
    job = jobs.enqueue("tests.echo", owner=personas.admin, title="t", upload=b"abc", upload_name="a.xlsx")
    assert job.state == Job.State.QUEUED and CALLS == []
    assert job.input_path.read_bytes() == b"abc"
    assert stat.S_IMODE(job.input_path.stat().st_mode) == 0o600
    assert stat.S_IMODE(job.directory.stat().st_mode) == 0o700
    assert str(job.input_path).startswith(str(settings.JOBS_DIR))


def test_a_job_runs_once_however_often_its_task_is_delivered(personas, settings):
    settings.TASKS = DUMMY
    job = jobs.enqueue("tests.echo", owner=personas.admin, title="t")
    jobs.execute(job.pk, job.attempt)
    jobs.execute(job.pk, job.attempt)
    assert CALLS == [(job.pk, 1)]
    job.refresh_from_db()
    assert job.state == Job.State.DONE


@pytest.mark.parametrize(
    ("how", "message"),
    [
        ("job_error", "文件第3行不对。"),
        ("permission", "您无权这样做。"),
        ("bug", jobs.INTERNAL_ERROR),
    ],
)
def test_a_failing_job_records_a_chinese_message(personas, how, message):
    job = jobs.enqueue("tests.fail", owner=personas.admin, title="t", arguments={"how": how})
    assert job.state == Job.State.FAILED and job.error == message
    assert job.finished_at is not None


def test_progress_counts_are_thinned_but_the_last_count_and_new_stages_always_show(personas, settings):
    settings.TASKS = DUMMY
    job = jobs.enqueue("tests.echo", owner=personas.admin, title="t")
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING)
    run = JobRun(job)
    run.progress(1, 100, "已检查 1 / 100 行")
    run.progress(2, 100, "已检查 2 / 100 行")  # within the interval: skipped
    job.refresh_from_db()
    assert (job.done, job.total, job.stage) == (1, 100, "已检查 1 / 100 行")
    run.progress(stage="正在写入……")
    run.progress(100, 100, "已检查全部 100 行")
    job.refresh_from_db()
    assert (job.done, job.stage) == (100, "已检查全部 100 行")


def _running(job: Job, *, seconds_ago: float) -> Job:
    then = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    Job.objects.filter(pk=job.pk).update(state=Job.State.RUNNING, started_at=then, heartbeat_at=then)
    job.refresh_from_db()
    return job


def test_a_running_job_whose_worker_went_silent_is_failed_when_read(personas, settings):
    settings.TASKS = DUMMY
    settings.JOB_STALE_SECONDS = 60
    alive = _running(jobs.enqueue("tests.echo", owner=personas.admin, title="a"), seconds_ago=30)
    dead = _running(jobs.enqueue("tests.echo", owner=personas.admin, title="b"), seconds_ago=61)
    assert jobs.reap(alive).state == Job.State.RUNNING
    dead = jobs.reap(dead)
    assert dead.state == Job.State.FAILED and dead.error == jobs.WORKER_DIED
    assert "重试" in dead.error


def test_a_queued_job_waits_for_a_worker_however_long_but_not_one_whose_entry_was_taken(personas, settings):
    settings.TASKS = DATABASE
    from django_tasks_db.models import DBTaskResult

    long_ago = timezone.now() - datetime.timedelta(hours=5)
    waiting = jobs.enqueue("tests.echo", owner=personas.admin, title="a")
    taken = jobs.enqueue("tests.echo", owner=personas.admin, title="b")
    Job.objects.update(created_at=long_ago)
    DBTaskResult.objects.filter(id=taken.task_id).update(status="RUNNING")  # claimed, then the worker died
    assert jobs.reap_stale() == 1
    waiting.refresh_from_db()
    taken.refresh_from_db()
    assert waiting.state == Job.State.QUEUED
    assert taken.state == Job.State.FAILED and taken.error == jobs.NEVER_STARTED


def test_retry_runs_a_new_attempt_and_the_old_attempt_can_no_longer_run(personas, settings):
    settings.TASKS = DUMMY
    job = _running(jobs.enqueue("tests.echo", owner=personas.admin, title="t"), seconds_ago=10_000)
    job = jobs.reap(job)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    job = jobs.retry(job)
    assert job.state == Job.State.DONE and job.attempt == 2 and job.error == ""
    jobs.execute(job.pk, 1)  # the first attempt's task, delivered late
    assert CALLS == [(job.pk, 2)]
    with pytest.raises(JobError):
        jobs.retry(job)  # only failed jobs are retried


def test_a_retry_needs_the_upload_still_on_disk(personas, settings):
    job = jobs.enqueue("tests.fail", owner=personas.admin, title="t", arguments={"how": "bug"}, upload=b"x")
    job.input_path.unlink()
    with pytest.raises(JobError, match="重新上传"):
        jobs.retry(job)


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_a_long_silent_step_alive(personas, settings):
    settings.TASKS = DUMMY
    settings.JOB_HEARTBEAT_SECONDS = 0.05
    job = jobs.enqueue("tests.sleep", owner=personas.admin, title="t", arguments={"seconds": 0.5})
    jobs.execute(job.pk, job.attempt)
    job.refresh_from_db()
    assert job.state == Job.State.DONE
    assert job.result == {"beat_after_start": True}


def test_expired_files_are_purged_and_recent_ones_kept(personas, settings):
    settings.TASKS = DUMMY
    old = jobs.enqueue("tests.echo", owner=personas.admin, title="old", upload=b"1")
    new = jobs.enqueue("tests.echo", owner=personas.admin, title="new", upload=b"2")
    Job.objects.filter(pk=old.pk).update(
        state=Job.State.DONE, finished_at=timezone.now() - datetime.timedelta(days=settings.JOB_KEEP_DAYS + 1)
    )
    fresh_orphan = settings.JOBS_DIR / "999998"  # a job whose row is not committed yet
    old_orphan = settings.JOBS_DIR / "999999"  # a job whose row was rolled back long ago
    for folder in (fresh_orphan, old_orphan):
        folder.mkdir()
        (folder / "input").write_bytes(b"x")
    two_hours_ago = time.time() - 7200
    os.utime(old_orphan, (two_hours_ago, two_hours_ago))
    assert jobs.purge_expired() == 2
    assert not old.directory.exists() and not old_orphan.exists()
    assert new.input_path.exists() and fresh_orphan.exists()


# ---- the pages --------------------------------------------------------------------------------


def test_the_owner_follows_a_running_job_that_polls_every_second(personas, login, settings):
    settings.TASKS = DUMMY
    job = jobs.enqueue("tests.echo", owner=personas.secretary_of_branch_1, title="导入花名册：大.xlsx")
    client = login(personas.secretary_of_branch_1)
    page = client.get(job.get_absolute_url()).content.decode()
    assert 'hx-trigger="every 1s"' in page and "排队中" in page and "导入花名册：大.xlsx" in page
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        heartbeat_at=timezone.now(),
        done=3000,
        total=10000,
        stage="已检查 3,000 / 10,000 行",
    )
    fragment = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'id="job"' in fragment
    assert "已检查 3,000 / 10,000 行" in fragment and 'max="10000" value="3000"' in fragment


def test_a_failed_job_shows_its_message_and_a_retry_button_that_works(personas, login):
    job = jobs.enqueue(
        "tests.fail", owner=personas.secretary_of_branch_1, title="t", arguments={"how": "job_error"}
    )
    client = login(personas.secretary_of_branch_1)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "文件第3行不对。" in page and reverse("core:job-retry", args=[job.pk]) in page
    assert "every 1s" not in page
    response = client.post(reverse("core:job-retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.attempt == 2 and job.state == Job.State.FAILED  # failed again, as it always does


def test_a_done_job_offers_its_file_for_download(personas, login):
    job = jobs.enqueue(
        "tests.echo", owner=personas.discipline, title="t", arguments={"file": True}, upload=b"PDF!"
    )
    client = login(personas.discipline)
    page = client.get(job.get_absolute_url()).content.decode()
    assert "下载 结果.txt" in page
    response = client.get(reverse("core:job-download", args=[job.pk]))
    assert response.status_code == 200 and response.content == b"PDF!"
    assert "filename*=UTF-8''%E7%BB%93%E6%9E%9C.txt" in response["Content-Disposition"]
    job.result_path.unlink()
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == 404
    assert "文件已按规定删除" in client.get(job.get_absolute_url()).content.decode()


def test_a_job_that_makes_a_record_opens_it_when_done(personas, login):
    job = jobs.enqueue("tests.go", owner=personas.agency_officer, title="t")
    client = login(personas.agency_officer)
    response = client.get(job.get_absolute_url())
    assert response.status_code == 302 and response["Location"] == reverse("home")
    polled = client.get(job.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert polled["HX-Redirect"] == reverse("home")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("secretary_of_branch_1", 200),  # the owner
        ("admin", 200),
        ("agency_officer", 404),  # sees the whole agency's records, but not another's jobs
        ("discipline", 404),
        ("member", 404),
        ("outsider", 404),
    ],
)
def test_only_the_owner_and_administrators_see_a_job(personas, login, persona, status):
    job = jobs.enqueue(
        "tests.echo", owner=personas.secretary_of_branch_1, title="t", arguments={"file": True}
    )
    client = login(getattr(personas, persona))
    assert client.get(job.get_absolute_url()).status_code == status
    assert client.get(reverse("core:job-download", args=[job.pk])).status_code == status
    retry = client.post(reverse("core:job-retry", args=[job.pk]))
    assert retry.status_code == (302 if status == 200 else 404)
    listed = client.get(reverse("core:jobs")).content.decode()
    assert (job.get_absolute_url() in listed) == (status == 200)


def test_an_unknown_job_id_is_404(personas, login):
    assert login(personas.admin).get(reverse("core:job", args=[999_999])).status_code == 404


def test_the_job_list_page_answers_anonymous_users_with_the_login_page(db, client):
    response = client.get(reverse("core:jobs"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
