"""Named places and companies found in Kazakh text in their case forms."""

from __future__ import annotations

import pytest

from bot.pipeline.endings import is_ending_chain, stems
from bot.pipeline.gazetteer import load_gazetteer


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Қарағандыда жаңа мектеп ашылды", "karaganda"),
        ("Қарағандының көшелері жөнделеді", "karaganda"),
        ("Қарағанды облысының кәсіпорындары", "karaganda_region"),
        ("Қарағанды облысында егін орылды", "karaganda_region"),
        ("Теміртауда домна пеші жаңартылды", "temirtau"),
        ("Балқаштың мыс балқыту зауыты", "balkhash"),
        ("Жезқазғаннан шыққан пойыз", "zhezkazgan"),
        ("Сараннан Астанаға дейін", "saran"),
        ("Шахтинскіде жылу желісі тартылды", "shakhtinsk"),
        ("Қарқаралыдағы демалыс орны", "karkaralinsk"),
        ("Приозерскіге жол салынады", "priozersk"),
        ("«Сарыарқа» арнайы экономикалық аймағында зауыт салынады", "sez_saryarka"),
        ("Нұра ауданында ферма ашылды", "nura_district"),
    ],
)
def test_kazakh_case_forms_find_the_entity(text: str, key: str) -> None:
    assert [m.entity.key for m in load_gazetteer().find_in(text)] == [key]


def test_every_entity_has_both_names() -> None:
    for entity in load_gazetteer():
        assert entity.name_ru.strip() and entity.name_kk.strip(), entity.key


def test_endings_are_inflection_only() -> None:
    assert "облыс" in stems("облыстарындағы")
    assert is_ending_chain("ының")
    assert not is_ending_chain("лау")  # "жобалау" is another word, not a form of "жоба"


def test_russian_forms_still_find_the_entity() -> None:
    found = load_gazetteer().find_in("В Караганде и Темиртау проложили сети")
    assert [m.entity.key for m in found] == ["karaganda", "temirtau"]
