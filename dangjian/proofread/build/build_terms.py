"""Mine current official vocabulary and sibling wordings from the development corpus.

Writes data/mined_terms.txt and data/formulation_siblings.tsv.

    .venv/bin/python -m dangjian.proofread.build.build_terms

jieba's dictionary dates from about 2012 and lacks the policy terms and set expressions of recent
years (赋能, 多措并举, 新质生产力 …); without them a correct new word looks like a slip of a
common old one.  This script finds them the usual unsupervised way, from the development part of
var/proofread-corpus (its dev-train part, reports and news only: the statutes add little new
vocabulary; dev-eval and held-out documents are never read):

* a 2–6 character run of Chinese characters seen at least MIN_COUNT times in at least MIN_DOCS
  documents,
* cohesive: at every split point the string is much more frequent than its halves would be by
  chance (pointwise mutual information ≥ MIN_PMI),
* free: varied left and right neighbours (boundary entropy ≥ MIN_ENTROPY on both sides),
* not already a jieba word, and not a longer string that only extends a mined term by a
  function character.

Sibling wordings: the formulation layer is run (without siblings) over every dev-train document,
laws included; a flagged wording that published texts use at least MIN_SIBLING times in at least
two documents is correct in their usage (党风廉政建设和反腐败工作 beside …斗争) and is accepted.

Each line of mined_terms.txt is "term<TAB>frequency", the frequency put on jieba's scale (SCALE × the count) so the
lexicon can score it like any other word.  The file is data derived from the corpus (words and
counts, no sentences).
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter, defaultdict

from dangjian.proofread.build import dev_train
from dangjian.proofread.lexicon import DATA, _jieba_dict

MIN_COUNT = 6
MIN_DOCS = 3
MIN_PMI = 3.0
MIN_ENTROPY = 1.0
SCALE = 4
MIN_SIBLING = 2
_RUN = re.compile(r"[\u4e00-\u9fff]+")
_FUNCTION = set("的了和与及是在对把被将从向以于为之其这那个们也都就又还而且但并或等")


def _entropy(c: Counter) -> float:
    total = sum(c.values())
    return -sum(n / total * math.log(n / total) for n in c.values())


def _count(runs: list[tuple[str, str]]) -> dict[int, Counter[str]]:
    """Counts of every 1–6 character string seen ≥ MIN_COUNT times, order by order.

    A string is counted only when both of its one-shorter parts were frequent (Apriori pruning):
    a frequent string has frequent parts, so nothing that matters is lost, and the counters stay
    a few million entries instead of the tens of millions that 13 M characters of news produce.
    """
    counts: dict[int, Counter[str]] = {1: Counter()}
    for _doc, run in runs:
        counts[1].update(run)
    for k in range(2, 7):
        prev = {g for g, n in counts[k - 1].items() if n >= MIN_COUNT}
        ck: Counter[str] = Counter()
        for _doc, run in runs:
            for i in range(len(run) - k + 1):
                g = run[i : i + k]
                if g[:-1] in prev and g[1:] in prev:
                    ck[g] += 1
        counts[k] = ck
    return counts


def main() -> None:
    t = time.perf_counter()
    runs: list[tuple[str, str]] = []
    for d, text in dev_train(laws=False):
        runs += [(d["id"], m.group()) for m in _RUN.finditer(text)]
    chars = sum(len(r) for _d, r in runs)
    by_order = _count(runs)
    counts: Counter[str] = Counter()
    for ck in by_order.values():
        counts.update(ck)
    total = sum(by_order[1].values())
    jieba = set()
    with _jieba_dict().open(encoding="utf-8") as fh:
        for line in fh:
            jieba.add(line.split(" ", 1)[0])
    cands: dict[str, int] = {}
    for g, n in counts.items():
        if len(g) < 2 or n < MIN_COUNT or g in jieba:
            continue
        if g[0] in _FUNCTION or g[-1] in _FUNCTION:
            continue
        pmi = min(math.log(n * total / (counts[g[:i]] * counts[g[i:]])) for i in range(1, len(g)))
        if pmi >= MIN_PMI:
            cands[g] = n
    # documents and neighbours, for the candidates only (a second pass)
    docs: defaultdict[str, set[str]] = defaultdict(set)
    left: defaultdict[str, Counter] = defaultdict(Counter)
    right: defaultdict[str, Counter] = defaultdict(Counter)
    for doc, run in runs:
        padded = "^" + run + "$"
        for k in range(2, 7):
            for i in range(1, len(padded) - k):
                g = padded[i : i + k]
                if g in cands:
                    docs[g].add(doc)
                    left[g][padded[i - 1]] += 1
                    right[g][padded[i + k]] += 1
    terms: dict[str, int] = {}
    for g, n in cands.items():
        if len(docs[g]) < MIN_DOCS:
            continue
        if _entropy(left[g]) < MIN_ENTROPY or _entropy(right[g]) < MIN_ENTROPY:
            continue
        terms[g] = n
    lines = [
        "# Current official vocabulary mined from the development corpus (reports and news);\n",
        "# built by dangjian/proofread/build/build_terms.py — do not edit by hand.\n",
        f"# {chars:,} characters; term<TAB>frequency on jieba's scale ({SCALE} × count)\n",
    ]
    lines += [f"{g}\t{n * SCALE}\n" for g, n in sorted(terms.items(), key=lambda x: (-x[1], x[0]))]
    (DATA / "mined_terms.txt").write_text("".join(lines), "utf-8")
    print(f"{len(terms):,} terms from {chars:,} characters in {time.perf_counter() - t:.0f} s")
    siblings()


def siblings() -> None:
    from dangjian.proofread import formulation

    path = DATA / "formulation_siblings.tsv"
    header = [
        "# Wordings close to a formulation of formulations.tsv that official texts use correctly\n",
        "# (sibling wordings), with how often the development corpus has them and in how many\n",
        "# documents. Built by dangjian/proofread/build/build_terms.py - do not edit by hand.\n",
    ]
    path.write_text("".join(header), "utf-8")
    formulation._index.cache_clear()
    seen: Counter[str] = Counter()
    where: defaultdict[str, set[str]] = defaultdict(set)
    for d, text in dev_train():
        for r in (*formulation._tolerant(text), *formulation._dropped(text)):
            found = text[r[0] : r[1]]
            seen[found] += 1
            where[found].add(d["id"])
    rows = [
        f"{w}\t{n}\t{len(where[w])}\n"
        for w, n in seen.most_common()
        if n >= MIN_SIBLING and len(where[w]) >= 2
    ]
    path.write_text("".join(header + rows), "utf-8")
    formulation._index.cache_clear()
    print(f"{len(rows)} sibling wordings")


if __name__ == "__main__":
    main()
