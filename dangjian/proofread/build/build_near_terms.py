"""Long fixed terms and the near misses of them that official prose itself writes; writes
data/near_terms.tsv.

    .venv/bin/python -m dangjian.proofread.build.build_near_terms

A term is a word of the lexicon (jieba, the report vocabulary; not the phrases mined) of 5–10
characters that the dev-train part of var/proofread-corpus (laws, reports,
news) has at least MIN_COUNT times.  A near miss is a span one inner edit from a term (a
character replaced or dropped; typo.one_edit_inside).  The typo layer reports a near miss unless
the corpus has it too (美国防部 beside 美国国防部, another province's 人民政府): the ones it has are
listed here as "seen".

Each line is "term<TAB>string<TAB>count" or "seen<TAB>string<TAB>count": strings and counts only.
"""

from __future__ import annotations

import time
from collections import Counter

from dangjian.proofread.build import dev_train
from dangjian.proofread.lexicon import DATA, _mined_terms, load
from dangjian.proofread.patterns import automaton

# a term must be this common in the corpus (~1 in a million characters) for its near misses to
# be suspect
MIN_COUNT = 30
# a near miss written once in the corpus is as likely a slip of the corpus (中国人民共和国 stands
# once beside 11,331 中华人民共和国): it must be written this often to count as meant
MIN_SEEN = 2
MIN_LEN, MAX_LEN = 5, 10


def main() -> None:
    from dangjian.proofread.typo import _NUMERALS, _is_cjk, near_misses, near_term_automaton

    t0 = time.perf_counter()
    lex = load()
    # fixed names and terms, not the phrases mined from the corpus (推动中美关系, 人工智能技术:
    # their words combine freely, and one word swapped is another phrase)
    mined = set(_mined_terms())
    cands = [
        w
        for w in lex.logp
        if MIN_LEN <= len(w) <= MAX_LEN
        and w not in mined
        and all(_is_cjk(c) for c in w)
        # (a term may hold numerals, 第二次世界大战; an edit of a numeral is never a near miss)
        and sum(c in _NUMERALS for c in w) < len(w) - 2
    ]
    texts = [text for _d, text in dev_train()]
    auto = automaton((w, w) for w in cands)
    count: Counter[str] = Counter()
    for text in texts:
        for _end, w in auto.iter(text):
            count[w] += 1
    terms = sorted(w for w in cands if count[w] >= MIN_COUNT)
    near = near_term_automaton(terms)
    seen: Counter[str] = Counter()
    for text in texts:
        for _s, _e, w, _t in near_misses(text, near):
            seen[w] += 1
    lines = [
        "# Long terms of official prose and the near misses of them it writes itself. Built by\n",
        "# dangjian/proofread/build/build_near_terms.py from dev-train - do not edit by hand.\n",
        "# term|seen<TAB>string<TAB>occurrences in dev-train\n",
    ]
    lines += [f"term\t{w}\t{count[w]}\n" for w in terms]
    lines += [f"seen\t{w}\t{n}\n" for w, n in sorted(seen.items()) if n >= MIN_SEEN]
    (DATA / "near_terms.tsv").write_text("".join(lines), "utf-8")
    print(f"{len(terms):,} terms, {len(seen):,} near misses seen; {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
