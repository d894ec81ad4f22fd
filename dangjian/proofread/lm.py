"""A character trigram language model of official prose, with interpolated Kneser–Ney smoothing.

It answers one question for the typo layer: is a suspected slip really less likely than its
correction, in this context?  The counts come from the development part of the real-text corpus
(laws and regulations, provincial government work reports, national news; see
data/README.md and bench/proofread_corpus/), built by ``build/build_ngram.py`` and shipped as
``data/ngram.tsv.xz``.  On first use the counts are compiled into sorted integer arrays and cached
under var/proofread-cache (like the lexicon), so loading takes a few tenths of a second and the
model holds ~20 MB.

Text is normalised before counting and scoring: runs of digits become "0", runs of Latin letters
"a"; a line break is a sentence boundary.
"""

from __future__ import annotations

import gc
import hashlib
import lzma
import marshal
import math
import os
import re
import tempfile
from array import array
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
MODEL = DATA / "ngram.tsv.xz"
CACHE_VERSION = 2
BOS, EOS = "\x02", "\x03"
# absolute discounts of the two upper orders (Kneser & Ney's 0.75 default, refined on dev-eval)
D3 = 0.8
D2 = 0.75
_DIGITS = re.compile(r"[0-9０-９]+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]+")
_SPACE = re.compile(r"\s")
# the probability of what the counts cannot reach at all (never returned as 0)
_FLOOR = 1e-12
# a bigram seen at least this often (weighted counts) is a common pair of official prose
COMMON_PAIR = 3
# entries of the probability memo (Model.p) before it is emptied: ~100 bytes each
_MEMO_SIZE = 1 << 17


# any character normalise() rewrites: the windows the typo layer scores are mostly Chinese, and
# one search that finds nothing is cheaper than three substitutions that change nothing
_REWRITTEN = re.compile(r"[0-9０-９A-Za-zＡ-Ｚａ-ｚ\s]")


def normalise(text: str) -> str:
    """The model's alphabet: digits → "0", Latin letters → "a" (each run one symbol), any space " "."""
    if _REWRITTEN.search(text) is None:
        return text
    return _SPACE.sub(" ", _LATIN.sub("a", _DIGITS.sub("0", text)))


@dataclass(eq=False)
class Model:
    """Counts of the trigram model; keys are character ids packed into one integer."""

    ids: dict[str, int]
    v: int  # alphabet size + 1 (id 0 = unseen character)
    uni_left: array  # N1+(•c): distinct left neighbours of c
    uni_follow: array  # N1+(b•): distinct right neighbours of b
    uni_mid: array  # N1+(•b•): distinct (a, c) around b
    uni_count: array
    left_total: int
    bi_keys: array  # sorted a*v+b
    bi_count: array
    bi_left: array  # N1+(•ab)
    bi_follow: array  # N1+(ab•)
    tri_keys: array  # sorted (a*v+b)*v+c, count >= 2 only
    tri_count: array
    # the bigrams seen at least COMMON_PAIR times, concatenated (the typo layer's fast filter)
    common_pairs: str = ""
    _memo: dict[int, float] = field(default_factory=dict, repr=False)
    _tri_first: array | None = field(default=None, repr=False)

    # -- probabilities ------------------------------------------------------------------------
    def _bi(self, key: int) -> int:
        keys = self.bi_keys
        i = bisect_left(keys, key)
        return i if i < len(keys) and keys[i] == key else -1

    def _p1(self, c: int) -> float:
        return (self.uni_left[c] + 0.5) / (self.left_total + 0.5 * self.v)

    def _p2(self, b: int, c: int) -> float:
        mid = self.uni_mid[b]
        if mid == 0:
            return self._p1(c)
        i = self._bi(b * self.v + c)
        left = self.bi_left[i] if i >= 0 else 0
        return (max(left - D2, 0.0) + D2 * max(self.uni_follow[b], 1) * self._p1(c)) / mid

    def p(self, a: int, b: int, c: int) -> float:
        """P(c | a b) with interpolated Kneser–Ney smoothing."""
        key = (a * self.v + b) * self.v + c
        cached = self._memo.get(key)
        if cached is not None:
            return cached
        i = self._bi(a * self.v + b)
        if i < 0:
            value = self._p2(b, c)
        else:
            cab = self.bi_count[i]
            keys = self.tri_keys
            first = self._tri_first or self._index_tri_first()
            hi = first[a + 1]
            j = bisect_left(keys, key, first[a], hi)
            cabc = self.tri_count[j] if j < hi and keys[j] == key else 0
            value = (max(cabc - D3, 0.0) + D3 * self.bi_follow[i] * self._p2(b, c)) / cab or _FLOOR
        # the typo layer scores the same windows again and again (the written form once for each
        # correction, common contexts in every document); two binary searches per trigram were
        # most of its cost.  Bounded: cleared when full rather than grown with the input.
        if len(self._memo) >= _MEMO_SIZE:
            self._memo.clear()
        self._memo[key] = value
        return value

    def encode(self, s: str) -> list[int]:
        ids = self.ids
        return [ids.get(ch, 0) for ch in s]

    def logprob(self, s: str, left: str = "", right: str = "") -> float:
        """Natural-log probability of ``s + right`` given ``left`` (the last two characters matter)."""
        seq = self.encode(normalise(left[-2:]).rjust(2, BOS)[-2:] + normalise(s + right))
        p = self.p
        total = 0.0
        for k in range(2, len(seq)):
            total += math.log(p(seq[k - 2], seq[k - 1], seq[k]))
        return total

    def bigram_count(self, s: str) -> int:
        ids = self.ids
        a, b = ids.get(s[0], 0), ids.get(s[1], 0)
        if not a or not b:
            return 0
        i = self._bi(a * self.v + b)
        return self.bi_count[i] if i >= 0 else 0

    def trigram_count(self, s: str) -> int:
        ids = self.ids
        a, b, c = ids.get(s[0], 0), ids.get(s[1], 0), ids.get(s[2], 0)
        if not a or not b or not c:
            return 0
        key = (a * self.v + b) * self.v + c
        keys = self.tri_keys
        # search only the trigrams that begin with a (a few hundred, not 1.6 million)
        first = self._tri_first or self._index_tri_first()
        lo, hi = first[a], first[a + 1]
        j = bisect_left(keys, key, lo, hi)
        return self.tri_count[j] if j < hi and keys[j] == key else 0

    def _index_tri_first(self) -> array:
        """Where the trigrams of each first character begin in tri_keys (v + 1 offsets, ~6,000
        binary searches: milliseconds, done on first use)."""
        vv = self.v * self.v
        keys = self.tri_keys
        self._tri_first = array("q", (bisect_left(keys, a * vv) for a in range(self.v + 1)))
        return self._tri_first

    def count(self, ch: str) -> int:
        return self.uni_count[self.ids.get(ch, 0)]


def _cache_path() -> Path:
    from .lexicon import var_dir

    h = hashlib.sha256(f"{CACHE_VERSION}".encode())
    h.update(MODEL.read_bytes())
    return var_dir() / "proofread-cache" / f"ngram-{h.hexdigest()[:16]}.marshal"


def _compile() -> Model:
    ids: dict[str, int] = {}
    uni: dict[int, tuple[int, int, int, int]] = {}
    bi: list[tuple[int, int, int, int]] = []
    tri: list[tuple[int, int]] = []
    with lzma.open(MODEL, "rt", encoding="utf-8", newline="\n") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            order, gram, *nums = line.rstrip("\n").split("\t")
            if order == "1":
                ids[gram] = len(ids) + 1
                uni[ids[gram]] = tuple(int(x) for x in nums)  # type: ignore[assignment]
            elif order == "2":
                if len(gram) != 2 or gram[0] not in ids or gram[1] not in ids:
                    continue
                bi.append((ids[gram[0]], ids[gram[1]], int(nums[0]), int(nums[1]), int(nums[2])))  # type: ignore[arg-type]
            elif order == "3":
                if len(gram) != 3 or any(ch not in ids for ch in gram):
                    continue
                tri.append((ids[gram[0]], ids[gram[1]], ids[gram[2]], int(nums[0])))  # type: ignore[arg-type]
    v = len(ids) + 1
    arrays = {name: array("q", [0] * v) for name in ("count", "left", "follow", "mid")}
    for i, (count, left, follow, mid) in uni.items():
        arrays["count"][i] = count
        arrays["left"][i] = left
        arrays["follow"][i] = follow
        arrays["mid"][i] = mid
    bi_rows = sorted((a * v + b, c, left, follow) for a, b, c, left, follow in bi)  # type: ignore[misc]
    tri_rows = sorted(((a * v + b) * v + c, n) for a, b, c, n in tri)  # type: ignore[misc]
    chars = {i: ch for ch, i in ids.items()}
    common = "".join(chars[k // v] + chars[k % v] for k, n, _l, _f in bi_rows if n >= COMMON_PAIR)
    return Model(
        ids,
        v,
        arrays["left"],
        arrays["follow"],
        arrays["mid"],
        arrays["count"],
        sum(arrays["left"]),
        array("q", (r[0] for r in bi_rows)),
        array("i", (r[1] for r in bi_rows)),
        array("i", (r[2] for r in bi_rows)),
        array("i", (r[3] for r in bi_rows)),
        array("q", (r[0] for r in tri_rows)),
        array("i", (r[1] for r in tri_rows)),
        common,
    )


_ARRAYS = (
    "uni_left",
    "uni_follow",
    "uni_mid",
    "uni_count",
    "bi_keys",
    "bi_count",
    "bi_left",
    "bi_follow",
    "tri_keys",
    "tri_count",
)


@cache
def load() -> Model | None:
    """The model (None when the data file is absent: the typo layer then runs without it)."""
    if not MODEL.exists():
        return None
    path = _cache_path()
    try:
        raw = marshal.loads(path.read_bytes())
        ids, v, total, blobs, common = raw
        arrays = []
        for name, (code, blob) in zip(_ARRAYS, blobs, strict=True):
            a = array(code)
            a.frombytes(blob)
            arrays.append(a)
            del name
        return Model(ids, v, *arrays[:4], total, *arrays[4:], common)
    except (OSError, ValueError, EOFError, TypeError):
        pass
    gc_was = gc.isenabled()
    gc.disable()
    try:
        model = _compile()
    finally:
        if gc_was:
            gc.enable()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        blobs = [(getattr(model, n).typecode, getattr(model, n).tobytes()) for n in _ARRAYS]
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(marshal.dumps((model.ids, model.v, model.left_total, blobs, model.common_pairs)))
        os.replace(tmp, path)
        for old in path.parent.glob("ngram-*"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass
    return model
