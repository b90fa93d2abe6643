"""Search quality on real articles: the test queries (`queries.toml`) asked of a store
built from the seed documents and the development set (`python -m tools.search_quality`).
The floors sit a little under today's shares, overall and per language, so that a change
to the analysis, the vocabularies or the ranking that loses answers fails."""

from __future__ import annotations

import asyncio
import io

import pytest

from bot.pipeline.evaluate import default_devset
from tools.search_quality import QUERIES, evaluate, load_queries, print_report

DEVSET = default_devset()

# The share of queries answered on the first page (first 10) and inline (first 50),
# about five points under the lower of the two orders measured (documents in order: all
# 97.9 % and 97.9 %, ru 96.2 % and 96.2 %, kk 100 %; in reverse: all 96.9 %, ru 94.3 %,
# kk 100 %).
FLOORS = {
    None: (0.92, 0.92),
    "ru": (0.89, 0.89),
    "kk": (0.95, 0.95),
}


@pytest.mark.skipif(not (DEVSET / "gold.json").exists(), reason="no shared/devset here")
@pytest.mark.parametrize("reverse", [False, True], ids=["in_order", "reversed"])
def test_search_quality_floors(reverse: bool, capsys: pytest.CaptureFixture[str]) -> None:
    # The order the documents go in decides which of equally good facts come first; both
    # orders must answer. Its own event loop: the store is a temporary file of its own.
    report = asyncio.run(evaluate(load_queries(QUERIES), DEVSET, reverse=reverse))
    out = io.StringIO()
    print_report(report, out)
    with capsys.disabled():
        # The shares; `python -m tools.search_quality` lists the misses too.
        print("\nsearch quality:", *out.getvalue().splitlines()[:4], sep="\n")
    for lang, (page, inline) in FLOORS.items():
        assert report.rate(lang) >= page, (lang, "first page", report.rate(lang))
        assert report.rate(lang, inline=True) >= inline, (
            lang,
            "inline",
            report.rate(lang, inline=True),
        )


def test_queries_name_their_figures() -> None:
    queries = load_queries(QUERIES)
    assert len(queries) >= 60
    assert {q.lang for q in queries} == {"ru", "kk"}
    assert all(q.expect for q in queries)
    assert len({(q.text, q.lang) for q in queries}) == len(queries)
