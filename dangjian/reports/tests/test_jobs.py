"""Report drafts, regeneration and the PDF run as jobs: the button answers at once, the job page follows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from dangjian.core.models import Job
from dangjian.reports import jobs as report_jobs
from dangjian.reports.models import Draft, Genre
from dangjian.reports.render_pdf import PdfUnavailable


@pytest.fixture
def draft(ledger, bureau, personas):  # type: ignore[no-untyped-def]
    from dangjian.core.period import Period
    from dangjian.reports.actions import do_create_draft

    return do_create_draft(
        genre=Genre.objects.get(code="work_summary"),
        organization=bureau.organ_committee,
        period=Period.parse("2025H1"),
        acting_user=personas.agency_officer,
    )


@pytest.fixture
def fake_pdf(monkeypatch):  # type: ignore[no-untyped-def]
    """LibreOffice takes seconds; these tests check the flow (test_docx converts for real)."""
    made: list[bytes] = []

    def convert(docx: bytes) -> bytes:
        made.append(docx)
        return b"%PDF-1.7 fake"

    monkeypatch.setattr(report_jobs, "docx_to_pdf", convert)
    return made


def test_a_queued_draft_job_composes_nothing_until_the_worker_runs_it(
    ledger, bureau, personas, login, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    client = login(personas.agency_officer)
    genre = Genre.objects.get(code="work_summary")
    response = client.post(
        reverse("reports:list"),
        {"genre": genre.pk, "organization": bureau.organ_committee.pk, "period": "2025H1"},
    )
    job = Job.objects.get()
    assert response["Location"] == job.get_absolute_url() and not Draft.objects.exists()
    assert job.title == "生成测试局机关党委2025年上半年党建工作总结"
    assert job.arguments == {"genre": genre.pk, "organization": bureau.organ_committee.pk, "period": "2025H1"}
    assert "排队中" in client.get(job.get_absolute_url()).content.decode()
    from dangjian.core.jobs import execute

    execute(job.pk, job.attempt)
    draft = Draft.objects.get()
    assert client.get(job.get_absolute_url())["Location"] == draft.get_absolute_url()
    execute(job.pk, job.attempt)  # delivered again: still one draft
    assert Draft.objects.count() == 1


def test_regenerating_is_a_job_that_opens_the_new_version(draft, personas, login):
    client = login(personas.agency_officer)
    response = client.post(reverse("reports:regenerate", args=[draft.pk]))
    job = Job.objects.get(kind="reports.regenerate")
    assert response["Location"] == job.get_absolute_url()
    version = draft.latest_version()
    assert version.number == 2 and version.note == "根据台账重新生成"
    assert client.get(job.get_absolute_url())["Location"] == version.get_absolute_url()
    assert "已根据最新台账重新生成，第2版。" in client.get(version.get_absolute_url()).content.decode()


@pytest.mark.parametrize(("persona", "status"), [("secretary_of_branch_1", 404), ("discipline", 403)])
def test_regenerating_outside_scope_or_read_only_starts_no_job(draft, personas, login, persona, status):
    response = login(getattr(personas, persona)).post(reverse("reports:regenerate", args=[draft.pk]))
    assert response.status_code == status and not Job.objects.exists()
    assert draft.versions.count() == 1


def test_the_pdf_button_starts_a_job_whose_page_offers_the_file(draft, personas, login, fake_pdf):
    client = login(personas.discipline)  # reading is enough to export
    page = client.get(draft.get_absolute_url()).content.decode()
    assert f'action="{reverse("reports:export", args=[draft.pk])}"' in page and 'value="pdf"' in page
    response = client.post(reverse("reports:pdf", args=[draft.pk]), {"v": "1"})
    job = Job.objects.get(kind="reports.export_pdf")
    assert response["Location"] == job.get_absolute_url()
    from dangjian.core.dates import today

    expected = {"draft": draft.pk, "version": 1, "date": today().isoformat()}
    assert job.state == Job.State.DONE and job.arguments == expected
    assert job.result_file == f"{draft.title}-第1版.pdf"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "PDF 已生成。" in page and reverse("core:job-download", args=[job.pk]) in page
    download = client.get(reverse("core:job-download", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert download.content == b"%PDF-1.7 fake"
    assert fake_pdf and fake_pdf[0][:2] == b"PK"  # the .docx that went to LibreOffice
    # The file is its requester's: another officer gets 404.
    other = login(personas.agency_officer)
    assert other.get(reverse("core:job-download", args=[job.pk])).status_code == 404


def test_a_pdf_without_libreoffice_fails_with_what_to_do_and_a_retry(draft, personas, login, monkeypatch):
    def missing(docx: bytes) -> bytes:
        raise PdfUnavailable(
            "服务器未安装 LibreOffice，无法生成 PDF；请下载 .docx，或请管理员安装 libreoffice-writer。"
        )

    monkeypatch.setattr(report_jobs, "docx_to_pdf", missing)
    client = login(personas.agency_officer)
    client.post(reverse("reports:pdf", args=[draft.pk]))
    job = Job.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert job.state == Job.State.FAILED and "服务器未安装 LibreOffice" in page and "重试" in page


def test_a_pdf_of_a_draft_outside_scope_is_404_and_starts_nothing(draft, personas, login):
    assert (
        login(personas.secretary_of_branch_1).post(reverse("reports:pdf", args=[draft.pk])).status_code == 404
    )
    assert not Job.objects.exists()


def test_an_old_pdf_link_leads_back_to_the_button(draft, personas, login):
    client = login(personas.agency_officer)
    response = client.get(reverse("reports:download", args=[draft.pk, "pdf"]))
    assert response.status_code == 302 and response["Location"] == draft.latest_version().get_absolute_url()


def test_the_pdf_job_converts_for_real_with_libreoffice(draft, personas, login):
    client = login(personas.agency_officer)
    client.post(reverse("reports:pdf", args=[draft.pk]))
    job = Job.objects.get()
    assert job.state == Job.State.DONE, job.error
    assert job.result_path.read_bytes().startswith(b"%PDF")
