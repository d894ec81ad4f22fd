"""Small SQL building blocks shared by the base reads, the figures and the grids.

Both run on SQLite and PostgreSQL. They avoid Django's TruncMonth/Extract on SQLite because
those call a Python function per row; at province scale (half a million rows a year) plain
string arithmetic on the ISO date is several times faster.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Aggregate, CharField, Func, IntegerField, QuerySet


class MonthKey(Func):
    """year*12 + month-1 of a date column: one integer per calendar month, cheap to group by."""

    output_field = IntegerField()
    arity = 1

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # PostgreSQL and others
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 12"
            " + CAST(EXTRACT(MONTH FROM %(expressions)s) AS INTEGER) - 1)",
            **extra,
        )

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite stores dates as 'YYYY-MM-DD' text.
        return super().as_sql(
            compiler,
            connection,
            template="(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 12"
            " + CAST(substr(%(expressions)s, 6, 2) AS INTEGER) - 1)",
            **extra,
        )


class IdList(Aggregate):
    """The grouped ids as one comma-separated string (parsed only when evidence is asked for)."""

    function = "GROUP_CONCAT"
    output_field = CharField()
    allow_distinct = True

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # Set on a copy, not passed as keywords: with a FILTER clause Aggregate.as_sql builds its
        # own template from self.template and would receive "template" twice.
        clone = self.copy()
        clone.function = "STRING_AGG"
        clone.template = "%(function)s(%(distinct)s(%(expressions)s)::text, ',')"
        return super(IdList, clone).as_sql(compiler, connection, **extra)


def parse_ids(text: str | None) -> list[int]:
    """'3,1,2' → [1, 2, 3]."""
    if not text:
        return []
    return sorted({int(part) for part in str(text).split(",") if part})


def month_key(year: int, month: int) -> int:
    return year * 12 + month - 1


def raw_rows(qs: QuerySet[Any]) -> list[tuple[Any, ...]]:
    """The rows of a values_list() query without Django's per-value converters (hundreds of
    thousands of plain ints and strings at province scale; the converters cost more than the SQL)."""
    from django.db import connections

    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()
