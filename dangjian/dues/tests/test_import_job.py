"""Dues list imports run as jobs: the upload is stored, a dry run reports, 确认导入 writes it all or
nothing in the worker, with audit entries; scope is decided for the job's owner."""

from __future__ import annotations

import datetime
import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from dangjian.core import jobs
from dangjian.core.models import AuditLog, Job
from dangjian.dues import excel
from dangjian.dues.models import DuesBase, DuesPayment

GOOD = [
    ["赵一明", "", "2026-11", 45, "2026-11-05", "微信", "DF-1", ""],
    ["钱二华", "", "2026-11", 90, "2026-11-05", "现金", "DF-2", ""],
]


def xlsx(rows: list[list[object]], headers: list[str] = excel.PAYMENT_COLUMNS) -> bytes:
    book = Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(client, data: bytes, *, kind: str = "payments", dry_run: bool = True):  # type: ignore[no-untyped-def]
    form = {"file": SimpleUploadedFile("交纳表.xlsx", data), "month": "2026-11"}
    if dry_run:
        form["dry_run"] = "on"
    return client.post(reverse("dues:import", args=[kind]), form)


def test_upload_is_a_dry_run_job_then_confirm_writes_it_with_audit(bases, bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    response = upload(client, xlsx(GOOD))
    checked = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == checked.get_absolute_url()
    assert checked.kind == "dues.import" and checked.state == Job.State.DONE
    assert not DuesPayment.objects.exists()
    page = client.get(checked.get_absolute_url()).content.decode()
    assert "试导入通过：将新增 2 条" in page and "确认导入" in page
    # The checked file stays on the server for 确认导入 (a dry run keeps its input).
    assert checked.input_path.exists()

    # Nobody else can confirm it: to them it does not exist.
    other = login(personas.agency_officer)
    assert other.post(reverse("dues:import-confirm"), {"job": checked.pk}).status_code == 404
    assert not DuesPayment.objects.exists()

    client = login(personas.secretary_of_branch_1)
    response = client.post(reverse("dues:import-confirm"), {"job": checked.pk})
    done = Job.objects.exclude(pk=checked.pk).get()
    assert response["Location"] == done.get_absolute_url()
    assert done.state == Job.State.DONE and done.result["imported"] and not done.arguments["dry_run"]
    assert set(DuesPayment.objects.values_list("receipt_number", flat=True)) == {"DF-1", "DF-2"}
    page = client.get(done.get_absolute_url()).content.decode()
    assert "导入完成：新增 2 条" in page and "查看党费收缴" in page and "确认导入" not in page
    # Written in the owner's name, through the import, and the real import's upload is gone.
    entries = AuditLog.objects.filter(content_type__model="duespayment")
    assert entries.count() == 2 and {(e.actor_id, e.via) for e in entries} == {
        (personas.secretary_of_branch_1.pk, "import")
    }
    assert not done.input_path.exists()


def test_a_bad_row_rolls_the_whole_file_back_and_is_named_by_row_and_column(bases, bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    bad = ["钱二华", "", "2026-11", "四十五", "2026-11-05", "现金", "DF-3", ""]
    upload(client, xlsx([*GOOD, bad]), dry_run=False)
    job = Job.objects.get()
    assert job.state == Job.State.DONE and not job.result["imported"]
    assert (
        not DuesPayment.objects.exists()
        and not AuditLog.objects.filter(content_type__model="duespayment").exists()
    )
    page = login(personas.secretary_of_branch_1).get(job.get_absolute_url()).content.decode()
    assert "整个文件未导入" in page and "第4行" in page and "D列（金额）" in page
    assert "确认导入" not in page


def test_a_crash_midway_writes_nothing_and_the_job_shows_the_failure(bases, bureau, personas, login):
    from dangjian.dues import actions

    real = actions.do_record_payment
    calls = []

    def flaky(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real(*args, **kwargs)

    client = login(personas.secretary_of_branch_1)
    with mock.patch("dangjian.dues.excel.do_record_payment", flaky):
        upload(client, xlsx(GOOD), dry_run=False)
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and job.error == jobs.INTERNAL_ERROR
    assert not DuesPayment.objects.exists()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "内部错误" in page and "重试" in page and "disk gone" not in page


def test_a_worker_killed_while_writing_shows_failure_not_writing_forever(
    bases, bureau, personas, login, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    client = login(personas.secretary_of_branch_1)
    upload(client, xlsx(GOOD), dry_run=False)
    job = Job.objects.get()
    # As the worker leaves it when killed inside the write transaction: running, stage "写入".
    long_ago = timezone.now() - datetime.timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
    Job.objects.filter(pk=job.pk).update(
        state=Job.State.RUNNING,
        stage="已读取 2 行，正在逐行检查并写入……",
        started_at=long_ago,
        heartbeat_at=long_ago,
    )
    page = client.get(job.get_absolute_url()).content.decode()
    assert "后台任务程序在处理过程中中断" in page and "正在逐行检查并写入" not in page
    assert Job.objects.get().state == Job.State.FAILED and not DuesPayment.objects.exists()


def test_the_job_reaches_only_the_owners_members(bases, bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    outside = ["李四清", "", "2026-11", 15, "2026-11-06", "转账", "DF-9", ""]
    upload(client, xlsx([outside]), dry_run=False)
    job = Job.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "第2行" in page and "A列（姓名）" in page and "不在您管理的花名册中" in page
    assert not DuesPayment.objects.exists()


def test_an_owner_who_lost_the_right_to_write_while_it_queued_writes_nothing(
    bases, bureau, personas, login, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    upload(login(personas.secretary_of_branch_1), xlsx(GOOD), dry_run=False)
    job = Job.objects.get()
    personas.secretary_of_branch_1.role.kind = "discipline"
    personas.secretary_of_branch_1.role.save()
    jobs.execute(job.pk, job.attempt)
    job.refresh_from_db()
    assert job.state == Job.State.FAILED and "没有写入权限" in job.error
    assert not DuesPayment.objects.exists()


def test_read_only_roles_cannot_upload_or_confirm(bases, bureau, personas, login):
    client = login(personas.discipline)
    assert upload(client, xlsx(GOOD)).status_code == 403
    assert client.post(reverse("dues:import-confirm"), {"job": "1"}).status_code == 403
    assert not Job.objects.exists()


def test_confirm_refuses_a_dry_run_with_problems(bases, bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    upload(client, xlsx([["无此人", "", "2026-11", 15, "2026-11-06", "转账", "DF-9", ""]]))
    job = Job.objects.get()
    response = client.post(reverse("dues:import-confirm"), {"job": job.pk}, follow=True)
    assert "只能确认一次通过了的试导入" in response.content.decode()
    assert Job.objects.count() == 1 and not DuesPayment.objects.exists()


def test_base_list_goes_through_the_job_too(bureau, personas, login):
    client = login(personas.secretary_of_branch_1)
    rows = [["赵一明", "", "在职", "4500.00", "2026-01", ""]]
    upload(client, xlsx(rows, excel.BASE_COLUMNS), kind="bases", dry_run=False)
    job = Job.objects.get()
    assert job.state == Job.State.DONE and job.result["imported"] and job.title.startswith("导入交纳基数")
    assert DuesBase.objects.get().member == bureau.member_1


def test_a_file_over_the_limit_is_refused_before_it_is_read(bureau, personas, login, settings):
    settings.IMPORT_MAX_BYTES = 100
    response = upload(login(personas.secretary_of_branch_1), xlsx(GOOD))
    assert response.status_code == 200 and "超过了" in response.content.decode()
    assert not Job.objects.exists()


@pytest.mark.parametrize("kind", ["nonsense", "confirm"])
def test_an_unknown_kind_is_not_found(bureau, personas, login, kind):
    response = login(personas.secretary_of_branch_1).get(reverse("dues:import", args=[kind]))
    assert response.status_code == (404 if kind == "nonsense" else 405)


def test_a_list_longer_than_the_dues_row_limit_is_refused_in_chinese(
    bases, bureau, personas, login, settings
):
    settings.DUES_IMPORT_MAX_ROWS = 1
    client = login(personas.secretary_of_branch_1)
    upload(client, xlsx(GOOD), dry_run=False)
    job = Job.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "有 2 行数据，超过了一次导入 1 行的上限" in page and not DuesPayment.objects.exists()
