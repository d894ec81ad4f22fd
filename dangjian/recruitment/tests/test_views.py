"""Pages: who may see and change cases, forms that refuse bad input in Chinese, the due list, plans."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from dangjian.recruitment.models import Case, Plan, Step
from dangjian.recruitment.tests.conftest import make_id

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def case(open_case):  # type: ignore[no-untyped-def]
    return open_case(start=D(2026, 10, 25))


def test_outsider_and_member_cannot_see_cases(login, personas, case) -> None:  # type: ignore[no-untyped-def]
    # Officers' pages: refused with 403 for a member and a user without a role (never any data).
    for user in (personas.outsider, personas.member):
        client = login(user)
        for url in (reverse("recruitment:list"), case.get_absolute_url(), reverse("recruitment:due")):
            response = client.get(url)
            assert response.status_code == 403
            assert case.name not in response.content.decode()


def test_secretary_of_another_branch_gets_404(login, bureau, personas, open_case) -> None:  # type: ignore[no-untyped-def]
    other = open_case(start=D(2026, 10, 25), org=bureau.branch_2, name="外支部", seq="999")
    client = login(personas.secretary_of_branch_1)
    assert client.get(other.get_absolute_url()).status_code == 404
    assert (
        client.post(reverse("recruitment:step-add", args=[other.pk, 2]), {"date": "2026-11-01"}).status_code
        == 404
    )
    assert "外支部" not in client.get(reverse("recruitment:list")).content.decode()


def test_discipline_reads_with_id_masked_but_cannot_write(login, personas, case) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.discipline)
    page = client.get(case.get_absolute_url()).content.decode()
    assert case.name in page and case.id_number not in page and case.masked_id_number in page
    assert (
        client.post(reverse("recruitment:step-add", args=[case.pk, 2]), {"date": "2026-11-01"}).status_code
        == 403
    )
    assert client.post(reverse("recruitment:create"), {}).status_code == 403
    assert client.post(reverse("recruitment:transfer", args=[case.pk]), {}).status_code == 403
    assert Step.objects.count() == 1


def test_secretary_sees_the_timeline_with_the_next_step_panel(login, personas, case) -> None:  # type: ignore[no-untyped-def]
    page = login(personas.secretary_of_branch_1).get(case.get_absolute_url()).content.decode()
    assert "下一步：第2步 党组织派人谈话" in page
    assert "2026年11月25日" in page and "细则第七条" in page
    assert case.id_number in page


def test_opening_a_case_through_the_form(login, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    data = {
        "name": "郑新",
        "gender": "male",
        "birth_date": "1999-04-01",
        "id_number": make_id(D(1999, 4, 1)),
        "organization": bureau.branch_1.pk,
        "opened_on": "2026-11-02",
        "checklist": ["入党申请书"],
    }
    response = client.post(reverse("recruitment:create"), data)
    created = Case.objects.get(name="郑新")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()


def test_opening_a_case_for_someone_under_18_shows_a_chinese_error(login, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    data = {
        "name": "少年",
        "gender": "male",
        "birth_date": "2009-04-01",
        "id_number": make_id(D(2009, 4, 1)),
        "organization": bureau.branch_1.pk,
        "opened_on": "2026-11-02",
    }
    page = client.post(reverse("recruitment:create"), data).content.decode()
    assert "未满18周岁" in page and not Case.objects.exists()


def test_a_secretary_cannot_open_a_case_in_another_branch(login, bureau, personas) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    data = {
        "name": "郑新",
        "gender": "male",
        "birth_date": "1999-04-01",
        "organization": bureau.branch_2.pk,
        "opened_on": "2026-11-02",
    }
    response = client.post(reverse("recruitment:create"), data)
    # Branch 2 is not among the organizations the secretary's form offers.
    assert response.status_code == 200
    assert any("选择一个有效的选项" in e for e in response.context["form"].errors["organization"])
    assert not Case.objects.exists()


def test_a_step_dated_before_its_prerequisite_shows_the_error_and_writes_nothing(
    login, personas, case
) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    page = client.post(
        reverse("recruitment:step-add", args=[case.pk, 2]), {"date": "2026-10-20"}
    ).content.decode()
    assert "早于其前置步骤第1步" in page
    assert case.steps.count() == 1


def test_a_vote_without_quorum_shows_the_error_and_writes_nothing(login, personas, walk, open_case) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 14)
    client = login(personas.secretary_of_branch_1)
    data = {"date": "2024-09-01", "eligible": 5, "present": 2, "votes_for": 2, "against": 0, "abstain": 0}
    page = client.post(reverse("recruitment:step-add", args=[case.pk, 15]), data).content.decode()
    assert "不足法定人数" in page
    assert case.steps.filter(number=15).count() == 0


def test_recording_a_step_with_a_late_date_warns(login, personas, open_case) -> None:  # type: ignore[no-untyped-def]
    case = open_case(start=D(2026, 8, 31))
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("recruitment:step-add", args=[case.pk, 2]), {"date": "2026-10-01"}, follow=True
    )
    page = response.content.decode()
    assert "已超过期限" in page and "尚缺材料：谈话记录" in page


def test_the_due_list_and_the_home_panel(login, personas, case) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    page = client.get(reverse("recruitment:due") + "?month=2026-11").content.decode()
    assert case.name in page and "应谈话" in page
    # The panel itself (the home page also renders other apps' panels).
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from dangjian.recruitment.views import home_panel

    request = RequestFactory().get("/")
    request.user = personas.agency_officer
    panel = home_panel(request)
    assert panel is not None and panel.context["due"] == 1
    html = render_to_string(panel.template, {"panel": panel.context})
    assert '1<span class="stat-unit">项</span>' in html and "到期事项" in html
    request.user = personas.member
    assert home_panel(request) is None


def test_list_by_stage_uses_a_fixed_number_of_queries(
    login, personas, open_case, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(6):
        open_case(start=D(2026, 10, 25), name=f"申请人{i}", seq=f"2{i:02d}")
    client = login(personas.agency_officer)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("recruitment:list") + "?stage=application").content.decode()
    assert "申请人5" in page


def test_plans_page_compares_plan_with_actual(login, bureau, personas, walk, open_case) -> None:  # type: ignore[no-untyped-def]
    case = walk(open_case(), 17)
    client = login(personas.secretary_of_branch_1)
    year = case.admitted_on.year
    response = client.post(
        reverse("recruitment:plans"),
        {"organization": bureau.branch_1.pk, "year": year, "planned": 2, "note": ""},
    )
    assert response.status_code == 302 and Plan.objects.get().planned == 2
    page = client.get(reverse("recruitment:plans") + f"?year={year}").content.decode()
    assert "50%" in page
    assert login(personas.discipline).post(reverse("recruitment:plans"), {}).status_code == 403


def test_documents_are_served_only_in_scope(login, personas, bureau, case, settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    client = login(personas.secretary_of_branch_1)
    upload = SimpleUploadedFile("谈话.pdf", b"%PDF-1.4", content_type="application/pdf")
    client.post(
        reverse("recruitment:step-add", args=[case.pk, 2]), {"date": "2026-11-01", "documents": [upload]}
    )
    doc = case.steps.get(number=2).documents.get()
    assert client.get(doc.get_absolute_url()).status_code == 200
    assert login(personas.outsider).get(doc.get_absolute_url()).status_code == 403
