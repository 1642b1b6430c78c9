"""resources/iwmo.toml and its strict, layered loader."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.iwmo import COMPONENT_CODES, load_iwmo_settings
from bwo_desktop.core.tariffs import COMPONENT_CODES as LINE_CODES
from bwo_desktop.services.xlsx_service import user_iwmo_settings


def test_builtin_covers_every_component_with_iwmo_codes() -> None:
    settings = load_iwmo_settings()
    assert set(settings.products) == set(COMPONENT_CODES) == set(LINE_CODES)
    for product in settings.products.values():
        assert product.productcategorie in ("02", "15")
        assert product.productcode == ""  # agreed per municipality: empty by default
        assert product.eenheid == "82"  # stuks (output): one weekly tariff
        assert product.frequentie == "2"  # per week
        assert product.volume == 1
    assert (settings.reden_verlenging, settings.reden_verkorting) == ("04", "05")


def test_layers_user_file_then_explicit_file(user_data_dir: Path, tmp_path: Path) -> None:
    (user_data_dir / "iwmo.toml").write_text(
        '[components.IB2]\nproductcode = "BW002"\n[components.IB1]\nproductcategorie = "02"\n',
        encoding="utf-8",
    )
    explicit = tmp_path / "extra.toml"
    explicit.write_text('[components.IB2]\nproductcode = "BW992"\n', encoding="utf-8")
    user_file = user_data_dir / "iwmo.toml"
    user_only = user_iwmo_settings()
    assert user_only.product("IB2").productcode == "BW002"
    assert user_only.product("IB1").productcategorie == "02"
    assert user_only.product("IB1").eenheid == "82"  # untouched keys keep the built-in value
    both = load_iwmo_settings([explicit], user_file=user_file)
    assert both.product("IB2").productcode == "BW992"
    assert both.product("IB1").productcategorie == "02"
    assert load_iwmo_settings().product("IB2").productcode == ""


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[components.IB4]\nvolume = 1\n", "components.IB4"),
        ('[components.IB1]\nkleur = "rood"\n', "components.IB1.kleur"),
        ('[components.IB1]\neenheid = "99"\n', "components.IB1.eenheid"),
        ("[components.IB1]\nproductcategorie = 15\n", "components.IB1.productcategorie"),
        ('[components.IB1]\nproductcode = "toolong1"\n', "components.IB1.productcode"),
        ("[components.IB1]\nvolume = 0\n", "components.IB1.volume"),
        ('[reden_wijziging]\nverlenging = "01"\n', "reden_wijziging.verlenging"),
        ("onbekend = 1\n", "onbekend"),
        ("[components.IB1\n", ""),
    ],
)
def test_bad_files_name_file_and_key(tmp_path: Path, text: str, key: str) -> None:
    bad = tmp_path / "iwmo.toml"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_iwmo_settings([bad])
    assert str(bad) in str(info.value)
    assert key in str(info.value)
