"""The reports pages: create a draft, trace its figures, edit, compare, proofread, export."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from docx import Document as open_docx

from dangjian.core.models import Job
from dangjian.reports.models import Draft, Genre


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


def test_officer_creates_a_draft_from_the_ledger(ledger, bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    genre = Genre.objects.get(code="work_summary")
    response = client.post(
        reverse("reports:list"),
        {"genre": genre.pk, "organization": bureau.organ_committee.pk, "period": "2025H1"},
    )
    draft = Draft.objects.get()
    # Composing is a job: its page opens the draft once it is done (here at once).
    job = Job.objects.get(kind="reports.create_draft")
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert client.get(job.get_absolute_url())["Location"] == draft.get_absolute_url()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "已根据台账生成初稿。" in page
    assert "2025年上半年" in page
    assert 'class="fig"' in page  # figures link to their records
    assert "【待补充" in page  # problems and next steps are not invented


def test_bad_period_is_refused_in_chinese(bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    genre = Genre.objects.get(code="work_summary")
    response = client.post(
        reverse("reports:list"),
        {"genre": genre.pk, "organization": bureau.organ_committee.pk, "period": "2025H3"},
    )
    assert response.status_code == 200 and not Draft.objects.exists()
    assert "无法识别的期间“2025H3”" in response.content.decode()


def test_figure_link_lists_the_records_behind_it(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    version = draft.latest_version()
    figure = version.figure("activities.count.general_meeting")
    page = client.get(
        reverse("reports:figure", args=[draft.pk, "activities.count.general_meeting"])
    ).content.decode()
    assert f"共 {len(figure['evidence']['ids'])} 条" in page
    assert "支部党员大会" in page


def test_editing_keeps_figure_links_and_versions_compare(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.reports.document import Document

    client = login(personas.agency_officer)
    v1 = draft.latest_version()
    document = Document.from_json(v1.document)
    data = {"title": document.title, "note": "改写开头"}
    for i, block in enumerate(document.blocks):
        data[f"block-{i}"] = block.text
    index = next(i for i, b in enumerate(document.blocks) if any(r.kind == "figure" for r in b.runs))
    data[f"block-{index}"] = "经研究，" + document.blocks[index].text
    response = client.post(reverse("reports:edit", args=[draft.pk]), data)
    assert response.status_code == 302
    v2 = draft.latest_version()
    assert v2.number == 2
    edited = Document.from_json(v2.document)
    assert edited.blocks[index].text.startswith("经研究，")
    assert edited.blocks[index].runs[1].kind == "figure"  # the number still links to its records
    assert {f["key"] for f in v2.figures} == set(edited.figure_keys())
    diff = client.get(reverse("reports:diff", args=[draft.pk]) + "?a=1&b=2").content.decode()
    assert "<ins>经研究，</ins>" in diff


def test_inputs_fill_problems_and_next_steps(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    response = client.post(
        reverse("reports:inputs", args=[draft.pk]),
        {
            "title": draft.title,
            "problems": "学用结合还不够紧密。\n党员教育方式较为单一。",
            "next_steps": "每月至少开展1次集中学习。",
            "opening": "",
            "signer": "测试局机关党委",
        },
    )
    assert response.status_code == 302
    text = "\n".join(b["text"] for b in draft.latest_version().document["blocks"])
    assert "一是学用结合还不够紧密。" in text and "二是党员教育方式较为单一。" in text
    assert "一是每月至少开展1次集中学习。" in text


def test_downloads_docx_txt_json(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    docx = client.get(reverse("reports:download", args=[draft.pk, "docx"]))
    assert docx.status_code == 200
    # a long title breaks between words over lines (GB/T 9704 layout): the words are the title's
    assert open_docx(io.BytesIO(docx.content)).paragraphs[0].text.replace("\n", "") == draft.title
    txt = client.get(reverse("reports:download", args=[draft.pk, "txt"])).content.decode()
    assert txt.replace("\n", "").startswith(draft.title)
    data = json.loads(client.get(reverse("reports:download", args=[draft.pk, "json"])).content)
    assert set(data) >= {"genre", "org", "period", "title", "blocks", "figures"}


def test_proofreading_a_draft_saves_accepted_fixes_as_a_version(draft, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    page = client.get(reverse("reports:draft-proofread", args=[draft.pk]))
    assert page.status_code == 200
    response = client.post(reverse("reports:draft-proofread", args=[draft.pk]), {"accept": []})
    assert response.status_code == 302 and draft.latest_version().number == 2


def test_proofread_page_marks_findings_in_pasted_text(personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.member)
    response = client.post(reverse("reports:proofread"), {"text": "上半年共召开党员大会xx次。"})
    page = response.content.decode()
    assert response.status_code == 200 and "<mark" in page and "占位符" in page


def test_proofread_page_lists_style_suggestions_apart_from_errors(personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.member)
    response = client.post(reverse("reports:proofread"), {"text": "开展“三会一课”、“主题党日”等活动。"})
    page = response.content.decode()
    assert "发现 0 处问题" in page and "没有发现问题" in page
    assert "格式建议 1 处" in page and "<mark" not in page


@pytest.mark.parametrize(
    "persona, status",
    [
        ("agency_officer", 200),
        ("discipline", 200),
        ("secretary_of_branch_1", 404),
        ("member", 403),
        ("outsider", 403),
    ],
)
def test_draft_of_the_organ_committee_is_visible_only_within_scope(
    draft, personas, login, persona, status
) -> None:  # type: ignore[no-untyped-def]
    assert login(getattr(personas, persona)).get(draft.get_absolute_url()).status_code == status


def test_read_only_roles_cannot_create_or_edit(draft, bureau, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.discipline)
    genre = Genre.objects.get(code="work_summary")
    response = client.post(
        reverse("reports:list"),
        {"genre": genre.pk, "organization": bureau.organ_committee.pk, "period": "2025H1"},
    )
    assert response.status_code == 403
    assert client.post(reverse("reports:regenerate", args=[draft.pk])).status_code == 403
    assert Draft.objects.count() == 1


def test_builtin_genre_can_be_copied_and_edited_with_checked_json(personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    source = Genre.objects.get(code="integrity_report")
    response = client.post(reverse("reports:genre-copy", args=[source.pk]))
    copy = Genre.objects.get(based_on=source)
    assert response.status_code == 302 and not copy.is_builtin
    bad = client.post(
        reverse("reports:genre", args=[copy.pk]), {"name": "x", "code": copy.code, "body_text": "{oops"}
    )
    assert "不是有效的 JSON" in bad.content.decode()
    body = dict(copy.body, title=["{org}{period}廉政工作报告"])
    ok = client.post(
        reverse("reports:genre", args=[copy.pk]),
        {
            "name": "本局廉政报告",
            "code": copy.code,
            "description": "",
            "body_text": json.dumps(body, ensure_ascii=False),
        },
    )
    assert ok.status_code == 302
    copy.refresh_from_db()
    assert copy.name == "本局廉政报告" and copy.body["title"] == ["{org}{period}廉政工作报告"]


def _docx_upload(text: str) -> io.BytesIO:
    from docx import Document as new_docx

    document = new_docx()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    buffer.name = "本支部总结.docx"
    return buffer


def test_proofread_files_belong_to_their_uploader_and_expire(personas, login, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import re

    from dangjian.reports.views_proofread import purge_expired

    settings.MEDIA_ROOT = tmp_path
    owner = login(personas.member)
    page = owner.post(reverse("reports:proofread"), {"upload": _docx_upload("上半年共召开党员大会xx次。")})
    token = re.search(r'name="token" value="([0-9a-f-]{36})"', page.content.decode()).group(1)
    page = owner.post(
        reverse("reports:proofread"),
        {"action": "apply", "token": token, "suffix": ".docx", "text": "上半年共召开党员大会xx次。"},
    )
    download = re.search(r"\?t=([0-9a-f-]{36})", page.content.decode()).group(1)
    url = reverse("reports:proofread-download") + f"?t={download}"
    assert owner.get(url).status_code == 200
    assert login(personas.agency_officer).get(url).status_code == 404  # another user's token
    files = list((tmp_path / "proofread").rglob("*.docx"))
    assert len(files) == 2 and all(str(personas.member.pk) == f.parent.name for f in files)
    # File times come from the real clock, not the tests' frozen one: count from when they were written.
    written = max(f.stat().st_mtime for f in files)
    assert purge_expired(now=written + settings.PROOFREAD_KEEP_HOURS * 3600 - 60) == 0
    assert purge_expired(now=written + settings.PROOFREAD_KEEP_HOURS * 3600 + 60) == 2
    assert login(personas.member).get(url).status_code == 404


def test_a_damaged_upload_is_named_without_the_servers_paths(personas, login, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    damaged = io.BytesIO(b"PK\x03\x04 this is not a word file")
    damaged.name = "坏文件.docx"
    page = login(personas.member).post(reverse("reports:proofread"), {"upload": damaged}).content.decode()
    assert "坏文件.docx" in page and "损坏" in page
    assert str(tmp_path) not in page and "media/proofread" not in page
    assert not list((tmp_path / "proofread").rglob("*.docx"))
