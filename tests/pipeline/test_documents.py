"""Reading files: encodings, bad input, dates from the header or a byline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain import DatePrecision
from bot.pipeline.documents import DocumentError, ManifestEntry, read_document

ARTICLE = "В области построят завод. Инвестиции составят 12 млрд тенге.\n"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_date_line_gives_an_exact_date(tmp_path: Path) -> None:
    path = write(tmp_path, "a.txt", (" date 2024-03-05\n" + ARTICLE).encode())
    document = read_document(path, {})
    assert (document.meta.published, document.meta.precision) == (
        date(2024, 3, 5),
        DatePrecision.EXACT,
    )
    assert document.text[document.body_start :].strip().startswith("В области")


def test_dated_byline_gives_the_date(tmp_path: Path) -> None:
    path = write(tmp_path, "b.txt", ("Новости от 14.02.2024 09:30\n" + ARTICLE).encode())
    assert read_document(path, {}).meta.published == date(2024, 2, 14)


def test_a_weekday_widget_is_not_a_publication_date(tmp_path: Path) -> None:
    path = write(tmp_path, "c.txt", ("Среда, 3 апреля, 2024\n" + ARTICLE).encode())
    meta = read_document(path, {}).meta
    assert (meta.published, meta.precision) == (None, DatePrecision.UNKNOWN)


def test_manifest_entry_wins_and_keeps_its_precision(tmp_path: Path) -> None:
    path = write(tmp_path, "d.txt", ARTICLE.encode())
    entry = ManifestEntry(
        outlet="Outlet",
        published=date(2025, 8, 1),
        published_to=date(2025, 9, 30),
        precision=DatePrecision.ESTIMATED,
    )
    meta = read_document(path, {"d.txt": entry}).meta
    assert (meta.outlet, meta.published, meta.published_to, meta.precision) == (
        "Outlet",
        date(2025, 8, 1),
        date(2025, 9, 30),
        DatePrecision.ESTIMATED,
    )


def test_windows_1251_is_decoded(tmp_path: Path) -> None:
    path = write(tmp_path, "e.txt", ARTICLE.encode("cp1251"))
    assert "Инвестиции" in read_document(path, {}).text


def test_bom_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path, "f.txt", ("\ufeff date 2024-01-02\n" + ARTICLE).encode())
    assert read_document(path, {}).meta.published == date(2024, 1, 2)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\n ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
        ("Ceci n'est pas un texte russe: é à ü".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_files_are_refused_with_a_reason(tmp_path: Path, data: bytes, reason: str) -> None:
    path = write(tmp_path, "bad.txt", data)
    with pytest.raises(DocumentError, match=reason):
        read_document(path, {})


def test_oversized_files_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "big.txt", ARTICLE.encode() * 100)
    with pytest.raises(DocumentError, match="over the limit"):
        read_document(path, {}, max_bytes=1000)


def test_spaces_are_normalised_without_moving_offsets(tmp_path: Path) -> None:
    raw = "Вложено 2\u00a0800\u00a0млн тенге.\r\n"
    path = write(tmp_path, "g.txt", raw.encode())
    text = read_document(path, {}).text
    assert len(text) == len(raw) and "2 800 млн" in text
