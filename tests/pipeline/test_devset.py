"""Scores on the development set: articles of the same kind that no rule was written
from. Reported on every run; the floor only catches a collapse."""

from __future__ import annotations

import pytest

from bot import PROJECT_ROOT
from bot.pipeline.evaluate import extract_documents, load_gold, score

DEVSET = PROJECT_ROOT.parent / "shared" / "devset"


@pytest.mark.skipif(not (DEVSET / "gold.json").exists(), reason="no ../shared/devset here")
def test_devset_scores(capsys: pytest.CaptureFixture[str]) -> None:
    extracted = extract_documents(sorted(DEVSET.glob("d[0-9]*.txt")))
    result = score(load_gold(DEVSET / "gold.json"), extracted)
    with capsys.disabled():
        print(f"\ndevset: {result.summary()}")
    assert result.precision >= 0.6
    assert result.recall >= 0.55
