"""Turn a genre, an organization and a period into a draft: figures from metrics, then compose."""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dangjian import metrics
from dangjian.core.period import Period
from dangjian.metrics.figures import Figure
from dangjian.metrics.records import highlight_activities
from dangjian.reports.composer import PLACEHOLDER, Context, Inputs, compose
from dangjian.reports.document import Document

CONTEXT_KEYS = {"org", "period", "year", "end", "congress"}
# The 20th Congress closed on 2022-10-22; a period ending before it reports on the 19th.
TWENTIETH_CONGRESS = datetime.date(2022, 10, 22)
NINETEENTH_CONGRESS = datetime.date(2017, 10, 24)


def template_keys(body: Mapping[str, Any]) -> list[str]:
    """Every figure key a genre template names, in order of first use."""
    found: list[str] = []
    series = body.get("series", {})

    def scan(node: Any) -> None:
        if isinstance(node, str):
            for _mode, key in PLACEHOLDER.findall(node):
                if key.startswith("series:"):
                    found.extend(figure_key for _label, figure_key in series.get(key[7:], []))
                elif key not in CONTEXT_KEYS:
                    found.append(key)
        elif isinstance(node, list):
            for child in node:
                scan(child)
        elif isinstance(node, dict):
            for name, child in node.items():
                if name != "series":
                    scan(child)

    scan(body)
    return list(dict.fromkeys(found))


def congress_words(day: datetime.date) -> str:
    if day >= TWENTIETH_CONGRESS:
        return "党的二十大和二十届历次全会精神"
    if day >= NINETEENTH_CONGRESS:
        return "党的十九大和十九届历次全会精神"
    return "党的十八大和十八届历次全会精神"


def end_words(period: Period) -> str:
    end = period.end
    if end.month == 12 and end.day == 31:
        return f"{end.year}年底"
    last_of_month = (end + datetime.timedelta(days=1)).day == 1
    return f"{end.year}年{end.month}月底" if last_of_month else f"{end.year}年{end.month}月{end.day}日"


@dataclass
class Built:
    """A composed draft with the figures it was made from (key → Figure)."""

    document: Document
    figures: dict[str, Figure]

    def figures_json(self) -> list[dict[str, Any]]:
        used = set(self.document.figure_keys())
        return [figure.to_json() for key, figure in self.figures.items() if key in used]

    def to_json(self, *, genre: str, org: Any, period: Period) -> dict[str, Any]:
        return {
            "genre": genre,
            "org": org.name,
            "org_id": org.pk,
            "period": period.code,
            "title": self.document.title,
            "blocks": [block.to_json() for block in self.document.blocks],
            "figures": self.figures_json(),
        }


def build(
    body: Mapping[str, Any],
    org: Any,
    period: Period,
    *,
    user: Any = None,
    inputs: Inputs | None = None,
    genre_code: str = "",
) -> Built:
    """Compute the template's figures for ``org``'s subtree over ``period`` and compose the draft."""
    figures: dict[str, Figure] = dict(metrics.compute(template_keys(body), org, period, user=user))
    inputs = inputs or Inputs()
    if not inputs.highlights:
        for activity_id, title, text in highlight_activities(org, period, user=user):
            key = f"highlight.{activity_id}"
            figures[key] = Figure(key, title, 1, "项", "activities.activity", [activity_id])
            inputs.highlights.append((title, text, key))
    context = Context(
        org_name=org.name,
        period_words=period.words(),
        year=period.start.year,
        seed=f"{genre_code or body.get('code', '')}|{org.pk}|{period.code}",
        figures=figures,
        inputs=inputs,
        congress=congress_words(period.end),
        end_words=end_words(period),
    )
    return Built(compose(body, context), figures)


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\r\n]+", text or "") if line.strip()]
