"""The sheets of the integrity ledgers: unit rules and the yearly 三公经费."""

from __future__ import annotations

from dangjian.duties.sheetio import Field, SheetSpec
from dangjian.integrity import actions
from dangjian.integrity.choices import RuleKind
from dangjian.integrity.models import PublicExpense, UnitRule

RULES = SheetSpec(
    name="制度建设",
    slug="rules",
    fields=(
        Field("organization", "制定组织", "org", True, aliases=("党组织", "组织"), width=22),
        Field("title", "制度名称", required=True, width=36, max_length=200, aliases=("名称",)),
        Field("kind", "类别", "choice", True, choices=RuleKind),
        Field("issued_on", "印发日期", "date", True),
        Field("document_number", "文号", width=20, max_length=60),
    ),
    build=lambda v, user: UnitRule(
        organization=v["organization"],
        title=v["title"],
        kind=v["kind"],
        issued_on=v["issued_on"],
        document_number=v["document_number"] or "",
    ),
    row=lambda r: [r.organization.name, r.title, r.get_kind_display(), r.issued_on, r.document_number],
    example=("某局党组", "党组工作规则", "议事决策（三重一大）", "2026-03-01", "某党组发〔2026〕1号"),
    save=actions.do_save,
)

EXPENSES = SheetSpec(
    name="三公经费",
    slug="expenses",
    fields=(
        Field("organization", "单位", "org", True, aliases=("党组织", "组织"), width=22),
        Field("year", "年度", "year", True, width=8),
        Field(
            "travel_abroad",
            "因公出国（境）费（万元）",
            "decimal",
            True,
            aliases=("因公出国（境）费", "因公出国费"),
        ),
        Field(
            "vehicles",
            "公务用车购置及运行费（万元）",
            "decimal",
            True,
            aliases=("公务用车购置及运行费", "公务用车费"),
        ),
        Field("reception", "公务接待费（万元）", "decimal", True, aliases=("公务接待费",)),
        Field("source_document", "来源文件", required=True, width=30, max_length=200, aliases=("数据来源",)),
    ),
    build=lambda v, user: PublicExpense(
        organization=v["organization"],
        year=v["year"],
        travel_abroad=v["travel_abroad"],
        vehicles=v["vehicles"],
        reception=v["reception"],
        source_document=v["source_document"],
    ),
    row=lambda e: [e.organization.name, e.year, e.travel_abroad, e.vehicles, e.reception, e.source_document],
    example=("某局机关党委", 2025, "0.00", "12.35", "3.20", "2025年度部门决算公开表"),
    save=actions.do_save,
)

SPECS = {spec.slug: spec for spec in (RULES, EXPENSES)}
