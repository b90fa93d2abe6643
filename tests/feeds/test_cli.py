"""`python -m bot fetch`: the summary, the exit codes, a second run."""

from __future__ import annotations

import io
from pathlib import Path

from bot.features.feeds.cli import run_fetch
from tests.feeds.test_schedule import fetch_settings


def feeds_file(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "feeds.toml"
    path.write_text(text, encoding="utf-8")
    return path


async def test_a_pass_prints_a_summary_per_feed_and_exits_0(
    db_url: str, base_url: str, tmp_path: Path
) -> None:
    feeds = feeds_file(
        tmp_path,
        f"""
[[feed]]  # the site's news
url = "{base_url}/rss.xml"
name = "Карагандинские новости"
lang = "ru"

[[feed]]
url = "{base_url}/gone.xml"
""",
    )
    out, progress = io.StringIO(), io.StringIO()
    code = await run_fetch(fetch_settings(db_url), db_url, feeds, out=out, progress_out=progress)
    text = out.getvalue()
    assert code == 0
    assert "Карагандинские новости" in text and "12 seen, 11 new, 4 ingested" in text
    assert "1 irrelevant" in text and "1 not HTML" in text and "failed: 5" in text
    assert f"127.0.0.1 ({base_url}/gone.xml): FAILED HTTP 404" in text
    assert "articles ingested: 4" in text
    # Not a terminal: plain progress lines, one a feed.
    assert progress.getvalue().count("\n") == 2 and "[2/2] feeds" in progress.getvalue()

    again = io.StringIO()
    code = await run_fetch(fetch_settings(db_url), db_url, feeds, out=again, progress_out=progress)
    assert code == 0
    assert "Карагандинские новости" in again.getvalue() and "not modified" in again.getvalue()
    assert "articles ingested: 0" in again.getvalue()


async def test_an_invalid_feeds_file_exits_non_zero(
    db_url: str, tmp_path: Path, capsys: object
) -> None:
    for text in ("[[feed]]\nname = 'no url'\n", "[[feed]\n", "[[feed]]\nurl = 'ftp://x/'\n"):
        out = io.StringIO()
        code = await run_fetch(fetch_settings(db_url), db_url, feeds_file(tmp_path, text), out=out)
        assert code == 2 and out.getvalue() == ""
    assert await run_fetch(fetch_settings(db_url), db_url, tmp_path / "none.toml") == 2
