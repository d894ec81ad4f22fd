"""The demo bureau: built by ``dangjian demo``, shaped as issue 2 §8 describes, idempotent with --if-empty."""

from __future__ import annotations

import io
import random

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import transaction

from dangjian.core.dates import today
from dangjian.core.models import Role
from dangjian.demo.context import DemoContext
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member, Post, Transfer
from dangjian.members.validators import validate_id_number
from dangjian.orgs.choices import COMMITTEE_MIN_FULL_MEMBERS, OrgKind, PostKind
from dangjian.orgs.models import Organization, Term, TermStatus

pytestmark = pytest.mark.django_db


def _build(seed: int = 2024) -> DemoContext:
    from dangjian.members import demo

    ctx = DemoContext(today=today(), rng=random.Random(seed), password="demo-pass-test", log=lambda _: None)
    demo.build(ctx)
    return ctx


def _snapshot() -> list[tuple]:
    return list(
        Member.objects.order_by("id").values_list(
            "name", "gender", "birth_date", "id_number", "phone", "department", "organization__name", "status"
        )
    )


def test_demo_builds_the_bureau_tree():
    ctx = _build()
    assert ctx.leading_group.kind == OrgKind.LEADING_GROUP
    assert ctx.organ_committee.parent == ctx.leading_group
    assert len(ctx.branches) >= 6
    assert all(b.kind == OrgKind.BRANCH and b.parent == ctx.organ_committee for b in ctx.branches)
    cell_counts = [b.children.filter(kind=OrgKind.CELL).count() for b in ctx.branches]
    assert 3 in cell_counts
    assert ctx.cells and all(c.kind == OrgKind.CELL for c in ctx.cells)
    assert "江临市" in ctx.leading_group.name


def test_one_small_branch_has_no_committee_and_only_a_secretary():
    ctx = _build()
    small = [b for b in ctx.branches if not b.has_committee]
    assert len(small) == 1
    branch = small[0]
    full = branch.members.filter(status=MemberStatus.FULL).count()
    assert full < COMMITTEE_MIN_FULL_MEMBERS
    assert list(branch.posts.current().values_list("kind", flat=True)) == [PostKind.SECRETARY]
    for other in ctx.branches:
        if other.has_committee:
            assert other.members.filter(status=MemberStatus.FULL).count() >= COMMITTEE_MIN_FULL_MEMBERS
            kinds = set(other.posts.current().values_list("kind", flat=True))
            assert {
                PostKind.SECRETARY,
                PostKind.ORGANIZATION,
                PostKind.PUBLICITY,
                PostKind.DISCIPLINE,
            } <= kinds


def test_roster_has_about_120_members_with_a_realistic_spread():
    _build()
    members = list(Member.objects.all())
    assert 110 <= len(members) <= 130
    ages = [m.age() for m in members]
    assert min(ages) >= 25 and max(ages) <= 60
    assert len({a // 10 for a in ages}) >= 4  # twenties to fifties
    assert {m.gender for m in members} == {"male", "female"}
    education = [m.education for m in members]
    assert education.count("bachelor") + education.count("master") >= 0.8 * len(members)
    assert any(m.ethnicity != "汉族" for m in members)
    assert sum(m.ethnicity == "汉族" for m in members) >= 0.8 * len(members)
    admitted = {m.admission_date.year // 10 for m in members}
    assert len(admitted) >= 3  # admissions spread over decades
    assert len({m.department for m in members}) >= 12
    assert len({m.name for m in members}) == len(members)


def test_every_demo_member_passes_model_validation_and_has_a_valid_id():
    _build()
    for member in Member.objects.select_related("organization", "cell"):
        validate_id_number(member.id_number)
        member.full_clean()
        assert member.id_number[6:14] == f"{member.birth_date:%Y%m%d}"
        assert int(member.id_number[16]) % 2 == (1 if member.gender == "male" else 0)
        assert member.phone.isdigit() and len(member.phone) == 11
        if member.status == MemberStatus.FULL:
            assert (
                member.confirmation_date.replace(year=member.confirmation_date.year - 1)
                == member.admission_date
            )


def test_dues_bases_span_every_in_service_bracket():
    from dangjian.dues.roster_field import bases_in_force

    _build()
    held = bases_in_force(list(Member.objects.values_list("pk", flat=True)))
    assert len(held) == Member.objects.count()  # the roster builder gives everyone a base
    bases = [b.amount for b in held.values()]
    assert min(bases) >= 3000 and max(bases) <= 12000
    assert any(b <= 3000 for b in bases)
    assert any(3000 < b <= 5000 for b in bases)
    assert any(5000 < b <= 10000 for b in bases)
    assert any(b > 10000 for b in bases)
    assert set(Member.objects.values_list("dues_category", flat=True)) == {"in_service"}


def test_probationary_members_were_admitted_within_the_last_year():
    _build()
    probationary = Member.objects.filter(status=MemberStatus.PROBATIONARY)
    assert 2 <= probationary.count() <= 8
    for member in probationary:
        assert member.confirmation_date is None
        assert (today() - member.admission_date).days < 366


def test_one_member_was_transferred_out_with_history():
    ctx = _build()
    gone = Member.objects.get(status=MemberStatus.TRANSFERRED_OUT)
    assert ctx.extra["transferred_out"] == gone
    assert Transfer.objects.get(member=gone).direction == "out"
    assert gone.status_changes.last().to_status == MemberStatus.TRANSFERRED_OUT
    assert not gone.posts.exists()


def test_terms_include_one_due_soon_and_one_overdue():
    ctx = _build()
    statuses = [b.current_term().status() for b in ctx.branches]
    assert statuses.count(TermStatus.OVERDUE) == 1
    assert statuses.count(TermStatus.DUE_SOON) == 1
    assert statuses.count(TermStatus.CURRENT) == len(ctx.branches) - 2
    assert ctx.organ_committee.current_term().length_years == 5
    assert Term.objects.filter(ended_on__isnull=False).exists()  # earlier terms, ended by re-election


def test_posts_cover_leading_group_organ_committee_and_cells():
    ctx = _build()
    lg = set(ctx.leading_group.posts.values_list("kind", flat=True))
    assert lg == {PostKind.SECRETARY, PostKind.LEADING_GROUP_MEMBER}
    oc = set(ctx.organ_committee.posts.values_list("kind", flat=True))
    assert {PostKind.SECRETARY, PostKind.DEPUTY_SECRETARY, PostKind.COMMITTEE_MEMBER} <= oc
    for cell in ctx.cells:
        leader = cell.posts.get(kind=PostKind.CELL_LEADER)
        assert leader.member.cell == cell
    assert Post.objects.filter(organization__in=ctx.branches, kind=PostKind.DEPUTY_SECRETARY).exists()


def test_accounts_are_linked_to_their_roles():
    ctx = _build()
    users = ctx.users
    expected = {"admin", "jgdw", "jj", "dy1"} | {f"zb{n}" for n in range(1, len(ctx.branches) + 1)}
    assert set(users) == expected
    assert users["admin"].is_superuser and users["admin"].is_staff and users["admin"].role.kind == "admin"
    assert (
        users["jgdw"].role.kind == "agency_officer" and users["jgdw"].role.organization == ctx.organ_committee
    )
    assert users["jj"].role.kind == "discipline"
    for number, branch in enumerate(ctx.branches, start=1):
        role = users[f"zb{number}"].role
        assert role.kind == "org_officer" and role.organization == branch
        assert role.member.posts.current().get(organization=branch).kind == PostKind.SECRETARY
    dy1 = users["dy1"].role
    assert dy1.kind == "member" and dy1.member.organization == ctx.branches[0]
    assert dy1.member.status == MemberStatus.FULL and not dy1.member.posts.exists()
    for role in Role.objects.all():
        role.full_clean()


class _Rollback(Exception):
    pass


def test_demo_is_deterministic_for_a_seed():
    first: list[tuple] = []
    # Build, remember, roll back (demo rows are protected from deletion), and build again.
    with pytest.raises(_Rollback), transaction.atomic():
        _build(seed=7)
        first.extend(_snapshot())
        raise _Rollback
    assert not Member.objects.exists()
    _build(seed=7)
    assert _snapshot() == first


def test_demo_command_builds_logs_and_prints_logins(settings, demo_bureau):
    # The shared demo was built by `dangjian demo --if-empty` on the empty test database.
    text = demo_bureau.output
    assert "admin" in text and "zb1" in text and "dy1" in text and settings.DEMO_PASSWORD in text
    assert Member.objects.count() >= 110


def test_demo_if_empty_twice_changes_nothing(demo_bureau):
    before = (
        Organization.objects.count(),
        Member.objects.count(),
        Post.objects.count(),
        Term.objects.count(),
    )
    out = io.StringIO()
    call_command("demo", "--if-empty", stdout=out)
    after = (Organization.objects.count(), Member.objects.count(), Post.objects.count(), Term.objects.count())
    assert before == after
    assert "zb1" in out.getvalue()  # still prints the logins
    with pytest.raises(CommandError):
        call_command("demo", stdout=io.StringIO())


def test_demo_logins_work_with_the_demo_password(client, demo_bureau):
    for username in ["admin", "jgdw", "zb1", "zb8", "jj", "dy1"]:
        assert client.login(username=username, password=settings.DEMO_PASSWORD), username
        assert not client.login(username=username, password="wrong-password"), username


def test_demo_changes_are_attributed_to_the_demo_in_the_audit_log(demo_bureau):
    from dangjian.core.models import AuditLog

    # Other apps' data migrations may have logged seed rows before; everything since is the demo's.
    first = AuditLog.objects.filter(content_type__app_label="orgs").order_by("id").first()
    vias = set(AuditLog.objects.filter(id__gte=first.id).values_list("via", flat=True))
    assert vias == {"demo"}
    assert (
        AuditLog.objects.filter(content_type__model="member", action="create").count()
        == Member.objects.count()
    )


def test_demo_accounts_have_distinct_salts_and_hashes(demo_bureau):
    from django.contrib.auth import get_user_model

    hashes = list(get_user_model().objects.values_list("password", flat=True))
    assert len(hashes) > 5
    assert len(set(hashes)) == len(hashes)
