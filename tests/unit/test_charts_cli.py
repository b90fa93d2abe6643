"""`python -m bot charts --out DIR`: every chart the bot can send, drawn to PNG files."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from bot.__main__ import main
from bot.app.cli.charts import run_charts

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
TOPIC_CHARTS = ("investments", "zones", "cargo")


def chart_files(folder: Path) -> list[Path]:
    return sorted(folder.iterdir())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def assert_sensible_png(path: Path) -> None:
    """A whole PNG, 1200 px wide as Telegram shows it, with something drawn on it."""
    content = path.read_bytes()
    assert content.startswith(PNG_SIGNATURE), path.name
    assert 10_000 < len(content) < 1_000_000, (path.name, len(content))
    with Image.open(path) as image:
        image.load()  # decodes every row: a truncated file fails here
        assert image.format == "PNG"
        width, height = image.size
        assert width == 1200, path.name
        assert 400 <= height <= 2400, (path.name, height)
        darkest, lightest = image.convert("L").getextrema()
        assert darkest < 64 and lightest == 255, path.name  # dark text on white


async def test_every_chart_in_both_languages(seeded_db_url: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert await run_charts(seeded_db_url, tmp_path, out=out, err=err) == 0
    lines = out.getvalue().splitlines()
    files = chart_files(tmp_path)
    # One line per file: its path, its size and its title.
    assert sorted(Path(line.split("\t")[0]) for line in lines) == files
    assert all(len(line.split("\t")) == 4 and line.split("\t")[3] for line in lines)
    names = {path.stem for path in files}
    for language in ("ru", "kk"):
        assert {f"{chart}-{language}" for chart in TOPIC_CHARTS} <= names
    timelines = {
        name.removesuffix("-ru")
        for name in names
        if name.startswith("timeline-") and name.endswith("-ru")
    }
    assert timelines, "the seed store has a subject with three dated figures"
    assert names == {
        f"{stem}-{lang}" for stem in (*TOPIC_CHARTS, *timelines) for lang in ("ru", "kk")
    }
    for path in files:
        assert_sensible_png(path)
    for stem in (*TOPIC_CHARTS, *timelines):
        # Worded in each language: the two drawings differ.
        assert digest(tmp_path / f"{stem}-ru.png") != digest(tmp_path / f"{stem}-kk.png"), stem
    titles = {Path(line.split("\t")[0]).stem: line.split("\t")[3] for line in lines}
    assert titles["investments-ru"] == "Инвестиции по объектам"
    assert titles["investments-kk"] == "Нысандар бойынша инвестициялар"
    assert err.getvalue() == ""


def test_the_command_line_draws_one_language(seeded_db_url: str, tmp_path: Path) -> None:
    out = tmp_path / "charts"
    assert main(["charts", "--db", seeded_db_url, "--out", str(out), "--language", "kk"]) == 0
    files = chart_files(out)
    assert {f"{chart}-kk.png" for chart in TOPIC_CHARTS} <= {path.name for path in files}
    assert all(path.name.endswith("-kk.png") for path in files)


def test_an_unknown_language_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["charts", "--out", str(tmp_path), "--language", "en"])
    assert exit_.value.code == 2
    assert chart_files(tmp_path) == []


async def test_an_empty_store_draws_nothing(db_url: str, tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert await run_charts(db_url, tmp_path, out=out, err=err) == 1
    assert out.getvalue() == ""
    assert chart_files(tmp_path) == []
    assert "not enough figures" in err.getvalue()
    assert "No charts" in err.getvalue()
