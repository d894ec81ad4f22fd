"""The peer in the proofreader's bench: pycorrector 1.1.4 in the mode that runs offline.

pycorrector's statistical corrector needs kenlm and a 2.8 GB language model downloaded on first
use, and the package's __init__ imports torch: neither is available offline here. Its
ProperCorrector (proper nouns, idioms and set phrases matched against its own word lists with
same-pinyin / same-stroke confusion, no network) does run; it is loaded without the package's
__init__. Install for the bench only (not a dependency of the project):

    .venv/bin/pip install --no-deps pycorrector==1.1.4 loguru six numpy

check(text) returns typo findings in the shape of dangjian.proofread.Finding, so evaluate.py
and inject.py can score it with --peer.
"""

from __future__ import annotations

import importlib.util
import pathlib
import re
import sys
import types
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class PeerFinding:
    start: int
    end: int
    kind: str
    text: str
    suggestion: str | None
    message: str = "pycorrector"
    severity: str = "error"
    line: int = 0


@cache
def _corrector():
    spec = importlib.util.find_spec("pycorrector")
    if spec is None or spec.origin is None:
        raise SystemExit("pycorrector is not installed (see bench/proofread_corpus/peer.py)")
    pkg = types.ModuleType("pycorrector")
    pkg.__path__ = [str(pathlib.Path(spec.origin).parent)]
    sys.modules.setdefault("pycorrector", pkg)
    from pycorrector.proper_corrector import ProperCorrector

    return ProperCorrector()


_SENT = re.compile(r"[^。！？；\n]+[。！？；]?")


def check(text: str, **_kw) -> list[PeerFinding]:
    m = _corrector()
    out = []
    for s in _SENT.finditer(text):
        if not s.group().strip():
            continue
        r = m.correct(s.group())
        for wrong, right, pos in r.get("errors", []):
            start = s.start() + pos
            out.append(
                PeerFinding(start, start + len(wrong), "typo", text[start : start + len(wrong)], right)
            )
    return out
