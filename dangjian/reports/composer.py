"""Compose a report from a genre template and the figures of an organization and a period.

A genre template is data (see ``genres/*.json``), shaped like the reports officers write:

    {"code", "name", "title": "{org}{period}党建工作总结",
     "kinds": [{"code": "first_agenda", "label": "第一议题", "feeds": [...], "prompt": "…"}, …],
     "opening": [variant, …],
     "series": {"meetings": [["党员大会", "count.general_meeting"], …]},
     "parts": [
        {"heading": [variant, …], "parallel": true, "sections": [
            {"heading": [variant, …],
             "items": [{"kind": "first_agenda", "sentences": [[variant, …], …], "prompt": "…"}]}]},
        {"heading": […], "source": "problems" | "next_steps", "prompt": "…"}]}

A sentence is a list of variants, or ``{"kind": CODE, "text": [variant, …], "prompt": "…"}``
when it alone covers a content kind: dropped for want of data, it leaves its prompt in place.

Placeholders inside a sentence:
  {org} {period} {year}       the organization's name and the period's words (title, opening)
  {span}                      the period as the body says it once the opening has dated it:
                              "全年", "上半年", "今年以来" (a period still running)
  {next}                      the next period: "2026年", "下半年"
  {end}                       the last day with data: "2022年6月底", "2022年底", "2026年11月29日"
  {congress}                  the congress and plenums in force at the period's end
  {person} {role}             the report's subject person and post (述职报告)
  {campaign} {goal}           the campaign's name and goal formula (学习教育总结)
  {plan} {plan_on} {mobilized_on}  its work plan's title, the plan's and mobilisation's days
  {group_head}                the name of its leading group's 组长
  {drive}                     what the sentences call it: 学习教育, or 专项整治 for a rectification drive
  {thiscampaign.PART}         the campaign's own figure "campaign.<id>.PART" (build.py maps it)
  {KEY}                       a figure with its unit: "6次"
  {~KEY}                      approximated as custom prefers: "20余人次" (the exact value stays in
                              the evidence)
  {#KEY}                      the bare number, no unit
  {names:KEY}                 the named records behind a figure: “主题一”“主题二”等
  {list:KEY} {docs:KEY}       the same names unquoted, joined with 、 / as documents 《甲》《乙》
  {series:NAME}               the series' non-zero entries joined with 、: "党员大会6次、支部委员会5次"

A sentence whose figures are all zero or unknown (or whose rate is below its threshold in
``rules.THRESHOLDS``) is left out; an item or kind left with no figure keeps its measure
sentence and a visible prompt 【待补充：…】 — never an invented number, never "xx". Variants
rotate with the period (``Context.rotation``), so a rerun is identical and two consecutive years'
drafts are phrased differently.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from dangjian.reports import rules
from dangjian.reports.document import Block, Document, Run
from dangjian.reports.numbering import (
    approximate,
    format_amount,
    format_percent,
    heading_number,
    ordinal_item,
)

PLACEHOLDER = re.compile(r"\{([~#]?)([a-z_][a-z0-9_.:]*)\}")
# Placeholders filled with words rather than figures (an empty word drops its sentence).
WORD_KEYS = {"person", "role", "campaign", "goal", "next", "span"}
# The campaign's work plan, the day it was issued and the mobilisation meeting's day (学习教育总结).
WORD_KEYS |= {"plan", "plan_on", "mobilized_on", "group_head", "drive"}
NAMES_SHOWN = 3
LIST_SHOWN = 4  # an unquoted list (a leader's liaison branches) is said in full when short


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
    end_words: str = ""  # "2022年6月底", "2022年底", or the last day with data
    inputs: Inputs = field(default_factory=Inputs)
    span: str = ""  # "全年", "上半年", "今年以来"; the period words when empty
    words: Mapping[str, str] = field(default_factory=dict)  # person, role, campaign, goal, next
    # Variant choice: (stable seed, rotation). Two periods one rotation apart pick different
    # variants of every sentence; None falls back to a hash of ``seed``.
    rotation: int | None = None
    stable_seed: str = ""

    def pick(self, variants: Sequence[str] | str, slot: str) -> str:
        if isinstance(variants, str):
            return variants
        if not variants:
            return ""
        if self.rotation is None:
            return _choose(variants, f"{self.seed}|{slot}")
        digest = hashlib.sha256(f"{self.stable_seed}|{slot}".encode()).digest()
        base = int.from_bytes(digest[:4], "big")
        return variants[(base + self.rotation) % len(variants)]

    def word(self, key: str) -> str:
        if key == "span":
            return self.span or self.period_words
        if key == "drive":
            return self.words.get("drive") or "学习教育"
        return self.words.get(key, "")


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
        # format_amount takes yuan; a figure kept in 万元 or 亿元 (as entered) is scaled first
        scale = {"元": 1, "万元": 10_000, "亿元": 100_000_000}[figure.unit]
        return format_amount(Decimal(str(value)) * scale)
    if isinstance(value, float | Decimal) and not float(value).is_integer():
        number = f"{Decimal(str(value)).quantize(Decimal('0.1'))}"
    else:
        number = str(int(value))
        if mode == "~":
            number, _ = approximate(int(value))
    return number if mode == "#" else f"{number}{figure.unit}"


def names_text(figure: FigureLike) -> str:
    names = [n for n in getattr(figure, "names", ()) if n]
    if not names:
        return ""
    # The template says "等" after the names when it wants to: never "等等". Quotes inside a
    # quoted name become single quotes (“开展‘我为群众办实事’主题党日”).
    return "".join(f"“{_inner_quotes(n)}”" for n in names[:NAMES_SHOWN])


def _inner_quotes(name: str) -> str:
    return name.replace("“", "‘").replace("”", "’")


def listed_text(figure: FigureLike, style: str) -> str:
    """``{list:KEY}``: the names joined with 、 unquoted (places, results stated as facts);
    ``{docs:KEY}``: as document titles in 《》."""
    names = [n for n in getattr(figure, "names", ()) if n]
    # More than fit: the first ones and 等, never a cut list that reads as complete (the figure's
    # evidence keeps them all).
    more = "等" if len(names) > LIST_SHOWN else ""
    if style == "docs":
        return "".join(f"《{n.strip('《》')}》" for n in names[:LIST_SHOWN]) + more
    return "、".join(names[:LIST_SHOWN]) + more


def fill_words(text: str, ctx: Context) -> str:
    """``text`` with the context's words put in (prompts and headings: no figures, only words)."""

    def put(match: re.Match[str]) -> str:
        key = match.group(2)
        if key == "org":
            return ctx.org_name
        if key == "period":
            return ctx.period_words
        if key == "year":
            return f"{ctx.year}年"
        if key == "end":
            return ctx.end_words
        if key == "congress":
            return ctx.congress
        if key == "span":
            # A prompt names its period in full ("2025年…"): what to look up is then unambiguous,
            # and two years' prompts are two years' questions.
            return ctx.period_words
        return ctx.word(key) if key in WORD_KEYS else match.group(0)

    return PLACEHOLDER.sub(put, text)


def render_sentence(
    template: str,
    ctx: Context,
    series: Mapping[str, Sequence[Sequence[str]]],
    *,
    allow_weak: bool = False,
) -> list[Run] | None:
    """The runs of one sentence, or None when every figure it names is zero or unknown, or a
    rate it names is below its threshold (unless ``allow_weak``: a problem states weak rates)."""
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
        elif key in WORD_KEYS:
            word = ctx.word(key)
            if not word:
                return None
            runs.append(Run(word))
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
        elif key.startswith(("names:", "list:", "docs:")):
            style, figure_key = key.split(":", 1)
            mentioned += 1
            figure = ctx.figures.get(figure_key)
            text = ""
            if figure is not None:
                text = names_text(figure) if style == "names" else listed_text(figure, style)
            if template.startswith("等", match.end()):
                text = text.removesuffix("等")  # the sentence says 等 itself ("…等文件")
            if not text:
                bare_zero = True
                continue
            nonzero += 1
            runs.append(Run(text, "figure", figure_key))
        else:
            mentioned += 1
            figure = ctx.figures.get(key)
            if is_zero(figure):
                bare_zero = True
                continue
            if not allow_weak and rules.is_weak(key, figure.value):  # type: ignore[union-attr]
                return None
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


def has_data_placeholder(text: str) -> bool:
    """Whether a sentence names a figure or a word that may be missing (not only org/period)."""
    for _mode, key in PLACEHOLDER.findall(text):
        # {drive} always has a word (学习教育 by default): it is wording, not data
        if key not in ("org", "period", "year", "end", "congress", "span", "next", "drive"):
            return True
    return False


@dataclass
class _Paragraph:
    runs: list[Run]
    covers: dict[str, str]


def compose(template: Mapping[str, Any], ctx: Context) -> Document:
    """The report draft for ``template`` filled with ``ctx``'s figures and inputs."""
    series = template.get("series", {})
    kinds = {k["code"]: k for k in template.get("kinds", [])}
    titles = template.get("title", "{org}{period}工作总结")
    title = ctx.pick(titles, "title")
    if _missing_word(title, ctx) and isinstance(titles, list):
        # "{org}{campaign}工作总结" without a campaign on record: a title that needs none.
        title = next((t for t in titles if not _missing_word(t, ctx)), title)
    document = Document(title=fill_words(title, ctx))

    if ctx.inputs.opening.strip():
        document.paragraph(ctx.inputs.opening.strip())
    else:
        # "openings": groups tried in order (one naming a campaign, then one that need not).
        opening = None
        for index, variants in enumerate(template.get("openings", [template.get("opening", [])])):
            opening = render_sentence(ctx.pick(variants, f"opening{index}"), ctx, series)
            if opening:
                break
        document.blocks.append(Block("paragraph", _merge(opening or [prompt("开头段")])))

    for part_index, part in enumerate(template.get("parts", []), start=1):
        heading = ctx.pick(part.get("heading", []), f"part{part_index}")
        document.heading(1, fill_words(heading, ctx), heading_number(1, part_index))
        source = part.get("source")
        if source in ("problems", "next_steps"):
            for paragraph in _listed_part(part, source, ctx, series, kinds):
                document.blocks.append(Block("paragraph", paragraph.runs, covers=paragraph.covers))
            continue
        # Parallel headings (模范机关 "坚持……，在……上走在前"): one pattern for the whole part.
        pattern = ctx.pick([str(i) for i in range(part.get("patterns", 0) or 1)], f"part{part_index}|pattern")
        section_index = 0
        for section_no, section in enumerate(part.get("sections", []), start=1):
            slot = f"p{part_index}s{section_no}"
            section_heading = (
                section["heading"][int(pattern) % len(section["heading"])]
                if part.get("patterns") and isinstance(section["heading"], list)
                else ctx.pick(section["heading"], slot)
            )
            if section.get("source") == "highlights":
                paragraphs = _highlights(section, ctx, kinds)
            else:
                paragraphs = _section_items(section, ctx, series, slot, kinds)
            if not paragraphs:
                continue
            section_index += 1
            document.heading(2, fill_words(section_heading, ctx), heading_number(2, section_index))
            for paragraph in paragraphs:
                document.blocks.append(Block("paragraph", paragraph.runs, covers=paragraph.covers))
    for variants in template.get("closing", []):
        rendered = render_sentence(ctx.pick(variants, "closing"), ctx, series)
        if rendered:
            document.blocks.append(Block("paragraph", rendered))
    for variants in template.get("signature", []):
        rendered = render_sentence(ctx.pick(variants, "signature"), ctx, series)
        document.blocks.append(Block("signature", rendered or [Run("述职人："), prompt("述职人姓名")]))
    return document


def _missing_word(text: str, ctx: Context) -> bool:
    return any(key in WORD_KEYS and not ctx.word(key) for _mode, key in PLACEHOLDER.findall(text))


def _kind_prompt(kinds: Mapping[str, Any], code: str, fallback: str, ctx: Context) -> str:
    text = kinds.get(code, {}).get("prompt") or fallback or kinds.get(code, {}).get("label", "本项工作情况")
    return fill_words(text, ctx)


def _number(paragraphs: list[_Paragraph]) -> list[_Paragraph]:
    """一是、二是 … before each item; a lone item is written without the ordinal."""
    if len(paragraphs) < 2:
        return paragraphs
    return [
        _Paragraph(_merge([Run(ordinal_item(i)), *p.runs]), p.covers)
        for i, p in enumerate(paragraphs, start=1)
    ]


def _section_items(
    section: Mapping[str, Any], ctx: Context, series: Any, slot: str, kinds: Mapping[str, Any]
) -> list[_Paragraph]:
    paragraphs: list[_Paragraph] = []
    for item_no, item in enumerate(section.get("items", []), start=1):
        item_kind = item.get("kind", "")
        runs: list[Run] = []
        covers: dict[str, str] = {}
        had_data = kept_data = False
        for sentence_no, spec in enumerate(item.get("sentences", []), start=1):
            sentence_kind, sentence_prompt = "", ""
            if isinstance(spec, dict):
                sentence_kind, sentence_prompt = spec.get("kind", ""), spec.get("prompt", "")
                variants = spec.get("text", [])
            else:
                variants = spec
            text = ctx.pick(variants, f"{slot}|i{item_no}|s{sentence_no}")
            data = has_data_placeholder(text)
            rendered = render_sentence(text, ctx, series)
            if sentence_kind:
                # A kind of its own: its prompt stays in place when its figures are missing.
                if rendered is None:
                    runs.append(prompt(_kind_prompt(kinds, sentence_kind, sentence_prompt, ctx)))
                    covers.setdefault(sentence_kind, "prompt")
                else:
                    runs.extend(rendered)
                    covers[sentence_kind] = "data" if data else "prompt"
                continue
            had_data = had_data or data
            if rendered is None:
                continue
            kept_data = kept_data or data
            runs.extend(rendered)
        if item_kind:
            if kept_data:
                covers[item_kind] = "data"
            elif kinds.get(item_kind, {}).get("words") and runs:
                covers[item_kind] = "data"  # a stance stated in words, which no record could hold
            else:
                runs.append(prompt(_kind_prompt(kinds, item_kind, item.get("prompt", ""), ctx)))
                covers.setdefault(item_kind, "prompt")
        elif had_data and not kept_data and not any(r.kind == "prompt" for r in runs):
            if item.get("optional"):
                continue
            runs.append(prompt(fill_words(item.get("prompt", "本项工作情况"), ctx)))
        if not runs:
            continue
        paragraphs.append(_Paragraph(_merge(runs), covers))
    if not paragraphs and section.get("prompt"):
        paragraphs.append(_Paragraph([prompt(fill_words(section["prompt"], ctx))], {}))
    return _number(paragraphs)


def _highlights(section: Mapping[str, Any], ctx: Context, kinds: Mapping[str, Any]) -> list[_Paragraph]:
    kind = section.get("kind", "")
    if not ctx.inputs.highlights:
        if not kind:
            return []
        return [
            _Paragraph([prompt(_kind_prompt(kinds, kind, section.get("prompt", ""), ctx))], {kind: "prompt"})
        ]
    paragraphs = []
    for item_title, text, key in ctx.inputs.highlights:
        # "主题党日：深入社区开展政策宣讲" → the topic itself; the text says what was done.
        runs = [Run(f"{re.sub(r'^[^：]{2,6}：', '', item_title)}。")]
        runs.append(Run(text, "figure", key) if key else Run(text))
        paragraphs.append(_Paragraph(_merge(runs), {kind: "data"} if kind else {}))
    return _number(paragraphs)


def _listed_part(
    part: Mapping[str, Any], source: str, ctx: Context, series: Any, kinds: Mapping[str, Any]
) -> list[_Paragraph]:
    """存在的问题 / 下一步: the officer's own lines when given; else drafted from the ledger
    (rules.PROBLEMS / rules.NEXT_STEPS and the genre's commitments), with prompts for what only
    the officer can judge."""
    kind = part.get("kind", source)
    entries = ctx.inputs.problems if source == "problems" else ctx.inputs.next_steps
    if entries:
        return [
            _Paragraph([Run(f"{ordinal_item(i)}{_strip_ordinal(entry)}")], {kind: "data"})
            for i, entry in enumerate(entries, start=1)
        ]
    drafted: list[list[Run]] = []
    fired: set[str] = set()
    chosen = part.get("rules")
    pool = rules.PROBLEMS if source == "problems" else rules.NEXT_STEPS
    for rule in pool:
        if chosen is not None and rule.code not in chosen:
            continue
        figure = ctx.figures.get(rule.key)
        if figure is None or not rules.fires(rule, figure.value):
            continue
        rendered = render_sentence(
            ctx.pick(list(rule.text), f"{source}|{rule.code}"), ctx, series, allow_weak=True
        )
        if rendered:
            drafted.append(rendered)
            fired.add(rule.code)
        if len(drafted) >= part.get("max", 4):
            break
    for index, spec in enumerate(part.get("items", [])):
        if len(drafted) >= part.get("max", 5) + 1:
            break
        # {"text": […], "unless": [rule codes]}: a standing commitment a fired rule already makes.
        variants = spec.get("text", []) if isinstance(spec, dict) else spec
        if isinstance(spec, dict) and fired & set(spec.get("unless", [])):
            continue
        rendered = render_sentence(ctx.pick(variants, f"{source}|own{index}"), ctx, series)
        if rendered:
            drafted.append(rendered)
    paragraphs = [_Paragraph(runs, {kind: "data"}) for runs in drafted]
    least = part.get("least", 2)
    if len(paragraphs) < least:
        paragraphs.append(
            _Paragraph([prompt(fill_words(part.get("prompt", "本部分内容"), ctx))], {kind: "prompt"})
        )
    numbered = _number(paragraphs)
    if part.get("causes"):
        # Causes are a judgement: the draft asks for them rather than inventing them.
        numbered.append(
            _Paragraph([Run("究其原因，"), prompt(fill_words(part["causes"], ctx))], {"causes": "prompt"})
        )
    return numbered


def _strip_ordinal(text: str) -> str:
    return re.sub(
        r"^\s*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|\d+[.、．])\s*", "", text.strip()
    )
