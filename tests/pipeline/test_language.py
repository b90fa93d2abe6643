"""The language of documents and sentences, and Kazakh in Latin letters."""

from __future__ import annotations

from decimal import Decimal

from bot.domain import ExtractedFact
from bot.pipeline.extract import extract_facts
from bot.pipeline.gazetteer import load_gazetteer
from bot.pipeline.language import document_language, sentence_language
from bot.pipeline.latin import is_latin_kazakh, to_cyrillic, transliterate

KAZAKH_TEXT = (
    "Теміртауда жаңа құю цехы іске қосылды. Кәсіпорын жылына 40 мың тонна құйма "
    "шығарады, бұл үшін 12 млрд теңге жұмсалды."
)
RUSSIAN_TEXT = (
    "В Темиртау запустили новый литейный цех. Предприятие будет выпускать 40 тыс. тонн "
    "отливок в год, на это потратили 12 млрд тенге."
)


def test_document_language() -> None:
    assert document_language(KAZAKH_TEXT) == "kk"
    assert document_language(RUSSIAN_TEXT) == "ru"


def test_a_russian_sentence_that_quotes_a_kazakh_name_stays_russian() -> None:
    assert (
        sentence_language("Компания «Қазақстан темір жолы» отправила 12 поездов в Китай.") == "ru"
    )
    assert sentence_language("Қарағанды облысы: биыл 14 жоба") == "kk"
    assert sentence_language("Зауыт 2027 жылы іске қосылады.") == "kk"


def _facts(text: str) -> list[ExtractedFact]:
    return extract_facts(text, load_gazetteer())


def test_a_mixed_document_marks_each_fact_with_its_sentence_language() -> None:
    text = "Новый склад в Сарани принял 15 тыс. тонн зерна.\n\nҚоймаға 9 мың тонна астық түсті."
    facts = _facts(text)
    assert [(f.value, f.lang) for f in facts] == [(Decimal(15000), "ru"), (Decimal(9000), "kk")]


def test_latin_kazakh_of_both_alphabets_reads_as_cyrillic() -> None:
    assert transliterate("Jaña zauyt 2026 jılı işke qosıladı").text.startswith("Жаңа зауйт")
    assert transliterate("Bıyl óńirde 3 myń jumys orny ashyldy").text == (
        "Биыл өңірде 3 мың жұмыс орны ашылды"
    )
    assert transliterate("Öñirde 5 jobа").text.startswith("Өңірде")


def test_english_and_company_names_are_not_transliterated() -> None:
    assert not is_latin_kazakh("Silk Road Electronics will ship 200 units to Almaty")
    assert not is_latin_kazakh("Компания Qarmet и ТОО QazTehna")
    assert to_cyrillic("Qarmet plans a new mill") == "Qarmet plans a new mill"


def test_facts_of_a_latin_kazakh_article_keep_the_quote_as_written() -> None:
    sentence = "Bıyl Qaraǵandy oblysynda 2,5 myńnan astam jumys orny ashyldy."
    (fact,) = _facts(sentence)
    assert (fact.value, fact.unit, fact.lang) == (Decimal(2500), "jobs", "kk")
    assert fact.quote == sentence
    assert fact.entity_key == "karaganda_region"


def test_a_latin_kazakh_article_gives_its_figures_places_and_periods() -> None:
    text = (
        "Bıyl Temirtaýda 45 mlrd teńgeniń jobasy júzege asyryldy.\n\n"
        "Balqash qalasynda 2026 jylǵa deıin 3 jańa nysan salynady."
    )
    facts = extract_facts(text, load_gazetteer(), document_year=2025)
    assert [
        (f.value, f.unit, f.entity_key, f.period.key() if f.period else None) for f in facts
    ] == [
        (Decimal(45_000_000_000), "KZT", "temirtau", "2025"),
        (Decimal(3), "count", "balkhash", "by 2026"),
    ]
    assert facts[0].quote == "Bıyl Temirtaýda 45 mlrd teńgeniń jobasy júzege asyryldy."


def test_the_2017_apostrophe_alphabet_and_english_apostrophes() -> None:
    line = "Bıyl Jezqazg'anda 400-den astam adam jumysqa ornalasty"
    assert is_latin_kazakh(line.replace("Bıyl", "Biyl"))
    assert transliterate("Jezqazg'anda s'ahta as'yldy").text == "Жезқазғанда шахта ашылды"
    assert not is_latin_kazakh("O'Brien's company isn't shipping today")


def test_latin_lookalike_letters_in_cyrillic_words_are_read_as_kazakh_letters() -> None:
    sentence = "Балқашта 2024 жылы 3 жаңа цех iске қосылды, бұл үшiн 9 млрд теңге бөлiндi."
    facts = _facts(sentence)
    assert [(f.value, f.unit) for f in facts] == [
        (Decimal(3), "count"),
        (Decimal(9_000_000_000), "KZT"),
    ]
    assert facts[0].entity_key == "balkhash"
    assert all(f.quote == sentence and f.lang == "kk" for f in facts)
