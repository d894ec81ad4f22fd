"""Pages: who may see and do what (404 outside scope, 403 read-only), and what they see."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from dangjian.dues.models import DuesPayment
from dangjian.dues.tests.conftest import pay


@pytest.fixture
def ledger(bases, bureau):  # type: ignore[no-untyped-def]
    from dangjian.dues.run import run_month

    pay(bureau.member_1, "45.00", "R-own", first_month="2026-11")
    pay(bureau.member_of_branch_2, "15.00", "R-other", first_month="2026-11")
    run_month(datetime.date(2026, 11, 1))
    return bureau


def test_a_member_sees_only_their_own_dues(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.member)
    own = client.get(reverse("dues:member", args=[ledger.member_1.pk]))
    assert own.status_code == 200
    assert "R-own" in own.content.decode() and "45.00元" in own.content.decode()
    for other in ledger.members[1:]:
        assert client.get(reverse("dues:member", args=[other.pk])).status_code == 404
    assert client.get(reverse("dues:mine")).url == reverse("dues:member", args=[ledger.member_1.pk])
    # Officer pages are refused (403: the pages exist, they are not for a member).
    assert client.get(reverse("dues:month")).status_code == 403
    assert client.get(reverse("dues:overview")).status_code == 403
    assert client.get(reverse("dues:export-collection")).status_code == 403
    # …and a member cannot record payments, even their own.
    assert client.get(reverse("dues:payment-new", args=[ledger.member_1.pk])).status_code == 403


def test_the_member_home_panel_shows_their_own_dues(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    page = login(personas.member).get(reverse("home")).content.decode()
    assert "我的党费" in page and "45.00" in page


def test_branch_secretary_sees_their_branch_only(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    page = client.get(reverse("dues:month") + "?month=2026-11")
    assert page.status_code == 200
    text = page.content.decode()
    assert "赵一明" in text and "李四清" not in text
    assert client.get(reverse("dues:member", args=[ledger.member_of_branch_2.pk])).status_code == 404
    assert client.get(reverse("dues:month") + f"?org={ledger.branch_2.pk}").status_code == 404
    assert client.get(reverse("dues:payment-new", args=[ledger.member_of_branch_2.pk])).status_code == 404


def test_discipline_reads_but_cannot_write(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.discipline)
    assert client.get(reverse("dues:overview") + "?month=2026-11").status_code == 200
    assert client.get(reverse("dues:member", args=[ledger.member_1.pk])).status_code == 200
    url = reverse("dues:payment-new", args=[ledger.member_1.pk])
    assert (
        client.post(
            url, {"amount": "45", "paid_on": "2026-11-10", "method": "cash", "receipt_number": "X"}
        ).status_code
        == 403
    )
    assert client.post(reverse("dues:import", args=["payments"]), {}).status_code == 403
    assert client.post(reverse("dues:run"), {"month": "2026-11"}).status_code == 403


def test_a_user_without_a_role_is_refused(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.outsider)
    assert client.get(reverse("dues:month")).status_code == 403
    assert client.get(reverse("dues:member", args=[ledger.member_1.pk])).status_code == 403


def test_secretary_records_a_payment_through_the_form(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    member = ledger.members[1]
    url = reverse("dues:payment-new", args=[member.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "amount": "90.00",
            "paid_on": "2026-11-12",
            "method": "wechat",
            "receipt_number": "R-form",
            "first_month": "2026-11",
        },
    )
    assert response.status_code == 302
    assert DuesPayment.objects.get(receipt_number="R-form").member == member
    again = client.post(
        url, {"amount": "90.00", "paid_on": "2026-11-12", "method": "wechat", "receipt_number": "R-form"}
    )
    assert again.status_code == 200 and "已经登记过" in again.content.decode()
    bad = client.post(
        url, {"amount": "abc", "paid_on": "2026-11-12", "method": "cash", "receipt_number": "R-x"}
    )
    assert "不是数字" in bad.content.decode()
    assert DuesPayment.objects.count() == 3


def test_secretary_sets_a_base_and_refuses_a_negative_one(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.secretary_of_branch_1)
    url = reverse("dues:base-new", args=[ledger.member_1.pk])
    bad = client.post(url, {"effective_month": "2027-01", "category": "in_service", "amount": "-5"})
    assert bad.status_code == 200 and "不能为负数" in bad.content.decode()
    ok = client.post(url, {"effective_month": "2027-01", "category": "in_service", "amount": "5200"})
    assert ok.status_code == 302


def test_agency_officer_sees_collection_red_flags_and_runs_the_month(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    page = client.get(reverse("dues:overview") + "?month=2026-11").content.decode()
    assert "第一党支部" in page and "第二党支部" in page and "欠交名单" in page
    assert client.post(reverse("dues:run"), {"month": "2026-11"}).status_code == 302
    assert client.get(reverse("dues:index")).url == reverse("dues:overview")


def test_month_page_query_count_does_not_grow_with_members(
    ledger, personas, login, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client = login(personas.agency_officer)
    with django_assert_max_num_queries(20):
        client.get(reverse("dues:month") + f"?org={ledger.organ_committee.pk}&month=2026-11")


def test_the_payment_form_shows_and_prefills_what_is_owed(ledger, personas, login) -> None:  # type: ignore[no-untyped-def]
    from dangjian.dues.models import MonthlyDue
    from dangjian.dues.run import run_month

    run_month(datetime.date(2026, 10, 1))  # October unpaid too: arrears before this month
    client = login(personas.secretary_of_branch_1)
    member = ledger.members[1]
    # Recounted from the ledger lines: every month so far, due minus paid.
    owed = sum(
        (line.due - line.paid for line in MonthlyDue.objects.filter(member=member) if line.due > line.paid),
        start=0,
    )
    assert owed > 0
    page = client.get(reverse("dues:payment-new", args=[member.pk])).content.decode()
    assert f"截至本月应交合计 <strong>{owed}元</strong>" in page
    assert f'name="amount" value="{owed}"' in page

    pay(ledger.member_1, "45.00", "R-oct", first_month="2026-10")  # member 1 now owes nothing
    paid_up = client.get(reverse("dues:payment-new", args=[ledger.member_1.pk])).content.decode()
    assert "目前没有欠交，本月也已交清" in paid_up
    assert 'name="amount" value=' not in paid_up
