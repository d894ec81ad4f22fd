"""The roster's Excel import and export, split into ``roster_columns``, ``roster_import`` and
``roster_export`` (cells and sheets are read by ``core.cells`` and ``core.sheets``).

Only the old import path is kept here, for code written before the split; import from the new
modules in new code.
"""

from __future__ import annotations

from dangjian.core.cells import CellProblem, MonthOnly, parse_date
from dangjian.core.import_report import ImportReport, Problem
from dangjian.members.roster_export import export_roster, template_workbook
from dangjian.members.roster_import import import_roster

__all__ = [
    "CellProblem",
    "ImportReport",
    "MonthOnly",
    "Problem",
    "export_roster",
    "import_roster",
    "parse_date",
    "template_workbook",
]
