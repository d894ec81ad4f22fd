"""Long work in the background: start a job, follow its progress, read its result.

A job is a ``Job`` row plus one django-tasks task (``dangjian.core.tasks.run_job``) in the
database queue (django-tasks-db); ``dangjian worker``, which ``dangjian serve`` starts, runs it.
An app says what a kind of job does with ``@job_kind(...)`` in its ``jobs.py`` (imported by its
AppConfig.ready) and starts one with ``enqueue(kind, owner=..., title=..., arguments=...)``;
the user follows it on ``/jobs/<id>/``, which only the owner and administrators may open.

Retry-safety — a worker may die at any instant, and a job may then be run again:

- an uploaded file is stored under JOBS_DIR before the job is queued, never held only in memory;
- the job row and its queue entry are committed together, so neither exists without the other;
- a run claims its attempt with a conditional update (queued → running, for that attempt
  number): a task delivered twice, or an old attempt that wakes up late, finds nothing to do;
- a handler whose work writes to the ledger calls ``run.finish()`` inside the same transaction as
  those writes, so the job is "done" exactly when the writes are committed, and a done job is
  never run again. ``finish()`` refuses (rolling the writes back) when the attempt was meanwhile
  declared dead and retried, so two attempts never both apply;
- while a job runs, a side thread writes a heartbeat. A running job silent for
  JOB_STALE_SECONDS (its worker was killed, the server restarted) is declared failed when it is
  next read, with a Chinese message; its owner may retry it as a new attempt.
"""

from __future__ import annotations

import datetime
import logging
import os
import shutil
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections, transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone, translation

from dangjian.core.models import Job
from dangjian.core.scope import NOT_FOUND, get_scope

__all__ = [
    "Job",
    "JobError",
    "JobKind",
    "JobRun",
    "KINDS",
    "enqueue",
    "execute",
    "get_job",
    "job_kind",
    "purge_expired",
    "reap",
    "reap_stale",
    "retry",
    "visible_jobs",
]

logger = logging.getLogger(__name__)

INTERNAL_ERROR = "处理时发生内部错误，没有完成（已写入系统日志）。可以重试；仍不成功请联系系统管理员。"
WORKER_DIED = (
    "后台任务程序在处理过程中中断（可能是服务器重启或进程被终止），本任务没有完成，也没有写入任何数据。"
    "请点击“重试”。"
)
NEVER_STARTED = "任务未能开始执行（后台任务程序取到任务后中断）。请点击“重试”。"
# Progress writes are cosmetic: at most this often, except the last one of a stage.
PROGRESS_INTERVAL = 0.3


class JobError(Exception):
    """A failure the user should read (a Chinese message), not a bug: the job fails with it."""


class Superseded(Exception):
    """This attempt was declared dead and retried meanwhile: its work must not be kept."""


@dataclass(frozen=True)
class JobKind:
    """What one kind of job does, and how its page shows the result."""

    name: str
    label: str
    handler: Callable[[JobRun], None]
    result_template: str = ""
    result_context: Callable[[Job], dict[str, Any]] | None = None
    # When done, open the result (a draft, a version) instead of showing the job page.
    go_to_result: bool = False


KINDS: dict[str, JobKind] = {}


def job_kind(
    name: str,
    *,
    label: str,
    result_template: str = "",
    result_context: Callable[[Job], dict[str, Any]] | None = None,
    go_to_result: bool = False,
) -> Callable[[Callable[[JobRun], None]], Callable[[JobRun], None]]:
    """Register ``handler(run)`` as the job kind ``name`` ("app.what", e.g. "members.roster_import")."""

    def decorate(handler: Callable[[JobRun], None]) -> Callable[[JobRun], None]:
        KINDS[name] = JobKind(name, label, handler, result_template, result_context, go_to_result)
        return handler

    return decorate


# ---- starting and retrying -----------------------------------------------------------------------


def enqueue(
    kind: str,
    *,
    owner: Any,
    title: str,
    arguments: dict[str, Any] | None = None,
    upload: bytes | None = None,
    upload_name: str = "",
) -> Job:
    """Record a job of ``kind`` for ``owner`` and queue it; ``upload`` is stored on disk first.

    ``arguments`` must be JSON (ids, codes, flags — never model instances): the worker reads them
    back from the database, perhaps after a restart.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    purge_expired()
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            owner=owner if getattr(owner, "is_authenticated", False) else None,
            arguments=arguments or {},
            input_name=(upload_name or ("input" if upload is not None else ""))[:200],
        )
        if upload is not None:
            _write_private(job.input_path, upload)
        _send(job)
    job.refresh_from_db()
    return job


def record_done(
    kind: str,
    *,
    owner: Any,
    title: str,
    arguments: dict[str, Any],
    result: dict[str, Any],
    stage: str,
    upload: bytes,
    upload_name: str,
) -> Job:
    """Record work already done in the request as a finished job, keeping its uploaded file.

    A dry run checked while the user waited is kept this way, so that confirming it imports the
    very file that was checked without uploading it again; the file goes JOB_KEEP_DAYS later
    like any job's.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown job kind {kind!r}")
    now = timezone.now()
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            title=title[:200],
            owner=owner if getattr(owner, "is_authenticated", False) else None,
            arguments=arguments,
            input_name=upload_name[:200],
            state=Job.State.DONE,
            stage=stage[:200],
            result=result,
            started_at=now,
            finished_at=now,
        )
        _write_private(job.input_path, upload)
    return job


def retry(job: Job) -> Job:
    """Queue a failed job again as a new attempt; an old attempt that wakes up finds nothing to do."""
    if job.state != Job.State.FAILED:
        raise JobError("只有失败的任务可以重试。")
    if job.input_name and not job.input_path.exists():
        raise JobError("上传的文件已按规定删除，无法重试，请重新上传。")
    with transaction.atomic():
        updated = Job.objects.filter(pk=job.pk, state=Job.State.FAILED, attempt=job.attempt).update(
            state=Job.State.QUEUED,
            attempt=F("attempt") + 1,
            error="",
            stage="",
            done=0,
            total=0,
            result={},
            result_url="",
            result_label="",
            result_file="",
            worker="",
            started_at=None,
            heartbeat_at=None,
            finished_at=None,
        )
        if not updated:
            raise JobError("该任务已被重试。")
        job.refresh_from_db()
        _send(job)
    job.refresh_from_db()
    return job


def _send(job: Job) -> None:
    from dangjian.core.tasks import run_job

    # With the database backend this is a row in the same transaction as the job's; the
    # immediate backend (tests) runs the job right here.
    result = run_job.enqueue(job.pk, job.attempt)
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id)[:64])


# ---- reading ------------------------------------------------------------------------------------


def visible_jobs(user: Any) -> QuerySet[Job]:
    """Jobs ``user`` may follow: their own; an administrator's reach adds everyone's."""
    if not getattr(user, "is_authenticated", False):
        return Job.objects.none()
    if get_scope(user).is_admin:
        return Job.objects.all()
    return Job.objects.filter(owner=user)


def get_job(user: Any, pk: Any) -> Job:
    """One job ``user`` may follow, brought up to date (a dead worker's job is failed), or 404."""
    try:
        job = visible_jobs(user).select_related("owner").get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404(NOT_FOUND) from exc
    return reap(job)


def reap(job: Job, now: datetime.datetime | None = None) -> Job:
    """Declare ``job`` failed if its worker is gone; returns it, refreshed when changed."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    message = ""
    if job.state == Job.State.RUNNING and (job.heartbeat_at or job.started_at or job.created_at) < cutoff:
        message = WORKER_DIED
    elif job.state == Job.State.QUEUED and job.created_at < cutoff and _task_was_taken(job):
        message = NEVER_STARTED
    if not message:
        return job
    failed = Job.objects.filter(
        pk=job.pk, attempt=job.attempt, state=job.state, heartbeat_at=job.heartbeat_at
    ).update(state=Job.State.FAILED, error=message, finished_at=now)
    if failed:
        logger.warning("job %s (%s) attempt %s: worker gone, marked failed", job.pk, job.kind, job.attempt)
    job.refresh_from_db()
    return job


def reap_stale() -> int:
    """Fail every job whose worker is gone (the worker calls this when it starts)."""
    cutoff = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS)
    candidates = Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=cutoff) | Job.objects.filter(
        state=Job.State.QUEUED, created_at__lt=cutoff
    )
    return sum(1 for job in candidates if reap(job).state == Job.State.FAILED)


def _task_was_taken(job: Job) -> bool:
    """A queued job whose queue entry a worker took (or that never got one): it will not start."""
    if not job.task_id:
        return True
    from dangjian.core.tasks import run_job

    backend = run_job.get_backend()
    if not backend.supports_get_result:
        return False
    try:
        status = backend.get_result(job.task_id).status
    except Exception:  # noqa: BLE001 - a missing or unreadable entry: the job cannot start
        return True
    return status != "READY"


def purge_expired(now: datetime.datetime | None = None) -> int:
    """Delete the stored files of jobs that ended more than JOB_KEEP_DAYS ago (personal data).

    A folder with no job row is left for an hour first: its job may be in a transaction that has
    not committed yet (``enqueue`` writes the file before the row is visible to others).
    """
    root = settings.JOBS_DIR
    if not root.exists():
        return 0
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.JOB_KEEP_DAYS)
    folders = {int(p.name): p for p in root.iterdir() if p.is_dir() and p.name.isdigit()}
    if not folders:
        return 0
    rows = Job.objects.filter(pk__in=list(folders))
    known = set(rows.values_list("pk", flat=True))
    expired = set(rows.filter(finished_at__lt=cutoff).values_list("pk", flat=True))
    orphaned_before = now.timestamp() - 3600
    removed = 0
    for pk, path in folders.items():
        if pk in expired or (pk not in known and path.stat().st_mtime < orphaned_before):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


# ---- running (in the worker) ----------------------------------------------------------------------


class JobRun:
    """What a handler gets: the job's arguments, owner and input, and how to report progress."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.finished = False
        # A dry run sets this: its checked upload stays (until JOB_KEEP_DAYS) for 确认导入.
        self.keep_input = False
        self._last_write = 0.0

    @property
    def arguments(self) -> dict[str, Any]:
        return self.job.arguments

    @property
    def owner(self) -> Any:
        """The user the job acts for; actions are called with ``acting_user=run.owner``."""
        return self.job.owner

    def input_bytes(self) -> bytes:
        try:
            return self.job.input_path.read_bytes()
        except FileNotFoundError:
            raise JobError("上传的文件已不在服务器上（可能已按规定删除），请重新上传。") from None

    def progress(self, done: int | None = None, total: int | None = None, stage: str = "") -> None:
        """Show how far the job got (best effort: a momentarily locked table skips one update)."""
        now = time.monotonic()
        # Counting calls come often and are thinned out; a new stage or the last count always shows.
        counting = done is not None and total is not None and done < total
        if counting and now - self._last_write < PROGRESS_INTERVAL:
            return
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if done is not None:
            fields["done"] = done
        if total is not None:
            fields["total"] = total
        if stage:
            fields["stage"] = stage[:200]
        try:
            with transaction.atomic():
                Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt).update(**fields)
        except OperationalError:
            return
        self._last_write = now

    def finish(
        self,
        *,
        stage: str = "已完成。",
        result: dict[str, Any] | None = None,
        url: str = "",
        url_label: str = "",
        file: bytes | None = None,
        filename: str = "",
    ) -> None:
        """Mark the job done. Call it inside the transaction of the job's writes, so both commit together.

        Raises ``Superseded`` (rolling that transaction back) when this attempt is no longer the
        job's running attempt.
        """
        if file is not None:
            _write_private(self.job.result_path, file)
        now = timezone.now()
        updated = _retry_locked(
            lambda: Job.objects.filter(
                pk=self.job.pk, attempt=self.job.attempt, state=Job.State.RUNNING
            ).update(
                state=Job.State.DONE,
                stage=stage[:200],
                result=result or {},
                result_url=url[:300],
                result_label=url_label[:60],
                result_file=filename[:200] if file is not None else "",
                heartbeat_at=now,
                finished_at=now,
            )
        )
        if not updated:
            raise Superseded(f"job {self.job.pk} attempt {self.job.attempt}")
        self.finished = True

    def fail(self, message: str) -> None:
        _retry_locked(
            lambda: Job.objects.filter(
                pk=self.job.pk, attempt=self.job.attempt, state=Job.State.RUNNING
            ).update(state=Job.State.FAILED, error=message, finished_at=timezone.now())
        )


WORKER_NAME = f"{socket.gethostname()}:{os.getpid()}"


def execute(job_id: int, attempt: int) -> None:
    """Run one attempt of a job: claim it, call its handler, record the outcome on the job row.

    The work's own failures end up on the job (a Chinese message), not raised to the queue.
    """
    now = timezone.now()
    claimed = _retry_locked(
        lambda: Job.objects.filter(pk=job_id, attempt=attempt, state=Job.State.QUEUED).update(
            state=Job.State.RUNNING, started_at=now, heartbeat_at=now, worker=WORKER_NAME[:100]
        )
    )
    if not claimed:
        # Done already (a re-delivered task), retried as a newer attempt, failed, or deleted.
        logger.info("job %s attempt %s: nothing to do", job_id, attempt)
        return
    job = Job.objects.select_related("owner").get(pk=job_id)
    run = JobRun(job)
    kind = KINDS.get(job.kind)
    with _Heartbeat(job), translation.override(settings.LANGUAGE_CODE):
        try:
            if kind is None:
                raise JobError(f"系统不认识“{job.kind}”类任务（可能是版本更新后不再支持），请重新发起。")
            kind.handler(run)
            if not run.finished:
                run.finish()
        except Superseded:
            logger.warning(
                "job %s attempt %s was retried meanwhile; its work was rolled back", job_id, attempt
            )
            return
        except JobError as exc:
            run.fail(str(exc))
        except (PermissionDenied, Http404) as exc:
            run.fail(str(exc) or NOT_FOUND)
        except ValidationError as exc:
            run.fail("；".join(exc.messages))
        except Exception:
            logger.exception("job %s (%s) attempt %s failed", job_id, job.kind, attempt)
            run.fail(INTERNAL_ERROR)
    if run.finished and job.input_name and not run.keep_input:
        # The upload holds personal data: once the work is committed, it has served its purpose.
        job.input_path.unlink(missing_ok=True)


class _Heartbeat:
    """Writes the running job's heartbeat from a side thread, so a long silent step stays alive."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.job_connection = connections[DEFAULT_DB_ALIAS]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, name=f"job-{job.pk}-heartbeat", daemon=True)

    def __enter__(self) -> _Heartbeat:
        if settings.JOB_HEARTBEAT_SECONDS > 0:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.thread.is_alive():
            self.thread.join(timeout=settings.JOB_HEARTBEAT_SECONDS + 5)

    def _beat(self) -> None:
        try:
            while not self.stop.wait(settings.JOB_HEARTBEAT_SECONDS):
                if self.job_connection.vendor == "sqlite" and self.job_connection.in_atomic_block:
                    # A commit from here would leave the job's transaction with a stale read
                    # snapshot that SQLite refuses to turn into a write (SQLITE_BUSY_SNAPSHOT).
                    continue
                try:
                    Job.objects.filter(
                        pk=self.job.pk, attempt=self.job.attempt, state=Job.State.RUNNING
                    ).update(heartbeat_at=timezone.now())
                except OperationalError:
                    continue
        finally:
            connection.close()


def _retry_locked(write: Callable[[], int], attempts: int = 50) -> int:
    """Run a small job-row write, retrying while SQLite reports the table locked by a reader.

    SQLite answers "database table is locked" at once (no busy wait) when a shared-cache reader
    holds the table, as the test server does; each try is its own savepoint, so a failed one
    leaves an enclosing transaction usable on PostgreSQL too.
    """
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return write()
        except OperationalError as exc:
            if "locked" not in str(exc).lower() or attempt == attempts - 1:
                raise
            time.sleep(0.1)
    return 0


def _write_private(path: Any, data: bytes) -> None:
    """Write ``data`` readable by the server's user only (uploads carry personal data)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    os.replace(partial, path)
