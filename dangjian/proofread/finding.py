"""The Finding record shared by every detector."""

from __future__ import annotations

from dataclasses import asdict, dataclass

SEVERITIES = ("error", "style")
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
    """One problem in a text: text == content[start:end]; line is 1-based.

    severity is "error" (a mistake) or "style" (house style that authoritative texts do not all
    follow, e.g. no 、 between quoted items; reported only on request and shown apart).
    """

    start: int
    end: int
    line: int
    kind: str
    text: str
    suggestion: str | None
    message: str
    severity: str = "error"

    def to_dict(self) -> dict:
        return asdict(self)
