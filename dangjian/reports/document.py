"""The document tree a report is composed into, before any renderer sees it.

A ``Document`` is a title plus a flat list of blocks (headings with a level, paragraphs made of
runs). A run is plain text, a figure (text that stands for a computed value and keeps the key
of the figure behind it, so the preview can link it to its records), or a prompt (【待补充：…】)
where the ledger cannot know what to write. Renderers (HTML, .docx, text, JSON) only walk
this tree; they never compute anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RunKind = Literal["text", "figure", "prompt"]


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph: plain text, a figure's text, or a visible prompt to fill in."""

    text: str
    kind: RunKind = "text"
    figure: str | None = None  # the figure key for kind == "figure"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"text": self.text, "kind": self.kind}
        if self.figure:
            data["figure"] = self.figure
        return data


@dataclass
class Block:
    """A heading (level 1–4, numbered 一、（一）1.（1）) or a paragraph of runs."""

    type: Literal["heading", "paragraph", "signature", "date"]
    runs: list[Run] = field(default_factory=list)
    level: int = 0
    number: str = ""  # "一、", "（一）", "1.", "（1）" for headings; set by the composer
    # The genre's content kinds this paragraph covers: {kind code: "data" | "prompt"} (the
    # coverage check reads it; renderers may ignore it).
    covers: dict[str, str] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return "".join(run.text for run in self.runs)

    @property
    def full_text(self) -> str:
        return f"{self.number}{self.text}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "type": self.type,
            "text": self.full_text,
            "runs": [r.to_json() for r in self.runs],
        }
        if self.type == "heading":
            data["level"] = self.level
            data["number"] = self.number
        if self.covers:
            data["covers"] = dict(self.covers)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Block:
        runs = [Run(r["text"], r.get("kind", "text"), r.get("figure")) for r in data.get("runs", [])]
        if not runs and data.get("text"):
            runs = [Run(data["text"])]
        return cls(
            type=data["type"],
            runs=runs,
            level=data.get("level", 0),
            number=data.get("number", ""),
            covers=dict(data.get("covers") or {}),
        )


@dataclass(frozen=True)
class PromptPlace:
    """A prompt left in a draft: the block it is in and the heading(s) above it."""

    block: int
    where: str
    text: str


@dataclass
class Document:
    """A report draft: its title and blocks, in reading order."""

    title: str
    blocks: list[Block] = field(default_factory=list)

    def heading(self, level: int, text: str, number: str = "") -> Block:
        block = Block("heading", [Run(text)], level=level, number=number)
        self.blocks.append(block)
        return block

    def paragraph(self, *runs: Run | str) -> Block:
        block = Block("paragraph", [Run(r) if isinstance(r, str) else r for r in runs])
        self.blocks.append(block)
        return block

    def plain_text(self) -> str:
        lines = [self.title, ""]
        lines.extend(block.full_text for block in self.blocks)
        return "\n".join(lines) + "\n"

    def figure_keys(self) -> list[str]:
        return [run.figure for block in self.blocks for run in block.runs if run.figure]

    def prompts(self) -> list[str]:
        return [run.text for block in self.blocks for run in block.runs if run.kind == "prompt"]

    def prompt_places(self) -> list[PromptPlace]:
        """Every prompt still to fill in, with the heading it stands under (for export warnings)."""
        places: list[PromptPlace] = []
        headings: dict[int, str] = {}
        for index, block in enumerate(self.blocks):
            if block.type == "heading":
                headings = {lvl: text for lvl, text in headings.items() if lvl < block.level}
                headings[block.level] = block.full_text
            for run in block.runs:
                if run.kind == "prompt":
                    where = " › ".join(headings[lvl] for lvl in sorted(headings)) or "开头部分"
                    places.append(PromptPlace(index, where, run.text))
        return places

    def signed_text(self, signers: list[str], date_text: str) -> str:
        """The plain text with the 落款 (signer lines, 成文日期) after a blank line, as exported."""
        own = [block.text for block in self.blocks if block.type == "signature"]
        closing = [line for line in (own or signers) if line]
        if date_text:
            closing.append(date_text)
        if not closing:
            return self.plain_text()
        body = [b.full_text for b in self.blocks if b.type not in ("signature", "date")]
        return "\n".join([self.title, "", *body, "", *closing]) + "\n"

    def coverage(self) -> dict[str, str]:
        """Each content kind the draft covers: "data" when any paragraph covers it from records,
        else "prompt"."""
        found: dict[str, str] = {}
        for block in self.blocks:
            for code, how in block.covers.items():
                if found.get(code) != "data":
                    found[code] = how
        return found

    def to_json(self) -> dict[str, Any]:
        return {"title": self.title, "blocks": [b.to_json() for b in self.blocks]}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Document:
        return cls(title=data["title"], blocks=[Block.from_json(b) for b in data.get("blocks", [])])
