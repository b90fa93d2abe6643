"""Two documents' figures are the same value when they agree within rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from bot.storage.identity import identity, same_value


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("312.48", "312.5", True),  # one source rounds to a tenth
        ("2750", "2800", True),  # "2,8 тыс."
        ("1234567890", "1200000000", True),  # "1,2 млрд"
        ("2700", "2800", False),
        ("100", "101", False),  # counts below a thousand are exact
        ("10", "10.5", False),
        ("472", "519", False),
        ("-5", "5", False),
    ],
)
def test_values_agree_within_rounding(a: str, b: str, same: bool) -> None:
    assert same_value(Decimal(a), Decimal(b)) is same
    assert same_value(Decimal(b), Decimal(a)) is same


def test_a_missing_high_end_matches_only_a_missing_one() -> None:
    assert same_value(None, None)
    assert not same_value(None, Decimal(10))


def test_identity_tells_objects_and_rates_apart_and_ignores_spacing() -> None:
    base = {
        "metric": "volume",
        "object": "чугун",
        "per": None,
        "entity_key": None,
        "subject": "АО  «Qarmet»",
        "period": "2024",
        "unit": "t",
        "status": "actual",
    }
    assert identity(**base) == identity(**{**base, "subject": "ао «qarmet»"})
    assert identity(**base) != identity(**{**base, "object": "сталь"})
    assert identity(**base) != identity(**{**base, "per": "year"})
