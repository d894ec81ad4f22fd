"""Honours benchmark: the province-size build of ``rectification_bench.py`` holds 20,000 honours
beside the findings, and that script measures the honours list page and figures too.

    .venv/bin/python bench/honours_bench.py        # the same run as bench/rectification_bench.py
"""

from __future__ import annotations

import runpy
from pathlib import Path

if __name__ == "__main__":
    runpy.run_path(str(Path(__file__).with_name("rectification_bench.py")), run_name="__main__")
