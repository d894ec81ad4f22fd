"""The figures pages show (organizations, terms, attendance, dues, recruitment, warnings), each
recounted independently — by hand or by walking the records in Python — value and evidence ids;
and the per-organization grids equal the figure for every organization."""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest

from dangjian import metrics
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.dues.tests.conftest import pay
from dangjian.metrics import grids
from dangjian.metrics.tests.recount import independent_attendance_ids

D = datetime.date
YEAR = Period.parse("2022")
pytestmark = pytest.mark.django_db


def on(day: datetime.date) -> Period:
    return Period.between(day, day)


def by_hand_percent(part: Decimal, whole: Decimal) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# ---- organizations and terms ----------------------------------------------------------------------
def test_organizations_by_kind_on_a_day(bureau):
    from dangjian.orgs.models import Organization

    gone = Organization.objects.create(
        name="第三党支部",
        kind="branch",
        parent=bureau.organ_committee,
        established_on=D(2020, 1, 1),
        dissolved_on=D(2025, 1, 1),
    )
    for day in (D(2024, 12, 31), D(2025, 1, 1), today()):
        found = metrics.compute(["orgs.count.branch", "orgs.count.cell"], bureau.leading_group, on(day))
        standing = [
            o
            for o in Organization.objects.all()
            if (o.established_on is None or o.established_on <= day)
            and (o.dissolved_on is None or o.dissolved_on > day)
        ]
        for kind in ("branch", "cell"):
            ids = sorted(o.pk for o in standing if o.kind == kind)
            assert found[f"orgs.count.{kind}"].evidence_ids == ids
            assert found[f"orgs.count.{kind}"].value == len(ids)
    assert (
        gone.pk
        in metrics.compute(["orgs.count.branch"], bureau.leading_group, on(D(2024, 6, 1)))[
            "orgs.count.branch"
        ].evidence_ids
    )


def test_terms_to_renew(bureau):
    from dangjian.orgs.models import Term

    now = today()
    Term.objects.create(
        organization=bureau.branch_1, elected_on=now.replace(year=now.year - 4), length_years=3
    )
    Term.objects.create(
        organization=bureau.branch_2, elected_on=now.replace(year=now.year - 3), length_years=3
    )
    Term.objects.create(
        organization=bureau.organ_committee, elected_on=now.replace(year=now.year - 1), length_years=5
    )
    found = metrics.compute(["terms.due", "terms.overdue"], bureau.leading_group, on(now))
    horizon = now + datetime.timedelta(days=90)
    due = sorted(t.pk for t in Term.objects.all() if t.ended_on is None and t.due_on <= horizon)
    overdue = sorted(t.pk for t in Term.objects.all() if t.ended_on is None and t.due_on < now)
    assert found["terms.due"].evidence_ids == due and found["terms.due"].value == 2
    assert found["terms.overdue"].evidence_ids == overdue and found["terms.overdue"].value == 1


# ---- attendance ------------------------------------------------------------------------------------
def test_attendance_by_status_and_make_up_still_owed(bureau, ledger):
    from dangjian.activities.models import Attendance

    root = bureau.leading_group
    found = metrics.compute(
        [
            "attendance.status.present",
            "attendance.status.leave",
            "attendance.status.absent",
            "makeup.outstanding",
        ],
        root,
        YEAR,
    )
    for status in ("present", "leave", "absent"):
        ids = independent_attendance_ids(root, YEAR, {status})
        assert found[f"attendance.status.{status}"].evidence_ids == ids
        assert found[f"attendance.status.{status}"].value == len(ids)
    missed = independent_attendance_ids(root, YEAR, {"absent", "leave"})
    owed = sorted(pk for pk in missed if Attendance.objects.get(pk=pk).makeup_on is None)
    assert found["makeup.outstanding"].evidence_ids == owed and found["makeup.outstanding"].value == 2


def test_own_records_narrow_an_officer_to_their_own_attendance(bureau, ledger, personas):
    from dangjian.activities.models import Attendance
    from dangjian.core import numbers
    from dangjian.core.models import Role

    m2 = bureau.members[1]
    Role.objects.filter(user=personas.secretary_of_branch_1).update(member=m2)
    personas.secretary_of_branch_1.refresh_from_db()
    own = numbers.own_records(personas.secretary_of_branch_1)
    mine = metrics.compute_in_reach(["attendance.status.absent"], YEAR, own)["attendance.status.absent"]
    branch = metrics.compute_in_reach(["attendance.status.absent"], YEAR, personas.secretary_of_branch_1)
    absent = independent_attendance_ids(bureau.leading_group, YEAR, {"absent"})
    assert mine.evidence_ids == [pk for pk in absent if Attendance.objects.get(pk=pk).member_id == m2.pk]
    assert mine.value == 1 and branch["attendance.status.absent"].value == 1  # 周五平's is branch 2's


# ---- dues ----------------------------------------------------------------------------------------
@pytest.fixture
def dues_ledger(bases, bureau):  # type: ignore[no-untyped-def]
    """Ledger lines June–November 2026; 赵一明 and 李四清 pay November only."""
    from dangjian.dues.run import run_month

    pay(bureau.member_1, "45.00", "R-1", first_month="2026-11")
    pay(bureau.member_of_branch_2, "15.00", "R-4", first_month="2026-11")
    for month in range(6, 12):
        run_month(D(2026, month, 1))
    return bureau


def test_dues_due_paid_and_rate_by_hand(dues_ledger):
    from dangjian.dues.models import MonthlyDue

    bureau = dues_ledger
    for org in (bureau.leading_group, bureau.branch_1, bureau.branch_2):
        for period in (Period.month(2026, 11), Period.between(D(2026, 1, 1), D(2026, 11, 30))):
            lines = [
                line
                for line in MonthlyDue.objects.select_related("organization")
                if line.organization.path.startswith(org.path) and period.start <= line.month <= period.end
            ]
            due = sum((line.due for line in lines), Decimal("0"))
            paid = sum((line.paid for line in lines), Decimal("0"))
            found = metrics.compute(["dues.due", "dues.paid", "dues.rate"], org, period)
            assert found["dues.due"].value == due and found["dues.paid"].value == paid
            assert found["dues.due"].evidence_ids == sorted(line.pk for line in lines)
            assert found["dues.paid"].evidence_ids == sorted(line.pk for line in lines if line.paid > 0)
            assert found["dues.rate"].value == by_hand_percent(min(paid, due), due)
            # The overview's table reads the grid: the same numbers for every organization.
            row = grids.per_org(["dues.due", "dues.paid", "dues.rate"], period, None, [org])[org.pk]
            assert row == {k: found[k].value for k in ("dues.due", "dues.paid", "dues.rate")}


def test_dues_arrears_and_lapse_by_hand(dues_ledger):
    from dangjian.dues.models import MonthlyDue

    bureau = dues_ledger
    owed: dict[int, Decimal] = {}
    for line in MonthlyDue.objects.filter(month__lte=D(2026, 11, 1)):
        if line.due > line.paid:
            owed[line.member_id] = owed.get(line.member_id, Decimal("0")) + line.due - line.paid
    # Nothing paid June–November: six months running (党章第九条).
    lapsed = sorted(
        m.pk
        for m in bureau.members
        if not MonthlyDue.objects.filter(member=m, paid__gt=0).exists() and m.pk in owed
    )
    found = metrics.compute(
        ["dues.arrears", "dues.in_arrears", "dues.lapsed"], bureau.leading_group, Period.parse("2026-11")
    )
    assert found["dues.in_arrears"].evidence_ids == sorted(owed) and found["dues.in_arrears"].value == 5
    assert found["dues.arrears"].value == sum(owed.values())
    assert found["dues.lapsed"].evidence_ids == lapsed and len(lapsed) == 3


# ---- recruitment -----------------------------------------------------------------------------------
def test_cases_by_status_and_stage_on_a_day(bureau, open_case, walk, personas):
    from dangjian.recruitment import actions
    from dangjian.recruitment.demo import happy_dates

    a = walk(open_case(start=D(2023, 6, 1), name="吴小青"), 7)  # a candidate since happy_dates[7]
    b = open_case(start=D(2024, 1, 1), name="郑小红", born=D(1999, 2, 2), seq="456")
    actions.do_close_case(b, date=D(2024, 3, 1), reason="本人撤回申请", acting_user=personas.admin)
    dates = happy_dates(D(2023, 6, 1))
    expected = {
        D(2023, 5, 31): {},
        dates[3] - datetime.timedelta(days=1): {"open.application": [a]},
        dates[3]: {"open.activist": [a]},
        D(2024, 2, 1): {"open.activist": [a], "open.application": [b]},
        D(2024, 3, 1): {"open.activist": [a], "closed.application": [b]},
        dates[7]: {"open.candidate": [a], "closed.application": [b]},
        today(): {"open.candidate": [a], "closed.application": [b]},
    }
    keys = metrics.registry.cases.case_keys()  # type: ignore[attr-defined]
    for day, groups in expected.items():
        found = metrics.compute(keys, bureau.leading_group, on(day))
        for key in keys:
            status_stage = key.removeprefix("cases.")
            want = sorted(c.pk for c in groups.get(status_stage, []))
            if "." not in status_stage:  # "cases.<status>": every stage
                want = sorted(
                    c.pk for k, cs in groups.items() for c in cs if status_stage in ("all", k.split(".")[0])
                )
            elif status_stage.startswith("all."):
                stage = status_stage.removeprefix("all.")
                want = sorted(c.pk for k, cs in groups.items() for c in cs if k.endswith(f".{stage}"))
            assert found[key].evidence_ids == want, (day, key)
            assert found[key].value == len(want)


def test_items_due_recounted_from_the_due_list(bureau, open_case):
    from dangjian.core.dates import add_months
    from dangjian.core.period import Period
    from dangjian.recruitment.due import due_items
    from dangjian.recruitment.models import Case

    open_case(start=today().replace(day=1) - datetime.timedelta(days=70), name="吴小青")  # talk overdue
    # The talk falls due by the end of this month (细则第七条: within a month).
    open_case(
        start=add_months(Period.containing(today(), "month").end, -1),
        name="郑小红",
        born=D(1999, 2, 2),
        seq="456",
    )
    items = due_items(Case.objects.all(), month_end=Period.containing(today(), "month").end, on=today())
    found = metrics.compute(["cases.items_due", "cases.items_overdue"], bureau.leading_group, on(today()))
    assert found["cases.items_due"].value == len(items) == 2
    assert found["cases.items_due"].evidence_ids == sorted({i.case.pk for i in items})
    assert found["cases.items_overdue"].value == sum(1 for i in items if i.overdue) >= 1


# ---- warnings ------------------------------------------------------------------------------------
def test_warning_counts_recounted_from_each_kind_of_warning(bureau, personas):
    from dangjian.compliance.evaluator import evaluate
    from dangjian.compliance.warnings import lapse_warnings, org_warnings, term_warnings
    from dangjian.orgs.models import Term

    Term.objects.create(organization=bureau.branch_1, elected_on=D(2021, 3, 1), length_years=3)
    now, year = today(), Period.year(today().year)
    root = bureau.leading_group
    for user in (None, personas.secretary_of_branch_1):
        cells = org_warnings(evaluate(root, year, user=user, on=now))
        people = lapse_warnings(root, now, user) + term_warnings(root, now, user)
        found = metrics.compute(
            ["warnings.total", "warnings.danger", "warnings.warn", "warnings.missing", "warnings.members"],
            root,
            year,
            user,
        )
        everything = cells + people
        assert found["warnings.total"].value == len(everything) > 0
        assert found["warnings.danger"].value == sum(1 for w in everything if w.level == "danger")
        assert found["warnings.warn"].value == sum(1 for w in everything if w.level == "warn")
        assert found["warnings.missing"].value == sum(1 for w in cells if w.level == "danger")
        assert found["warnings.members"].value == len(people)
        assert found["warnings.total"].evidence_ids == sorted({w.org_id for w in everything})


# ---- grids -----------------------------------------------------------------------------------------
def test_the_roll_grid_equals_the_figure_for_every_organization(bureau, personas):
    from dangjian.members.actions import do_transfer_out
    from dangjian.orgs.models import Organization

    do_transfer_out(bureau.members[4], date=D(2022, 6, 1), counterpart="外单位", acting_user=personas.admin)
    for user in (personas.admin, personas.agency_officer, personas.secretary_of_branch_1, personas.member):
        for day in (D(2022, 1, 1), today()):
            grid = grids.per_org(["members.active", "members.direct"], on(day), user)
            from dangjian.core.scope import restrict

            reach = list(restrict(Organization.objects.all(), user))
            assert set(grid) == {o.pk for o in reach}
            for org in reach:
                found = metrics.compute(["members.active", "members.direct"], org, on(day), user)
                assert grid[org.pk] == {k: f.value for k, f in found.items()}, (user, day, org.name)
