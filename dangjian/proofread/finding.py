"""The Finding record shared by every detector."""

from __future__ import annotations

from dataclasses import asdict, dataclass

KINDS = (
    "placeholder",
    "formulation",
    "typo",
    "numbering",
    "punctuation",
    "foreign-content",
    "date",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in a text: text == content[start:end]; line is 1-based."""

    start: int
    end: int
    line: int
    kind: str
    text: str
    suggestion: str | None
    message: str

    def to_dict(self) -> dict:
        return asdict(self)
