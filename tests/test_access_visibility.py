"""What each role sees on the pages it may open, and refused writes that write nothing.

The answer codes of every URL for every persona are held by tests/test_access_matrix.py; these
tests look inside the pages and the database.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse


def _targets(bureau):  # type: ignore[no-untyped-def]
    return {
        "branch_1": bureau.branch_1,
        "branch_2": bureau.branch_2,
        "member_1": bureau.member_1,
        "member_of_branch_2": bureau.member_of_branch_2,
    }


@pytest.fixture
def as_role(personas, client):  # type: ignore[no-untyped-def]
    def _as(role: str):  # type: ignore[no-untyped-def]
        if role != "anonymous":
            client.force_login(getattr(personas, role))
        return client

    return _as


# What each role sees on the pages it may open -------------------------------------------------

ALL = {"赵一明", "钱二华", "孙三立", "李四清", "周五平"}
VISIBLE = {
    "admin": ALL,
    "agency_officer": ALL,
    "secretary_of_branch_1": {"赵一明", "钱二华", "孙三立"},
    "discipline": ALL,
    "member": {"赵一明"},
    "outsider": set(),
}


@pytest.mark.parametrize("role", list(VISIBLE))
def test_roster_page_lists_only_members_in_scope(as_role, bureau, role):
    page = as_role(role).get(reverse("members:list") + "?status=all").content.decode()
    shown = {name for name in ALL if name in page}
    assert shown == VISIBLE[role]


@pytest.mark.parametrize("role", [r for r in VISIBLE if r != "outsider"])
def test_export_contains_only_members_in_scope(as_role, bureau, role):
    from openpyxl import load_workbook

    response = as_role(role).get(reverse("members:export") + "?status=all")
    data = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(data), read_only=True).active
    cells = {str(value) for row in sheet.iter_rows(values_only=True) for value in row if value is not None}
    assert {name for name in ALL if name in cells} == VISIBLE[role]


@pytest.mark.parametrize("role", ["admin", "agency_officer", "secretary_of_branch_1", "discipline", "member"])
def test_tree_shows_only_organizations_in_scope(as_role, bureau, role):
    page = as_role(role).get(reverse("orgs:tree")).content.decode()
    assert ("第一党支部" in page) is True
    assert ("第二党支部" in page) is (role in ("admin", "agency_officer", "discipline"))


ID_NUMBER = "11010519491231002X"


@pytest.mark.parametrize(
    ("role", "unmasked"),
    [
        ("admin", True),
        ("agency_officer", True),
        ("secretary_of_branch_1", True),
        ("discipline", False),  # 纪检 reads the roster with ID numbers masked
        ("member", True),  # their own record
    ],
)
def test_id_number_is_masked_unless_the_role_covers_personal_data(as_role, bureau, role, unmasked):
    from dangjian.members.models import Member

    Member.objects.filter(pk=bureau.member_1.pk).update(id_number=ID_NUMBER)
    page = as_role(role).get(reverse("members:detail", args=[bureau.member_1.pk])).content.decode()
    assert (ID_NUMBER in page) is unmasked
    if not unmasked:
        assert "110***********002X" in page


# Writes refused are writes not made --------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        ("discipline", "member_1", 403),
        ("member", "member_1", 403),
        ("outsider", "member_1", 403),
        ("secretary_of_branch_1", "member_of_branch_2", 404),
    ],
)
def test_refused_member_edit_writes_nothing(as_role, bureau, role, target, expected):
    from dangjian.core.models import AuditLog
    from dangjian.members.models import Member

    member = _targets(bureau)[target]
    before = AuditLog.objects.count()
    response = as_role(role).post(
        reverse("members:edit", args=[member.pk]), {"name": "改过的名字", "phone": "13900009999"}
    )
    assert response.status_code == expected
    member.refresh_from_db()
    assert member.name != "改过的名字"
    assert AuditLog.objects.count() == before
    assert not Member.objects.filter(name="改过的名字").exists()


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        ("discipline", "member_1", 403),
        ("member", "member_1", 403),
        ("secretary_of_branch_1", "member_of_branch_2", 404),
    ],
)
def test_refused_transfer_out_writes_nothing(as_role, bureau, role, target, expected):
    from dangjian.members.models import Transfer

    member = _targets(bureau)[target]
    response = as_role(role).post(
        reverse("members:transfer-out", args=[member.pk]), {"date": "2025-01-01", "counterpart": "某单位"}
    )
    assert response.status_code == expected
    member.refresh_from_db()
    assert member.status == "full"
    assert not Transfer.objects.exists()


@pytest.mark.parametrize(
    ("role", "target", "expected"),
    [
        ("discipline", "branch_1", 403),
        ("member", "branch_1", 403),
        ("secretary_of_branch_1", "branch_2", 404),
    ],
)
def test_refused_organization_edit_writes_nothing(as_role, bureau, role, target, expected):
    org = _targets(bureau)[target]
    response = as_role(role).post(
        reverse("orgs:edit", args=[org.pk]),
        {"name": "改名党支部", "kind": "branch", "parent": bureau.organ_committee.pk},
    )
    assert response.status_code == expected
    org.refresh_from_db()
    assert org.name != "改名党支部"
