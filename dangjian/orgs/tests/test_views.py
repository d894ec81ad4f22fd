"""The organization pages: tree, detail, add/edit, re-election — allowed, 404 and 403 by persona."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from dangjian.core.dates import add_years
from dangjian.members.models import Post
from dangjian.orgs.choices import OrgKind, PostKind
from dangjian.orgs.models import Organization, Term


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


# --- the tree ------------------------------------------------------------------------------


def test_agency_officer_sees_the_whole_tree_with_member_counts(personas, bureau, login):
    page = text(login(personas.agency_officer).get(reverse("orgs:tree")))
    for name in ("测试局党组", "测试局机关党委", "第一党支部", "第二党支部", "第一党小组"):
        assert name in page
    # 第一党支部 has 3 members on the roll, 第二党支部 2, the organ committee 5 in its subtree.
    assert "3人" in page and "2人" in page and "5人" in page


def test_tree_queries_do_not_grow_with_the_tree(personas, bureau, login, django_assert_max_num_queries):
    client = login(personas.agency_officer)
    client.get(reverse("orgs:tree"))  # warm the session
    # A change to the tree: the head counts (cached under the ledger version) are read again.
    Organization.objects.create(name="新增支部", kind=OrgKind.BRANCH, parent=bureau.organ_committee, order=9)
    # The head counts are metrics' roll: the roots, their paths, the members and their history.
    with django_assert_max_num_queries(9) as small:
        client.get(reverse("orgs:tree"))
    for i in range(30):
        Organization.objects.create(
            name=f"新增支部{i}", kind=OrgKind.BRANCH, parent=bureau.organ_committee, order=10 + i
        )
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = text(client.get(reverse("orgs:tree")))
    assert "新增支部29" in page


def test_tree_nests_cells_inside_their_branch(personas, bureau, login):
    page = text(login(personas.agency_officer).get(reverse("orgs:tree")))
    branch_1, cell_1, branch_2 = (page.index(n) for n in ("第一党支部", "第一党小组", "第二党支部"))
    assert branch_1 < cell_1 < branch_2
    # the branch folds open a nested list holding its cells, closed before the next branch
    between = page[branch_1:branch_2]
    assert between.count('<ul class="tree">') == 1 and between.count("</ul></details>") == 1


def test_side_tree_of_a_big_agency_shows_only_the_line(personas, bureau, login, monkeypatch):
    from dangjian.orgs import views

    monkeypatch.setattr(views, "SIDE_TREE_MAX", 3)
    page = text(login(personas.agency_officer).get(reverse("orgs:detail", args=[bureau.branch_1.pk])))
    side = page[page.index('id="tree-panel"') : page.index('id="info"')]
    assert "第一党小组" in side and "测试局机关党委" in side and "第二党支部" not in side


def test_branch_secretary_sees_only_their_branch_in_the_tree(personas, bureau, login):
    page = text(login(personas.secretary_of_branch_1).get(reverse("orgs:tree")))
    assert "第一党支部" in page and "第一党小组" in page
    assert "第二党支部" not in page and "测试局机关党委" not in page


def test_tree_shows_no_add_button_to_read_only_roles(personas, bureau, login):
    assert "新增党组织" not in text(login(personas.discipline).get(reverse("orgs:tree")))


def test_outsider_sees_an_empty_tree(personas, bureau, login):
    page = text(login(personas.outsider).get(reverse("orgs:tree")))
    assert "第一党支部" not in page


def test_anonymous_visitor_is_sent_to_login(bureau, client):
    response = client.get(reverse("orgs:tree"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


# --- one organization ----------------------------------------------------------------------


@pytest.fixture
def committee(bureau):  # type: ignore[no-untyped-def]
    b1 = bureau.branch_1
    Post.objects.create(
        organization=b1,
        kind=PostKind.SECRETARY,
        member=bureau.members[0],
        started_on=datetime.date(2021, 5, 1),
    )
    Post.objects.create(
        organization=b1,
        kind=PostKind.ORGANIZATION,
        member=bureau.members[1],
        started_on=datetime.date(2018, 5, 1),
        ended_on=datetime.date(2021, 5, 1),
    )
    return b1


def test_org_page_shows_committee_term_and_children(personas, bureau, committee, login):
    from dangjian.core.dates import today

    Term.objects.create(
        organization=bureau.branch_1,
        elected_on=add_years(today(), -3) + datetime.timedelta(days=30),
        length_years=3,
    )
    page = text(login(personas.agency_officer).get(reverse("orgs:detail", args=[bureau.branch_1.pk])))
    assert "书记" in page and "赵一明" in page and "2021年5月1日起" in page
    assert "历任" in page and "钱二华" in page  # the ended post, in the history
    assert "即将到期" in page and "第二十一条" in page
    assert "第一党小组" in page and "第二党小组" in page  # children
    assert "测试局党组 / 测试局机关党委 / 第一党支部" in page  # full path
    assert f"{reverse('members:list')}?org={bureau.branch_1.pk}" in page


def test_overdue_term_is_flagged(personas, bureau, login):
    Term.objects.create(organization=bureau.branch_2, elected_on=datetime.date(2019, 1, 10), length_years=3)
    page = text(login(personas.agency_officer).get(reverse("orgs:detail", args=[bureau.branch_2.pk])))
    assert "已超期" in page and "badge-danger" in page


def test_term_within_its_time_shows_as_current(personas, bureau, login):
    from dangjian.core.dates import today

    Term.objects.create(
        organization=bureau.branch_2, elected_on=today() - datetime.timedelta(days=200), length_years=3
    )
    page = text(login(personas.agency_officer).get(reverse("orgs:detail", args=[bureau.branch_2.pk])))
    assert "任期内" in page


def test_branch_secretary_cannot_open_another_branch(personas, bureau, login):
    response = login(personas.secretary_of_branch_1).get(reverse("orgs:detail", args=[bureau.branch_2.pk]))
    assert response.status_code == 404


def test_member_sees_own_branch_but_not_another(personas, bureau, login):
    client = login(personas.member)
    assert client.get(reverse("orgs:detail", args=[bureau.branch_1.pk])).status_code == 200
    assert client.get(reverse("orgs:detail", args=[bureau.branch_2.pk])).status_code == 404


def test_discipline_reads_every_org_without_edit_buttons(personas, bureau, login):
    response = login(personas.discipline).get(reverse("orgs:detail", args=[bureau.branch_2.pk]))
    assert response.status_code == 200
    assert reverse("orgs:edit", args=[bureau.branch_2.pk]) not in text(response)


# --- add and edit --------------------------------------------------------------------------


def test_branch_secretary_adds_a_cell_to_their_branch(personas, bureau, login):
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("orgs:create"),
        {"name": "第三党小组", "kind": OrgKind.CELL, "parent": bureau.branch_1.pk, "order": 3},
    )
    cell = Organization.objects.get(name="第三党小组")
    assert response.status_code == 302 and response["Location"] == cell.get_absolute_url()
    assert cell.path.startswith(bureau.branch_1.path)


def test_branch_secretary_cannot_add_under_another_branch(personas, bureau, login):
    response = login(personas.secretary_of_branch_1).post(
        reverse("orgs:create"),
        {"name": "越权党小组", "kind": OrgKind.CELL, "parent": bureau.branch_2.pk, "order": 1},
    )
    assert response.status_code == 200
    assert "不在您的权限范围内" in text(response)
    assert not Organization.objects.filter(name="越权党小组").exists()


def test_form_errors_are_chinese_and_name_the_field(personas, bureau, login):
    response = login(personas.agency_officer).post(
        reverse("orgs:create"), {"name": "", "kind": OrgKind.CELL, "parent": "", "order": 1}
    )
    page = text(response)
    assert "请填写名称。" in page
    assert "党小组不能设在顶层之下。" in page
    assert Organization.objects.count() == 6


@pytest.mark.parametrize("persona", ["discipline", "member"])
def test_read_only_roles_cannot_add_or_edit(personas, bureau, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(reverse("orgs:create")).status_code == 403
    assert client.post(reverse("orgs:edit", args=[bureau.branch_1.pk]), {"name": "改名"}).status_code == 403
    assert (
        client.post(
            reverse("orgs:term-add", args=[bureau.branch_1.pk]), {"elected_on": "2024-01-01"}
        ).status_code
        == 403
    )
    bureau.branch_1.refresh_from_db()
    assert bureau.branch_1.name == "第一党支部"


def test_edit_outside_scope_is_404(personas, bureau, login):
    client = login(personas.secretary_of_branch_1)
    assert client.get(reverse("orgs:edit", args=[bureau.branch_2.pk])).status_code == 404
    assert (
        client.post(
            reverse("orgs:term-add", args=[bureau.branch_2.pk]), {"elected_on": "2024-01-01"}
        ).status_code
        == 404
    )


def test_branch_secretary_edits_own_branch_without_moving_it(personas, bureau, login):
    client = login(personas.secretary_of_branch_1)
    response = client.post(
        reverse("orgs:edit", args=[bureau.branch_1.pk]),
        {"name": "第一党支部（综合）", "kind": OrgKind.BRANCH, "order": 1, "has_committee": "on"},
    )
    assert response.status_code == 302
    bureau.branch_1.refresh_from_db()
    assert bureau.branch_1.name == "第一党支部（综合）"
    assert bureau.branch_1.parent_id == bureau.organ_committee.pk


# --- re-election ---------------------------------------------------------------------------


def test_recording_a_reelection_ends_the_open_term(personas, bureau, login):
    old = Term.objects.create(
        organization=bureau.branch_1, elected_on=datetime.date(2020, 6, 1), length_years=3
    )
    response = login(personas.secretary_of_branch_1).post(
        reverse("orgs:term-add", args=[bureau.branch_1.pk]), {"elected_on": "2023-06-05", "note": "换届"}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ended_on == datetime.date(2023, 6, 5)
    new = bureau.branch_1.current_term()
    assert new.elected_on == datetime.date(2023, 6, 5) and new.due_on == datetime.date(2026, 6, 5)


def test_reelection_in_the_future_is_refused_in_chinese(personas, bureau, login):
    response = login(personas.agency_officer).post(
        reverse("orgs:term-add", args=[bureau.branch_1.pk]), {"elected_on": "2999-01-01"}
    )
    assert response.status_code == 200
    assert "选举日期不能晚于今天。" in text(response)
    assert not Term.objects.exists()


def test_reelection_form_rejects_a_bad_date(personas, bureau, login):
    response = login(personas.agency_officer).post(
        reverse("orgs:term-add", args=[bureau.branch_1.pk]), {"elected_on": "去年"}
    )
    assert "选举日期格式不正确。" in text(response)


# --- home panel ----------------------------------------------------------------------------


def test_home_shows_branch_count_and_terms_due(personas, bureau, login):
    Term.objects.create(organization=bureau.branch_2, elected_on=datetime.date(2019, 1, 10), length_years=3)
    page = text(login(personas.agency_officer).get(reverse("home")))
    assert "党支部" in page and "90天内需换届" in page and "第二党支部" in page


def test_home_terms_due_respect_scope(personas, bureau, login):
    Term.objects.create(organization=bureau.branch_2, elected_on=datetime.date(2019, 1, 10), length_years=3)
    page = text(login(personas.secretary_of_branch_1).get(reverse("home")))
    assert "第二党支部" not in page
