"""The one django-tasks task: every job runs through it, so the queue holds only this path."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int, attempt: int) -> None:
    """Run attempt ``attempt`` of the ``Job`` with id ``job_id`` (see ``dangjian.core.jobs``)."""
    from dangjian.core.jobs import execute

    execute(job_id, attempt)
