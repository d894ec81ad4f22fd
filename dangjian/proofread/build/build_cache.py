"""Build the typo layer's lexicon cache ahead of time (otherwise it is built on first use).

    .venv/bin/python -m dangjian.proofread.build.build_cache

Reads jieba's dict.txt and the files in dangjian/proofread/data/, writes
$DANGJIAN_VAR_DIR/proofread-cache/lexicon-<hash>.marshal and ngram-<hash>.marshal (the language
model's arrays; default <repo>/var/…) and prints their size. Run it in deployment images so the first web request does not pay the ~5 s build.
"""

from __future__ import annotations

import time

from dangjian.proofread import lexicon, lm


def main() -> None:
    t = time.perf_counter()
    lex = lexicon.load()
    path = next((lexicon.var_dir() / "proofread-cache").glob("lexicon-*.marshal"), None)
    size = path.stat().st_size / 1048576 if path else 0.0
    print(
        f"lexicon: {len(lex.logp):,} words, {len(lex.corrections):,} variants, "
        f"{sum(map(len, lex.followers.values())):,} anchors; {size:.1f} MB at {path}; {time.perf_counter() - t:.1f} s"
    )
    t = time.perf_counter()
    model = lm.load()
    if model is not None:
        print(f"language model: {len(model.tri_keys):,} trigrams; {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
