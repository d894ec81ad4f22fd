"""Seeded placeholders, numbering slips and mis-stated formulations in real published paragraphs.

    .venv/bin/python bench/proofread_corpus/inject_other.py --split heldout
    .venv/bin/python bench/proofread_corpus/inject_other.py --split dev-eval --show-missed

* placeholder   a number or a two-character word of a paragraph replaced by a template blank
                (XX, ××, X, 某某, □□, 【待补充】); found when a placeholder finding overlaps it.
* numbering     six real paragraphs numbered 1.–6. (or （一）…, 第一条 …) with one number repeated
                or skipped; found when exactly one numbering finding points at the slip.
* formulation   every occurrence in the split of a fixed formulation or list (data/formulations.tsv,
                lists.tsv) is mis-stated once, the way drafts do: a head noun swapped (思想 →
                理论), an inner word dropped (同志, 新时代), two list members swapped, a member
                dropped, one character replaced by a homophone; found when a formulation finding
                overlaps it.  An outdated congress reference (学习贯彻党的十九大精神 in a text dated
                after the 20th congress) is added to a paragraph as a sixth kind.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).parent))

from inject import paragraphs  # noqa: E402
from splits import EVALUATED  # noqa: E402

BLANKS = ("XX", "××", "X", "某某", "□□", "xx", "【待补充】", "XXX")


def placeholders(paras, rng, n, check):
    found = total = 0
    while total < n:
        p = rng.choice(paras)
        spots = [m.span() for m in re.finditer(r"\d+(?:\.\d+)?", p)]
        if not spots:
            continue
        s, e = rng.choice(spots)
        blank = rng.choice(BLANKS)
        text = p[:s] + blank + p[e:]
        total += 1
        found += any(f.kind == "placeholder" and f.start < s + len(blank) and s < f.end for f in check(text))
    return found, total


def numbering(paras, rng, n, check):
    from dangjian.proofread.numbering import int_to_cn

    styles = [lambda k: f"{k}.", lambda k: f"（{int_to_cn(k)}）", lambda k: f"第{int_to_cn(k)}条 "]
    good = total = 0
    while total < n:
        body = rng.sample([p for p in paras if not re.match(r"\s*[（(\d一二三四五六七八九十第]", p)], 6)
        style = rng.choice(styles)
        nums = list(range(1, 7))
        k = rng.randrange(1, 6)
        if rng.random() < 0.5:
            nums[k] = nums[k - 1]  # repeated: 1 2 2 3 4 5 → the writer went on from the slip
            nums[k + 1 :] = [x - 1 for x in nums[k + 1 :]]
        else:
            nums[k:] = [x + 1 for x in nums[k:]]  # skipped: 1 2 4 5 6 7
        lines = ["一、工作情况"] + [style(x) + b for x, b in zip(nums, body, strict=True)]
        text = "\n".join(lines) + "\n"
        slip_line = k + 1
        fs = [f for f in check(text) if f.kind == "numbering"]
        total += 1
        good += len(fs) == 1 and fs[0].line == slip_line + 1
    return good, total


def formulations(paras, rng, check, show_missed=False):
    from dangjian.proofread.formulation import _rows

    forms = [r[0] for r in _rows("formulations.tsv")]
    lists = [(r[0], r[1].split("、")) for r in _rows("lists.tsv")]
    swaps = {"思想": "理论", "理论": "思想", "同志": "", "新时代": "", "核心": "中心", "坚决": "坚定"}
    cases = []
    for p in paras:
        for f in forms:
            i = p.find(f)
            if i < 0:
                continue
            for a, b in swaps.items():
                if a in f[1:-1] or f.endswith(a) and a in ("思想", "理论"):
                    cases.append((p, i, f, f.replace(a, b, 1), "head/drop"))
                    break
            else:
                j = rng.randrange(1, len(f) - 1)
                cases.append(
                    (
                        p,
                        i,
                        f,
                        f[:j] + "的" + f[j + 1 :] if f[j] != "的" else f[:j] + "地" + f[j + 1 :],
                        "char",
                    )
                )
        for _name, items in lists:
            joined = "、".join(items)
            i = p.find(joined)
            if i < 0:
                continue
            sw = items[:]
            k = rng.randrange(len(sw) - 1)
            sw[k], sw[k + 1] = sw[k + 1], sw[k]
            cases.append((p, i, joined, "、".join(sw), "order"))
            if len(items) >= 4:
                dropped = items[:]
                del dropped[rng.randrange(1, len(items) - 1)]
                cases.append((p, i, joined, "、".join(dropped), "member"))
    for p in rng.sample(paras, 10):
        cases.append(
            (p + "要深入学习贯彻党的二十大精神。", len(p) + 6, "党的二十大精神", "党的十九大精神", "congress")
        )
    found = 0
    kinds: dict[str, list[int]] = {}
    for p, i, f, wrong, kind in cases:
        text = p[:i] + wrong + p[i + len(f) :] + "\n2024年3月1日"
        hit = any(f_.kind == "formulation" and f_.start < i + len(wrong) and i < f_.end for f_ in check(text))
        found += hit
        if show_missed and not hit:
            ctx = text[max(0, i - 12) : i + len(wrong) + 12].replace("\n", " ")
            print(f"  missed {kind:9} {wrong}  <- {f}  | {ctx}")
        kinds.setdefault(kind, [0, 0])
        kinds[kind][0] += hit
        kinds[kind][1] += 1
    return found, len(cases), kinds


def main() -> None:
    from dangjian.proofread import check

    ap = argparse.ArgumentParser()
    ap.add_argument(
        "--split",
        default="heldout",
        choices=EVALUATED,
    )
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--show-missed", action="store_true", help="print every formulation slip not found")
    args = ap.parse_args()
    paras = paragraphs(args.split)
    rng = random.Random(args.seed)
    f, t = placeholders(paras, rng, args.n, check)
    print(f"placeholder  {f}/{t} {f / t:.1%}")
    f, t = numbering(paras, rng, args.n // 2, check)
    print(f"numbering    {f}/{t} {f / t:.1%} (exactly one finding, on the slip)")
    f, t, kinds = formulations(paras, rng, check, args.show_missed)
    detail = ", ".join(f"{k} {a}/{b}" for k, (a, b) in sorted(kinds.items()))
    print(f"formulation  {f}/{t} {f / t:.1%} ({detail})")


if __name__ == "__main__":
    main()
