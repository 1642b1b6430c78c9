"""The bundled ZRM catalogue: the 13 domains, the levels and every Bijlage 1 result."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.resources import resource_path
from bwo_desktop.core.zrm import DOMAIN_KEYS, RESULT_AREA_KEYS, load_catalogue, parse_catalogue


def test_bundled_catalogue_matches_the_spec() -> None:
    catalogue = load_catalogue()
    assert tuple(d.key for d in catalogue.domains) == DOMAIN_KEYS
    assert catalogue.levels == {
        1: "acute problematiek",
        2: "niet zelfredzaam",
        3: "beperkt zelfredzaam",
        4: "voldoende zelfredzaam",
        5: "volledig zelfredzaam",
    }
    assert catalogue.domain("basale_adl").result_area == "zelfzorg"
    assert (
        catalogue.domain("middelengebruik").result_area == "geestelijke_gezondheid_middelengebruik"
    )
    assert catalogue.domain("justitie").result_area == "justitie"
    assert tuple(a.key for a in catalogue.result_areas) == RESULT_AREA_KEYS


def test_every_bijlage_1_result_is_shipped_and_cleaned() -> None:
    catalogue = load_catalogue()
    counts = {area.key: len(area.results) for area in catalogue.result_areas}
    assert counts == {
        "financien": 8,
        "werk_opleiding": 4,
        "tijdsbesteding": 4,
        "huisvesting": 5,
        "huiselijke_relaties": 7,
        "geestelijke_gezondheid_middelengebruik": 4,
        "zelfzorg": 9,
        "sociaal_netwerk": 3,
        "maatschappelijke_participatie": 4,
        "justitie": 0,
    }
    assert catalogue.result_area("justitie").free_text
    everything = " ".join(r for area in catalogue.result_areas for r in area.results)
    # Extraction faults of the seed text are gone.
    assert "behoudt of ontwikkelt" in everything
    assert "behoud of" not in everything
    assert " 10 " not in everything
    assert "gebruikt geen geweld" in catalogue.result_area("huiselijke_relaties").results


BAD_CATALOGUES = {
    "unknown key": ("[levels]\n", "[levels]\nkleur = 'rood'\n", "levels.kleur"),
    "missing level": ('5 = "volledig zelfredzaam"\n', "", "levels.5"),
    "domain twice": ('key = "justitie"', 'key = "financien"', "domains"),
    "bad result area": ('result_area = "justitie"', 'result_area = "gevangenis"', "result_area"),
    "duplicate toml key": ('1 = "acute problematiek"\n', '1 = "acute problematiek"\n1 = "x"\n', ""),
}


@pytest.mark.parametrize("case", sorted(BAD_CATALOGUES))
def test_malformed_catalogue_names_file_and_key(case: str, tmp_path: Path) -> None:
    old, new, key = BAD_CATALOGUES[case]
    text = resource_path("zrm.toml").read_text(encoding="utf-8")
    assert old in text
    bad = tmp_path / "zrm.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        parse_catalogue(bad)
    assert str(bad) in str(info.value)
    assert key in str(info.value)
