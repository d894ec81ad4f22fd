"""The access matrix: every role × every organization/member page, edit and export → the expected answer.

Read a row as "this URL, for this persona, answers …":

- 200  allowed (a page or a file);
- 404  outside the user's scope: answered as if the record did not exist;
- 403  inside the scope but the role is read-only (纪检, 党员) or has no role, and the URL writes;
- LOGIN  anonymous: redirected to the login page.

Targets: ``branch_1`` (where zb1 is secretary and dy1 a member), ``branch_2`` (outside zb1's
subtree), ``member_1`` (= dy1 himself), ``colleague`` (another member of branch 1),
``member_of_branch_2``. Write URLs are requested with GET (the form): the check must come
before any form is shown; a POST test below makes sure nothing is written either.
"""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

LOGIN = "login"
ROLES = ["admin", "agency_officer", "secretary_of_branch_1", "discipline", "member", "outsider", "anonymous"]

# fmt: off
MATRIX = [
    # url name              target                 admin agency  zb1   jj    dy1  outsider anon
    ("orgs:tree",           None,                  200,  200,   200,  200,  200,  200,  LOGIN),
    ("orgs:detail",         "branch_1",            200,  200,   200,  200,  200,  404,  LOGIN),
    ("orgs:detail",         "cell_1",              200,  200,   200,  200,  200,  404,  LOGIN),
    ("orgs:detail",         "branch_2",            200,  200,   404,  200,  404,  404,  LOGIN),
    ("orgs:detail",         "organ_committee",     200,  200,   404,  200,  404,  404,  LOGIN),
    ("orgs:create",         None,                  200,  200,   200,  403,  403,  403,  LOGIN),
    ("orgs:edit",           "branch_1",            200,  200,   200,  403,  403,  404,  LOGIN),
    ("orgs:edit",           "branch_2",            200,  200,   404,  403,  404,  404,  LOGIN),
    ("orgs:term-add",       "branch_1",            200,  200,   200,  403,  403,  404,  LOGIN),
    ("orgs:term-add",       "branch_2",            200,  200,   404,  403,  404,  404,  LOGIN),
    ("members:list",        None,                  200,  200,   200,  200,  200,  200,  LOGIN),
    ("members:list",        "?org=branch_2",       200,  200,   404,  200,  404,  404,  LOGIN),
    ("members:detail",      "member_1",            200,  200,   200,  200,  200,  404,  LOGIN),
    ("members:detail",      "colleague",           200,  200,   200,  200,  404,  404,  LOGIN),
    ("members:detail",      "member_of_branch_2",  200,  200,   404,  200,  404,  404,  LOGIN),
    ("members:create",      None,                  200,  200,   200,  403,  403,  403,  LOGIN),
    ("members:edit",        "member_1",            200,  200,   200,  403,  403,  404,  LOGIN),
    ("members:edit",        "member_of_branch_2",  200,  200,   404,  403,  404,  404,  LOGIN),
    ("members:transfer-out", "member_1",           200,  200,   200,  403,  403,  404,  LOGIN),
    ("members:transfer-out", "member_of_branch_2", 200,  200,   404,  403,  404,  404,  LOGIN),
    ("members:status",      "member_1",            200,  200,   200,  403,  403,  404,  LOGIN),
    ("members:status",      "member_of_branch_2",  200,  200,   404,  403,  404,  404,  LOGIN),
    ("members:post-add",    "?org=branch_1",       200,  200,   200,  403,  403,  404,  LOGIN),
    ("members:post-add",    "?org=branch_2",       200,  200,   404,  403,  404,  404,  LOGIN),
    ("members:export",      None,                  200,  200,   200,  200,  200,  404,  LOGIN),
    ("members:export",      "?org=branch_2",       200,  200,   404,  200,  404,  404,  LOGIN),
    ("members:import",      None,                  200,  200,   200,  403,  403,  403,  LOGIN),
    ("members:import-template", None,              200,  200,   200,  403,  403,  403,  LOGIN),
]
# fmt: on

CASES = [
    pytest.param(name, target, role, expected, id=f"{name}[{target or ''}]-{role}")
    for name, target, *codes in MATRIX
    for role, expected in zip(ROLES, codes, strict=True)
]


def _targets(bureau):  # type: ignore[no-untyped-def]
    return {
        "branch_1": bureau.branch_1,
        "branch_2": bureau.branch_2,
        "cell_1": bureau.cell_1,
        "organ_committee": bureau.organ_committee,
        "member_1": bureau.member_1,
        "colleague": bureau.members[1],
        "member_of_branch_2": bureau.member_of_branch_2,
    }


def _url(name: str, target: str | None, bureau) -> str:  # type: ignore[no-untyped-def]
    if target is None:
        return reverse(name)
    if target.startswith("?"):
        key, _, obj = target[1:].partition("=")
        return f"{reverse(name)}?{key}={_targets(bureau)[obj].pk}"
    return reverse(name, args=[_targets(bureau)[target].pk])


@pytest.fixture
def as_role(personas, client):  # type: ignore[no-untyped-def]
    def _as(role: str):  # type: ignore[no-untyped-def]
        if role != "anonymous":
            client.force_login(getattr(personas, role))
        return client

    return _as


@pytest.mark.parametrize(("name", "target", "role", "expected"), CASES)
def test_access_matrix(as_role, bureau, name, target, role, expected):
    url = _url(name, target, bureau)
    response = as_role(role).get(url)
    if expected == LOGIN:
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), response["Location"]
    else:
        assert response.status_code == expected, f"{role} GET {url}"


def test_matrix_covers_every_role_and_url():
    assert all(len(row) == 2 + len(ROLES) for row in MATRIX)
    names = {row[0] for row in MATRIX}
    for required in [
        "orgs:tree", "orgs:detail", "orgs:edit", "orgs:term-add", "members:list", "members:detail",
        "members:create", "members:edit", "members:transfer-out", "members:status", "members:export",
    ]:  # fmt: skip
        assert required in names


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
        ("outsider", "member_1", 404),
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
