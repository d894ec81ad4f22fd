"""Build scripts of the proofreader's data, run by hand from the development corpus."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[3] / "var" / "proofread-corpus"


def dev_train(*, laws: bool = True) -> Iterator[tuple[dict, str]]:
    """(manifest row, text) of each dev-train document of var/proofread-corpus (built by
    bench/proofread_corpus/build.py); ``laws=False`` leaves out the statutes, which name no one
    and add little new vocabulary. The held-out parts are never read here."""
    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))["docs"]
    for d in manifest:
        if d["split"] == "dev-train" and (laws or d["genre"] != "laws"):
            yield d, (CORPUS / "docs" / f"{d['id']}.txt").read_text("utf-8")
