"""False alarms of the proofreader on real published prose, judged by hand.

    .venv/bin/python bench/proofread_corpus/evaluate.py --split heldout            # figures
    .venv/bin/python bench/proofread_corpus/evaluate.py --split heldout --pending  # to judge
    .venv/bin/python bench/proofread_corpus/evaluate.py --split heldout --engine /tmp/old  # an older
        checkout (git worktree add /tmp/old a9be1a9: the proofreader before issue 12)

Every finding on the split's documents (var/proofread-corpus, built by build.py) is looked up in
verdicts.tsv, where a person recorded whether it is

* right      a real problem of the published text (its own slips, page residue, half-width
             punctuation …);
* wrong      a false alarm: the text is correct as written;
* debatable  reasonable people differ (a variant form, a style choice).

A finding is identified by (document id, start offset, kind, flagged text), so the verdicts stay
valid while the engine changes elsewhere.  Findings without a verdict are listed with --pending
and counted as "unjudged"; the figures are only final when there are none.  --severity lets the
style level be judged too (by default only errors count, as the web page and CLI show them).
"""

from __future__ import annotations

import argparse
import csv
import datetime
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# --engine DIR runs another checkout's proofreader (e.g. the one before issue 12) on the same texts
_ENGINE = sys.argv[sys.argv.index("--engine") + 1] if "--engine" in sys.argv else str(ROOT)
sys.path.insert(0, _ENGINE)
sys.path.insert(0, str(Path(__file__).parent))

from splits import EVALUATED  # noqa: E402

CORPUS = ROOT / "var" / "proofread-corpus"
VERDICTS = Path(__file__).with_name("verdicts.tsv")
FIELDS = ["doc", "start", "kind", "text", "suggestion", "verdict", "note"]


def load_verdicts() -> dict[tuple[str, int, str, str], dict]:
    if not VERDICTS.exists():
        return {}
    out = {}
    with VERDICTS.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader((line for line in fh if not line.startswith("#")), delimiter="\t"):
            out[(row["doc"], int(row["start"]), row["kind"], row["text"])] = row
    return out


def findings(split: str, engine: str = "current"):
    if "--peer" in sys.argv:
        from peer import check
    else:
        from dangjian.proofread import check

    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))["docs"]
    for d in manifest:
        if d["split"] != split:
            continue
        text = (CORPUS / "docs" / f"{d['id']}.txt").read_text("utf-8")
        yield d, text, check(text)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--split",
        default="heldout",
        choices=EVALUATED,
    )
    ap.add_argument("--pending", action="store_true", help="print unjudged findings as TSV rows")
    ap.add_argument("--severity", default="error", choices=("error", "all"))
    ap.add_argument("--engine", help="checkout whose dangjian.proofread to run (default: this one)")
    ap.add_argument("--peer", action="store_true", help="score the peer (peer.py: pycorrector, offline mode)")
    args = ap.parse_args()
    verdicts = load_verdicts()
    chars = 0
    by = Counter()
    kinds = Counter()
    pending = []
    t = time.process_time()
    for d, text, fs in findings(args.split):
        chars += len(text)
        for f in fs:
            if args.severity == "error" and getattr(f, "severity", "error") != "error":
                continue
            key = (d["id"], f.start, f.kind, f.text)
            v = verdicts.get(key)
            verdict = v["verdict"] if v else "unjudged"
            by[verdict] += 1
            kinds[(f.kind, verdict)] += 1
            if not v:
                ctx = text[max(0, f.start - 15) : f.end + 15].replace("\n", "⏎").replace("\t", " ")
                pending.append([d["id"], f.start, f.kind, f.text, f.suggestion or "", "", ctx])
    cpu = time.process_time() - t
    if args.pending:
        w = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
        for row in pending:
            w.writerow(row)
        return
    per = lambda n: n / chars * 10000  # noqa: E731
    print(
        f"{args.split}: {chars:,} characters, {sum(by.values())} findings ({args.severity}); {cpu:.1f} s CPU"
    )
    for verdict in ("right", "wrong", "debatable", "unjudged"):
        print(f"  {verdict:<10}{by[verdict]:>5}  {per(by[verdict]):6.2f} per 10,000 characters")
    for (kind, verdict), n in sorted(kinds.items()):
        print(f"    {kind:<16}{verdict:<10}{n:>5}")
    print(f"date: {datetime.date.today()}")


if __name__ == "__main__":
    main()
