"""Real typos of published government pages (real_typos.tsv, with sources): how many are found.

    .venv/bin/python bench/proofread_corpus/real_typos.py [--engine DIR | --peer] [--file real_typos_r4.tsv]

real_typos.tsv was tuned on in rounds 3 and 4; real_typos_r4.tsv was collected after round 4's
typo work, as a small held-out set.

A typo counts as found when a typo or formulation finding overlaps the wrong form.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, sys.argv[sys.argv.index("--engine") + 1] if "--engine" in sys.argv else str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))


def main() -> None:
    if "--peer" in sys.argv:
        from peer import check
    else:
        from dangjian.proofread import check
    name = sys.argv[sys.argv.index("--file") + 1] if "--file" in sys.argv else "real_typos.tsv"
    rows = [
        line.split("\t")
        for line in Path(__file__).with_name(name).read_text("utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    found = 0
    for wrong, right, sentence, _source in rows:
        s = sentence.index(wrong)
        e = s + len(wrong)
        hits = [f for f in check(sentence) if f.kind in ("typo", "formulation") and f.start < e and s < f.end]
        found += bool(hits)
        print(
            f"{'found' if hits else 'MISSED':<7}{wrong} → {right}  {[(f.text, f.suggestion) for f in hits]}"
        )
    print(f"{found} of {len(rows)} real typos found")


if __name__ == "__main__":
    main()
