"""Word frequencies and confusion sets for the typo layer, built once and cached under var/.

Sources: jieba 0.42.1's dict.txt (word frequencies, installed with jieba — read as data, jieba's
segmenter is never initialised), data/domain_words.txt (project-written report vocabulary),
data/misspellings.tsv (wrong forms removed from the lexicon), pypinyin (homophones) and
data/same_stroke.txt (pycorrector's near-shape groups, Apache-2.0).

The cache is a marshal file under $DANGJIAN_VAR_DIR/proofread-cache (default: <repo>/var/…),
keyed by a hash of every input, so a changed data file rebuilds it (~6 s).  The variant map is
kept flat (one dict of anchor bigrams and a few integer arrays, see Lexicon), so loading takes
~0.4 s and ~140 MB.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.util
import marshal
import math
import os
import re
import tempfile
from array import array
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).with_name("data")
CACHE_VERSION = 12
# Words at least this frequent in jieba's counts are the ones whose misspellings we look for.
TARGET_MIN_FREQ = 800
# A lexicon entry this much rarer than a confusable neighbour is treated as a misspelling.
RARE_RATIO = 50
DOMAIN_FREQ = 2000
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")
_FUNCTION_CHARS = set("的地得了着过是在和与及或也都就又还而且但并把被将从对向以于为之其这那个们我你他她它")
# four-character words at least this frequent are set expressions whose inner characters are checked
SET_MIN_FREQ = 200
# words at least this frequent (jieba counts) tell which character a gap may have lost
GAP_MIN_FREQ = 100
# mined terms at least this frequent (on jieba's scale: 4 × the count in 12 M characters) are targets
MINED_TARGET_FREQ = 400
# both words of a real-word confusion pair must be at least this frequent
REALWORD_MIN_FREQ = 200
# ... while the written word of such a pair may be rarer (条理 for 条例, 违犯 for 违反): a slip
# often lands on a rare word, and the language model then judges it in context
REALWORD_WRITTEN_MIN_FREQ = 20
# words at least this frequent (jieba counts) tell which readings a character is typed with
READING_WORD_MIN_FREQ = 20
# jieba counts of 3 are the floor of its dictionary; such words add memory, not information.
MIN_LEXICON_FREQ = 4


@dataclass(eq=False)
class Lexicon:
    """Log-probabilities of words, the unknown-word floor, and the variant → correction map."""

    logp: dict[str, float]
    floor: float
    # The variant map, stored flat (a million small tuples took ~190 MB and most of start-up):
    # bigram ab → row base[a] + followers[a].index(b) (the rows are the sorted bigrams; a dict of
    # 620k two-character keys took 81 MB, this ~2 MB); row r's two-character variant has
    # correction index two[r] (-1: none); its longer variants are entries first[r] … first[r + 1]
    # - 1, entry j being the variant strings[pos[j] : pos[j] + size[j]] whose bigram sits at
    # offset off[j], correction index ci[j]
    followers: dict[str, str]
    base: dict[str, int]
    two: array
    first: array
    off: array
    size: array
    pos: array
    ci: array
    strings: str
    corrections: list[str | tuple[str, ...]]
    max_len: int
    misspellings: dict[str, str]
    # character → the characters it is confused with (same toneless reading, or near shape)
    confusables: dict[str, str]
    # a common two-character word → common words of the same reading (权力 → 权利): the
    # real-word errors that only context can tell
    realword: dict[str, tuple[str, ...]]
    # the two characters around an inner character of a common word of 3–6 characters → the
    # characters that stood there (民表 → 代): what a dropped character may have been
    gaps: dict[str, str]


def _jieba_dict() -> Path:
    spec = importlib.util.find_spec("jieba")
    if spec is None or spec.origin is None:
        raise RuntimeError("jieba is required for the proofreader's lexicon")
    return Path(spec.origin).with_name("dict.txt")


def var_dir() -> Path:
    env = os.environ.get("DANGJIAN_VAR_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "var"


def _inputs() -> list[Path]:
    return [
        _jieba_dict(),
        DATA / "domain_words.txt",
        DATA / "misspellings.tsv",
        DATA / "same_stroke.txt",
        DATA / "typo_allow.txt",
        DATA / "mined_terms.txt",
        Path(__file__),
    ]


def _key() -> str:
    h = hashlib.sha256(str(CACHE_VERSION).encode())
    for p in _inputs():
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def _read_lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            out.append(line)
    return out


def misspellings() -> dict[str, str]:
    out = {}
    for line in _read_lines("misspellings.tsv"):
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0] != parts[1]:
            out[parts[0]] = parts[1]
    return out


def _mined_terms() -> dict[str, int]:
    """Current official vocabulary mined from the development corpus (data/mined_terms.txt)."""
    out = {}
    path = DATA / "mined_terms.txt"
    if not path.exists():
        return out
    for line in _read_lines("mined_terms.txt"):
        parts = line.split("\t")
        if len(parts) >= 2 and _CJK.match(parts[0]):
            out[parts[0]] = int(parts[1])
    return out


def _readings_in_use(freq: dict[str, int], chars: set[str]) -> dict[str, set[str]]:
    """The toneless readings each of chars takes in the words of freq (phrase-aware pypinyin)."""
    from pypinyin import lazy_pinyin

    out: dict[str, set[str]] = {}
    for w, f in freq.items():
        if len(w) < 2 or f < READING_WORD_MIN_FREQ:
            continue
        for ch, reading in zip(w, lazy_pinyin(w), strict=False):
            if ch in chars:
                out.setdefault(ch, set()).add(reading)
    return out


def build() -> Lexicon:
    from pypinyin import Style, lazy_pinyin, pinyin

    freq: dict[str, int] = {}
    with _jieba_dict().open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split(" ")
            if len(parts) >= 2 and _CJK.match(parts[0]):
                freq[parts[0]] = int(parts[1])
    wrong = misspellings()
    for w in wrong:
        freq.pop(w, None)
    for line in _read_lines("domain_words.txt"):
        for w in line.split():
            if _CJK.match(w):
                freq[w] = max(freq.get(w, 0), DOMAIN_FREQ)
    mined = _mined_terms()
    for w, n in mined.items():
        freq[w] = max(freq.get(w, 0), n)
    allow = {w for line in _read_lines("typo_allow.txt") for w in line.split()}
    for w in allow:
        freq.setdefault(w, 50)

    # character commonness: how much word mass each character carries
    charmass: dict[str, int] = {}
    for w, f in freq.items():
        for ch in w:
            charmass[ch] = charmass.get(ch, 0) + f
    common = {ch for ch, _ in sorted(charmass.items(), key=lambda x: -x[1])[:4500]}

    # a character's readings are the ones words give it (pypinyin's phrase readings: 居 is ju in
    # 居民, never its rare ji), plus its first reading alone.  A typist picks a wrong character by
    # a reading it is typed with; the rare readings of the heteronym table (接 sha, 方 wang, 见
    # xian) only made confusions nobody makes (居 for 继, 县级 for 省级)
    readings = _readings_in_use(freq, common)
    by_py: dict[str, set[str]] = {}
    for ch in common:
        for reading in readings.get(ch, ()) or pinyin(ch, style=Style.NORMAL)[0]:
            by_py.setdefault(reading, set()).add(ch)
    conf: dict[str, set[str]] = {ch: set() for ch in common}
    for group in by_py.values():
        for ch in group:
            conf[ch] |= group
    homo = {ch: set(g) - {ch} for ch, g in conf.items()}
    for line in _read_lines("same_stroke.txt"):
        group = [c for c in line.split("\t") if len(c) == 1]
        for ch in group:
            if ch in conf:
                conf[ch] |= {c for c in group if c in common}
    for ch in conf:
        conf[ch].discard(ch)
    # the language-model checks may also propose function characters (所再地 → 所在地): they
    # verify every candidate in context, where the variant map below cannot.  地 stays: it is a
    # content character as often (国家和驰区 → 地区, 络地 → 各地); 的 and 得 are the rules' part
    confusables = {ch: "".join(sorted(cs - {"的", "得"})) for ch, cs in conf.items() if cs}
    # the commonest function characters are handled by rules (的/地/得) or are too ambiguous
    # to be anyone's confusable (的二 is not a slip for 第二)
    for ch in _FUNCTION_CHARS:
        conf.pop(ch, None)
    for ch in conf:
        conf[ch] -= _FUNCTION_CHARS

    written = {w for line in _read_lines("domain_words.txt") for w in line.split()}
    # only the mined terms the news and reports use often are targets whose misspellings are
    # sought (29k terms as targets made 3 M variants, 465 MB); the rest still shield their words
    domain = written | {w for w, f in mined.items() if len(w) <= 4 and f >= MINED_TARGET_FREQ}
    targets = [
        w
        for w, f in freq.items()
        if (2 <= len(w) <= 4 and (f >= TARGET_MIN_FREQ or w in domain) or 4 < len(w) <= 8 and w in written)
        and all(c in common for c in w)
    ]
    # four-character set expressions (成语, 固定搭配): a dropped inner character is a slip
    sets4 = {w for w, f in freq.items() if len(w) == 4 and f >= SET_MIN_FREQ and all(c in common for c in w)}
    targets.extend(w for w in sets4 if w not in domain and freq[w] < TARGET_MIN_FREQ)
    targets.extend(v for v in wrong.values() if v not in targets)
    variants: dict[str, str] = {}

    def offer(v: str, w: str) -> None:
        fv = freq.get(v)
        if v in allow:
            return
        if fv is not None and fv * RARE_RATIO > freq.get(w, 1):
            return  # a real word in its own right
        old = variants.get(v)
        if old is None:
            variants[v] = w
        elif isinstance(old, str):
            if old != w:
                variants[v] = (old, w)
        elif w not in old:
            variants[v] = (*old, w)

    for w in targets:
        chars = list(w)
        for i, ch in enumerate(chars):
            for c in conf.get(ch, ()):
                offer("".join(chars[:i] + [c] + chars[i + 1 :]), w)
        # swapped neighbours (党建作工); not for two-character words, where the swapped pair is
        # usually another word or a boundary (风清气正 holds 风清, a swap of 清风)
        for i in range(len(w) - 1 if len(w) > 2 else 0):
            if w[i] != w[i + 1]:
                offer(w[:i] + w[i + 1] + w[i] + w[i + 2 :], w)
        if len(w) >= 4 and (w in domain or w in sets4):
            # inner characters only: dropping an end character just finds a shorter correct word
            for i in range(1, len(w) - 1):
                v = w[:i] + w[i + 1 :]
                if len(v) >= 3:
                    offer(v, w)
    total = sum(freq.values())
    # one float object per distinct frequency (5k of them for 180k words): marshal then writes
    # references, and the loaded lexicon shares them (~4 MB less)
    shared: dict[int, float] = {}
    logp = {
        w: shared.setdefault(f, math.log(f / total))
        for w, f in freq.items()
        if f >= MIN_LEXICON_FREQ or len(w) == 1
    }
    floor = math.log(0.5 / total)
    corrections: list[str | tuple[str, ...]] = []
    two_of: dict[str, int] = {}
    longer: dict[str, list[tuple[str, int, int]]] = {}
    for v, w in variants.items():
        ci = len(corrections)
        corrections.append(w)
        if len(v) == 2:
            two_of[v] = ci
            continue
        # index a longer variant by the pair around its changed character, preferring a pair
        # that is not a word, so that the scan stops on it rarely
        first = w if isinstance(w, str) else w[0]
        j = next((i for i, (a, b) in enumerate(zip(v, first, strict=False)) if a != b), len(v) - 1)
        opts = [o for o in (j - 1, j) if 0 <= o <= len(v) - 2]
        o = min(opts, key=lambda o: freq.get(v[o : o + 2], 0))
        longer.setdefault(v[o : o + 2], []).append((v, o, ci))
    flat = _flatten(two_of, longer)
    realword: dict[str, tuple[str, ...]] = {}
    for w, f in freq.items():
        if len(w) != 2 or f < REALWORD_WRITTEN_MIN_FREQ or w in allow:
            continue
        alts = []
        for i, ch in enumerate(w):
            for c in homo.get(ch, ()):
                v = w[:i] + c + w[i + 1 :]
                # a real word typed for another is what an input method offers for the same
                # syllables: the whole words must read alike (示例/事例 shili, not 风向/方向)
                if freq.get(v, 0) >= REALWORD_MIN_FREQ and lazy_pinyin(v) == lazy_pinyin(w):
                    alts.append(v)
        if alts:
            realword[w] = tuple(sorted(alts))
    gap_sets: dict[str, set[str]] = {}
    for w, f in freq.items():
        # every mined term tells what a gap lost (人工智能, 自然资源部), not only the targets
        if 3 <= len(w) <= 6 and (f >= GAP_MIN_FREQ or w in domain or w in written or w in mined):
            for k in range(1, len(w) - 1):
                gap_sets.setdefault(w[k - 1] + w[k + 1], set()).add(w[k])
    gaps = {k: "".join(sorted(v)) for k, v in gap_sets.items()}
    return Lexicon(
        logp, floor, *flat, corrections, max(len(w) for w in logp), wrong, confusables, realword, gaps
    )


def _flatten(two_of: dict[str, int], longer: dict[str, list[tuple[str, int, int]]]) -> tuple:
    followers: dict[str, list[str]] = {}
    base: dict[str, int] = {}
    two = array("i")
    first = array("i")
    off = array("B")
    size = array("B")
    pos = array("i")
    ci = array("i")
    parts: list[str] = []
    at = 0
    for key in sorted(two_of.keys() | longer.keys()):
        if key[0] not in followers:
            followers[key[0]] = []
            base[key[0]] = len(two)
        followers[key[0]].append(key[1])
        two.append(two_of.get(key, -1))
        first.append(len(ci))
        for v, o, c in longer.get(key, ()):
            off.append(o)
            size.append(len(v))
            pos.append(at)
            ci.append(c)
            parts.append(v)
            at += len(v)
    first.append(len(ci))
    joined = {a: "".join(bs) for a, bs in followers.items()}
    return joined, base, two, first, off, size, pos, ci, "".join(parts)


_ARRAYS = ("two", "first", "off", "size", "pos", "ci")


def _dump(lex: Lexicon) -> bytes:
    return marshal.dumps(
        (
            CACHE_VERSION,
            lex.logp,
            lex.floor,
            lex.followers,
            lex.base,
            [(getattr(lex, n).typecode, getattr(lex, n).tobytes()) for n in _ARRAYS],
            lex.strings,
            lex.corrections,
            lex.max_len,
            lex.misspellings,
            lex.confusables,
            lex.realword,
            lex.gaps,
        )
    )


def _undump(data: bytes) -> Lexicon:
    version, logp, floor, followers, base, blobs, strings, *rest = marshal.loads(data)
    if version != CACHE_VERSION:
        raise ValueError("stale cache")
    arrays = []
    for code, blob in blobs:
        a = array(code)
        a.frombytes(blob)
        arrays.append(a)
    return Lexicon(logp, floor, followers, base, *arrays, strings, *rest)


@cache
def load() -> Lexicon:
    """The lexicon, from the cache when it is current (marshal, ~0.3 s), else built (~5 s) and cached."""
    key = _key()
    d = var_dir() / "proofread-cache"
    path = d / f"lexicon-{key}.marshal"
    # a few hundred thousand small containers: the cyclic GC would rescan them many times
    gc_was = gc.isenabled()
    gc.disable()
    try:
        try:
            return _undump(path.read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            pass
        lex = build()
    finally:
        if gc_was:
            gc.enable()
    try:
        d.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=d, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            fh.write(_dump(lex))
        os.replace(tmp, path)
        for old in d.glob("lexicon-*"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # read-only checkout: work from memory
    return lex
