"""Reading files: encodings, bad input, dates from the header or a byline."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.domain import DatePrecision
from bot.pipeline.documents import DocumentError, ManifestEntry, parse_document, read_document
from bot.pipeline.noise import LineKind, classify_lines, title_of

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


TITLE = "В области построят завод по выпуску труб\n"
SEPTEMBER_11 = date(2025, 9, 11)


def published(text: str) -> tuple[date | None, DatePrecision]:
    meta = parse_document("page.txt", text.encode(), None).meta
    return meta.published, meta.precision


@pytest.mark.parametrize(
    "byline",
    [
        "11.09.2025",
        "11.09.2025 13:40",
        "11.09.2025, 13:40 | Просмотров: 1 204",
        "от 11.09.2025",
        "Новости Example.kz от 11.09.2025 13:40 Фото: example.kz",
        "11 сентября 2025",
        "11 сентября 2025 г.",
        "11 сентября 2025 года",
        "11 СЕНТЯБРЯ 2025",
        "11 сент. 2025",
        "11 сентября 2025, 13:40",
        "11 сентября 2025 в 13:40",
        "13:40, 11 сентября 2025",
        "13:40, 11 Сентябрь 2025",
        "Опубликовано: 11 сентября 2025",
        "Дата публикации: 11.09.2025",
        "Опубликовано: четверг, 11 сентября 2025 13:40",
        "Обновлено: 12.09.2025 | Опубликовано: 11.09.2025",
        "2025-09-11",
        "2025-09-11T13:40:00",
        "Алия Сапарова | 11.09.2025",
        "Иван Петров, 11 сентября 2025 г.",
        "11 қыркүйек 2025",
        "2025 жылғы 11 қыркүйек",
        "Жарияланды: 11 қыркүйек 2025 ж.",
    ],
)
def test_a_byline_above_the_title_dates_the_document(byline: str) -> None:
    assert published(byline + "\n" + TITLE + ARTICLE) == (SEPTEMBER_11, DatePrecision.EXACT)


@pytest.mark.parametrize(
    "text",
    [
        TITLE + "11 сентября 2025, 13:40\n" + ARTICLE,  # under the title
        TITLE
        + "\nМеню\nГлавная / Новости\n\n"
        + TITLE
        + "\nАвтор: Иван Петров\n11.09.2025\n"
        + ARTICLE,
        # under the lead paragraph
        TITLE + "В Темиртау начали строить завод, который будет выпускать трубы для"
        " нефтегазовой отрасли и коммунального хозяйства региона.\n11 сентября 2025\n" + ARTICLE,
    ],
)
def test_a_byline_around_the_title_and_lead_dates_the_document(text: str) -> None:
    assert published(text)[0] == SEPTEMBER_11


@pytest.mark.parametrize(
    "text",
    [
        # dates inside the article's sentences
        TITLE + "Завод запустят к 1 января 2026 года.\n" + ARTICLE,
        TITLE + "В 2025 году в области введут 12 новых производств.\n" + ARTICLE,
        TITLE + "Завод откроют 15 декабря 2025 г.\n" + ARTICLE,
        TITLE + "Церемония открытия пройдет 15 декабря 2025 года в 11:00.\n" + ARTICLE,
        TITLE + "15 декабря 2025 года в Темиртау открыли новый цех.\n" + ARTICLE,
        TITLE + "Срок — до 31.12.2026.\n" + ARTICLE,
        TITLE + "Работы идут с 1 по 11 сентября 2025\n" + ARTICLE,
        # the site's weather and date widgets
        "Сегодня 16.5 C четверг, 24 октября 2025\n" + TITLE + ARTICLE,
        "+4 °C Караганда\nСуббота, 11 октября, 2025\nМеню не задано\n" + TITLE + ARTICLE,
        "+4 °C Караганда 11.10.2025\n" + TITLE + ARTICLE,
        "Бүгін, сейсенбі, 11 қараша 2025\n" + TITLE + ARTICLE,
        # other dates of the page head that are not the publication's
        "Курс валют на 11.09.2025\n" + TITLE + ARTICLE,
        "Приказ от 11.09.2025 № 45\n" + TITLE + ARTICLE,
        "https://example.kz/news/2025-09-11/zavod\n" + TITLE + ARTICLE,
        "31.02.2025\n" + TITLE + ARTICLE,
        "11 тысяч 2025\n" + TITLE + ARTICLE,
        # a date line deep in the article, after its paragraphs
        TITLE + ARTICLE + ARTICLE + "11.09.2025\n",
    ],
)
def test_dates_that_are_not_a_byline_leave_the_date_unknown(text: str) -> None:
    assert published(text) == (None, DatePrecision.UNKNOWN)


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


@pytest.mark.parametrize(
    "byline",
    ["Опубликовано: 11 сентября 2025 г.", "Алия Сапарова | 11.09.2025", "11.09.2025 13:40"],
)
def test_a_byline_above_the_title_is_neither_title_nor_text(byline: str) -> None:
    text = f"{byline}\nВ Темиртау построят завод по выпуску труб\n\nКомпания вложит 5 млрд тенге.\n"
    lines = classify_lines(text)
    assert lines[0].kind is LineKind.NOISE
    assert title_of(lines) == "В Темиртау построят завод по выпуску труб"
