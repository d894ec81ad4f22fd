"""Compose a report from a genre template and the figures of an organization and a period.

A genre template is data (see ``genres/*.json``), shaped like the reports officers write:

    {"code", "name", "title": "{org}{period}党建工作总结",
     "opening": [variant, …],
     "series": {"meetings": [["党员大会", "count.general_meeting"], …]},
     "parts": [
        {"heading": [variant, …], "sections": [
            {"heading": [variant, …],
             "items": [{"sentences": [[variant, …], …], "prompt": "本期…情况"}]}]},
        {"heading": […], "source": "problems" | "next_steps" | "highlights", "prompt": "…"}]}

Placeholders inside a sentence:
  {org} {period} {year}       the organization's name and the period's words
  {end}                       the period's end: "2022年6月底", "2022年底"
  {congress}                  the congress and plenums in force at the period's end
  {KEY}                       a figure with its unit: "6次"
  {~KEY}                      approximated as custom prefers: "20余人次" (the exact value stays in
                              the evidence)
  {#KEY}                      the bare number, no unit
  {series:NAME}               the series' non-zero entries joined with 、: "党员大会6次、支部委员会5次"

A sentence whose figures are all zero or unknown is left out; an item left with no figure
sentence becomes a visible prompt 【待补充：…】 — never an invented number, never "xx". Variants
are chosen by a seed made of genre, organization and period, so a draft is reproducible and two
periods' drafts read differently.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from dangjian.reports.document import Block, Document, Run
from dangjian.reports.numbering import (
    approximate,
    format_amount,
    format_percent,
    heading_number,
    ordinal_item,
)

PLACEHOLDER = re.compile(r"\{([~#]?)([a-z_][a-z0-9_.:]*)\}")


class FigureLike(Protocol):
    key: str
    label: str
    value: Any
    unit: str


@dataclass
class Inputs:
    """What the ledger cannot know, written by the officer: problems, next steps, free text."""

    problems: list[str] = field(default_factory=list)
    next_steps: list[str] = field(default_factory=list)
    highlights: list[tuple[str, str, str | None]] = field(default_factory=list)  # (title, text, figure key)
    opening: str = ""


@dataclass
class Context:
    org_name: str
    period_words: str  # "2022年上半年"
    year: int
    seed: str
    figures: Mapping[str, FigureLike]
    congress: str = "党的二十大和二十届历次全会精神"
    end_words: str = ""  # "2022年6月底", "2022年底"
    inputs: Inputs = field(default_factory=Inputs)


def _choose(variants: Sequence[str] | str, seed: str) -> str:
    if isinstance(variants, str):
        return variants
    if not variants:
        return ""
    digest = hashlib.sha256(seed.encode()).digest()
    return variants[random.Random(digest).randrange(len(variants))]


def is_zero(figure: FigureLike | None) -> bool:
    if figure is None or figure.value is None:
        return True
    try:
        return Decimal(str(figure.value)) == 0
    except ArithmeticError:
        return False


def figure_text(figure: FigureLike, mode: str = "") -> str:
    value = figure.value
    if figure.unit == "%":
        return format_percent(value)
    if figure.unit in ("元", "万元", "亿元"):
        return format_amount(value)
    if isinstance(value, float | Decimal) and not float(value).is_integer():
        number = f"{Decimal(str(value)).quantize(Decimal('0.1'))}"
    else:
        number = str(int(value))
        if mode == "~":
            number, _ = approximate(int(value))
    return number if mode == "#" else f"{number}{figure.unit}"


def render_sentence(
    template: str, ctx: Context, series: Mapping[str, Sequence[Sequence[str]]]
) -> list[Run] | None:
    """The runs of one sentence, or None when every figure it names is zero or unknown."""
    runs: list[Run] = []
    mentioned = 0
    nonzero = 0
    bare_zero = False
    position = 0
    for match in PLACEHOLDER.finditer(template):
        if match.start() > position:
            runs.append(Run(template[position : match.start()]))
        position = match.end()
        mode, key = match.groups()
        if key == "org":
            runs.append(Run(ctx.org_name))
        elif key == "period":
            runs.append(Run(ctx.period_words))
        elif key == "year":
            runs.append(Run(f"{ctx.year}年"))
        elif key == "end":
            runs.append(Run(ctx.end_words))
        elif key == "congress":
            runs.append(Run(ctx.congress))
        elif key.startswith("series:"):
            parts: list[Run] = []
            for label, figure_key in series.get(key.split(":", 1)[1], []):
                mentioned += 1
                figure = ctx.figures.get(figure_key)
                if is_zero(figure):
                    continue
                nonzero += 1
                if parts:
                    parts.append(Run("、"))
                parts.append(Run(label))
                parts.append(Run(figure_text(figure), "figure", figure_key))  # type: ignore[arg-type]
            runs.extend(parts)
        else:
            mentioned += 1
            figure = ctx.figures.get(key)
            if is_zero(figure):
                bare_zero = True
                continue
            nonzero += 1
            runs.append(Run(figure_text(figure, mode), "figure", key))  # type: ignore[arg-type]
    if position < len(template):
        runs.append(Run(template[position:]))
    # A sentence whose figures are all zero says nothing; one with a single zero figure would
    # print "0次": leave both out rather than state them.
    if mentioned and (not nonzero or bare_zero):
        return None
    return _merge(runs)


def _merge(runs: list[Run]) -> list[Run]:
    merged: list[Run] = []
    for run in runs:
        if merged and run.kind == "text" and merged[-1].kind == "text":
            merged[-1] = Run(merged[-1].text + run.text)
        elif run.text:
            merged.append(run)
    return merged


def prompt(text: str) -> Run:
    return Run(f"【待补充：{text}】", "prompt")


def compose(template: Mapping[str, Any], ctx: Context) -> Document:
    """The report draft for ``template`` filled with ``ctx``'s figures and inputs."""
    series = template.get("series", {})
    title = _choose(template.get("title", "{org}{period}工作总结"), ctx.seed + "|title")
    document = Document(title=title.replace("{org}", ctx.org_name).replace("{period}", ctx.period_words))

    if ctx.inputs.opening.strip():
        document.paragraph(ctx.inputs.opening.strip())
    else:
        opening = render_sentence(_choose(template.get("opening", []), ctx.seed + "|opening"), ctx, series)
        document.blocks.append(Block("paragraph", opening or [prompt("开头段")]))

    for part_index, part in enumerate(template.get("parts", []), start=1):
        heading = _choose(part.get("heading", []), f"{ctx.seed}|part{part_index}")
        document.heading(1, heading, heading_number(1, part_index))
        source = part.get("source")
        if source in ("problems", "next_steps"):
            entries = ctx.inputs.problems if source == "problems" else ctx.inputs.next_steps
            if not entries:
                document.blocks.append(Block("paragraph", [prompt(part.get("prompt", heading))]))
            for index, entry in enumerate(entries, start=1):
                document.paragraph(f"{ordinal_item(index)}{_strip_ordinal(entry)}")
            continue
        section_index = 0
        for section_no, section in enumerate(part.get("sections", []), start=1):
            seed = f"{ctx.seed}|p{part_index}s{section_no}"
            if section.get("source") == "highlights":
                if not ctx.inputs.highlights:
                    continue
                section_index += 1
                document.heading(2, _choose(section["heading"], seed), heading_number(2, section_index))
                for index, (item_title, text, key) in enumerate(ctx.inputs.highlights, start=1):
                    runs = [Run(f"{ordinal_item(index)}{item_title}。")]
                    runs.append(Run(text, "figure", key) if key else Run(text))
                    document.blocks.append(Block("paragraph", _merge(runs)))
                continue
            paragraphs = _section_items(section, ctx, series, seed)
            section_index += 1
            document.heading(2, _choose(section["heading"], seed), heading_number(2, section_index))
            if not paragraphs:
                document.blocks.append(Block("paragraph", [prompt(section.get("prompt", "本部分内容"))]))
            for runs in paragraphs:
                document.blocks.append(Block("paragraph", runs))
    return document


def _section_items(section: Mapping[str, Any], ctx: Context, series: Any, seed: str) -> list[list[Run]]:
    paragraphs: list[list[Run]] = []
    number = 0
    for item_no, item in enumerate(section.get("items", []), start=1):
        if not item.get("sentences"):
            # What only the officer can know (a mobilization meeting's date, letters signed):
            # a prompt, never a claim.
            number += 1
            paragraphs.append([Run(ordinal_item(number)), prompt(item.get("prompt", "本项工作情况"))])
            continue
        runs: list[Run] = []
        had_figures = False
        kept_figures = False
        for sentence_no, variants in enumerate(item.get("sentences", []), start=1):
            text = _choose(variants, f"{seed}|i{item_no}|s{sentence_no}")
            has_figures = bool(
                PLACEHOLDER.search(text.replace("{org}", "").replace("{period}", "").replace("{year}", ""))
            )
            had_figures = had_figures or has_figures
            rendered = render_sentence(text, ctx, series)
            if rendered is None:
                continue
            kept_figures = kept_figures or has_figures
            runs.extend(rendered)
        if had_figures and not kept_figures:
            if item.get("optional"):
                continue
            number += 1
            paragraphs.append([Run(ordinal_item(number)), prompt(item.get("prompt", "本项工作情况"))])
            continue
        if not runs:
            continue
        number += 1
        paragraphs.append(_merge([Run(ordinal_item(number)), *runs]))
    return paragraphs


def _strip_ordinal(text: str) -> str:
    return re.sub(
        r"^\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|\d+[.、．])\s*", "", text.strip()
    )
