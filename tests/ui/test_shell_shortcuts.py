"""Every advertised key of the shell works when pressed (a key registered twice — as a
standard key and as text — was an "ambiguous shortcut" in Qt and did nothing), and the help
lists what the actions really have, plus the keys of the list and the editor."""

from __future__ import annotations

from typing import Any

import pytest
from fakes import FakeCases, fake_shell_window, make_summaries
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from bwo_desktop.ui.main_window import MainWindow

ADVERTISED = (
    ("Ctrl+N", "act_new_case", Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
    ("Ctrl+F", "act_search", Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier),
    ("F5", "act_reload", Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier),
    ("F1", "act_shortcuts", Qt.Key.Key_F1, Qt.KeyboardModifier.NoModifier),
    ("F9", "act_sync", Qt.Key.Key_F9, Qt.KeyboardModifier.NoModifier),
    ("Ctrl+T", "act_today", Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier),
    ("Ctrl+E", "act_expiring", Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier),
    ("Ctrl+L", "act_lock", Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier),
    ("Ctrl+Q", "act_quit", Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
)


@pytest.fixture
def window(qtbot: Any, monkeypatch: pytest.MonkeyPatch) -> MainWindow:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    shell: MainWindow = fake_shell_window(qtbot, FakeCases(make_summaries(20)))
    with qtbot.waitActive(shell):
        shell.activateWindow()
    return shell


def test_no_key_is_registered_twice(window: MainWindow) -> None:
    seen: dict[str, str] = {}
    for action in window.actions():
        keys = [k.toString() for k in action.shortcuts()]
        assert len(keys) == len(set(keys)), action.text()
        for key in keys:
            assert key not in seen, f"{key}: {seen.get(key)} and {action.text()}"
            seen[key] = action.text()


@pytest.mark.parametrize(("label", "name", "key", "modifier"), ADVERTISED)
def test_each_advertised_key_triggers_its_action(
    qtbot: Any, window: MainWindow, label: str, name: str, key: Qt.Key, modifier: Any
) -> None:
    fired: list[bool] = []
    action = getattr(window, name)
    action.triggered.connect(lambda *_: fired.append(True))
    QTest.keyClick(window.table, key, modifier)
    assert fired, f"{label} did nothing"
    if name == "act_search":
        assert QApplication.focusWidget() is window.search_edit
    if name == "act_reload":  # its list arrives from a worker: not into the next test's setup
        qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Lijst vernieuwd.")
    for dialog in QApplication.topLevelWidgets():  # Ctrl+N opened the new-case form
        if dialog is not window and dialog.isVisible():
            dialog.close()


def test_the_help_lists_the_real_keys_and_the_editor_keys(window: MainWindow) -> None:
    rows = dict(window.shortcut_rows())
    for label, *_ in ADVERTISED:
        assert label in rows, label
    assert rows["Esc, Alt+Links"] == "terug naar lijst"
    assert "Ctrl+1 … Ctrl+6" in rows
    assert all("&" not in what for what in rows.values())
