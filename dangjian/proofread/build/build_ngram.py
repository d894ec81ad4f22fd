"""Build data/ngram.tsv.xz, the character trigram counts of the typo layer's language model.

    .venv/bin/python bench/proofread_corpus/build.py          # the corpus, from public mirrors
    .venv/bin/python -m dangjian.proofread.build.build_ngram  # then the counts

Reads the training part of the development corpus (dev-train; dev-eval is kept for tuning the
thresholds and held-out is never read) of var/proofread-corpus/,
counts characters, bigrams and trigrams of the normalised text (lm.normalise; each line is a
sentence run between boundary marks), adds the inner n-grams of every word of jieba's dictionary
(frequency ≥ MIN_WORD_FREQ), of data/domain_words.txt and data/mined_terms.txt once each, and writes, per order, the counts and the type counts that
interpolated Kneser–Ney smoothing needs.  Government reports and news count WEIGHT times a law's
text, so that the 20 M characters of statutes do not drown the report genre.  Trigrams seen once
(weighted count < 2) are pruned; characters and bigrams are kept whole.

File format (UTF-8, tab-separated, xz-compressed):
    1  c    count  N1+(•c)  N1+(c•)  N1+(•c•)
    2  ab   count  N1+(•ab) N1+(ab•)
    3  abc  count
"""

from __future__ import annotations

import lzma
import sys
import time
from collections import Counter

from dangjian.proofread.build import dev_train
from dangjian.proofread.lm import BOS, EOS, MODEL, normalise

WEIGHT = {"laws": 1, "reports": 3, "news": 3, "cctv": 1}
MIN_TRIGRAM = 2
# jieba words at least this frequent lend their inner n-grams to the model
MIN_WORD_FREQ = 5


def _lexicon_words() -> list[str]:
    from dangjian.proofread.lexicon import _jieba_dict, _mined_terms, _read_lines, misspellings

    wrong = misspellings()
    out = []
    with _jieba_dict().open(encoding="utf-8") as fh:
        for line in fh:
            w, f, *_ = line.split(" ")
            if (
                len(w) >= 2
                and int(f) >= MIN_WORD_FREQ
                and w not in wrong
                and all("\u4e00" <= c <= "\u9fff" for c in w)
            ):
                out.append(w)
    out += [w for line in _read_lines("domain_words.txt") for w in line.split()]
    out += list(_mined_terms())
    return out


def main() -> None:
    t = time.perf_counter()
    c1: Counter[str] = Counter()
    c2: Counter[str] = Counter()
    c3: Counter[str] = Counter()
    chars = 0
    for d, text in dev_train():
        w = WEIGHT[d["genre"]]
        g1: Counter[str] = Counter()
        g2: Counter[str] = Counter()
        g3: Counter[str] = Counter()
        for line in text.split("\n"):
            if not line.strip():
                continue
            s = BOS + BOS + normalise(line) + EOS
            chars += len(line)
            g1.update(s[2:])
            g2.update(s[i : i + 2] for i in range(1, len(s) - 1))
            g3.update(s[i : i + 3] for i in range(len(s) - 2))
        for src, dst in ((g1, c1), (g2, c2), (g3, c3)):
            if w != 1:
                for k in src:
                    src[k] *= w
            dst.update(src)
    # jieba's word list (and the project's report vocabulary): every word once, its inner n-grams
    # only, so that rare but correct words of other genres (忘不了, 前仆后继) are not unseen
    words = 0
    for w in _lexicon_words():
        words += 1
        c1.update(w)
        c2.update(w[i : i + 2] for i in range(len(w) - 1))
        c3.update(w[i : i + 3] for i in range(len(w) - 2))
    left1: Counter[str] = Counter()
    follow1: Counter[str] = Counter()
    for ab in c2:
        left1[ab[1]] += 1
        follow1[ab[0]] += 1
    mid1: Counter[str] = Counter()
    left2: Counter[str] = Counter()
    follow2: Counter[str] = Counter()
    for abc in c3:
        mid1[abc[1]] += 1
        left2[abc[1:]] += 1
        follow2[abc[:2]] += 1
    lines = [f"# character trigram counts of {chars:,} characters of dev text; see build_ngram.py\n"]
    for c, n in sorted(c1.items()):
        lines.append(f"1\t{c}\t{n}\t{left1[c]}\t{follow1[c]}\t{mid1[c]}\n")
    for ab, n in sorted(c2.items()):
        lines.append(f"2\t{ab}\t{n}\t{left2[ab]}\t{follow2[ab]}\n")
    kept = 0
    for abc, n in sorted(c3.items()):
        if n >= MIN_TRIGRAM:
            lines.append(f"3\t{abc}\t{n}\n")
            kept += 1
    with lzma.open(MODEL, "wt", encoding="utf-8", newline="\n", preset=9) as fh:
        fh.writelines(lines)
    print(
        f"{chars:,} chars: {len(c1):,} characters, {len(c2):,} bigrams, {kept:,} of {len(c3):,} trigrams; "
        f"{MODEL.stat().st_size / 1048576:.1f} MB; {time.perf_counter() - t:.0f} s",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
