"""The idle lock: noticing that nobody touched the app, and what disappears from the screen
while the shell is locked (the shell itself swaps its pages for the passphrase panel)."""

from __future__ import annotations

import time

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QDialog, QWidget

IDLE_CHECK_MS = 5000


class IdleWatcher(QObject):
    """Emits `idle` after `timeout_ms` without keyboard or mouse input anywhere in the app."""

    idle = Signal()

    _INPUT_EVENTS = frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
            QEvent.Type.TabletPress,
        }
    )

    def __init__(
        self, timeout_ms: int, parent: QObject | None = None, *, check_ms: int = IDLE_CHECK_MS
    ) -> None:
        super().__init__(parent)
        self._timeout = timeout_ms / 1000
        self._last_input = time.monotonic()
        self._timer = QTimer(self)
        self._timer.setInterval(min(check_ms, max(timeout_ms // 2, 10)))
        self._timer.timeout.connect(self._check)
        self._paused = False

    def start(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._last_input = time.monotonic()
        self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

    def set_timeout_ms(self, timeout_ms: int) -> None:
        self._timeout = timeout_ms / 1000
        self._timer.setInterval(min(IDLE_CHECK_MS, max(timeout_ms // 2, 10)))

    def pause(self, paused: bool) -> None:
        """While locked there is nothing to watch."""
        self._paused = paused
        self._last_input = time.monotonic()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in self._INPUT_EVENTS:
            self._last_input = time.monotonic()
        return False

    def _check(self) -> None:
        if not self._paused and time.monotonic() - self._last_input >= self._timeout:
            self._paused = True
            self.idle.emit()


class LockedWindows:
    """The other windows of the shell while it is locked. No case data over the lock panel,
    and nothing modal that keeps the passphrase field from getting input: dialogs opened
    alongside the window (window-modal: an export or import in progress, the audit log) are
    hidden and come back after the unlock; questions and forms that wait for an answer
    (application-modal) are cancelled, as if the consultant had pressed Esc. Case data is
    never in those: the editor saved it before."""

    def __init__(self, shell: QWidget) -> None:
        self._shell = shell
        self._hidden: list[QWidget] = []

    def hide(self) -> None:
        self._hidden = []
        for widget in QApplication.topLevelWidgets():
            if widget is self._shell or not widget.isVisible() or not self._ours(widget):
                continue
            if (
                isinstance(widget, QDialog)
                and widget.windowModality() == Qt.WindowModality.WindowModal
            ):
                widget.hide()
                self._hidden.append(widget)
            elif isinstance(widget, QDialog):
                widget.reject()
                if widget.isVisible():  # refused (busy): at least out of sight
                    widget.hide()
                    self._hidden.append(widget)
            else:
                widget.hide()

    def show_again(self) -> None:
        hidden, self._hidden = self._hidden, []
        for widget in hidden:
            if shiboken6.isValid(widget):
                widget.show()
                widget.raise_()

    def _ours(self, widget: QWidget) -> bool:
        parent = widget.parentWidget()
        while parent is not None:
            if parent is self._shell:
                return True
            parent = parent.parentWidget()
        # Parentless message boxes (QMessageBox with no parent) are ours too while we run.
        return widget.parentWidget() is None and isinstance(widget, QDialog)
