"""Dump every finding of the proofreader over the labelled/clean corpus and the judged parts of
the real-text corpus, and print its SHA-256: a speed change must leave this hash unchanged.

    .venv/bin/python bench/proofread_findings_dump.py [OUT] [--style]
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPUS = ROOT / "dangjian" / "proofread" / "tests" / "corpus"
# every judged part of the real-text corpus (dev-train, 32 M characters, is too big for the loop)
SKIP_SPLITS = ("dev-train",)


def documents() -> list[tuple[str, str]]:
    docs = [(f"clean/{p.name}", p.read_text("utf-8")) for p in sorted((CORPUS / "clean").glob("*.txt"))]
    labelled = json.loads((CORPUS / "labelled.json").read_text("utf-8"))["documents"]
    docs += [(f"labelled/{d['id']}", d["text"]) for d in labelled]
    # the same texts joined and repeated past typo.CHUNK and patterns.AHO_BLOCK, as the speed
    # bench checks them: one long document takes the block-wise paths
    joined = "\n".join([t for _, t in docs[: len(docs) - len(labelled)]] + [d["text"] for d in labelled])
    docs.append(("joined", (joined + "\n") * 12))
    real = ROOT / "var" / "proofread-corpus"
    manifest = json.loads((real / "manifest.json").read_text("utf-8"))
    docs += [
        (f"{d['split']}/{d['id']}", (real / "docs" / f"{d['id']}.txt").read_text("utf-8"))
        for d in manifest["docs"]
        if d["split"] not in SKIP_SPLITS
    ]
    return docs


def main() -> None:
    from dangjian.proofread import check

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    style = "--style" in sys.argv
    out = Path(args[0]) if args else Path("/tmp/proofread_findings.tsv")
    lines = []
    t = time.process_time()
    chars = 0
    for name, text in documents():
        chars += len(text)
        for f in check(text, style=style):
            lines.append(
                "\t".join(
                    map(
                        repr,
                        (name, f.kind, f.start, f.end, f.line, f.text, f.suggestion, f.severity, f.message),
                    )
                )
            )
    dt = time.process_time() - t
    data = ("\n".join(lines) + "\n").encode("utf-8")
    out.write_bytes(data)
    print(
        f"{len(lines)} findings over {chars:,} chars in {dt:.1f} s CPU; sha256 {hashlib.sha256(data).hexdigest()}"
    )


if __name__ == "__main__":
    main()
