"""How a query is read: words of asking left out, a word's relatives and the other
language's words as alternatives, a phrase's translation kept by its words, a name's
other spellings, and Kazakh words met by their stems."""

from __future__ import annotations

from bot.pipeline.search_terms import parse_query, query_stop_words, stop_words


def groups(text: str, language: str = "ru") -> list[set[str]]:
    return [{term.text for term in group} for group in parse_query(text, language).groups]


def test_words_of_asking_are_left_out_of_queries_only() -> None:
    assert groups("покажи данные по инвестициям") == groups("инвестициям")
    assert groups("маған көмір қорын көрсетші", "kk") == groups("көмір қорын", "kk")
    assert "покажи" in query_stop_words() and "покажи" not in stop_words()
    assert stop_words() <= query_stop_words()


def test_a_word_also_finds_its_relatives_one_way() -> None:
    assert {"газификация", "газоснабжение"} <= groups("газ")[0]
    assert {"ремонтный"} <= groups("ремонт")[0]
    assert "газ" not in groups("газоснабжение")[0]


def test_each_word_of_a_phrase_may_be_its_translation() -> None:
    # "тұрғын" alone is "житель" and "үй" alone "дом"; together they are "жилье".
    first, second = groups("тұрғын үй", "kk")
    assert {"житель", "жилье"} <= first and {"дом", "жилье"} <= second


def test_a_phrase_whose_words_translate_one_to_one_keeps_them_apart() -> None:
    # "запасы угля" = "көмір қоры": a coal figure alone must not match both words.
    reserves, coal = groups("запасы угля")
    assert "кор" in reserves and "комир" not in reserves
    assert "комир" in coal and "кор" not in coal


def test_a_one_word_name_is_its_entitys_other_names() -> None:
    assert {"балхаш", "balkhash"} <= groups("Балқашта", "kk")[0]
    assert "сарань" in groups("Саран", "kk")[0]
    assert "саран" in groups("Сарань")[0]


def test_kazakh_words_meet_the_vocabulary_by_their_stems() -> None:
    assert "квартира" in groups("пәтерлердің", "kk")[0]
    assert "область" in groups("облыстағы", "kk")[0]
    assert "картофель" in groups("картоптың", "kk")[0]
    assert "склад" in groups("қоймалары", "kk")[0]


def test_built_reaches_the_words_news_use_for_commissioning() -> None:
    """Housing "built" is reported as commissioned ("введено в эксплуатацию", "сдано")."""
    (_, built) = groups("сколько жилья построили")
    assert {"эксплуатация", "ввод", "сдать"} <= built
    assert "в" not in built  # a related word, never a function word that matches anything


def test_the_search_vocabularies_have_their_shape() -> None:
    from bot.pipeline.vocabulary import word_map, words

    for table in ("places", "related"):
        for word, others in word_map("search", table).items():
            assert word and isinstance(others, list) and others, (table, word)
            assert all(isinstance(other, str) and other for other in others), (table, word)
    for kazakh, russian in word_map("bilingual", "words").items():
        assert kazakh and (isinstance(russian, str) or all(isinstance(r, str) for r in russian))
    for language in ("ru", "kk", "en", "query"):
        assert words("search", "stop", language)


def test_the_words_of_a_named_year_are_the_filter() -> None:
    for text, language in (("2025 жылғы жоспар", "kk"), ("планы до 2030 года", "ru")):
        query = parse_query(text, language)
        assert not query.groups and query.filters.years, text
    assert groups("рабочие места в 2025 году") == groups("рабочие места 2025")
    # Without a year, "год" is a word like any other.
    assert len(groups("инвестиции за год")) == 2


def test_a_short_kazakh_stem_still_meets_the_vocabulary() -> None:
    assert {"дом", "жилье"} <= groups("тұрғын үйлер", "kk")[1]
    assert "страна" in groups("елдерге", "kk")[0]


def test_a_word_being_typed_is_the_words_it_begins() -> None:
    assert {"инвестиция", "инвестор"} <= groups("инвест")[0]
    assert "балхаш" in groups("балх")[0]
    assert "безработица" in groups("безработ")[0]
    # A word of the vocabularies is itself, not the start of a longer one.
    assert "месторождение" not in groups("место")[0]
    # Too short to guess.
    assert "караганда" not in groups("кар")[0]


def test_latin_letters_typed_in_a_cyrillic_word_are_read_as_cyrillic() -> None:
    assert groups("Teмиртау") == groups("Темиртау")
    assert groups("Kармет") == groups("Кармет")
    assert groups("Qarmet")[0] >= {"qarmet", "кармет"}


def test_kazakh_typed_without_its_letters_is_still_stemmed() -> None:
    assert {"жумыссыз", "безработица"} <= groups("жумыссыздык", "kk")[0]
    assert "балхаш" in groups("Балкаштагы", "kk")[0]


def test_a_form_of_a_vocabulary_word_is_not_being_typed() -> None:
    assert "месторождение" not in groups("рабочих мест")[1]


def test_plan_words_of_either_language_ask_for_plans() -> None:
    assert parse_query("запланировано рабочих мест").filters.status is not None
    assert parse_query("көзделген жобалар", "kk").filters.status is not None
