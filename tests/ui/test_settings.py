"""Settings file (strict) and the settings dialog: letterhead overrides and tariff tables."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QSpinBox

from bwo_desktop import paths
from bwo_desktop.core.errors import DataFileError
from bwo_desktop.core.tariffs import builtin_tariff_folder
from bwo_desktop.settings import Settings, load_settings, save_settings
from bwo_desktop.ui.settings_dialog import SettingsDialog, builtin_organisation


def test_defaults_without_a_file(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml") == Settings()


def test_roundtrip(tmp_path: Path) -> None:
    path = tmp_path / "instellingen.toml"
    settings = Settings(
        consultant_name='Anne "de" Vries',
        idle_lock_minutes=5,
        expiring_weeks=6,
        organisation={"phone": "078 123\\4567", "visiting_address": ["Bezoekadres:", "Straat 1"]},
    )
    save_settings(settings, path)
    assert load_settings(path) == settings


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('consultant_naam = "x"\n', "consultant_naam"),
        ("idle_lock_minutes = 0\n", "idle_lock_minutes"),
        ('idle_lock_minutes = "10"\n', "idle_lock_minutes"),
        ('[organisation]\nnaam = "x"\n', "organisation.naam"),
        ('[organisation]\nvisiting_address = "één regel"\n', "organisation.visiting_address"),
    ],
)
def test_strict_loading(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "instellingen.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError) as info:
        load_settings(path)
    assert key in str(info.value)


def test_letters_read_the_same_overrides(tmp_path: Path) -> None:
    from bwo_desktop.exports.organisation import load_organisation

    path = tmp_path / "instellingen.toml"
    save_settings(Settings(consultant_name="X", organisation={"phone": "078 999 99 99"}), path)
    assert load_organisation(settings_file=path).phone == "078 999 99 99"


def make_dialog(
    qtbot, settings: Settings | None = None, saved: list[Settings] | None = None
) -> SettingsDialog:
    dialog = SettingsDialog(
        settings or Settings(consultant_name="M. Vermeulen"),
        db_path=paths.default_db_path(),
        save=(saved.append if saved is not None else None),
    )
    qtbot.addWidget(dialog)
    return dialog


def test_dialog_stores_only_what_differs_from_the_builtin(qtbot) -> None:
    saved: list[Settings] = []
    dialog = make_dialog(qtbot, saved=saved)
    defaults = builtin_organisation()
    assert dialog.text_edits["name"].text() == defaults["name"]
    dialog.text_edits["phone"].setText("078 111 22 33")
    dialog.idle_spin.setValue(3)
    dialog.accept()
    assert saved and saved[0].organisation == {"phone": "078 111 22 33"}
    assert dialog.result_settings().idle_lock_minutes == 3


def test_dialog_requires_the_consultant_name(qtbot) -> None:
    saved: list[Settings] = []
    dialog = make_dialog(qtbot, saved=saved)
    dialog.consultant_edit.setText("   ")
    dialog.accept()
    assert saved == []
    assert "naam" in dialog.error_label.text()


def test_dialog_refuses_a_name_the_set_up_window_refuses(qtbot) -> None:
    """One rule for the consultant's name: the settings refuse what set-up refuses."""
    saved: list[Settings] = []
    dialog = make_dialog(qtbot, saved=saved)
    dialog.consultant_edit.setText("A" * 150)
    dialog.accept()
    assert saved == []
    assert "te lang" in dialog.error_label.text()
    dialog.consultant_edit.setText("  Anne   de Vries ")
    dialog.accept()
    assert saved and saved[0].consultant_name == "Anne de Vries"


def test_add_valid_tariff_table(qtbot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot)
    builtin = next(builtin_tariff_folder().glob("*.toml"))
    source = tmp_path / "nieuw.toml"
    source.write_text(
        builtin.read_text(encoding="utf-8").replace(
            "valid_from = 2021-01-01", "valid_from = 2025-01-01"
        ),
        encoding="utf-8",
    )
    rows_before = dialog.tariff_tree.topLevelItemCount()
    assert dialog.add_tariff_file(source) is None
    assert (paths.user_tariffs_dir() / "tarieven-2025-01-01.toml").is_file()
    assert dialog.tariff_tree.topLevelItemCount() == rows_before + 1
    # the same start date again is refused
    problem = dialog.add_tariff_file(source)
    assert problem is not None and "2025-01-01" in problem


def test_invalid_tariff_table_is_refused_in_dutch(qtbot, tmp_path: Path) -> None:
    dialog = make_dialog(qtbot)
    source = tmp_path / "kapot.toml"
    source.write_text("valid_from = 2025-01-01\n[weekly]\nIB1 = 94.13\n", encoding="utf-8")
    problem = dialog.add_tariff_file(source)
    assert problem is not None and problem.startswith("Deze tarieftabel is niet geldig")
    assert not paths.user_tariffs_dir().exists() or not any(paths.user_tariffs_dir().iterdir())


def test_every_input_has_an_accessible_name(qtbot) -> None:
    dialog = make_dialog(qtbot)
    for kind in (QLineEdit, QPlainTextEdit, QSpinBox, QCheckBox):
        for widget in dialog.findChildren(kind):
            if widget.parent() is not None and widget.parent().inherits("QAbstractSpinBox"):
                continue
            assert widget.accessibleName(), widget
