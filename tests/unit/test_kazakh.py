"""Kazakh case endings after a figure follow the last word spoken."""

from __future__ import annotations

import pytest

from bot.render.kazakh import ablative, dative, spoken_number_end


@pytest.mark.parametrize(
    ("digits", "word"),
    [("7", "жеті"), ("40", "қырық"), ("300", "жүз"), ("2300", "жүз"), ("6000", "мың"),
     ("3000000", "миллион"), ("0", "нөл")],
)  # fmt: skip
def test_the_last_word_a_number_is_read_with(digits: str, word: str) -> None:
    assert spoken_number_end(digits) == word


@pytest.mark.parametrize(
    ("figure", "from_", "to"),
    [
        ("7", "7-ден", "7-ге"),
        ("40", "40-тан", "40-қа"),
        ("90", "90-нан", "90-ға"),
        ("3", "3-тен", "3-ке"),
        ("6\u00a0000", "6\u00a0000-нан", "6\u00a0000-ға"),
        ("2,5", "2,5-тен", "2,5-ке"),  # екі бүтін оннан бес
        ("12%", "12%-дан", "12%-ға"),  # пайыз
        ("4,2\u00a0млрд\u00a0₸", "4,2\u00a0млрд\u00a0₸-ден", "4,2\u00a0млрд\u00a0₸-ге"),  # теңге
        ("35\u00a0т", "35\u00a0т-дан", "35\u00a0т-ға"),  # тонна
    ],
)
def test_endings_follow_sound_and_harmony(figure: str, from_: str, to: str) -> None:
    assert ablative(figure) == from_
    assert dative(figure) == to
