"""The frame the long-running dialogs share (Excel export, planning import, a day's
beschikkingen): the work runs on a worker thread, a progress bar and a status line show how
far it is, problems appear as Dutch text in the dialog (copyable), and at the end a
"Map openen" button opens the folder with the result.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QStandardPaths, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QCloseEvent, QDesktopServices, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bwo_desktop.ui.background import BackgroundTask, run_in_background
from bwo_desktop.ui.operations import failure_text

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]

NOTICE_STYLE = "background: #fff3cd; color: #664d03; padding: 6px 8px; border: 1px solid #ffe69c;"
WARNING_STYLE = "color: #842029;"


def default_documents_folder(override: Path | None = None) -> Path:
    """Documents/BWO: where exports go unless the consultant picks another place."""
    if override is not None:
        return override
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(base or Path.home()) / "BWO"


def open_folder(folder: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


class _ProgressRelay(QObject):
    """Lives on the UI thread; a worker emits, Qt queues the call to the UI thread."""

    progressed = Signal(int, int)


class TaskDialog(QDialog):
    """A dialog with a form on top and a worker-backed action below.

    Subclasses put their inputs into `self.form_layout`, set `self.run_button`'s text and
    call `run_task(...)` from their slot. `task_finished` fires after each run (tests wait
    on it).
    """

    task_finished = Signal(bool)  # True: succeeded

    def __init__(self, title: str, run_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self._busy = False
        self._task: BackgroundTask | None = None
        self._relay: _ProgressRelay | None = None
        self.result_folder: Path | None = None
        self.open_folder: Callable[[Path], None] = open_folder

        self.notice_label = QLabel()
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet(NOTICE_STYLE)
        self.notice_label.setAccessibleName("Let op")
        self.notice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice_label.hide()

        self.form_widget = QWidget()
        self.form_layout = QVBoxLayout(self.form_widget)
        self.form_layout.setContentsMargins(0, 0, 0, 0)

        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setAccessibleName("Voortgang")
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label.hide()
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Voortgang")
        self.progress_bar.hide()

        self.error_view = QPlainTextEdit()
        self.error_view.setReadOnly(True)
        self.error_view.setAccessibleName("Meldingen")
        self.error_view.setStyleSheet(WARNING_STYLE)
        self.error_view.setTabChangesFocus(True)
        self.error_view.hide()

        self.buttons = QDialogButtonBox()
        self.run_button = QPushButton(run_text)
        self.run_button.setDefault(True)
        self.run_button.setAutoDefault(True)
        self.buttons.addButton(self.run_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = QPushButton("&Map openen")
        self.folder_button.setAccessibleName("Map met het resultaat openen")
        self.folder_button.clicked.connect(self._open_result_folder)
        self.buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.hide()  # after addButton, which shows it
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText("&Sluiten")
        self.close_button.setAutoDefault(False)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice_label)
        layout.addWidget(self.form_widget)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.error_view, 1)
        layout.addWidget(self.buttons)

    # --- state --------------------------------------------------------------------------

    def is_busy(self) -> bool:
        return self._busy

    def set_notice(self, text: str | None) -> None:
        self.notice_label.setText(text or "")
        self.notice_label.setVisible(bool(text))

    def set_busy(self, busy: bool, text: str = "") -> None:
        self._busy = busy
        self.form_widget.setEnabled(not busy)
        self.run_button.setEnabled(not busy)
        self.close_button.setEnabled(not busy)
        if busy:
            self.error_view.hide()
            self.folder_button.hide()
            self.progress_bar.setRange(0, 0)  # busy indicator until the first report
            self.progress_bar.show()
        else:
            self.progress_bar.hide()
        self.show_status(text)

    def show_status(self, text: str) -> None:
        self.status_label.setText(text)
        self.status_label.setVisible(bool(text))
        QTimer.singleShot(0, self, self._fit_height)

    def _fit_height(self) -> None:
        """Grow (never shrink) when a status line or the error list appears: word-wrapped
        labels need more height than the size hint the dialog opened with."""
        layout = self.layout()
        if layout is None:
            return
        needed = layout.heightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        needed = max(needed, layout.minimumSize().height(), self.sizeHint().height())
        screen = self.screen()
        if screen is not None:
            needed = min(needed, int(screen.availableGeometry().height() * 0.9))
        if needed > self.height():
            self.resize(self.width(), needed)

    def show_error(self, text: str, details: str = "") -> None:
        """A problem in the dialog itself (not a second window): copyable, read by screen
        readers through the accessible name."""
        self.show_status(text)
        self.status_label.setStyleSheet(WARNING_STYLE)
        self.error_view.setPlainText(details)
        self.error_view.setVisible(bool(details))
        if details:
            self.error_view.setFocus()

    def show_done(self, text: str, folder: Path | None) -> None:
        self.status_label.setStyleSheet("")
        self.show_status(text)
        self.result_folder = folder
        self.folder_button.setVisible(folder is not None)
        if folder is not None:
            self.folder_button.setDefault(True)
            self.folder_button.setFocus()

    # --- running ------------------------------------------------------------------------

    def run_task(
        self,
        work: Callable[[Progress], Any],
        on_done: Callable[[Any], None],
        busy_text: str,
        on_failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run `work(progress)` on a worker thread; `progress(done, total)` may be called
        from there. `on_done(result)` / `on_failed(exc)` run on the UI thread."""
        if self._busy:
            return
        self.status_label.setStyleSheet("")
        self.set_busy(True, busy_text)
        relay = _ProgressRelay(self)
        relay.progressed.connect(self._progressed)
        self._relay = relay

        def _done(result: Any) -> None:
            self.set_busy(False)
            try:
                on_done(result)
            finally:
                self.task_finished.emit(True)

        def _failed(exc: BaseException) -> None:
            self.set_busy(False)
            try:
                if on_failed is not None:
                    on_failed(exc)
                else:
                    self.show_error(failure_text(exc))
            finally:
                self.task_finished.emit(False)

        self._task = run_in_background(
            lambda: work(relay.progressed.emit), _done, _failed, owner=self
        )

    def _progressed(self, done: int, total: int) -> None:
        if total <= 0:
            self.progress_bar.setRange(0, 0)
            return
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(done, total))
        self.progress_bar.setFormat(f"{done} van {total}")

    def _open_result_folder(self) -> None:
        if self.result_folder is not None:
            self.open_folder(self.result_folder)

    # --- closing: not while the worker writes --------------------------------------------

    def reject(self) -> None:
        if self._busy:
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._busy:
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._busy and event.key() == Qt.Key.Key_Escape:
            event.accept()
            return
        super().keyPressEvent(event)


# --- what the dialogs take from the main window ------------------------------------------


def export_notice(window: Any, folder: Path) -> tuple[str | None, Callable[[], None]]:
    """The one-time "exports are not encrypted" notice (services.export_notice): its text
    when it is still due, and what to call once the consultant has seen it."""
    from bwo_desktop.services.export_notice import mark_shown, needs_export_notice, notice_text

    context = window.context
    if not needs_export_notice(context.settings):
        return None, lambda: None

    def shown() -> None:
        context.settings = mark_shown(context.settings, context.save_settings)

    return notice_text(folder), shown


def window_database(window: Any) -> Any:
    """The open Database the dialogs run their work on (ShellContext.db)."""
    return window.context.db


def documents_folder_of(window: Any) -> Path:
    return default_documents_folder(window.context.documents_dir)


def selected_day_and_location(window: Any) -> tuple[Any, str | None]:
    """The herindicatie day and location the consultant is looking at: the day filter when
    set, else the selected (or open) case's, else today at no particular location."""
    choice = window.day_combo.currentData()
    if choice is not None:
        day, location = choice
        if location:
            return day, location
    case_id = window.open_case_id or window.current_case_id()
    summary = window.model.summary(case_id) if case_id else None
    if summary is not None and summary.planned_date is not None:
        return summary.planned_date, summary.location or None
    if choice is not None:
        return choice[0], None
    return window.context.today(), None
