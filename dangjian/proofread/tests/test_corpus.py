"""Quality guard on the evaluation corpus (bench/proofread_bench.py prints the full figures)."""

import json
from pathlib import Path

from dangjian.proofread import check

CORPUS = Path(__file__).with_name("corpus")
# a little below the measured figures, so a regression fails loudly
MIN_RECALL = {
    "placeholder": 0.99,
    "numbering": 0.95,
    "foreign-content": 0.95,
    "formulation": 0.90,
    "typo": 0.70,
    "punctuation": 0.90,
}


def test_labelled_json_is_in_sync_with_its_source():
    from dangjian.proofread.tests.corpus.build_labels import parse

    built = parse((CORPUS / "labelled.src.txt").read_text("utf-8"))
    stored = json.loads((CORPUS / "labelled.json").read_text("utf-8"))["documents"]
    assert built == stored
    assert len(stored) >= 60 and sum(len(d["errors"]) for d in stored) >= 150


def test_recall_and_precision_on_labelled_corpus():
    docs = json.loads((CORPUS / "labelled.json").read_text("utf-8"))["documents"]
    labels: dict[str, int] = {}
    hits: dict[str, int] = {}
    found = correct = 0
    for d in docs:
        fs = check(d["text"])
        for e in d["errors"]:
            labels[e["kind"]] = labels.get(e["kind"], 0) + 1
            if any(f.kind == e["kind"] and f.start < e["end"] and e["start"] < f.end for f in fs):
                hits[e["kind"]] = hits.get(e["kind"], 0) + 1
        for f in fs:
            found += 1
            correct += any(f.start < e["end"] and e["start"] < f.end for e in d["errors"])
    for kind, floor in MIN_RECALL.items():
        assert hits.get(kind, 0) / labels[kind] >= floor, kind
    assert correct / found >= 0.9


def test_clean_text_has_at_most_one_false_alarm_per_10000_chars():
    chars = alarms = 0
    for p in sorted((CORPUS / "clean").glob("*.txt")):
        text = p.read_text("utf-8")
        chars += len(text)
        alarms += len(check(text))
    assert chars >= 20000
    assert alarms / chars * 10000 <= 1.0


def test_clean_files_joined_together_stay_clean():
    # headings and counts must not be matched across document boundaries
    text = "\n".join(p.read_text("utf-8") for p in sorted((CORPUS / "clean").glob("*.txt")))
    assert check(text + "\n" + text) == []
