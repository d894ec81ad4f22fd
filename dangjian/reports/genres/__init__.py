"""The built-in report genres as JSON data (loaded into ``Genre`` rows by a data migration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

GENRE_DIR = Path(__file__).parent
BUILTIN_CODES = [
    "work_summary",
    "accountability_report",
    "study_campaign_summary",
    "model_organ_briefing",
    "integrity_report",
]


def load_builtin(code: str) -> dict[str, Any]:
    return json.loads((GENRE_DIR / f"{code}.json").read_text(encoding="utf-8"))


def all_builtin() -> list[dict[str, Any]]:
    return [load_builtin(code) for code in BUILTIN_CODES]
