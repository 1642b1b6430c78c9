"""The operating system's English error text never reaches a Dutch message."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from bwo_desktop.core.errors import (
    OS_ERROR_FALLBACK,
    DataFileError,
    InputError,
    describe_os_error,
)


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (FileNotFoundError(errno.ENOENT, "No such file or directory"), "bestand niet gevonden"),
        (PermissionError(errno.EACCES, "Permission denied"), "geen toegang"),
        (IsADirectoryError(errno.EISDIR, "Is a directory"), "dit is een map"),
        (OSError(errno.ENOSPC, "No space left on device"), "de schijf is vol"),
        (OSError(errno.EIO, "Input/output error"), OS_ERROR_FALLBACK),
        (OSError("something odd"), OS_ERROR_FALLBACK),
    ],
)
def test_describe_os_error(exc: OSError, expected: str) -> None:
    assert describe_os_error(exc) == expected


def _assert_no_english(text: str) -> None:
    for english in ("No such file", "Permission denied", "Is a directory", "Errno"):
        assert english not in text


def test_data_file_errors_are_dutch(tmp_path: Path) -> None:
    from bwo_desktop.core.datafile import load_toml

    with pytest.raises(DataFileError) as missing:
        load_toml(tmp_path / "weg.toml")
    assert "kan het bestand niet lezen (bestand niet gevonden)" in str(missing.value)
    _assert_no_english(str(missing.value))
    with pytest.raises(DataFileError) as folder:
        load_toml(tmp_path)
    _assert_no_english(str(folder.value))
    assert "(dit is een map)" in str(folder.value) or "(geen toegang)" in str(folder.value)


def test_planning_file_errors_are_dutch(tmp_path: Path) -> None:
    from bwo_desktop.imports.planning import check_archive

    with pytest.raises(InputError) as missing:
        check_archive(tmp_path / "planning.xlsx")
    assert "bestand niet gevonden" in str(missing.value)
    _assert_no_english(str(missing.value))


def test_json_file_errors_are_dutch(tmp_path: Path) -> None:
    from bwo_desktop.core.strict_json import read_json_file

    with pytest.raises(InputError) as folder:
        read_json_file(tmp_path)
    _assert_no_english(str(folder.value))


def test_operation_failure_text_is_dutch() -> None:
    from bwo_desktop.ui.operations import failure_text as error_text

    text = error_text(FileNotFoundError(errno.ENOENT, "No such file or directory", "x.xlsx"))
    assert text == "Het bestand kon niet worden geschreven of gelezen: bestand niet gevonden."
    _assert_no_english(error_text(IsADirectoryError(errno.EISDIR, "Is a directory")))


def test_settings_save_error_is_dutch(qtbot) -> None:
    from bwo_desktop.settings import Settings
    from bwo_desktop.ui.settings_dialog import SettingsDialog

    def _refuse(_settings: Settings) -> None:
        raise PermissionError(errno.EACCES, "Permission denied", "settings.toml")

    dialog = SettingsDialog(Settings(consultant_name="M. Berg"), save=_refuse)
    qtbot.addWidget(dialog)
    dialog.accept()
    text = dialog.error_label.text()
    assert text == "De instellingen zijn niet opgeslagen: geen toegang"
    _assert_no_english(text)
