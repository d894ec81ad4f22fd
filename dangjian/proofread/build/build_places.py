"""Write data/places.txt, the names of China's administrative divisions, from a public gazetteer.

    .venv/bin/python -m dangjian.proofread.build.build_places [--mirrors /work/.mirror]

The learnt name list (build_names.py) knows the places the development corpus mentions often;
a county-level city or a street office that news names once (界首市, 文冲街道) is unknown to it,
and the typo layer then "corrects" the name.  The names of all divisions down to the township and
street level are facts of the national statistical division codes; they are read from the public
repository modood/Administrative-divisions-of-China at a pinned commit (dist/cities.csv,
areas.csv, streets.csv: the 2023 division codes of the National Bureau of Statistics).  A mirror
is a bare git directory at <mirrors>/modood+Administrative-divisions-of-China/repo, e.g.
``git clone --bare https://github.com/modood/Administrative-divisions-of-China <that path>``.

Only full names are kept (with their suffix: 市, 县, 区, 镇, 乡, 街道 …) and of three characters
or more, so a stem that is also a common word never becomes a name; the typo layer leaves alone
a slip that lies inside such a name where it stands in the text (typo.name_spans).
"""

from __future__ import annotations

import argparse
import csv
import io
import subprocess
import time
from pathlib import Path

from dangjian.proofread.lexicon import DATA

REPO = "modood/Administrative-divisions-of-China"
COMMIT = "57a0aa9cef47169a2eb74cf057b0245052a34e8c"
FILES = ("dist/cities.csv", "dist/areas.csv", "dist/streets.csv")
# rows whose name is an administrative placeholder, not a place (市辖区, 省直辖县级行政区划 …)
_NOT_PLACES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def names(mirror: Path) -> set[str]:
    """The full names of the divisions in the gazetteer at COMMIT."""
    out: set[str] = set()
    for path in FILES:
        raw = subprocess.run(
            ["git", "--git-dir", str(mirror), "show", f"{COMMIT}:{path}"],
            check=True,
            capture_output=True,
        ).stdout.decode("utf-8")
        for row in csv.DictReader(io.StringIO(raw)):
            name = row["name"].strip()
            if len(name) >= 3 and name not in _NOT_PLACES and all("\u4e00" <= c <= "\u9fff" for c in name):
                out.add(name)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mirrors", default="/work/.mirror")
    args = ap.parse_args()
    t = time.perf_counter()
    found = names(Path(args.mirrors) / REPO.replace("/", "+") / "repo")
    with (DATA / "places.txt").open("w", encoding="utf-8") as fh:
        fh.write(
            "# Names of China's administrative divisions (city, county and township level), full\n"
            f"# names of 3+ characters. Built by dangjian/proofread/build/build_places.py from\n"
            f"# {REPO} @{COMMIT[:7]} (National Bureau of Statistics division codes) - do not edit.\n"
        )
        for name in sorted(found):
            fh.write(name + "\n")
    print(f"{len(found):,} place names → {DATA / 'places.txt'} in {time.perf_counter() - t:.1f} s")


if __name__ == "__main__":
    main()
