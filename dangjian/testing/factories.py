"""The one set of test factories: an organization tree, members, users with a role, activities
with their credits and attendance, dues bases and payments, and admission cases.

The app conftests' fixtures (``bureau``, ``personas``, ``make_activity``, ``open_case`` …) are thin
wrappers around these functions, so a new test anywhere builds its records the same way.
Records that bypass the workflow (``activity``) are written directly, so a test of a figure does
not depend on the actions it does not test; records that need the workflow's side effects
(``dues_base``, ``dues_payment``, ``recruitment_case``) go through the app's ``do_*`` actions.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable, Mapping
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


# ---- people -------------------------------------------------------------------------------------


def id_number(born: datetime.date, seq: str = "123", region: str = "110105") -> str:
    """A valid 18-digit ID number (correct check digit) for someone born on ``born``."""
    from dangjian.core.id_numbers import id_check_digit

    first17 = f"{region}{born:%Y%m%d}{seq}"
    return first17 + id_check_digit(first17)


def member(
    name: str,
    org: Any,
    cell: Any = None,
    *,
    status: str = "full",
    born: datetime.date = datetime.date(1985, 3, 12),
    admitted: datetime.date = datetime.date(2010, 7, 1),
    gender: str = "male",
    **fields: Any,
) -> Any:
    """A member of ``org``; full members are confirmed one year after admission."""
    from dangjian.members.models import Member

    return Member.objects.create(
        name=name,
        gender=gender,
        birth_date=born,
        organization=org,
        cell=cell,
        status=status,
        admission_date=admitted,
        confirmation_date=None if status == "probationary" else admitted.replace(year=admitted.year + 1),
        **fields,
    )


def user(username: str, role: str | None, *, org: Any = None, member: Any = None, **fields: Any) -> Any:
    """A user whose password is ``pw-<username>``, holding ``role`` (a Role kind) unless None."""
    from django.contrib.auth import get_user_model

    from dangjian.core.models import Role

    made = get_user_model().objects.create_user(username=username, password="pw-" + username, **fields)
    if role:
        Role.objects.create(user=made, kind=role, organization=org, member=member)
    return made


# ---- organizations ------------------------------------------------------------------------------


def org_tree() -> SimpleNamespace:
    """党组 → 机关党委 → 第一党支部 (with 2 党小组) and 第二党支部, with five members.

    Branch 1: 赵一明 (cell 1), 钱二华 (cell 2), 孙三立 (probationary since 1 March 2026, cell 1);
    branch 2: 李四清, 周五平.
    """
    from dangjian.orgs.choices import OrgKind
    from dangjian.orgs.models import Organization

    def org(name: str, kind: str, parent: Any = None, order: int = 1) -> Any:
        return Organization.objects.create(name=name, kind=kind, parent=parent, order=order)

    lg = org("测试局党组", OrgKind.LEADING_GROUP)
    oc = org("测试局机关党委", OrgKind.ORGAN_COMMITTEE, lg)
    b1 = org("第一党支部", OrgKind.BRANCH, oc, 1)
    b2 = org("第二党支部", OrgKind.BRANCH, oc, 2)
    c1 = org("第一党小组", OrgKind.CELL, b1, 1)
    c2 = org("第二党小组", OrgKind.CELL, b1, 2)
    D = datetime.date
    m1 = member("赵一明", b1, c1)
    m2 = member("钱二华", b1, c2, gender="female", born=D(1990, 8, 20))
    m3 = member("孙三立", b1, c1, status="probationary", born=D(1998, 1, 5), admitted=D(2026, 3, 1))
    m4 = member("李四清", b2, born=D(1970, 11, 2), admitted=D(1995, 6, 30))
    m5 = member("周五平", b2, gender="female", born=D(1979, 4, 18))
    return SimpleNamespace(
        leading_group=lg,
        organ_committee=oc,
        branch_1=b1,
        branch_2=b2,
        cell_1=c1,
        cell_2=c2,
        members=[m1, m2, m3, m4, m5],
        member_1=m1,
        member_of_branch_2=m4,
    )


def child_orgs(parent: Any, count: int, kind: str = "branch", name: str = "处室党支部") -> list[Any]:
    """``count`` organizations under ``parent``, named ``{name}001`` …, in three queries: a
    province-size tree without a save (two queries and an audit row) per organization."""
    from django.db.models import CharField, Value
    from django.db.models.functions import Cast, Concat

    from dangjian.orgs.models import Organization

    made = Organization.objects.bulk_create(
        Organization(name=f"{name}{n:03d}", kind=kind, parent=parent, order=n) for n in range(1, count + 1)
    )
    ids = [o.pk for o in made]
    # The materialized path needs each new id, as Organization.save() would set it.
    Organization.objects.filter(pk__in=ids).update(
        path=Concat(Value(parent.path), Cast("id", CharField()), Value("/")), depth=parent.depth + 1
    )
    return list(Organization.objects.filter(pk__in=ids).order_by("order"))


def personas(tree: SimpleNamespace) -> SimpleNamespace:
    """The personas of STYLE.md §11 over ``org_tree()``."""
    return SimpleNamespace(
        admin=user("admin", "admin", is_staff=True, is_superuser=True),
        agency_officer=user("jgdw", "agency_officer", org=tree.organ_committee),
        secretary_of_branch_1=user("zb1", "org_officer", org=tree.branch_1),
        discipline=user("jj", "discipline"),
        member=user("dy1", "member", member=tree.member_1),
        outsider=user("outsider", None),
    )


# ---- activities ---------------------------------------------------------------------------------


def activity_types() -> dict[str, Any]:
    """Every activity type by code; the built-in ones are made if missing (the data migration
    made them, but a transactional test's flush removes them)."""
    from dangjian.activities.choices import BUILTIN_TYPES
    from dangjian.activities.models import ActivityType

    for order, (code, name, org_life, attendance, _also) in enumerate(BUILTIN_TYPES):
        ActivityType.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                counts_as_org_life=org_life,
                takes_attendance=attendance,
                order=order,
                is_builtin=True,
            ),
        )
    return {t.code: t for t in ActivityType.objects.all()}


def activity(
    org: Any,
    code: str,
    day: datetime.date,
    *,
    at: tuple[int, int] = (9, 0),
    status: str = "held",
    also: Iterable[str] = (),
    attend: Mapping[Any, str] | None = None,
    makeup: Mapping[Any, datetime.date] | None = None,
    cells: Iterable[Any] = (),
    topic: str | None = None,
    **fields: Any,
) -> Any:
    """An activity held by ``org`` on ``day`` at ``at`` (Beijing time), written directly with its
    credits (primary + ``also``) and attendance (``{member: "present"|"absent"|"leave"}``)."""
    from dangjian.activities.models import Activity, ActivityCredit, ActivityType

    kind = ActivityType.objects.get(code=code)
    made = Activity.objects.create(
        organization=org,
        activity_type=kind,
        status=status,
        topic=topic or f"{code} {day}",
        held_at=datetime.datetime(day.year, day.month, day.day, at[0], at[1], tzinfo=SHANGHAI),
        **fields,
    )
    ActivityCredit.objects.create(activity=made, activity_type=kind, is_primary=True)
    for extra in also:
        other = ActivityType.objects.get(code=extra)
        ActivityCredit.objects.create(activity=made, activity_type=other)
        made.also_counts_as.add(other)
    if cells:
        made.cells.set(cells)
    for who, state in (attend or {}).items():
        attendance(made, who, state, makeup_on=(makeup or {}).get(who))
    return made


def attendance(activity: Any, member: Any, status: str = "present", **fields: Any) -> Any:
    """One attendance row; a leave gets a reason (the form requires one)."""
    from dangjian.activities.models import Attendance

    if status == "leave":
        fields.setdefault("leave_reason", "公务")
    return Attendance.objects.create(activity=activity, member=member, status=status, **fields)


# ---- dues ---------------------------------------------------------------------------------------


def dues_base(member: Any, amount: str | Decimal, month: datetime.date, *, acting_user: Any = None) -> Any:
    """The member's dues base from ``month`` on (through the dues action, so the standard follows)."""
    from dangjian.dues.actions import do_set_base

    return do_set_base(member, str(amount), effective_month=month, acting_user=acting_user, via="test")


def dues_payment(
    member: Any,
    amount: str | Decimal,
    receipt: str,
    *,
    on: datetime.date,
    method: str = "wechat",
    acting_user: Any = None,
    **fields: Any,
) -> Any:
    """A dues payment recorded through the dues action (it is allocated to the months owed)."""
    from dangjian.dues.actions import do_record_payment

    return do_record_payment(
        member,
        Decimal(amount),
        paid_on=on,
        method=method,
        receipt_number=receipt,
        acting_user=acting_user,
        via="test",
        **fields,
    )


# ---- recruitment --------------------------------------------------------------------------------


def recruitment_case(
    org: Any,
    *,
    acting_user: Any,
    start: datetime.date = datetime.date(2023, 6, 1),
    name: str = "吴小青",
    born: datetime.date = datetime.date(1998, 5, 20),
    seq: str = "123",
) -> Any:
    """An admission case opened on ``start`` for a valid applicant (through the action)."""
    from dangjian.recruitment import actions

    return actions.do_open_case(
        application_date=start,
        acting_user=acting_user,
        name=name,
        gender="female",
        birth_date=born,
        id_number=id_number(born, seq),
        phone="13800000000",
        department="办公室",
        organization=org,
    )


def walk_case(case: Any, upto: int, *, acting_user: Any, people: list[Any]) -> Any:
    """Record the happy-path steps after the last one done, up to step ``upto``; ``people`` are
    the two members named as mentors and sponsors."""
    from dangjian.recruitment import actions, rules
    from dangjian.recruitment.demo import happy_dates

    dates = happy_dates(case.opened_on)
    case.refresh_from_db()
    done = case.timeline().done
    for number in range(2, upto + 1):
        if number in done:
            continue
        extra: dict[str, Any] = {}
        if number in (rules.MENTORS, rules.SPONSOR):
            extra["people"] = people[:2]
        elif number in rules.VOTE_STEPS:
            extra["vote"] = actions.Vote(eligible=2, present=2, votes_for=2, against=0, abstain=0)
        elif number == rules.TRAINING:
            extra["training_days"] = 3
        actions.do_record_step(
            case,
            number,
            date=dates[number],
            acting_user=acting_user,
            checklist=list(rules.RULES[number].checklist),
            **extra,
        )
    case.refresh_from_db()
    return case
