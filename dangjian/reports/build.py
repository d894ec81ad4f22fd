"""Turn a genre, an organization and a period into a draft: figures from metrics, then compose."""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from dangjian import metrics
from dangjian.core.dates import today
from dangjian.core.period import Period
from dangjian.metrics.figures import Figure
from dangjian.metrics.records import campaign_of, campaign_words, highlight_activities, subject_person
from dangjian.reports import rules
from dangjian.reports.composer import PLACEHOLDER, WORD_KEYS, Context, Inputs, compose
from dangjian.reports.document import Document

CONTEXT_KEYS = {"org", "period", "year", "end", "congress", *WORD_KEYS}
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
                elif key.startswith(("names:", "list:", "docs:")):
                    found.append(key.split(":", 1)[1])
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


def end_words(period: Period, on: datetime.date | None = None) -> str:
    """The last day with data: the period's end, or ``on`` (today) while the period runs."""
    end = period.end
    day = on or today()
    if day < end:
        return f"{day.year}年{day.month}月{day.day}日"
    if end.month == 12 and end.day == 31:
        return f"{end.year}年底"
    last_of_month = (end + datetime.timedelta(days=1)).day == 1
    return f"{end.year}年{end.month}月底" if last_of_month else f"{end.year}年{end.month}月{end.day}日"


def span_words(period: Period, on: datetime.date | None = None) -> str:
    """The period as the body says it once the opening has dated it (REPORTS.md: 上半年, never
    全年, for a half-year; 今年以来 while a year runs; 近三年来 for a range of years)."""
    day = on or today()
    running = period.start <= day < period.end
    if period.kind == "year":
        return "今年以来" if running else "全年"
    if period.kind == "half":
        words = period.words(with_year=False)
        return f"{words}以来" if running and words == "下半年" else words
    if period.kind == "range" and period.end.year > period.start.year:
        years = period.end.year - period.start.year + 1
        return f"{period.start.year}年以来" if years > 5 else f"近{'两三四五'[years - 2]}年来"
    return period.words(with_year=False)


def next_words(period: Period) -> str:
    following = period.next
    if period.kind == "year":
        return f"{following.start.year}年"
    if period.kind == "half":
        return following.words(with_year=following.start.year != period.start.year)
    return following.words()


def rotation_of(period: Period) -> tuple[str, int]:
    """(a seed part, a rotation) so that the same kind of period one year apart rotates by one
    (two consecutive years' drafts phrase every sentence differently)."""
    part = f"{period.kind}{period.start.month}-{period.start.day}"
    return part, period.start.year


def _next_figures(keys: list[str], org: Any, period: Period, user: Any) -> dict[str, Figure]:
    """Figures over the next period, keyed "next.<key>" (下一步 commitments)."""
    wanted = [k.removeprefix("next.") for k in keys if k.startswith("next.")]
    if not wanted:
        return {}
    found = metrics.compute(wanted, org, period.next, user=user)
    return {f"next.{k}": dataclasses.replace(f, key=f"next.{k}") for k, f in found.items()}


def _person_figures(
    keys: list[str], person_id: int | None, org: Any, period: Period, user: Any
) -> dict[str, Figure]:
    """The subject person's own figures, keyed as the template names them ("person.hosted")."""
    wanted = [k for k in keys if k.startswith("person.")]
    if not wanted or person_id is None:
        return {}
    found = metrics.compute([f"person.{person_id}.{k[7:]}" for k in wanted], org, period, user=user)
    return {k: dataclasses.replace(found[f"person.{person_id}.{k[7:]}"], key=k) for k in wanted}


THIS_CAMPAIGN = "thiscampaign."


def _campaign_figures(
    keys: list[str], campaign_id: int | None, org: Any, period: Period, user: Any
) -> dict[str, Figure]:
    """The running campaign's own figures, keyed as the template names them
    ("thiscampaign.solved" is "campaign.<id>.solved"); none when no campaign is on record."""
    wanted = [k for k in keys if k.startswith(THIS_CAMPAIGN)]
    if not wanted or campaign_id is None:
        return {}
    real = {k: f"campaign.{campaign_id}.{k.removeprefix(THIS_CAMPAIGN)}" for k in wanted}
    found = metrics.compute(list(real.values()), org, period, user=user)
    return {k: dataclasses.replace(found[real[k]], key=k) for k in wanted}


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
    person: Any = None,
) -> Built:
    """Compute the template's figures for ``org``'s subtree over ``period`` and compose the draft.

    ``person`` is the subject of a 述职报告 (a Member); by default the secretary of ``org``."""
    keys = [*template_keys(body), *rules.rule_keys()]
    plain = [k for k in keys if not k.startswith(("next.", "person.", THIS_CAMPAIGN))]
    figures: dict[str, Figure] = dict(metrics.compute(plain, org, period, user=user))
    figures.update(_next_figures(keys, org, period, user))
    # "学习教育" unless the campaign on record is a 专项整治 (campaign_words says so)
    words: dict[str, str] = {"next": next_words(period), "drive": "学习教育"}
    if any(k.startswith("person.") for k in keys) or "{person}" in str(body):
        subject = subject_person(org, period, person)
        if subject is not None:
            words["person"], words["role"] = subject[0], subject[1]
            figures.update(_person_figures(keys, subject[2], org, period, user))
    campaign = campaign_of(org, period, user)
    if campaign is not None:
        words["campaign"], words["goal"] = campaign[0], campaign[1]
        words.update(campaign_words(campaign[2]))
    figures.update(_campaign_figures(keys, campaign[2] if campaign else None, org, period, user))
    inputs = inputs or Inputs()
    if not inputs.highlights:
        for activity_id, title, text in highlight_activities(org, period, user=user):
            key = f"highlight.{activity_id}"
            figures[key] = Figure(key, title, 1, "项", "activities.activity", [activity_id])
            inputs.highlights.append((title, text, key))
    stable, rotation = rotation_of(period)
    context = Context(
        org_name=org.name,
        period_words=period.words(),
        year=period.start.year,
        seed=f"{genre_code or body.get('code', '')}|{org.pk}|{period.code}",
        figures=figures,
        inputs=inputs,
        congress=congress_words(period.end),
        end_words=end_words(period),
        span=span_words(period),
        words=words,
        rotation=rotation,
        stable_seed=f"{genre_code or body.get('code', '')}|{org.pk}|{stable}",
    )
    return Built(compose(body, context), figures)


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in re.split(r"[\r\n]+", text or "") if line.strip()]
