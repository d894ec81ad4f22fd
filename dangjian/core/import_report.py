"""What an Excel import found and did: problems by row and column, all or nothing, dry run.

Every import (the roster, the dues base and payment lists) fills one ``ImportReport``, so the web
pages, the background job and the CLI word their results the same way: a file-level problem
(not an .xlsx, no header …) or the cells and rows at fault, each named "第3行 G列（身份证号）";
nothing is written when there is any problem, and a dry run reports exactly what a real run
would, writing nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MAX_REPORTED_ERRORS = 2000  # a file where every row is wrong need not list 50,000 lines
MAX_LISTED = 500  # names listed as added/changed; the counts cover the rest


@dataclass
class Problem:
    """One problem in the file: on a row and column, on a whole row, or on the file itself."""

    message: str
    row: int | None = None
    column: str = ""  # letter, as Excel shows it
    header: str = ""

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        where = f"第{self.row}行"
        if self.column:
            where += f" {self.column}列（{self.header}）"
        return f"{where}：{self.message}"


@dataclass
class ImportReport:
    """What an import found and did; the web pages, the job and the CLI all show this.

    ``unit`` counts what a row is: 人 on the roster, 条 on the dues lists.
    """

    filename: str = ""
    dry_run: bool = False
    sheet: str = ""
    header_row: int | None = None
    rows: int = 0
    file_errors: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    error_count: int = 0
    notes: list[str] = field(default_factory=list)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    imported: bool = False
    unit: str = "人"
    # Who is (or, in a dry run, would be) added or changed, for the officer to look over before
    # confirming: {"row", "name", "org", "action": "新增" | "更新"}; the first MAX_LISTED only.
    changes: list[dict[str, Any]] = field(default_factory=list)

    @property
    def unreadable(self) -> bool:
        return bool(self.file_errors)

    @property
    def ok(self) -> bool:
        return not self.file_errors and not self.error_count

    @property
    def written(self) -> int:
        """Rows that write something (or would, in a dry run)."""
        return self.created + self.updated

    def add_error(self, problem: Problem) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(problem)

    def fail(self, message: str) -> None:
        """The file as a whole cannot be imported."""
        self.file_errors.append(Problem(message))

    def reject(self) -> None:
        """Nothing was written after all (errors, or a write that had to be rolled back)."""
        self.created = self.updated = self.unchanged = 0
        self.changes = []
        self.imported = False

    @property
    def summary(self) -> str:
        u = self.unit
        counts = f"新增 {self.created:,} {u}，更新 {self.updated:,} {u}，{self.unchanged:,} {u}无变化"
        if self.file_errors:
            return "文件无法导入，没有写入任何数据。"
        if self.error_count:
            return f"发现 {self.error_count:,} 处问题，整个文件未导入，没有写入任何数据。请改正后重新导入。"
        if self.dry_run:
            return f"试导入通过：将{counts}。这是试导入，没有写入任何数据。"
        return f"导入完成：{counts}。"

    @property
    def source_line(self) -> str:
        if not self.sheet:
            return f"文件：{self.filename}"
        return (
            f"文件：{self.filename}，工作表“{self.sheet}”，表头在第{self.header_row}行，"
            f"数据 {self.rows:,} 行。"
        )

    @property
    def hidden_errors(self) -> int:
        return self.error_count - len(self.errors)

    def lines(self) -> list[str]:
        """The report as plain text lines (the CLI prints these)."""
        out = [("【试导入】" if self.dry_run else "") + self.source_line, self.summary]
        out += [str(p) for p in self.file_errors]
        out += [str(p) for p in self.errors]
        if self.hidden_errors:
            out.append(f"……另有 {self.hidden_errors:,} 处问题未列出。")
        out += [f"说明：{n}" for n in self.notes]
        return out

    def as_dict(self) -> dict[str, Any]:
        return {
            "filename": self.filename,
            "dry_run": self.dry_run,
            "sheet": self.sheet,
            "header_row": self.header_row,
            "rows": self.rows,
            "file_errors": [p.__dict__ for p in self.file_errors],
            "errors": [p.__dict__ for p in self.errors],
            "error_count": self.error_count,
            "notes": self.notes,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "imported": self.imported,
            "unit": self.unit,
            "changes": self.changes,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportReport:
        data = dict(data)
        data["file_errors"] = [Problem(**p) for p in data.get("file_errors", [])]
        data["errors"] = [Problem(**p) for p in data.get("errors", [])]
        return cls(**data)
