"""Two people editing one record: the second save is stopped and shown the first one's changes,
with nothing of either lost (core/concurrency.py on the member and organization forms)."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _form_data(client, url):  # type: ignore[no-untyped-def]
    """What the browser would post: every field's rendered value, the hidden version included."""
    form = client.get(url).context["form"]
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


@pytest.fixture
def two_officers(personas):  # type: ignore[no-untyped-def]
    first, second = Client(), Client()
    first.force_login(personas.secretary_of_branch_1)
    second.force_login(personas.agency_officer)
    return first, second


def test_a_concurrent_member_edit_is_shown_not_overwritten(two_officers, bureau):
    first, second = two_officers
    member = bureau.members[1]
    url = reverse("members:edit", args=[member.pk])
    mine, theirs = _form_data(second, url), _form_data(first, url)
    theirs["phone"] = "13900001111"
    assert first.post(url, theirs).status_code == 302

    mine["department"] = "办公室"
    response = second.post(url, mine)
    assert response.status_code == 200
    text = response.content.decode()
    assert "在您编辑期间" in text and "zb1" in text
    form = response.context["form"]
    # The notice names the field by its label and the other user's value; the field says it was taken.
    summary = form.non_field_errors()[0]
    assert "联系电话：" in summary and "→ 13900001111" in summary
    assert form.errors["phone"] == ["其他用户已改为：13900001111（原为：（空））。已换成其他用户的值。"]
    assert form.data["department"] == "办公室"  # my input kept
    assert form.data["phone"] == "13900001111"  # their value taken where I changed nothing
    member.refresh_from_db()
    assert member.phone == "13900001111" and member.department != "办公室"

    # Saving the re-shown form keeps both changes.
    again = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    assert second.post(url, again).status_code == 302
    member.refresh_from_db()
    assert (member.phone, member.department) == ("13900001111", "办公室")


def test_when_both_change_one_field_mine_stays_marked_and_a_second_save_decides(two_officers, bureau):
    first, second = two_officers
    member = bureau.members[1]
    url = reverse("members:edit", args=[member.pk])
    mine, theirs = _form_data(second, url), _form_data(first, url)
    theirs["job_title"] = "副科长"
    first.post(url, theirs)
    mine["job_title"] = "科长"
    response = second.post(url, mine)
    form = response.context["form"]
    assert form.data["job_title"] == "科长"
    assert any("您也修改了此项" in e for e in form.errors["job_title"])
    again = {k: v for k, v in form.data.items() if k != "csrfmiddlewaretoken"}
    assert second.post(url, again).status_code == 302
    member.refresh_from_db()
    assert member.job_title == "科长"


def test_an_edit_without_a_concurrent_change_saves_at_once(personas, bureau, login):
    member = bureau.members[1]
    client = login(personas.secretary_of_branch_1)
    url = reverse("members:edit", args=[member.pk])
    data = _form_data(client, url)
    data["department"] = "人事股"
    assert client.post(url, data).status_code == 302


def test_a_concurrent_organization_edit_is_shown_not_overwritten(two_officers, bureau):
    first, second = two_officers
    org = bureau.branch_1
    url = reverse("orgs:edit", args=[org.pk])
    mine, theirs = _form_data(second, url), _form_data(first, url)
    theirs["short_name"] = "一支部"
    assert first.post(url, theirs).status_code == 302
    mine["description"] = "负责预算工作"
    response = second.post(url, mine)
    assert response.status_code == 200
    assert "一支部" in response.content.decode()
    assert response.context["form"].data["description"] == "负责预算工作"
    org.refresh_from_db()
    assert org.short_name == "一支部" and org.description != "负责预算工作"


def test_a_change_slipping_in_between_the_check_and_the_write_is_caught(personas, bureau, login):
    from dangjian.members.forms import MemberForm
    from dangjian.members.models import Member

    client = login(personas.secretary_of_branch_1)
    member = bureau.members[1]
    data = _form_data(client, reverse("members:edit", args=[member.pk]))
    data["department"] = "财务股"
    form = MemberForm(data, instance=Member.objects.get(pk=member.pk), user=personas.secretary_of_branch_1)
    assert form.is_valid(), form.errors
    other = Member.objects.get(pk=member.pk)
    other.phone = "13700007777"
    other.save()
    with pytest.raises(ValidationError, match="在您编辑期间"):
        with form.save_guard():
            pytest.fail("the write must not run")
