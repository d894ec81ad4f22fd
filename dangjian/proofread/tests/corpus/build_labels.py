"""Turn labelled.src.txt (⟦wrong|kind⟧ markup) into labelled.json with character offsets.

Run from anywhere: python dangjian/proofread/tests/corpus/build_labels.py
"""

import json
import re
from pathlib import Path

HERE = Path(__file__).parent
MARK = re.compile(r"⟦([^⟦⟧|]*)\|([a-z\-]+)⟧")


def parse(src: str) -> list[dict]:
    docs = []
    body = "\n".join(ln for ln in src.splitlines() if not ln.startswith("#"))
    for n, chunk in enumerate(body.split("\n===\n"), 1):
        chunk = chunk.strip("\n")
        text = []
        errors = []
        pos = 0
        out_len = 0
        for m in MARK.finditer(chunk):
            text.append(chunk[pos : m.start()])
            out_len += m.start() - pos
            wrong, kind = m.group(1), m.group(2)
            if kind != "-":
                errors.append({"start": out_len, "end": out_len + len(wrong), "kind": kind, "text": wrong})
            text.append(wrong)
            out_len += len(wrong)
            pos = m.end()
        text.append(chunk[pos:])
        plain = "".join(text)
        for e in errors:
            assert plain[e["start"] : e["end"]] == e["text"]
        docs.append({"id": n, "text": plain, "errors": errors})
    return docs


def main() -> None:
    docs = parse((HERE / "labelled.src.txt").read_text("utf-8"))
    out = {
        "source": "written by the project for evaluation (fictional units; original sentences)",
        "documents": docs,
    }
    (HERE / "labelled.json").write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", "utf-8")
    kinds: dict[str, int] = {}
    for d in docs:
        for e in d["errors"]:
            kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    print(len(docs), "documents,", sum(kinds.values()), "errors", kinds)


if __name__ == "__main__":
    main()
