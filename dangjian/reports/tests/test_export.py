"""Exporting a draft from the web: a 成文日期 on every file, and a confirm page while prompts remain."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from docx import Document as open_docx

from dangjian.core.dates import today
from dangjian.core.models import Job
from dangjian.reports.document import Document
from dangjian.reports.models import Genre


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


def without_prompts(draft, user):  # type: ignore[no-untyped-def]
    """A new version of ``draft`` with every paragraph holding a prompt taken out."""
    from dangjian.reports.actions import do_save_edit

    version = draft.latest_version()
    document = Document.from_json(version.document)
    document.blocks = [b for b in document.blocks if not any(r.kind == "prompt" for r in b.runs)]
    return do_save_edit(draft, version, document, note="删去待补充", acting_user=user)


def signature(docx: bytes) -> list[str]:
    return [p.text for p in open_docx(io.BytesIO(docx)).paragraphs if p.style.name == "Signature"]


def test_draft_page_offers_export_with_todays_date(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    page = login(personas.agency_officer).get(draft.get_absolute_url()).content.decode()
    assert f'name="date" value="{today():%Y-%m-%d}"' in page
    assert f'action="{reverse("reports:export", args=[draft.pk])}"' in page


def test_remaining_prompts_are_listed_before_export(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    document = Document.from_json(draft.latest_version().document)
    places = document.prompt_places()
    assert places, "the fixture's draft leaves prompts to the officer"
    url = reverse("reports:export", args=[draft.pk])
    response = client.post(url, {"fmt": "docx", "date": "2025-07-08", "v": 1})
    page = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert f"还有 {len(places)} 处【待补充】内容" in page
    for place in places:
        assert place.text in page
        assert f"#b{place.block}" in page  # each links to its paragraph in the editor
    assert 'name="confirm" value="1"' in page
    confirmed = client.post(url, {"fmt": "docx", "date": "2025-07-08", "v": 1, "confirm": "1"})
    assert confirmed["Content-Disposition"].startswith("attachment")
    assert signature(confirmed.content) == [draft.signer, "2025年7月8日"]


def test_a_draft_without_prompts_exports_at_once(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    version = without_prompts(draft, personas.agency_officer)
    url = reverse("reports:export", args=[draft.pk])
    response = client.post(url, {"fmt": "docx", "date": "2026-01-05", "v": version.number})
    assert signature(response.content) == [draft.signer, "2026年1月5日"]
    txt = client.post(url, {"fmt": "txt", "date": "2026-01-05", "v": version.number}).content.decode()
    assert txt.endswith(f"\n\n{draft.signer}\n2026年1月5日\n")


def test_pdf_export_carries_the_date_to_the_job(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    url = reverse("reports:export", args=[draft.pk])
    response = client.post(url, {"fmt": "pdf", "date": "2025-07-08", "v": 1, "confirm": "1"})
    job = Job.objects.get(kind="reports.export_pdf")
    assert response.status_code == 302 and job.arguments["date"] == "2025-07-08"


def test_a_bad_date_is_named_and_nothing_is_exported(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    response = client.post(
        reverse("reports:export", args=[draft.pk]),
        {"fmt": "docx", "date": "2025-02-30", "v": 1, "confirm": "1"},
    )
    page = response.content.decode()
    assert response.status_code == 200 and "成文日期应为 2026-05-08 这样的日期。" in page
    assert "Content-Disposition" not in response


def test_download_link_takes_a_date_and_defaults_to_today(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    url = reverse("reports:download", args=[draft.pk, "docx"])
    assert signature(client.get(url, {"date": "2025-07-08"}).content)[-1] == "2025年7月8日"
    day = today()
    assert signature(client.get(url).content)[-1] == f"{day.year}年{day.month}月{day.day}日"
