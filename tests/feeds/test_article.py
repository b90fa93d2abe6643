"""From a page to the article: charset, type, the text without chrome, relevance, hash."""

from __future__ import annotations

import pytest

from bot.features.feeds.article import (
    Article,
    charset_of,
    decode_html,
    extract_article,
    is_html,
    is_relevant,
    text_hash,
)
from bot.pipeline.gazetteer import load_gazetteer
from tests.feeds.site import ARTICLE_PARAGRAPHS, ARTICLE_TITLE, article_page


def test_the_header_charset_wins_over_the_meta() -> None:
    page = '<meta charset="utf-8"><p>Сарань</p>'.encode("cp1251")
    assert charset_of("text/html; charset=Windows-1251", page) == "cp1251"
    assert decode_html("text/html; charset=windows-1251", page).endswith("<p>Сарань</p>")


def test_the_meta_charset_when_the_header_names_none() -> None:
    page = '<meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
    body = (page + "<p>Темиртау</p>").encode("cp1251")
    assert charset_of("text/html", body) == "cp1251"
    assert "Темиртау" in decode_html("text/html", body)


def test_without_any_charset_utf8_then_windows_1251() -> None:
    assert decode_html("", "<p>Балхаш</p>".encode()) == "<p>Балхаш</p>"
    assert decode_html("", "<p>Балхаш</p>".encode("cp1251")) == "<p>Балхаш</p>"


@pytest.mark.parametrize(
    ("content_type", "body", "html"),
    [
        ("text/html", b"", True),
        ("application/xhtml+xml", b"", True),
        ("application/pdf", b"%PDF-1.4", False),
        ("image/jpeg", b"\xff\xd8", False),
        ("", b"  <!DOCTYPE html><html>", True),
        ("", b"%PDF-1.4", False),
    ],
)
def test_only_html_is_read(content_type: str, body: bytes, html: bool) -> None:
    assert is_html(content_type, body) is html


def test_the_article_without_the_page_chrome() -> None:
    article = extract_article(article_page(ARTICLE_TITLE, ARTICLE_PARAGRAPHS), "http://x/a")
    assert article is not None
    assert article.title == ARTICLE_TITLE
    assert str(article.published) == "2026-11-20"
    for paragraph in ARTICLE_PARAGRAPHS:
        assert paragraph in article.text
    for chrome in ("Главная", "USD", "Читайте также", "Qarmet", "Просмотров", "©", "+3"):
        assert chrome not in article.text


def test_a_page_without_an_article() -> None:
    empty = "<html><head><script>var x = 1;</script></head><body><img src='a.png'></body></html>"
    assert extract_article(empty, "http://x/gallery") is None


def test_the_text_hash_ignores_spacing_case_and_punctuation() -> None:
    assert text_hash("В Сарани — новый завод.\nСтоимость 7,5 млрд") == text_hash(
        "в  сарани новый завод стоимость 7 5 млрд"
    )
    assert text_hash("В Сарани новый завод") != text_hash("В Абае новый завод")


@pytest.mark.parametrize(
    ("text", "relevant"),
    [
        ("В Шахтинске отремонтируют две школы за счёт местного бюджета.", True),
        ("Қарағанды облысында биыл жаңа зауыт іске қосылады.", True),
        ("В Астане открылся новый торговый центр.", False),
        ("Астанада жаңа кітапхана ашылды.", False),
    ],
)
def test_relevant_when_it_names_a_place_of_the_region(text: str, relevant: bool) -> None:
    assert is_relevant(Article(None, text, None), load_gazetteer()) is relevant
