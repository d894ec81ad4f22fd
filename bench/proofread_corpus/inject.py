"""Seeded slips injected into real published paragraphs, to measure the typo layer's recall.

    .venv/bin/python bench/proofread_corpus/inject.py --split dev-eval   # tuning
    .venv/bin/python bench/proofread_corpus/inject.py --split heldout    # the reported figure

Each slip goes into its own copy of one paragraph of the split (var/proofread-corpus), so slips
never interact.  A slip counts as found when a new typo or formulation finding (one the clean
paragraph did not already have) overlaps it.  Kinds, 100 of each per split with seed 12:

* homophone     a character of a word replaced by a common character of the same reading,
                giving a non-word (贯彻 → 贯切)
* realword      a two-character word replaced by another common word of the same reading
                (权利 → 权力, 必须 → 必需)
* shape         a character of a word replaced by a near-shape character (pycorrector's
                same_stroke groups)
* dropped       an inner character dropped from a word of four or more characters
* doubled       a content character typed twice
* particle      的/地/得 confused (地 → 的, 得 → 的, 的 → 得)

Words come from jieba's segmentation (used here only); "common" is jieba's frequency ≥ 100.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# --engine DIR measures another checkout's proofreader on the same slips (see evaluate.py)
sys.path.insert(0, sys.argv[sys.argv.index("--engine") + 1] if "--engine" in sys.argv else str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from splits import EVALUATED  # noqa: E402

CORPUS = ROOT / "var" / "proofread-corpus"
KINDS = ("homophone", "realword", "shape", "dropped", "doubled", "particle")
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def paragraphs(split: str) -> list[str]:
    manifest = json.loads((CORPUS / "manifest.json").read_text("utf-8"))["docs"]
    out = []
    for d in manifest:
        if d["split"] != split:
            continue
        for line in (CORPUS / "docs" / f"{d['id']}.txt").read_text("utf-8").split("\n"):
            if 30 <= len(line) <= 400 and line.count("，") >= 1:
                out.append(line)
    return out


def resources():
    import jieba
    from pypinyin import Style, lazy_pinyin

    jieba.setLogLevel(60)
    freq: dict[str, int] = {}
    dict_path = Path(jieba.__file__).with_name("dict.txt")
    for line in dict_path.read_text("utf-8").splitlines():
        w, f, *_ = line.split(" ")
        freq[w] = int(f)
    charfreq: Counter[str] = Counter()
    for w, f in freq.items():
        for ch in w:
            charfreq[ch] += f
    common = [ch for ch, _ in charfreq.most_common(3500) if _CJK.match(ch)]
    by_py: dict[str, list[str]] = {}
    for ch in common:
        by_py.setdefault(lazy_pinyin(ch, style=Style.NORMAL)[0], []).append(ch)
    shapes: dict[str, list[str]] = {}
    data = ROOT / "dangjian" / "proofread" / "data" / "same_stroke.txt"
    for line in data.read_text("utf-8").splitlines():
        if line.startswith("#"):
            continue
        group = [c for c in line.split("\t") if len(c) == 1 and c in set(common)]
        for c in group:
            shapes.setdefault(c, []).extend(x for x in group if x != c)
    return jieba, freq, by_py, shapes, lambda ch: lazy_pinyin(ch, style=Style.NORMAL)[0]


def make_slip(kind, para, rng, res):
    jieba, freq, by_py, shapes, py = res
    words = []
    pos = 0
    for w in jieba.lcut(para, HMM=False):
        words.append((pos, w))
        pos += len(w)
    rng.shuffle(words)
    if kind == "particle":
        spots = [m.start() for m in re.finditer(r"(?<=[\u4e00-\u9fff])[的地得](?=[\u4e00-\u9fff])", para)]
        rng.shuffle(spots)
        for i in spots:
            ch = para[i]
            if ch == "的":
                new = rng.choice("地得")
            else:
                new = "的"
            return i, i + 1, new
        return None
    for s, w in words:
        if not _CJK.match(w) or freq.get(w, 0) < 100:
            continue
        if kind in ("homophone", "shape"):
            if len(w) < 2:
                continue
            i = rng.randrange(len(w))
            ch = w[i]
            pool = [
                c for c in (by_py.get(py(ch), []) if kind == "homophone" else shapes.get(ch, [])) if c != ch
            ]
            rng.shuffle(pool)
            for c in pool:
                v = w[:i] + c + w[i + 1 :]
                if v not in freq:
                    return s + i, s + i + 1, c
        elif kind == "realword":
            if len(w) != 2:
                continue
            i = rng.randrange(2)
            pool = [c for c in by_py.get(py(w[i]), []) if c != w[i]]
            rng.shuffle(pool)
            for c in pool:
                v = w[:i] + c + w[i + 1 :]
                if freq.get(v, 0) >= 100:
                    return s + i, s + i + 1, c
        elif kind == "dropped":
            if len(w) < 4:
                continue
            i = rng.randrange(1, len(w) - 1)
            return s + i, s + i + 1, ""
        elif kind == "doubled":
            if len(w) < 2:
                continue
            i = rng.randrange(len(w))
            return s + i, s + i + 1, w[i] * 2
    return None


def run(split: str, n: int, seed: int, show: bool) -> dict[str, tuple[int, int]]:
    if "--peer" in sys.argv:
        from peer import check
    else:
        from dangjian.proofread import check

    res = resources()
    paras = paragraphs(split)
    rng = random.Random(seed)
    result = {}
    for kind in KINDS:
        found = total = 0
        tries = 0
        while total < n and tries < n * 20:
            tries += 1
            para = rng.choice(paras)
            slip = make_slip(kind, para, rng, res)
            if slip is None:
                continue
            s, e, new = slip
            text = para[:s] + new + para[e:]
            # the span of the slip in the new text (a dropped character: the two around it)
            ss, ee = (s - 1, s + 1) if new == "" else (s, s + len(new))
            before = {(f.kind, f.text) for f in check(para)}
            fs = [
                f
                for f in check(text)
                if f.kind in ("typo", "formulation")
                and (f.kind, f.text) not in before
                and f.start < ee
                and ss < f.end
            ]
            total += 1
            found += bool(fs)
            if show and not fs:
                print(f"MISS {kind:<10} {para[max(0, s - 8) : e + 8]!r} → {text[max(0, ss - 8) : ee + 8]!r}")
        result[kind] = (found, total)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--split",
        default="dev-eval",
        choices=EVALUATED,
    )
    ap.add_argument("-n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--misses", action="store_true")
    ap.add_argument("--engine", help="checkout whose dangjian.proofread to run (default: this one)")
    ap.add_argument("--peer", action="store_true", help="score the peer (peer.py: pycorrector, offline mode)")
    args = ap.parse_args()
    r = run(args.split, args.n, args.seed, args.misses)
    found = sum(f for f, _ in r.values())
    total = sum(t for _, t in r.values())
    for kind, (f, t) in r.items():
        print(f"{kind:<10}{f:>4}/{t:<4}{f / t:>7.0%}")
    print(f"{'all':<10}{found:>4}/{total:<4}{found / total:>7.0%}")


if __name__ == "__main__":
    main()
