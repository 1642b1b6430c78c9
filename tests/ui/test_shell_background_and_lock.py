"""The shell: late background results, dialogs over the idle lock, the daily
backup after the list is on screen."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from fakes import (
    FAKE_PASSPHRASE,
    FAKE_TODAY,
    FakeCases,
    FakeEditorFactory,
    fake_shell_window,
    open_and_wait,
)
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from bwo_desktop import app as app_module
from bwo_desktop.app import Shell
from bwo_desktop.core.case import CaseSummary
from bwo_desktop.services import demo
from bwo_desktop.services.database import list_backups, open_database
from bwo_desktop.settings import Settings
from bwo_desktop.ui.background import run_in_background, wait_for_background
from bwo_desktop.ui.main_window import MainWindow, ShellContext

TODAY = FAKE_TODAY
PASSPHRASE = FAKE_PASSPHRASE


def _window(qtbot, summaries: list[CaseSummary], cases: FakeCases | None = None) -> MainWindow:
    return fake_shell_window(qtbot, cases or FakeCases(summaries))


# --- a background result for a window that is gone --------------------------------------


def test_callbacks_of_a_deleted_owner_are_skipped(qtbot) -> None:
    owner = QWidget()
    gate = threading.Event()
    called: list[object] = []
    task = run_in_background(lambda: gate.wait(5) and 42, called.append, called.append, owner=owner)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _valid(owner))
    gate.set()
    qtbot.waitUntil(lambda: task.finished, timeout=5000)
    assert called == [] and task.skipped


def test_list_refresh_finishing_after_the_window_is_deleted(qtbot, summaries) -> None:
    class SlowCases(FakeCases):
        gate = threading.Event()

        def get_summary(self, case_id: str) -> CaseSummary | None:
            self.gate.wait(5)
            return super().get_summary(case_id)

    cases = SlowCases(summaries)
    context = ShellContext(
        cases=cases,
        settings=Settings(),
        editor_factory=FakeEditorFactory(cases),
        today=lambda: TODAY,
    )
    window = MainWindow(context)  # not given to qtbot: deleted by hand below
    window.load_cases(cases.list_summaries())
    window.refresh_case(summaries[0].id, at_once=True)  # the worker now waits on the gate
    window.deleteLater()
    qtbot.waitUntil(lambda: not _valid(window))
    SlowCases.gate.set()
    # Before the guard: RuntimeError "CaseTableModel already deleted" in the callback, which
    # pytest-qt reports as an exception in a Qt slot.
    qtbot.waitUntil(lambda: wait_for_background(50), timeout=5000)
    qtbot.wait(50)


def _valid(obj: object) -> bool:
    import shiboken6

    return bool(shiboken6.isValid(obj))


# --- dialogs and the idle lock -----------------------------------------------------------


def test_lock_hides_a_window_modal_dialog_and_brings_it_back(qtbot, summaries) -> None:
    window = _window(qtbot, summaries)
    dialog = QDialog(window)
    dialog.setWindowTitle("Export")
    dialog.open()  # window-modal, like the export/import dialogs and the audit log
    qtbot.waitExposed(dialog)
    window.lock()
    assert window.is_locked()
    assert not dialog.isVisible()
    window.lock_panel.unlock_requested.emit(PASSPHRASE)
    qtbot.waitUntil(lambda: not window.is_locked(), timeout=5000)
    assert dialog.isVisible()
    assert dialog.result() == 0  # not cancelled, just out of sight while locked
    dialog.reject()


def test_lock_cancels_a_question_that_waits_for_an_answer(qtbot, summaries) -> None:
    window = _window(qtbot, summaries)
    seen: list[bool] = []

    def lock_while_asking() -> None:
        box = QApplication.activeModalWidget()
        if box is None:
            QTimer.singleShot(20, lock_while_asking)
            return
        seen.append(box.isVisible())
        window.lock()

    QTimer.singleShot(20, lock_while_asking)
    answer = QMessageBox.question(
        window,
        "Definitief maken",
        "Zaak van Fatima Wójcik definitief maken?",
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.Yes,
    )
    # The lock answered "no" (Esc) instead of leaving the question over the lock panel,
    # where it would also keep the passphrase field from getting any input.
    assert seen == [True]
    assert answer != QMessageBox.StandardButton.Yes
    assert window.is_locked()
    assert QApplication.activeModalWidget() is None
    window.lock_panel.form.passphrase_edit.setFocus()
    assert window.lock_panel.form.passphrase_edit.isEnabled()


# --- the daily backup after the window is shown -------------------------------------------


class _FakeApp:
    def exit(self, code: int) -> None:
        pass


@pytest.fixture
def demo_copy(tmp_path: Path) -> Path:
    path = tmp_path / "bwo.db"
    db = open_database(path, demo.DEMO_PASSPHRASE, create=True, backup_before_migrate=False)
    try:
        demo.generate(db, 6)
    finally:
        db.close()
    return path


def test_daily_backup_runs_after_the_list_is_shown(
    qtbot, demo_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    gate = threading.Event()
    real = app_module.daily_backup
    started: list[bool] = []

    def slow_backup(db):  # type: ignore[no-untyped-def]
        started.append(True)
        gate.wait(10)
        return real(db)

    monkeypatch.setattr(app_module, "daily_backup", slow_backup)
    shell = Shell(_FakeApp(), demo_copy)  # type: ignore[arg-type]
    try:
        shell.start()
        shell.unlock(demo.DEMO_PASSPHRASE)
        qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
        window = shell.main_window
        assert window is not None and window.isVisible()
        assert window.model.rowCount() == 6  # the list is there while the backup still runs
        qtbot.waitUntil(lambda: bool(started), timeout=5000)
        assert not shell.backup_task.finished
        # The UI keeps working meanwhile: open a case (autosave and view audit on the worker).
        open_and_wait(qtbot, window, window.current_case_id())
        gate.set()
        qtbot.waitUntil(lambda: shell.backup_task.finished, timeout=20_000)
        daily = [b for b in list_backups(demo_copy) if b.reason == "dagelijks"]
        assert len(daily) == 1
        window.back_to_list()
    finally:
        gate.set()
        if shell.main_window is not None:
            shell.main_window.close()
            shell.main_window.deleteLater()
        if shell.unlock_window is not None:
            shell.unlock_window.close()
            shell.unlock_window.deleteLater()
        qtbot.wait(20)
        shell.shutdown()


def test_no_daily_backup_for_a_new_database(qtbot, tmp_path: Path) -> None:
    shell = Shell(_FakeApp(), tmp_path / "bwo.db")  # type: ignore[arg-type]
    try:
        window = shell.start()
        form = window.setup_form
        form.name_edit.setText("T. Consulent")
        form.passphrase_edit.setText(PASSPHRASE)
        form.repeat_edit.setText(PASSPHRASE)
        form.submit_button.click()
        qtbot.waitUntil(lambda: shell.main_window is not None, timeout=20_000)
        assert shell.backup_task is None
        assert list_backups(tmp_path / "bwo.db") == []
    finally:
        if shell.main_window is not None:
            shell.main_window.close()
            shell.main_window.deleteLater()
        qtbot.wait(20)
        shell.shutdown()
