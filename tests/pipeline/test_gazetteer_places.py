"""Where the gazetteer's entities are located, and names that name an entity whole."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.pipeline.gazetteer import PLACE_KINDS, load_gazetteer, parse_gazetteer


def test_every_place_is_a_town_district_or_region() -> None:
    gazetteer = load_gazetteer()
    placed = [entity for entity in gazetteer if entity.place]
    assert {"qarmet", "iz_saran", "temirtau_industrial_park"} <= {e.key for e in placed}
    for entity in placed:
        place = gazetteer.get(entity.place)
        assert place is not None and place.kind in PLACE_KINDS, entity.key


def test_what_is_located_in_a_town() -> None:
    gazetteer = load_gazetteer()
    inside = {entity.key for entity in gazetteer.located_in("temirtau")}
    assert inside == {"qarmet", "temirtau_industrial_park"}
    assert gazetteer.located_in("shakhtinsk") == []


@pytest.mark.parametrize(
    ("text", "key"),
    [("Теміртау", "temirtau"), ("Темиртау", "temirtau"), ("Qarmet", "qarmet"),
     ("карагандинская область", "karaganda_region"), ("облыс", "karaganda_region"),
     ("Промышленный парк в Темиртау", "temirtau_industrial_park"),
     ("Темиртау парк", None), ("инвестиции", None), ("", None)],
)  # fmt: skip
def test_a_name_as_a_whole(text: str, key: str | None) -> None:
    entity = load_gazetteer().named(text)
    assert (entity.key if entity else None) == key


def test_a_place_that_is_no_place_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "gazetteer.toml"
    path.write_text(
        '[[entity]]\nkey = "a"\nkind = "company"\nname_ru = "А"\nname_kk = "А"\n\n'
        '[[entity]]\nkey = "b"\nkind = "plant"\nname_ru = "Б"\nname_kk = "Б"\nplace = "a"\n',
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="placed in a"):
        parse_gazetteer(path)
