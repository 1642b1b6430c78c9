"""Rule thresholds as data: built-in values, strict files, layering."""

from __future__ import annotations

from pathlib import Path

import pytest

from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.rules import RuleConfig, load_rules, parse_rules_file


def test_builtin_rules(rules: RuleConfig) -> None:
    assert rules.ib3_min_overnemen == 3
    assert rules.default_support_form == {
        1: "overnemen",
        2: "overnemen",
        3: "aanleren",
        4: "toezicht",
        5: "geen",
        None: "geen",
    }


def test_user_file_overrides_some_keys(tmp_path: Path) -> None:
    user = tmp_path / "rules.toml"
    user.write_text("ib3_min_overnemen = 4\n", encoding="utf-8")
    rules = load_rules(user_file=user)
    assert rules.ib3_min_overnemen == 4
    assert rules.default_support_form[3] == "aanleren"
    assert rules.origins[-1] == str(user)


def test_explicit_file_beats_user_file(tmp_path: Path) -> None:
    user = tmp_path / "rules.toml"
    user.write_text(
        'ib3_min_overnemen = 4\n[default_support_form]\n3 = "toezicht"\n', encoding="utf-8"
    )
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("ib3_min_overnemen = 2\n", encoding="utf-8")
    rules = load_rules(explicit, user_file=user)
    assert rules.ib3_min_overnemen == 2
    assert rules.default_support_form[3] == "toezicht"
    assert rules.default_support_form[4] == "toezicht"


def test_missing_user_file_is_fine(tmp_path: Path) -> None:
    assert load_rules(user_file=tmp_path / "nope.toml").ib3_min_overnemen == 3


def test_missing_explicit_file_is_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_rules(tmp_path / "nope.toml")


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        ("ib3 = 3\n", "ib3", "onbekende sleutel"),
        ("ib3_min_overnemen = 0\n", "ib3_min_overnemen", "minstens 1"),
        ("ib3_min_overnemen = 14\n", "ib3_min_overnemen", "hoogstens 13"),
        ('ib3_min_overnemen = "3"\n', "ib3_min_overnemen", "geheel getal"),
        ("ib3_min_overnemen = 3.0\n", "ib3_min_overnemen", "geheel getal"),
        (
            '[default_support_form]\n3 = "helpen"\n',
            "default_support_form.3",
            "onbekende ondersteuningsvorm",
        ),
        ('[default_support_form]\n6 = "geen"\n', "default_support_form.6", "onbekende sleutel"),
        ("[default_support_form]\n3 = 1\n", "default_support_form.3", "tekst"),
    ],
)
def test_strict_rules_file(tmp_path: Path, text: str, key: str, problem: str) -> None:
    path = tmp_path / "rules.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_rules(path)
    assert info.value.key == key
    assert str(path) in str(info.value)
    assert problem in str(info.value)


def test_complete_file_required_for_parse_rules_file(tmp_path: Path) -> None:
    with pytest.raises(DataFileError) as info:
        parse_rules_file(tmp_path / "r.toml", "ib3_min_overnemen = 3\n")
    assert info.value.key == "default_support_form.1"
