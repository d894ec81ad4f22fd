"""Learn person and place names from the development corpus; writes data/names.txt.

    .venv/bin/python -m dangjian.proofread.build.build_names

A name is rare in any dictionary, so the language model finds it unlikely and the typo layer is
tempted to "correct" it (加里巴巴迪, 惠东县, 吾哈斯·苏来曼).  Names are recognised by where they
stand, not by a list typed in by hand: a string that recurs right before a title or a reporting
verb (…同志, …书记, …外长, …表示), right after a title (外长…, 记者…), or before the suffix of
a place (…县, …镇, …街道) is a name.  This script reads the dev-train part of
var/proofread-corpus (news and reports; the statutes name no one), counts for every 2–4 character
string how often it stands in such a slot and how often it occurs at all, and keeps the strings
that stand there at least MIN_SLOT times in at least MIN_DOCS documents and in at least
MIN_SHARE of their occurrences (so 发展 before 表示 once in a while is not a name).

Each line of names.txt is "name<TAB>slot count<TAB>occurrences": words and counts, no sentences.
The typo layer leaves alone a slip that overlaps a name of this list or a name the checked
document itself puts in such a slot (typo.name_spans).
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict

from dangjian.proofread.build import dev_train
from dangjian.proofread.lexicon import DATA
from dangjian.proofread.patterns import automaton

MIN_SLOT = 3
MIN_DOCS = 2
MIN_SHARE = 0.3
# a name occurring at least this share of its times inside a longer learnt name is its fragment
FRAGMENT = 0.7
_FUNCTION = set("的了和与及是在对把被将从向以于为之其这那个们也都就又还而且但并或等他她它我你说称要已")


def main() -> None:
    from dangjian.proofread.typo import name_candidates

    t = time.perf_counter()
    slot: Counter[str] = Counter()
    where: defaultdict[str, set[str]] = defaultdict(set)
    texts = []
    for d, text in dev_train(laws=False):
        texts.append(text)
        for name in set(name_candidates(text)):
            slot[name] += 1
            where[name].add(d["id"])
    cands = [g for g, n in slot.items() if n >= MIN_SLOT and len(where[g]) >= MIN_DOCS]
    cands = [g for g in cands if g[0] not in _FUNCTION and g[-1] not in _FUNCTION]
    # 东北地, 国家和地, 年地 stand before the 区 of 地区, not a place suffix; 提出的全 holds a
    # particle: fragments that would shield slips of 的/地/得 around them (一年地发电量)
    cands = [g for g in cands if "的" not in g and g[-1] not in "地得"]
    # how often each candidate occurs at all (one Aho–Corasick pass over the same texts)
    auto = automaton((g, g) for g in cands)
    total: Counter[str] = Counter()
    for text in texts:
        for _end, g in auto.iter(text):
            total[g] += 1
    # slot counts are per document (a name repeated in one text counts once); compare like with
    # like: documents in which the string stands in a slot / documents in which it occurs
    docs_with: Counter[str] = Counter()
    for text in texts:
        for g in {g for _end, g in auto.iter(text)}:
            docs_with[g] += 1
    names = {g: (slot[g], total[g]) for g in cands if slot[g] >= MIN_SHARE * docs_with[g]}
    # a fragment of a longer name that occurs almost only inside it (近平 of 习近平, 务院 of 国务院)
    # adds nothing and would shield ordinary text around it
    longer: defaultdict[str, int] = defaultdict(int)
    for h, (_a, n) in names.items():
        for i in range(len(h)):
            for j in range(i + 2, len(h) + 1):
                if j - i < len(h):
                    longer[h[i:j]] = max(longer[h[i:j]], n)
    names = {g: v for g, v in names.items() if longer[g] < FRAGMENT * v[1]}
    lines = [
        "# Person and place names learnt from the development corpus (news and reports): strings\n",
        "# that recur beside a title, a reporting verb or a place suffix. Built by\n",
        "# dangjian/proofread/build/build_names.py - do not edit by hand.\n",
        "# name<TAB>documents with the name in such a slot<TAB>occurrences\n",
    ]
    lines += [f"{g}\t{a}\t{b}\n" for g, (a, b) in sorted(names.items(), key=lambda x: (-x[1][0], x[0]))]
    (DATA / "names.txt").write_text("".join(lines), "utf-8")
    print(f"{len(names):,} names of {len(cands):,} candidates in {time.perf_counter() - t:.0f} s")


if __name__ == "__main__":
    main()
