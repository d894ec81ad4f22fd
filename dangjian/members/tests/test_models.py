"""The roster's rules: ID numbers, masking, derived dates, Member.clean(), and the audited actions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models.deletion import ProtectedError

from dangjian.core.models import AuditLog
from dangjian.members.actions import (
    do_assign_post,
    do_change_status,
    do_create_member,
    do_end_post,
    do_transfer_out,
    do_update_member,
)
from dangjian.members.choices import MemberStatus
from dangjian.members.models import Member, Post, StatusChange, Transfer, pinyin_initials
from dangjian.members.validators import (
    ID_ALREADY_REGISTERED,
    id_birth_date,
    mask_id_number,
    mask_phone,
    normalize_id_number,
    validate_id_number,
)
from dangjian.orgs.choices import PostKind
from dangjian.testing import factories

D = datetime.date


def make_id(region: str, born: datetime.date, seq: str = "123") -> str:
    return factories.id_number(born, seq, region)


# ID numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "11010519491231002X",  # the standard's own example, check digit X
        make_id("110105", D(1985, 3, 12)),
        make_id("369901", D(2000, 2, 29), "001"),  # leap day
        make_id("459922", D(1966, 12, 31), "998"),
    ],
)
def test_valid_id_numbers_pass(value):
    assert validate_id_number(value) is None  # refusal is a ValidationError


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("110105198503121235", "校验位不正确"),  # check digit off by one
        ("110105199902300012", "出生日期无效"),  # 30 February
        ("110105198513121234", "出生日期无效"),  # month 13
        ("11010519491231002x", "应为18位"),  # lowercase x: normalize first
        ("11010519850312123", "应为18位"),  # 17 characters
        ("1101051985031212345", "应为18位"),  # 19 characters
        ("11010519850312A234", "应为18位"),
        ("", "应为18位"),
    ],
)
def test_invalid_id_numbers_are_refused_in_chinese(value, message):
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value)
    assert message in exc.value.messages[0]


def test_bad_check_digit_message_names_the_expected_digit():
    good = make_id("110105", D(1985, 3, 12))
    wrong = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        validate_id_number(wrong)
    assert f"应为{good[17]}" in exc.value.messages[0]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("11010519491231002x", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),  # full-width digits and X
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        (" 110105 19491231 002X ", "11010519491231002X"),
        ("110105\u300019491231002X", "11010519491231002X"),  # ideographic space
    ],
)
def test_normalize_turns_what_people_type_into_a_valid_id(raw, expected):
    assert normalize_id_number(raw) == expected
    validate_id_number(normalize_id_number(raw))


def test_birth_date_is_read_from_the_id():
    assert id_birth_date("11010519491231002X") == D(1949, 12, 31)
    assert id_birth_date("110105199902300012") is None


def test_id_numbers_are_masked_like_the_issue_says():
    assert mask_id_number("110105198503121234") == "110***********1234"
    assert mask_id_number("") == ""
    assert mask_id_number("12345") == "*****"
    assert mask_phone("13900001234") == "139****1234"


# Derived values --------------------------------------------------------------------------------


def member(**kw) -> Member:  # type: ignore[no-untyped-def]
    defaults = dict(
        name="测试",
        gender="male",
        birth_date=D(1985, 3, 12),
        admission_date=D(2010, 7, 1),
        confirmation_date=D(2011, 7, 1),
        status=MemberStatus.FULL,
    )
    defaults.update(kw)
    return Member(**defaults)


def test_age_counts_whole_years():
    m = member(birth_date=D(1985, 3, 12))
    assert m.age(on=D(2025, 3, 11)) == 39
    assert m.age(on=D(2025, 3, 12)) == 40


def test_age_of_someone_born_on_a_leap_day():
    m = member(birth_date=D(2000, 2, 29))
    assert m.age(on=D(2021, 2, 28)) == 20
    assert m.age(on=D(2021, 3, 1)) == 21
    assert m.age(on=D(2024, 2, 29)) == 24


def test_party_standing_counts_from_the_confirmation_date():
    m = member(admission_date=D(2010, 7, 1), confirmation_date=D(2011, 7, 1))
    assert m.party_standing(on=D(2021, 6, 30)) == 9
    assert m.party_standing(on=D(2021, 7, 1)) == 10
    assert member(status=MemberStatus.PROBATIONARY, confirmation_date=None).party_standing() is None


def test_admission_anniversary_is_the_next_one_on_or_after_the_day():
    m = member(admission_date=D(2010, 7, 1))
    assert m.admission_anniversary(on=D(2025, 6, 1)) == D(2025, 7, 1)
    assert m.admission_anniversary(on=D(2025, 7, 1)) == D(2025, 7, 1)
    assert m.admission_anniversary(on=D(2025, 7, 2)) == D(2026, 7, 1)
    assert member(admission_date=None).admission_anniversary() is None


def test_admission_anniversary_on_a_leap_day():
    m = member(admission_date=D(2004, 2, 29))
    assert m.admission_anniversary(on=D(2025, 1, 1)) == D(2025, 2, 28)
    assert m.admission_anniversary(on=D(2025, 3, 1)) == D(2026, 2, 28)
    assert m.admission_anniversary(on=D(2027, 12, 1)) == D(2028, 2, 29)


def test_only_full_members_vote_and_only_active_ones_count():
    assert member().has_vote and member().is_active
    assert not member(status=MemberStatus.PROBATIONARY).has_vote
    assert not member(status=MemberStatus.TRANSFERRED_OUT).is_active


def test_pinyin_initials_are_stored_for_search(bureau):
    assert pinyin_initials("张三丰") == "zsf"
    assert bureau.member_1.pinyin_initials == "zym"
    assert list(Member.objects.search("zym")) == [bureau.member_1]
    assert list(Member.objects.search("一明")) == [bureau.member_1]


def test_age_band_filter_moves_a_member_on_their_birthday(bureau):
    def band(code: str, on: datetime.date) -> set[str]:
        return set(Member.objects.in_age_band(code, on=on).values_list("name", flat=True))

    # 李四清 was born 1970-11-02: 55 until 2026-11-01, 56 from 2026-11-02.
    assert band("46_55", D(2026, 11, 1)) == {"李四清", "周五平"}
    assert band("46_55", D(2026, 11, 2)) == {"周五平"}
    assert band("56_60", D(2026, 11, 2)) == {"李四清"}


# Member.clean() --------------------------------------------------------------------------------


def clean_errors(bureau, **kw) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    m = member(organization=bureau.branch_1, **kw)
    try:
        m.full_clean()
    except ValidationError as exc:
        return exc.message_dict
    return {}


def test_a_complete_member_is_valid(bureau):
    assert clean_errors(bureau, id_number=make_id("110105", D(1985, 3, 12))) == {}


@pytest.mark.parametrize(
    ("fields", "field", "text"),
    [
        ({"id_number": make_id("110105", D(1986, 3, 12))}, "birth_date", "不一致"),
        ({"id_number": "110105198503121235"}, "id_number", "校验位"),
        ({"admission_date": None, "confirmation_date": None}, "admission_date", "须填写入党时间"),
        (
            {
                "birth_date": D(1995, 3, 12),
                "admission_date": D(2013, 3, 11),
                "confirmation_date": D(2014, 3, 11),
            },
            "admission_date",
            "未满18周岁",
        ),
        (
            {"admission_date": D(2999, 1, 1), "confirmation_date": None, "status": MemberStatus.PROBATIONARY},
            "admission_date",
            "不能晚于今天",
        ),
        (
            {"admission_date": None, "status": MemberStatus.TRANSFERRED_OUT},
            "confirmation_date",
            "先有入党时间",
        ),
        ({"confirmation_date": D(2009, 7, 1)}, "confirmation_date", "早于入党时间"),
        ({"confirmation_date": D(2011, 6, 30)}, "confirmation_date", "不满一年"),
        (
            {"admission_date": D(2024, 1, 1), "confirmation_date": D(2999, 1, 1)},
            "confirmation_date",
            "不能晚于今天",
        ),
        ({"confirmation_date": None}, "confirmation_date", "正式党员须填写转正时间"),
        ({"status": MemberStatus.PROBATIONARY}, "confirmation_date", "预备党员不应有转正时间"),
        (
            {
                "birth_date": D(2999, 1, 1),
                "admission_date": None,
                "confirmation_date": None,
                "status": MemberStatus.DECEASED,
            },
            "birth_date",
            "不能晚于今天",
        ),
    ],
)
def test_member_clean_refuses_each_broken_rule_with_a_chinese_message(bureau, fields, field, text):
    errors = clean_errors(bureau, **fields)
    assert field in errors, errors
    assert text in " ".join(errors[field])


def test_exactly_one_year_of_probation_is_enough(bureau):
    assert clean_errors(bureau, admission_date=D(2012, 2, 29), confirmation_date=D(2013, 2, 28)) == {}


def test_admission_on_the_eighteenth_birthday_is_allowed(bureau):
    assert (
        clean_errors(
            bureau, birth_date=D(1995, 3, 12), admission_date=D(2013, 3, 12), confirmation_date=D(2014, 3, 12)
        )
        == {}
    )


def test_member_belongs_to_a_branch_not_a_cell(bureau):
    m = member(organization=bureau.cell_1)
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "党小组" in exc.value.message_dict["organization"][0]


def test_member_cell_must_be_inside_their_branch(bureau):
    m = member(organization=bureau.branch_2, cell=bureau.cell_1)
    with pytest.raises(ValidationError) as exc:
        m.full_clean()
    assert "不属于" in exc.value.message_dict["cell"][0]


def test_an_id_number_already_on_the_roster_is_refused(bureau):
    number = make_id("110105", D(1985, 3, 12))
    Member.objects.filter(pk=bureau.member_1.pk).update(id_number=number)
    with pytest.raises(ValidationError) as exc:
        member(organization=bureau.branch_2, id_number=number).full_clean()
    assert exc.value.message_dict["id_number"] == [ID_ALREADY_REGISTERED]


def test_blank_id_numbers_do_not_collide(bureau):
    a = Member.objects.get(pk=bureau.member_1.pk)
    a.id_number = ""
    a.save()
    b = Member.objects.get(pk=bureau.members[1].pk)
    b.id_number = ""
    b.save()
    assert Member.objects.filter(id_number__isnull=True).count() == 5


# Actions ---------------------------------------------------------------------------------------


def test_do_create_member_starts_the_status_history(bureau, personas):
    m = do_create_member(
        acting_user=personas.secretary_of_branch_1,
        name="新党员",
        gender="female",
        birth_date=D(1990, 5, 6),
        organization=bureau.branch_1,
        cell=bureau.cell_2,
        status=MemberStatus.FULL,
        admission_date=D(2015, 6, 1),
        confirmation_date=D(2016, 6, 1),
        dues_base=Decimal("6500"),
    )
    (change,) = m.status_changes.all()
    assert change.to_status == MemberStatus.FULL and change.date == D(2016, 6, 1)
    assert AuditLog.objects.filter(
        object_id=str(m.pk), action="create", actor=personas.secretary_of_branch_1
    ).exists()


def test_do_create_member_writes_nothing_when_invalid(bureau, personas):
    before = (Member.objects.count(), StatusChange.objects.count(), AuditLog.objects.count())
    with pytest.raises(ValidationError):
        do_create_member(
            acting_user=personas.admin,
            name="坏数据",
            gender="male",
            birth_date=D(1990, 1, 1),
            organization=bureau.branch_1,
            status=MemberStatus.FULL,
            admission_date=D(2005, 1, 1),
        )
    assert (Member.objects.count(), StatusChange.objects.count(), AuditLog.objects.count()) == before


def test_do_update_member_logs_the_diff_and_dates_a_status_change(bureau, personas):
    m = Member.objects.get(pk=bureau.member_1.pk)
    do_update_member(m, acting_user=personas.admin, job_title="科长")
    entry = AuditLog.objects.filter(object_id=str(m.pk), action="update").latest("id")
    assert entry.changes == {"job_title": ["", "科长"]}


def test_do_transfer_out_records_transfer_status_and_audit(bureau, personas):
    m = Member.objects.get(pk=bureau.member_1.pk)
    transfer = do_transfer_out(
        m,
        date=D(2025, 3, 1),
        counterpart=" 某市某局机关党委 ",
        letter_number="A-1",
        acting_user=personas.secretary_of_branch_1,
    )
    m.refresh_from_db()
    assert m.status == MemberStatus.TRANSFERRED_OUT and m.status_since == D(2025, 3, 1)
    assert transfer.counterpart == "某市某局机关党委" and transfer.direction == "out"
    change = m.status_changes.get()
    assert (change.from_status, change.to_status) == (MemberStatus.FULL, MemberStatus.TRANSFERRED_OUT)
    assert AuditLog.objects.filter(
        object_id=str(m.pk), verb="转出", actor=personas.secretary_of_branch_1
    ).exists()
    assert Member.objects.filter(pk=m.pk).exists()  # the row stays on the roster
    assert m not in Member.objects.active()


def test_do_transfer_out_refuses_a_member_already_gone_and_a_blank_destination(bureau, personas):
    m = Member.objects.get(pk=bureau.member_1.pk)
    with pytest.raises(ValidationError):
        do_transfer_out(m, date=D(2025, 3, 1), counterpart="  ", acting_user=personas.admin)
    do_transfer_out(m, date=D(2025, 3, 1), counterpart="某单位", acting_user=personas.admin)
    with pytest.raises(ValidationError) as exc:
        do_transfer_out(m, date=D(2025, 4, 1), counterpart="又一单位", acting_user=personas.admin)
    assert "不能办理转出" in str(exc.value)
    assert Transfer.objects.filter(member=m).count() == 1


def test_do_transfer_out_refuses_a_future_date(bureau, personas):
    with pytest.raises(ValidationError):
        do_transfer_out(bureau.member_1, date=D(2999, 1, 1), counterpart="某单位", acting_user=personas.admin)
    assert not Transfer.objects.exists()


def test_do_change_status_records_a_dated_history(bureau, personas):
    m = Member.objects.get(pk=bureau.member_of_branch_2.pk)
    change = do_change_status(
        m, MemberStatus.DECEASED, date=D(2025, 1, 5), reason="病故", acting_user=personas.admin
    )
    m.refresh_from_db()
    assert m.status == MemberStatus.DECEASED and m.status_since == D(2025, 1, 5)
    assert (change.from_status, change.to_status, change.reason) == (
        MemberStatus.FULL,
        MemberStatus.DECEASED,
        "病故",
    )


def test_confirming_a_probationary_member_sets_the_confirmation_date(bureau, personas):
    m = Member.objects.get(pk=bureau.members[2].pk)  # probationary, admitted 2026-03-01
    m.admission_date = D(2024, 3, 1)
    m.save()
    do_change_status(m, MemberStatus.FULL, date=D(2025, 3, 1), reason="按期转正", acting_user=personas.admin)
    m.refresh_from_db()
    assert m.confirmation_date == D(2025, 3, 1) and m.party_standing(on=D(2026, 3, 1)) == 1


def test_do_change_status_refuses_the_same_status_and_future_dates(bureau, personas):
    m = bureau.member_1
    with pytest.raises(ValidationError):
        do_change_status(m, MemberStatus.FULL, date=D(2025, 1, 1), reason="", acting_user=personas.admin)
    with pytest.raises(ValidationError):
        do_change_status(m, MemberStatus.DECEASED, date=D(2999, 1, 1), reason="", acting_user=personas.admin)
    assert not StatusChange.objects.exists()


def test_two_secretaries_at_once_are_refused(bureau, personas):
    do_assign_post(
        bureau.branch_1,
        kind=PostKind.SECRETARY,
        member=bureau.member_1,
        started_on=D(2023, 1, 1),
        acting_user=personas.admin,
    )
    with pytest.raises(ValidationError) as exc:
        do_assign_post(
            bureau.branch_1,
            kind=PostKind.SECRETARY,
            member=bureau.members[1],
            started_on=D(2024, 1, 1),
            acting_user=personas.admin,
        )
    assert "已有书记" in exc.value.message_dict["kind"][0]
    assert Post.objects.count() == 1


def test_a_new_secretary_after_the_previous_one_stepped_down(bureau, personas):
    first = do_assign_post(
        bureau.branch_1,
        kind=PostKind.SECRETARY,
        member=bureau.member_1,
        started_on=D(2020, 1, 1),
        acting_user=personas.admin,
    )
    do_end_post(first, ended_on=D(2023, 1, 1), acting_user=personas.admin)
    second = do_assign_post(
        bureau.branch_1,
        kind=PostKind.SECRETARY,
        member=bureau.members[1],
        started_on=D(2023, 1, 1),
        acting_user=personas.admin,
    )
    assert list(Post.objects.current(on=D(2024, 1, 1))) == [second]
    with pytest.raises(ValidationError):  # a back-dated secretary overlapping the first one
        do_assign_post(
            bureau.branch_1,
            kind=PostKind.SECRETARY,
            member=bureau.members[2],
            started_on=D(2021, 1, 1),
            acting_user=personas.admin,
        )


def test_several_committee_members_may_serve_together(bureau, personas):
    for m in bureau.members[:2]:
        do_assign_post(
            bureau.branch_1,
            kind=PostKind.COMMITTEE_MEMBER,
            member=m,
            started_on=D(2023, 1, 1),
            acting_user=personas.admin,
        )
    assert bureau.branch_1.posts.count() == 2


def test_a_post_is_held_by_a_member_of_that_organization(bureau, personas):
    with pytest.raises(ValidationError) as exc:
        do_assign_post(
            bureau.branch_1,
            kind=PostKind.ORGANIZATION,
            member=bureau.member_of_branch_2,
            started_on=D(2023, 1, 1),
            acting_user=personas.admin,
        )
    assert "不是第一党支部的党员" in exc.value.message_dict["member"][0]


def test_a_cell_leader_is_a_member_of_that_cell(bureau, personas):
    post = do_assign_post(
        bureau.cell_1,
        kind=PostKind.CELL_LEADER,
        member=bureau.member_1,
        started_on=D(2023, 1, 1),
        acting_user=personas.admin,
    )
    assert post.member.cell == bureau.cell_1
    with pytest.raises(ValidationError):  # 钱二华 is in the second cell
        do_assign_post(
            bureau.cell_1,
            kind=PostKind.DEPUTY_SECRETARY,
            member=bureau.members[1],
            started_on=D(2023, 1, 1),
            acting_user=personas.admin,
        )


def test_leading_group_and_organ_committee_posts_may_go_to_any_member(bureau, personas):
    # Neither member belongs to the organization whose post they take; no validation refuses it.
    do_assign_post(
        bureau.leading_group,
        kind=PostKind.SECRETARY,
        member=bureau.member_of_branch_2,
        started_on=D(2023, 1, 1),
        acting_user=personas.admin,
    )
    do_assign_post(
        bureau.organ_committee,
        kind=PostKind.SECRETARY,
        member=bureau.member_1,
        started_on=D(2023, 1, 1),
        acting_user=personas.admin,
    )
    held = set(Post.objects.current().values_list("organization__name", "kind", "member__name"))
    assert held == {
        (bureau.leading_group.name, PostKind.SECRETARY, bureau.member_of_branch_2.name),
        (bureau.organ_committee.name, PostKind.SECRETARY, bureau.member_1.name),
    }


def test_a_post_cannot_end_before_it_starts(bureau, personas):
    post = do_assign_post(
        bureau.branch_1,
        kind=PostKind.PUBLICITY,
        member=bureau.member_1,
        started_on=D(2023, 1, 1),
        acting_user=personas.admin,
    )
    with pytest.raises(ValidationError):
        do_end_post(post, ended_on=D(2022, 1, 1), acting_user=personas.admin)


# Never hard-deleted ----------------------------------------------------------------------------


def test_the_admin_has_no_delete_for_members(bureau, personas, login):
    client = login(personas.admin)
    m = bureau.member_1
    assert client.get(f"/admin/members/member/{m.pk}/change/").status_code == 200
    assert client.get(f"/admin/members/member/{m.pk}/delete/").status_code == 403
    response = client.post(
        "/admin/members/member/", {"action": "delete_selected", "_selected_action": [m.pk], "post": "yes"}
    )
    assert response.status_code in (200, 302)
    assert Member.objects.filter(pk=m.pk).exists()


def test_an_organization_with_members_cannot_be_deleted(bureau):
    with pytest.raises(ProtectedError):
        bureau.branch_2.delete()
    assert Member.objects.filter(organization=bureau.branch_2).count() == 2


def test_a_member_with_history_cannot_be_deleted(bureau, personas):
    do_transfer_out(bureau.member_1, date=D(2025, 1, 1), counterpart="某单位", acting_user=personas.admin)
    with pytest.raises(ProtectedError):
        Member.objects.filter(pk=bureau.member_1.pk).delete()
