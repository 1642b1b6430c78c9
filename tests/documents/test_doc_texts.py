"""Letter texts and organisation settings: strict loading, overrides, placeholders; file names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bwo_desktop.core.errors import DataFileError, InputError
from bwo_desktop.core.resources import resource_path
from bwo_desktop.exports.filenames import beschikking_filename, verslag_filename
from bwo_desktop.exports.letters import (
    KNOWN_PLACEHOLDERS,
    fill,
    load_letter_texts,
    placeholders_in,
)
from bwo_desktop.exports.organisation import load_organisation


@pytest.mark.parametrize(
    "path", sorted(resource_path("letters").glob("*.toml")), ids=lambda p: p.name
)
def test_every_bundled_letter_file_loads(path: Path) -> None:
    texts = load_letter_texts(path.stem, use_user_dir=False)
    for key, text in texts.texts.items():
        assert text.strip(), key
        assert set(placeholders_in(text)) <= KNOWN_PLACEHOLDERS


def test_override_replaces_single_texts(tmp_path: Path) -> None:
    (tmp_path / "beschikking.toml").write_text(
        '[questions]\ntext = "Bel {organisation.phone} en noem {reference}."\n', encoding="utf-8"
    )
    texts = load_letter_texts("beschikking", user_dir=tmp_path)
    assert texts.get("questions.text", {"organisation.phone": "14 078", "reference": "K"}) == (
        "Bel 14 078 en noem K."
    )
    assert "zes weken" in texts.raw("bezwaar.intro")


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (
            '[questions]\ntext = "Bel {organisatie.telefoon}."\n',
            "onbekende invulplek {organisatie.telefoon}",
        ),
        ('[questions]\ntext = "Een { losse accolade"\n', "losse accolade"),
        ('[questions]\nnieuw = "tekst"\n', "onbekende sleutel"),
        ('[questions]\ntext = ""\n', "mag niet leeg zijn"),
        ('questions = "geen tabel"\n', "moet een tabel zijn"),
    ],
)
def test_bad_override_is_an_error_at_load_time(tmp_path: Path, content: str, problem: str) -> None:
    (tmp_path / "beschikking.toml").write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError, match=problem):
        load_letter_texts("beschikking", user_dir=tmp_path)


def test_fill_with_escaped_braces() -> None:
    assert fill("{{x}} {reference}", {"reference": "K"}) == "{x} K"


def test_builtin_organisation_is_complete() -> None:
    org = load_organisation(use_settings=False)
    assert org.name == "Sociale Dienst Drechtsteden"
    assert org.college.startswith("het college van burgemeester en wethouders")
    assert "CAK" in org.eigen_bijdrage
    assert org.bezwaar_address and org.rechtbank_address and org.logo is None


def test_settings_file_and_explicit_file_layer(tmp_path: Path) -> None:
    settings = tmp_path / "instellingen.toml"
    settings.write_text(
        '[organisation]\nphone = "078 000 00 00"\n\n[ander]\nx = 1\n', encoding="utf-8"
    )
    explicit = tmp_path / "org.toml"
    explicit.write_text(
        'college = "het college van burgemeester en wethouders van de gemeente Zwijndrecht"\n',
        encoding="utf-8",
    )
    org = load_organisation(explicit, settings_file=settings)
    assert org.phone == "078 000 00 00"
    assert org.college.endswith("Zwijndrecht")
    assert org.name == "Sociale Dienst Drechtsteden"


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ('naam = "x"\n', "naam"),
        ('name = ""\n', "name"),
        ('logo = "bestaat-niet.png"\n', "logo"),
        ("bezwaar_address = []\n", "bezwaar_address"),
    ],
)
def test_bad_organisation_file_names_the_key(tmp_path: Path, content: str, key: str) -> None:
    path = tmp_path / "org.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_organisation(path, use_settings=False)
    assert key in str(info.value)


def test_logo_relative_to_the_file(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (120, 40), "navy").save(tmp_path / "logo.png")
    path = tmp_path / "org.toml"
    path.write_text('logo = "logo.png"\n', encoding="utf-8")
    assert load_organisation(path, use_settings=False).logo == tmp_path / "logo.png"


def test_file_names_carry_kenmerk_and_date_never_a_bsn() -> None:
    day = dt.date(2026, 12, 8)
    assert (
        beschikking_filename("BWO-2026-A7-000123", day)
        == "beschikking_BWO-2026-A7-000123_2026-12-08.pdf"
    )
    assert verslag_filename("BWO-2026-A7-000123", day, "provider").startswith(
        "onderzoeksverslag-aanbieder_"
    )
    assert verslag_filename("BWO-2026-A7-000123", day, "internal").startswith(
        "onderzoeksverslag-intern_"
    )
    assert beschikking_filename("BWO 2026/7", day) == "beschikking_BWO-2026-7_2026-12-08.pdf"
    with pytest.raises(InputError):
        beschikking_filename("K-999900006", day)
