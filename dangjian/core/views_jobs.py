"""The job pages: a job's progress (polled by htmx), its result or file, a retry, one's recent jobs."""

from __future__ import annotations

import mimetypes

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dangjian.core import jobs
from dangjian.core.downloads import attachment
from dangjian.core.models import Job
from dangjian.core.scope import Audience, access


@access(Audience.ANYONE, target="core.Job", note="only the job's owner and administrators; others 404")
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.get_job(request.user, pk)
    kind = jobs.KINDS.get(job.kind)
    polled = bool(request.headers.get("HX-Request"))
    if job.state == Job.State.DONE and kind and kind.go_to_result and job.result_url:
        if polled:
            response = HttpResponse(status=204)
            response["HX-Redirect"] = job.result_url
            messages.success(request, job.stage)
            return response
        messages.success(request, job.stage)
        return redirect(job.result_url)
    context = {"job": job, "kind": kind, "result_template": ""}
    if job.state == Job.State.DONE and kind and kind.result_template:
        context["result_template"] = kind.result_template
        context.update(kind.result_context(job) if kind.result_context else {})
    return render(request, "core/_job.html" if polled else "core/job.html", context)


@access(Audience.ANYONE, target="core.Job", post_only=True, note="the job's owner and administrators")
def job_retry(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.get_job(request.user, pk)
    try:
        jobs.retry(job)
    except jobs.JobError as exc:
        messages.error(request, str(exc))
    return redirect(job)


@access(Audience.ANYONE, target="core.Job", download=True, note="the job's owner and administrators")
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = jobs.get_job(request.user, pk)
    if job.state != Job.State.DONE or not job.result_file:
        raise Http404("该任务没有可下载的文件。")
    if not job.result_path.exists():
        raise Http404("文件已按规定删除，请重新生成。")
    content_type = mimetypes.guess_type(job.result_file)[0] or "application/octet-stream"
    return attachment(job.result_path.read_bytes(), content_type, job.result_file, ascii_name="result")


@access(Audience.ANYONE)
@require_GET
def job_list(request: HttpRequest) -> HttpResponse:
    """The user's recent jobs (an administrator's list has everyone's)."""
    recent = [jobs.reap(job) for job in jobs.visible_jobs(request.user).select_related("owner")[:50]]
    return render(request, "core/job_list.html", {"jobs": recent, "keep_days": settings.JOB_KEEP_DAYS})
