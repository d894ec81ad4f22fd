"""The evaluated parts of the real-text corpus (build.py writes them; dev-train builds the data).

The development parts are tuned on; each held-out part was judged by hand once, after the last
engine commit of its round (bench/RESULTS.md says which round read which).
"""

EVALUATED = (
    "dev-eval",
    "dev-old-heldout",
    "dev-news",
    "heldout",
    "heldout3",
    "heldout4",
    "heldout5",
    "heldout6",
)
