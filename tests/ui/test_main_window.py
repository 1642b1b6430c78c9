"""The main window with a fake case service: list, search, open/back, refresh, idle lock."""

from __future__ import annotations

import datetime as dt

import pytest
from fakes import FakeCases, FakeEditor, FakeEditorFactory, open_and_wait
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit, QSpinBox

from bwo_desktop import __version__
from bwo_desktop.core.case import CaseSummary
from bwo_desktop.services.errors import WrongPassphrase
from bwo_desktop.settings import Settings
from bwo_desktop.ui.case_table_model import COL_STATUS
from bwo_desktop.ui.main_window import IdleWatcher, MainWindow, ShellContext

TODAY = dt.date(2024, 3, 12)
PASSPHRASE = "paars paard rent hard"


def verify(passphrase: str) -> None:
    if passphrase != PASSPHRASE:
        raise WrongPassphrase()


@pytest.fixture
def cases(summaries: list[CaseSummary]) -> FakeCases:
    return FakeCases(summaries)


def make_window(qtbot, cases: FakeCases, *, demo: bool = True) -> MainWindow:
    FakeEditor.instances.clear()
    context = ShellContext(
        cases=cases,
        settings=Settings(consultant_name="M. Vermeulen"),
        is_demo=demo,
        verify_passphrase=verify,
        editor_factory=FakeEditorFactory(cases),
        today=lambda: TODAY,
    )
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.load_cases(cases.list_summaries())
    window.show()
    qtbot.waitExposed(window)
    return window


def type_text(widget, text: str) -> None:
    """Key events that carry the text (qtbot.keyClicks aborts on non-ASCII)."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def press(widget, key: Qt.Key) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))


def test_title_has_version_and_demo(qtbot, cases) -> None:
    window = make_window(qtbot, cases, demo=True)
    assert __version__ in window.windowTitle()
    assert "DEMO" in window.windowTitle()
    assert window.demo_banner.isVisibleTo(window)
    plain = make_window(qtbot, cases, demo=False)
    assert "DEMO" not in plain.windowTitle()
    assert not plain.demo_banner.isVisibleTo(plain)


def test_shows_all_cases_and_a_sensible_size(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    assert window.proxy.rowCount() == len(summaries)
    assert window.count_label.text() == f"{len(summaries)} casussen"
    assert window.width() <= 1366 and window.height() <= 768
    # the first case planned today or later is selected
    current = window.proxy.summary_at(window.table.currentIndex().row())
    assert current.planned_date is not None and current.planned_date >= TODAY


def test_search_as_you_type_accent_insensitive(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    window.search_edit.setFocus()
    type_text(window.search_edit, "çel")
    assert window.search_edit.text() == "çel"
    shown = {window.proxy.summary_at(r).client_name for r in range(window.proxy.rowCount())}
    assert shown and all(name.startswith("Çelik") for name in shown)
    assert "van" in window.count_label.text()
    rows = window.proxy.rowCount()
    window.search_edit.setText("Celik")
    assert window.proxy.rowCount() == rows


def test_search_on_full_bsn_and_date(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    target = summaries[17]
    window.search_edit.setText(target.bsn)
    assert target.id in window.proxy.visible_case_ids()
    assert target.planned_date is not None
    window.search_edit.setText(target.planned_date.strftime("%d-%m-%Y"))
    assert target.id in window.proxy.visible_case_ids()
    window.search_edit.setText(target.planned_date.isoformat())
    assert target.id in window.proxy.visible_case_ids()


def test_enter_opens_and_escape_goes_back(qtbot, cases) -> None:
    window = make_window(qtbot, cases)
    window.search_edit.setFocus()
    window.search_edit.setText("jansen")
    expected = window.proxy.case_id_at(0)
    press(window.search_edit, Qt.Key.Key_Return)
    assert window.stack.currentIndex() == MainWindow.PAGE_CASE
    qtbot.waitUntil(lambda: window.editor is not None)
    editor = FakeEditor.instances[-1]
    assert editor.case_id == expected
    qtbot.waitUntil(lambda: cases.ui_state.get("open_case") == expected)
    window.act_back.trigger()
    assert window.stack.currentIndex() == MainWindow.PAGE_LIST
    assert editor.flushes == 1
    assert window.current_case_id() == expected
    qtbot.waitUntil(lambda: cases.ui_state.get("open_case") is None)


def test_table_activation_opens_the_case(qtbot, cases) -> None:
    window = make_window(qtbot, cases)
    window.focus_list()
    index = window.table.currentIndex()
    window.table.activated.emit(index)
    qtbot.waitUntil(lambda: window.editor is not None)
    assert FakeEditor.instances[-1].case_id == window.proxy.case_id_at(index.row())
    assert window.act_back.isEnabled()


def test_editor_changes_refresh_the_row(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    target = summaries[5]
    open_and_wait(qtbot, window, target.id)
    cases.change(target.id, status="definitief", ib_level="IB3")
    FakeEditor.instances[-1].case_changed.emit(target.id)
    window.back_to_list()  # refreshes at once
    qtbot.waitUntil(lambda: window.model.summary(target.id).status == "definitief")
    row = window.proxy.row_of_case(target.id)
    assert row is not None
    assert window.proxy.data(window.proxy.index(row, COL_STATUS)) == "definitief"


def test_editor_closed_signal_goes_back(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    open_and_wait(qtbot, window, summaries[2].id)
    FakeEditor.instances[-1].closed.emit()
    assert window.stack.currentIndex() == MainWindow.PAGE_LIST


def test_lock_flushes_and_hides_until_the_passphrase(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    open_and_wait(qtbot, window, summaries[0].id)
    editor = FakeEditor.instances[-1]
    name = summaries[0].client_name
    assert name in window.windowTitle()
    window.lock()
    assert editor.flushes == 1
    assert window.is_locked()
    assert name not in window.windowTitle()  # nor in the task bar while locked
    assert not window.menuBar().isEnabled()
    assert not editor.isVisible()
    form = window.lock_panel.form
    form.passphrase_edit.setText("fout fout fout fout")
    form.submit_button.click()
    qtbot.waitUntil(lambda: form.error_label.isVisibleTo(window))
    assert window.is_locked()
    form.passphrase_edit.setText(PASSPHRASE)
    form.submit_button.click()
    qtbot.waitUntil(lambda: not window.is_locked())
    assert window.stack.currentIndex() == MainWindow.PAGE_CASE
    assert window.menuBar().isEnabled()
    assert editor.isVisible()
    assert name in window.windowTitle()


def test_idle_watcher_fires_after_no_input(qtbot) -> None:
    watcher = IdleWatcher(60, check_ms=10)
    watcher.start()
    try:
        with qtbot.waitSignal(watcher.idle, timeout=2000):
            pass
    finally:
        watcher.stop()


def test_idle_leads_to_lock(qtbot, cases) -> None:
    window = make_window(qtbot, cases)
    window.idle_watcher.set_timeout_ms(50)
    window.idle_watcher._timer.setInterval(10)
    qtbot.waitUntil(window.is_locked, timeout=3000)


def test_filters_from_the_window(qtbot, cases, summaries) -> None:
    window = make_window(qtbot, cases)
    window.status_combo.setCurrentIndex(window.status_combo.findText("Concept"))
    assert all(
        window.proxy.summary_at(r).status == "concept" for r in range(window.proxy.rowCount())
    )
    window.clear_filters()
    window.show_today()
    assert all(
        window.proxy.summary_at(r).planned_date == TODAY for r in range(window.proxy.rowCount())
    )
    window.clear_filters()
    window.expiring_check.setChecked(True)
    limit = TODAY + dt.timedelta(weeks=8)
    for r in range(window.proxy.rowCount()):
        s = window.proxy.summary_at(r)
        assert s.status != "definitief" and s.current_indication_end is not None
        assert s.current_indication_end <= limit
    assert window.proxy.rowCount() < len(summaries)


def test_every_input_has_an_accessible_name(qtbot, cases) -> None:
    window = make_window(qtbot, cases)
    for kind in (QLineEdit, QComboBox, QCheckBox, QSpinBox):
        for widget in window.findChildren(kind):
            if widget.parent() is not None and widget.parent().inherits("QComboBox"):
                continue
            assert widget.accessibleName(), widget
    assert window.table.accessibleName()


def test_menus_have_mnemonics_and_shortcuts(qtbot, cases) -> None:
    window = make_window(qtbot, cases)
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles == ["&Bestand", "&Casus", "E&xtra", "&Help"]
    assert window.act_search.shortcut().toString() in ("Ctrl+F",)
    assert "Esc" in [k.toString() for k in window.act_back.shortcuts()]
