"""The series behind an organization's chart dashboard (党建看板), each point linked to its records.

Every number is a metrics figure (attendance, dues, recruitment) or a cell of the compliance
matrix (meetings held against those required, missing items by month) — the same numbers the
lists, the heat map and a report show. Each chart is a dict the template renders twice: as an
ECharts option (charts.js) and as the table that stands in for it.
"""

from __future__ import annotations

from collections import Counter
from typing import Any
from urllib.parse import urlencode

from django.urls import reverse

from dangjian.compliance.choices import CellStatus
from dangjian.compliance.evaluator import Matrix
from dangjian.core.dates import today
from dangjian.core.numbers import on_day
from dangjian.core.period import Period
from dangjian.metrics import registry
from dangjian.orgs.choices import OrgKind


def _url(name: str, **params: Any) -> str:
    return reverse(name) + "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")})


def months_of(period: Period) -> list[Period]:
    """The months of ``period`` that have begun (a chart of the current year stops at today)."""
    last = min(period.end, today())
    months, year, month = [], period.start.year, period.start.month
    while (year, month) <= (last.year, last.month):
        months.append(Period.month(year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _num(value: Any) -> float:
    return round(float(value or 0), 1)


def attendance_by_month(org: Any, months: list[Period], user: Any) -> dict[str, Any]:
    # The activity list is kept by branch: a cell's meetings are listed under its branch.
    list_org = org.parent_id if org.kind == OrgKind.CELL else org.pk
    rows = []
    for month in months:
        fig = registry.compute(["attendance.rate"], org, month, user)["attendance.rate"]
        basis = fig.basis or (0, 0)
        rows.append(
            {
                "label": f"{month.start.month}月",
                "values": [_num(fig.value)],
                "note": f"{basis[0]}/{basis[1]}人次" if basis[1] else "无活动",
                "url": _url("activities:list", org=list_org, period=month.code),
            }
        )
    return {
        "id": "attendance",
        "title": "出勤率（按月）",
        "kind": "line",
        "unit": "%",
        "series": ["出勤率"],
        "rows": rows,
        "more": _url("activities:list", org=list_org),
        "more_label": "查看组织生活记录",
    }


def meetings_by_branch(matrix: Matrix) -> dict[str, Any]:
    """Per branch: the obligations judged so far (completed + missing) and those completed."""
    held: Counter[int] = Counter()
    required: Counter[int] = Counter()
    for cell in matrix.cells(include_kind_na=False):
        if cell.status in (CellStatus.DONE, CellStatus.MISSING):
            required[cell.org_id] += 1
            held[cell.org_id] += cell.status == CellStatus.DONE
    rows = []
    for org in matrix.orgs:
        if org.kind not in (OrgKind.BRANCH, OrgKind.GENERAL_BRANCH) or not required[org.id]:
            continue
        rows.append(
            {
                "label": org.name.split("（")[0],
                "values": [held[org.id], required[org.id]],
                "note": f"完成{held[org.id]}/{required[org.id]}项",
                "url": _url("compliance:dashboard", org=org.id, period=matrix.period.code),
            }
        )
    return {
        "id": "meetings",
        "title": "应开展与已开展（按支部）",
        "kind": "bar",
        "unit": "项",
        "series": ["已开展", "应开展"],
        "rows": rows,
        "more": _url("compliance:dashboard", org=matrix.root.id, period=matrix.period.code),
        "more_label": "查看合规检查",
    }


def dues_by_month(org: Any, months: list[Period], user: Any) -> dict[str, Any]:
    rows = []
    for month in months:
        found = registry.compute(["dues.due", "dues.paid", "dues.rate"], org, month, user)
        rows.append(
            {
                "label": f"{month.start.month}月",
                "values": [_num(found["dues.due"].value), _num(found["dues.paid"].value)],
                "note": f"收缴率{_num(found['dues.rate'].value)}%",
                "url": _url("dues:month", org=org.pk, month=month.code),
            }
        )
    return {
        "id": "dues",
        "title": "党费收缴（按月）",
        "kind": "bar",
        "unit": "元",
        "series": ["应交", "实交"],
        "rows": rows,
        "more": _url("dues:month", org=org.pk),
        "more_label": "查看党费收缴",
    }


def pipeline_by_stage(org: Any, user: Any) -> dict[str, Any]:
    from dangjian.recruitment.choices import Stage

    keys = [f"cases.open.{stage.value}" for stage in Stage]
    found = registry.compute(keys, org, on_day(), user)
    rows = [
        {
            "label": stage.label,
            "values": [found[f"cases.open.{stage.value}"].value],
            "note": "",
            "url": _url("recruitment:list", stage=stage.value),
        }
        for stage in Stage
    ]
    return {
        "id": "pipeline",
        "title": "发展党员（在办，按阶段）",
        "kind": "bar",
        "unit": "人",
        "series": ["在办"],
        "rows": rows,
        "more": _url("recruitment:list"),
        "more_label": "查看发展党员档案",
    }


def warnings_by_month(matrix: Matrix) -> dict[str, Any]:
    """Items missing (overdue) and still due, by the month their period ends."""
    missing: Counter[str] = Counter()
    due: Counter[str] = Counter()
    for cell in matrix.cells(include_kind_na=False):
        key = f"{cell.slot.end.year}-{cell.slot.end.month:02d}"
        if cell.status == CellStatus.MISSING:
            missing[key] += 1
        elif cell.status == CellStatus.DUE:
            due[key] += 1
    rows = []
    for month in months_of(matrix.period) + [
        Period.month(d.year, d.month) for d in _later_month_ends(matrix, missing, due)
    ]:
        key = month.code
        rows.append(
            {
                "label": f"{month.start.month}月",
                "values": [missing[key], due[key]],
                "note": "",
                "url": _url("compliance:dashboard", org=matrix.root.id, period=matrix.period.code),
            }
        )
    return {
        "id": "warnings",
        "title": "合规预警（按期限月份）",
        "kind": "stack",
        "unit": "项",
        "series": ["逾期未完成", "本期待完成"],
        "rows": rows,
        "more": _url("compliance:dashboard", org=matrix.root.id, period=matrix.period.code),
        "more_label": "查看预警明细",
    }


def _later_month_ends(matrix: Matrix, *counters: Counter[str]) -> list[Any]:
    """Month ends after today that still carry items (a quarter or a year due later)."""
    import datetime

    shown = {m.code for m in months_of(matrix.period)}
    keys = sorted({k for c in counters for k in c if k not in shown})
    return [datetime.date(int(k[:4]), int(k[5:]), 1) for k in keys]
