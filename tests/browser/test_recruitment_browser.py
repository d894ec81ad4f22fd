"""One admission case in a real browser, from the application to confirmation.

The clock is "moved forward" by entering every date in the past: the application is dated about
three and a half years ago and each step on the earliest date its rule allows (or a few days
later), so the whole pipeline — a year as activist, a year of probation — fits before today
without patching ``today()`` inside the live server's thread. The system refuses future dates,
so this is also how an officer enters a case that started before the system was in use.
"""

from __future__ import annotations

import datetime

import pytest

from dangjian.core.dates import add_months, today
from dangjian.members.choices import MemberStatus
from dangjian.members.validators import id_check_digit
from dangjian.recruitment.demo import happy_dates
from dangjian.recruitment.models import Case
from tests.browser.lookup import pick

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_one_case_from_application_to_confirmation(live_server, page, personas, bureau, browser_login):  # type: ignore[no-untyped-def]
    url = live_server.url
    start = add_months(today(), -42)
    dates = happy_dates(start)
    born = datetime.date(1996, 9, 9)
    first17 = f"110105{born:%Y%m%d}321"

    browser_login(page, personas.secretary_of_branch_1)
    page.goto(f"{url}/recruitment/")
    page.click("text=登记入党申请")
    page.fill("#id_name", "陆明远")
    page.select_option("#id_gender", label="男")
    page.fill("#id_birth_date", born.isoformat())
    page.fill("#id_id_number", first17 + id_check_digit(first17))
    pick(page, "organization", "第一党支部")
    page.fill("#id_opened_on", start.isoformat())
    page.check("input[name=checklist][value=入党申请书]")
    page.click("main button[type=submit]")
    page.wait_for_selector("text=已为陆明远建立发展党员档案")
    assert page.is_visible("text=下一步：第2步 党组织派人谈话")

    # A step dated before its prerequisite is refused on the page, in Chinese.
    page.click("text=登记第2步")
    page.fill("#id_date", (start - datetime.timedelta(days=1)).isoformat())
    page.click("main button[type=submit]")
    page.wait_for_selector("text=早于其前置步骤第1步")

    for number in range(2, 26):
        page.goto(f"{url}/recruitment/{Case.objects.get().pk}/")
        page.click(f"#next >> text=登记第{number}步")
        page.fill("#id_date", dates[number].isoformat())
        for box in page.query_selector_all("input[name=checklist]"):
            box.check()
        if number in (5, 9):
            page.check(f"label:has-text('{bureau.members[0].name}')")
            page.check(f"label:has-text('{bureau.members[1].name}')")
        if number in (15, 23):
            for name, value in (
                ("eligible", 2),
                ("present", 2),
                ("votes_for", 2),
                ("against", 0),
                ("abstain", 0),
            ):
                page.fill(f"#id_{name}", str(value))
        if number == 11:
            page.fill("#id_training_days", "3")
        page.click("main button[type=submit]")
        page.wait_for_selector(f"text=已登记第{number}步")
        if number == 17:
            assert page.is_visible("text=预备党员")

    assert page.is_visible("text=已转正归档")
    case = Case.objects.select_related("member").get()
    member = case.member
    assert member is not None and member.status == MemberStatus.FULL
    assert member.admission_date == dates[15]
    assert member.confirmation_date == add_months(dates[15], 12)
    page.wait_for_selector(f"text={member.confirmation_date:%Y-%m-%d}")
